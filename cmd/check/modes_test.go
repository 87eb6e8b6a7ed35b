package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/wire"
)

// Helpers of the modes' tests: learners' folders made in the test, and
// output read as it comes.

// outsideModule is the environment in which the go command builds the
// learners' Go programs in gopath, a folder of the test's, outside the
// course's module: as GOPATH did before modules, from gopath/src. The
// stages use the standard library only.
func outsideModule(gopath string) []string {
	return []string{"GO111MODULE=off", "GOPATH=" + gopath}
}

// stageSource is the stage's main.go with the mutations made.
func stageSource(t *testing.T, stage string, muts ...mutation) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", stage, "main.go"))
	require.NoError(t, err)
	text := string(src)
	for _, m := range muts {
		require.Equal(t, 1, strings.Count(text, m.Find), "%q in %s/main.go", m.Find, stage)
		text = strings.Replace(text, m.Find, m.Replace, 1)
	}
	return text
}

// pythonExample is an example of examples/python with its port taken from
// its first argument, as the convention gives it.
func pythonExample(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(withPortArgument(t, filepath.Join("..", "..", "examples", "python", file)))
	require.NoError(t, err)
	return string(b)
}

// writeFiles writes each file, by its path under dir with /, making its
// folders.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	}
}

// hasPython reports whether Python 3 is here, without skipping the test.
func hasPython() bool {
	_, err := pythonPath()
	return err == nil
}

// waitLine waits at most within for a line of out, from line number from
// on, that starts with prefix, and returns the number of the line after
// it. The test fails without it.
func waitLine(t *testing.T, out *wire.Output, from int, prefix string, within time.Duration) int {
	t.Helper()
	_, n, ok := out.WaitLine(from, within, nil, func(l string) bool { return strings.HasPrefix(l, prefix) })
	require.True(t, ok, "no line %q within %v; the output:\n%s", prefix, within, out.String())
	return n + 1
}

// mutations the modes' tests make.
var (
	importTime = mutation{"\t\"syscall\"\n)", "\t\"syscall\"\n\t\"time\"\n)"}
	// A 05 that accepts a client and then does nothing, for ever.
	hangs05 = mutation{"\t\tn, err := conn.Read(reply[len(prefix):])", "\t\ttime.Sleep(time.Hour)\n\t\tn, err := conn.Read(reply[len(prefix):])"}
	// A 03 that listens, says where its process is, and then does
	// nothing, for ever.
	hangs03        = mutation{"\tfmt.Fprintln(out, \"Socket now listening\")\n", "\tfmt.Fprintln(out, \"Socket now listening\")\n\tos.WriteFile(filepath.Join(os.Getenv(\"CHECK_TEST_PIDS\"), fmt.Sprint(os.Getpid())), nil, 0o644)\n\ttime.Sleep(time.Hour)\n"}
	importFilepath = mutation{"\t\"os\"\n", "\t\"os\"\n\t\"path/filepath\"\n"}
)

// jsonCheckIn reads a check back, with the keys the tests look at.
type jsonCheckIn struct {
	Command string
	Error   *jsonError
	Verdict *jsonVerdict
}

// runEnvArgs is runArgs with more in the environment.
func runEnvArgs(more []string, args ...string) report {
	return runEnv(context.Background(), more, args...)
}

// The modes asked for wrongly: one line on stderr, exit status 2, nothing
// run.
func TestModeUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-ladder", "mine", "--", "python3", "x.py"}, "check: -ladder finds your programs itself"},
		{[]string{"-ladder", "mine", "-exercise", "05-2"}, "check: -ladder checks every stage it finds (or the one -stage names): no -exercise or -run"},
		{[]string{"-ladder", "mine", "-watch", "-stage", "05-loop"}, "check: -watch checks every stage of the ladder: no -stage"},
		{[]string{"-watch", "--", "true"}, "check: -watch goes with -ladder"},
		{[]string{"-csv", "--", "true"}, "check: -csv and -reports go with -each"},
		{[]string{"-each", "class/*/05", "--", "go", "run", "./x", "-addr", "127.0.0.1:{port}"}, "check: -each needs {dir} in the command"},
		{[]string{"-each", "class/*/05", "--", "python3", "{dir}/server.py"}, "check: -each checks several programs at once, each on a port of its own: put {port} in the command, or give -port 0"},
		{[]string{"-each", "class/[", "--", "true"}, `check: bad -each pattern "class/[": syntax error in pattern`},
		{[]string{"-each", "class/*/05", "-jobs", "0"}, "check: bad -jobs 0: 1 or more"},
		{[]string{"-ladder", "mine", "-each", "class/*"}, "check: -ladder or -each: one at a time"},
		{[]string{"--", "python3", "server.py", "-each", "class/*"}, "check: -each comes after your program's command"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runArgs(tc.args...)
			assert.Equal(t, 2, r.code)
			assert.Empty(t, r.text)
			assert.True(t, strings.HasPrefix(r.stderr, tc.want), "stderr %q; want it to start with %q", r.stderr, tc.want)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
		})
	}
	t.Run("with -json, a document of the mode asked for", func(t *testing.T) {
		for args, want := range map[string]string{
			"-ladder mine -watch -json":   "-watch shows a screen that changes, -json one document: choose one",
			"-each class/*/05 -csv -json": "-csv or -json: choose one",
		} {
			r := runArgs(strings.Fields(args)...)
			assert.Equal(t, 2, r.code)
			assert.Empty(t, r.stderr)
			var doc jsonDocIn
			require.NoError(t, json.Unmarshal([]byte(r.text), &doc), r.text)
			assert.Equal(t, strings.TrimPrefix(strings.Fields(args)[0], "-"), doc.Mode)
			if assert.NotNil(t, doc.Error, r.text) {
				assert.Equal(t, "usage", doc.Error.Cause)
				assert.Equal(t, want, doc.Error.Message)
			}
		}
	})
	t.Run("-port 0 instead of {port}: checked", func(t *testing.T) {
		r := runArgs("-each", filepath.Join(t.TempDir(), "*"), "-port", "0", "--", "python3", "{dir}/server.py")
		assert.Equal(t, 2, r.code)
		assert.Contains(t, r.stderr, "check: nothing matches ", "past the usage: the pattern matched nothing")
	})
}
