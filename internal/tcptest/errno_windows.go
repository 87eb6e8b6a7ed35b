package tcptest

import (
	"errors"
	"syscall"
)

// Winsock's error numbers. Go's syscall.ECONNREFUSED and friends are
// invented numbers on Windows, so errors.Is against them is always false
// there; compare with what Winsock really returns instead.
const (
	wsaeconnaborted syscall.Errno = 10053
	wsaeconnreset   syscall.Errno = 10054
	wsaeconnrefused syscall.Errno = 10061
)

// AddrInUse is the error number bind gives for a port that is taken:
// WSAEADDRINUSE, 10048, on Windows.
const AddrInUse syscall.Errno = 10048

// IsRefused reports whether err says the peer refused the connection: an
// RST in answer to the SYN, because nothing listens on that port.
func IsRefused(err error) bool { return errors.Is(err, wsaeconnrefused) }

// IsReset reports whether err says the peer reset the connection. Windows
// reports a reset as WSAECONNRESET or, when its own side gave up on the
// connection, WSAECONNABORTED.
func IsReset(err error) bool {
	return errors.Is(err, wsaeconnreset) || errors.Is(err, wsaeconnaborted)
}
