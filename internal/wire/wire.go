// Package wire holds what a client of the course's servers does, as plain
// functions that return errors: dial, send, expect exactly some bytes,
// expect silence for a while, expect the end of the connection, close the
// sending side, reset it; connect a crowd of clients a wave at a time; and
// tell how a connection failed: refused, reset, or timed out (errors.go).
//
// Its users share them: internal/tcptest wraps each one for the stages'
// tests (a failure there fails the test), cmd/check runs them against a
// learner's own server (a failure there is a line of its report), and
// cmd/client and cmd/loadsim name what happened to their connections with
// them. An error says what was read and what was wanted, with bytes
// quoted, and keeps the underlying error so that a caller can tell a
// timeout from an EOF or a reset.
package wire

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// Error is a client action that did not see what it wanted.
type Error struct {
	Op     string        // what the client did: "dial", "write", "read", "wait for silence", "wait for the end"
	Want   string        // the bytes it wanted, if it wanted some
	Got    []byte        // what it read
	Waited time.Duration // how long it waited
	Err    error         // why it stopped: io.EOF, a reset, os.ErrDeadlineExceeded, ...; nil if the bytes differ
}

func (e *Error) Error() string {
	switch {
	case e.Op == "wait for silence" && e.Err == nil:
		return fmt.Sprintf("read %q; want nothing for %v", e.Got, e.Waited)
	case e.Op == "wait for silence":
		return fmt.Sprintf("read %q: %v; want the connection open and silent for %v", e.Got, e.Err, e.Waited)
	case e.Op == "wait for the end" && e.Err == nil:
		return fmt.Sprintf("read %q; want nothing more", e.Got)
	case e.Op == "wait for the end":
		return fmt.Sprintf("the server did not end the connection within %v; read %q", e.Waited, e.Got)
	case e.Op == "read" && e.Err == nil:
		return fmt.Sprintf("read %q; want %q", e.Got, e.Want)
	case e.Op == "read" && errors.Is(e.Err, os.ErrDeadlineExceeded):
		return fmt.Sprintf("read %q, then nothing for %v; want %q", e.Got, e.Waited.Round(100*time.Millisecond), e.Want)
	case e.Op == "read":
		return fmt.Sprintf("read %q: %v; want %q", e.Got, e.Err, e.Want)
	case e.Op == "write":
		return fmt.Sprintf("write %q: %v", e.Want, e.Err)
	case strings.HasPrefix(e.Op, "dial ") && errors.As(e.Err, new(*net.OpError)):
		return e.Err.Error() // "dial tcp 127.0.0.1:8888: connect: ..." names the address already
	}
	return fmt.Sprintf("%s: %v", e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Dial connects to addr as a client does, within timeout, and gives the
// connection a deadline of timeout for every later read and write.
func Dial(addr string, timeout time.Duration) (net.Conn, error) {
	start := time.Now()
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, &Error{Op: "dial " + addr, Waited: time.Since(start), Err: err}
	}
	c.SetDeadline(time.Now().Add(timeout)) // Cannot fail on a new connection.
	return c, nil
}

// Send writes s to c.
func Send(c net.Conn, s string) error {
	if _, err := io.WriteString(c, s); err != nil {
		return &Error{Op: "write", Want: s, Err: err}
	}
	return nil
}

// Expect reads exactly len(want) bytes from c, within c's deadline, and
// checks they are want. TCP is a byte stream: a reply may arrive in several
// pieces, so it reads until it has them all (io.ReadFull).
func Expect(c net.Conn, want string) error {
	start := time.Now()
	got := make([]byte, len(want))
	n, err := io.ReadFull(c, got)
	if err != nil {
		return &Error{Op: "read", Want: want, Got: got[:n], Waited: time.Since(start), Err: err}
	}
	if string(got) != want {
		return &Error{Op: "read", Want: want, Got: got, Waited: time.Since(start)}
	}
	return nil
}

// ReadToEnd reads from c until the server ends the connection, within c's
// deadline, and returns what arrived and how the stream ended: io.EOF when
// the server closed cleanly, a reset error when it closed with data it had
// not read. If the deadline comes first, the error is an *Error.
func ReadToEnd(c net.Conn) (string, error) {
	start := time.Now()
	var got []byte
	buf := make([]byte, 1024)
	for {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return string(got), &Error{Op: "wait for the end", Got: got, Waited: time.Since(start), Err: err}
			}
			return string(got), err
		}
	}
}

// ExpectEnd reads from c until the server ends the connection, within c's
// deadline, and checks that nothing arrived. The end may be a close (EOF)
// or a reset (the server closed with bytes it had not read).
func ExpectEnd(c net.Conn) error {
	got, err := ReadToEnd(c)
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if got != "" {
		return &Error{Op: "wait for the end", Got: []byte(got)}
	}
	return nil
}

// ExpectSilence reads from c for window and checks that nothing arrives and
// the connection stays open: the read ends at its deadline, not with EOF.
// Afterwards reads have a deadline of after from now.
func ExpectSilence(c net.Conn, window, after time.Duration) error {
	if err := c.SetReadDeadline(time.Now().Add(window)); err != nil {
		return &Error{Op: "wait for silence", Err: err}
	}
	buf := make([]byte, 1024)
	n, err := c.Read(buf)
	if n > 0 {
		return &Error{Op: "wait for silence", Got: buf[:n], Waited: window}
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		return &Error{Op: "wait for silence", Waited: window, Err: err}
	}
	if err := c.SetReadDeadline(time.Now().Add(after)); err != nil {
		return &Error{Op: "wait for silence", Err: err}
	}
	return nil
}

// CloseWrite closes c's sending side only, a half-close: TCP sends a FIN,
// as `nc -N` and the course's client do when their input ends. The server
// reads EOF, and c can still read what the server sends until the server
// closes too. A connection that cannot half-close (net.Pipe's) gives an
// error that wraps errors.ErrUnsupported.
func CloseWrite(c net.Conn) error {
	hc, ok := c.(interface{ CloseWrite() error })
	if !ok {
		return fmt.Errorf("close the sending side of a %T: %w", c, errors.ErrUnsupported)
	}
	return hc.CloseWrite()
}

// Reset closes c so that the peer sees a reset (RST) instead of an orderly
// close (FIN): SO_LINGER with a zero timeout, what a crashing client or a
// dropped network link looks like to the server. A reset also leaves no
// TIME_WAIT behind on either side.
func Reset(c net.Conn) error {
	if tc, ok := c.(*net.TCPConn); ok {
		if err := tc.SetLinger(0); err != nil {
			return err
		}
	}
	return c.Close()
}
