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

	"socketcourse/internal/course"
)

// A class at once: -each checks every match of a pattern, several at a
// time, each run of each program on a port of its own.
//
// Without -stage and without a command, each match is a student: a folder
// (a repository cloned from an assignment, a copy of the course) that
// holds mine/, or a mine/ folder itself. Every stage of theirs is found by
// the ladder's rule and checked as its stage, and the class summary has a
// row per student, always: their highest stage met, and a cell per stage.
//
// With -stage, each match is one program of that stage (class/*/05), run
// as the command after -- says ({dir} is the match) or as the ladder's
// rule finds it, and the table has a cell per scenario.

// student is a match of -each's pattern and what its check found.
type student struct {
	path     string   // the match, as the pattern found it
	mine     string   // a student's folder of stages
	steps    []step   // a student's stages
	warnings []string // a student's folders that look like stages under another name
	argv     []string // with -stage: its command; nil when none was found
	problem  string   // with -stage: why there is no command
	c        *checked // with -stage: its check
	report   []byte   // the full text report
}

// runEach is -each.
func runEach(ctx context.Context, cfg *config, stdout, stderr io.Writer) int {
	matches, _ := filepath.Glob(cfg.each) // The pattern was checked: no error.
	if len(matches) == 0 {
		msg := fmt.Sprintf("nothing matches %s: the pattern is read from the folder you run the checker in; quote it ('class/*') so that the shell leaves it to the checker", cfg.each)
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
	progress := stderr
	if cfg.json {
		progress = io.Discard // with -json, stdout has it all and stderr nothing
	}
	class := make([]student, len(matches))
	students := cfg.stage == "" && len(cfg.argv) == 0
	for i, m := range matches {
		if students {
			class[i] = studentAt(m)
			for _, w := range class[i].warnings {
				fmt.Fprintf(progress, "warning: %s\n", w)
			}
		} else {
			class[i] = programAt(cfg, m)
		}
	}
	if students {
		checkStudents(ctx, cfg, class, progress)
	} else {
		checkPrograms(ctx, cfg, class, progress)
	}
	if ctx.Err() != nil && !cfg.json {
		fmt.Fprintln(stderr, "check: interrupted; every program was stopped")
		return 1
	}
	code := classExit(class, students)
	switch {
	case cfg.json:
		writeJSON(stdout, &jsonDoc{Format: jsonFormat, Mode: "each", Class: classDocument(cfg, class, students), Exit: code})
	case students:
		writeTable(stdout, studentTable(class), cfg.csv)
		if !cfg.csv {
			for i := range class {
				for _, w := range class[i].warnings {
					fmt.Fprintf(stdout, "\n- warning: %s", w)
				}
			}
			if hasWarnings(class) {
				fmt.Fprintln(stdout)
			}
		}
	default:
		writeTable(stdout, programTable(cfg, class), cfg.csv)
	}
	return code
}

func hasWarnings(class []student) bool {
	for i := range class {
		if len(class[i].warnings) > 0 {
			return true
		}
	}
	return false
}

// studentAt is the student whose folder is m: its mine/, or m itself
// when it is a mine/ folder, or holds stages of its own.
func studentAt(m string) student {
	s := student{path: m, mine: filepath.Join(m, "mine")}
	if fi, err := os.Stat(s.mine); err != nil || !fi.IsDir() {
		s.mine = m
	}
	steps, err := findSteps(s.mine)
	if err != nil {
		steps = make([]step, len(course.Stages))
		for i := range steps {
			steps[i].stage = course.Stages[i].Folder
		}
	}
	s.steps = steps
	s.warnings = misnamed(m, s.mine)
	if s.mine == m && filepath.Base(m) != "mine" && highestWritten(steps) < 0 && len(s.warnings) == 0 {
		s.warnings = append(s.warnings, fmt.Sprintf("%s holds no mine/ folder and no stage: is it a student's folder? (for programs of one stage, give -stage)", m))
	}
	return s
}

// highestWritten is the index of the last stage written, -1 for none.
func highestWritten(steps []step) int {
	h := -1
	for i := range steps {
		if steps[i].state() != stepNotWritten {
			h = i
		}
	}
	return h
}

// programAt is the match m as a program of the stage asked for: the
// command given, with {dir} replaced, or the one the convention finds.
func programAt(cfg *config, m string) student {
	s := student{path: m}
	if len(cfg.argv) == 0 {
		s.argv, s.problem = programFor(m)
		if s.argv == nil && s.problem == "" {
			s.problem = "no .go, .py or .js file in it, nor a run file"
		}
		return s
	}
	for _, a := range cfg.argv {
		s.argv = append(s.argv, strings.ReplaceAll(a, "{dir}", goPath(m)))
	}
	return s
}

// checkStudents checks every stage of every student, cfg.jobs stages at
// a time, says on stderr as each student is done, and writes each one's
// ladder and reports in the folder of reports.
func checkStudents(ctx context.Context, cfg *config, class []student, progress io.Writer) {
	type job struct{ s, i int }
	var jobs []job
	left := make([]int, len(class))
	for s := range class {
		for i := range class[s].steps {
			if class[s].steps[i].argv != nil {
				jobs = append(jobs, job{s, i})
				left[s]++
			}
		}
	}
	var mu sync.Mutex
	done, start := 0, time.Now()
	finish := func(s int) {
		st := &class[s]
		var b bytes.Buffer
		for _, w := range st.warnings {
			fmt.Fprintf(&b, "warning: %s\n", w)
		}
		printLadder(&b, st.mine, st.steps, palette{}, false)
		for i := range st.steps {
			if c := st.steps[i].c; c != nil {
				fmt.Fprintf(&b, "\n== %s: %s\n", st.steps[i].stage, st.steps[i].path)
				textReport(&b, c)
			}
		}
		st.report = b.Bytes()
		var err error
		if cfg.reports != "" {
			err = os.WriteFile(filepath.Join(cfg.reports, reportName(st.path)), st.report, 0o644)
		}
		done++
		if err != nil {
			fmt.Fprintf(progress, "check: %s: its report could not be written: %v\n", st.path, err)
		}
		h := highest(st.steps)
		if h == "" {
			h = "no stage met"
		}
		fmt.Fprintf(progress, "%d of %d: %s: %s (%.1fs)\n", done, len(class), st.path, h, time.Since(start).Seconds())
	}
	for s := range class {
		if left[s] == 0 {
			mu.Lock()
			finish(s)
			mu.Unlock()
		}
	}
	forEach(len(jobs), cfg.jobs, func(k int) {
		j := jobs[k]
		st := &class[j.s].steps[j.i]
		st.c = checkStep(ctx, cfg, st)
		mu.Lock()
		defer mu.Unlock()
		if left[j.s]--; left[j.s] == 0 {
			finish(j.s)
		}
	})
}

// checkPrograms checks every program, cfg.jobs at a time, says on stderr
// as each one is done, and writes its report in the folder of reports.
func checkPrograms(ctx context.Context, cfg *config, class []student, progress io.Writer) {
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
			fmt.Fprintf(progress, "check: %s: its report could not be written: %v\n", s.path, err)
		}
		fmt.Fprintf(progress, "%d of %d: %s: %s (%.1fs)\n", done, len(class), s.path, s.verdict(), time.Since(start).Seconds())
	})
}

