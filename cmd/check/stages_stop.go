package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"socketcourse/internal/course"
	"socketcourse/internal/wire"
)

// The scenarios of 07-shutdown, and 06's Ctrl-C.

// ctrlC connects n clients, has each answered once (so that each is
// surely being served), and presses Ctrl-C.
func ctrlC(s *session, n int) ([]*client, *outcome) {
	var cs []*client
	for i := 1; i <= n; i++ {
		c, o := s.connect(i)
		if o != nil {
			return nil, o
		}
		if r := c.ask(fmt.Sprintf("client %d\r\n", i), prefix); !r.answered() {
			o := noAnswer(r, fmt.Sprintf("client %d", i))
			return nil, &o
		}
		cs = append(cs, c)
	}
	if err := s.prog.interrupt(); err != nil {
		o := skip(fmt.Sprintf("cannot send Ctrl-C to your program on %s: %v", runtime.GOOS, err))
		return nil, &o
	}
	s.logf("the checker presses Ctrl-C")
	return cs, nil
}

// stillAlive is the failure of a program that did not stop on Ctrl-C.
func (s *session) stillAlive(what string) outcome {
	return fail(causeAliveAfterCtlC, fmt.Sprintf("%s; your program still runs %v after Ctrl-C", what, s.cfg.wait))
}

func droppedOnCtrlC(s *session) outcome {
	cs, o := ctrlC(s, 1)
	if o != nil {
		return *o
	}
	got, err := cs[0].end(s.cfg.wait)
	switch {
	case got != "":
		s.fact(course.Tells, true)
		return doesBetter(fmt.Sprintf("the client was told %s", quote(got)))
	case errors.Is(err, os.ErrDeadlineExceeded) && !s.prog.exited():
		return s.stillAlive("the client is still connected")
	case errors.Is(err, os.ErrDeadlineExceeded):
		return s.stillAlive("the client is still connected: a process your program started holds its connection")
	}
	s.fact(course.Tells, false)
	// The article's program dies of the KeyboardInterrupt: one that goes
	// on, or starts again, is kept alive by something.
	if !s.prog.waitExit(s.cfg.wait) {
		if c, err := wire.Dial(s.addr(), s.cfg.wait); err == nil {
			c.Close()
			return s.stillAlive("your program listens again: something starts it anew")
		}
		return s.stillAlive("the client's connection ended")
	}
	return shown("the client's connection just ended")
}

func toldOnCtrlC(s *session) outcome {
	cs, o := ctrlC(s, 2)
	if o != nil {
		return *o
	}
	for _, c := range cs {
		got, err := c.readUntil(func(g string) bool { return strings.Contains(g, "\n") }, s.cfg.wait)
		c.received(got, err)
		if !strings.Contains(got, "\n") {
			s.fact(course.Tells, false)
			what := fmt.Sprintf("client %d got %s after Ctrl-C, then %s; want a line that says why", c.n, quote(got), wire.EndWords(err))
			if got == "" {
				what = fmt.Sprintf("client %d's connection just ended after Ctrl-C (%s); want a line that says why first", c.n, wire.EndWords(err))
			}
			if got == "" && errors.Is(err, os.ErrDeadlineExceeded) {
				what = fmt.Sprintf("client %d got nothing within %v of Ctrl-C, and is still connected", c.n, s.cfg.wait)
			}
			return fail(causeNotTold, what)
		}
		// Told: it leaves, with a reset, which leaves no TIME_WAIT on the
		// program's port (it closed first): on a fixed port, the next
		// program must be able to bind it at once.
		c.reset()
	}
	s.fact(course.Tells, true)
	if !s.prog.waitExit(s.cfg.grace + s.cfg.wait) {
		return fail(causeAliveAfterCtlC, fmt.Sprintf("your program still runs %v after Ctrl-C, though its clients were told and left", s.cfg.grace+s.cfg.wait))
	}
	e := s.prog.ending()
	switch {
	case !e.known:
		return notePass("under go run the exit status is go run's, 1 after a Ctrl-C whatever your program's was")
	case e.code != 0:
		return fail(causeCtrlCStatus, "after Ctrl-C your program ended with "+e.describe()+"; want exit status 0")
	}
	return pass()
}

