package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"socketcourse/internal/course"
	"socketcourse/internal/wire"
)

// The scenarios of 05-loop and 06-goroutines.

// noAnswer is the failure of a message that got no reply: the connection
// ended, or nothing came.
func noAnswer(r reply, what string) outcome {
	if r.err != nil && !errors.Is(r.err, os.ErrDeadlineExceeded) {
		return fail(causeHungUp, what+" got no reply: "+wire.EndWords(r.err))
	}
	return fail(causeNoReply, what+" got no reply")
}

// faulty is the failure of a reply whose bytes are wrong.
func faulty(r reply, msg string) outcome {
	return fail(r.fault, fmt.Sprintf("sent %s, got %s back", quote(msg), quote(strings.TrimPrefix(r.got, r.greeting))))
}

func servedInTurn(s *session) outcome {
	var prev *client
	var fault *outcome
	for i := 1; i <= 3; i++ {
		c, o := s.connect(i)
		if o != nil {
			return s.notLooping(prev, nil, *o)
		}
		msg := fmt.Sprintf("client %d\r\n", i)
		if i == 3 {
			msg = bytesMsg(i)
		}
		r := c.ask(msg, prefix)
		if !r.answered() {
			if i == 1 {
				return noAnswer(r, "client 1")
			}
			return s.notLooping(prev, c, noAnswer(r, fmt.Sprintf("client %d", i)))
		}
		if r.fault != "" && fault == nil {
			f := faulty(r, msg)
			fault = &f
		}
		if i == 1 {
			if o := keepsTalking(s, c, r); o != nil {
				if f := nextServed(s, c, r.greeting); f != nil {
					return *f
				}
				if fault != nil {
					return *fault // wrong bytes are wrong in any stage
				}
				return *o
			}
		}
		// conn.close() after the reply, inside the loop (the course's 05),
		// or when the next client is accepted (the article as published,
		// whose conn.close() comes after the loop): by now, the client
		// before this one must have been hung up on.
		if prev != nil {
			if got, err := prev.end(s.cfg.wait); errors.Is(err, os.ErrDeadlineExceeded) {
				return fail(causeNeverCloses, fmt.Sprintf("client %d, answered, was still connected after client %d had been answered", prev.n, c.n))
			} else if got != "" {
				return fail(causeWrongBytes, fmt.Sprintf("client %d got %s after its reply; want the end of the connection", prev.n, quote(got)))
			}
		}
		prev = c
	}
	s.fact(course.Loops, true)
	s.fact(course.Replies, true)
	if fault != nil {
		return *fault
	}
	return pass()
}

// bytesMsg is the message of the last client served-in-turn sends: bytes,
// as 04's echo, which a loop around it must not turn into text
// (data.toString(), decode(), new String(buf)).
func bytesMsg(n int) string { return fmt.Sprintf("client %d \x00\xff\r\n", n) }

// keepsTalking tells a 06 server from a 05 one by its first client: a
// welcome line before the reply, or a second message answered on the same
// connection, is 06's. It returns nil for a 05 server.
func keepsTalking(s *session, c *client, r reply) *outcome {
	if r.greeting != "" {
		o := grownOut("it sends a welcome line and keeps each client connected", course.Get(stageWelcome))
		return &o
	}
	if err := c.send("again\r\n"); err != nil {
		return nil
	}
	got, err := c.readUntil(func(g string) bool { return strings.Contains(g, "again") }, s.cfg.quiet)
	c.received(got, err)
	if !strings.Contains(got, "again") {
		return nil
	}
	s.fact(course.EveryMessage, true)
	o := grownOut("it keeps each client connected and answers every message", course.Get(stageEvery))
	return &o
}

// nextServed has a 06 server's first client leave, as a client that is
// done does, and a second one talk: answered, the program loops, one
// client at a time or many. Not answered, it returns the failure: serving
// clients in turn is what this scenario proves, whatever the program does
// better (a Go 05 that answers every message and panics on its second
// client was once called outgrown here). welcome is the line the first
// client got before its reply, if any.
func nextServed(s *session, first *client, welcome string) *outcome {
	first.closeWrite()
	c, o := s.dial()
	if o != nil {
		f := s.notLooping(first, nil, *o)
		return &f
	}
	msg := bytesMsg(2)
	r := c.ask(msg, prefix)
	switch {
	case welcome != "" && r.got == welcome:
		// Greeted, so accepted: it loops; what was to answer the message
		// is missing (the program, or a thread, that died of it).
		f := s.notLooping(first, c, fail(causeNoReply, fmt.Sprintf("client 2 got %s, and no reply to %s", quote(r.got), quote(msg))))
		return &f
	case r.answered():
		s.fact(course.Loops, true)
		if r.fault != "" {
			f := faulty(r, msg)
			return &f
		}
		return nil
	}
	f := s.notLooping(first, c, noAnswer(r, "client 2"))
	return &f
}

