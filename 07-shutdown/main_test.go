package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"socketcourse/internal/tcptest"
)

func TestMain(m *testing.M) {
	if os.Getenv(watchDeadlinesEnv) == "1" {
		listen = watchDeadlines
	}
	tcptest.RunMain(main)
	os.Exit(m.Run())
}

// watchDeadlinesEnv set to 1 makes this test binary, run as the program by
// tcptest.Start, report every deadline it sets on a client's connection.
const watchDeadlinesEnv = "SOCKETCOURSE_WATCH_DEADLINES"

// watchDeadlines listens as net.Listen does, and hands the program
// connections that print each deadline set on them on stderr, as the time
// from now to the second: "deadline in 5m0s", "write deadline in 5s".
func watchDeadlines(network, addr string) (net.Listener, error) {
	l, err := net.Listen(network, addr)
	if err != nil {
		return nil, err
	}
	return watchingListener{l}, nil
}

type watchingListener struct{ net.Listener }

func (l watchingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return watchedConn{c}, nil
}

type watchedConn struct{ net.Conn }

func (c watchedConn) SetDeadline(t time.Time) error {
	fmt.Fprintf(os.Stderr, "deadline in %v\n", time.Until(t).Round(time.Second))
	return c.Conn.SetDeadline(t)
}

func (c watchedConn) SetWriteDeadline(t time.Time) error {
	fmt.Fprintf(os.Stderr, "write deadline in %v\n", time.Until(t).Round(time.Second))
	return c.Conn.SetWriteDeadline(t)
}

const welcome = "Welcome to the server. Type something and hit enter\n"

// testServer is this stage's server running inside the test.
type testServer struct {
	*tcptest.Server         // its address and what it printed
	srv             *server // to shut it down
}

// serveIn runs this stage's server inside the test on a free loopback port,
// with idle as its idle timeout, the way run does after listening. When the
// test ends it stops accepting and shuts the server down.
func serveIn(t testing.TB, idle time.Duration) testServer {
	t.Helper()
	srv := &server{grace: tcptest.Timeout, idle: idle}
	s := tcptest.Serve(t, func(l net.Listener, out io.Writer) error {
		srv.out = out
		srv.serve(l)
		return nil
	})
	t.Cleanup(func() {
		s.Close()
		s.Wait(t)
		srv.shutdown()
	})
	return testServer{s, srv}
}

// stop stops the server as Ctrl-C does: it closes the listener, waits for
// the accept loop to end, and shuts down. It returns how many clients
// shutdown closed.
func (s testServer) stop(t *testing.T) int {
	t.Helper()
	require.NoError(t, s.Close())
	require.NoError(t, s.Wait(t))
	return s.srv.shutdown()
}

// dial connects to the server and reads the welcome line.
func dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	c := tcptest.Dial(t, addr)
	tcptest.Expect(t, c, welcome)
	return c
}

// The scenario that 03-accept and 04-echo-once fail: fixed since 05-loop.
func TestSecondClient(t *testing.T) {
	t.Run("a second client is served after the first", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		for _, msg := range []string{"one\r\n", "two\r\n"} {
			c := dial(t, s.Addr)
			tcptest.Send(t, c, msg)
			tcptest.Expect(t, c, "OK..."+msg)
			require.NoError(t, c.Close())
		}
	})
}

// The scenario that 05-loop fails, fixed since 06-goroutines: every client
// has its own goroutine, so a silent client holds up nobody.
func TestSecondClientWhileFirstIsSilent(t *testing.T) {
	t.Run("the second client is answered while the first is silent", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		first := dial(t, s.Addr)

		second := dial(t, s.Addr)
		tcptest.Send(t, second, "hi\r\n")
		tcptest.Expect(t, second, "OK...hi\r\n")

		tcptest.ExpectSilence(t, first)
	})
}

// The scenario that 04-echo-once and 05-loop fail, fixed since
// 06-goroutines: the client's goroutine keeps reading until the client
// closes.
func TestSecondMessage(t *testing.T) {
	t.Run("every message on the same connection gets a reply", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		for _, msg := range []string{"hi\r\n", "asd\r\n", "cv\r\n"} {
			tcptest.Send(t, c, msg)
			tcptest.Expect(t, c, "OK..."+msg)
		}
	})
}

// The scenario that 05-loop fails, fixed since 06-goroutines: a client that
// closes without sending ends its own goroutine, and the accept loop goes on.
func TestEmptyConnection(t *testing.T) {
	t.Run("a client that closes without sending leaves the server running", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		require.NoError(t, dial(t, addr).Close())

		next := dial(t, addr)
		tcptest.Send(t, next, "still there?\r\n")
		tcptest.Expect(t, next, "OK...still there?\r\n")
	})
}

// Not in the article: a client that resets its connection (it crashed, or
// its network went away) costs one line, and the other clients go on.
func TestResetClient(t *testing.T) {
	t.Run("a client that resets is reported in one line and the others are served", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		other := dial(t, s.Addr)
		bad := dial(t, s.Addr)
		tcptest.Reset(t, bad)
		assert.Contains(t, s.Out.WaitFor(t, "Connection failed: "), bad.LocalAddr().String())

		tcptest.Send(t, other, "hi\r\n")
		tcptest.Expect(t, other, "OK...hi\r\n")
	})
}

