package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"socketcourse/internal/wire"
)

// The scenarios of 01-bind to 04-echo-once.

// upLines waits until the program has printed the article's lines of a
// bound socket (or lines close to them), has exited, or its port is taken;
// at most as long as a program may take to start. It reports whether it
// came up.
func upLines(s *session) bool {
	want := articleLines[:2]
	found := func() bool {
		lines := s.prog.out.Lines()
		for _, w := range want {
			if _, _, ok := nearLine(lines, w); !ok {
				return false
			}
		}
		return true
	}
	deadline := time.Now().Add(s.startWait())
	for !found() && !s.prog.exited() && time.Now().Before(deadline) {
		if listeningPorts(s.prog.cmd.Process.Pid)[s.port] != 0 {
			s.prog.out.WaitLine(0, s.cfg.quiet, s.prog.over, func(string) bool { return found() })
			break
		}
		s.prog.out.WaitLine(s.prog.out.Count(), 100*time.Millisecond, s.prog.over, func(string) bool { return true })
	}
	s.up = found()
	return s.up
}

func twoLines(s *session) outcome {
	if _, o := s.start(); o != nil {
		return *o
	}
	if upLines(s) {
		s.feature(featBinds, true)
		return pass()
	}
	if s.prog.exited() {
		return s.endedOutcome("without printing the article's lines")
	}
	s.up = true // the text check says which lines are missing
	return pass()
}

func bindFailure(s *session) outcome {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if !s.cfg.anyPort {
		held, err = net.Listen("tcp", net.JoinHostPort("127.0.0.1", fmt.Sprint(s.cfg.port)))
	}
	if err != nil {
		return skip(fmt.Sprintf("the checker cannot hold a port itself: %v", err))
	}
	defer held.Close()
	p, o := s.startOn(held.Addr().(*net.TCPAddr).Port)
	if o != nil {
		return *o
	}
	s.lines = nil
	s.logf("the checker listens on %s, then starts your program there", held.Addr())
	said := func(l string) bool {
		if pyException.MatchString(l) || goDeath.MatchString(l) || strings.HasPrefix(l, " ") {
			return false // a traceback's lines are not the program's own words
		}
		ll := strings.ToLower(l)
		return strings.Contains(ll, "bind failed") || strings.Contains(ll, "address already in use") || strings.Contains(ll, "error code")
	}
	// The article's program prints its line and exits at once; what it
	// printed is all there once it has exited.
	if !p.waitExitPatiently(s.startWait()) {
		if _, _, ok := p.out.WaitLine(0, 0, nil, said); ok {
			s.feature(featBinds, true)
		}
		return fail(causeStillRuns, fmt.Sprintf("your program still runs %v after it was started on a port that was taken", s.startWait()))
	}
	line, _, ok := p.out.WaitLine(0, 0, nil, said)
	e := p.ending()
	switch {
	case e.trace:
		s.feature(featBinds, true)
		return fail(causeCrash, "your program ended with "+e.describe()+" instead of printing Bind failed")
	case !ok && e.crashed(p):
		return fail(causeNoBindFailure, fmt.Sprintf("your program ended (%s) without saying that bind failed", e.words))
	case !ok:
		return fail(causeNoBindFailure, fmt.Sprintf("your program exited (%s) and did not say that bind failed", e.words))
	case !bindFailedLine.MatchString(line):
		s.differ(textDiff("bind-failed-line", "the line when bind fails", "Bind failed. Error Code : <number> Message <text>", line, "01-bind"))
	}
	s.feature(featBinds, true)
	if e.known && e.code == 0 {
		return notePass("it exited with status 0, as the article's sys.exit() does: a script cannot tell it failed; exit with 1 (docs/01-bind.md)")
	}
	return pass()
}

func refusedWhileBound(s *session) outcome {
	p, o := s.start()
	if o != nil {
		return *o
	}
	upLines(s)
	// A program that goes on to listen says so; give it that long.
	p.out.WaitLine(0, s.cfg.quiet, p.over, func(l string) bool { return strings.EqualFold(l, "Socket now listening") })
	conn, err := net.DialTimeout("tcp", s.addr(), s.cfg.wait)
	if err != nil {
		s.logf("client 1 connects to %s: %v", s.addr(), wire.Reason(err))
		return shown("refused: a socket that is only bound lets nobody in")
	}
	if c := s.newClient(conn); !s.listensOn(c) {
		return shown("your program listened for a moment, and exited without accepting the client")
	}
	s.feature(featListens, true)
	return doesBetter("the client connects: your program listens")
}

// listensOn reports whether the program listens, now that client c has
// connected: not if it exits at once without accepting c (the article's
// listen step as published exits right after listen()).
func (s *session) listensOn(c *client) bool {
	_, err := c.silence(s.cfg.quiet / 2)
	return !(wire.IsReset(err) && s.prog.waitExit(s.cfg.quiet) && !s.printedFor(c))
}

func listening(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		s.feature(featListens, false)
		return *o
	}
	// A program that listens and exits at once (the article's listen step
	// as published) let the client in for a moment: it does not listen,
	// unless it accepted the client first.
	if !s.listensOn(c) {
		s.feature(featListens, false)
		return s.endedOutcome("just after a client connected, without accepting it")
	}
	s.feature(featListens, true)
	return pass()
}

