package main

import (
	"fmt"
	"strings"

	"socketcourse/internal/course"
	"socketcourse/internal/wire"
)

// The exercises at the end of a stage's page that change what the stage's
// program does (internal/course lists them): -exercise checks one done,
// instead of the stage as it is. (The other exercises change nothing in
// the program: their pages say how the learner sees them done.)

// exerciseNames returns the names of the exercises the checker checks.
func exerciseNames() []string {
	var names []string
	for _, st := range course.Stages {
		for _, e := range st.Exercises {
			names = append(names, e.Name)
		}
	}
	return names
}

// busyLine is what exercise 07-2 tells a client over the limit.
const busyLine = "Server busy. Try again later.\n"

// exercise is what the exercise asked for changes, or "".
func (s *session) exercise() string {
	if _, ex := course.ExerciseStage(s.cfg.exercise); ex != nil {
		return ex.Changes
	}
	return ""
}

// welcomeFor is the welcome line client c should get: the article's, or
// the one exercise 06-2 asks for, which names the client.
func (s *session) welcomeFor(c *client) string {
	if s.exercise() == "welcome-names" {
		return namedWelcome(c)
	}
	return welcome
}

// namedWelcome is exercise 06-2's welcome line: it names the client. A
// program that has done the exercise meets 06 without -exercise too.
func namedWelcome(c *client) string {
	return fmt.Sprintf("Welcome 127.0.0.1:%d. Type something and hit enter\n", c.port)
}

func busyClients(s *session) outcome {
	var cs []*client
	for i := 1; i <= s.cfg.maxConns; i++ {
		c, o := s.connect(i)
		if o != nil {
			return *o
		}
		if r := c.ask(fmt.Sprintf("client %d\r\n", i), course.Prefix); !r.answered() {
			return noAnswer(r, fmt.Sprintf("client %d of %d", i, s.cfg.maxConns))
		}
		cs = append(cs, c)
	}
	extra, o := s.dial()
	if o != nil {
		return *o
	}
	got, err := extra.end(s.cfg.wait)
	if !strings.Contains(got, "\n") || err == nil || wire.IsTimeout(err) {
		return fail(causeNotBusy, fmt.Sprintf("client %d, over -max %d, got %s, then %s; want %s and the end of the connection", extra.n, s.cfg.maxConns, quote(got), wire.EndWords(err), quote(busyLine)))
	}
	if line := got[strings.LastIndex(strings.TrimSuffix(got, "\n"), "\n")+1:]; line != busyLine && strings.TrimSuffix(line, "\r\n") != strings.TrimSuffix(busyLine, "\n") {
		s.differ(textDiff("busy-line", "the busy line", busyLine, line, s.sc.stage.Folder))
	}
	cs[0].reset()
	for try := 0; ; try++ {
		next, o := s.dial()
		if o == nil {
			if r := next.ask("after one left\r\n", course.Prefix); r.answered() && !strings.Contains(r.got, "busy") {
				return pass()
			}
		}
		if try == 10 {
			return fail(causeNotBusy, "once a client had left, a new one was still not served")
		}
		s.prog.out.WaitLine(s.prog.out.Count(), s.cfg.quiet/5, s.prog.over, func(string) bool { return true }) // a pause: the program notices the client left
	}
}
