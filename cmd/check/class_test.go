package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/tcptest"
)

// A class student: a program in a folder of its own, and the row the
// class table must have for it.
type classmate struct {
	name   string
	files  map[string]string // its files, by their path in its folder
	python bool              // it needs Python 3
	heavy  bool              // left out with -short: it costs seconds
	row    []string          // its verdict, then a cell per scenario
}

// theClass is a class of 05-loop programs: right, wrong, hanging,
// flooding, forking, not compiling, in Go and Python.
func theClass(t *testing.T) []classmate {
	pyRight, pyFork := "", ""
	if hasPython() {
		pyRight = pythonExample(t, "05-loop.py")
		pyFork = strings.Replace(pyRight, "import sys\n", "import sys\nimport subprocess\n# A child that outlives any client: the checker ends it with its parent.\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n", 1)
	}
	met := []string{"meets 05-loop", "passed", "passed", "passed", "passed"}
	cannot := func(c cause) []string { return []string{"cannot run: " + string(c), "—", "—", "—", "—"} }
	return []classmate{
		{name: "go-right", files: map[string]string{"main.go": stageSource(t, "05-loop")}, row: met},
		{name: "go-neverclose", files: map[string]string{"main.go": stageSource(t, "05-loop", deferInLoop, noCloseInLp)},
			row: []string{"does not meet 05-loop", "FAILED (never-closes)", "passed", "passed", "passed"}},
		{name: "go-hangs", heavy: true, files: map[string]string{"main.go": stageSource(t, "05-loop", importTime, hangs05)},
			row: []string{"does not meet 05-loop", "FAILED (no-reply)", "passed", "FAILED (no-reply)", "FAILED (no-reply)"}},
		{name: "go-broken", files: map[string]string{"main.go": "package main\n\nfunc main() {\n\tfmt.Println(\"Socket created\")\n}\n"}, row: cannot(causeCompileError)},
		{name: "py-right", python: true, files: map[string]string{"server.py": pyRight}, row: met},
		{name: "py-forks", python: true, heavy: true, files: map[string]string{"server.py": pyFork}, row: met},
		{name: "py-floods", python: true, heavy: true, files: map[string]string{"server.py": "while True:\n    print('Socket created ' * 8)\n"},
			row: []string{"does not meet 05-loop", "FAILED (never-listens)", "FAILED (never-listens)", "FAILED (never-listens)", "FAILED (never-listens)"}},
		{name: "py2", python: true, heavy: true, files: map[string]string{"server.py": "import socket\nimport sys\nprint 'Socket created'\n"}, row: cannot(causePython2)},
	}
}

// makeClass writes the class in a folder of the test's, each program in
// class/NAME/05, and returns the folder, the classmates in it, and the
// environment to check them in.
func makeClass(t *testing.T, all []classmate) (string, []classmate, []string) {
	gopath := t.TempDir()
	dir := filepath.Join(gopath, "src")
	var in []classmate
	for _, c := range all {
		if c.python && !hasPython() || c.heavy && testing.Short() {
			continue
		}
		writeFiles(t, filepath.Join(dir, "class", c.name, "05"), c.files)
		in = append(in, c)
	}
	sort.Slice(in, func(i, j int) bool { return in[i].name < in[j].name }) // the pattern's order
	return dir, in, outsideModule(gopath)
}

