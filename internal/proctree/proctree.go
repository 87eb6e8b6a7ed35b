// Package proctree starts a command so that it and every process it
// starts can be stopped together: a learner's server run with `go run`,
// which compiles the program and runs it as a child of its own, or from a
// shell script, which starts its commands as children. Stopping only the
// process that was started leaves those children running, holding the
// server's port.
//
// On Linux and macOS the command leads a process group of its own, which
// its children join, and a signal goes to the whole group. On Windows it
// also starts in a process group of its own (for Ctrl-Break), and inside a
// job object, which holds every process it starts and can end them all at
// once; the job is set to kill what is left in it when it is closed.
//
// Being in a group of its own, the tree does not get the Ctrl-C typed in the
// caller's terminal: the caller passes it on with Interrupt, or ends the
// tree with Kill.
//
// Standard library only: kernel32's and ntdll's functions that package
// syscall does not offer are called through syscall.NewLazyDLL.
package proctree

import "os/exec"

// Tree is a started command and every process it starts. Its methods may
// be called from several goroutines at once.
type Tree struct {
	cmd *exec.Cmd
	sys // what the system needs to reach the whole tree
}

// Start starts cmd, as cmd.Start does, so that the tree can be stopped as
// one: it sets cmd.SysProcAttr's fields for that and keeps the others.
// Wait for the command with cmd.Wait, as usual. Call Close when done with
// the tree.
func Start(cmd *exec.Cmd) (*Tree, error) {
	t := &Tree{cmd: cmd}
	if err := t.start(); err != nil {
		return nil, err
	}
	return t, nil
}

// Kill ends every process of the tree at once, without warning: SIGKILL to
// the process group on Linux and macOS; on Windows, the job is terminated
// (where the job could not be made, taskkill /T /F and then the command's
// own process are tried). It is not an error if nothing of the tree is
// left.
func (t *Tree) Kill() error { return t.kill() }

// Interrupt does what Ctrl-C in the program's terminal does: SIGINT to the
// whole process group on Linux and macOS; on Windows, CTRL_BREAK_EVENT to
// the process group (Windows cannot send Ctrl-C to another group, and Go
// programs receive Ctrl-Break as os.Interrupt too). It returns an error
// that wraps os.ErrProcessDone if nothing of the tree is left (on Windows,
// known only where the job could be made), and one that says why when the
// event cannot be sent: on Windows a console event reaches only processes
// that share the caller's console, so a caller without one (an IDE's test
// runner, a service) cannot send it.
func (t *Tree) Interrupt() error { return t.interrupt() }

// Close releases what Start made. On Windows it closes the job, which kills
// every process still in it. On Linux and macOS there is nothing to
// release and it does nothing: call Kill to stop what is left.
func (t *Tree) Close() error { return t.close() }
