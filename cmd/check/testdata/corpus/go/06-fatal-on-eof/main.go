// corpus: a learner's 06 whose handler calls log.Fatal on any Read error,
// io.EOF included: the first client that leaves ends the whole server with
// status 1.
//
// Command 06-goroutines is stage 6 of the course, the article's final
// server: each client gets a goroutine of its own (the article's thread),
// a welcome line, and "OK..." and what it sent for every message, for as
// long as it stays connected.
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
	"log"
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
// exit status: 1 if a step failed, 2 if addr is bad. Like the article's
// server, it never ends well: Ctrl-C kills it, and serve returns only
// when Accept fails.
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

	err = serve(l, out)
	fmt.Fprintln(out, "Accept failed:", err)
	return 1
}

// serve accepts clients in a loop and serves each one in a goroutine of
// its own, so that any number of clients are served at the same time,
// until Accept fails. out must be safe for concurrent use, as os.Stdout is.
func serve(l net.Listener, out io.Writer) error {
	// while 1: accept the next client at once.
	for {
		// conn, addr = s.accept(): wait to accept a connection, a blocking call.
		conn, err := l.Accept()
		if err != nil {
			return err
		}
		// print 'Connected with ' + addr[0] + ':' + str(addr[1])
		fmt.Fprintln(out, "Connected with", conn.RemoteAddr())

		// start_new_thread(clientthread, (conn,)): handle the client in a
		// new goroutine, so that the loop can go back to accepting.
		go handleConn(conn, out)
	}
}

// handleConn, the article's clientthread, talks with one client: a
// welcome line, then "OK..." and what the client sent for every read,
// until the client closes.
func handleConn(conn net.Conn, out io.Writer) {
	// conn.close() once the client is done, whatever happened.
	defer conn.Close()
	// conn.send('Welcome to the server. Type something and hit enter\n')
	if _, err := io.WriteString(conn, "Welcome to the server. Type something and hit enter\n"); err != nil {
		fmt.Fprintln(out, "Connection failed:", err)
		return
	}

	// reply = 'OK...' + data, built in place: reply starts with
	// "OK...", and data = conn.recv(1024) reads into the rest. The same
	// buffer serves every message of this client.
	reply := make([]byte, len(prefix)+1024)
	copy(reply, prefix)
	// while True: serve this client until it closes.
	for {
		n, err := conn.Read(reply[len(prefix):])
		if err != nil {
			log.Fatal(err)
		}
		// conn.sendall(reply): "OK..." and the n bytes read.
		conn.Write(reply[:len(prefix)+n])
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
