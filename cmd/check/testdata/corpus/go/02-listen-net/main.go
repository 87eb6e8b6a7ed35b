// corpus: a learner's 02 written with net.Listen instead of the syscalls (its
// backlog is the system's, not 10), then waiting forever without accepting.
//
// Command 03-accept is stage 3 of the course: like the article's accept
// step, it listens, waits for one client, prints who it is, hangs up and
// exits.
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

	// Never accept: wait here until Ctrl-C kills the program.
	select {}
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
