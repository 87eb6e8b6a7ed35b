package main

import (
	"fmt"
	"net"
	"os"
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

	"socketcourse/internal/course"

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
		{"a stage nearly right: did you mean", []string{"-stage", "05-loops", "--", "true"}, `check: unknown stage "05-loops": did you mean 05-loop? one of 01-bind, `},
		{"a stage's number: did you mean", []string{"-stage", "05", "--", "true"}, `check: unknown stage "05": did you mean 05-loop? `},
		{"a stage's word: did you mean", []string{"-stage", "goroutines", "--", "true"}, `check: unknown stage "goroutines": did you mean 06-goroutines? `},
		{"a bad flag", []string{"-nope", "--", "true"}, "check: flag provided but not defined: -nope; usage: "},
		{"a bad port", []string{"-port", "99999", "--", "true"}, "check: bad -port 99999"},
		{"a bad -wait", []string{"-wait", "0s", "--", "true"}, "check: -wait and -grace must be positive"},
		{"a duration without its unit", []string{"-idle", "2", "--", "true"}, `check: bad -idle "2": a duration with its unit, such as 2s or 500ms`},
		{"the checker's flag after the command", []string{"--", "python3", "server.py", "-stage", "05-loop"}, "check: -stage comes after your program's command, so it would go to your program: put the checker's flags before --, as in: go run ./cmd/check -stage 05-loop -- python3"},
		{"an unknown exercise", []string{"-exercise", "09-9", "--", "true"}, `check: unknown exercise "09-9": one of 05-2, 06-2, 07-2`},
		{"exercise 07-2 without -max", []string{"-exercise", "07-2", "--", "true"}, "check: exercise 07-2 needs -max N"},
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
			assert.Contains(t, r.text, "  "+sc.Name+" — "+sc.Proves+" (-run "+sc.Slug+")\n", "every scenario, what it shows, and its short name")
		}
		for _, st := range course.Stages {
			for _, e := range st.Exercises {
				assert.Contains(t, r.text, "  "+e.Name+" — "+e.What+"\n", "every exercise it checks")
			}
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

// What a learner gets for a program that cannot start, or stops at once:
// a start-up failure is one short block on stderr and exit status 2.
func TestProgramThatDoesNotRun(t *testing.T) {
	t.Parallel()
	t.Run("a program that does not exist: one block, exit 2", func(t *testing.T) {
		t.Parallel()
		r := check(t, "-stage", "05-loop", "--", filepath.Join(t.TempDir(), "no-such-server"), "{port}")
		assert.Equal(t, 2, r.code)
		assert.Empty(t, r.text)
		assert.Regexp(t, `^check: cannot start .*no-such-server: no such program\nhint: is the path right\?`, r.stderr)
		assert.LessOrEqual(t, strings.Count(r.stderr, "\n"), 3)
	})
	t.Run("a command that is not installed: one block, exit 2", func(t *testing.T) {
		t.Parallel()
		r := check(t, "--", "no-such-command-for-the-course", "{port}")
		assert.Equal(t, 2, r.code)
		assert.Equal(t, "check: cannot start no-such-command-for-the-course: no such program\nhint: is it installed, and is its name right? A program of yours needs its path, as in ./server.\n", r.stderr)
	})
	t.Run("go run of a program that does not build: the compiler's words once, at most 15 lines, exit 2", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		src := "package main\n\nfunc main() {\n"
		for i := 0; i < 30; i++ {
			src += fmt.Sprintf("\tundefined%d()\n", i)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(src+"}\n"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module mine\n\ngo 1.22\n"), 0o644))
		r := check(t, "--", goTool(), "run", filepath.Join(dir, "main.go"), "-addr", "127.0.0.1:{port}")
		assert.Equal(t, 2, r.code, r.text)
		assert.Empty(t, r.text)
		assert.Regexp(t, `^check: your program does not build \(go build .*main\.go\): exit status 1\n`, r.stderr)
		assert.Contains(t, r.stderr, "undefined: undefined0")
		assert.LessOrEqual(t, strings.Count(r.stderr, "\n  | "), 15, r.stderr)
	})
	t.Run("a program that exits at once: told at once, not after a timeout", func(t *testing.T) {
		t.Parallel()
		r := check(t, "-stage", "05-loop", "--", build(t, "05-loop"), "-addr", "nope{port}")
		assert.Equal(t, 1, r.code)
		assert.Equal(t, causeCrash, r.firstCause(), r.text)
		assert.Contains(t, r.text, "your program ended before a client could connect, with exit status 2, after \"bad -addr: ")
		assert.Contains(t, r.text, "| bad -addr: ")
	})
	t.Run("a program that fails the same way every time: what it printed is quoted once", func(t *testing.T) {
		t.Parallel()
		port := freePortForTest(t) // a free port, which the program never binds
		r := check(t, "-stage", "05-loop", "-port", strconv.Itoa(port), "--", build(t, "05-loop"), "-addr", "nope")
		assert.Equal(t, 1, r.code)
		assert.Equal(t, 1, strings.Count(r.text, "| bad -addr: address nope: missing port in address"), r.text)
		assert.Equal(t, 3, strings.Count(r.text, `(the same cause as above: crash, "bad -addr: address nope: missing port in address")`), r.text)
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

	t.Run("go run: the checker builds the program once, and reads its own exit status after Ctrl-C", func(t *testing.T) {
		t.Parallel()
		if testing.Short() {
			t.Skip("07's whole stage takes a while: not in a short run")
		}
		pkg07, err := filepath.Abs(filepath.Join("..", "..", "07-shutdown"))
		require.NoError(t, err)
		r := check(t, "-stage", "07-shutdown", "-idle", "5s", "--", goTool(), "run", pkg07, "-addr", "127.0.0.1:{port}", "-idle", "5s")
		assert.Equal(t, 0, r.code, r.text)
		assert.Contains(t, r.text, "(built once, with go build "+pkg07+")")
		res := r.result(t, "07-shutdown", "told-on-ctrl-c")
		assert.Equal(t, passed, res.status, r.text)
		assert.Empty(t, res.note, "the status was known: no note about go run")
	})

	t.Run("Ctrl-C of the checker: the program started with go run is stopped at once", func(t *testing.T) {
		t.Parallel()
		port := freePortForTest(t)
		addr := "127.0.0.1:" + strconv.Itoa(port)
		// 02-listen never answers: 03's scenarios wait -wait for a reply,
		// unless Ctrl-C stops the program first.
		pkg02, err := filepath.Abs(filepath.Join("..", "..", "02-listen"))
		require.NoError(t, err)
		cmd, out, done := checker(t, "-stage", "03-accept", "-wait", "60s", "-port", strconv.Itoa(port), "--", goTool(), "run", pkg02, "-addr", addr)
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
		_, err = net.DialTimeout("tcp", addr, 10*time.Second)
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
