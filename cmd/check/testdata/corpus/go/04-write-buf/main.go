// corpus: a learner's 04 that writes the whole buffer back, buf instead of
// buf[:n]: the bytes read, then zeros up to 1024.
//
// Command 04-echo-once is stage 4 of the course: like the article's first
// complete server, it waits for one client, reads once what the client
// sends, sends it back, hangs up and exits.
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

// serve waits for one client, prints who it is, sends back what it reads
// once, and hangs up.
func serve(l net.Listener, out io.Writer) error {
	// conn, addr = s.accept(): wait to accept a connection, a blocking call.
	conn, err := l.Accept()
	if err != nil {
		return err
	}
	defer conn.Close()
	// print 'Connected with ' + addr[0] + ':' + str(addr[1])
	fmt.Fprintln(out, "Connected with", conn.RemoteAddr())

	// data = conn.recv(1024): wait for bytes, then take what has arrived,
	// at most 1024. That may be part of a line, or several lines: TCP
	// carries a stream of bytes, not messages.
	buf := make([]byte, 1024)
	n, err := conn.Read(buf)
	// conn.sendall(data): the n bytes read, not all of buf. A read can
	// return bytes and an error together, so send the bytes first.
	if n > 0 {
		if _, err := conn.Write(buf); err != nil {
			fmt.Fprintln(out, "Connection failed:", err)
			return nil
		}
	}
	// io.EOF means the client closed its side: no error to report.
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintln(out, "Connection failed:", err)
	}
	return nil
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
