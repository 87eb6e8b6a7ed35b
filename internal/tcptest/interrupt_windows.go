package tcptest

import (
	"os"
	"os/exec"
	"syscall"
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
func interrupt(p *os.Process) error {
	ok, _, err := generateConsoleCtrlEvent.Call(syscall.CTRL_BREAK_EVENT, uintptr(p.Pid))
	if ok == 0 {
		return os.NewSyscallError("GenerateConsoleCtrlEvent", err)
	}
	return nil
}
