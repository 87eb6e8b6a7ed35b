package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"socketcourse/internal/wire"
)

// config is what the user asked for.
type config struct {
	argv    []string      // the learner's command
	env     []string      // the checker's environment, which the command gets
	port    int           // where it listens when argv has no {port}
	anyPort bool          // argv has {port}: the checker picks a port for each run
	wait    time.Duration // how long a reply may take
	start   time.Duration // how long the program may take to start listening
	quiet   time.Duration // how long to watch to see that nothing happens
	idle    time.Duration // the program's idle timeout, if the user gave one
	grace   time.Duration // how long the program may take to stop on Ctrl-C
}

// session is one scenario being run: the programs it started, the clients
// it opened, and what happened, for the report.
type session struct {
	cfg     *config
	running *programs
	prog    *program // the program last started
	port    int
	clients []*client
	log     []string // what the clients did, in order
}

// startOn starts the learner's program on port.
func (s *session) startOn(port int) (*program, error) {
	p, err := startProgram(s.cfg.argv, s.cfg.env, port)
	if err != nil {
		return nil, err
	}
	if !s.running.add(p) {
		p.stop()
		return nil, errors.New("the check was interrupted")
	}
	s.prog, s.port = p, port
	return p, nil
}

// start starts the learner's program on the port of this run.
func (s *session) start() (*program, error) {
	port := s.cfg.port
	if s.cfg.anyPort {
		var err error
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	return s.startOn(port)
}

// close resets every client (a reset leaves no TIME_WAIT on the program's
// port, which the article's Python, binding without SO_REUSEADDR, would
// trip over on its next start), stops the program and waits for its port.
func (s *session) close() {
	for _, c := range s.clients {
		wire.Reset(c.conn) // Already closed is fine.
	}
	if s.prog != nil {
		s.prog.stop()
		s.running.remove(s.prog)
		if !s.cfg.anyPort {
			waitPortFree(s.port, 5*time.Second)
		}
	}
}

func (s *session) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

func (s *session) logf(format string, args ...any) {
	s.log = append(s.log, fmt.Sprintf(format, args...))
}

// line waits for a line of the program's starting with prefix, as long as
// the program may take to start, or until it exits.
func (s *session) line(prefix string) error {
	_, _, ok := s.prog.out.WaitLine(0, s.cfg.start, s.prog.done, func(l string) bool { return strings.HasPrefix(l, prefix) })
	if !ok {
		return fmt.Errorf("your program printed no line %q", prefix)
	}
	return nil
}

// client is one connection of the checker to the program.
type client struct {
	s    *session
	n    int // 1 for the first client of the scenario
	conn net.Conn
	port int // the client's own port, which "Connected with" must show
	from int // the number of lines the program had printed before it connected
}

// dial connects a new client. The first of a run is the first contact: it
// is tried again until the program listens, for as long as the program may
// take to start, and given up at once if the program exits.
func (s *session) dial() (*client, error) {
	from := len(s.prog.out.Lines())
	deadline := time.Now().Add(s.cfg.wait)
	first := len(s.clients) == 0
	var listeningSince time.Time
	if first {
		deadline = time.Now().Add(s.cfg.start)
	}
	for {
		timeout := s.cfg.wait
		if first {
			timeout = max(time.Until(deadline), time.Millisecond)
		}
		conn, err := wire.Dial(s.addr(), timeout)
		if err == nil {
			conn.SetDeadline(time.Now().Add(s.cfg.wait))
		}
		if err == nil {
			c := &client{s: s, n: len(s.clients) + 1, conn: conn, port: conn.LocalAddr().(*net.TCPAddr).Port, from: from}
			s.clients = append(s.clients, c)
			s.logf("client %d connects to %s from 127.0.0.1:%d", c.n, s.addr(), c.port)
			return c, nil
		}
		if !first || time.Now().After(deadline) {
			s.logf("client %d connects to %s: %v", len(s.clients)+1, s.addr(), unwrapAll(err))
			return nil, err
		}
		if _, _, ok := s.prog.out.WaitLine(0, 0, nil, func(l string) bool { return l == "Socket now listening" }); ok && listeningSince.IsZero() {
			listeningSince = time.Now()
		}
		if !listeningSince.IsZero() && time.Since(listeningSince) > max(s.cfg.wait, 3*time.Second) {
			s.logf("client %d connects to %s: %v", len(s.clients)+1, s.addr(), unwrapAll(err))
			return nil, fmt.Errorf("nothing listens on %s, though your program printed \"Socket now listening\" %v ago: does it listen on the port it is given ({port} in its arguments, PORT in its environment, or -port)? %w", s.addr(), max(s.cfg.wait, 3*time.Second), err)
		}
		if s.prog.exited() {
			s.logf("client %d connects to %s: %v", len(s.clients)+1, s.addr(), unwrapAll(err))
			_, words, _ := s.prog.status()
			return nil, fmt.Errorf("your program exited (%s) before it accepted a connection", words)
		}
		time.Sleep(50 * time.Millisecond) // trying again while the program starts: polling it, not waiting on our own goroutines
	}
}

// deadline gives the client's next reads and writes d from now.
func (c *client) deadline(d time.Duration) { c.conn.SetDeadline(time.Now().Add(d)) }

func (c *client) send(msg string) error {
	c.deadline(c.s.cfg.wait)
	err := wire.Send(c.conn, msg)
	c.s.logf("client %d sends %q", c.n, msg)
	return err
}

// expect reads exactly want, waiting at most cfg.wait.
func (c *client) expect(want string) error {
	c.deadline(c.s.cfg.wait)
	err := wire.Expect(c.conn, want)
	var e *wire.Error
	if errors.As(err, &e) {
		c.s.logf("client %d receives %q; wanted %q", c.n, e.Got, want)
	} else {
		c.s.logf("client %d receives %q", c.n, want)
	}
	return err
}

// prefix starts every reply of 05 and 06: the article's reply = 'OK...' + data.
const prefix = "OK..."

// converse sends msg and expects the article's reply, "OK..." and msg.
func (c *client) converse(msg string) error {
	if err := c.send(msg); err != nil {
		return err
	}
	return c.expect(prefix + msg)
}

// welcome is the article's welcome line, which 06 sends every client.
const welcome = "Welcome to the server. Type something and hit enter\n"

// expectWelcome reads the welcome line; "\r\n" at its end is fine.
func (c *client) expectWelcome() error {
	c.deadline(c.s.cfg.wait)
	start := time.Now()
	var got []byte
	b := make([]byte, 1)
	for len(got) < 2*len(welcome) && !strings.HasSuffix(string(got), "\n") {
		n, err := c.conn.Read(b)
		got = append(got, b[:n]...)
		if err != nil {
			c.s.logf("client %d receives %q; wanted %q", c.n, got, welcome)
			return &wire.Error{Op: "read", Want: welcome, Got: got, Waited: time.Since(start), Err: err}
		}
	}
	if strings.TrimSuffix(string(got), "\r\n") != strings.TrimSuffix(welcome, "\n") && string(got) != welcome {
		c.s.logf("client %d receives %q; wanted %q", c.n, got, welcome)
		return &wire.Error{Op: "read", Want: welcome, Got: got, Waited: time.Since(start)}
	}
	c.s.logf("client %d receives %q", c.n, got)
	return nil
}

// readUntil reads until what arrived contains want, the connection ends,
// or cfg.wait has passed, and returns what arrived and, if it does not
// contain want, why it stopped.
func (c *client) readUntil(want string) (string, error) {
	c.deadline(c.s.cfg.wait)
	start := time.Now()
	var got []byte
	buf := make([]byte, 2048)
	for !strings.Contains(string(got), want) {
		n, err := c.conn.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil && !strings.Contains(string(got), want) {
			c.s.logf("client %d receives %q, then %s", c.n, got, endWords(err))
			return string(got), &wire.Error{Op: "read", Want: want, Got: got, Waited: time.Since(start), Err: err}
		}
	}
	c.s.logf("client %d receives %q", c.n, got)
	return string(got), nil
}

// readToEnd reads until the connection ends, at most d.
func (c *client) readToEnd(d time.Duration) (string, error) {
	c.deadline(d)
	got, err := wire.ReadToEnd(c.conn)
	c.s.logf("client %d receives %q, then %s", c.n, got, endWords(err))
	return got, err
}

// nothingMore checks that no more bytes arrive within cfg.quiet: the
// connection may end or stay open.
func (c *client) nothingMore(window time.Duration) error {
	c.deadline(window)
	buf := make([]byte, 2048)
	n, err := c.conn.Read(buf)
	if n > 0 {
		c.s.logf("client %d receives %q; wanted nothing more", c.n, buf[:n])
		return &wire.Error{Op: "wait for the end", Got: buf[:n]}
	}
	c.s.logf("client %d receives nothing more (%s)", c.n, endWords(err))
	return nil
}

// silence checks that nothing arrives within cfg.quiet and the connection
// stays open.
func (c *client) silence() error {
	err := wire.ExpectSilence(c.conn, c.s.cfg.quiet, c.s.cfg.wait)
	var e *wire.Error
	if errors.As(err, &e) && len(e.Got) > 0 {
		c.s.logf("client %d receives %q", c.n, e.Got)
	} else if err != nil {
		c.s.logf("client %d: %s", c.n, endWords(errors.Unwrap(err)))
	} else {
		c.s.logf("client %d receives nothing for %v", c.n, c.s.cfg.quiet)
	}
	return err
}

// close closes the client's side (FIN), as a client that is done does:
// the server reads EOF. The socket itself stays open until the session
// ends with a reset, so that the program's port is left with no TIME_WAIT
// even when the program closed its side first.
func (c *client) close() {
	c.conn.(*net.TCPConn).CloseWrite()
	c.s.logf("client %d closes its connection", c.n)
}

// reset closes the client's connection with a reset (RST).
func (c *client) reset() {
	wire.Reset(c.conn)
	c.s.logf("client %d resets its connection", c.n)
}

// connected waits for the program's line "Connected with <ip>:<port>" for
// this client: the port must be the client's own.
func (c *client) connected() error {
	var others []string
	deadline := time.Now().Add(c.s.cfg.wait)
	from := c.from
	for {
		line, i, ok := c.s.prog.out.WaitLine(from, time.Until(deadline), c.s.prog.done, func(l string) bool {
			return strings.HasPrefix(l, "Connected with ")
		})
		if !ok {
			break
		}
		if ip, port, ok := clientAddr(strings.TrimPrefix(line, "Connected with ")); ok && ip.IsLoopback() && port == c.port {
			return nil
		}
		others = append(others, line)
		from = i + 1
	}
	if len(others) > 0 {
		return fmt.Errorf("your program printed %q; the client is 127.0.0.1:%d", strings.Join(others, `", "`), c.port)
	}
	return fmt.Errorf("your program printed no line \"Connected with 127.0.0.1:%d\" within %v", c.port, c.s.cfg.wait)
}

// clientAddr reads "127.0.0.1:40312", "[::ffff:127.0.0.1]:40312" or
// "::ffff:127.0.0.1:40312".
func clientAddr(s string) (ip net.IP, port int, ok bool) {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return nil, 0, false
	}
	port, err := strconv.Atoi(strings.TrimSpace(s[i+1:]))
	ip = net.ParseIP(strings.Trim(s[:i], "[]"))
	return ip, port, err == nil && ip != nil
}

// endWords says how a read ended, in words.
func endWords(err error) string {
	switch {
	case err == nil:
		return "the connection stays open"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "EOF: the server closed the connection"
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "nothing more: the connection stays open"
	case isReset(err):
		return "a reset: the server closed the connection without reading everything, or crashed"
	}
	return unwrapAll(err).Error()
}

func isReset(err error) bool { return isAny(err, resetErrnos) }

func isRefused(err error) bool { return isAny(err, refusedErrnos) }

func isAny(err error, errnos []syscall.Errno) bool {
	for _, e := range errnos {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// unwrapAll returns the innermost error, the system's own words.
func unwrapAll(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}
