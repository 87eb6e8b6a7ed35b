package main

import (
	"net"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/wire"
)

// A usage error is one line on stderr, exit status 2, and nothing run.
func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "check: no command to check: "},
		{"nothing after --", []string{"--"}, "check: no command to check: "},
		{"an unknown stage", []string{"-stage", "08-nope", "--", "true"}, `check: unknown stage "08-nope": one of 01-bind, `},
		{"a bad flag", []string{"-nope", "--", "true"}, "check: flag provided but not defined: -nope; usage: "},
		{"a bad port", []string{"-port", "99999", "--", "true"}, "check: bad -port 99999"},
		{"a bad -wait", []string{"-wait", "0s", "--", "true"}, "check: -wait and -grace must be positive"},
	} {
		t.Run(tc.name+": one line, exit 2", func(t *testing.T) {
			r := check(t, tc.args...)
			assert.Equal(t, 2, r.code)
			assert.Empty(t, r.text)
			assert.True(t, strings.HasPrefix(r.stderr, tc.want), "stderr %q; want it to start with %q", r.stderr, tc.want)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
		})
	}

	t.Run("-h: the usage on stdout, exit 0", func(t *testing.T) {
		r := check(t, "-h")
		assert.Equal(t, 0, r.code)
		assert.Contains(t, r.text, usageLine)
		assert.Contains(t, r.text, "-stage")
		for _, sc := range scenarios {
			assert.Contains(t, r.text, "  "+sc.name+" — "+sc.proves+"\n", "every scenario and what it shows")
		}
	})
}

func TestPortInUse(t *testing.T) {
	t.Parallel()
	t.Run("a port in use: one line before anything runs, exit 2", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer l.Close()
		port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
		r := check(t, "-port", port, "--", build(t, "06-goroutines"), "-addr", "127.0.0.1:"+port)
		assert.Equal(t, 2, r.code)
		assert.Empty(t, r.text, "nothing ran")
		assert.Regexp(t, `^check: port `+port+` is in use \([^\n]*\): [^\n]*\n$`, r.stderr)
	})
}

// What a learner gets for a program that cannot start, or stops at once.
func TestProgramThatDoesNotRun(t *testing.T) {
	t.Parallel()
	t.Run("a program that does not exist: every scenario fails saying so, exit 1", func(t *testing.T) {
		t.Parallel()
		r := check(t, "-stage", "05-loop", "--", filepath.Join(t.TempDir(), "no-such-server"), "{port}")
		assert.Equal(t, 1, r.code)
		assert.Contains(t, r.text, "cannot start ")
		assert.Contains(t, r.text, "is the command right?")
		assert.Equal(t, "does not meet 05-loop; read docs/05-loop.md", r.last)
	})
	t.Run("a program that exits at once: told at once, not after a timeout", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		r := check(t, "-stage", "05-loop", "--", build(t, "05-loop"), "-addr", "nope{port}")
		assert.Equal(t, 1, r.code)
		assert.Contains(t, r.text, "your program exited (exit status 2) before it accepted a connection")
		assert.Contains(t, r.text, "| bad -addr: ")
		assert.Less(t, time.Since(start), 10*time.Second, "the first contact gives up once the program has exited")
	})
	t.Run("a program that fails the same way every time: what it printed is quoted once", func(t *testing.T) {
		t.Parallel()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		port := l.Addr().(*net.TCPAddr).Port
		require.NoError(t, l.Close()) // a free port, which the program never binds
		r := check(t, "-stage", "05-loop", "-port", strconv.Itoa(port), "--", build(t, "05-loop"), "-addr", "nope")
		assert.Equal(t, 1, r.code)
		assert.Equal(t, 1, strings.Count(r.text, "| bad -addr: address nope: missing port in address"), r.text)
		assert.Equal(t, 3, strings.Count(r.text, "your program printed the same line as above"), r.text)
	})
}

// checker starts the checker as a real process, its output collected.
func checker(t *testing.T, args ...string) (*exec.Cmd, *wire.Output, chan error) {
	cmd := exec.Command(build(t, "cmd/check"), args...)
	out := &wire.Output{}
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill() // Already exited is fine.
		<-done
	})
	return cmd, out, done
}

// The checker stops the whole tree of the learner's program, on every run
// and when the checker itself is stopped with Ctrl-C. `go run` is the hard
// case: it starts the program as a child, which a kill of go run alone
// leaves running, holding the port.
func TestStopsTheWholeTree(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Windows cannot send Ctrl-C to the checker from a test")
	}
	pkg, err := filepath.Abs(filepath.Join("..", "..", "05-loop"))
	require.NoError(t, err)

	t.Run("go run on a fixed port: every run can bind it again, 05-loop met", func(t *testing.T) {
		t.Parallel()
		port := strconv.Itoa(freePortForTest(t))
		r := check(t, "-stage", "05-loop", "-port", port, "--", goTool(), "run", pkg, "-addr", "127.0.0.1:"+port)
		assert.Equal(t, 0, r.code, r.text)
		assert.Regexp(t, "^meets 05-loop", r.last, r.text)
	})

	t.Run("go run and Ctrl-C: go run's exit status is not held against the program", func(t *testing.T) {
		t.Parallel()
		pkg07, err := filepath.Abs(filepath.Join("..", "..", "07-shutdown"))
		require.NoError(t, err)
		r := check(t, "-stage", "07-shutdown", "--", goTool(), "run", pkg07, "-addr", "127.0.0.1:{port}")
		assert.Equal(t, 0, r.code, r.text)
		// go run exits with 1 after a Ctrl-C most of the time, and with 0
		// (the program's) when the program is done before go run has
		// seen the signal: either way the scenario passes, with a note
		// when the status could not be told.
		assert.Equal(t, "passed", r.verdicts["07-shutdown: "+name(t, "07-shutdown", toldOnCtrlC)], r.text)
	})

	t.Run("Ctrl-C of the checker: the program started with go run is stopped at once", func(t *testing.T) {
		t.Parallel()
		port := freePortForTest(t)
		addr := "127.0.0.1:" + strconv.Itoa(port)
		// 05-loop sends no welcome line: 06's first scenario waits -wait
		// for it, unless Ctrl-C stops the program first.
		cmd, out, done := checker(t, "-stage", "06-goroutines", "-wait", "60s", "-port", strconv.Itoa(port), "--", goTool(), "run", pkg, "-addr", addr)
		waitListening(t, addr)
		require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
		select {
		case err := <-done:
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit)
			assert.Equal(t, 1, exit.ExitCode())
		case <-time.After(30 * time.Second):
			t.Fatalf("the checker did not stop on Ctrl-C:\n%s", out.String())
		}
		done <- nil // for the cleanup
		assert.Contains(t, out.String(), "check: interrupted; your program was stopped")
		_, err := net.DialTimeout("tcp", addr, 10*time.Second)
		assert.Error(t, err, "nothing listens on %s any more", addr)
	})
}

// waitListening tries to connect to addr until something listens there.
func waitListening(t *testing.T, addr string) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			wire.Reset(c)
			return
		}
		require.True(t, time.Now().Before(deadline), "nothing listens on %s: %v", addr, err)
		time.Sleep(50 * time.Millisecond) // polling another process's port, not waiting on our own goroutines
	}
}

func freePortForTest(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
