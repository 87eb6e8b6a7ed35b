package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusDir holds programs written as learners write them, each with the
// verdict the checker should give it, written in manifest.md before the
// checker ran on it (testdata/corpus/README.md).
var corpusDir = filepath.Join("testdata", "corpus")

// corpusRow is a line of the manifest.
type corpusRow struct {
	file       string // under corpusDir
	writtenFor string // the stage the learner meant
	behaves    string // what a full run says: a stage, none, or startup
	meets      bool   // checked with -stage writtenFor
	cause      cause  // the first failed scenario's cause with -stage writtenFor; "" for none
	diffs      []string
	ignores    bool   // the program ignores the port it is given
	idle       string // -idle for the checker (and a Go program), if any
	why        string
}

// readManifest reads manifest.md and manifest-more.md, which has the
// columns lang, build and teacher says besides.
func readManifest(t *testing.T) []corpusRow {
	t.Helper()
	var rows []corpusRow
	for _, name := range []string{"manifest.md", "manifest-more.md"} {
		text, err := os.ReadFile(filepath.Join(corpusDir, name))
		require.NoError(t, err)
		var head []string
		for _, line := range strings.Split(string(text), "\n") {
			if !strings.HasPrefix(line, "| ") {
				continue
			}
			cells := strings.Split(strings.Trim(line, "| "), " | ")
			switch {
			case cells[0] == "file":
				head = nil
				if slices.Contains(cells, "written for") {
					head = cells // a table of verdicts, not one about them
				}
				continue
			case head == nil || strings.HasPrefix(cells[0], "---") || len(cells) != len(head):
				continue
			}
			cell := map[string]string{}
			for i, h := range head {
				cell[h] = cells[i]
			}
			r := corpusRow{file: cell["file"], writtenFor: cell["written for"], behaves: cell["behaves like"], meets: cell["meets its stage"] == "yes", why: cell["why"]}
			if c := cell["first cause"]; c != "-" {
				r.cause = cause(c)
			}
			if d := cell["differences"]; d != "-" {
				for _, k := range strings.Split(d, ",") {
					r.diffs = append(r.diffs, strings.TrimSpace(k))
				}
				sort.Strings(r.diffs)
			}
			for _, p := range strings.Split(cell["port"], ",") {
				switch v, ok := strings.CutPrefix(p, "idle="); {
				case p == "ignores-port":
					r.ignores = true
				case ok:
					r.idle = v
				}
			}
			rows = append(rows, r)
		}
	}
	require.NotEmpty(t, rows, "the manifests have rows")
	return rows
}