// notLooping explains why the client after prev was not served: the
// program ended after prev, or at next, the client after it (it loops, and
// that client's message ended it: bytes it decoded as text), or it kept
// prev connected. next is nil if it could not connect.
func (s *session) notLooping(prev, next *client, o outcome) outcome {
	if prev == nil {
		return o // the first client: how it failed to connect says why
	}
	// A client the program accepted (it got bytes or an end, or the
	// program printed its address) shows the loop.
	reached := next != nil && (next.accepted || s.printedFor(next))
	s.fact(course.Loops, prev.n > 1 || reached)
	when := fmt.Sprintf("after client %d", prev.n)
	switch {
	case reached:
		when = fmt.Sprintf("at client %d, before answering it", next.n)
	case prev.n == 1:
		when = "after its first client"
	}
	if s.prog.waitExit(s.cfg.quiet) {
		return s.endedOutcome(when)
	}
	if _, err := prev.end(s.cfg.quiet / 5); errors.Is(err, os.ErrDeadlineExceeded) {
		return fail(causeNeverCloses, fmt.Sprintf("client %d was not served while client %d, answered, was still connected", prev.n+1, prev.n))
	}
	return o
}

func secondWaits(s *session) outcome {
	if _, o := s.dialFirst(); o != nil {
		return *o
	}
	second, o := s.dial()
	if o != nil {
		return *o
	}
	if err := second.send("hi\r\n"); err != nil {
		return fail(causeHungUp, "the second client could not send: "+wire.EndWords(err))
	}
	got, err := second.silence(s.cfg.quiet)
	switch {
	case got != "":
		s.fact(course.Concurrent, true)
		return doesBetter("the second client was answered at once")
	case err != nil:
		return fail(causeHungUp, "the second client's connection ended: "+wire.EndWords(err))
	}
	s.fact(course.Concurrent, false)
	return shown("no reply while the first client is connected")
}

func emptyStops(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	// A client that is done closes its side, as telnet does when it quits,
	// and reads what comes: the article's break sends nothing; a program
	// without it replies "OK..." to nothing (finding of a learner's run).
	c.closeWrite()
	if got, _ := c.end(s.cfg.wait); s.repliedToNothing(got) {
		return fail(causeSpinsOnEmpty, fmt.Sprintf("client %d closed without sending, and got %s", c.n, quote(got)))
	}
	goesOn := func() bool {
		second, o := s.dial()
		if o != nil {
			return false
		}
		r := second.ask("two\r\n", prefix)
		return r.answered()
	}
	exercise := s.exercise() == "survives-empty"
	if goesOn() {
		if exercise {
			return notePass("the program went on: the next client was answered")
		}
		return doesBetter("the program went on: the next client was answered")
	}
	if !s.prog.waitExit(s.cfg.wait) {
		return fail(causeNoReply, "the next client was not answered, and the program still runs")
	}
	if e := s.prog.ending(); e.crashed(s.prog) {
		return fail(causeCrash, "your program ended with "+e.describe()+", not by leaving its loop")
	}
	if exercise {
		return fail(causeStopsOnEmpty, "the program stopped after the empty connection: the exercise wants it to go on")
	}
	return shown("the program stopped: the next client is not served")
}

func everyMessage(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	c.greet()
	var fault *outcome
	for i, msg := range []string{"hello\r\n", "again\r\n", "and \x00\xff\r\n"} {
		r := c.ask(msg, prefix)
		if !r.answered() {
			if i == 0 {
				return noAnswer(r, "the first message")
			}
			if fault != nil {
				// A reply before was wrong: that is what the client saw
				// first, and what a teacher names first.
				s.fact(course.EveryMessage, !utf8.ValidString(msg) && i > 1) // text answered again and again
				f := *fault
				f.note += fmt.Sprintf("; and message %d, %s, got no reply", i+1, quote(msg))
				return f
			}
			o := noAnswer(r, fmt.Sprintf("message %d", i+1))
			if !utf8.ValidString(msg) && i > 1 {
				// Text was answered again and again; bytes that are not
				// text were not: the program reads text, not bytes.
				s.fact(course.EveryMessage, true)
				o.cause = causeTextDecoded
				o.note = fmt.Sprintf("message %d, %s, bytes that are not UTF-8 text, got no reply, where the messages before it were answered", i+1, quote(msg))
				if r.err != nil && !errors.Is(r.err, os.ErrDeadlineExceeded) {
					o.note += ": " + wire.EndWords(r.err)
				}
				return o
			}
			s.fact(course.EveryMessage, false)
			o.cause = causeOneReply
			return o
		}
		s.fact(course.Replies, true)
		if r.fault != "" && fault == nil {
			f := faulty(r, msg)
			fault = &f
		}
	}
	s.fact(course.EveryMessage, true)
	if fault != nil {
		return *fault
	}
	if got, _ := c.silence(s.cfg.quiet / 2); got != "" {
		return fail(causeWrongBytes, fmt.Sprintf("after the replies came %s; want nothing more", quote(got)))
	}
	return pass()
}

