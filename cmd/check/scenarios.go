package main

import (
	"time"

	"socketcourse/internal/course"
)

// The course's stages and their scenarios come from one table,
// internal/course; the checker adds how it plays each scenario.

// A scenario is one thing a client (or the terminal) can see of a stage,
// and how the checker plays it.
type scenario struct {
	course.Scenario
	stage *course.Stage
	play
}

// play is how the checker plays a scenario.
type play struct {
	run func(*session) outcome
	// ends: it ends the program (Ctrl-C), or judges how the program
	// ends itself (a crash is not read from the exit).
	ends bool
	// alone: it needs a program of its own, started for it: it holds the
	// program's port first, or lowers its limits.
	alone bool
	// fresh: it needs a program no scenario has talked to yet (the first
	// start's, or a new one): it is about the program's state right
	// after it starts. A run plays its fresh scenarios first.
	fresh bool
	limit time.Duration // a backstop: the scenario is given up after this long; 0 is 30 s
}

// plays are the checker's ways of playing each scenario of the course,
// by its slug. Scenarios of a program not alone and not ending it share
// one run of the program, one after another: a program that takes
// seconds to start (a JVM) is started a few times, not once a scenario.
var plays = map[string]play{
	"lines":                {run: twoLines},
	"bind-failed":          {run: bindFailure, ends: true, alone: true},
	"refused-while-bound":  {run: refusedWhileBound, fresh: true},
	"listening":            {run: listening},
	"never-accepted":       {run: neverAccepted},
	"connected-with":       {run: connectedWith},
	"hung-up":              {run: hungUp},
	"exits-after-one":      {run: exitsAfterOne},
	"echo":                 {run: echoOnce},
	"one-reply":            {run: oneReply},
	"served-in-turn":       {run: servedInTurn},
	"second-waits":         {run: secondWaits},
	"empty-stops":          {run: emptyStops},
	"every-message":        {run: everyMessage},
	"second-while-silent":  {run: secondWhileFirstSilent},
	"hundred-clients":      {run: hundredClients},
	"empty-or-reset":       {run: emptyOrReset},
	"dropped-on-ctrl-c":    {run: droppedOnCtrlC, ends: true},
	"told-on-ctrl-c":       {run: toldOnCtrlC, ends: true},
	"idle":                 {run: idleClient, limit: time.Minute},
	"accept-errors":        {run: acceptErrors, alone: true},
	"busy":                 {run: busyClients},
	"lines-in-one-segment": {run: linesInOneSegment},
	"line-in-pieces":       {run: lineInPieces},
	"long-line":            {run: longLine},
	"idle-partial-line":    {run: idlePartialLine, limit: time.Minute},
	"frames":               {run: frames},
	"frame-too-long":       {run: frameTooLong},
}

// scenarios are every stage's, in the course's order.
var scenarios = func() []scenario {
	var list []scenario
	for i := range course.Stages {
		st := &course.Stages[i]
		for _, sc := range st.Scenarios {
			list = append(list, scenario{Scenario: sc, stage: st, play: plays[sc.Slug]})
		}
	}
	return list
}()

// stages are the course's stage folders, in order.
var stages = course.Folders()

// scenariosOf returns the scenarios of stage, in order.
func scenariosOf(stage string) []scenario {
	var list []scenario
	for _, sc := range scenarios {
		if sc.stage.Folder == stage {
			list = append(list, sc)
		}
	}
	return list
}

// exerciseScenarios are the scenarios an exercise adds to its stage's.
func exerciseScenarios(name string) []scenario {
	st, ex := course.ExerciseStage(name)
	if ex == nil {
		return nil
	}
	var list []scenario
	for _, sc := range ex.Adds {
		list = append(list, scenario{Scenario: sc, stage: st, play: plays[sc.Slug]})
	}
	return list
}

func isStage(s string) bool { return course.Index(s) >= 0 }

// stageIndex returns the place of stage in the course, from 0; -1 for none.
func stageIndex(stage string) int { return course.Index(stage) }

// status is how a scenario went.
type status string

const (
	passed   status = "passed"
	differs  status = "differs"    // as the stage wants, but its text differs
	limited  status = "limitation" // the stage's limitation, shown as the article's program shows it
	better   status = "better"     // the program does better than the stage's limitation
	outgrown status = "outgrown"   // the program does what a later stage does instead
	failed   status = "failed"
	skipped  status = "skipped"
)

// outcome is how a scenario went, in the scenario's own words.
type outcome struct {
	status status
	cause  cause
	note   string        // what was seen: why it failed, why skipped, what it does better
	as     *course.Stage // outgrown: the stage whose behaviour it is
}

func pass() outcome                  { return outcome{status: passed} }
func notePass(note string) outcome   { return outcome{status: passed, note: note} }
func shown(note string) outcome      { return outcome{status: limited, note: note} }
func doesBetter(note string) outcome { return outcome{status: better, note: note} }
func grownOut(note string, as *course.Stage) outcome {
	return outcome{status: outgrown, note: note, as: as}
}
func skip(why string) outcome { return outcome{status: skipped, note: why} }

func fail(c cause, note string) outcome {
	return outcome{status: failed, cause: c, note: note}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
