package main

import (
	"errors"
	"syscall"
)

// isReset reports whether err means the server reset the connection or
// Windows aborted it: Winsock's WSAECONNRESET and WSAECONNABORTED, which
// are not Go's syscall.ECONNRESET.
func isReset(err error) bool {
	return errors.Is(err, syscall.WSAECONNRESET) || errors.Is(err, syscall.WSAECONNABORTED)
}