func secondWhileFirstSilent(s *session) outcome {
	first, o := s.dialFirst()
	if o != nil {
		return *o
	}
	second, o := s.dial()
	if o != nil {
		return *o
	}
	r := second.ask("client 2\r\n", prefix)
	if !r.answered() {
		s.fact(course.Concurrent, false)
		if r.err != nil && !errors.Is(r.err, os.ErrDeadlineExceeded) {
			return fail(causeHungUp, "the second client got no reply: "+wire.EndWords(r.err))
		}
		if s.printedFor(second) {
			// It accepted the second client, and did not answer it: not
			// one client at a time, but no reply.
			return fail(causeNoReply, "the second client got no reply while the first was connected and silent, though your program accepted it (it printed its address)")
		}
		return fail(causeOneAtATime, "the second client got no reply while the first was connected and silent")
	}
	s.fact(course.Concurrent, true)
	r1 := first.ask("client 1\r\n", prefix)
	if !r1.answered() {
		return noAnswer(r1, "the first client, after the second was served,")
	}
	if r.fault != "" {
		return faulty(r, "client 2\r\n")
	}
	if r1.fault != "" {
		return faulty(r1, "client 1\r\n")
	}
	return pass()
}

func emptyOrReset(s *session) outcome {
	first, o := s.dialFirst()
	if o != nil {
		return *o
	}
	if r := first.ask("client 1\r\n", prefix); !r.answered() {
		return noAnswer(r, "client 1")
	}
	empty, o := s.dial()
	if o != nil {
		return *o
	}
	empty.closeWrite()
	got, err := empty.end(s.cfg.wait)
	if s.repliedToNothing(got) {
		return fail(causeSpinsOnEmpty, fmt.Sprintf("client %d closed without sending, and got %s", empty.n, quote(got)))
	}
	if errors.Is(err, os.ErrDeadlineExceeded) && got == "" && !s.printedFor(empty) {
		s.fact(course.Concurrent, false)
		return fail(causeOneAtATime, fmt.Sprintf("client %d was not even accepted while client 1 was connected", empty.n))
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fail(causeNeverCloses, fmt.Sprintf("client %d closed without sending, and its connection was still open %v later: close it when the read returns nothing", empty.n, s.cfg.wait))
	}
	bad, o := s.dial()
	if o != nil {
		return s.stoppedBy(*o)
	}
	bad.reset()
	// A client that talked, was answered, and resets: its thread's next
	// read fails (ECONNRESET), which must end that thread only.
	served, o := s.dial()
	if o != nil {
		return s.stoppedBy(*o)
	}
	if r := served.ask(fmt.Sprintf("client %d\r\n", served.n), prefix); !r.answered() {
		return s.stoppedBy(noAnswer(r, fmt.Sprintf("client %d", served.n)))
	}
	served.reset()
	next, o := s.dial()
	if o != nil {
		return s.stoppedBy(*o)
	}
	if r := next.ask(fmt.Sprintf("client %d\r\n", next.n), prefix); !r.answered() {
		return s.stoppedBy(noAnswer(r, fmt.Sprintf("client %d, after them,", next.n)))
	}
	if r := first.ask("client 1 again\r\n", prefix); !r.answered() {
		return s.stoppedBy(noAnswer(r, "client 1, after them,"))
	}
	return pass()
}

// repliedToNothing reports whether what a client that closed without
// sending got is a reply to nothing: "OK...", or the prefix the program's
// own replies carried ("How are you string: ", "Server: " and null), at the
// start of a line. A welcome line is not one: it does not start so.
func (s *session) repliedToNothing(got string) bool {
	if strings.Contains(got, prefix) {
		return true
	}
	pre := ""
	if s.prog != nil {
		pre = s.prog.prefixSeen()
	}
	if pre == "" || got == "" {
		return false
	}
	for _, line := range strings.SplitAfter(got, "\n") {
		if strings.HasPrefix(line, pre) {
			return true
		}
	}
	return false
}