func neverAccepted(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	got, err := c.silence(s.cfg.quiet)
	switch {
	case got != "":
		s.feature(featAccepts, true)
		return doesBetter(fmt.Sprintf("the client got %s", quote(got)))
	case errors.Is(err, io.EOF):
		s.feature(featAccepts, true)
		return doesBetter("the connection was accepted, then " + wire.EndWords(err))
	case err != nil:
		return s.notServing(err, "while a client was connected")
	}
	if _, _, ok := s.prog.out.WaitLine(0, 0, nil, func(l string) bool { return strings.Contains(l, fmt.Sprint(c.port)) }); ok {
		c.accepted = true
		s.feature(featAccepts, true)
		return doesBetter("the connection was accepted: your program printed the client's address")
	}
	return shown("the connection completed and nothing came: the kernel queued it, nobody accepted it")
}

func connectedWith(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	port := fmt.Sprint(c.port)
	_, _, ok := s.prog.out.WaitLine(0, s.cfg.wait, s.prog.over, func(l string) bool { return strings.Contains(l, port) })
	if ok {
		c.accepted = true
		s.feature(featAccepts, true)
	} else if got, err := c.silence(s.cfg.quiet / 5); got != "" || errors.Is(err, io.EOF) {
		s.feature(featAccepts, true)
	}
	c.accepted = true // the text check looks for its line either way
	return pass()
}

func hungUp(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	if err := c.send("hello\r\n"); err != nil {
		s.feature(featAccepts, true)
		return shown("hung up before the client could send")
	}
	got, err := c.end(s.cfg.wait)
	switch {
	case got != "":
		s.feature(featAccepts, true)
		s.feature(featReplies, true)
		return doesBetter(fmt.Sprintf("the client got %s back", quote(got)))
	case errors.Is(err, os.ErrDeadlineExceeded) && !s.printedFor(c):
		return fail(causeNeverAccepts, fmt.Sprintf("nothing came, the connection stayed open for %v, and your program did not print the client's address: nothing accepted it", s.cfg.wait))
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fail(causeNeverCloses, fmt.Sprintf("nothing came and the connection stayed open for %v: after accept(), close the connection (03) or answer (04)", s.cfg.wait))
	}
	s.feature(featAccepts, true)
	return shown("hung up without a reply")
}

func exitsAfterOne(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	c.send("one\r\n") // May fail: 03 hangs up at once.
	got, err := c.readUntil(func(g string) bool { return strings.Contains(g, "one") }, s.cfg.wait)
	c.received(got, err)
	if got == "" && errors.Is(err, os.ErrDeadlineExceeded) {
		if !s.printedFor(c) {
			return fail(causeNeverAccepts, fmt.Sprintf("the first client got nothing within %v and stayed connected: nothing accepted it", s.cfg.wait))
		}
		return fail(causeNeverCloses, fmt.Sprintf("the first client got nothing within %v and stayed connected", s.cfg.wait))
	}
	c.reset()
	if second, o := s.dial(); o == nil {
		second.send("two\r\n")
		got, _ := second.readUntil(func(g string) bool { return strings.Contains(g, "two") }, s.cfg.wait)
		if strings.Contains(got, "two") {
			s.feature(featLoops, true)
			return doesBetter("a second client was answered too")
		}
	}
	if !s.prog.waitExit(s.cfg.wait) {
		return fail(causeStillRuns, "the second client was not answered, and the program still runs")
	}
	if e := s.prog.ending(); e.crashed(s.prog) {
		return fail(causeCrash, "your program ended with "+e.describe()+", not by finishing")
	}
	return shown("the program exited after its first client; a second one is refused")
}

// echoMsg is 3 bytes, binary included: bytes, not text.
const echoMsg = "a\x00\xff"

func echoOnce(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	r := c.ask(echoMsg, "")
	if !r.answered() {
		s.feature(featReplies, false)
		if r.err != nil && !errors.Is(r.err, os.ErrDeadlineExceeded) {
			return fail(causeHungUp, "the connection ended and nothing came back: "+wire.EndWords(r.err))
		}
		return fail(causeNoReply, fmt.Sprintf("nothing came back within %v", s.cfg.wait))
	}
	s.feature(featReplies, true)
	if r.fault != "" {
		return fail(r.fault, fmt.Sprintf("sent %s, got %s back", quote(echoMsg), quote(r.got)))
	}
	switch {
	case r.greeting != "":
		return grownOut("it sends a welcome line first, as 06-goroutines does")
	case r.pre == prefix:
		return grownOut("it puts OK... before the bytes, as 05-loop does")
	case r.pre != "":
		s.differ(textDiff("reply", "the echo", echoMsg, r.pre+echoMsg, "04-echo-once"))
	}
	if got, err := c.silence(s.cfg.quiet / 2); got != "" {
		return fail(causeWrongBytes, fmt.Sprintf("after the echo came %s; want nothing more", quote(got)))
	} else if err == nil {
		return pass()
	}
	return pass()
}

func oneReply(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	want := ""
	if s.sc.stage != "04-echo-once" {
		want = prefix
	}
	if r := c.ask("one\r\n", want); !r.answered() {
		return fail(causeNoReply, "the first message got no reply")
	}
	if err := c.send("two\r\n"); err == nil {
		got, err := c.readUntil(func(g string) bool { return strings.Contains(g, "two") }, s.cfg.wait)
		c.received(got, err)
		if strings.Contains(got, "two") {
			s.feature(featEveryMessage, true)
			return doesBetter("the second message was answered too")
		}
	}
	s.feature(featEveryMessage, false)
	return shown("no reply to the second message")
}