// Several clients take turns, so their messages reach the server
// interleaved; each one gets its own replies, in order.
func TestInterleavedClients(t *testing.T) {
	t.Run("each of three clients gets its own replies, in order", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		clients := []net.Conn{dial(t, s.Addr), dial(t, s.Addr), dial(t, s.Addr)}
		for round := 1; round <= 3; round++ {
			for i, c := range clients {
				tcptest.Send(t, c, fmt.Sprintf("client %d, message %d\r\n", i, round))
			}
			for i, c := range clients {
				tcptest.Expect(t, c, fmt.Sprintf("OK...client %d, message %d\r\n", i, round))
			}
		}
	})
}

// Many clients at once: all of them connect and are welcomed, and only
// then does any of them send, so every one of them holds a live
// conversation with the server at the same time.
func TestManyClients(t *testing.T) {
	const clients = 500
	t.Run(fmt.Sprint(clients, " clients connected at the same time are all served"), func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		start := make(chan struct{})
		crowd := tcptest.StartCrowd(s.Addr, welcome, clients, start)
		for i := 0; i < clients; i++ {
			require.NoError(t, tcptest.Receive(t, crowd.Welcomed))
		}
		close(start)
		for i := 0; i < clients; i++ {
			assert.NoError(t, tcptest.Receive(t, crowd.Done))
		}
	})
}

// The scenario that 06-goroutines fails, fixed here: stopping the server
// tells every client why, closes them, and waits for their goroutines.
func TestShutdown(t *testing.T) {
	t.Parallel() // Slow (it waits out -grace and deadlines), and shares nothing with the other tests.
	const goodbye = "Server is shutting down. Goodbye.\n"

	t.Run("stopping the server tells every client and closes them", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		clients := []net.Conn{dial(t, s.Addr), dial(t, s.Addr), dial(t, s.Addr)}
		assert.Equal(t, 3, s.stop(t))
		for _, c := range clients {
			tcptest.Expect(t, c, goodbye)
			tcptest.ExpectEnd(t, c)
		}
	})

	t.Run("clients that have left are not counted: Shut down: 0 clients", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		for i := 0; i < 3; i++ {
			c := dial(t, s.Addr)
			tcptest.CloseWrite(t, c)
			tcptest.ExpectThenClose(t, c, "")
		}
		ended := make(chan struct{})
		go func() {
			s.srv.handled.Wait() // every client's goroutine has ended
			close(ended)
		}()
		tcptest.Receive(t, ended)
		assert.Equal(t, 0, s.stop(t))
	})

	t.Run("Ctrl-C tells every client why, closes them and exits with 0", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		clients := []net.Conn{dial(t, addr), dial(t, addr), dial(t, addr)}
		tcptest.Send(t, clients[0], "hi\r\n")
		tcptest.Expect(t, clients[0], "OK...hi\r\n")
		p.Stdout.WaitFor(t, "Connected with "+clients[2].LocalAddr().String())
		p.Interrupt(t)
		for _, c := range clients {
			tcptest.Expect(t, c, goodbye)
			tcptest.ExpectEnd(t, c)
		}
		res := p.Wait(t)
		assert.Equal(t, 0, res.Code)
		assert.Contains(t, res.Stdout, "\nShutting down; press Ctrl-C again to stop at once\nShut down: 3 clients told and closed\n")
	})

	t.Run("a second Ctrl-C exits at once", func(t *testing.T) {
		tcptest.SkipIfInterruptIgnored(t)
		// A client that sends without ever reading fills the buffers both
		// ways, so the server cannot even send it its goodbye, and shutdown
		// waits for the whole -grace of a minute, unless Ctrl-C comes again.
		// If the program exits with 0 all the same, the first shutdown
		// ended by itself (the buffers were not full after all) and proves
		// nothing: try again. A second Ctrl-C that is ignored makes the
		// program outlive Wait's deadline, and the test fail.
		for attempt := 1; attempt <= 3; attempt++ {
			p := tcptest.Start(t, "-addr", "127.0.0.1:0", "-grace", "1m")
			addr := p.Addr(t)
			fillBuffers(t, dial(t, addr))
			p.Interrupt(t)
			p.Stdout.WaitFor(t, "Shutting down")
			p.InterruptIfRunning(t)
			if p.Wait(t).Code != 0 {
				return // killed by the second Ctrl-C
			}
			t.Logf("attempt %d: the shutdown ended by itself before the second Ctrl-C", attempt)
		}
		t.Fatal("the shutdown never lasted long enough to test a second Ctrl-C")
	})

	t.Run("SIGTERM stops it as Ctrl-C does: every client told and closed, exit 0", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		c := dial(t, addr)
		p.Stdout.WaitFor(t, "Connected with "+c.LocalAddr().String())
		p.Terminate(t)
		tcptest.Expect(t, c, goodbye)
		tcptest.ExpectEnd(t, c)
		res := p.Wait(t)
		assert.Equal(t, 0, res.Code)
		assert.Contains(t, res.Stdout, "\nShut down: 1 client told and closed\n")
	})

	// The goodbye to a client that reads nothing cannot be sent: its
	// buffers are full. Shutdown waits -grace for it, then closes it
	// anyway, and the program ends; Wait fails the test if it has not
	// ended within tcptest.Timeout.
	t.Run("a client that never reads: shutdown ends after -grace all the same, exit 0", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0", "-grace", "200ms")
		addr := p.Addr(t)
		fillBuffers(t, dial(t, addr))
		p.Interrupt(t)
		res := p.Wait(t)
		assert.Equal(t, 0, res.Code)
		assert.Contains(t, res.Stdout, "\nShut down: 1 client told and closed\n")
	})
}

