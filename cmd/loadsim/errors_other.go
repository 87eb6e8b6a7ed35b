//go:build !windows

package main

import (
	"errors"
	"syscall"
)

// isReset reports whether err means the server reset the connection, or
// that writing to it failed because it had gone.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
