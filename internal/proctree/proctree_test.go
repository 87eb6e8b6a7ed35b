package proctree_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/proctree"
	"socketcourse/internal/tcptest"
)

// The environment variable that makes this test binary one of the
// processes of a tree instead of running tests (the helper-process pattern
// of Go's own os/exec tests):
//
//	parent: starts a child (this binary again), prints "parent PID", and
//	        waits; on os.Interrupt it prints "parent PID interrupted" and
//	        exits with 0.
//	leaving-parent: the same, but exits with 0 as soon as the child runs,
//	        as a shell script that starts a server in the background does.
//	child:  listens on 127.0.0.1:0, prints "child PID listening ADDR", and
//	        accepts; on os.Interrupt it prints "child PID interrupted" and
//	        exits with 0.
//	lone:   prints "lone PID" and exits with 0.
const helperEnv = "PROCTREE_TEST_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "":
		os.Exit(m.Run())
	case "parent":
		parent(false)
	case "leaving-parent":
		parent(true)
	case "child":
		child()
	case "lone":
		fmt.Println("lone", os.Getpid())
	}
	os.Exit(0)
}

func parent(leave bool) {
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt)
	cmd := helper("child")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Println("parent could not start its child:", err)
		os.Exit(1)
	}
	fmt.Println("parent", os.Getpid())
	if leave {
		return
	}
	<-interrupted
	fmt.Println("parent", os.Getpid(), "interrupted")
}

func child() {
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("child could not listen:", err)
		os.Exit(1)
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go io.Copy(io.Discard, c) // open until the client closes it, or the process ends
		}
	}()
	fmt.Println("child", os.Getpid(), "listening", l.Addr())
	<-interrupted
	fmt.Println("child", os.Getpid(), "interrupted")
}

// helper returns a command that runs this test binary as a helper process.
func helper(mode string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	cmd := exec.Command(exe)
	// Under -race a process sleeps a second at exit, waiting for reports
	// from other threads; the helpers do not need that.
	race := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, "GORACE="+race)
	return cmd
}

// goRunSource is a program run with `go run`: it runs its arguments as a
// child, as a learner's server might start a process of its own. So the
// tree is go, the program it builds, and that program's child.
const goRunSource = `package main

import (
	"os"
	"os/exec"
)

func main() {
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if cmd.Run() != nil {
		os.Exit(1)
	}
}
`

// goRun returns `go run` of goRunSource with a parent helper as its
// argument: a tree of four processes, the last of them listening.
func goRun(t *testing.T) *exec.Cmd {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH, which the go run case needs")
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(goRunSource), 0o644))
	exe, err := os.Executable()
	require.NoError(t, err)
	h := helper("parent")
	cmd := exec.Command(goTool, "run", "main.go", exe)
	cmd.Dir, cmd.Env = dir, h.Env
	return cmd
}

// buildWait bounds the wait for a tree's first lines, which for `go run`
// includes building the program: slow on a loaded machine.
const buildWait = 2 * time.Minute

// started is a tree as a test sees it.
type started struct {
	tree *proctree.Tree
	out  *tcptest.Output
	// leaderDone is closed when the started process has exited, and
	// treeDone when every process of the tree has: the tree's processes
	// all write to one pipe, which ends when the last of them is gone.
	leaderDone, treeDone chan struct{}
}

// start starts cmd with proctree, its output (and its children's) in one
// pipe. The tree is killed and closed when the test ends.
func start(t *testing.T, cmd *exec.Cmd) *started {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = w, w
	tree, err := proctree.Start(cmd)
	w.Close() // the tree's processes hold the only write ends now
	if err != nil {
		r.Close()
		t.Fatal(err)
	}
	s := &started{tree: tree, out: &tcptest.Output{}, leaderDone: make(chan struct{}), treeDone: make(chan struct{})}
	go func() {
		io.Copy(s.out, r) // until every process of the tree has exited
		r.Close()
		close(s.treeDone)
	}()
	go func() {
		cmd.Wait() // how it ended is not what these tests check
		close(s.leaderDone)
	}()
	t.Cleanup(func() {
		tree.Kill()  // Already gone is fine.
		tree.Close() // So is already closed.
		for _, done := range []chan struct{}{s.leaderDone, s.treeDone} {
			select {
			case <-done:
			case <-time.After(tcptest.Timeout):
				t.Errorf("a process of the tree still runs %v after Kill; it printed:\n%s", tcptest.Timeout, s.out.String())
				return
			}
		}
	})
	return s
}

// waitFor waits for a line of the tree's output starting with prefix, at
// most within, and returns it.
func (s *started) waitFor(t *testing.T, prefix string, within time.Duration) string {
	t.Helper()
	line, ok := s.out.Wait(prefix, within)
	if !ok {
		t.Fatalf("no line starting with %q within %v; the tree printed:\n%s", prefix, within, s.out.String())
	}
	return line
}

