package main

import (
	"fmt"
	"net"
	"strings"
	"time"

	"socketcourse/internal/course"
	"socketcourse/internal/wire"
)

// preflight is what the checker learns from starting the program once,
// before any scenario: whether it can start at all, whether it listens on
// the port it is given, and how it ends if it ends at once. Scenarios that
// need a listening program are then told at once, not after a time-out
// each.
type preflight struct {
	ready     time.Duration // how long it took to listen, or to exit
	gaveUp    time.Duration // how long the checker waited for it to listen
	listened  bool
	otherPort int  // the port it listens on instead of its own (Linux)
	port      int  // the port it was given
	ended     bool // it exited before it listened
	lang      lang // what the process that listens runs (Linux), when the command did not say
}

// preflightRun starts the program, waits at most cfg.start until it
// listens or exits, and leaves it running for the first scenario that
// needs a program (or stops it). Where the system shows which ports a
// program listens on (Linux), it is watched, not connected to: the first
// scenario gets a program no client has touched. Elsewhere a client
// connects to see it listen, and the program is stopped.
func (chk *checkRun) preflightRun() (*preflight, *startupError) {
	rn := &runner{chk: chk}
	s := &session{checkRun: chk, rn: rn, sc: scenario{stage: &course.Stages[0], Scenario: course.Scenario{Slug: "start"}}}
	chk.pre = &preflight{listened: true} // while it runs, the session dials as usual
	pre := &preflight{}
	defer startGate()()
	p, o := s.start()
	if o != nil {
		if o.status == skipped {
			return pre, nil
		}
		return nil, &startupError{cause: causeNotFound, msg: o.note, hint: "is the command right? It runs from the folder you run the checker in."}
	}
	keep := false
	defer func() {
		if keep {
			chk.mu.Lock()
			chk.handed = rn
			chk.mu.Unlock()
			return
		}
		rn.stop(nil)
	}()
	started := time.Now()
	deadline := started.Add(chk.cfg.start)
	lastLook := time.Time{}
	w := p.watch()
	defer func() { pre.gaveUp = time.Since(started) }()
	for {
		w.look()
		if time.Now().After(deadline) {
			// A program still starting on a busy machine is given more
			// time, up to three times as much; one that waits for
			// something else is not.
			if !w.busy() || time.Since(started) > 3*chk.cfg.start {
				break
			}
			deadline = time.Now().Add(time.Second)
		}
		if canSeeListeners {
			if portListens(s.port) {
				pre.listened, pre.ready = true, time.Since(started)
				if chk.cmd.lang == langUnknown {
					pre.lang = processLang(listeningPorts(p.cmd.Process.Pid)[s.port])
				}
				keep = true
				return pre, nil
			}
		} else if c, err := net.DialTimeout("tcp", s.addr(), s.dialWait()); err == nil {
			wire.Reset(c)
			pre.listened, pre.ready = true, time.Since(started)
			return pre, nil
		}
		if p.exited() {
			pre.ended, pre.ready = true, time.Since(started)
			return pre, startupFailure(p)
		}
		if time.Since(lastLook) > 200*time.Millisecond {
			lastLook = time.Now()
			for port := range listeningPorts(p.cmd.Process.Pid) {
				if port != s.port {
					pre.otherPort, pre.port = port, s.port
				}
			}
			if pre.otherPort != 0 {
				return pre, nil
			}
		}
		time.Sleep(20 * time.Millisecond) // polling the program while it starts, not waiting on our own goroutines
	}
	return pre, nil
}

// startupFailure reads what a program that exited before it listened
// printed, for the mistakes that mean it cannot run at all.
func startupFailure(p *program) *startupError {
	lines := p.tail(40)
	text := strings.Join(lines, "\n")
	evidence := ""
	if events := readEvents(lines, p.lang); len(events) > 0 {
		evidence = events[len(events)-1].message
	} else if w, ok := lastWords(lines, p.lang); ok {
		evidence = w.message
	}
	switch {
	case strings.Contains(text, "Missing parentheses in call to 'print'") ||
		strings.Contains(text, "multiple exception types must be parenthesized") ||
		strings.Contains(text, "No module named 'thread'"):
		return &startupError{
			cause: causePython2,
			msg:   "your program is Python 2, as the article's code is, and Python 3 stops at once: " + evidence,
			lines: pythonTrace(lines),
			hint:  "port it to Python 3 as examples/python/README.md shows: print(...), except socket.error as msg, bytes for send and recv.",
		}
	case strings.HasPrefix(evidence, "SyntaxError") || strings.HasPrefix(evidence, "IndentationError") || strings.HasPrefix(evidence, "TabError"):
		return &startupError{
			cause: causeCompileError,
			msg:   "Python cannot read your program: " + evidence,
			lines: pythonTrace(lines),
			hint:  "fix the line Python shows, at the ^.",
		}
	case strings.Contains(text, "can't open file"):
		return &startupError{cause: causeNotFound, msg: "cannot start your program: " + evidence, hint: "is the path of the file right? It is relative to the folder you run the checker in."}
	}
	if e := p.ending(); e.code == 127 || e.code == 126 {
		return &startupError{cause: causeNotFound, msg: fmt.Sprintf("cannot start your program (%s): %s", e.words, evidence), hint: "is the command right?"}
	}
	return nil
}

// pythonTrace returns the lines of the last traceback, at most 15.
func pythonTrace(lines []string) []string {
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "  File ") || lines[i] == "Traceback (most recent call last):" {
			for i > 0 && (strings.HasPrefix(lines[i-1], "  File ") || lines[i-1] == "Traceback (most recent call last):") {
				i--
			}
			return firstLines(lines[i:], 15)
		}
	}
	return firstLines(lines, 15)
}

// notListening is the failure of a scenario's first client when the
// program's first start showed it does not listen where it should; nil
// when it did.
func (pre *preflight) notListening(s *session) *outcome {
	var o outcome
	switch {
	case pre == nil || pre.listened:
		return nil
	case pre.otherPort != 0:
		s.fact(course.Listens, false)
		// Where this run of it listens: with a port for each run, the
		// first start's was another.
		q := 0
		for deadline := time.Now().Add(s.startWait()); q == 0 && !s.prog.exited() && time.Now().Before(deadline); {
			q = s.otherPort()
			if q == 0 {
				s.prog.waitExit(50 * time.Millisecond) // polling the system's list of sockets while the program starts
			}
		}
		s.prog.waitExit(s.cfg.quiet) // time to print where it listens, for the report
		if q != 0 {
			o = elsewhere(s.port, q)
		} else {
			o = fail(causeWrongPort, fmt.Sprintf("your program listened on port %d, not on %d, the port it was given, when it first started", pre.otherPort, pre.port))
		}
	case pre.ended:
		s.prog.waitExit(s.startWait())
		if !s.prog.exited() {
			return nil // it ran longer this time: try it
		}
		o = s.endedOutcome("before a client could connect")
	default:
		s.prog.waitExit(s.cfg.quiet) // time to print what it does instead, for the report
		o = fail(causeNeverListens, fmt.Sprintf("nothing listened on the port your program was given within %v of its start", pre.gaveUp.Round(100*time.Millisecond)))
	}
	return &o
}