// TestGoodbyeAtShutdown puts shutdown's wake-up call where it once cut a
// goodbye short (a CI run saw the client get an end instead of its line,
// one run in a few hundred under load): the client's goroutine looks at
// closing just after shutdown has set it, sets its goodbye's deadline, and
// only then does shutdown's call land. Moving the write deadline to now
// there would make the goodbye fail at once; shutdown must move only the
// read deadline, and let -grace bound a write that waits.
func TestGoodbyeAtShutdown(t *testing.T) {
	t.Run("a goroutine saying goodbye as shutdown wakes it: the whole goodbye is sent", func(t *testing.T) {
		client, conn := net.Pipe()
		require.NoError(t, client.SetDeadline(time.Now().Add(tcptest.Timeout)))
		c := &wakeLate{Conn: conn, reached: make(chan struct{}), goodbyeSet: make(chan struct{}), woken: make(chan struct{})}
		s := &server{grace: tcptest.Timeout, idle: time.Hour, out: io.Discard}
		s.track(c)
		ended := make(chan struct{})
		go func() {
			s.handleConn(c)
			close(ended)
		}()
		tcptest.Expect(t, client, welcome)
		stopped := make(chan int, 1)
		go func() { stopped <- s.shutdown() }()
		tcptest.Expect(t, client, "Server is shutting down. Goodbye.\n")
		tcptest.ExpectEnd(t, client)
		tcptest.Receive(t, ended)
		assert.Equal(t, 1, tcptest.Receive(t, stopped))
	})
}

// wakeLate is a connection that orders three calls: the goroutine's
// deadline before a read waits until shutdown's wake-up call (a deadline
// that has already passed) has begun; that call waits until the goodbye's
// write deadline is set; the goodbye waits until the wake-up has landed.
// Each wait gives up after tcptest.Timeout, so a server that makes other
// calls is slowed, not stuck.
type wakeLate struct {
	net.Conn
	reached    chan struct{} // closed when shutdown's wake-up call begins
	goodbyeSet chan struct{} // closed when the goodbye's write deadline is set
	woken      chan struct{} // closed when shutdown's wake-up call has landed
}

func (c *wakeLate) SetDeadline(t time.Time) error {
	return c.set(t, c.Conn.SetDeadline)
}

func (c *wakeLate) SetReadDeadline(t time.Time) error {
	return c.set(t, c.Conn.SetReadDeadline)
}

func (c *wakeLate) set(t time.Time, set func(time.Time) error) error {
	if time.Until(t) > 0 { // the goroutine's own deadline, before a read
		waitClosed(c.reached)
		return set(t)
	}
	close(c.reached) // shutdown's wake-up call
	waitClosed(c.goodbyeSet)
	err := set(t)
	close(c.woken)
	return err
}

func (c *wakeLate) SetWriteDeadline(t time.Time) error { // the goodbye's
	err := c.Conn.SetWriteDeadline(t)
	close(c.goodbyeSet)
	waitClosed(c.woken)
	return err
}

// waitClosed waits until ch is closed, at most tcptest.Timeout.
func waitClosed(ch chan struct{}) {
	select {
	case <-ch:
	case <-time.After(tcptest.Timeout):
	}
}

// fillBuffers sends on c without reading until the server stops reading
// too, because its replies have filled c's receive buffer and its own send
// buffer, and it waits in Write. Sends that make no progress at all for
// three times Quiet in a row show it: a server that is only slow would
// read some bytes meanwhile. c's receive buffer is set small first, which
// also stops the kernel from growing it, and so from making room, later.
func fillBuffers(t *testing.T, c net.Conn) {
	t.Helper()
	require.NoError(t, c.(*net.TCPConn).SetReadBuffer(4<<10))
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for sent, stuck := 0, 0; stuck < 3; {
		require.Less(t, sent, 1<<30, "a gigabyte sent, and the server still reads")
		require.NoError(t, c.SetWriteDeadline(time.Now().Add(tcptest.Quiet)))
		n, err := c.Write(chunk)
		sent += n
		if err != nil {
			require.ErrorIs(t, err, os.ErrDeadlineExceeded)
		}
		if n == 0 {
			stuck++
		} else {
			stuck = 0
		}
	}
}

