package main

import (
	"fmt"
	"strings"

	"socketcourse/internal/wire"
)

// An exercise at the end of a stage's page that changes what the stage's
// program does: -exercise checks it done, instead of the stage as it is.
// (The other exercises change nothing in the program: their pages say how
// the learner sees them done.)
type exercise struct {
	name     string // the page's stage number and the exercise's: 06-2
	stage    string
	what     string
	needsMax bool // the checker needs -max, as the program does
}

var exercises = []exercise{
	{name: "05-2", stage: "05-loop", what: "the server survives an empty connection: the next client is served"},
	{name: "06-2", stage: "06-goroutines", what: "the welcome line names the client: Welcome 127.0.0.1:59954. Type something and hit enter"},
	{name: "07-2", stage: "07-shutdown", what: "with -max clients connected, a new client is told Server busy. Try again later. and closed", needsMax: true},
}

func exerciseByName(name string) *exercise {
	for i := range exercises {
		if exercises[i].name == name {
			return &exercises[i]
		}
	}
	return nil
}

func exerciseNames() []string {
	var names []string
	for _, e := range exercises {
		names = append(names, e.name)
	}
	return names
}

// busyScenario is exercise 07-2's, added to 07's scenarios when asked for.
var busyScenario = scenario{stage: "07-shutdown", slug: "busy", name: "with -max clients connected, a new one is told Server busy. Try again later. and closed", proves: "exercise 07-2: a limit on the number of clients", run: busyClients}

// busyLine is what exercise 07-2 tells a client over the limit.
const busyLine = "Server busy. Try again later.\n"

// welcomeFor is the welcome line client c should get: the article's, or
// the one exercise 06-2 asks for, which names the client.
func (s *session) welcomeFor(c *client) string {
	if s.cfg.exercise == "06-2" {
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
		if r := c.ask(fmt.Sprintf("client %d\r\n", i), prefix); !r.answered() {
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
		s.differ(textDiff("busy-line", "the busy line", busyLine, line, "07-shutdown"))
	}
	cs[0].reset()
	for try := 0; ; try++ {
		next, o := s.dial()
		if o == nil {
			if r := next.ask("after one left\r\n", prefix); r.answered() && !strings.Contains(r.got, "busy") {
				return pass()
			}
		}
		if try == 10 {
			return fail(causeNotBusy, "once a client had left, a new one was still not served")
		}
		s.prog.out.WaitLine(s.prog.out.Count(), s.cfg.quiet/5, s.prog.over, func(string) bool { return true }) // a pause: the program notices the client left
	}
}
