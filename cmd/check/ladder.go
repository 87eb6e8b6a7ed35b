package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"socketcourse/internal/course"
)

// The ladder: a learner's stages in a folder of theirs, found by
// convention (mine/05/ with Go files, mine/05.py, mine/05.js, mine/05/run,
// mine/05/ with a .py or .js file), each checked as its own stage, and
// how far they have come.

// step is a stage of the course and the learner's program for it.
type step struct {
	stage   string
	path    string   // the learner's program: mine/05 or mine/05.py; "" when none
	argv    []string // the command that runs it; nil when it cannot be run
	problem string   // why it cannot be run, when its folder has something
	c       *checked // its check; nil when not checked
}

// The states of a step.
const (
	stepMet        = "met"
	stepNotMet     = "not-met"
	stepNotWritten = "not-written"
	stepCannotRun  = "cannot-run" // it is there, but cannot be started or built
	stepChecking   = "checking"   // while the watch checks it
)

func (s *step) state() string {
	switch {
	case s.argv == nil && s.problem == "":
		return stepNotWritten
	case s.argv == nil:
		return stepCannotRun
	case s.c == nil:
		return stepChecking
	case s.c.startup != nil:
		return stepCannotRun
	case s.c.exit == 0:
		return stepMet
	}
	return stepNotMet
}

// cause is the step's first cause: why it cannot run, or its first
// failure's; a text slip is "text"; "" for a stage met or not written.
func (s *step) cause() string {
	switch {
	case s.argv == nil && s.problem != "":
		return "no-program"
	case s.c == nil:
		return ""
	case s.c.startup != nil:
		return string(s.c.startup.cause)
	case s.c.interrupted:
		return "interrupted"
	case s.c.exit == 0:
		return ""
	}
	if f := s.c.view.firstFailure(); f != nil {
		return string(f.cause)
	}
	if len(s.c.view.diffs) > 0 {
		return "text-differs"
	}
	if st := s.c.view.stage(s.stage); st != nil && st.needs != "" {
		return "needs" + st.needs
	}
	return ""
}

// stepName is a stage's folder or file in the learner's folder: 05,
// 05-loop, 05.py, 05-loop.js.
var stepName = regexp.MustCompile(`^(\d\d)(-[\w-]*)?(\.py|\.js)?$`)

// findSteps returns every stage of the course, in order, each with the
// learner's program for it in folder, if any. A folder is taken before a
// file of the same stage.
func findSteps(folder string) ([]step, error) {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, err
	}
	steps := make([]step, len(course.Stages))
	for i := range course.Stages {
		st := &course.Stages[i]
		steps[i].stage = st.Folder
		for _, dirs := range []bool{true, false} {
			for _, e := range entries {
				m := stepName.FindStringSubmatch(e.Name())
				if m == nil || m[1] != st.Num() || steps[i].path != "" || e.IsDir() != dirs || e.IsDir() == (m[3] != "") {
					continue
				}
				path := filepath.Join(folder, e.Name())
				argv, problem := programFor(path)
				if argv != nil || problem != "" {
					steps[i].path, steps[i].argv, steps[i].problem = path, argv, problem
				}
			}
		}
	}
	return steps, nil
}

// looksLikeStage matches a name that may be meant for a stage but is not
// named as the ladder finds one: stage5, step_05, s05.py, 5, lesson-05.
// A file's extension is taken off first, and kept.
var looksLikeStage = regexp.MustCompile(`(?i)^(?:stage|step|lesson|part|ex|exercise|s|l)?[-_ ]?0?([1-9])(?:[-_ .]?[a-z][\w-]*)?$`)