// The class table: a row per program, in the pattern's order, each cell
// the scenario's status or a failure's cause, whatever the program does
// (hangs, floods, forks, does not build): each costs its own row only.
// Each program's full report is in the folder asked for.
func TestEachClassTable(t *testing.T) {
	t.Parallel()
	if !hasPython() {
		t.Log("python3 is not installed: the class has its Go programs only")
	}
	dir, class, env := makeClass(t, theClass(t))
	reports := filepath.Join(dir, "reports")
	r := runEnvArgs(env, "-each", filepath.Join(dir, "class", "*", "05"), "-stage", "05-loop", "-reports", reports, "-jobs", "2")
	assert.Equal(t, 1, r.code, r.stderr)

	lines := strings.Split(strings.TrimSuffix(r.text, "\n"), "\n")
	require.Len(t, lines, 2+len(class), r.text)
	assert.Equal(t, "| program | verdict | served-in-turn | second-waits | one-reply | empty-stops |", lines[0])
	assert.Equal(t, "| --- | --- | --- | --- | --- | --- |", lines[1])
	for i, line := range lines[2:] {
		c := class[i]
		cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |"), " | ")
		require.Len(t, cells, 2+4, line)
		assert.Equal(t, filepath.Join(dir, "class", c.name, "05"), cells[0], "its path first, in the pattern's order")
		for j, want := range c.row {
			assert.Equal(t, want, cells[j+1], "%s, column %s:\n%s", c.name, strings.Split(lines[0], " | ")[j+1], r.text)
		}
		report, err := os.ReadFile(filepath.Join(reports, reportName(cells[0])))
		if assert.NoError(t, err, "its report") && c.row[0] == "meets 05-loop" {
			assert.True(t, strings.HasSuffix(string(report), "\nmeets 05-loop; next: 06-goroutines (docs/06-goroutines.md)\n"), "%s", report)
		}
	}
	assert.Equal(t, len(class), strings.Count(r.stderr, "\n"), "a line on stderr as each is done:\n%s", r.stderr)
	if !testing.Short() && hasPython() {
		// As it prints from the folder of the class, for docs/check.md.
		tcptest.Golden(t, "class.golden", filepath.ToSlash(strings.ReplaceAll(r.text, dir+string(filepath.Separator), "")))
	}
}

