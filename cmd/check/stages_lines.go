package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"socketcourse/internal/course"
	"socketcourse/internal/wire"
)

// The scenarios of 08-lines, and 07's limitations that 08 fixes: TCP
// carries bytes, not messages, and a server that answers each read
// answers two lines at once, or a line in pieces.

// answersLines reports whether the scenario's stage answers lines, not
// reads: its limitation scenarios are 08's own there.
func (s *session) answersLines() bool { return slices.Contains(s.sc.stage.Has, course.Lines) }

// framed is the verdict of a scenario of 08's framing: the program
// answers lines (a pass in 08, doing better in 07), or reads (07's
// limitation, a failure in 08).
func (s *session) framed(lines bool, note string) outcome {
	s.fact(course.Lines, lines)
	switch {
	case lines && s.answersLines():
		return pass()
	case lines:
		return doesBetter(note)
	case s.answersLines():
		return fail(causeReadsNotLines, note)
	}
	return shown(note)
}

func linesInOneSegment(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	c.greet()
	// One write, one segment: Go's connections send at once (TCP_NODELAY),
	// and both lines are there when the program reads.
	msg := "first line\r\nsecond line\r\n"
	want := prefix + "first line\r\n" + prefix + "second line\r\n"
	if err := c.send(msg); err != nil {
		return fail(causeHungUp, "the client could not send: "+wire.EndWords(err))
	}
	got, err := c.readUntil(func(g string) bool { return strings.Count(g, "\n") >= 2 || g == prefix+msg }, s.cfg.wait)
	c.received(got, err)
	// The line ends are another scenario's (every-message): a line reader
	// that drops them, and println that adds its own, still answers lines.
	lf := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
	switch {
	case lf(got) == lf(want):
		return s.framed(true, "each line was answered on its own")
	case lf(got) == lf(prefix+msg):
		return s.framed(false, fmt.Sprintf("the two lines came back in one reply, %s: one read held both", quote(got)))
	case got == "":
		return noAnswer(reply{err: err}, "two lines in one segment")
	}
	return fail(causeWrongBytes, fmt.Sprintf("sent %s in one segment, got %s back; want %s", quote(msg), quote(got), quote(want)))
}

func lineInPieces(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	c.greet()
	pieces := []string{"a line ", "in three ", "pieces\r\n"}
	line := strings.Join(pieces, "")
	var got []byte
	for _, p := range pieces {
		if err := c.send(p); err != nil {
			return fail(causeHungUp, "the client could not send: "+wire.EndWords(err))
		}
		// What comes back for a piece: a program that answers reads
		// answers it at once; one that answers lines, nothing yet.
		g, _ := c.readUntil(func(string) bool { return false }, s.cfg.quiet/5)
		got = append(got, g...)
	}
	var err error
	if !bytes.HasSuffix(got, []byte("\n")) {
		var rest string
		rest, err = c.readUntil(func(g string) bool { return strings.HasSuffix(string(got)+g, "\n") }, s.cfg.wait)
		got = append(got, rest...)
	}
	c.received(string(got), err)
	lf := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
	switch whole := prefix + line; {
	case lf(string(got)) == lf(whole):
		return s.framed(true, "the line was answered once, whole")
	case bytes.Count(got, []byte(prefix)) > 1 && lf(strings.ReplaceAll(string(got), prefix, "")) == lf(line):
		return s.framed(false, fmt.Sprintf("each piece got a reply of its own, %s: each read was answered", quote(string(got))))
	case len(got) == 0:
		return noAnswer(reply{err: err}, "a line sent in pieces")
	default:
		return fail(causeWrongBytes, fmt.Sprintf("sent %s in three pieces, got %s back; want %s", quote(line), quote(string(got)), quote(whole)))
	}
}

// longLineBytes is how much a line that never ends grows to before the
// checker gives up on an answer: far past any limit a learner would
// choose (08-lines' is 1024 bytes).
const longLineBytes = 1 << 20

func longLine(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	c.greet()
	// The client writes a line without an end, a chunk at a time, while it
	// reads what comes: the line that says why, and the end.
	chunk := bytes.Repeat([]byte("x"), 16<<10)
	type ending struct {
		got string
		err error
	}
	read := make(chan ending, 1)
	go func() {
		got, err := c.end(s.cfg.wait + 5*time.Second)
		read <- ending{got, err}
	}()
	sent := 0
	for sent < longLineBytes {
		c.conn.SetWriteDeadline(time.Now().Add(s.cfg.wait))
		n, err := c.conn.Write(chunk)
		sent += n
		if err != nil {
			break // closed, as it should be, or not reading any more
		}
	}
	s.logf("client %d sends %d bytes of x, no line end", c.n, sent)
	if sent >= longLineBytes {
		wire.CloseWrite(c.conn) // nothing more, for the read to end
	}
	r := <-read
	switch {
	case strings.Contains(r.got, "\n") && !errors.Is(r.err, os.ErrDeadlineExceeded) && !strings.Contains(r.got, strings.Repeat("x", 64)):
		return pass()
	case sent >= longLineBytes && !strings.Contains(r.got, "\n"):
		return fail(causeNoLineLimit, fmt.Sprintf("client %d sent %d bytes without a line end, and got %s, then %s: your program holds a line of any length", c.n, sent, quoteShort(r.got), wire.EndWords(r.err)))
	case !strings.Contains(r.got, "\n"):
		return fail(causeNotTold, fmt.Sprintf("client %d's line without an end was cut off after %d bytes without a line that says why (got %s, then %s)", c.n, sent, quote(r.got), wire.EndWords(r.err)))
	}
	return fail(causeNoLineLimit, fmt.Sprintf("client %d sent %d bytes without a line end, and got %s back: a piece of a line answered is no limit", c.n, sent, quoteShort(r.got)))
}

