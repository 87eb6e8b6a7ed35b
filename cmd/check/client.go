package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"time"

	"socketcourse/internal/course"
	"socketcourse/internal/wire"
)

// client is one connection of the checker to the program.
type client struct {
	s        *session
	n        int // 1 for the first client of the scenario
	conn     net.Conn
	port     int       // the client's own port, which "Connected with" must show
	accepted bool      // the program showed it accepted this client: it sent bytes or closed
	wasReset bool      // the connection was reset: an EOF after it is not the program closing
	greeted  bool      // the welcome line has been read
	quiet    bool      // one of a crowd: what it does is not logged one action at a time
	since    time.Time // when it connected
	lastSent time.Time
	sent     string // what it sent last
	asking   bool   // waiting for the reply to what it sent last
}

// saw records what a read brought: n bytes, or the end err. Bytes, or
// an end without a reset before it, show that the program accepted the
// client. A client the program never accepted (queued in the backlog as
// it exits) is reset, and a read after a reset returns EOF: no sign.
func (c *client) saw(n int, err error) {
	c.wasReset = c.wasReset || wire.IsReset(err)
	c.accepted = c.accepted || n > 0 || errors.Is(err, io.EOF) && !c.wasReset
}

// prefix starts every reply from 05 on: the article's reply = 'OK...' + data.
const prefix = course.Prefix

// welcome is the article's welcome line, which 06 sends every client.
const welcome = course.WelcomeLine

// settle is how long a client goes on reading once what it waited for has
// come, to see the bytes that follow at once (a "\n" sent after the reply).
const settle = 50 * time.Millisecond

// readUntil reads until done says what arrived is enough, the connection
// ends, or within has passed. Once bytes have come that are not enough
// (and are more than a welcome line the client has not read yet), it stops
// at the first pause of quiet: a wrong reply is told at once, not after
// -wait. When done is satisfied it reads on for settle, to see bytes that
// follow at once. It returns what arrived and why it stopped: nil when
// done, else io.EOF, a reset, or os.ErrDeadlineExceeded.
func (c *client) readUntil(done func(string) bool, within time.Duration) (string, error) {
	deadline := time.Now().Add(within)
	var got []byte
	buf := make([]byte, 4096)
	satisfied := false
	for {
		d := deadline
		switch {
		case satisfied:
			d = time.Now().Add(settle)
		case c.pastGreeting(got):
			d = minTime(deadline, time.Now().Add(c.s.cfg.quiet))
		}
		c.conn.SetReadDeadline(d)
		n, err := c.conn.Read(buf)
		got = append(got, buf[:n]...)
		c.saw(n, err)
		satisfied = satisfied || done(string(got))
		switch {
		case err != nil && satisfied:
			return string(got), nil
		case err != nil:
			return string(got), err
		case len(got) > 1<<20:
			return string(got), nil // a flood: enough to judge it
		}
	}
}