// goCorpus are the manifest's Go rows: each a stage of the course with a
// learner's change made in it, as the wrong servers are (mutants_test.go),
// many with the same mutations; the verdict is the manifest's, written
// before the checker ran.
var goCorpus = map[string]struct {
	stage string
	muts  []mutation
}{
	// net.Listen, then wait for Ctrl-C without accepting: 02 as a learner
	// of net writes it.
	"go/02-listen-net": {"03-accept", []mutation{{"if err := serve(l, out); err != nil {", "select {} // listen(), then wait: nothing accepts\n\tif err := serve(l, out); err != nil {"}}},
	"go/03-localaddr":  {"03-accept", []mutation{localAddr}},
	"go/04-write-buf":  {"04-echo-once", []mutation{{"conn.Write(buf[:n])", "conn.Write(buf)"}}},
	// The page's exercise 2: an empty connection ends only itself.
	"go/05-continue-on-empty": {"05-loop", []mutation{goOnOnEmpty}},
	// defer conn.Close() in the accept loop, and no other close.
	"go/05-defer-close": {"05-loop", []mutation{deferInLoop, noCloseInLp, {"if n == 0 && errors.Is(err, io.EOF) {\n\t\t\tconn.Close()\n\t\t\treturn nil", "if n == 0 && errors.Is(err, io.EOF) {\n\t\t\treturn nil"}}},
	// log.Fatal on any error of Read, io.EOF included.
	"go/06-fatal-on-eof":         {"06-goroutines", []mutation{{"import (\n\t\"errors\"", "import (\n\t\"errors\"\n\t\"log\""}, {"if !errors.Is(err, io.EOF) {\n\t\t\t\tfmt.Fprintln(out, \"Connection failed:\", err)\n\t\t\t}\n\t\t\treturn", "log.Fatal(err)"}}},
	"go/06-hardcoded-8888":       {"06-goroutines", []mutation{{`l, err := net.Listen("tcp", addr)`, `l, err := net.Listen("tcp", ":8888")`}}},
	"go/06-nogo":                 {"06-goroutines", []mutation{noGo}},
	"go/06-ok-space":             {"06-goroutines", []mutation{{`const prefix = "OK..."`, `const prefix = "OK... "`}}},
	"go/06-typo":                 {"06-goroutines", []mutation{{`fmt.Fprintln(out, "Socket now listening")`, `fmt.Fprintln(out, "Socket now listenning")`}}},
	"go/06-welcome-names-client": {"06-goroutines", []mutation{welcomeNames}},
	"go/07-deadline-per-conn":    {"07-shutdown", []mutation{idleOnceVar, idleOnce}},
	"go/07-exit-on-accept-error": {"07-shutdown", []mutation{exitOnAccept}},
	"go/07-exit-status-1":        {"07-shutdown", []mutation{exit1OnStop}},
	"go/07-no-goodbye":           {"07-shutdown", []mutation{{"conn.SetReadDeadline(time.Now()) // wakes", "conn.Close() // wakes"}}},
	"go/07-no-idle":              {"07-shutdown", []mutation{{"conn.SetDeadline(time.Now().Add(s.idle)) // Fails only on a closed conn, which Read reports.", "// no deadline"}}},
	"go/07-own-words": {"07-shutdown", []mutation{
		{"\t\t\ts.goodbye(conn, \"Server is shutting down. Goodbye.\\n\", s.grace)\n\t\t\treturn", "\t\t\ts.goodbye(conn, \"Bye! The server is going down.\\n\", s.grace)\n\t\t\treturn"},
		{"\t\ts.goodbye(conn, \"Server is shutting down. Goodbye.\\n\", s.grace)\n", "\t\ts.goodbye(conn, \"Bye! The server is going down.\\n\", s.grace)\n"},
		{`s.goodbye(conn, fmt.Sprintf("You have been idle for %v. Goodbye.\n", s.idle), time.Second)`, `s.goodbye(conn, "Too quiet here. Bye!\n", time.Second)`},
	}},
}

var (
	pythonPort = regexp.MustCompile(`(?m)^PORT = (8888|5000)\b.*$`)
	cPort      = regexp.MustCompile(`(?m)^#define PORT 8888\b.*$`)
	nodePort   = regexp.MustCompile(`(?m)^const PORT = 8888;`)
	javaPort   = regexp.MustCompile(`static final int PORT = 8888;`)
	rustPort   = regexp.MustCompile(`"0\.0\.0\.0:8888"`)
)

// tool returns the path of a compiler or runtime the program needs, or
// skips the test where it is not installed.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed: the program cannot be built or run here", name)
	}
	return p
}

