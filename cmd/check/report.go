package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"socketcourse/internal/wire"
)

// result is a scenario and how it went, with what the report shows of a
// failure.
type result struct {
	scenario
	outcome
	log     []string // what the clients did
	printed []string // the last lines the program printed
}

// runScenario runs sc with a program of its own, and stops that program.
func runScenario(cfg *config, running *programs, sc scenario) result {
	s := &session{cfg: cfg, running: running}
	o := sc.run(s)
	var printed []string
	if s.prog != nil {
		printed = s.prog.tail(12) // what the program had printed when the outcome was clear
	}
	s.close()
	r := result{scenario: sc, outcome: o, log: s.log, printed: printed}
	if s.prog != nil && r.verdict == failed {
		if _, _, ok := s.prog.out.WaitLine(0, 0, nil, func(l string) bool { return strings.Contains(l, "Missing parentheses in call to 'print'") }); ok {
			r.hint = "this is Python 2's print: the article's code is Python 2. Run it with Python 3's changes (print(...), bytes): see examples/python/README.md."
		}
	}
	if s.prog != nil {
		if r.verdict == failed && sc.name != "on a port in use, prints Bind failed and exits" {
			if _, _, ok := s.prog.out.WaitLine(0, 0, nil, func(l string) bool { return strings.HasPrefix(l, "Bind failed") }); ok {
				r.hint = "your program could not bind its port this time: a connection it closed a moment ago may still hold the port (TIME_WAIT, up to a minute). A server that sets SO_REUSEADDR before bind does not have this problem; or put {port} in your command."
			}
		}
	}
	return r
}

// hintFor says in plain words what an error means for the learner.
func hintFor(err error) string {
	var e *wire.Error
	isWire := errors.As(err, &e)
	switch {
	case isWire && e.Want == welcome && len(e.Got) == 0:
		return "no welcome line: send it to every client as soon as it connects, before reading anything."
	case isWire && strings.HasPrefix(e.Want, prefix) && len(e.Got) > 0 && strings.HasPrefix(e.Want[len(prefix):], string(e.Got)):
		return "the reply must start with OK...: reply = 'OK...' + data."
	case isWire && len(e.Got) > 0 && e.Op == "read" && !strings.Contains(string(e.Got), "\x00\x00"):
		return "other bytes than wanted: compare them above, byte for byte."
	case strings.Contains(err.Error(), "exited"):
		return "your program stopped: read what it printed, below."
	case isRefused(err):
		return "connection refused: is your program listening, and on the port the checker uses (see the first line of this report)?"
	case errors.Is(err, os.ErrDeadlineExceeded):
		waited := ""
		if isWire && e.Waited > 0 {
			waited = fmt.Sprintf(" within %v", e.Waited.Round(100*time.Millisecond))
		}
		return fmt.Sprintf("nothing%s: is your server reading, and answering? Does it flush what it writes?", waited)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "EOF: your server closed the connection."
	case isReset(err):
		return "a reset: your server closed the connection (with bytes from the client unread), or crashed: read what it printed, below."
	case isWire && strings.Contains(string(e.Got), "\x00\x00"):
		return "more bytes than were sent, zeros among them: send back buf[:n], the n bytes the read returned, not the whole buffer."
	case isWire && e.Op == "read":
		return "other bytes than wanted: compare them above, byte for byte."
	}
	return ""
}

// words of each verdict in the report.
var verdictWords = map[verdict]string{passed: "passed", limited: "passed", better: "passed", failed: "FAILED", skipped: "skipped"}

// printResult writes one line for a scenario, and for a failure what the
// learner needs to see why. shown holds what the program printed in the
// failures reported so far: a program that fails the same way every time
// (a syntax error, a crash at start) is quoted once, not once a scenario.
func printResult(w io.Writer, r result, shown map[string]bool) {
	line := fmt.Sprintf("  %-7s %s", verdictWords[r.verdict], r.name)
	switch r.verdict {
	case passed:
		if r.note != "" {
			line += "; note: " + r.note
		}
	case limited:
		line += fmt.Sprintf(" (the stage's limitation; %s fixes it)", r.fixedBy)
	case better:
		line += fmt.Sprintf(" (this stage's limitation; yours does better, as %s: %s)", r.fixedBy, r.note)
	case skipped:
		line += ": " + r.note
	}
	fmt.Fprintln(w, line)
	if r.verdict != failed {
		return
	}
	const indent = "          "
	fmt.Fprintf(w, "%s%s\n", indent, r.note)
	for _, l := range r.log {
		fmt.Fprintf(w, "%s  > %s\n", indent, l)
	}
	if r.hint != "" {
		fmt.Fprintf(w, "%shint: %s\n", indent, r.hint)
	}
	printed := strings.Join(r.printed, "\n")
	switch {
	case len(r.printed) == 0:
		fmt.Fprintf(w, "%syour program printed nothing\n", indent)
	case shown[printed]:
		lines := fmt.Sprintf("%d lines", len(r.printed))
		if len(r.printed) == 1 {
			lines = "line"
		}
		fmt.Fprintf(w, "%syour program printed the same %s as above\n", indent, lines)
	default:
		shown[printed] = true
		fmt.Fprintf(w, "%syour program printed:\n", indent)
		for _, l := range r.printed {
			fmt.Fprintf(w, "%s  | %s\n", indent, l)
		}
	}
	fmt.Fprintf(w, "%sread docs/%s.md\n", indent, r.stage)
}