// listening waits for the child's line and returns the address it listens
// on, after checking that a client can connect there.
func (s *started) listening(t *testing.T, within time.Duration) string {
	t.Helper()
	fields := strings.Fields(s.waitFor(t, "child ", within))
	require.Len(t, fields, 4, "child PID listening ADDR")
	addr := fields[3]
	tcptest.Dial(t, addr)
	return addr
}

// gone waits for every process of the tree to have exited, at most
// tcptest.Timeout, and checks that nothing listens on addr any more.
func (s *started) gone(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(tcptest.Timeout)
	select {
	case <-s.treeDone:
	case <-time.After(time.Until(deadline)):
		t.Fatalf("a process of the tree still runs %v later; it printed:\n%s", tcptest.Timeout, s.out.String())
	}
	// A process that exits closes its files one by one, and the pipe may
	// close just before the listener does: a connection that still gets
	// in is reset, or closed, as the listener goes, and the next is
	// refused.
	for {
		c, err := net.DialTimeout("tcp", addr, time.Until(deadline))
		if err != nil {
			var netErr net.Error
			assert.False(t, errors.As(err, &netErr) && netErr.Timeout(), "dial %s: %v; want it refused", addr, err)
			return
		}
		require.NoError(t, c.SetDeadline(deadline))
		_, err = c.Read(make([]byte, 1))
		c.Close()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("%s still accepts connections and keeps them open", addr)
		}
	}
}

// Kill ends every process of the tree, however deep, and what listened
// frees its port.
func TestKill(t *testing.T) {
	t.Parallel()
	t.Run("a program and the child it started", func(t *testing.T) {
		t.Parallel()
		s := start(t, helper("parent"))
		addr := s.listening(t, tcptest.Timeout)
		s.waitFor(t, "parent ", tcptest.Timeout)
		require.NoError(t, s.tree.Kill())
		s.gone(t, addr)
	})

	t.Run("go run: go, the program it built, and that program's children", func(t *testing.T) {
		t.Parallel()
		s := start(t, goRun(t))
		addr := s.listening(t, buildWait)
		require.NoError(t, s.tree.Kill())
		s.gone(t, addr)
	})

	t.Run("a child whose parent has exited already", func(t *testing.T) {
		t.Parallel()
		s := start(t, helper("leaving-parent"))
		addr := s.listening(t, tcptest.Timeout)
		tcptest.Receive(t, s.leaderDone)
		tcptest.Dial(t, addr) // the child still serves
		require.NoError(t, s.tree.Kill())
		s.gone(t, addr)
	})

	t.Run("a tree that has ended: no error", func(t *testing.T) {
		t.Parallel()
		s := start(t, helper("lone"))
		tcptest.Receive(t, s.treeDone)
		tcptest.Receive(t, s.leaderDone)
		assert.NoError(t, s.tree.Kill())
	})
}

// Interrupt is Ctrl-C: every process of the tree gets os.Interrupt.
func TestInterrupt(t *testing.T) {
	t.Parallel()
	t.Run("every process of the tree gets os.Interrupt", func(t *testing.T) {
		t.Parallel()
		s := start(t, helper("parent"))
		addr := s.listening(t, tcptest.Timeout)
		parentPID := strings.TrimPrefix(s.waitFor(t, "parent ", tcptest.Timeout), "parent ")
		childPID := strings.Fields(s.waitFor(t, "child ", tcptest.Timeout))[1]
		if err := s.tree.Interrupt(); err != nil {
			if runtime.GOOS == "windows" {
				t.Log(err)
				t.Skip("Windows could not send Ctrl-Break to the program: console events reach only processes that share the test's console, and this test runs without one (as under some IDEs' test runners); run go test in a console window")
			}
			t.Fatal(err)
		}
		s.waitFor(t, "parent "+parentPID+" interrupted", tcptest.Timeout)
		s.waitFor(t, "child "+childPID+" interrupted", tcptest.Timeout)
		s.gone(t, addr)
	})

	t.Run("a tree that has ended: os.ErrProcessDone", func(t *testing.T) {
		t.Parallel()
		s := start(t, helper("lone"))
		tcptest.Receive(t, s.treeDone)
		tcptest.Receive(t, s.leaderDone)
		assert.ErrorIs(t, s.tree.Interrupt(), os.ErrProcessDone)
	})
}

// Close releases the job on Windows, which kills what is left in it; on
// Linux and macOS it does nothing at all.
func TestClose(t *testing.T) {
	t.Parallel()
	s := start(t, helper("parent"))
	addr := s.listening(t, tcptest.Timeout)
	require.NoError(t, s.tree.Close())
	if runtime.GOOS == "windows" {
		s.gone(t, addr)
	} else {
		tcptest.Dial(t, addr) // still served
	}
	assert.NoError(t, s.tree.Close(), "a second Close")
}

// A command that cannot start is an error, as with cmd.Start, and no tree.
func TestStartError(t *testing.T) {
	t.Parallel()
	tree, err := proctree.Start(exec.Command("proctree-test-no-such-program"))
	assert.Error(t, err)
	assert.Nil(t, tree)
}