// prepare makes a corpus program ready to check, as its README says: its
// port from the checker (PORT, or -addr for Go), or, for a program that
// ignores the port it is given, another free port written into it. It
// returns the checker's arguments up to and including the command.
func (r corpusRow) prepare(t *testing.T, dir string) []string {
	t.Helper()
	src := filepath.Join(corpusDir, r.file)
	port := func(text string, re *regexp.Regexp, with string) string {
		if r.ignores {
			return strings.ReplaceAll(text, "8888", strconv.Itoa(freePortForTest(t)))
		}
		require.Equal(t, 1, len(re.FindAllString(text, -1)), "%s sets its port once", r.file)
		return re.ReplaceAllString(text, with)
	}
	var args []string
	if r.idle != "" {
		args = append(args, "-idle", r.idle)
	}
	switch filepath.Ext(r.file) {
	case ".py":
		text, err := os.ReadFile(src)
		require.NoError(t, err)
		file := filepath.Join(dir, filepath.Base(r.file))
		require.NoError(t, os.WriteFile(file, []byte(port(string(text), pythonPort, "PORT = int(__import__('os').environ['PORT'])")), 0o644))
		return append(args, "-port", "0", "--", python3(t), file)
	case ".c":
		gcc, err := exec.LookPath("gcc")
		if err != nil {
			t.Skip("gcc is not installed: the C programs cannot be built here")
		}
		text, err := os.ReadFile(src)
		require.NoError(t, err)
		file := filepath.Join(dir, "server.c")
		require.NoError(t, os.WriteFile(file, []byte(port(string(text), cPort, `#define PORT atoi(getenv("PORT"))`)), 0o644))
		exe := filepath.Join(dir, "server")
		out, err := exec.Command(gcc, "-pthread", "-include", "stdlib.h", "-o", exe, file).CombinedOutput()
		require.NoError(t, err, "%s", out)
		return append(args, "-port", "0", "--", exe)
	case ".js":
		node := tool(t, "node")
		text, err := os.ReadFile(src)
		require.NoError(t, err)
		file := filepath.Join(dir, filepath.Base(r.file))
		require.NoError(t, os.WriteFile(file, []byte(port(string(text), nodePort, "const PORT = Number(process.env.PORT);")), 0o644))
		return append(args, "-port", "0", "--", node, file)
	case ".java":
		javac, java := tool(t, "javac"), tool(t, "java")
		text, err := os.ReadFile(src)
		require.NoError(t, err)
		file := filepath.Join(dir, filepath.Base(r.file))
		require.NoError(t, os.WriteFile(file, []byte(port(string(text), javaPort, `static final int PORT = Integer.parseInt(System.getenv("PORT"));`)), 0o644))
		out, err := exec.Command(javac, "-d", dir, file).CombinedOutput()
		require.NoError(t, err, "%s", out)
		return append(args, "-port", "0", "--", java, "-cp", dir, strings.TrimSuffix(filepath.Base(r.file), ".java"))
	case ".rs":
		rustc := tool(t, "rustc")
		text, err := os.ReadFile(src)
		require.NoError(t, err)
		file := filepath.Join(dir, filepath.Base(r.file))
		require.NoError(t, os.WriteFile(file, []byte(port(string(text), rustPort, `format!("0.0.0.0:{}", std::env::var("PORT").unwrap())`)), 0o644))
		exe := filepath.Join(dir, "server")
		out, err := exec.Command(rustc, "--edition", "2021", "--crate-name", "server", "-o", exe, file).CombinedOutput()
		require.NoError(t, err, "%s", out)
		return append(args, "-port", "0", "--", exe)
	}
	g, ok := goCorpus[r.file]
	require.True(t, ok, "%s: a Go row names a mutation in goCorpus (corpus_test.go)", r.file)
	muts, name := g.muts, strings.ReplaceAll(r.file, "/", "-")
	if r.ignores {
		// Its own fixed port, another free one: the two runs side by side
		// need two.
		port := strconv.Itoa(freePortForTest(t))
		muts = nil
		for _, m := range g.muts {
			muts = append(muts, mutation{m.Find, strings.ReplaceAll(m.Replace, "8888", port)})
		}
		name += "-" + port
	}
	exe := buildMutant(t, name, g.stage, muts...)
	args = append(args, "--", exe, "-addr", "127.0.0.1:{port}")
	if r.idle != "" {
		args = append(args, "-idle", r.idle)
	}
	return args
}

// Every program of the corpus gets the verdict written for it in the
// manifest: the stage it behaves like, in a run of every stage; and,
// checked as the stage its learner meant, whether it meets it, the cause
// of its first failure, and the differences in its text. The corpus takes
// minutes: it runs with CHECK_LONG=1 (as CI does), and in a short run not
// at all.
func TestCorpus(t *testing.T) {
	if !longTests || testing.Short() {
		t.Skip("the corpus takes minutes: run it with CHECK_LONG=1 go test ./cmd/check -run TestCorpus")
	}
	t.Parallel()
	rows := readManifest(t)
	argsOf := map[string][]string{}
	var keys []string
	for i, r := range rows {
		dir := filepath.Join(t.TempDir(), strconv.Itoa(i)) // the parent's: it outlives the subtest
		require.NoError(t, os.Mkdir(dir, 0o755))
		t.Run("prepare "+r.file, func(t *testing.T) {
			args := r.prepare(t, dir)
			argsOf[r.file+" full"] = args
			if r.ignores {
				// Its own fixed port: the two runs side by side need two.
				require.NoError(t, os.Mkdir(filepath.Join(dir, "2"), 0o755))
				args = r.prepare(t, filepath.Join(dir, "2"))
			}
			argsOf[r.file+" stage"] = append([]string{"-stage", r.writtenFor}, args...)
			keys = append(keys, r.file+" full", r.file+" stage")
		})
	}
	reports := concurrently(keys, func(k string) report { return checkArgs(argsOf[k]...) })
	for _, r := range rows {
		t.Run(r.file, func(t *testing.T) {
			full, stage := reports[r.file+" full"], reports[r.file+" stage"]
			if full.checked == nil && stage.checked == nil {
				t.Skip("not prepared here")
			}
			if runtime.GOOS != "linux" && (r.ignores || r.cause == causeAcceptExit) {
				t.Skip("what the checker says of it needs Linux's /proc or prlimit")
			}
			why := fmt.Sprintf("%s (%s)\nfull run:\n%s%s\n-stage %s:\n%s%s", r.file, r.why, full.text, full.stderr, r.writtenFor, stage.text, stage.stderr)
			assert.Equal(t, r.behaves, behavesWord(full), "behaves like: %s", why)
			assert.Equal(t, r.meets, stage.code == 0, "meets %s: %s", r.writtenFor, why)
			assert.Equal(t, r.cause, stage.firstCause(), "first cause: %s", why)
			assert.Equal(t, r.diffs, stage.diffKinds(), "differences: %s", why)
			// About 60 lines, whatever the program (more with -v). Measured
			// over the corpus of 93 programs (issues 21 and 22): a full run's
			// median 35, at most 79 (a Java 06 failing in 01, 04, 06, 07 and
			// 08, each with its evidence, 08's in a line each); one stage's
			// median 18, at most 45.
			t.Logf("report lines: full %d, one stage %d", strings.Count(full.text, "\n"), strings.Count(stage.text, "\n"))
			assert.LessOrEqual(t, strings.Count(full.text, "\n"), 80, "full report's lines: %s", why)
			assert.LessOrEqual(t, strings.Count(stage.text, "\n"), 60, "one stage's report lines: %s", why)
		})
	}
}