// The scenario that 06-goroutines fails, fixed here: a client that says
// nothing for -idle is told so and closed, and its goroutine ends.
func TestIdleClient(t *testing.T) {
	t.Run("a silent client is told and closed after -idle", func(t *testing.T) {
		s := serveIn(t, tcptest.Quiet/3)
		c := dial(t, s.Addr)
		tcptest.Expect(t, c, "You have been idle for 100ms. Goodbye.\n")
		tcptest.ExpectEnd(t, c)
	})

	// How long a read may wait is the deadline set before it. Timing the
	// goodbye itself would make a test that fails on a busy machine; the
	// deadline is exact. With -idle an hour, "an hour from now" is told
	// apart from anything else whatever the machine's load.
	t.Run("each read may wait -idle, no longer: its deadline is -idle from now", func(t *testing.T) {
		client, conn := net.Pipe()
		require.NoError(t, client.SetDeadline(time.Now().Add(tcptest.Timeout)))
		rec := &deadlines{Conn: conn}
		s := &server{grace: tcptest.Timeout, idle: time.Hour, out: io.Discard}
		s.track(rec)
		ended := make(chan struct{})
		go func() {
			s.handleConn(rec)
			close(ended)
		}()
		tcptest.Expect(t, client, welcome)
		tcptest.Send(t, client, "hi\r\n")
		tcptest.Expect(t, client, "OK...hi\r\n")
		require.NoError(t, client.Close())
		tcptest.Receive(t, ended)
		require.Len(t, rec.fromNow, 2, "deadlines set: one before each read")
		for _, d := range rec.fromNow {
			assert.True(t, d > 59*time.Minute && d <= time.Hour, "a read's deadline is %v from now; want -idle, 1h", d)
		}
	})

	// A client that is idle and does not read either cannot take its
	// goodbye: the server gives it a second, then closes it anyway. The
	// client is the other end of a net.Pipe, which holds no bytes, so the
	// server's reply waits for it at once.
	t.Run("an idle client that does not read is given 1 s to take its goodbye, no longer", func(t *testing.T) {
		client, conn := net.Pipe()
		require.NoError(t, client.SetDeadline(time.Now().Add(tcptest.Timeout)))
		rec := &deadlines{Conn: conn, write: make(chan time.Duration, 1)}
		s := &server{grace: tcptest.Timeout, idle: tcptest.Quiet / 3, out: io.Discard}
		s.track(rec)
		ended := make(chan struct{})
		go func() {
			s.handleConn(rec)
			close(ended)
		}()
		tcptest.Expect(t, client, welcome)
		tcptest.Send(t, client, "hi\r\n")       // read by the server, whose reply then waits for -idle
		within := tcptest.Receive(t, rec.write) // the goodbye's deadline
		require.NoError(t, client.Close())
		tcptest.Receive(t, ended)
		assert.True(t, within > time.Second/2 && within <= time.Second, "the goodbye's deadline is %v from now; want 1s", within)
	})
}

// deadlines is a connection that records how far in the future each
// deadline set on it is: those set with SetDeadline in fromNow, and the
// first set with SetWriteDeadline on write, if it is not nil.
type deadlines struct {
	net.Conn
	fromNow []time.Duration // written by the server's goroutine, read once it has ended
	write   chan time.Duration
}

func (d *deadlines) SetDeadline(t time.Time) error {
	d.fromNow = append(d.fromNow, time.Until(t))
	return d.Conn.SetDeadline(t)
}

func (d *deadlines) SetWriteDeadline(t time.Time) error {
	select {
	case d.write <- time.Until(t):
	default:
	}
	return d.Conn.SetWriteDeadline(t)
}

// TestDefaults runs the program without -idle and -grace and checks that
// it uses the defaults the pages give: a read may wait 5 minutes, and a
// goodbye at Ctrl-C 5 seconds. The program reports the deadlines it sets
// (see watchDeadlines), so the test sees them without waiting them out.
func TestDefaults(t *testing.T) {
	t.Setenv(watchDeadlinesEnv, "1")

	t.Run("without -idle, each read may wait 5 minutes", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		c := dial(t, p.Addr(t))
		tcptest.Send(t, c, "hi\r\n")
		tcptest.Expect(t, c, "OK...hi\r\n")
		// A deadline before each read: the first, and the next after the reply.
		_, _, ok := p.Stderr.WaitLine(1, tcptest.Timeout, nil, func(string) bool { return true })
		require.True(t, ok, "the program set fewer than two deadlines; stderr:\n%s", p.Stderr.String())
		assert.Equal(t, []string{"deadline in 5m0s", "deadline in 5m0s"}, p.Stderr.Lines()[:2], "the deadlines of the first two reads")
	})

	t.Run("without -grace, a goodbye at Ctrl-C may take 5 seconds", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		c := dial(t, p.Addr(t))
		p.Stderr.WaitFor(t, "deadline in ") // the client's goroutine reads
		p.Interrupt(t)
		tcptest.Expect(t, c, "Server is shutting down. Goodbye.\n")
		tcptest.ExpectEnd(t, c)
		assert.Equal(t, "write deadline in 5s", p.Stderr.WaitFor(t, "write deadline in "), "the goodbye's deadline")
		assert.Equal(t, 0, p.Wait(t).Code)
	})
}

