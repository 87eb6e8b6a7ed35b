package main

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"socketcourse/internal/course"
)

// Every check any test makes is held to its own words: a report must not
// say a thing and its opposite (issue: "yours does better, as
// 06-goroutines: the second client was answered at once", then
// "06-goroutines: not tried, since your program does not serve a second
// client yet"). TestMain fails the tests when one did.

var (
	contradictedMu sync.Mutex
	contradicted   []string
)

// recordContradictions records what the check c, which exited with code
// and printed text, says against itself.
func recordContradictions(c *checked, code int, text string) {
	if bad := contradictions(c, code, text); len(bad) > 0 {
		contradictedMu.Lock()
		defer contradictedMu.Unlock()
		contradicted = append(contradicted, fmt.Sprintf("%s:\n  %s\n%s", strings.Join(c.cfg.argv, " "), strings.Join(bad, "\n  "), text))
	}
}

var (
	asDoes     = regexp.MustCompile(`as (\d\d-[a-z-]+) does`)
	behavesRE  = regexp.MustCompile(`^behaves like (\S+);`)
	stagesMet  = regexp.MustCompile(`(?m)^stages met: (.*)$`)
	noLoopYet  = regexp.MustCompile(`no loop yet|a loop comes in 05`)
	notTriedRE = regexp.MustCompile(`(?m)^(\S+(?:, \S+)*): not (?:tried|met), since`)
)

// contradictions returns what the check says against itself.
func contradictions(c *checked, code int, text string) []string {
	v := c.view
	var bad []string
	say := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	if c.interrupted {
		return nil
	}
	// A stage met has no failure standing in it or below it.
	for _, met := range v.met {
		for _, sv := range v.stages {
			if !sv.shown || course.Index(sv.stage.Folder) > course.Index(met) {
				continue
			}
			for _, rv := range sv.results {
				if rv.status == failed {
					say("%s is met, but %s %s failed (%s)", met, sv.stage.Folder, rv.Slug, rv.cause)
				}
			}
		}
	}
	// The exit status follows the verdict.
	if code != v.exit {
		say("the exit status is %d, the view's %d", code, v.exit)
	}
	if v.target != nil && len(v.cfg.only) == 0 && (code == 0) != contains(v.met, v.target.Folder) {
		say("exit %d, but %s met: %v", code, v.target.Folder, contains(v.met, v.target.Folder))
	}
	// What the text says, the view says.
	if m := behavesRE.FindStringSubmatch(v.last); m != nil && (v.behaves == nil && m[1] != "none" || v.behaves != nil && m[1] != v.behaves.Folder) {
		say("the last line says it behaves like %s", m[1])
	}
	if m := stagesMet.FindStringSubmatch(text); m != nil && m[1] != v.metList() {
		say("the report's stages met: %s; the view's: %s", m[1], v.metList())
	}
	// A stage done as a later one does is only said of a program that
	// behaves like that later one.
	for _, m := range asDoes.FindAllStringSubmatch(text, -1) {
		if v.behaves == nil || course.Index(m[1]) > course.Index(v.behaves.Folder) {
			say("the report says %q, but the program behaves like %v", m[0], v.behaves)
		}
	}
	for _, sv := range v.stages {
		if sv.state == stateOutgrown && (v.behaves == nil || course.Index(v.behaves.Folder) <= course.Index(sv.stage.Folder)) {
			say("%s is outgrown, by a program that behaves like %v", sv.stage.Folder, v.behaves)
		}
	}
	// The stages not tried are those past a behaviour the facts lack.
	if m := notTriedRE.FindStringSubmatch(text); m != nil {
		g := v.facts.gateStage()
		if g == nil {
			say("stages not tried (%s), though the program passes every gate", m[1])
		}
		for _, st := range strings.Split(m[1], ", ") {
			if g != nil && course.Index(st) <= course.Index(g.Folder) {
				say("%s not tried, though the program reaches it", st)
			}
		}
	}
	// Causes the facts deny.
	for _, sv := range v.stages {
		for _, rv := range sv.results {
			if rv.status != failed || !sv.shown {
				continue
			}
			if rv.cause == causeNeverAccepts && v.facts.seen[course.Accepts] {
				say("%s: never-accepts, though the program accepts its clients", rv.Slug)
			}
			if noLoopYet.MatchString(rv.hint) && v.facts.seen[course.Loops] {
				say("%s: the hint says no loop yet, though the program loops", rv.Slug)
			}
		}
	}
	return bad
}
