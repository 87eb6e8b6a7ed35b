package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The article's six programs in Python 3 (examples/python), written as the
// article writes them: plain print, no flush, a fixed port. Each is
// recognised as its stage. The checker's environment has no
// PYTHONUNBUFFERED (the machines the course is written on set it), so the
// test shows that the checker sets it itself: Python buffers what it
// prints into a pipe otherwise.
func TestPythonPorts(t *testing.T) {
	t.Parallel()
	python := python3(t)
	ports := map[string]string{
		"01-bind.py":      "01-bind",
		"02-listen.py":    "02-listen",
		"03-accept.py":    "03-accept",
		"04-echo-once.py": "04-echo-once",
		"05-loop.py":      "05-loop",
		"06-threads.py":   "06-goroutines",
	}
	if testing.Short() {
		ports = map[string]string{"05-loop.py": "05-loop", "06-threads.py": "06-goroutines"}
	}
	scripts := map[string]string{}
	var files []string
	for file := range ports {
		scripts[file] = withPortArgument(t, filepath.Join("..", "..", "examples", "python", file))
		files = append(files, file)
	}
	// The environment the checker runs in, without PYTHONUNBUFFERED.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PYTHONUNBUFFERED=") {
			env = append(env, kv)
		}
	}
	reports := concurrently(files, func(file string) report {
		return checkEnv(env, "--", python, scripts[file], "{port}")
	})
	for _, file := range files {
		stage := ports[file]
		t.Run(file+" behaves like "+stage, func(t *testing.T) {
			r := reports[file]
			assert.Equal(t, 0, r.code, r.text+r.stderr)
			assert.Regexp(t, "^behaves like "+stage+"; ", r.last, r.text)
			assert.Empty(t, r.failed(stage), r.text)
			bind := r.result(t, "01-bind", "bind-failed")
			assert.Equal(t, passed, bind.status, r.text)
			assert.Contains(t, bind.note, "it exited with status 0, as the article's sys.exit() does", "a note, not a failure")
		})
	}
}

var portLine = regexp.MustCompile(`(?m)^PORT = \d+`)

// withPortArgument copies the script into a folder of the test's with its
// fixed port (the article's 8888, or 5000) taken from its first argument
// instead, so that the checker gives each run a port of its own ({port}),
// runs them side by side, and the test runs beside a server on 8888.
// Nothing else changes: the prints are the article's, unflushed.
func withPortArgument(t *testing.T, path string) string {
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Regexp(t, portLine, string(src), "the script sets its port as the article does")
	require.Contains(t, string(src), "\nimport sys\n")
	copied := filepath.Join(t.TempDir(), filepath.Base(path))
	src = portLine.ReplaceAll(src, []byte("PORT = int(sys.argv[1])"))
	require.NoError(t, os.WriteFile(copied, src, 0o644))
	return copied
}

// The article's own code is Python 2: run as it is, Python 3 stops at its
// first print. The check cannot run: one block says why and where the
// Python 3 ports are, exit status 2.
func TestPython2(t *testing.T) {
	t.Parallel()
	python := python3(t)
	script := filepath.Join(t.TempDir(), "server.py")
	require.NoError(t, os.WriteFile(script, []byte("import socket\nimport sys\nprint 'Socket created'\n"), 0o644))
	r := check(t, "-stage", "01-bind", "--", python, script, "{port}")
	assert.Equal(t, 2, r.code, r.text)
	assert.Contains(t, r.stderr, "check: your program is Python 2, as the article's code is", r.stderr)
	assert.Contains(t, r.stderr, "    print 'Socket created'\n", "Python's own words, quoted")
	assert.Contains(t, r.stderr, "examples/python/README.md", r.stderr)
}

// python3 returns the Python 3 interpreter itself, not a launcher in front
// of it (pyenv's shim is a shell script that costs more than Python's own
// start, and the checker starts a program about 25 times), or skips the
// test without one.
func python3(t *testing.T) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: Python programs cannot run here")
	}
	if out, err := exec.Command(python, "-c", "import sys; print(sys.executable)").Output(); err == nil && strings.TrimSpace(string(out)) != "" {
		python = strings.TrimSpace(string(out))
	}
	return python
}
