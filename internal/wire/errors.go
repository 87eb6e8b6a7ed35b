package wire

import (
	"errors"
	"io"
	"net"
	"os"
	"syscall"
)

// How a connection fails, in one set of error numbers per system, so that
// the stages' tests, cmd/check, cmd/client and cmd/loadsim all call the
// same error the same thing. The numbers are in errors_unix.go and
// errors_windows.go, each with why it is there.

// IsRefused reports whether err says that the connection was refused: the
// server's system answered the client's SYN with a reset, because nothing
// listens on that port.
func IsRefused(err error) bool { return isAny(err, refusedErrnos) }

// IsReset reports whether err says that the connection is gone without an
// orderly close: the server reset it (it closed with bytes it had not read,
// or it crashed), the client's own system gave up on it, or a write found
// it no longer writable. A read that ends with io.EOF is an orderly close,
// not a reset.
func IsReset(err error) bool { return isAny(err, resetErrnos) }

// IsTimeout reports whether err says that a read or write reached the
// connection's deadline (os.ErrDeadlineExceeded): nothing came, and the
// connection may well still be open. A dial that times out is not one of
// these: its error is context.DeadlineExceeded.
func IsTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// EndWords says in plain words how a client's read ended, for a report:
// nil is a connection still open, io.EOF the server's close, a deadline
// nothing more, and a reset a reset. Any other error is given in the
// system's own words (see Reason).
func EndWords(err error) string {
	switch {
	case err == nil:
		return "the connection stays open"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "EOF: the server closed the connection"
	case IsTimeout(err):
		return "nothing more: the connection stays open"
	case IsReset(err):
		return "a reset: the server closed the connection without reading everything, or crashed"
	}
	return Reason(err).Error()
}

// Reason returns the system's own words in err: "connection refused"
// rather than "dial tcp 127.0.0.1:8888: connect: connection refused". It
// is the error of the innermost *os.SyscallError, else of the innermost
// *net.OpError, else err itself.
func Reason(err error) error {
	var sysErr *os.SyscallError
	if errors.As(err, &sysErr) {
		return sysErr.Err
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Err
	}
	return err
}

func isAny(err error, errnos []syscall.Errno) bool {
	for _, errno := range errnos {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}
