//go:build windows

package main

import (
	"os/exec"
	"strconv"
	"syscall"
)

// ownGroup starts the program in a process group of its own, so that a
// Ctrl-Break can be sent to it and not to the checker.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// killTree ends the program and every process it started: Windows has no
// signal to a group, taskkill /T walks the tree.
func killTree(cmd *exec.Cmd) {
	exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(cmd.Process.Pid)).Run() // Fails if nothing is left: ignored on purpose.
	cmd.Process.Kill()                                                                // If taskkill is missing; an error means it has exited.
}

var generateConsoleCtrlEvent = syscall.NewLazyDLL("kernel32.dll").NewProc("GenerateConsoleCtrlEvent")

// interruptTree sends CTRL_BREAK_EVENT to the program's group, which Go
// programs receive as os.Interrupt, like Ctrl-C (Windows cannot send
// CTRL_C_EVENT to another group). It needs a console shared with the
// program; without one it fails and the scenario is skipped.
func interruptTree(cmd *exec.Cmd) error {
	const ctrlBreakEvent = 1
	r, _, err := generateConsoleCtrlEvent.Call(ctrlBreakEvent, uintptr(cmd.Process.Pid))
	if r == 0 {
		return err
	}
	return nil
}
