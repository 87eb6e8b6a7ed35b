//go:build !windows

package main

import (
	"os/exec"
	"syscall"
	"time"
)

// ownGroup makes the program the leader of a process group of its own, so
// that a signal to the group reaches every process it starts (go run's
// child, a shell's commands).
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// stopTree sends SIGTERM to the program's group, and SIGKILL 2 s later if
// the program has not exited, then SIGKILL once more to what is left.
func stopTree(cmd *exec.Cmd, done <-chan struct{}) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) // An error means the group is gone: nothing to stop.
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	killGroup(cmd)
}

// killGroup kills whatever is left in the program's group.
func killGroup(cmd *exec.Cmd) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // An error means the group is gone already.
}

// interrupt does what Ctrl-C in a terminal does: SIGINT to the program's
// whole group.
func interrupt(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
}

// The errors that mean a connection was refused, or reset by the peer.
var (
	refusedErrnos = []syscall.Errno{syscall.ECONNREFUSED}
	resetErrnos   = []syscall.Errno{syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE}
)