// The scenario that 06-goroutines fails, fixed here: a failed accept is
// logged and tried again after a pause, 5 ms doubling up to 1 s, so the
// server neither exits nor spins, and every client is served in turn as
// others leave and free their file descriptors.
func TestAcceptErrors(t *testing.T) {
	t.Run("100 clients at once under a limit of 64 open files: all are served in turn", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		p.LimitOpenFiles(t, 64)
		began := time.Now()
		for i, err := range crowd(t, p, addr, 100) {
			assert.NoError(t, err, "client %d", i)
		}
		retries := strings.Count(p.Stdout.String(), "Accept failed: ")
		t.Logf("100 clients served in %v, with %d failed accepts retried", time.Since(began).Round(time.Millisecond), retries)
		assert.Less(t, retries, 100, "the accept loop spins")
		p.Interrupt(t)
		assert.Equal(t, 0, p.Wait(t).Code, "the server is still running, and stops cleanly")
	})
}

// The back-off's shape, from serve's own pauses (sleep, replaced here so
// that they are recorded instead of waited through): ten failed accepts,
// a client, then two more failures.
func TestAcceptBackOff(t *testing.T) {
	t.Run("after a failed accept: 5 ms, doubling up to 1 s, and 5 ms again after a client", func(t *testing.T) {
		var pauses []time.Duration
		sleep = func(d time.Duration) { pauses = append(pauses, d) }
		t.Cleanup(func() { sleep = time.Sleep })
		failed := errors.New("accept: too many open files")
		l := &scriptedListener{}
		for i := 0; i < 10; i++ {
			l.script = append(l.script, failed)
		}
		l.script = append(l.script, nil, failed, failed)
		var out tcptest.Output
		s := &server{grace: tcptest.Timeout, idle: tcptest.Timeout, out: &out}
		s.serve(l) // returns when the script ends: the listener is closed
		s.shutdown()

		ms := time.Millisecond
		want := []time.Duration{5 * ms, 10 * ms, 20 * ms, 40 * ms, 80 * ms, 160 * ms, 320 * ms, 640 * ms, time.Second, time.Second, 5 * ms, 10 * ms}
		assert.Equal(t, want, pauses)
		assert.Contains(t, out.String(), "Accept failed: accept: too many open files; trying again in 5ms\n")
		assert.Contains(t, out.String(), "Accept failed: accept: too many open files; trying again in 1s\n")
	})
}

// scriptedListener's Accept returns, in turn, each error of its script,
// or a connection where the error is nil (a pipe whose client has gone),
// and then net.ErrClosed.
type scriptedListener struct {
	script []error
}

func (l *scriptedListener) Accept() (net.Conn, error) {
	if len(l.script) == 0 {
		return nil, net.ErrClosed
	}
	err := l.script[0]
	l.script = l.script[1:]
	if err != nil {
		return nil, err
	}
	client, conn := net.Pipe()
	client.Close()
	return conn, nil
}

func (l *scriptedListener) Close() error   { return nil }
func (l *scriptedListener) Addr() net.Addr { return &net.TCPAddr{} }

// crowd runs n clients at once against a program (see tcptest.StartCrowd):
// they start talking once the program has reported a failed accept, so that
// as many of them as it could accept are connected at the same time. It
// returns each client's error.
func crowd(t *testing.T, p *tcptest.Program, addr string, n int) []error {
	t.Helper()
	c := tcptest.StartCrowd(addr, welcome, n, p.Stdout.Await("Accept failed"))
	errs := make([]error, n)
	for i := range errs {
		errs[i] = tcptest.Receive(t, c.Done)
	}
	return errs
}

// No goroutine outlives its connection.
func TestNoGoroutineOutlivesItsConnection(t *testing.T) {
	t.Run("once the clients have left and the server has stopped, none of its goroutines is left", func(t *testing.T) {
		before := goleak.IgnoreCurrent()
		s := serveIn(t, tcptest.Timeout)
		for i := 0; i < 20; i++ {
			c := dial(t, s.Addr)
			tcptest.Send(t, c, "bye\r\n")
			tcptest.Expect(t, c, "OK...bye\r\n")
			require.NoError(t, c.Close())
		}
		s.stop(t)
		goleak.VerifyNone(t, before)
	})

	t.Run("shutdown leaves no goroutine behind, even with clients still connected", func(t *testing.T) {
		before := goleak.IgnoreCurrent()
		s := serveIn(t, tcptest.Timeout)
		for i := 0; i < 20; i++ {
			dial(t, s.Addr)
		}
		assert.Equal(t, 20, s.stop(t))
		goleak.VerifyNone(t, before)
	})

	t.Run("the goroutine of a client closed for being idle ends", func(t *testing.T) {
		before := goleak.IgnoreCurrent()
		s := serveIn(t, tcptest.Quiet/3)
		c := dial(t, s.Addr)
		tcptest.Expect(t, c, "You have been idle for 100ms. Goodbye.\n")
		tcptest.ExpectEnd(t, c)
		require.NoError(t, s.Close())
		require.NoError(t, s.Wait(t))
		goleak.VerifyNone(t, before)
	})
}

