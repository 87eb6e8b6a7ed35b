package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The ladder: a learner's stages in a folder of theirs, found by
// convention (mine/05/ with Go files, mine/05.py, mine/05/ with a .py
// file), each checked as its own stage, and how far they have come.

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
	stateMet        = "met"
	stateNotMet     = "not-met"
	stateNotWritten = "not-written"
	stateChecking   = "checking" // while the watch checks it
)

func (s *step) state() string {
	switch {
	case s.argv == nil && s.problem == "":
		return stateNotWritten
	case s.argv != nil && s.c == nil:
		return stateChecking
	case s.c != nil && s.c.exit == 0:
		return stateMet
	}
	return stateNotMet
}

// stepName is a stage's folder or file in the learner's folder: 05,
// 05-loop, 05.py, 05-loop.py.
var stepName = regexp.MustCompile(`^(\d\d)(-[\w-]*)?(\.py)?$`)

// findSteps returns every stage of the course, in order, each with the
// learner's program for it in folder, if any. A folder is taken before a
// .py file of the same stage.
func findSteps(folder string) ([]step, error) {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, err
	}
	steps := make([]step, len(stages))
	for i, st := range stages {
		steps[i].stage = st
		num, _, _ := strings.Cut(st, "-")
		for _, dirs := range []bool{true, false} {
			for _, e := range entries {
				m := stepName.FindStringSubmatch(e.Name())
				if m == nil || m[1] != num || steps[i].path != "" || e.IsDir() != dirs || e.IsDir() == (m[3] != "") {
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

// checkStep checks a step's program as its stage. With -idle, 07 is given
// the same -idle.
func checkStep(ctx context.Context, cfg *config, s *step) *checked {
	sub := *cfg
	sub.stage = s.stage
	argv := s.argv
	if s.stage == "07-shutdown" && cfg.idle > 0 {
		argv = append(argv[:len(argv):len(argv)], "-idle", cfg.idle.String())
	}
	return checkWith(ctx, &sub, argv, io.Discard)
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

// runLadder is -ladder: every stage found, checked once.
func runLadder(ctx context.Context, cfg *config, stdout, stderr io.Writer) int {
	steps, err := findSteps(cfg.ladder)
	if err != nil {
		return noFolder(cfg, err, stdout, stderr)
	}
	var todo []int
	for i := range steps {
		todo = append(todo, i)
	}
	checkSteps(ctx, cfg, steps, todo)
	if ctx.Err() != nil && !cfg.json {
		fmt.Fprintln(stdout, "check: interrupted; every program was stopped")
		return 1
	}
	code := ladderExit(steps)
	if cfg.json {
		writeJSON(stdout, &jsonDoc{Format: jsonFormat, Mode: "ladder", Ladder: ladderDocument(cfg.ladder, steps), Exit: code})
		return code
	}
	printLadder(stdout, cfg.ladder, steps, colours(stdout, cfg.env), false)
	return code
}

// noFolder says that the ladder's folder cannot be read: exit status 2.
func noFolder(cfg *config, err error, stdout, stderr io.Writer) int {
	msg := fmt.Sprintf("cannot read the folder %s (%v): make it, and your first stage in it, as in mkdir -p %s", cfg.ladder, unwrapAll(err), filepath.Join(cfg.ladder, "01"))
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
		case stateNotMet:
			return 1
		case stateMet:
			met++
		}
	}
	if met == 0 {
		return 1
	}
	return 0
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
	for _, r := range c.results {
		if r.status == failed && !r.notRun {
			return fmt.Sprintf("%s: %s", r.cause, r.note)
		}
	}
	if len(c.verdict.diffs) > 0 {
		return "its text differs: " + c.verdict.diffs[0].words()
	}
	return c.verdict.last
}

// focus is the stage being worked on: the lowest written and not met; -1
// when there is none.
func focus(steps []step) int {
	for i := range steps {
		if steps[i].state() == stateNotMet {
			return i
		}
	}
	return -1
}

// nextThing says what to do next, in one line.
func nextThing(folder string, steps []step, watching bool) string {
	if i := focus(steps); i >= 0 {
		s := steps[i]
		if s.argv == nil {
			return fmt.Sprintf("next: %s: %s", s.path, s.problem)
		}
		if watching {
			return fmt.Sprintf("next: fix %s, as its report below says (docs/%s.md)", s.stage, s.stage)
		}
		return fmt.Sprintf("next: fix %s (docs/%s.md); its whole report: %s -stage %s -- %s", s.stage, s.stage, self, s.stage, strings.Join(s.argv, " "))
	}
	for i := range steps {
		if steps[i].state() != stateNotWritten {
			continue
		}
		num, _, _ := strings.Cut(steps[i].stage, "-")
		where := fmt.Sprintf("%s/ (Go) or %s.py", filepath.Join(folder, num), filepath.Join(folder, num))
		if i > 0 && steps[i-1].path != "" {
			where = fmt.Sprintf("%s, starting from a copy of %s", filepath.Join(folder, num)+filepath.Ext(steps[i-1].path), steps[i-1].path)
			if filepath.Ext(steps[i-1].path) == "" {
				where = fmt.Sprintf("%s/, starting from a copy of %s/", filepath.Join(folder, num), steps[i-1].path)
			}
		}
		return fmt.Sprintf("next: write %s in %s (docs/%s.md)", steps[i].stage, where, steps[i].stage)
	}
	return "every stage met: the course is done; its pages end with exercises (" + self + " -h lists those it checks)"
}

// printLadder writes the ladder: a line per stage, and what to do next.
func printLadder(w io.Writer, folder string, steps []step, col palette, watching bool) {
	met := 0
	for i := range steps {
		if steps[i].state() == stateMet {
			met++
		}
	}
	fmt.Fprintf(w, "%s: %d of %d stages met\n", folder, met, len(steps))
	for i := range steps {
		s := &steps[i]
		var state, rest string
		switch s.state() {
		case stateMet:
			state, rest = col.good("met"), s.path
		case stateNotMet:
			why := s.problem
			if s.argv != nil {
				why = whyNotMet(s.c)
			}
			state, rest = col.bad("not met"), s.path+": "+why
		case stateChecking:
			state, rest = col.dim("checking..."), s.path
		default:
			state = col.dim("not written yet")
		}
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  %-14s %s%s", s.stage, pad(state, col, 16), rest), " "))
	}
	for i := range steps {
		if steps[i].state() == stateChecking {
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
func ladderDocument(folder string, steps []step) *jsonLadder {
	d := &jsonLadder{Folder: folder, Steps: []jsonStep{}, Next: nextThing(folder, steps, false)}
	for i := range steps {
		s := &steps[i]
		js := jsonStep{Stage: s.stage, Path: s.path, State: s.state()}
		if js.State == stateMet {
			d.Met++
		}
		if js.State == stateNotMet {
			js.Why = s.problem
			if s.argv != nil {
				js.Why = whyNotMet(s.c)
			}
		}
		if s.c != nil {
			js.Check = checkDocument(s.c)
		}
		d.Steps = append(d.Steps, js)
	}
	return d
}