// quoteShort quotes what came back, its first 40 bytes and how many in
// all, for bytes that are a flood.
func quoteShort(s string) string {
	if len(s) <= 64 {
		return quote(s)
	}
	return fmt.Sprintf(`%s..." (%d bytes in all)`, strings.TrimSuffix(quote(s[:40]), `"`), len(s))
}

func idlePartialLine(s *session) outcome {
	idle := s.cfg.idle
	if idle == 0 {
		return skip("not checked: give the checker -idle with the time your program allows, and your program the same (for example -idle 2s)")
	}
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	since := time.Now()
	c.greet()
	if err := c.send("half a li"); err != nil {
		return fail(causeHungUp, "the client could not send: "+wire.EndWords(err))
	}
	got, err := c.end(idle + s.cfg.wait - time.Since(since))
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fail(causeIdleNotClosed, fmt.Sprintf("a client that sent half a line, then nothing, was still connected %v after it connected (-idle %v)", time.Since(since).Round(100*time.Millisecond), idle))
	case !strings.Contains(got, "\n"):
		return fail(causeNotTold, fmt.Sprintf("the silent client's connection ended after %s without a line that says why", quote(got)))
	case strings.Contains(got, prefix+"half"):
		return fail(causeReadsNotLines, fmt.Sprintf("half a line was answered, %s: a line is answered once its line end arrives", quote(got)))
	}
	return pass()
}

// Exercise 08-2: a length prefix instead of a line end. Every message, both
// ways, is a frame: two bytes of length, big-endian, then the payload.

// frame is payload as a frame.
func frame(payload string) string {
	var head [2]byte
	binary.BigEndian.PutUint16(head[:], uint16(len(payload)))
	return string(head[:]) + payload
}

// frameLimit is the longest payload exercise 08-2 takes.
const frameLimit = 1024

func frames(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	// The welcome line, as a frame.
	want := frame(welcome)
	got, err := c.readUntil(func(g string) bool { return len(g) >= len(want) }, s.cfg.wait)
	c.received(got, err)
	c.greeted = true
	if got != want {
		return fail(causeWrongBytes, fmt.Sprintf("on connecting, got %s; want the welcome line as a frame, %s", quote(got), quote(want)))
	}
	for _, step := range []struct {
		what   string
		pieces []string // what the client sends, a write each
		want   string
	}{
		{"a frame", []string{frame("hi")}, frame(prefix + "hi")},
		{"an empty frame", []string{frame("")}, frame(prefix)},
		{"bytes that are not text, and a line end, in a frame", []string{frame("a\x00\xff\r\n")}, frame(prefix + "a\x00\xff\r\n")},
		{"two frames in one segment", []string{frame("one") + frame("two")}, frame(prefix+"one") + frame(prefix+"two")},
		{"a frame in pieces, its length split", []string{frame("in pieces")[:1], frame("in pieces")[1:4], frame("in pieces")[4:]}, frame(prefix + "in pieces")},
	} {
		var got []byte
		for _, p := range step.pieces {
			if err := c.send(p); err != nil {
				return fail(causeHungUp, fmt.Sprintf("%s: the client could not send: %s", step.what, wire.EndWords(err)))
			}
			g, _ := c.readUntil(func(string) bool { return false }, s.cfg.quiet/5)
			got = append(got, g...)
		}
		var err error
		if len(got) < len(step.want) {
			var rest string
			rest, err = c.readUntil(func(g string) bool { return len(got)+len(g) >= len(step.want) }, s.cfg.wait)
			got = append(got, rest...)
		}
		c.received(string(got), err)
		switch {
		case string(got) == step.want:
		case len(got) == 0:
			o := noAnswer(reply{err: err}, step.what)
			return o
		default:
			return fail(causeWrongBytes, fmt.Sprintf("%s: got %s; want %s", step.what, quote(string(got)), quote(step.want)))
		}
	}
	return pass()
}

func frameTooLong(s *session) outcome {
	c, o := s.dialFirst()
	if o != nil {
		return *o
	}
	if got, err := c.readUntil(func(g string) bool { return len(g) >= len(frame(welcome)) }, s.cfg.wait); err != nil {
		c.received(got, err)
		return noAnswer(reply{err: err}, "the welcome frame")
	}
	c.greeted = true
	var head [2]byte
	binary.BigEndian.PutUint16(head[:], frameLimit+1)
	if err := c.send(string(head[:])); err != nil {
		return fail(causeHungUp, "the client could not send: "+wire.EndWords(err))
	}
	got, err := c.end(s.cfg.wait)
	goodbye := frame(fmt.Sprintf("Your message is longer than %d bytes. Goodbye.\n", frameLimit))
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fail(causeNoLineLimit, fmt.Sprintf("after a length of %d, and no payload, the connection was still open %v later, with %s: refuse it as soon as its two bytes are read", frameLimit+1, s.cfg.wait, quote(got)))
	case got != goodbye:
		return fail(causeNotTold, fmt.Sprintf("after a length of %d, got %s, then %s; want %s and the end of the connection", frameLimit+1, quote(got), wire.EndWords(err), quote(goodbye)))
	case !errors.Is(err, io.EOF) && !wire.IsReset(err):
		return fail(causeNeverCloses, "the goodbye frame came, but the connection stayed open")
	}
	return pass()
}
