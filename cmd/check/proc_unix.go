//go:build !windows

package main

import (
	"os/exec"
	"syscall"
)

// ownGroup makes the program the leader of a process group of its own, so
// that a signal to the group reaches every process it starts (go run's
// child, a shell's commands).
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killTree kills the program's whole group at once.
func killTree(cmd *exec.Cmd) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // An error means the group is gone already.
}

// interruptTree does what Ctrl-C in a terminal does: SIGINT to the
// program's whole group.
func interruptTree(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
}
