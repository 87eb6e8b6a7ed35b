package tcptest

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// newProcessGroup starts the program in a process group of its own, so
// that a console control event can be sent to it alone, and not to the
// test that started it, nor to the terminal.
func newProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// generateConsoleCtrlEvent is kernel32's GenerateConsoleCtrlEvent, which
// package syscall does not offer.
var generateConsoleCtrlEvent = syscall.NewLazyDLL("kernel32.dll").NewProc("GenerateConsoleCtrlEvent")

// interrupt sends CTRL_BREAK_EVENT to the program's process group. Windows
// cannot send Ctrl-C (CTRL_C_EVENT) to a new process group, whose Ctrl-C is
// turned off; Go delivers Ctrl-Break as os.Interrupt too, so for a program
// that uses signal.Notify it is the same. This is how Go's own os/signal
// tests do it on Windows.
//
// A console event reaches only the processes that share the sender's
// console. Where the test has none, as under some IDEs' test runners, the
// event cannot be sent: the test is skipped, with Windows' error in its log.
func interrupt(t testing.TB, p *os.Process) error {
	t.Helper()
	ok, _, err := generateConsoleCtrlEvent.Call(syscall.CTRL_BREAK_EVENT, uintptr(p.Pid))
	if ok == 0 {
		t.Log(os.NewSyscallError("GenerateConsoleCtrlEvent", err))
		t.Skip("Windows could not send Ctrl-Break to the program: console events reach only processes that share the test's console, and this test runs without one (as under some IDEs' test runners); run go test in a console window")
	}
	return nil
}