// With a command, {dir} is each match; the table in CSV on request, and
// the whole class in one JSON document of the shape.
func TestEachCommandCSVAndJSON(t *testing.T) {
	t.Parallel()
	var all []classmate
	for _, c := range theClass(t) {
		if strings.HasPrefix(c.name, "go-") && !c.heavy {
			all = append(all, c)
		}
	}
	dir, class, env := makeClass(t, all)
	pattern := filepath.Join(dir, "class", "*", "05")
	command := []string{"--", "go", "run", "{dir}", "-addr", "127.0.0.1:{port}"}
	reports := concurrently([]string{"csv", "json"}, func(format string) report {
		return runEnvArgs(env, append([]string{"-each", pattern, "-stage", "05-loop", "-jobs", "2", "-" + format}, command...)...)
	})

	// A spreadsheet opens it right: UTF-8 with a byte order mark, ASCII
	// after it.
	text, ok := strings.CutPrefix(reports["csv"].text, "\xef\xbb\xbf")
	require.True(t, ok, "the CSV starts with a byte order mark: %q", reports["csv"].text[:min(8, len(reports["csv"].text))])
	for i, b := range []byte(text) {
		require.Less(t, b, byte(0x80), "a byte past ASCII at %d: %q", i, text)
	}
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	require.NoError(t, err, reports["csv"].text)
	require.Len(t, rows, 1+len(class))
	assert.Equal(t, []string{"program", "verdict", "served-in-turn", "second-waits", "one-reply", "empty-stops"}, rows[0])
	for i, c := range class {
		want := append([]string{filepath.Join(dir, "class", c.name, "05")}, c.row...)
		for k := range want {
			want[k] = strings.ReplaceAll(want[k], "—", "-")
		}
		assert.Equal(t, want, rows[i+1])
	}

	assert.Empty(t, reports["json"].stderr, "with -json, nothing on stderr")
	var doc any
	require.NoError(t, json.Unmarshal([]byte(reports["json"].text), &doc), reports["json"].text)
	conforms(t, doc, reflect.TypeOf(jsonDoc{}), "")
	var in struct {
		Mode  string
		Class struct {
			Rows []struct {
				Path, Verdict string
				Cells         []string
				Check         *jsonCheckIn
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(reports["json"].text), &in))
	assert.Equal(t, "each", in.Mode)
	require.Len(t, in.Class.Rows, len(class))
	for i, c := range class {
		row := in.Class.Rows[i]
		assert.Equal(t, c.row, append([]string{row.Verdict}, row.Cells...), c.name)
		if assert.NotNil(t, row.Check) {
			assert.Equal(t, "go run "+filepath.Join(dir, "class", c.name, "05")+" -addr 127.0.0.1:{port}", row.Check.Command, "{dir} is the match")
		}
	}
}

// A class as teachers run it today: a repository per student, each a copy
// of the course with the student's own mine/, in Go (a module of the
// student's own, or no go.mod at all), Python, Node.js, or any language
// through a run file; one with its folders misnamed. -each 'class/*'
// grades each student's every stage: a row per student, always, with the
// highest stage met and a cell per stage, a last row with the count, and
// warnings for what looks like a stage under another name.
func TestEachStudents(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a class of six students' every stage takes half a minute")
	}
	if runtime.GOOS == "windows" {
		t.Skip("a class of students in Python, Node.js and a run file (a shell script) is measured on Linux only")
	}
	t.Parallel()
	if _, err := exec.LookPath("node"); !hasPython() || err != nil {
		t.Skip("the class has students in Python and Node.js: python3 and node must be installed")
	}
	dir := t.TempDir()
	class := filepath.Join(dir, "class")
	gomod := func(path string) string { return "module " + path + "\n\ngo 1.22\n" }
	nodeSrc, err := os.ReadFile(filepath.Join("..", "..", "examples", "node", "06-server.js"))
	require.NoError(t, err)
	students := map[string]map[string]string{
		// Go, in a module of her own: as an assignment service hands it out.
		"ann": {"go.mod": gomod("github.com/ann/socketcourse"), "mine/01/main.go": stageSource(t, "01-bind"), "mine/02/main.go": stageSource(t, "02-listen"), "mine/05/main.go": stageSource(t, "05-loop")},
		// Python after the article; his 05 sends str(data).
		"ben": {"mine/01.py": pythonExample(t, "01-bind.py"), "mine/02.py": pythonExample(t, "02-listen.py"),
			"mine/05.py": strings.Replace(pythonExample(t, "05-loop.py"), "reply = b'OK...' + data", "reply = ('OK...' + str(data)).encode()", 1)},
		// Node.js.
		"cai": {"mine/06.js": string(nodeSrc)},
		// A run file: any language; here Python, started by a shell line.
		"dee": {"mine/03/run": "#!/bin/sh\nexec python3 \"$(dirname \"$0\")/server.py\" \"$@\"\n", "mine/03/server.py": pythonExample(t, "03-accept.py")},
		// Folders named otherwise: nothing found, two warnings.
		"eve": {"go.mod": gomod("example.com/eve/course"), "mine/stage5/main.go": stageSource(t, "05-loop"), "06.py": pythonExample(t, "06-threads.py")},
		// Go without a go.mod: built on its own; its 04 does not build.
		"fay": {"mine/01/main.go": stageSource(t, "01-bind"), "mine/04/main.go": "package main\n\nfunc main() {\n\tfmt.Println(\"Socket created\")\n}\n"},
	}
	for name, files := range students {
		writeFiles(t, filepath.Join(class, name), files)
	}
	require.NoError(t, os.Chmod(filepath.Join(class, "dee", "mine", "03", "run"), 0o755))

	reports := filepath.Join(dir, "reports")
	runs := concurrently([]string{"md", "csv", "json"}, func(k string) report {
		args := []string{"-each", filepath.Join(class, "*"), "-jobs", "4"}
		switch k {
		case "md":
			args = append(args, "-reports", reports)
		case "csv", "json":
			args = append(args, "-"+k)
		}
		return runArgs(args...)
	})
	md := runs["md"]
	assert.Equal(t, 1, md.code, "a student has a stage written and not met: %s%s", md.text, md.stderr)

	// The table, cell by cell; the paths in the pattern's order.
	want := [][]string{
		{"student", "highest", "01-bind", "02-listen", "03-accept", "04-echo-once", "05-loop", "06-goroutines", "07-shutdown", "08-lines"},
		{"ann", "05-loop", "met", "met", "not written", "not written", "met", "not written", "not written", "not written"},
		{"ben", "02-listen", "met", "met", "not written", "not written", "not met: str-bytes", "not written", "not written", "not written"},
		{"cai", "06-goroutines", "not written", "not written", "not written", "not written", "not written", "met", "not written", "not written"},
		{"dee", "03-accept", "not written", "not written", "met", "not written", "not written", "not written", "not written", "not written"},
		{"eve", "none", "not written", "not written", "not written", "not written", "not written", "not written", "not written", "not written"},
		{"fay", "01-bind", "met", "not written", "not written", "cannot run: compile-error", "not written", "not written", "not written", "not written"},
		{"met", "", "3 of 6", "2 of 6", "1 of 6", "0 of 6", "1 of 6", "1 of 6", "0 of 6", "0 of 6"},
	}
	path := func(row []string) []string {
		out := append([]string(nil), row...)
		if out[0] != "student" && out[0] != "met" {
			out[0] = filepath.Join(class, out[0])
		}
		return out
	}
	lines := strings.Split(strings.TrimSuffix(md.text, "\n"), "\n")
	require.GreaterOrEqual(t, len(lines), len(want)+1, md.text)
	for i, row := range want {
		line := lines[i]
		if i > 0 {
			line = lines[i+1] // after the line under the head
		}
		assert.Equal(t, "| "+strings.Join(path(row), " | ")+" |", line, "row %d:\n%s", i, md.text)
	}
	assert.Contains(t, md.text, "- warning: "+filepath.Join(class, "eve", "mine", "stage5")+" looks like stage 05-loop: call it "+filepath.Join(class, "eve", "mine", "05")+"/")
	assert.Contains(t, md.text, "- warning: "+filepath.Join(class, "eve", "06.py")+" is beside mine/, not in it: move it to "+filepath.Join(class, "eve", "mine", "06.py"))
	assert.Contains(t, md.stderr, "warning: "+filepath.Join(class, "eve", "mine", "stage5"))
	// As it prints from the folder that holds class/, for docs/check.md.
	tcptest.Golden(t, "students.golden", filepath.ToSlash(strings.ReplaceAll(md.text, dir+string(filepath.Separator), "")))
	// A compile error quotes the student's file and line, never a module.
	report, err := os.ReadFile(filepath.Join(reports, reportName(filepath.Join(class, "fay"))))
	require.NoError(t, err)
	assert.Contains(t, string(report), "main.go:4:2: undefined: fmt")
	assert.NotContains(t, string(report), "go.mod")
	assert.NotContains(t, string(report), "outside main module")

	// CSV: a byte order mark, then ASCII; the same cells.
	csvText := runs["csv"].text
	require.True(t, strings.HasPrefix(csvText, "\xef\xbb\xbf"), "a byte order mark first: %q", csvText[:min(len(csvText), 8)])
	for i, b := range []byte(csvText[3:]) {
		require.Less(t, b, byte(0x80), "ASCII only, byte %d of %q", i, csvText)
	}
	rows, err := csv.NewReader(strings.NewReader(csvText[3:])).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, len(want))
	for i, row := range want {
		assert.Equal(t, path(row), rows[i])
	}

	// JSON: the same facts as fields.
	var doc struct {
		Exit  int
		Class struct {
			Rows []struct {
				Path, Highest string
				Warnings      []string
				Steps         []struct{ Stage, State, Cause string }
			}
			Counts []struct {
				Stage   string
				Met, Of int
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(runs["json"].text), &doc), runs["json"].text)
	require.Len(t, doc.Class.Rows, 6)
	for i, row := range doc.Class.Rows {
		w := want[i+1]
		assert.Equal(t, filepath.Join(class, w[0]), row.Path)
		if w[1] == "none" {
			w[1] = ""
		}
		assert.Equal(t, w[1], row.Highest, w[0])
		for k, step := range row.Steps {
			cell := w[2+k]
			state, cause, _ := strings.Cut(cell, ": ")
			assert.Equal(t, map[string]string{"met": stepMet, "not written": stepNotWritten, "not met": stepNotMet, "cannot run": stepCannotRun}[state], step.State, "%s %s", w[0], step.Stage)
			assert.Equal(t, cause, step.Cause, "%s %s: the first cause, as a field", w[0], step.Stage)
		}
	}
	assert.Len(t, doc.Class.Rows[4].Warnings, 2, "eve's folders named otherwise")
	for k, c := range doc.Class.Counts {
		assert.Equal(t, want[len(want)-1][2+k], fmt.Sprintf("%d of %d", c.Met, c.Of), c.Stage)
	}
}