// reportName is the name of the file of path's report: class/ann/05
// is class_ann_05.txt.
func reportName(path string) string {
	name := filepath.ToSlash(filepath.Clean(path))
	for strings.HasPrefix(name, "../") {
		name = name[3:]
	}
	if name == "." {
		name = "this"
	}
	return strings.NewReplacer("/", "_", ":", "_").Replace(strings.TrimPrefix(name, "/")) + ".txt"
}

// verdict is a program's verdict in a few words: the report's last line
// up to its first semicolon, or why it could not be checked.
func (s *student) verdict() string {
	switch {
	case s.c == nil:
		return "no program: " + s.problem
	case s.c.startup != nil:
		return "cannot run: " + string(s.c.startup.cause)
	case s.c.interrupted:
		return "interrupted"
	}
	v, _, _ := strings.Cut(s.c.view.last, ";")
	return v
}

// classExit is 0 when every student has every stage written met (every
// program meets its stage), 1 otherwise.
func classExit(class []student, students bool) int {
	for i := range class {
		if students && ladderExit(class[i].steps) != 0 || !students && (class[i].c == nil || class[i].c.exit != 0) {
			return 1
		}
	}
	return 0
}

// table is a class table: its head, rows and, for students, the count row.
type table struct {
	head []string
	rows [][]string
	foot []string
}

// stepCell is a stage's cell: met; not met, and its first cause; not
// written; cannot run, and why.
func stepCell(s *step) string {
	switch s.state() {
	case stepMet:
		return "met"
	case stepNotWritten:
		return "not written"
	case stepCannotRun:
		return "cannot run: " + s.cause()
	case stepChecking:
		return "checking"
	}
	if c := s.cause(); c != "" {
		return "not met: " + c
	}
	return "not met"
}

// studentTable is the class summary: a row per student, and a last row
// with how many met each stage.
func studentTable(class []student) table {
	t := table{head: []string{"student", "highest"}}
	for _, st := range course.Stages {
		t.head = append(t.head, st.Folder)
	}
	counts := make([]int, len(course.Stages))
	for i := range class {
		s := &class[i]
		h := highest(s.steps)
		if h == "" {
			h = "none"
		}
		row := []string{s.path, h}
		for k := range s.steps {
			row = append(row, stepCell(&s.steps[k]))
			if s.steps[k].state() == stepMet {
				counts[k]++
			}
		}
		t.rows = append(t.rows, row)
	}
	t.foot = []string{"met", ""}
	for _, n := range counts {
		t.foot = append(t.foot, fmt.Sprintf("%d of %d", n, len(class)))
	}
	return t
}