// What one read takes: whatever has arrived, from one byte up to the
// article's recv(1024); each read gets its own reply.
func TestMessageSizes(t *testing.T) {
	t.Run("a one-byte message is answered", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		tcptest.Send(t, c, "x")
		tcptest.Expect(t, c, "OK...x")
	})

	// On loopback a write of 2048 bytes arrives in one piece, so the first
	// read finds all of it and takes exactly 1024, recv(1024)'s limit, and
	// the next read takes the rest: two replies for one message.
	t.Run("2048 bytes at once: two replies, OK... and 1024 bytes each", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		first, rest := strings.Repeat("a", 1024), strings.Repeat("b", 1024)
		tcptest.Send(t, c, first+rest)
		tcptest.Expect(t, c, "OK..."+first+"OK..."+rest)
	})
}

// Limitation, fixed by 08-lines: this server answers each read, not each
// line. TCP carries bytes, not messages: bytes written apart may be read
// together (粘包), and bytes written together may be read apart (半包). The
// test makes the segments itself: with TCP_NODELAY (Go's default, set here
// to say so) every write leaves at once, in a segment of its own, and the
// server's reads are recorded, so the test knows what each read returned.
func TestLinesInOneSegment(t *testing.T) {
	t.Run("two lines in one segment get one reply holding both", func(t *testing.T) {
		s, reads := serveReads(t)
		c := dial(t, s.Addr)
		require.NoError(t, c.(*net.TCPConn).SetNoDelay(true))
		tcptest.Send(t, c, "hi\r\nasd\r\n") // one write: one segment
		assert.Equal(t, "hi\r\nasd\r\n", tcptest.Receive(t, reads), "the server's read")
		tcptest.Expect(t, c, "OK...hi\r\nasd\r\n")
	})
}

// Limitation, fixed by 08-lines: a line that arrives in pieces is answered
// piece by piece. Each piece is sent once the server has read the one
// before, so each is a read of its own.
func TestLineInPieces(t *testing.T) {
	t.Run("a line sent in three pieces gets three replies", func(t *testing.T) {
		s, reads := serveReads(t)
		c := dial(t, s.Addr)
		require.NoError(t, c.(*net.TCPConn).SetNoDelay(true))
		for _, piece := range []string{"hel", "lo wor", "ld\r\n"} {
			tcptest.Send(t, c, piece)
			assert.Equal(t, piece, tcptest.Receive(t, reads), "the server's read")
			tcptest.Expect(t, c, "OK..."+piece)
		}
	})
}

// serveReads runs the server as serveIn does, and returns with it what
// each read on its clients' connections returned (see tcptest.RecordReads).
func serveReads(t *testing.T) (testServer, <-chan string) {
	t.Helper()
	reads := make(chan string, 100)
	srv := &server{grace: tcptest.Timeout, idle: tcptest.Timeout}
	s := tcptest.Serve(t, func(l net.Listener, out io.Writer) error {
		srv.out = out
		srv.serve(tcptest.RecordReads(l, reads))
		return nil
	})
	t.Cleanup(func() {
		s.Close()
		s.Wait(t)
		srv.shutdown()
	})
	return testServer{s, srv}, reads
}

// How a conversation ends: a client that closes its sending side after
// its line (as `nc -N` and the course's client do) gets exactly its reply
// and then the server's orderly close, and nothing is reported.
func TestHalfClose(t *testing.T) {
	t.Run("a line, then the client's close: the reply, then the server's close, and no failure reported", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		tcptest.Send(t, c, "hi\r\n")
		tcptest.CloseWrite(t, c)
		tcptest.ExpectThenClose(t, c, "OK...hi\r\n")
		assert.Equal(t, "Connected with "+c.LocalAddr().String()+"\n", s.Out.String())
	})
}

// A write fails when the client has gone: over TCP only after a reset, at
// a moment nobody controls, so these clients are the other end of a
// net.Pipe, on which a write fails as soon as the client has closed.
func TestClientLeaves(t *testing.T) {
	converse := func(t *testing.T, client func(net.Conn)) string {
		c, conn := net.Pipe()
		require.NoError(t, c.SetDeadline(time.Now().Add(tcptest.Timeout)))
		var out tcptest.Output
		s := &server{grace: tcptest.Timeout, idle: tcptest.Timeout, out: &out}
		s.track(conn)
		ended := make(chan struct{})
		go func() {
			s.handleConn(conn)
			close(ended)
		}()
		client(c)
		require.NoError(t, c.Close())
		tcptest.Receive(t, ended)
		return out.String()
	}

	t.Run("a client that hangs up before the welcome line: Connection failed, in one line", func(t *testing.T) {
		out := converse(t, func(net.Conn) {})
		assert.Equal(t, "Connection failed: io: read/write on closed pipe\n", out)
	})

	t.Run("a client that hangs up before its reply: Connection failed, in one line", func(t *testing.T) {
		out := converse(t, func(c net.Conn) {
			tcptest.Expect(t, c, welcome)
			tcptest.Send(t, c, "hi\r\n") // returns once the server has read it
		})
		assert.Equal(t, "Connection failed: io: read/write on closed pipe\n", out)
	})
}

