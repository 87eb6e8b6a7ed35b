package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Programs as learners write them after the article, in Python: the
// article's own programs (examples/python) with one change each, made in
// the test so that they follow the examples.
func pythonVariant(t *testing.T, example string, changes ...[2]string) string {
	t.Helper()
	path := withPortArgument(t, filepath.Join("..", "..", "examples", "python", example))
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(src)
	for _, c := range changes {
		require.Equal(t, 1, strings.Count(text, c[0]), "%q in %s", c[0], example)
		text = strings.Replace(text, c[0], c[1], 1)
	}
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

// Finding 2: the article's 05 as published closes a client only when the
// next one is accepted (its conn.close() comes after the loop): it meets
// 05. Finding 5: hints in Python's words, from evidence.
func TestPythonLearners(t *testing.T) {
	t.Parallel()
	python := python3(t)
	cases := []struct {
		name    string
		example string
		changes [][2]string
		stage   string
		last    string
		cause   cause
		says    string
	}{
		{"the article's 05 as published", "05-loop.py", [][2]string{{"    conn.sendall(reply)\n    conn.close()\n", "    conn.sendall(reply)\n\nconn.close()\n"}},
			"05-loop", "meets 05-loop; next: 06-goroutines (docs/06-goroutines.md)", "", ""},
		{"threading.Thread without daemon=True", "06-threads.py", [][2]string{{"from _thread import *", "import threading"}, {"start_new_thread(clientthread ,(conn,))", "threading.Thread(target=clientthread, args=(conn,)).start()"}},
			"06-goroutines", "does not meet 06-goroutines; read docs/06-goroutines.md", causeAliveAfterCtlC, "daemon=True"},
		{"str(data) in the reply", "06-threads.py", [][2]string{{"reply = b'OK...' + data", "reply = ('OK...' + str(data)).encode()"}},
			"06-goroutines", "does not meet 06-goroutines; read docs/06-goroutines.md", causeStrBytes, `"OK...b'hello\\r\\n'"`},
		// A spin is a spin (issue 20): not "no reply".
		{"while not data: pass", "05-loop.py", [][2]string{{"    if not data:\n        break\n", "    while not data:\n        pass\n"}},
			"05-loop", "does not meet 05-loop; read docs/05-loop.md", causeBusyLoop, "while not data: pass never calls recv again"},
		{"no try around bind: a traceback", "01-bind.py", [][2]string{{"try:\n    s.bind((HOST, PORT))", "s.bind((HOST, PORT))\ntry:\n    pass"}},
			"01-bind", "does not meet 01-bind; read docs/01-bind.md", causeCrash, `OSError: [Errno 98] Address already in use`},
	}
	if testing.Short() {
		cases = cases[:2] // the published 05, and threads that outlive Ctrl-C
	}
	paths := map[string]string{}
	var names []string
	for _, tc := range cases {
		paths[tc.name] = pythonVariant(t, tc.example, tc.changes...)
		names = append(names, tc.name)
	}
	stageOf := map[string]string{}
	for _, tc := range cases {
		stageOf[tc.name] = tc.stage
	}
	reports := concurrently(names, func(name string) report {
		return checkArgs("-stage", stageOf[name], "--", python, paths[name], "{port}")
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cause == causeBusyLoop && runtime.GOOS != "linux" {
				t.Skip("the checker sees how busy a program is in Linux's /proc only")
			}
			r := reports[tc.name]
			assert.Equal(t, tc.last, r.last, r.text)
			assert.Equal(t, tc.cause, r.firstCause(), r.text)
			if tc.says != "" {
				assert.Contains(t, r.text, tc.says)
			}
			assert.NotContains(t, r.text, "defer", "no Go words for a Python program")
		})
	}
}

// Finding 5: the same program gets the same first hint every run, and
// finding 6: what it printed is all there in the report, every run.
func TestSameEveryRun(t *testing.T) {
	t.Parallel()
	// Ten runs of the first and thirty of the second; with CHECK_LONG=1
	// (CI) a hundred of the second; in a short run, a few.
	runs, outputs := 10, 30
	switch {
	case longTests:
		outputs = 100
	case testing.Short():
		runs, outputs = 3, 10
	}
	// A 06 that dies on a client's EOF: the empty client's scenario fails,
	// and other scenarios may see it die in other ways; the first cause
	// and its hint must not depend on timing.
	exe := buildMutant(t, "exitoneof", "06-goroutines", exitOnEOF)
	// A 06 that prints a line and hangs up right after the welcome: the
	// line comes just before the failure the client sees, and names no
	// client: nothing but reading all the program printed finds it.
	hangs := buildMutant(t, "sayshangup", "06-goroutines", mutation{"\t// reply = 'OK...' + data, built in place", "\tfmt.Fprintln(out, \"hanging up now\")\n\treturn\n\t// reply = 'OK...' + data, built in place"})
	var wg sync.WaitGroup
	firsts := make([]string, runs)
	reports := make([]report, outputs)
	for i := 0; i < runs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := checkArgs("-stage", "06-goroutines", "--", exe, "-addr", "127.0.0.1:{port}")
			firsts[i] = string(r.firstCause()) + ": " + firstHint(r)
		}()
	}
	for i := range reports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reports[i] = checkArgs("-run", "every-message", "--", hangs, "-addr", "127.0.0.1:{port}")
		}()
	}
	wg.Wait()
	for i := 1; i < runs; i++ {
		assert.Equal(t, firsts[0], firsts[i], "run %d", i)
	}
	assert.Contains(t, firsts[0], "crash: your program crashed")
	for i, r := range reports {
		res := r.result(t, "06-goroutines", "every-message")
		assert.Equal(t, failed, res.status, r.text)
		printed := strings.Join(res.printed, "\n")
		assert.Contains(t, printed, "Connected with 127.0.0.1:", "run %d", i)
		assert.Contains(t, printed, "hanging up now", "run %d: the line printed just before the failure", i)
	}
}

// firstHint is the hint of the first failed scenario.
func firstHint(r report) string {
	if f := r.view.firstFailure(); f != nil {
		return f.hint
	}
	return ""
}
