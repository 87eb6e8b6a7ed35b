//go:build !windows

package wire

import "syscall"

// The decided sets (see errors_unix.go), and numbers in neither.
var (
	wantRefused = []syscall.Errno{syscall.ECONNREFUSED}
	wantReset   = []syscall.Errno{syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE}
	otherErrnos = []syscall.Errno{syscall.ETIMEDOUT, syscall.EADDRINUSE, syscall.EHOSTUNREACH, syscall.ENETUNREACH}
)