// columns are the table's scenario columns: the scenarios a check with
// cfg runs. A slug is a column's title, or, where two stages have the
// same slug, the stage's number and the slug.
func columns(cfg *config) []jsonColumn {
	plan := (&checkRun{cfg: cfg}).plan()
	count := map[string]int{}
	for _, sc := range plan {
		count[sc.Slug]++
	}
	var cols []jsonColumn
	for _, sc := range plan {
		title := sc.Slug
		if count[sc.Slug] > 1 {
			title = sc.stage.Num() + " " + sc.Slug
		}
		cols = append(cols, jsonColumn{Stage: sc.stage.Folder, Slug: sc.Slug, Name: sc.Name, Title: title})
	}
	return cols
}

// cells are a program's cells, one per column: the scenario's status in
// the report's word, and a failure's cause.
func (s *student) cells(cols []jsonColumn) []string {
	cells := make([]string, len(cols))
	for i, col := range cols {
		cells[i] = "—"
		if s.c == nil || s.c.startup != nil || s.c.interrupted {
			continue
		}
		for _, sv := range s.c.view.stages {
			for _, rv := range sv.results {
				if sv.stage.Folder != col.Stage || rv.Slug != col.Slug {
					continue
				}
				switch {
				case !rv.ran || !sv.shown:
					cells[i] = "not tried"
				case rv.status == failed:
					cells[i] = fmt.Sprintf("FAILED (%s)", rv.cause)
				default:
					cells[i] = statusWords[rv.status]
				}
			}
		}
	}
	return cells
}

// programTable is the table of programs of one stage: a row per program,
// its verdict, and a cell per scenario.
func programTable(cfg *config, class []student) table {
	cols := columns(cfg)
	t := table{head: []string{"program", "verdict"}}
	for _, c := range cols {
		t.head = append(t.head, c.Title)
	}
	for i := range class {
		s := &class[i]
		t.rows = append(t.rows, append([]string{s.path, s.verdict()}, s.cells(cols)...))
	}
	return t
}

// writeTable writes t in Markdown, or in CSV: UTF-8 with a byte order
// mark and ASCII only, which every spreadsheet opens right.
func writeTable(w io.Writer, t table, asCSV bool) {
	if asCSV {
		ascii := strings.NewReplacer("—", "-", "…", "...")
		io.WriteString(w, "\ufeff")
		cw := csv.NewWriter(w)
		for _, row := range append(append([][]string{t.head}, t.rows...), t.foot) {
			if row == nil {
				continue
			}
			out := make([]string, len(row))
			for i, c := range row {
				out[i] = ascii.Replace(c)
			}
			cw.Write(out)
		}
		cw.Flush()
		return
	}
	cell := func(s string) string {
		return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
	}
	line := func(row []string) {
		out := make([]string, len(row))
		for i, c := range row {
			out[i] = cell(c)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(out, " | "))
	}
	line(t.head)
	fmt.Fprintf(w, "|%s\n", strings.Repeat(" --- |", len(t.head)))
	for _, row := range t.rows {
		line(row)
	}
	if t.foot != nil {
		line(t.foot)
	}
}

// classDocument is the class, for the JSON document.
func classDocument(cfg *config, class []student, students bool) *jsonClass {
	d := &jsonClass{Pattern: cfg.each, Stage: cfg.stage, Columns: []jsonColumn{}, Rows: []jsonRow{}, Counts: []jsonCount{}}
	if students {
		for k, st := range course.Stages {
			n := 0
			for i := range class {
				if class[i].steps[k].state() == stepMet {
					n++
				}
			}
			d.Counts = append(d.Counts, jsonCount{Stage: st.Folder, Met: n, Of: len(class)})
		}
	} else if cols := columns(cfg); cols != nil {
		d.Columns = cols
	}
	for i := range class {
		s := &class[i]
		row := jsonRow{Path: s.path, Cells: []string{}, Steps: []jsonStep{}, Warnings: nonNil(s.warnings)}
		if students {
			row.Highest = highest(s.steps)
			row.Verdict = "no stage met"
			if row.Highest != "" {
				row.Verdict = "highest stage met: " + row.Highest
			}
			row.Steps = stepDocuments(s.steps)
			for k := range s.steps {
				row.Cells = append(row.Cells, stepCell(&s.steps[k]))
			}
		} else {
			row.Verdict, row.Cells = s.verdict(), s.cells(d.Columns)
			if s.c != nil {
				row.Check = checkDocument(s.c)
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}
