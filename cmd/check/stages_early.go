package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strings"
	"time"

	"socketcourse/internal/course"
	"socketcourse/internal/wire"
)

// The scenarios of 01-bind to 04-echo-once.

// upLines waits until the program has printed the article's lines of a
// bound socket (or lines close to them), has exited, or its port is taken;
// at most as long as a program may take to start. It reports whether it
// came up.
func upLines(s *session) bool {
	want := course.Stages[0].Prints
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
		if portListens(s.port) {
			s.prog.out.WaitLine(0, s.cfg.quiet, s.prog.over, func(string) bool { return found() })
			break
		}
		s.prog.out.WaitLine(s.prog.out.Count(), 100*time.Millisecond, s.prog.over, func(string) bool { return true })
	}
	if found() {
		s.markUp()
	}
	return found()
}

func twoLines(s *session) outcome {
	if _, o := s.start(); o != nil {
		return *o
	}
	if upLines(s) {
		s.fact(course.Binds, true)
		return pass()
	}
	if s.prog.exited() {
		return s.endedOutcome("without printing the article's lines")
	}
	s.markUp() // the text check says which lines are missing
	return pass()
}

// bindFailedLine is the article's line when bind fails, in any language:
// its error code is the error's number (98, or Node's -98) or its name
// (EADDRINUSE, Java's BindException, Rust's AddrInUse).
var bindFailedLine = regexp.MustCompile(`^Bind failed\. Error Code : (-?\d+|[A-Za-z_][\w.]*) Message \S.*$`)

// ownLines returns the lines a program printed itself: not those of a
// report its runtime printed (a traceback, a stack trace).
func ownLines(lines []string, events []event) []string {
	var own []string
	for i, l := range lines {
		inside := false
		for _, e := range events {
			inside = inside || i >= e.at && i < e.end
		}
		if !inside {
			own = append(own, l)
		}
	}
	return own
}

