package main

import (
	"errors"
	"syscall"
)

// isWSAReset reports whether err is Winsock's way of saying that the server
// reset or aborted the connection (WSAECONNRESET, WSAECONNABORTED); Go's
// syscall.ECONNRESET is not what Windows returns.
func isWSAReset(err error) bool {
	return errors.Is(err, syscall.WSAECONNRESET) || errors.Is(err, syscall.WSAECONNABORTED)
}