// stoppedBy explains why the clients after an empty and a reset one were
// not served: the program stopped, or serves one client at a time.
func (s *session) stoppedBy(o outcome) outcome {
	if s.prog.waitExit(s.cfg.quiet) {
		if e := s.prog.ending(); e.crashed(s.prog) {
			return fail(causeCrash, "after an empty or a reset connection, your program ended with "+e.describe())
		}
		return fail(causeStopsOnEmpty, "after an empty or a reset connection, your program exited")
	}
	if o.cause == causeNoReply {
		o.cause = causeOneAtATime
		o.note += ", while client 1 was connected"
	}
	return o
}

func hundredClients(s *session) outcome {
	const n, wave = 100, 10
	first, o := s.dialFirst()
	if o != nil {
		return *o
	}
	if r := first.ask("client 1\r\n", prefix); !r.answered() {
		return noAnswer(r, "client 1")
	}
	// The other clients connect ten at a time: a client is on its way in
	// until it has been answered, and never more than ten are, so that all
	// are connected at once without testing the listen backlog (the
	// article's is 10). Then all talk at once.
	crowd := make([]*client, n-1)
	outcomes := make([]*outcome, n-1)
	_, err := wire.DialCrowd(s.addr(), n-1, wave, s.dialWait(), func(i int, conn net.Conn) error {
		c := s.addClient(conn, i+2, true)
		crowd[i] = c
		excused := c.mayBeIdle()
		if outcomes[i] = c.talk(fmt.Sprintf("client %d\r\n", c.n)); outcomes[i] == nil || excused {
			outcomes[i] = nil
			return nil
		}
		return errors.New(outcomes[i].note)
	})
	if err != nil {
		for i, o := range outcomes {
			if o != nil {
				s.logf("clients connect %d at a time: client %d got no reply", wave, i+2)
				return s.crowdFailure(*o, i+1)
			}
		}
		s.logf("clients connect %d at a time: %v", wave, err)
		return s.crowdFailure(s.notServing(err, "with clients connecting"), 0)
	}
	s.logf("clients connect %d at a time: %d connected and answered", wave, n)
	first.quiet = true
	count, bad := talkAll(append([]*client{first}, crowd...), "again %d\r\n")
	s.logf("all %d send a line at once: %d answered", n, count)
	if bad != nil {
		if bad.cause == causeOneAtATime || bad.cause == causeHungUp {
			s.fact(course.EveryMessage, false)
			bad.cause = causeOneReply
		}
		bad.note = fmt.Sprintf("%d of %d clients answered their second message; the first failure: %s", count, n, bad.note)
		return *bad
	}
	return pass()
}

// crowdFailure is the failure of the crowd: the program stopped, or it
// does not serve clients at the same time.
func (s *session) crowdFailure(o outcome, connected int) outcome {
	if s.prog.waitExit(s.cfg.quiet) {
		return s.endedOutcome(fmt.Sprintf("with %d clients connected", connected))
	}
	return o
}

// talkAll has every client of cs send a line, msg with its number, all at
// once, and returns how many were answered right and the failure of the
// first client (by number) that was not.
func talkAll(cs []*client, msg string) (int, *outcome) {
	outcomes := make([]*outcome, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			excused := c.mayBeIdle()
			if outcomes[i] = c.talk(fmt.Sprintf(msg, c.n)); excused {
				outcomes[i] = nil
			}
		}()
	}
	wg.Wait()
	count := 0
	var bad *outcome
	for _, o := range outcomes {
		if o == nil {
			count++
		} else if bad == nil {
			bad = o
		}
	}
	return count, bad
}

// mayBeIdle reports whether a 07 server may close c as idle before it
// next talks: silent for longer than -idle, which a loaded machine can
// make a crowd's client, or connected for most of it, which a 07 that
// counts a connection's age cuts off (the idle scenario tells that
// mistake). A crowd does not hold that against the program.
func (c *client) mayBeIdle() bool {
	idle := c.s.cfg.idle
	return idle > 0 && (!c.lastSent.IsZero() && time.Since(c.lastSent) >= idle || time.Since(c.since) >= idle*3/4)
}

// talk sends msg and says what went wrong, if the reply did not come
// right: nil when it did.
func (c *client) talk(msg string) *outcome {
	r := c.ask(msg, prefix)
	var o outcome
	switch {
	case !r.answered() && r.err != nil && !errors.Is(r.err, os.ErrDeadlineExceeded):
		o = fail(causeHungUp, fmt.Sprintf("client %d sent %s: %s", c.n, quote(msg), wire.EndWords(r.err)))
	case !r.answered():
		o = fail(causeOneAtATime, fmt.Sprintf("client %d sent %s and got no reply", c.n, quote(msg)))
	case r.fault != "":
		o = faulty(r, msg)
	default:
		return nil
	}
	return &o
}
