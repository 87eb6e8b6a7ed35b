package tcptest

import (
	"errors"
	"os"
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
