package tcptest

import (
	"errors"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"testing"
)

// Terminate sends SIGTERM, what `kill` and service managers such as
// systemd send to stop a program. Windows has no such signal to send to
// another process, so there the test is skipped.
func (p *Program) Terminate(t testing.TB) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("Windows cannot send SIGTERM to another process; it stops services another way")
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
}

// SkipIfInterruptIgnored skips the test when this process ignores
// os.Interrupt, as a command started with & by a shell without job control
// does (a script's `go test ./... &`). A program started from here inherits
// that: its first Ctrl-C is caught all the same, since it asks for it, but
// once it stops asking (signal.Stop) Go ignores the signal again, as the
// shell wanted, so a second Ctrl-C cannot end it.
func SkipIfInterruptIgnored(t testing.TB) {
	t.Helper()
	if signal.Ignored(os.Interrupt) {
		t.Skip("this test process ignores Ctrl-C (SIGINT), as one started with & by a shell without job control does, and so would the program: a second Ctrl-C cannot be tested here")
	}
}
