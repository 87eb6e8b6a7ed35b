// corpus: a learner's 05 that closes each client with `defer conn.Close()`
// inside the loop: the deferred calls run only when serve returns, so no
// client is ever hung up on while the server runs.
//
// Command 05-loop is stage 5 of the course: like the article's "keep the
// server running" step, it accepts clients in a loop, one at a time, and
// answers each one once with "OK..." and what it sent.
//
// One call to net.Listen replaces the article's socket(), bind() and
// listen(): Go creates the socket, sets SO_REUSEADDR (on Linux and macOS,
// not on Windows), binds it, and listens with the system's largest backlog
// (somaxconn) instead of 10.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
)

// prefix starts every reply: the article's reply = 'OK...' + data.
const prefix = "OK..."

func main() {
	addr := flag.String("addr", "localhost:8888", "`host:port` to bind; \":8888\" binds every interface, like the article's HOST = ''")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "unexpected argument %q; give the address with -addr, as in -addr localhost:8888\n", flag.Arg(0))
		os.Exit(2)
	}
	os.Exit(run(*addr, os.Stdout))
}

// run does the article's steps, prints its lines to out, and returns the
// exit status: 0 if all went well, 1 if a step failed, 2 if addr is bad.
func run(addr string, out io.Writer) int {
	// socket.socket(), s.bind((HOST, PORT)) and s.listen(10), in one call.
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return listenFailed(err, out)
	}
	defer l.Close() // s.close()
	fmt.Fprintln(out, "Socket created")
	fmt.Fprintln(out, "Socket bind complete")
	fmt.Fprintln(out, "Bound to", l.Addr())
	fmt.Fprintln(out, "Socket now listening")

	if err := serve(l, out); err != nil {
		fmt.Fprintln(out, "Accept failed:", err)
		return 1
	}
	return 0
}

// serve accepts clients one after another. Each one gets one reply,
// "OK..." and what it sent, and is hung up on. A client that closes
// without sending anything stops the server, as the article's break does.
func serve(l net.Listener, out io.Writer) error {
	// while 1: accept the next client once this one is done.
	for {
		// conn, addr = s.accept(): wait to accept a connection, a blocking call.
		conn, err := l.Accept()
		if err != nil {
			return err
		}
		defer conn.Close()
		// print 'Connected with ' + addr[0] + ':' + str(addr[1])
		fmt.Fprintln(out, "Connected with", conn.RemoteAddr())

		// reply = 'OK...' + data, built in place: reply starts with
		// "OK...", and data = conn.recv(1024) reads into the rest.
		reply := make([]byte, len(prefix)+1024)
		copy(reply, prefix)
		n, err := conn.Read(reply[len(prefix):])
		// if not data: break. A client that closes without sending a byte
		// stops the whole server, not just its own connection.
		if n == 0 && errors.Is(err, io.EOF) {
			return nil
		}
		// conn.sendall(reply): "OK..." and the n bytes read. A read can
		// return bytes and an error together, so send the bytes first.
		if n > 0 {
			if _, err := conn.Write(reply[:len(prefix)+n]); err != nil {
				fmt.Fprintln(out, "Connection failed:", err)
			}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			fmt.Fprintln(out, "Connection failed:", err)
		}
		// back to accept.
	}
}

// listenFailed reports why net.Listen failed and returns the exit status.
// Go wraps a failed system call in an *os.SyscallError that names it,
// which tells a failed bind from a bad address (no call was made then).
func listenFailed(err error, out io.Writer) int {
	var sysErr *os.SyscallError
	if !errors.As(err, &sysErr) {
		fmt.Fprintln(os.Stderr, "bad -addr:", errors.Unwrap(err))
		return 2
	}
	if sysErr.Syscall != "bind" {
		fmt.Fprintln(out, "Listen failed:", err)
		return 1
	}
	// The article's "except socket.error" branch. net.Listen did create a
	// socket, and closed it again when bind failed.
	fmt.Fprintln(out, "Socket created")
	var errno syscall.Errno // the number the system gave: 98 on Linux, 48 on macOS, 10048 on Windows
	errors.As(err, &errno)
	fmt.Fprintf(out, "Bind failed. Error Code : %d Message %s\n", errno, errno)
	return 1 // The article's sys.exit() exits with 0 here, as if all went well.
}
