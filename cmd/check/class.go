package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// A class at once: -each checks every match of a pattern, several at a
// time, each run of each program on a port of its own, and prints the
// class table: a row per match, its verdict, and a cell per scenario.

// student is a match of -each's pattern and what its check found.
type student struct {
	path    string   // the match, as the pattern found it
	argv    []string // its command; nil when none was found
	problem string   // why there is no command
	c       *checked
	report  []byte // the full text report
}

// runEach is -each.
func runEach(ctx context.Context, cfg *config, stdout, stderr io.Writer) int {
	matches, _ := filepath.Glob(cfg.each) // The pattern was checked: no error.
	if len(matches) == 0 {
		msg := fmt.Sprintf("nothing matches %s: the pattern is read from the folder you run the checker in; quote it ('class/*/05') so that the shell leaves it to the checker", cfg.each)
		if cfg.json {
			writeJSON(stdout, &jsonDoc{Format: jsonFormat, Mode: "each", Error: &jsonError{Cause: "no-match", Message: msg, Lines: []string{}}, Exit: 2})
		} else {
			fmt.Fprintf(stderr, "check: %s\n", msg)
		}
		return 2
	}
	if cfg.reports != "" {
		if err := os.MkdirAll(cfg.reports, 0o755); err != nil {
			fmt.Fprintf(stderr, "check: cannot make the folder for the reports: %v\n", err)
			return 2
		}
	}
	class := make([]student, len(matches))
	for i, m := range matches {
		class[i] = studentFor(cfg, m)
	}
	progress := stderr
	if cfg.json {
		progress = io.Discard // with -json, stdout has it all and stderr nothing
	}
	checkClass(ctx, cfg, class, progress)
	if ctx.Err() != nil && !cfg.json {
		fmt.Fprintln(stderr, "check: interrupted; every program was stopped")
		return 1
	}
	cols := columns(cfg)
	switch {
	case cfg.json:
		writeJSON(stdout, &jsonDoc{Format: jsonFormat, Mode: "each", Class: classDocument(cfg, cols, class), Exit: classExit(class)})
	case cfg.csv:
		printCSV(stdout, cols, class)
	default:
		printMarkdown(stdout, cols, class)
	}
	return classExit(class)
}

// studentFor is the match m with its command: the command given, with
// {dir} replaced, or the one the convention finds.
func studentFor(cfg *config, m string) student {
	s := student{path: m}
	if len(cfg.argv) == 0 {
		s.argv, s.problem = programFor(m)
		if s.argv == nil && s.problem == "" {
			s.problem = "no .go or .py file in it"
		}
		return s
	}
	for _, a := range cfg.argv {
		s.argv = append(s.argv, strings.ReplaceAll(a, "{dir}", goPath(m)))
	}
	return s
}

// checkClass checks every student, cfg.jobs at a time, says on stderr
// as each one is done, and writes its report in the folder of reports.
func checkClass(ctx context.Context, cfg *config, class []student, stderr io.Writer) {
	var mu sync.Mutex
	done := 0
	forEach(len(class), cfg.jobs, func(i int) {
		s := &class[i]
		start := time.Now()
		if s.argv != nil {
			s.c = checkWith(ctx, cfg, s.argv, io.Discard)
			var b bytes.Buffer
			textReport(&b, s.c)
			s.report = b.Bytes()
		} else {
			s.report = []byte(fmt.Sprintf("check: %s: %s\n", s.path, s.problem))
		}
		var err error
		if cfg.reports != "" {
			err = os.WriteFile(filepath.Join(cfg.reports, reportName(s.path)), s.report, 0o644)
		}
		mu.Lock()
		defer mu.Unlock()
		done++
		if err != nil {
			fmt.Fprintf(stderr, "check: %s: its report could not be written: %v\n", s.path, err)
		}
		fmt.Fprintf(stderr, "%d of %d: %s: %s (%.1fs)\n", done, len(class), s.path, s.verdict(), time.Since(start).Seconds())
	})
}

