package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A languageExample is one of the course's servers in another language
// than Go and Python (examples/node, java, rust, c), and how to build it.
type languageExample struct {
	file  string   // under examples/
	stage string   // the stage it is written to meet
	tools []string // the programs it needs, each looked up in PATH
	// slow says why it is skipped under -short, or "".
	slow string
	// byName is how its Bind failed line starts when it names the error
	// instead of giving its number (Node's err.code, Java's exception
	// class), or "".
	byName string
	// build builds src in dir and returns the command that runs it; the
	// checker adds the port and the idle time.
	build func(t *testing.T, src, dir string) []string
}

var languageExamples = []languageExample{
	{
		file: "node/06-server.js", stage: "06-goroutines", tools: []string{"node"},
		byName: "Bind failed. Error Code : EADDRINUSE Message ",
		build:  func(t *testing.T, src, _ string) []string { return []string{"node", src} },
	},
	{
		file: "node/07-shutdown.js", stage: "07-shutdown", tools: []string{"node"},
		slow:   "its idle timeout takes 7.5 s",
		byName: "Bind failed. Error Code : EADDRINUSE Message ",
		build:  func(t *testing.T, src, _ string) []string { return []string{"node", src} },
	},
	{
		file: "java/Server06.java", stage: "06-goroutines", tools: []string{"javac", "java"},
		slow:   "a JVM starts for each of some 25 runs",
		byName: "Bind failed. Error Code : BindException Message ",
		build:  buildJava("Server06"),
	},
	{
		file: "java/Server07.java", stage: "07-shutdown", tools: []string{"javac", "java"},
		slow:   "a JVM starts for each of some 25 runs, and its idle timeout takes 7.5 s",
		byName: "Bind failed. Error Code : BindException Message ",
		build:  buildJava("Server07"),
	},
	{
		file: "rust/06-threads.rs", stage: "06-goroutines", tools: []string{"rustc"},
		slow: "rustc -O takes seconds",
		build: func(t *testing.T, src, dir string) []string {
			exe := filepath.Join(dir, "server")
			compile(t, dir, "rustc", "-O", "-o", exe, src)
			return []string{exe}
		},
	},
	{
		file: "c/06-threads.c", stage: "06-goroutines", tools: []string{"gcc"},
		build: func(t *testing.T, src, dir string) []string {
			exe := filepath.Join(dir, "server")
			compile(t, dir, "gcc", "-Wall", "-Wextra", "-O2", "-pthread", "-o", exe, src)
			return []string{exe}
		},
	},
}

// buildJava compiles a class of examples/java with javac and runs it with
// java, as the example's README says.
func buildJava(class string) func(t *testing.T, src, dir string) []string {
	return func(t *testing.T, src, dir string) []string {
		compile(t, dir, "javac", "-Xlint:all", "-d", dir, src)
		return []string{"java", "-cp", dir, class}
	}
}

// compile runs a compiler in dir; the example must build without a word,
// warnings included.
func compile(t *testing.T, dir string, argv ...string) {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s:\n%s", strings.Join(argv, " "), out)
	assert.Empty(t, string(out), "%s: an example builds without warnings", strings.Join(argv, " "))
}

// The article's final server, and the course's 07 in the languages where a
// clean stop is natural, written in Node.js, Java, Rust and C as a teacher
// of each would write them (examples/*/README.md): each is built as its
// README says and checked twice, as its stage (it must meet it) and as a
// run of every stage (it must behave like its stage, and meet it). Each
// runs where its language is installed, and says so where it is not.
func TestLanguageExamples(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the examples in other languages are measured on Linux only; on Windows, C has no POSIX sockets and the JVM takes the checker's Ctrl-Break for a thread dump")
	}
	t.Parallel()
	for _, ex := range languageExamples {
		t.Run(ex.file, func(t *testing.T) {
			t.Parallel()
			for _, tool := range ex.tools {
				if _, err := exec.LookPath(tool); err != nil {
					t.Skipf("%s is not installed: the example cannot be built or run here", tool)
				}
			}
			if testing.Short() && ex.slow != "" {
				t.Skipf("-short: %s", ex.slow)
			}
			src, err := filepath.Abs(filepath.Join("..", "..", "examples", filepath.FromSlash(ex.file)))
			require.NoError(t, err)
			command := ex.build(t, src, t.TempDir())

			// Every example takes its port from its first argument. 07's
			// idle time is 5 s, not less: the other scenarios of the run
			// (100 clients in waves of ten) must not be timed out.
			args := append([]string{"--"}, command...)
			args = append(args, "{port}")
			if ex.stage == "07-shutdown" {
				args = append([]string{"-idle", "5s"}, append(args, "--idle", "5s")...)
			}
			reports := concurrently([]string{"stage", "full"}, func(run string) report {
				if run == "stage" {
					return checkArgs(append([]string{"-stage", ex.stage}, args...)...)
				}
				return checkArgs(args...)
			})

			one := reports["stage"]
			assert.Equal(t, 0, one.code, one.text+one.stderr)
			assert.Regexp(t, "^meets "+ex.stage+"; ", one.last, one.text)

			full := reports["full"]
			assert.Equal(t, 0, full.code, full.text+full.stderr)
			assert.Regexp(t, "^behaves like "+ex.stage+"; ", full.last, full.text)
			for _, stage := range stages[:stageIndex(ex.stage)+1] {
				assert.Empty(t, full.failed(stage), full.text)
			}
		})
	}
}
