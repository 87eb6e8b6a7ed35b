//go:build unix

package proctree

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// On Unix the process group is the tree: the command leads a group of its
// own (Setpgid), its group id is its process id, and its children stay in
// the group unless they leave it on purpose (setsid, as a daemon does),
// which takes them out of reach. The group id is not reused while any
// process of the group is alive, even once the command itself has exited.
type sys struct {
	pgid int // the process group's id
}

func (t *Tree) start() error {
	if t.cmd.SysProcAttr == nil {
		t.cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	t.cmd.SysProcAttr.Setpgid = true
	t.cmd.SysProcAttr.Pgid = 0 // a new group, whose id is the command's process id
	if err := t.cmd.Start(); err != nil {
		return err
	}
	t.pgid = t.cmd.Process.Pid
	return nil
}

func (t *Tree) kill() error {
	err := syscall.Kill(-t.pgid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return nil // nothing left
	}
	if err != nil {
		return fmt.Errorf("proctree: SIGKILL to process group %d: %w", t.pgid, err)
	}
	return nil
}

func (t *Tree) interrupt() error {
	err := syscall.Kill(-t.pgid, syscall.SIGINT)
	if errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("proctree: SIGINT to process group %d: %w", t.pgid, os.ErrProcessDone)
	}
	if err != nil {
		return fmt.Errorf("proctree: SIGINT to process group %d: %w", t.pgid, err)
	}
	return nil
}

func (t *Tree) close() error { return nil }
