//go:build !windows

package tcptest

import (
	"errors"
	"syscall"
)

// AddrInUse is the error number bind gives for a port that is taken:
// 98 on Linux, 48 on macOS.
const AddrInUse = syscall.EADDRINUSE

// IsRefused reports whether err says the peer refused the connection: an
// RST in answer to the SYN, because nothing listens on that port.
func IsRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// IsReset reports whether err says the peer reset the connection.
func IsReset(err error) bool { return errors.Is(err, syscall.ECONNRESET) }