// behavesWord is what a full run says, in the manifest's words.
func behavesWord(r report) string {
	switch {
	case r.checked != nil && r.startup != nil:
		return "startup"
	case r.checked == nil:
		return "usage"
	case r.view.behaves == nil:
		return "none"
	}
	return r.view.behaves.Folder
}

// TestCorpusTimes measures how long the checker takes on the corpus, one
// check at a time on a quiet machine: a full run and one stage, each with
// a port of its own for every run and on one fixed port. It asserts
// nothing; scripts/check-timing.sh runs it, and it writes a table to the
// file CHECK_TIMES names. Fixed-port runs are one after another and slow:
// with CHECK_TIMES_EVERY=n only every n-th program has them.
func TestCorpusTimes(t *testing.T) {
	out := os.Getenv("CHECK_TIMES")
	if out == "" {
		t.Skip("a measurement, not a test: scripts/check-timing.sh runs it")
	}
	every, _ := strconv.Atoi(os.Getenv("CHECK_TIMES_EVERY"))
	every = max(every, 1)
	scenarioSlots = 16 // as a learner's checker runs
	modes := []string{"full, {port}", "one stage, {port}", "full, fixed port", "one stage, fixed port"}
	times := map[string][]time.Duration{}
	var rows []string
	for i, r := range readManifest(t) {
		dir := filepath.Join(t.TempDir(), strconv.Itoa(i))
		require.NoError(t, os.Mkdir(dir, 0o755))
		args := r.prepare(t, dir)
		line := "| " + r.file
		for m, mode := range modes {
			a := append([]string(nil), args...)
			if m >= 2 {
				if i%every != 0 || r.ignores {
					line += " | "
					continue
				}
				a = fixedPort(a, freePortForTest(t))
			}
			if m%2 == 1 {
				a = append([]string{"-stage", r.writtenFor}, a...)
			}
			start := time.Now()
			checkArgs(a...)
			d := time.Since(start)
			times[mode] = append(times[mode], d)
			line += fmt.Sprintf(" | %.1f", d.Seconds())
		}
		rows = append(rows, line+" |")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| mode | programs | min | median | max |\n| --- | --- | --- | --- | --- |\n")
	for _, mode := range modes {
		d := times[mode]
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		if len(d) > 0 {
			fmt.Fprintf(&b, "| %s | %d | %.1f s | %.1f s | %.1f s |\n", mode, len(d), d[0].Seconds(), d[len(d)/2].Seconds(), d[len(d)-1].Seconds())
		}
	}
	fmt.Fprintf(&b, "\n| program | %s |\n| --- | --- | --- | --- | --- |\n%s\n", strings.Join(modes, " | "), strings.Join(rows, "\n"))
	require.NoError(t, os.WriteFile(out, []byte(b.String()), 0o644))
}

// fixedPort turns a corpus check's arguments from a port of its own for
// each run into the fixed port: -port 0 becomes -port port, and a Go
// program's {port} the port.
func fixedPort(args []string, port int) []string {
	p := strconv.Itoa(port)
	for i, a := range args {
		if a == "0" && i > 0 && args[i-1] == "-port" {
			args[i] = p
		}
		args[i] = strings.ReplaceAll(args[i], "{port}", p)
	}
	if !contains(args, "-port") {
		args = append([]string{"-port", p}, args...)
	}
	return args
}