// misnamed returns a warning for each entry of a student's folder that
// looks like a stage under another name, with the name it should have:
// in mine/, stage5/ or s05.py; beside mine/, 05.py or 05/.
func misnamed(student, mine string) []string {
	var warnings []string
	if entries, err := os.ReadDir(mine); err == nil {
		for _, e := range entries {
			name := e.Name()
			if stepName.MatchString(name) {
				continue
			}
			base, ext := name, filepath.Ext(name)
			if !e.IsDir() && (ext == ".py" || ext == ".js" || ext == ".go") {
				base = strings.TrimSuffix(name, ext)
			} else {
				ext = ""
			}
			m := looksLikeStage.FindStringSubmatch(base)
			if m == nil || course.Index(stageByNum("0"+m[1])) < 0 {
				continue
			}
			stage := stageByNum("0" + m[1])
			if ext == ".go" {
				// A Go stage is a folder (package main): 06.go is no name
				// the ladder finds either.
				warnings = append(warnings, fmt.Sprintf("%s looks like stage %s: a Go stage is a folder; move it into %s", filepath.Join(mine, name), stage, filepath.Join(mine, "0"+m[1])+string(filepath.Separator)))
				continue
			}
			want := filepath.Join(mine, "0"+m[1]+ext)
			if e.IsDir() {
				want += string(filepath.Separator)
			}
			warnings = append(warnings, fmt.Sprintf("%s looks like stage %s: call it %s", filepath.Join(mine, name), stage, want))
		}
	}
	warnings = append(warnings, notTaken(mine)...)
	if student == mine {
		return warnings
	}
	if entries, err := os.ReadDir(student); err == nil {
		for _, e := range entries {
			m := stepName.FindStringSubmatch(e.Name())
			if m == nil || m[2] != "" || course.Index(stageByNum(m[1])) < 0 {
				continue // the course's own NN-name folders are not the student's
			}
			warnings = append(warnings, fmt.Sprintf("%s is beside mine/, not in it: move it to %s", filepath.Join(student, e.Name()), filepath.Join(mine, e.Name())))
		}
	}
	return warnings
}

// notTaken returns a warning for each program in mine that is named for
// a stage, but is not the one the ladder takes for it: one program a
// stage (a folder before a file, then by name: 05.js before 05.py).
func notTaken(mine string) []string {
	steps, err := findSteps(mine)
	entries, _ := os.ReadDir(mine)
	if err != nil {
		return nil
	}
	var warnings []string
	for _, e := range entries {
		m := stepName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		for _, st := range steps {
			if st.path != "" && course.Get(st.stage).Num() == m[1] && filepath.Base(st.path) != e.Name() {
				warnings = append(warnings, fmt.Sprintf("%s is not checked: %s is the program for %s (one program a stage); move the other out of %s", filepath.Join(mine, e.Name()), st.path, st.stage, mine))
			}
		}
	}
	return warnings
}

// stageByNum returns the folder of the stage numbered num, or "".
func stageByNum(num string) string {
	for i := range course.Stages {
		if course.Stages[i].Num() == num {
			return course.Stages[i].Folder
		}
	}
	return ""
}

// checkStep checks a step's program as its stage. A stage that needs
// -idle is given the checker's -idle, and its program the same.
func checkStep(ctx context.Context, cfg *config, s *step) *checked {
	sub := *cfg
	sub.stage, sub.ladder, sub.each = s.stage, "", ""
	argv := s.argv
	if needsIdle(course.Get(s.stage)) && cfg.idle > 0 && isGoRun(argv) {
		argv = append(argv[:len(argv):len(argv)], "-idle", cfg.idle.String())
	}
	return checkWith(ctx, &sub, argv, io.Discard)
}

// needsIdle reports whether a check of st plays a scenario that needs
// -idle.
func needsIdle(st *course.Stage) bool {
	for _, s := range st.Chain() {
		for _, sc := range s.Scenarios {
			if sc.Needs == "-idle" {
				return true
			}
		}
	}
	return false
}

// checkSteps checks the steps at the indexes todo, jobs at a time.
func checkSteps(ctx context.Context, cfg *config, steps []step, todo []int) {
	forEach(len(todo), cfg.jobs, func(i int) {
		s := &steps[todo[i]]
		if s.argv != nil {
			s.c = checkStep(ctx, cfg, s)
		}
	})
}

