//go:build !windows

package wire

import "syscall"

// The error numbers of Linux and macOS (and the other Unixes).
var (
	// ECONNREFUSED: the SYN was answered with a reset, because nothing
	// listens on the port. (A listener whose queue is full does not refuse
	// on Linux and macOS: it drops the SYN, and the client sends it again.)
	refusedErrnos = []syscall.Errno{syscall.ECONNREFUSED}

	// ECONNRESET: the peer's reset arrived, on a read or a write.
	// ECONNABORTED: the client's own system gave up on the connection
	// (Go's net package counts it with ECONNRESET as a connection error).
	// EPIPE: a write to a connection that can no longer be written to: once
	// a read has reported the peer's reset, every later write says EPIPE,
	// not ECONNRESET; so does a write after the client's own CloseWrite,
	// which the course's clients never do.
	resetErrnos = []syscall.Errno{syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE}
)