// reportName is the name of the file of path's report: class/ann/05
// is class_ann_05.txt.
func reportName(path string) string {
	name := filepath.ToSlash(filepath.Clean(path))
	for strings.HasPrefix(name, "../") {
		name = name[3:]
	}
	return strings.NewReplacer("/", "_", ":", "_").Replace(strings.TrimPrefix(name, "/")) + ".txt"
}

// verdict is the student's verdict in a few words: the report's last
// line up to its first semicolon, or why it could not be checked.
func (s *student) verdict() string {
	switch {
	case s.c == nil:
		return "no program: " + s.problem
	case s.c.startup != nil:
		return "cannot run: " + string(s.c.startup.cause)
	case s.c.interrupted:
		return "interrupted"
	}
	v, _, _ := strings.Cut(s.c.verdict.last, ";")
	return v
}

// classExit is 0 when every student meets what was asked, 1 otherwise.
func classExit(class []student) int {
	for i := range class {
		if class[i].c == nil || class[i].c.exit != 0 {
			return 1
		}
	}
	return 0
}

// columns are the table's scenario columns: the scenarios a check with
// cfg runs. A slug is a column's title, or, where two stages have the
// same slug, the stage's number and the slug.
func columns(cfg *config) []jsonColumn {
	plan := (&checkRun{cfg: cfg}).plan()
	count := map[string]int{}
	for _, sc := range plan {
		count[sc.slug]++
	}
	var cols []jsonColumn
	for _, sc := range plan {
		title := sc.slug
		if count[sc.slug] > 1 {
			num, _, _ := strings.Cut(sc.stage, "-")
			title = num + " " + sc.slug
		}
		cols = append(cols, jsonColumn{Stage: sc.stage, Slug: sc.slug, Name: sc.name, Title: title})
	}
	return cols
}

// cells are a student's cells, one per column: the scenario's status in
// the report's word, and a failure's cause.
func (s *student) cells(cols []jsonColumn) []string {
	cells := make([]string, len(cols))
	for i, col := range cols {
		cells[i] = "—"
		if s.c == nil {
			continue
		}
		for _, r := range s.c.results {
			if r.stage != col.Stage || r.slug != col.Slug {
				continue
			}
			switch {
			case r.notRun:
				cells[i] = "not tried"
			case r.status == failed:
				cells[i] = fmt.Sprintf("FAILED (%s)", r.cause)
			default:
				cells[i] = statusWords[r.status]
			}
		}
	}
	return cells
}

// printMarkdown writes the class table in Markdown.
func printMarkdown(w io.Writer, cols []jsonColumn, class []student) {
	cell := func(s string) string {
		return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
	}
	head := []string{"program", "verdict"}
	for _, c := range cols {
		head = append(head, c.Title)
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(head, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat(" --- |", len(head)))
	for i := range class {
		s := &class[i]
		row := []string{cell(s.path), cell(s.verdict())}
		for _, c := range s.cells(cols) {
			row = append(row, cell(c))
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
}

// printCSV writes the class table in CSV.
func printCSV(w io.Writer, cols []jsonColumn, class []student) {
	cw := csv.NewWriter(w)
	head := []string{"program", "verdict"}
	for _, c := range cols {
		head = append(head, c.Title)
	}
	cw.Write(head)
	for i := range class {
		s := &class[i]
		cw.Write(append([]string{s.path, s.verdict()}, s.cells(cols)...))
	}
	cw.Flush()
}

// classDocument is the class, for the JSON document.
func classDocument(cfg *config, cols []jsonColumn, class []student) *jsonClass {
	d := &jsonClass{Pattern: cfg.each, Columns: cols, Rows: []jsonRow{}}
	if d.Columns == nil {
		d.Columns = []jsonColumn{}
	}
	for i := range class {
		s := &class[i]
		row := jsonRow{Path: s.path, Verdict: s.verdict(), Cells: s.cells(cols)}
		if s.c != nil {
			row.Check = checkDocument(s.c)
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}