// runLadder is -ladder: every stage found, checked once; with -stage,
// that one.
func runLadder(ctx context.Context, cfg *config, stdout, stderr io.Writer) int {
	steps, err := findSteps(cfg.ladder)
	if err != nil {
		return noFolder(cfg, err, stdout, stderr)
	}
	var todo []int
	for i := range steps {
		if cfg.stage == "" || steps[i].stage == cfg.stage {
			todo = append(todo, i)
		}
	}
	checkSteps(ctx, cfg, steps, todo)
	if ctx.Err() != nil && !cfg.json {
		fmt.Fprintln(stdout, "check: interrupted; every program was stopped")
		return 1
	}
	if cfg.stage != "" {
		return oneStep(cfg, &steps[todo[0]], stdout, stderr)
	}
	code := ladderExit(steps)
	warnings := misnamed(filepath.Dir(cfg.ladder), cfg.ladder)
	if cfg.json {
		writeJSON(stdout, &jsonDoc{Format: jsonFormat, Mode: "ladder", Ladder: ladderDocument(cfg.ladder, steps, warnings), Exit: code})
		return code
	}
	for _, w := range warnings {
		fmt.Fprintf(stdout, "warning: %s\n", w)
	}
	printLadder(stdout, cfg.ladder, steps, colours(stdout, cfg.env), false)
	return code
}

// oneStep is -ladder -stage: the step's full report, or why there is
// none; exit 0 when it is met, 1 when not or not written, 2 when it
// cannot run.
func oneStep(cfg *config, s *step, stdout, stderr io.Writer) int {
	code := 1
	switch s.state() {
	case stepMet:
		code = 0
	case stepCannotRun:
		code = 2
	}
	if cfg.json {
		writeJSON(stdout, &jsonDoc{Format: jsonFormat, Mode: "ladder", Ladder: ladderDocument(cfg.ladder, []step{*s}, nil), Exit: code})
		return code
	}
	switch {
	case s.state() == stepNotWritten:
		num := course.Get(s.stage).Num()
		fmt.Fprintf(stdout, "%s: not written yet: no %s/ (Go, or .py, .js, or a run file) nor %s.py or %s.js in %s\n", s.stage, num, num, num, cfg.ladder)
	case s.argv == nil:
		fmt.Fprintf(stderr, "check: %s: %s\n", s.path, s.problem)
	default:
		textReport(stdout, s.c)
	}
	return code
}

// noFolder says that the ladder's folder cannot be read: exit status 2.
func noFolder(cfg *config, err error, stdout, stderr io.Writer) int {
	msg := fmt.Sprintf("cannot read the folder %s (%v): make it, and your first stage in it, as in mkdir -p %s", cfg.ladder, unwrapAll(err), filepath.Join(cfg.ladder, course.Stages[0].Num()))
	if cfg.json {
		writeJSON(stdout, &jsonDoc{Format: jsonFormat, Mode: "ladder", Error: &jsonError{Cause: "no-folder", Message: msg, Lines: []string{}}, Exit: 2})
	} else {
		fmt.Fprintf(stderr, "check: %s\n", msg)
	}
	return 2
}

// ladderExit is 0 when every stage written is met, and one is; else 1.
func ladderExit(steps []step) int {
	met := 0
	for i := range steps {
		switch steps[i].state() {
		case stepNotMet, stepCannotRun:
			return 1
		case stepMet:
			met++
		}
	}
	if met == 0 {
		return 1
	}
	return 0
}

// highest is the highest stage met, "" for none.
func highest(steps []step) string {
	h := ""
	for i := range steps {
		if steps[i].state() == stepMet {
			h = steps[i].stage
		}
	}
	return h
}

// whyNotMet is a check's first cause, in one line.
func whyNotMet(c *checked) string {
	switch {
	case c == nil:
		return ""
	case c.startup != nil:
		why := fmt.Sprintf("%s: %s", c.startup.cause, c.startup.msg)
		for _, l := range c.startup.lines {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				return why + ": " + l
			}
		}
		return why
	case c.interrupted:
		return "interrupted"
	}
	if f := c.view.firstFailure(); f != nil {
		return fmt.Sprintf("%s: %s", f.cause, f.note)
	}
	if len(c.view.diffs) > 0 {
		return "its text differs: " + c.view.diffs[0].words()
	}
	return c.view.last
}

// why is the step's state in one line, for a stage not met.
func (s *step) why() string {
	if s.argv == nil {
		return s.problem
	}
	return whyNotMet(s.c)
}

