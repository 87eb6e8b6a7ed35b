// Command client is a line-mode stand-in for the article's telnet that works
// the same on Linux, macOS and Windows (macOS has no telnet, and Windows'
// telnet sends every key as it is pressed).
//
// It prints what the server sends as soon as it arrives, and sends each line
// you type when you press Enter, ending it with "\r\n" as telnet does. At the
// end of your input (Ctrl-D, or Ctrl-Z then Enter on Windows, or the end of a
// pipe) it closes its sending side and waits for the server to finish. When
// the server closes the connection it prints "Connection closed by foreign
// host." and exits with status 0.
//
// Usage:
//
//	go run ./cmd/client [-addr localhost:8888] [-wait 10s]
//	printf 'hi\n' | go run ./cmd/client
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
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "localhost:8888", "`host:port` of the server")
	wait := flag.Duration("wait", 10*time.Second, "how long to wait, after the end of input, for the server to close")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "client: unexpected argument %q; give the address with -addr, as in -addr localhost:8888\n", flag.Arg(0))
		os.Exit(2)
	}
	os.Exit(run(*addr, *wait, os.Stdin, os.Stdout, os.Stderr))
}

// dialTimeout bounds the connect: a server that drops SYNs (a full backlog,
// a firewall) would otherwise keep the client waiting for minutes.
const dialTimeout = 10 * time.Second

// run is the client: it returns the exit status.
func run(addr string, wait time.Duration, stdin io.Reader, stdout, stderr io.Writer) int {
	conn, err := net.DialTimeout("tcp", addr, dialTimeout)
	var addrErr *net.AddrError
	if errors.As(err, &addrErr) {
		fmt.Fprintln(stderr, "client: bad -addr:", addrErr)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "client: cannot connect to %s: %v\n", addr, reason(err))
		return 1
	}
	defer conn.Close()

	// Print what the server sends, as it arrives, until it closes.
	closed := make(chan error, 1)
	go func() {
		_, err := io.Copy(stdout, conn)
		closed <- err
	}()

	// Send what the user types, a line at a time.
	typed := make(chan error, 1)
	go func() { typed <- sendLines(conn, stdin) }()

	select {
	case err := <-closed:
		return ended(err, stdout, stderr)
	case err := <-typed:
		if err != nil && !isClosed(err) {
			fmt.Fprintln(stderr, "client:", err)
			return 1
		}
	}

	// End of input: tell the server we are done sending (a half-close),
	// and let it finish what it has to say.
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.CloseWrite() // If this fails the connection is gone, which the read below reports.
	}
	select {
	case err := <-closed:
		return ended(err, stdout, stderr)
	case <-time.After(wait):
		fmt.Fprintf(stderr, "client: the server did not close the connection within %v of the end of input\n", wait)
		return 1
	}
}

// sendLines sends every line read from in, with telnet's line ending.
func sendLines(conn net.Conn, in io.Reader) error {
	r := bufio.NewReader(in)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			line = strings.TrimRight(line, "\r\n") + "\r\n"
			if _, err := io.WriteString(conn, line); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// ended reports how the connection ended and returns the exit status. A
// close or a reset from the server is a normal end, as it is for telnet.
func ended(err error, stdout, stderr io.Writer) int {
	if err != nil && !isClosed(err) {
		fmt.Fprintln(stderr, "client:", err)
		return 1
	}
	fmt.Fprintln(stdout, "Connection closed by foreign host.")
	return 0
}

// isClosed reports whether err means the server ended the connection.
func isClosed(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) || isWSAReset(err)
}

// reason returns the innermost part of a dial error: "connection refused"
// rather than "dial tcp 127.0.0.1:8888: connect: connection refused".
func reason(err error) error {
	var sysErr *os.SyscallError
	if errors.As(err, &sysErr) {
		return sysErr.Err
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Err
	}
	return err
}
