// Command 08-lines is stage 8 of the course, two steps after the article:
// 07-shutdown's server, answering each line the client sends instead of
// each read. TCP carries bytes, not messages: one read may hold two lines
// (粘包) or part of one (半包), so the server keeps what it has read until
// a line end ("\n", or telnet's "\r\n") arrives, and sends the line back
// with it. A line longer than -max-line bytes gets one line back and the
// connection closed; a line must be whole within -idle.
//
// Apart from that it is 07-shutdown, which speaks the same protocol and
// prints the same lines as 06-goroutines.
// On Ctrl-C (or SIGTERM) it stops accepting, tells every connected client
// why it is hanging up, waits for their goroutines (at most -grace), and
// exits with 0; a second Ctrl-C exits at once. A client that sends nothing
// for -idle is told so and closed. An accept error such as "too many open
// files" is logged and retried after a pause, as net/http does.
//
// One call to net.Listen replaces the article's socket(), bind() and
// listen(): Go creates the socket, sets SO_REUSEADDR (on Linux and macOS,
// not on Windows), binds it, and listens with the system's largest backlog
// (somaxconn) instead of 10.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// prefix starts every reply: the article's reply = 'OK...' + data.
const prefix = "OK..."

// sleep is how serve pauses after a failed accept; a test replaces it to
// see the pauses without waiting through them.
var sleep = time.Sleep

// listen is net.Listen; a test replaces it to see the deadlines the program
// sets on its clients' connections without waiting them out.
var listen = net.Listen

func main() {
	addr := flag.String("addr", "localhost:8888", "`host:port` to bind; \":8888\" binds every interface, like the article's HOST = ''")
	grace := flag.Duration("grace", 5*time.Second, "on Ctrl-C, how long to wait for clients to be told and closed")
	idle := flag.Duration("idle", 5*time.Minute, "close a client that sends no whole line for this long")
	maxLine := flag.Int("max-line", 1024, "the longest line a client may send, in bytes, its line end included")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "unexpected argument %q; give the address with -addr, as in -addr localhost:8888\n", flag.Arg(0))
		os.Exit(2)
	}
	if *grace <= 0 || *idle <= 0 {
		fmt.Fprintln(os.Stderr, "bad -grace or -idle: both must be positive")
		os.Exit(2)
	}
	if *maxLine < 16 {
		fmt.Fprintln(os.Stderr, "bad -max-line: it must be 16 bytes or more") // bufio's smallest buffer
		os.Exit(2)
	}
	os.Exit(run(*addr, &server{grace: *grace, idle: *idle, maxLine: *maxLine, out: os.Stdout}))
}

// run does the article's steps, prints its lines to s.out, serves until
// Ctrl-C, and returns the exit status: 0 if all went well, 1 if a step
// failed, 2 if addr is bad.
func run(addr string, s *server) int {
	out := s.out
	// socket.socket(), s.bind((HOST, PORT)) and s.listen(10), in one call.
	l, err := listen("tcp", addr)
	if err != nil {
		return listenFailed(err, out)
	}
	defer l.Close() // s.close(), which the article never reaches
	// Ctrl-C or SIGTERM cancels ctx; ask for them before saying we listen.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintln(out, "Socket created")
	fmt.Fprintln(out, "Socket bind complete")
	fmt.Fprintln(out, "Bound to", l.Addr())
	fmt.Fprintln(out, "Socket now listening")

	go func() {
		<-ctx.Done()
		stop() // From now on a second Ctrl-C ends the program at once.
		fmt.Fprintln(out, "Shutting down; press Ctrl-C again to stop at once")
		l.Close() // Accept returns net.ErrClosed, and serve returns.
	}()
	s.serve(l)
	n := s.shutdown()
	clients := "clients"
	if n == 1 {
		clients = "client"
	}
	fmt.Fprintf(out, "Shut down: %d %s told and closed\n", n, clients)
	return 0
}

// server serves clients and keeps track of them, so that it can say
// goodbye to every one of them when it stops. out must be safe for
// concurrent use, as os.Stdout is.
type server struct {
	grace   time.Duration // how long shutdown waits for clients to be told and closed
	idle    time.Duration // how long a client may take to send a line
	maxLine int           // the longest line, its line end included
	out     io.Writer

	mu      sync.Mutex
	conns   map[net.Conn]struct{} // the connected clients
	handled sync.WaitGroup        // one per handleConn still running
	closing atomic.Bool           // set by shutdown
}

// serve accepts clients in a loop and serves each one in a goroutine of
// its own, until l is closed. A failed accept, "too many open files" for
// instance, is logged and tried again after a pause that doubles from 5 ms
// to at most 1 s, as net/http does, so that the loop neither dies nor spins.
func (s *server) serve(l net.Listener) {
	var pause time.Duration
	// while 1: accept the next client at once.
	for {
		// conn, addr = s.accept(): wait to accept a connection, a blocking call.
		conn, err := l.Accept()
		if errors.Is(err, net.ErrClosed) {
			return // run closed the listener: Ctrl-C
		}
		if err != nil {
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			fmt.Fprintf(s.out, "Accept failed: %v; trying again in %v\n", err, pause)
			sleep(pause)
			continue
		}
		pause = 0
		// print 'Connected with ' + addr[0] + ':' + str(addr[1])
		fmt.Fprintln(s.out, "Connected with", conn.RemoteAddr())

		// start_new_thread(clientthread, (conn,)): handle the client in a
		// new goroutine, so that the loop can go back to accepting.
		s.track(conn)
		go s.handleConn(conn)
	}
}

// track adds a client to those that shutdown will say goodbye to.
func (s *server) track(conn net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		s.conns = make(map[net.Conn]struct{})
	}
	s.conns[conn] = struct{}{}
	s.handled.Add(1)
}

