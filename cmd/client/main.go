// Command client is a line-mode stand-in for the article's telnet that works
// the same on Linux, macOS and Windows (macOS has no telnet, and Windows'
// telnet sends every key as it is pressed).
//
// It prints what the server sends as soon as it arrives, and sends each line
// you type when you press Enter, ending it with "\r\n" as telnet does. It
// takes turns, as you do at a keyboard: after sending a line it waits for
// the server's answer to arrive and pause (or for -reply-wait, if the server
// says nothing) before it sends the next one. Typed by hand you do not
// notice; with input from a pipe it means that every line gets its own
// reply, every time, however fast the lines come. With -stream it sends each
// line as soon as it has it, and the server may then read several lines at
// once: TCP carries bytes, not lines.
//
// At the end of your input (Ctrl-D, or Ctrl-Z then Enter on Windows, or the
// end of a pipe) it closes its sending side and waits for the server to
// finish. When the server closes the connection it prints "Connection
// closed by foreign host." (or "Connection reset by foreign host." if the
// server reset it, closing with data it had not read) and exits with 0.
//
// Usage:
//
//	go run ./cmd/client [-addr localhost:8888] [-stream] [-reply-wait 2s] [-wait 10s]
//	printf 'hi\nasd\n' | go run ./cmd/client
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"socketcourse/internal/wire"
)

// options are the flags, apart from the address.
type options struct {
	stream    bool          // send lines as they come, without taking turns
	replyWait time.Duration // how long to wait for the server to start answering a line
	pause     time.Duration // the quiet moment that ends an answer
	wait      time.Duration // how long to wait, after the end of input, for the server to close
}

func main() {
	addr := flag.String("addr", "localhost:8888", "`host:port` of the server")
	var opts options
	flag.BoolVar(&opts.stream, "stream", false, "send each line as soon as it is read, without waiting for the answer to the one before")
	flag.DurationVar(&opts.replyWait, "reply-wait", 2*time.Second, "after sending a line, how long to wait for the server to answer before sending the next")
	flag.DurationVar(&opts.wait, "wait", 10*time.Second, "how long to wait, after the end of input, for the server to close")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "client: unexpected argument %q; give the address with -addr, as in -addr localhost:8888\n", flag.Arg(0))
		os.Exit(2)
	}
	if opts.replyWait <= 0 || opts.wait <= 0 {
		fmt.Fprintln(os.Stderr, "client: bad -reply-wait or -wait: both must be positive")
		os.Exit(2)
	}
	opts.pause = pause
	os.Exit(run(*addr, opts, os.Stdin, os.Stdout, os.Stderr))
}

// pause is the quiet moment after which an answer counts as complete: long
// enough for the rest of a reply on a loaded machine, short enough not to
// be noticed. The answers of the course's servers arrive in one piece,
// well within it.
const pause = 250 * time.Millisecond

// dialTimeout bounds the connect: a server that drops SYNs (a full backlog,
// a firewall) would otherwise keep the client waiting for minutes.
const dialTimeout = 10 * time.Second