func idleClient(s *session) outcome {
	idle := s.cfg.idle
	if idle == 0 {
		return skip("not checked: give the checker -idle with the time your program allows, and your program the same (for example -idle 2s)")
	}
	silent, o := s.dialFirst()
	if o != nil {
		return *o
	}
	since := time.Now()
	talker, o := s.dial()
	if o != nil {
		return *o
	}
	// The talker sends a line every third of -idle, for longer than
	// -idle: its silences are short, so it must never be cut off.
	talked := make(chan *outcome, 1)
	go func() {
		var bad *outcome
		for i := 1; time.Since(since) < idle*3/2 && bad == nil; i++ {
			bad = talker.talk(fmt.Sprintf("tick %d\r\n", i))
			time.Sleep(idle / 3) // the client's pace, not a synchronisation
		}
		talked <- bad
	}()
	silent.greet()
	got, err := silent.end(idle + s.cfg.wait - time.Since(since))
	bad := <-talked
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fail(causeIdleNotClosed, fmt.Sprintf("a silent client was still connected %v after it connected (-idle %v)", time.Since(since).Round(100*time.Millisecond), idle))
	case !strings.Contains(got, "\n"):
		return fail(causeNotTold, fmt.Sprintf("the silent client's connection ended after %s without a line that says why", quote(got)))
	case bad != nil:
		bad.cause = causeIdleCutsActive
		bad.note = "a client that sent a line every " + (idle / 3).Round(time.Millisecond).String() + ": " + bad.note
		return *bad
	}
	return pass()
}

func acceptErrors(s *session) outcome {
	if !canLimitFiles {
		return skip(fmt.Sprintf("the checker can give a program few files only on Linux, not on %s: try `ulimit -n 64` by hand (docs/07-shutdown.md)", runtime.GOOS))
	}
	first, o := s.dialFirst()
	if o != nil {
		return *o
	}
	if r := first.ask("client 1\r\n", prefix); !r.answered() {
		return noAnswer(r, "client 1")
	}
	pid := listeningPorts(s.prog.cmd.Process.Pid)[s.port]
	open, err := openFiles(pid)
	if pid == 0 || err != nil {
		return skip("the checker cannot see which process of your program listens on its port")
	}
	limit := open + 3
	if err := limitOpenFiles(pid, limit); err != nil {
		return skip(fmt.Sprintf("the checker cannot lower your program's limit on open files: %v", err))
	}
	s.logf("the checker lowers your program's limit on open files to %d (it has %d open), then connects 10 clients", limit, open)
	from := s.prog.out.Count()
	var crowd []*client
	for i := 0; i < 10; i++ {
		if conn, err := wire.Dial(s.addr(), s.dialWait()); err == nil {
			crowd = append(crowd, &client{s: s, conn: conn, quiet: true})
		}
	}
	// The program accepts three of them, then accept fails: give it the
	// time to say so, or to die of it.
	s.prog.out.WaitLine(from, s.cfg.wait, s.prog.over, func(l string) bool {
		return strings.Contains(strings.ToLower(l), "too many open files")
	})
	for _, c := range append(crowd, first) {
		wire.Reset(c.conn)
	}
	s.logf("the checker resets every client, so that files are free again")
	if s.prog.waitExit(s.cfg.quiet) {
		return fail(causeAcceptExit, "your program ended on an accept error, with "+s.prog.ending().describe())
	}
	// Accept again after a pause of at most a second, as net/http does.
	deadline := time.Now().Add(s.cfg.wait + time.Second)
	for {
		conn, err := wire.Dial(s.addr(), max(time.Until(deadline), 100*time.Millisecond))
		if err == nil {
			next := s.newClient(conn)
			if r := next.ask(fmt.Sprintf("client %d\r\n", next.n), prefix); r.answered() {
				return pass()
			}
		}
		if time.Now().After(deadline) {
			if s.prog.exited() {
				return fail(causeAcceptExit, "your program ended on an accept error, with "+s.prog.ending().describe())
			}
			return fail(causeAcceptStuck, "once files were free again, a new client was not served")
		}
		time.Sleep(100 * time.Millisecond) // a new client after a pause, as a person would try again
	}
}
