package wire

import "syscall"

// Winsock's error numbers. Go's syscall.ECONNREFUSED, ECONNRESET and EPIPE
// are numbers Go invents on Windows, which no Winsock call returns, so
// errors.Is against them is always false there: these are the numbers
// Winsock really returns. Package syscall names WSAECONNRESET (10054) and
// WSAECONNABORTED (10053), not these two.
const (
	wsaeshutdown    syscall.Errno = 10058
	wsaeconnrefused syscall.Errno = 10061
)

var (
	// WSAECONNREFUSED: the SYN was answered with a reset, because nothing
	// listens on the port, or because the listener's queue is full: unlike
	// Linux and macOS, Windows refuses then (see DefaultWave).
	refusedErrnos = []syscall.Errno{wsaeconnrefused}

	// WSAECONNRESET: the peer's reset arrived. WSAECONNABORTED: Windows
	// itself gave up on the connection, which it also reports for a write
	// once the peer has reset it (Go's net package counts both as
	// connection errors). WSAESHUTDOWN: a write after the client's own
	// CloseWrite, where Linux and macOS say EPIPE; counted, as EPIPE is, so
	// that the same mistake is called the same thing on every system.
	resetErrnos = []syscall.Errno{syscall.WSAECONNRESET, syscall.WSAECONNABORTED, wsaeshutdown}
)