// handleConn, the article's clientthread, talks with one client: a
// welcome line, then "OK..." and the line for every line the client sends,
// until the client closes, says nothing for too long, sends a line that is
// too long, or the server stops.
func (s *server) handleConn(conn net.Conn) {
	// conn.close() once the client is done, whatever happened.
	defer s.forget(conn)
	// conn.send('Welcome to the server. Type something and hit enter\n')
	if _, err := io.WriteString(conn, "Welcome to the server. Type something and hit enter\n"); err != nil {
		s.ended(conn, err)
		return
	}

	// r reads the connection and hands out a line at a time: what a read
	// brings past a line end waits in r for the next ReadSlice, and a line
	// that comes in pieces is returned once its line end has arrived.
	// ReadSlice, not ReadString: it returns the line in r's buffer, line
	// end included, and when the buffer fills without one it fails with
	// bufio.ErrBufferFull, so the buffer's size is the limit on a line.
	// ReadString would grow without end for a client that never sends a
	// line end. (bufio.Scanner has a limit too, Buffer(buf, max), but it
	// drops the line end, and the reply must give the client's back.)
	r := bufio.NewReaderSize(conn, s.maxLine)
	// reply = 'OK...' + line, built in place: reply starts with "OK...",
	// and each line is copied in after it. The same buffer serves every
	// line of this client.
	reply := make([]byte, len(prefix)+s.maxLine)
	copy(reply, prefix)
	// while True: serve this client until it closes.
	for {
		// Each line, and the reply to it, must happen within s.idle: every
		// read that r makes for the line waits under this deadline. Set
		// the deadline before looking at s.closing: shutdown sets closing
		// first and the deadline after, so one of the two stops this loop.
		conn.SetDeadline(time.Now().Add(s.idle)) // Fails only on a closed conn, which Read reports.
		if s.closing.Load() {
			s.goodbye(conn, "Server is shutting down. Goodbye.\n", s.grace)
			return
		}
		line, err := r.ReadSlice('\n')
		n := copy(reply[len(prefix):], line)
		// conn.sendall(reply): "OK..." and the line, its line end kept. A
		// line cut short by an error is not answered, but EOF ends the
		// last line as a line end would: the client will send no more.
		if n > 0 && (err == nil || errors.Is(err, io.EOF)) {
			if _, werr := conn.Write(reply[:len(prefix)+n]); werr != nil {
				err = werr
			}
		}
		// if not data: break. Only this client is done; the server goes on.
		if err != nil {
			s.ended(conn, err)
			return
		}
	}
}

// ended tells the client why its connection ends, when it is the server's
// doing, and reports failures.
func (s *server) ended(conn net.Conn, err error) {
	switch {
	case s.closing.Load():
		s.goodbye(conn, "Server is shutting down. Goodbye.\n", s.grace)
	case errors.Is(err, os.ErrDeadlineExceeded):
		// Idle, or not reading what it is sent. A client that cannot take
		// one line in a second is not reading at all: do not wait for it.
		fmt.Fprintf(s.out, "Closing %v: idle for %v\n", conn.RemoteAddr(), s.idle)
		s.goodbye(conn, fmt.Sprintf("You have been idle for %v. Goodbye.\n", s.idle), time.Second)
	case errors.Is(err, bufio.ErrBufferFull):
		// -max-line bytes and no line end: the client may never send one.
		fmt.Fprintf(s.out, "Closing %v: a line longer than %d bytes\n", conn.RemoteAddr(), s.maxLine)
		s.goodbye(conn, fmt.Sprintf("Your line is longer than %d bytes. Goodbye.\n", s.maxLine), time.Second)
	case errors.Is(err, io.EOF):
		// The client closed its side: nothing to report.
	default:
		fmt.Fprintln(s.out, "Connection failed:", err)
	}
}

// goodbye sends the client one last line, giving up after within if the
// client does not take it. The connection ends either way; the log says
// when the client never got the line.
func (s *server) goodbye(conn net.Conn, line string, within time.Duration) {
	conn.SetWriteDeadline(time.Now().Add(within)) // Fails only on a closed conn, which the write reports.
	if _, err := io.WriteString(conn, line); err != nil {
		var opErr *net.OpError // "write tcp A->B: i/o timeout": keep "i/o timeout"
		if errors.As(err, &opErr) {
			err = opErr.Err
		}
		fmt.Fprintf(s.out, "Goodbye not read by %v: %v\n", conn.RemoteAddr(), err)
	}
}

// forget closes a client's connection and stops tracking it.
func (s *server) forget(conn net.Conn) {
	conn.Close()
	s.mu.Lock()
	delete(s.conns, conn)
	s.mu.Unlock()
	s.handled.Done()
}

// shutdown makes every client's goroutine say goodbye and end, waits for
// them at most s.grace, then closes whatever is left. It returns how many
// clients were connected. Call it once serve has returned.
func (s *server) shutdown() int {
	s.closing.Store(true)
	s.mu.Lock()
	n := len(s.conns)
	for conn := range s.conns {
		// Only the read deadline: the goroutine may have just set its
		// goodbye's write deadline, which must stand. One that waits in
		// Write, its client not reading, is closed once s.grace is over.
		conn.SetReadDeadline(time.Now()) // wakes its goroutine from Read
	}
	s.mu.Unlock()

	done := make(chan struct{})
	go func() {
		s.handled.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(s.grace):
		s.mu.Lock()
		for conn := range s.conns {
			conn.Close() // ends a reply or goodbye its client does not read
		}
		s.mu.Unlock()
		<-done
	}
	return n
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