// run is the client: it returns the exit status.
func run(addr string, opts options, stdin io.Reader, stdout, stderr io.Writer) int {
	conn, err := net.DialTimeout("tcp", addr, dialTimeout)
	var addrErr *net.AddrError
	if errors.As(err, &addrErr) {
		fmt.Fprintln(stderr, "client: bad -addr:", addrErr)
		return 2
	}
	if err != nil {
		hint := ""
		if wire.IsRefused(err) {
			hint = " (is a server running there? Start one in another terminal: go run ./06-goroutines)"
		}
		fmt.Fprintf(stderr, "client: cannot connect to %s: %v%s\n", addr, wire.Reason(err), hint)
		return 1
	}
	defer conn.Close()

	// Print what the server sends, as it arrives, until it closes; tell
	// the loop below each time something arrives.
	s := &session{arrived: make(chan struct{}, 1), closed: make(chan error, 1)}
	go s.receive(conn, stdout)

	// Read what the user types, a line at a time.
	lines := make(chan line)
	go readLines(stdin, lines)

	// A server may greet first (06-goroutines does): let it, so that the
	// greeting is not taken for the answer to the first line.
	if !opts.stream {
		if over, err := s.answer(opts.pause, opts.pause); over {
			return ended(err, stdout, stderr)
		}
	}
	for {
		var l line
		select {
		case err := <-s.closed:
			return ended(err, stdout, stderr)
		case l = <-lines:
		}
		if l.err != nil {
			fmt.Fprintln(stderr, "client:", l.err)
			return 1
		}
		if l.end {
			break
		}
		s.forget()
		if _, err := io.WriteString(conn, l.text); err != nil {
			if !wire.IsReset(err) {
				fmt.Fprintln(stderr, "client:", err)
				return 1
			}
			break // the server has gone; the read below says how
		}
		if !opts.stream {
			if over, err := s.answer(opts.replyWait, opts.pause); over {
				return ended(err, stdout, stderr)
			}
		}
	}

	// End of input: tell the server we are done sending (a half-close),
	// and let it finish what it has to say.
	wire.CloseWrite(conn) // If this fails the connection is gone, which the read below reports.
	select {
	case err := <-s.closed:
		return ended(err, stdout, stderr)
	case <-time.After(opts.wait):
		fmt.Fprintf(stderr, "client: the server did not close the connection within %v of the end of input\n", opts.wait)
		return 1
	}
}

// session is what the receiving goroutine tells the sending loop.
type session struct {
	arrived chan struct{} // something arrived since the last forget
	closed  chan error    // the connection ended: nil for a close, or why
}

// receive copies what the server sends to out until the connection ends.
func (s *session) receive(conn net.Conn, out io.Writer) {
	buf := make([]byte, 4096)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			out.Write(buf[:n]) // The terminal is gone if this fails; there is no one to tell.
			select {
			case s.arrived <- struct{}{}:
			default: // already told
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil // an orderly close
			}
			s.closed <- err
			return
		}
	}
}

// forget drops news of what arrived before now.
func (s *session) forget() {
	select {
	case <-s.arrived:
	default:
	}
}

// answer waits for the server's answer: for something to arrive within
// first, then for a quiet moment of pause with nothing more. It returns
// early, with over true and how it ended, if the connection ends.
func (s *session) answer(first, pause time.Duration) (over bool, err error) {
	timer := time.NewTimer(first)
	defer timer.Stop()
	for {
		select {
		case err := <-s.closed:
			return true, err
		case <-s.arrived:
			timer.Reset(pause)
		case <-timer.C:
			return false, nil
		}
	}
}

// line is a line of input with telnet's line ending, the end of the input
// (end), or why reading failed (err).
type line struct {
	text string
	end  bool
	err  error
}

// readLines sends every line read from in to lines, then the end.
func readLines(in io.Reader, lines chan<- line) {
	r := bufio.NewReader(in)
	for {
		text, err := r.ReadString('\n')
		if text != "" {
			lines <- line{text: strings.TrimRight(text, "\r\n") + "\r\n"}
		}
		if errors.Is(err, io.EOF) {
			lines <- line{end: true}
			return
		}
		if err != nil {
			lines <- line{err: err}
			return
		}
	}
}

// ended reports how the connection ended and returns the exit status. A
// close or a reset from the server is a normal end, as it is for telnet;
// a reset is named, because it tells something: the server closed with
// bytes it had not read, or crashed.
func ended(err error, stdout, stderr io.Writer) int {
	switch {
	case err == nil:
		fmt.Fprintln(stdout, "Connection closed by foreign host.")
	case wire.IsReset(err):
		fmt.Fprintln(stdout, "Connection reset by foreign host.")
	default:
		fmt.Fprintln(stderr, "client:", err)
		return 1
	}
	return 0
}
