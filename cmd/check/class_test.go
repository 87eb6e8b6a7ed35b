package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
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