// focus is the stage being worked on: the lowest written and not met; -1
// when there is none.
func focus(steps []step) int {
	for i := range steps {
		if st := steps[i].state(); st == stepNotMet || st == stepCannotRun {
			return i
		}
	}
	return -1
}

// nextThing says what to do next, in one line.
func nextThing(folder string, steps []step, watching bool) string {
	if i := focus(steps); i >= 0 {
		s := steps[i]
		st := course.Get(s.stage)
		if s.argv == nil {
			return fmt.Sprintf("next: %s: %s", s.path, s.problem)
		}
		if watching {
			return fmt.Sprintf("next: fix %s, as its report below says (%s)", s.stage, st.Page())
		}
		return fmt.Sprintf("next: fix %s (%s); its whole report: %s -ladder %s -stage %s", s.stage, st.Page(), self, folder, s.stage)
	}
	for i := range steps {
		if steps[i].state() != stepNotWritten {
			continue
		}
		st := course.Get(steps[i].stage)
		num := st.Num()
		where := fmt.Sprintf("%s/ (Go), %s.py or %s.js", filepath.Join(folder, num), filepath.Join(folder, num), filepath.Join(folder, num))
		if i > 0 && steps[i-1].path != "" {
			where = fmt.Sprintf("%s, starting from a copy of %s", filepath.Join(folder, num)+filepath.Ext(steps[i-1].path), steps[i-1].path)
			if filepath.Ext(steps[i-1].path) == "" {
				where = fmt.Sprintf("%s/, starting from a copy of %s/", filepath.Join(folder, num), steps[i-1].path)
			}
		}
		return fmt.Sprintf("next: write %s in %s (%s)", steps[i].stage, where, st.Page())
	}
	return "every stage met: the course is done; its pages end with exercises (" + self + " -h lists those it checks)"
}

// printLadder writes the ladder: a line per stage, and what to do next.
func printLadder(w io.Writer, folder string, steps []step, col palette, watching bool) {
	met := 0
	for i := range steps {
		if steps[i].state() == stepMet {
			met++
		}
	}
	fmt.Fprintf(w, "%s: %d of %d stages met\n", folder, met, len(steps))
	for i := range steps {
		s := &steps[i]
		var state, rest string
		switch s.state() {
		case stepMet:
			state, rest = col.good("met"), s.path
		case stepNotMet:
			state, rest = col.bad("not met"), s.path+": "+s.why()
		case stepCannotRun:
			state, rest = col.bad("cannot run"), s.path+": "+s.why()
		case stepChecking:
			state, rest = col.dim("checking..."), s.path
		default:
			state = col.dim("not written yet")
		}
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  %-14s %s%s", s.stage, pad(state, col, 16), rest), " "))
	}
	for i := range steps {
		if steps[i].state() == stepChecking {
			return // what is next depends on what the checks find
		}
	}
	fmt.Fprintln(w, col.bold(nextThing(folder, steps, watching)))
}

// pad pads s, which may have colour codes, to width visible characters.
func pad(s string, col palette, width int) string {
	n := len(col.strip(s))
	if n >= width {
		return s + " "
	}
	return s + strings.Repeat(" ", width-n)
}

// ladderDocument is the ladder, for the JSON document.
func ladderDocument(folder string, steps []step, warnings []string) *jsonLadder {
	d := &jsonLadder{Folder: folder, Steps: stepDocuments(steps), Highest: highest(steps), Warnings: nonNil(warnings), Next: nextThing(folder, steps, false)}
	for i := range steps {
		if steps[i].state() == stepMet {
			d.Met++
		}
	}
	return d
}

// stepDocuments are the steps, for the JSON document.
func stepDocuments(steps []step) []jsonStep {
	list := []jsonStep{}
	for i := range steps {
		s := &steps[i]
		js := jsonStep{Stage: s.stage, Path: s.path, State: s.state(), Cause: s.cause()}
		if js.State == stepNotMet || js.State == stepCannotRun {
			js.Why = s.why()
		}
		if s.c != nil {
			js.Check = checkDocument(s.c)
		}
		list = append(list, js)
	}
	return list
}