// pastGreeting reports whether got holds more than the welcome line a
// client that has not read it yet may get first: a lone line is waited
// past, for the reply after it; so is, while a reply is awaited, a piece
// with no line end at all: a welcome without its line end ("Welcome!"),
// the reply still to come (a published server answered a second later).
func (c *client) pastGreeting(got []byte) bool {
	lone := len(got) > 0 && got[len(got)-1] == '\n' && strings.Count(string(got), "\n") == 1
	unended := c.asking && !bytes.Contains(got, []byte("\n"))
	return len(got) > 0 && (c.greeted || !lone && !unended)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func (c *client) send(msg string) error {
	c.lastSent, c.sent = time.Now(), msg
	c.conn.SetWriteDeadline(time.Now().Add(c.s.cfg.wait))
	err := wire.Send(c.conn, msg)
	c.wasReset = c.wasReset || wire.IsReset(err)
	if c.quiet {
		return err
	}
	if err != nil {
		c.s.logf("client %d sends %q: %s", c.n, msg, c.endWords(err))
	} else {
		c.s.logf("client %d sends %q", c.n, msg)
	}
	return err
}

// endWords says how the client's connection ended, as wire.EndWords
// does; a reset while the program still runs is a close with bytes it
// had not read (a 05 that never read a second message), not a crash. A
// program that crashed resets its clients as it dies, a moment before
// the checker sees it end: it is given settle to be seen.
func (c *client) endWords(err error) string {
	if wire.IsReset(err) && c.s.prog != nil && !c.s.prog.waitExit(settle) {
		return "a reset: the server closed the connection without reading all the client sent"
	}
	return wire.EndWords(err)
}

// received logs what a read brought.
func (c *client) received(got string, err error) {
	if c.quiet {
		return
	}
	switch {
	case err == nil:
		c.s.logf("client %d receives %s", c.n, quote(got))
	case got == "" && wire.IsTimeout(err):
		c.s.logf("client %d receives nothing; the connection stays open", c.n)
	case got == "":
		c.s.logf("client %d receives nothing: %s", c.n, c.endWords(err))
	default:
		c.s.logf("client %d receives %s, then %s", c.n, quote(got), c.endWords(err))
	}
}

// greet reads the welcome line a 06 server sends a client as soon as it
// connects, and records a difference if it is not the article's (or the
// exercise's). It returns false when nothing came.
func (c *client) greet() bool {
	want := c.s.welcomeFor(c)
	got, err := c.readUntil(func(s string) bool { return strings.Contains(s, "\n") }, c.s.cfg.wait)
	c.received(got, err)
	c.greeted = true
	switch {
	case got == "":
		c.s.differ(missing("welcome", "the welcome line", want, stageWelcome))
		return false
	case sameLine(got, want), c.s.cfg.exercise == "" && sameLine(got, namedWelcome(c)):
		// The article's, or exercise 06-2's, which names the client.
	default:
		c.s.differ(textDiff("welcome", "the welcome line", generalisePort(want, c.port), generalisePort(got, c.port), stageWelcome))
	}
	return true
}

// sameLine reports whether got is the line want, with "\r\n" or "\n".
func sameLine(got, want string) bool {
	return got == want || strings.TrimSuffix(got, "\r\n") == strings.TrimSuffix(want, "\n")
}

// reply is what a client made of the answer to a message.
type reply struct {
	got      string // what arrived
	err      error  // why reading stopped, if the reply never came whole
	greeting string // a welcome line that came before it
	fault    cause  // the bytes are wrong: wrong-bytes, full-buffer, str-bytes
	data     bool   // the data sent came back, unchanged
	pre      string // what came before the data: the prefix
}

// answered reports whether anything at all came back.
func (r reply) answered() bool { return strings.TrimPrefix(r.got, r.greeting) != "" }

// ask sends msg and reads the reply, which should be want + msg (want is
// "OK..." from 05 on, "" for 04's echo). It records text differences in
// the session; a reply whose bytes are wrong has a fault.
func (c *client) ask(msg, want string) reply {
	if err := c.send(msg); err != nil {
		return reply{err: err}
	}
	// The reply is in once the data has come back, with its line end:
	// whatever came before it (a prefix with a slip) is judged after.
	c.asking = true
	got, err := c.readUntil(func(s string) bool { return strings.Contains(s, want+msg) || strings.HasSuffix(s, msg) }, c.s.cfg.wait)
	c.asking = false
	c.received(got, err)
	r := c.judge(got, msg, want)
	r.err = err
	if want == prefix {
		c.prefixDiff(r, msg)
	}
	if r.data && c.s.prog != nil {
		c.s.prog.sawPrefix(r.pre)
	}
	return r
}

// judge reads a reply: a welcome line before it, if the client had not
// read it yet; the prefix; the data; anything after.
func (c *client) judge(got, msg, want string) reply {
	r := reply{got: got}
	rest := got
	if i := strings.IndexByte(rest, '\n'); !c.greeted && i >= 0 && !strings.HasPrefix(rest, want+msg) {
		j := strings.LastIndex(rest, msg)
		if j < 0 {
			j = strings.LastIndex(rest, strings.TrimRight(msg, "\r\n"))
		}
		if j > i {
			r.greeting, rest = rest[:i+1], rest[i+1:]
		}
	}
	if rest == "" {
		return r
	}
	if rest == want+msg {
		r.data, r.pre = true, want
		return r
	}
	i := strings.Index(rest, msg)
	if data := strings.TrimRight(msg, "\r\n"); i < 0 && data != "" && data != msg && strings.HasSuffix(rest, data) {
		// The data without the line end the client sent: a line reader
		// (bufio.Scanner, Python's strip()) dropped it.
		r.data, r.pre, r.fault = true, strings.TrimSuffix(rest, data), causeLineEnd
		return r
	}
	for _, end := range []string{"\n", "\r\n"} {
		// The data with a line end of the program's own: a line reader
		// dropped the client's, and println added another.
		if data := strings.TrimRight(msg, "\r\n"); i < 0 && data != "" && data+end != msg && strings.HasSuffix(rest, data+end) {
			r.data, r.pre, r.fault = true, strings.TrimSuffix(rest, data+end), causeLineEnd
			return r
		}
	}
	if i < 0 {
		r.fault = badBytes(rest, msg)
		if r.fault == "" {
			data := strings.TrimRight(msg, "\r\n")
			c.s.differ(textDiff("reply", "the reply", strings.ReplaceAll(want+msg, data, "<data>"), strings.ReplaceAll(rest, data, "<data>"), stageReply))
		}
		return r
	}
	pre, post := rest[:i], rest[i+len(msg):]
	if !c.greeted && want != "" && len(pre) > len(want) && strings.HasSuffix(pre, want) {
		// A welcome without its line end before "OK...": the greeting.
		r.greeting, pre = r.greeting+pre[:len(pre)-len(want)], want
	}
	r.data, r.pre = true, pre
	switch {
	case post != "" && strings.Trim(post, "\x00") == "":
		r.fault = causeFullBuffer
	case post != "" && strings.TrimSpace(post) == "":
		c.s.differ(textDiff("reply", "what follows the data in the reply", "", post, stageReply))
	case post != "":
		r.fault = causeWrongBytes
	}
	return r
}

// badBytes tells what is wrong with a reply that does not carry msg
// unchanged, or returns "" when only its text differs (the data is there,
// its line end changed).
func badBytes(got, msg string) cause {
	data := strings.TrimRight(msg, "\r\n")
	switch {
	case othersData(got, data):
		return causeOthersData
	case strings.ToValidUTF8(data, "\uFFFD") != data && strings.Contains(got, strings.ToValidUTF8(data, "\uFFFD")):
		// \xff back as \xef\xbf\xbd: decoded as UTF-8, encoded again.
		return causeTextDecoded
	case strings.Contains(got, pythonRepr(msg)), strings.Contains(got, strings.TrimSuffix(pythonRepr(data), "'")):
		return causeStrBytes
	case strings.Contains(got, msg+"\x00"):
		return causeFullBuffer
	case data != "" && strings.Contains(got, data):
		return ""
	}
	return causeWrongBytes
}

// numbered is the form of the clients' messages: "client 7", "again 7".
var numbered = regexp.MustCompile(`^([a-z]+) (\d+)$`)

// othersData reports whether got holds another client's message instead
// of data, a numbered one: what the client was sent belonged to another
// (a buffer shared by every connection's goroutine or thread).
func othersData(got, data string) bool {
	m := numbered.FindStringSubmatch(data)
	if m == nil {
		return false
	}
	for _, g := range regexp.MustCompile(regexp.QuoteMeta(m[1])+` (\d+)`).FindAllStringSubmatch(got, -1) {
		if g[1] != m[2] {
			return true
		}
	}
	return false
}

// prefixDiff records the difference of a reply's prefix from the
// article's, from 05 on: the prefix alone, so that every client's slip is
// the same difference.
func (c *client) prefixDiff(r reply, msg string) {
	if !r.data || r.pre == prefix {
		return // right, or the data is not there: a fault, or a reply that differs as a whole
	}
	c.s.differ(textDiff("prefix", "the reply's prefix", prefix, r.pre, stagePrefix))
}

// end reads until the connection ends, at most within, and returns what
// arrived and how it ended: io.EOF, a reset, or os.ErrDeadlineExceeded if
// it is still open.
func (c *client) end(within time.Duration) (string, error) {
	c.conn.SetReadDeadline(time.Now().Add(within))
	var got []byte
	buf := make([]byte, 4096)
	for {
		n, err := c.conn.Read(buf)
		got = append(got, buf[:n]...)
		if err == nil && len(got) <= 1<<20 {
			continue
		}
		c.saw(len(got), err)
		c.received(string(got), err)
		return string(got), err
	}
}

// silence checks that nothing arrives within window and the connection
// stays open; it returns what arrived, or how it ended.
func (c *client) silence(window time.Duration) (string, error) {
	err := wire.ExpectSilence(c.conn, window, c.s.cfg.wait)
	var e *wire.Error
	switch {
	case errors.As(err, &e) && len(e.Got) > 0:
		c.accepted = true
		c.s.logf("client %d receives %s", c.n, quote(string(e.Got)))
		return string(e.Got), nil
	case err != nil:
		c.saw(0, errors.Unwrap(err))
		c.s.logf("client %d: %s", c.n, c.endWords(errors.Unwrap(err)))
		return "", errors.Unwrap(err)
	}
	c.s.logf("client %d receives nothing for %v", c.n, window)
	return "", nil
}

// closeWrite closes the client's side (FIN), as a client that is done
// does: the server reads EOF. The socket itself stays open until the
// session ends with a reset, so that the program's port is left with no
// TIME_WAIT even when the program closed its side first.
func (c *client) closeWrite() {
	wire.CloseWrite(c.conn) // A client's connection is TCP: it can.
	c.s.logf("client %d closes its connection", c.n)
}

// leave ends the connection as a client that is done does, and leaves
// nothing behind on the program's port (see session.leave): reset at once
// if the program has closed its end already; else its side closed first,
// what comes read until the program closes too (within at most), and
// reset.
func (c *client) leave(within time.Duration) {
	defer wire.Reset(c.conn)
	drain := func(within time.Duration) error {
		c.conn.SetReadDeadline(time.Now().Add(within))
		buf := make([]byte, 4096)
		for n := 0; n < 1<<16; {
			k, err := c.conn.Read(buf)
			n += k
			if err != nil {
				return err
			}
		}
		return nil
	}
	if err := drain(time.Millisecond); err != nil && !wire.IsTimeout(err) {
		return // closed by the program already: reset it now
	}
	wire.CloseWrite(c.conn)
	drain(within)
}

// reset closes the client's connection with a reset (RST).
func (c *client) reset() {
	wire.Reset(c.conn)
	c.s.logf("client %d resets its connection", c.n)
}

// quote quotes bytes for the report, whole up to a cap; a long run of one
// byte (a buffer's zeros, a flood) is counted, not shown.
func quote(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		if j-i >= 16 {
			fmt.Fprintf(&b, "%s×%d", strings.Trim(fmt.Sprintf("%q", s[i:i+1]), `"`), j-i)
		} else {
			b.WriteString(strings.Trim(fmt.Sprintf("%q", s[i:j]), `"`))
		}
		i = j
		if b.Len() > 400 {
			fmt.Fprintf(&b, "... (%d bytes in all)", len(s))
			break
		}
	}
	return `"` + b.String() + `"`
}