// saysBindFailed reports whether a line of the program's own says that
// bind failed, in any words.
func saysBindFailed(l string) bool {
	ll := strings.ToLower(l)
	return strings.Contains(ll, "bind failed") || strings.Contains(ll, "error code") || saysAddrInUse(l)
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
	said := func() (string, bool) {
		lines := p.tail(80)
		for _, l := range ownLines(lines, readEvents(lines, p.lang)) {
			if saysBindFailed(l) {
				return l, true
			}
		}
		return "", false
	}
	// The article's program prints its line and exits at once; what it
	// printed is all there once it has exited.
	if !p.waitExitPatiently(s.startWait()) {
		if _, ok := said(); ok {
			s.fact(course.Binds, true)
		}
		port := held.Addr().(*net.TCPAddr).Port
		if _, ok := listeningPorts(p.cmd.Process.Pid)[swapBytes(port)]; ok {
			// Its bind did not fail: it bound another port, the one given
			// with its bytes swapped (C without htons).
			return elsewhere(port, swapBytes(port))
		}
		return fail(causeStillRuns, fmt.Sprintf("your program still runs %v after it was started on a port that was taken", s.startWait()))
	}
	line, ok := said()
	e := p.ending()
	switch {
	case e.reported():
		// The runtime, not the program, said it: an exception nobody
		// caught, a panic, an unwrap().
		s.fact(course.Binds, e.evidence.bindFailure())
		return fail(causeCrash, "your program ended with "+e.describe()+" instead of printing Bind failed")
	case !ok && e.crashed(p):
		return fail(causeNoBindFailure, fmt.Sprintf("your program ended (%s) without saying that bind failed", e.words))
	case !ok:
		return fail(causeNoBindFailure, fmt.Sprintf("your program exited (%s) and did not say that bind failed", e.words))
	case !bindFailedLine.MatchString(line):
		s.differ(textDiff("bind-failed-line", "the line when bind fails", course.BindFailed, line, stageBind))
	}
	s.fact(course.Binds, true)
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
	s.fact(course.Listens, true)
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
		s.fact(course.Listens, false)
		return *o
	}
	// A program that listens and exits at once (the article's listen step
	// as published) let the client in for a moment: it does not listen,
	// unless it accepted the client first.
	if !s.listensOn(c) {
		s.fact(course.Listens, false)
		return s.endedOutcome("just after a client connected, without accepting it")
	}
	s.fact(course.Listens, true)
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
		s.fact(course.Accepts, true)
		return doesBetter(fmt.Sprintf("the client got %s", quote(got)))
	case errors.Is(err, io.EOF):
		s.fact(course.Accepts, true)
		return doesBetter("the connection was accepted, then " + wire.EndWords(err))
	case err != nil:
		return s.notServing(err, "while a client was connected")
	}
	if _, _, ok := s.prog.out.WaitLine(0, 0, nil, func(l string) bool { return strings.Contains(l, fmt.Sprint(c.port)) }); ok {
		c.accepted = true
		s.fact(course.Accepts, true)
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
		s.fact(course.Accepts, true)
	} else if got, err := c.silence(s.cfg.quiet / 5); got != "" || errors.Is(err, io.EOF) {
		s.fact(course.Accepts, true)
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
		s.fact(course.Accepts, true)
		return shown("hung up before the client could send")
	}
	got, err := c.end(s.cfg.wait)
	switch {
	case got != "" && !strings.Contains(strings.ToLower(got), "hello") && !errors.Is(err, os.ErrDeadlineExceeded):
		// A welcome, and no reply: hung up on all the same.
		s.fact(course.Accepts, true)
		return shown(fmt.Sprintf("hung up without a reply to what the client sent, after %s", quote(got)))
	case got != "":
		s.fact(course.Accepts, true)
		s.fact(course.Replies, true)
		return doesBetter(fmt.Sprintf("the client got %s back", quote(got)))
	case errors.Is(err, os.ErrDeadlineExceeded) && !s.printedFor(c):
		return fail(causeNeverAccepts, fmt.Sprintf("nothing came, the connection stayed open for %v, and your program did not print the client's address: nothing accepted it", s.cfg.wait))
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fail(causeNeverCloses, fmt.Sprintf("nothing came and the connection stayed open for %v: after accept(), close the connection (03) or answer (04)", s.cfg.wait))
	}
	s.fact(course.Accepts, true)
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
	c.leave(s.cfg.quiet / 5)
	s.logf("client %d leaves", c.n)
	if second, o := s.dial(); o == nil {
		second.send("two\r\n")
		got, err := second.readUntil(func(g string) bool { return strings.Contains(g, "two") }, s.cfg.wait)
		second.received(got, err)
		if strings.Contains(got, "two") {
			s.fact(course.Loops, true)
			return doesBetter("a second client was answered too")
		}
		// Accepted and hung up on, or printed: the program loops, though
		// it does not answer yet. (An EOF after a reset is not: the program
		// exiting resets a client still in its backlog.)
		if !s.prog.waitExit(s.cfg.quiet/5) && (second.accepted || s.printedFor(second)) {
			s.fact(course.Loops, true)
			return doesBetter("a second client was accepted too: your program goes on to the next client")
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
	if lone := r.got != "" && strings.Count(r.got, "\n") == 1 && strings.HasSuffix(r.got, "\n") && !strings.Contains(r.got, echoMsg[:2]); lone || !r.answered() && errors.Is(r.err, os.ErrDeadlineExceeded) {
		// A welcome line and nothing more, or nothing: a program that
		// reads lines waits for a line end. It gets one.
		if o, ok := lineEndAnswered(s, c, r.got); ok {
			return o
		}
		if lone {
			return fail(causeNoReply, "after the welcome line nothing came back for the bytes sent, nor once a line end followed them")
		}
	}
	if !r.answered() {
		s.fact(course.Replies, false)
		if r.err != nil && !errors.Is(r.err, os.ErrDeadlineExceeded) {
			return fail(causeHungUp, "the connection ended and nothing came back: "+wire.EndWords(r.err))
		}
		return fail(causeNoReply, fmt.Sprintf("nothing came back within %v", s.cfg.wait))
	}
	s.fact(course.Replies, true)
	if r.fault != "" {
		return fail(r.fault, fmt.Sprintf("sent %s, got %s back", quote(echoMsg), quote(r.got)))
	}
	switch {
	case r.greeting != "":
		return grownOut("it sends a welcome line first", course.Get(stageWelcome))
	case r.pre == prefix:
		return grownOut("it puts OK... before the bytes", course.Get(stagePrefix))
	case r.pre != "":
		s.differ(textDiff("reply", "the echo", echoMsg, r.pre+echoMsg, stageReply))
	}
	if got, err := c.silence(s.cfg.quiet / 2); got != "" {
		return fail(causeWrongBytes, fmt.Sprintf("after the echo came %s; want nothing more", quote(got)))
	} else if err == nil {
		return pass()
	}
	return pass()
}

// lineEndAnswered sends a line end after the echo's bytes and reads what
// comes: a program that answers only then reads lines, not bytes as they
// come. greeting is what came before, a welcome line if anything. ok is
// false when nothing comes then either.
func lineEndAnswered(s *session, c *client, greeting string) (outcome, bool) {
	if err := c.send("\r\n"); err != nil {
		return outcome{}, false
	}
	got, err := c.readUntil(func(g string) bool { return strings.Contains(g, echoMsg[:2]) && strings.HasSuffix(g, "\n") }, s.cfg.wait)
	c.received(got, err)
	if !strings.Contains(got, echoMsg[:2]) {
		return outcome{}, false
	}
	s.fact(course.Replies, true)
	r := c.judge(greeting+got, echoMsg+"\r\n", "")
	switch {
	case r.fault != "":
		return fail(r.fault, fmt.Sprintf("sent %s, and nothing came back until a line end followed; then %s", quote(echoMsg), quote(got))), true
	case greeting != "":
		return grownOut("it sends a welcome line first, and answers whole lines", course.Get(stageWelcome)), true
	case r.pre == prefix:
		return grownOut("it puts OK... before the bytes, and answers whole lines", course.Get(stagePrefix)), true
	}
	return notePass("its reply came only once a line end followed the bytes: it reads lines, not the bytes as they come"), true
}

func oneReply(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	want := ""
	if s.sc.stage.Reply == course.Prefixed {
		want = prefix
	}
	if r := c.ask("one\r\n", want); !r.answered() {
		return fail(causeNoReply, "the first message got no reply")
	}
	if err := c.send("two\r\n"); err == nil {
		got, err := c.readUntil(func(g string) bool { return strings.Contains(g, "two") }, s.cfg.wait)
		c.received(got, err)
		if strings.Contains(got, "two") {
			s.fact(course.EveryMessage, true)
			return doesBetter("the second message was answered too")
		}
	}
	s.fact(course.EveryMessage, false)
	return shown("no reply to the second message")
}