// Clients that misbehave disturb nobody else: after each of them, another
// client is still served.
func TestMisbehavingClients(t *testing.T) {
	t.Parallel() // Slow (it waits out -grace and deadlines), and shares nothing with the other tests.
	served := func(t *testing.T, s testServer) {
		t.Helper()
		c := dial(t, s.Addr)
		tcptest.Send(t, c, "anyone there?\r\n")
		tcptest.Expect(t, c, "OK...anyone there?\r\n")
	}

	t.Run("a client that resets in the middle of a line", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		bad := dial(t, s.Addr)
		tcptest.Send(t, bad, "half a li")
		tcptest.Reset(t, bad)
		assert.Contains(t, s.Out.WaitFor(t, "Connection failed: "), bad.LocalAddr().String())
		served(t, s)
	})

	t.Run("a client that never reads what it is sent", func(t *testing.T) {
		s := serveIn(t, 2*time.Second) // longer than fillBuffers takes to see the server stuck
		bad := dial(t, s.Addr)
		fillBuffers(t, bad) // the server is now stuck writing to it
		served(t, s)
		// After -idle without progress the server gives up on it.
		require.NoError(t, bad.SetWriteDeadline(time.Now().Add(tcptest.Timeout)))
		_, err := io.Copy(bad, zeros{})
		require.Error(t, err, "the server closed the connection")
		assert.False(t, errors.Is(err, os.ErrDeadlineExceeded), "the server did not close the connection within %v", tcptest.Timeout)
	})

	t.Run("a client that sends a megabyte at once", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		echoes(t, dial(t, s.Addr), bytes.Repeat([]byte("x"), 1<<20))
		served(t, s)
	})

	t.Run("a client that sends binary junk", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		junk := make([]byte, 64<<10)
		rand.New(rand.NewSource(1)).Read(junk)
		for i, b := range junk {
			if b == 'O' { // keep "OK..." out of the data, so the replies can be told apart
				junk[i] = 'o'
			}
		}
		echoes(t, dial(t, s.Addr), junk)
		served(t, s)
	})
}

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// echoes sends data on c (which has read the welcome line) while it reads
// the replies, and checks that they are "OK..." and the data, piece by
// piece, in order, each piece at most 1024 bytes: one read's worth. data
// must not contain 'O', so that every "OK..." starts a reply.
func echoes(t *testing.T, c net.Conn, data []byte) {
	t.Helper()
	sent := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		sent <- err
	}()
	var stream []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		stream = append(stream, buf[:n]...)
		pieces := bytes.Split(stream, []byte("OK..."))
		require.Empty(t, pieces[0], "the replies do not start with OK...")
		pieces = pieces[1:]
		got := bytes.Join(pieces, nil)
		// Done once all the data is back and no "OK..." is half-read.
		if len(got) >= len(data) && !bytes.ContainsRune(pieces[len(pieces)-1], 'O') {
			for _, piece := range pieces {
				require.LessOrEqual(t, len(piece), 1024, "a reply longer than one read")
			}
			assert.True(t, bytes.Equal(data, got), "the replies do not add up to what was sent")
			break
		}
		require.NoError(t, err, "after %d of %d bytes", len(got), len(data))
	}
	require.NoError(t, tcptest.Receive(t, sent))
}

// FuzzHandleConn checks the conversation with one client for any bytes it
// may send: it gets back "OK..." and those bytes, a read's worth at a time,
// in order, nothing lost or added, and its goroutine neither panics nor
// blocks. The client is the other end of a net.Pipe, which hands the
// server exactly what it asks for (1024 bytes a read) so that the replies
// are known in advance. `go test` runs the seeds below;
// `go test -run '^$' -fuzz FuzzHandleConn -fuzztime 100000x ./07-shutdown`
// looks for more. (Give -fuzztime a count, not a duration: when a duration
// runs out while the fuzzer is minimizing an input, Go 1.26 can report a
// spurious "context deadline exceeded", golang/go#75804.)
func FuzzHandleConn(f *testing.F) {
	for _, seed := range []string{"hi\r\n", "", "OK...", "\x00\xff\r\n\x1b[2J", strings.Repeat("x", 3000)} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &server{grace: tcptest.Timeout, idle: tcptest.Timeout, out: io.Discard}
		client, conn := net.Pipe()
		defer client.Close()
		s.track(conn)
		ended := make(chan struct{})
		go func() {
			s.handleConn(conn)
			close(ended)
		}()
		require.NoError(t, client.SetDeadline(time.Now().Add(tcptest.Timeout)))
		tcptest.Expect(t, client, welcome)

		var want bytes.Buffer
		for rest := data; len(rest) > 0; rest = rest[min(len(rest), 1024):] {
			want.WriteString("OK...")
			want.Write(rest[:min(len(rest), 1024)])
		}
		sent := make(chan error, 1)
		go func() {
			_, err := client.Write(data)
			sent <- err
		}()
		got := make([]byte, want.Len())
		_, err := io.ReadFull(client, got)
		require.NoError(t, err)
		require.NoError(t, tcptest.Receive(t, sent))
		require.Equal(t, want.String(), string(got))

		require.NoError(t, client.Close())
		tcptest.Receive(t, ended)
	})
}

