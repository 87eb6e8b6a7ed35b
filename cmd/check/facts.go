package main

import (
	"socketcourse/internal/course"
)

// facts are what the program did, decided once from every scenario's
// results: the behaviour seen (listens, accepts, replies, loops, serves
// clients at the same time, answers every message, tells its clients on
// Ctrl-C...), where it listens, what runs it. The gates, the stage it
// behaves like, the verdicts and the hints are all derived from them, so
// that a report cannot say a thing and its opposite.
type facts struct {
	seen      map[course.Fact]bool // seen anywhere
	lacked    map[course.Fact]bool // seen lacking somewhere
	elsewhere bool                 // it listens on another port than the one it was given
	lang      lang                 // what runs it: the command's word, or the evidence's
}

// implied are the behaviours a behaviour implies: a program that serves
// two clients at once serves a second client, one that answers a second
// message answers, and so on.
var implied = map[course.Fact][]course.Fact{
	course.Concurrent:   {course.Loops},
	course.Loops:        {course.Accepts},
	course.EveryMessage: {course.Replies},
	course.Replies:      {course.Accepts},
	course.Lines:        {course.EveryMessage},
	course.Tells:        {course.Accepts},
	course.Accepts:      {course.Listens},
}

// factsOf decides the facts from the results of the scenarios that ran.
func factsOf(results []result) facts {
	f := facts{seen: map[course.Fact]bool{}, lacked: map[course.Fact]bool{}}
	for _, r := range results {
		if !r.ran {
			continue
		}
		for k, v := range r.facts {
			if v {
				f.seen[k] = true
			} else {
				f.lacked[k] = true
			}
		}
		if r.status == failed && (r.cause == causeWrongPort || r.cause == causeSwappedPort) {
			f.elsewhere = true
		}
		if f.lang == langUnknown {
			f.lang = r.lang
		}
	}
	for changed := true; changed; {
		changed = false
		for k := range f.seen {
			for _, more := range implied[k] {
				if !f.seen[more] {
					f.seen[more], changed = true, true
				}
			}
		}
	}
	if f.lang == langUnknown {
		for _, r := range results {
			for _, e := range r.events {
				if e.runtime != langUnknown {
					f.lang = e.runtime
					return f
				}
			}
		}
	}
	return f
}

// behavesLike names the stage whose behaviour the program has, decided by
// what it does, not by what it prints: the highest stage whose behaviour
// it shows. A program no client could connect to does nothing of 02 or
// after, whatever else it seemed to do; one that listens elsewhere is
// like none: nothing could check it.
func (f facts) behavesLike() *course.Stage {
	if f.elsewhere {
		return nil
	}
	for i := len(course.Stages) - 1; i >= 0; i-- {
		st := &course.Stages[i]
		has := i == 0 || f.seen[course.Listens]
		for _, h := range st.Has {
			has = has && f.seen[h]
		}
		if has {
			return st
		}
	}
	return nil
}

// gateStage is the first stage whose gate the program does not pass: the
// last the report shows in full in a check of every stage (nil: it
// passes them all).
func (f facts) gateStage() *course.Stage {
	for i := range course.Stages {
		if g := course.Stages[i].Gate; g != "" && !f.seen[g] {
			return &course.Stages[i]
		}
	}
	return nil
}
