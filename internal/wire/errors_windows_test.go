package wire

import "syscall"

// The decided sets (see errors_windows.go), and numbers in neither:
// WSAEADDRINUSE, WSAETIMEDOUT, WSAEHOSTUNREACH, and the numbers Go invents
// for ECONNRESET and EPIPE, which Winsock never returns.
var (
	wantRefused = []syscall.Errno{10061}
	wantReset   = []syscall.Errno{10054, 10053, 10058}
	otherErrnos = []syscall.Errno{10048, 10060, 10065, syscall.ECONNRESET, syscall.EPIPE}
)