func TestProgram(t *testing.T) {
	t.Run("prints the article's lines and Connected with for every client", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		first := dial(t, addr)
		second := dial(t, addr)
		tcptest.Send(t, first, "hi\r\n")
		tcptest.Expect(t, first, "OK...hi\r\n")
		p.Stdout.WaitFor(t, "Connected with "+second.LocalAddr().String())
		want := fmt.Sprintf("Socket created\nSocket bind complete\nBound to %s\nSocket now listening\nConnected with %s\nConnected with %s\n",
			addr, first.LocalAddr(), second.LocalAddr())
		assert.Equal(t, want, p.Stdout.String())
		assert.Empty(t, p.Stderr.String())
	})

	for _, args := range [][]string{{"-grace", "0s"}, {"-idle", "0s"}, {"-idle", "-1s"}} {
		t.Run(fmt.Sprintf("bad %s %s: one line on stderr, exit 2", args[0], args[1]), func(t *testing.T) {
			res := tcptest.Run(t, args...)
			assert.Equal(t, 2, res.Code)
			assert.Empty(t, res.Stdout)
			assert.Equal(t, "bad -grace or -idle: both must be positive\n", res.Stderr)
		})
	}

	tcptest.CommonFailures(t)
}

// TestExitStatus makes the transcript of Ctrl-C with the program built, so
// that the shell shows its exit status, 0 (`go run` would report 1): the
// terminal shows ^C where the key was pressed.
func TestExitStatus(t *testing.T) {
	p := tcptest.Start(t, "-addr", "127.0.0.1:0")
	addr := p.Addr(t)
	listening := p.Stdout.WaitFor(t, "Socket now listening") + "\n"
	p.Interrupt(t)
	res := p.Wait(t)
	require.Equal(t, 0, res.Code)
	before, after, found := strings.Cut(res.Stdout, listening)
	require.True(t, found, "no %q in %q", listening, res.Stdout)
	tcptest.Golden(t, "ctrl-c.golden", "$ go build -o /tmp/07-shutdown ./07-shutdown\n"+
		"$ /tmp/07-shutdown; echo $?\n"+tcptest.Normalize(before+listening, addr)+"^C"+after+fmt.Sprintln(res.Code))
}

// TestServerLog shows that the server says, in its terminal, when it is
// the one that ends a connection: a learner watching it sees why a client
// went away.
func TestServerLog(t *testing.T) {
	t.Parallel() // Slow (it waits out -grace and deadlines), and shares nothing with the other tests.
	t.Run("a client closed for being idle: one line, Closing ADDR: idle for D", func(t *testing.T) {
		s := serveIn(t, tcptest.Quiet/3)
		c := dial(t, s.Addr)
		tcptest.Expect(t, c, "You have been idle for 100ms. Goodbye.\n")
		line := s.Out.WaitFor(t, "Closing "+c.LocalAddr().String())
		assert.Equal(t, "Closing "+c.LocalAddr().String()+": idle for 100ms", line)
	})

	t.Run("a client that does not read its goodbye: one more line, Goodbye not read by ADDR", func(t *testing.T) {
		// Over TCP, a goodbye written to a client that reads nothing may
		// still fit in the kernel's buffers. A net.Pipe has none: a write
		// waits until the other end reads, so this goodbye is surely not.
		var out tcptest.Output
		s := &server{grace: tcptest.Timeout, idle: tcptest.Quiet / 3, out: &out}
		client, conn := net.Pipe()
		t.Cleanup(func() { client.Close() })
		s.track(conn)
		ended := make(chan struct{})
		go func() {
			s.handleConn(conn)
			close(ended)
		}()
		require.NoError(t, client.SetDeadline(time.Now().Add(tcptest.Timeout)))
		tcptest.Expect(t, client, welcome) // and read nothing more
		tcptest.Receive(t, ended)
		assert.Equal(t, []string{"Closing pipe: idle for 100ms", "Goodbye not read by pipe: i/o timeout"}, out.Lines())
	})
}

// The transcripts the course's pages show, from the real program; see
// tcptest.Golden. Two terminals connect and type, in turns, the article's
// lines; then Ctrl-C in the server's terminal stops the server.
func TestTranscripts(t *testing.T) {
	p := tcptest.Start(t, "-addr", "127.0.0.1:0")
	addr := p.Addr(t)
	first := tcptest.NewTelnet(t, addr)
	first.ReadLine()
	second := tcptest.NewTelnet(t, addr)
	second.ReadLine()
	for _, line := range []string{"hi", "asd", "cv"} {
		first.Type(line)
		first.ReadLine()
	}
	second.Type("hello from the second terminal")
	second.ReadLine()
	p.Stdout.WaitFor(t, "Connected with "+second.Conn.LocalAddr().String())
	p.Interrupt(t) // Ctrl-C in the server's terminal
	for _, client := range []*tcptest.Telnet{first, second} {
		client.ReadLine()
		client.ExpectClosed()
	}
	res := p.Wait(t)
	require.Equal(t, 0, res.Code)
	tcptest.Golden(t, "telnet-1.golden", first.Screen())
	tcptest.Golden(t, "telnet-2.golden", second.Screen())
	tcptest.Golden(t, "server.golden", "$ go run ./07-shutdown\n"+tcptest.Normalize(res.Stdout, addr))
}
