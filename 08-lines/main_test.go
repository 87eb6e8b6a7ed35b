package main

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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

// maxLine is -max-line's default, which the tests' servers use too.
const maxLine = 1024

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
	srv := &server{grace: tcptest.Timeout, idle: idle, maxLine: maxLine}
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

// The scenario that 06-goroutines fails, fixed since 07-shutdown: stopping the server
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
// read some bytes meanwhile. c's receive buffer is set first, which stops
// the kernel from growing it, and so from making room, later. It sends
// lines of 1000 bytes, which the server answers, as 07-shutdown answers
// reads of 1024. The buffer is 256 KB, not 07's 4 KB, larger than one
// segment on loopback (up to 64 KB): with 4 KB, this server had read all
// that was sent and waited for more, its send buffer far from full, while
// the client's sends stalled in retransmissions after 128,000 bytes (ss on
// Linux 6.18: Recv-Q 0 and Send-Q 123,615 on the server's side, backoff on
// both), so that its goodbye still got through.
func fillBuffers(t *testing.T, c net.Conn) {
	t.Helper()
	require.NoError(t, c.(*net.TCPConn).SetReadBuffer(256<<10))
	chunk := bytes.Repeat([]byte(strings.Repeat("x", 999)+"\n"), 64)
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

// The scenario that 06-goroutines fails, fixed since 07-shutdown: a client that says
// nothing for -idle is told so and closed, and its goroutine ends.
func TestIdleClient(t *testing.T) {
	t.Run("a silent client is told and closed after -idle", func(t *testing.T) {
		s := serveIn(t, tcptest.Quiet/3)
		c := dial(t, s.Addr)
		tcptest.Expect(t, c, "You have been idle for 100ms. Goodbye.\n")
		tcptest.ExpectEnd(t, c)
	})

	// The server keeps half a line until the rest arrives, but not for
	// ever: a client that stops halfway is idle all the same.
	t.Run("half a line, then silence: told and closed after -idle, the half line unanswered", func(t *testing.T) {
		s := serveIn(t, tcptest.Quiet/3)
		c := dial(t, s.Addr)
		tcptest.Send(t, c, "half a li")
		tcptest.ExpectThenClose(t, c, "You have been idle for 100ms. Goodbye.\n")
	})

	// How long a read may wait is the deadline set before it. Timing the
	// goodbye itself would make a test that fails on a busy machine; the
	// deadline is exact. With -idle an hour, "an hour from now" is told
	// apart from anything else whatever the machine's load.
	t.Run("each line may wait -idle, no longer: its deadline is -idle from now", func(t *testing.T) {
		client, conn := net.Pipe()
		require.NoError(t, client.SetDeadline(time.Now().Add(tcptest.Timeout)))
		rec := &deadlines{Conn: conn}
		s := &server{grace: tcptest.Timeout, idle: time.Hour, maxLine: maxLine, out: io.Discard}
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
		require.Len(t, rec.fromNow, 2, "deadlines set: one before each line")
		for _, d := range rec.fromNow {
			assert.True(t, d > 59*time.Minute && d <= time.Hour, "a line's deadline is %v from now; want -idle, 1h", d)
		}
	})

	// The deadline is set once for a line, not again for each piece of
	// it: a line must be whole within -idle, so a client that sends a
	// line a byte at a time, never silent for long, cannot hold its
	// connection for ever. Over a net.Pipe each piece is a read of its own.
	t.Run("a line in three pieces has one deadline: the whole line must come within -idle", func(t *testing.T) {
		client, conn := net.Pipe()
		require.NoError(t, client.SetDeadline(time.Now().Add(tcptest.Timeout)))
		rec := &deadlines{Conn: conn}
		s := &server{grace: tcptest.Timeout, idle: time.Hour, maxLine: maxLine, out: io.Discard}
		s.track(rec)
		ended := make(chan struct{})
		go func() {
			s.handleConn(rec)
			close(ended)
		}()
		tcptest.Expect(t, client, welcome)
		for _, piece := range []string{"h", "i", "\r\n"} {
			tcptest.Send(t, client, piece) // returns once the server has read it
		}
		tcptest.Expect(t, client, "OK...hi\r\n")
		require.NoError(t, client.Close())
		tcptest.Receive(t, ended)
		assert.Len(t, rec.fromNow, 2, "deadlines set: one for the line, one for the next")
	})

	// A client that is idle and does not read either cannot take its
	// goodbye: the server gives it a second, then closes it anyway. The
	// client is the other end of a net.Pipe, which holds no bytes, so the
	// server's reply waits for it at once.
	t.Run("an idle client that does not read is given 1 s to take its goodbye, no longer", func(t *testing.T) {
		client, conn := net.Pipe()
		require.NoError(t, client.SetDeadline(time.Now().Add(tcptest.Timeout)))
		rec := &deadlines{Conn: conn, write: make(chan time.Duration, 1)}
		s := &server{grace: tcptest.Timeout, idle: tcptest.Quiet / 3, maxLine: maxLine, out: io.Discard}
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

	t.Run("without -idle, each line may wait 5 minutes", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		c := dial(t, p.Addr(t))
		tcptest.Send(t, c, "hi\r\n")
		tcptest.Expect(t, c, "OK...hi\r\n")
		// A deadline before each line: the first, and the next after the reply.
		_, _, ok := p.Stderr.WaitLine(1, tcptest.Timeout, nil, func(string) bool { return true })
		require.True(t, ok, "the program set fewer than two deadlines; stderr:\n%s", p.Stderr.String())
		assert.Equal(t, []string{"deadline in 5m0s", "deadline in 5m0s"}, p.Stderr.Lines()[:2], "the deadlines of the first two lines")
	})

	t.Run("without -max-line, a line may be 1024 bytes, its line end included", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		c := dial(t, addr)
		line := strings.Repeat("x", 1023) + "\n"
		tcptest.Send(t, c, line)
		tcptest.Expect(t, c, "OK..."+line)
		tcptest.Send(t, c, strings.Repeat("y", 1024))
		tcptest.ExpectThenClose(t, c, "Your line is longer than 1024 bytes. Goodbye.\n")
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

// The scenario that 06-goroutines fails, fixed since 07-shutdown: a failed accept is
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
		s := &server{grace: tcptest.Timeout, idle: tcptest.Timeout, maxLine: maxLine, out: &out}
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

// What one line may be: from its line end alone up to -max-line bytes,
// its line end included. Each line gets its own reply, whatever the reads.
func TestMessageSizes(t *testing.T) {
	t.Run("a line end alone is a line: OK... and the line end", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		tcptest.Send(t, c, "\n")
		tcptest.Expect(t, c, "OK...\n")
	})

	// 07-shutdown answers these 2048 bytes as it reads them: 1024 bytes,
	// recv(1024)'s limit, then the rest. Here they are two lines of 1024
	// bytes each, -max-line exactly, and each is answered whole.
	t.Run("2048 bytes at once, two lines of 1024: two replies, one per line", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		first, rest := strings.Repeat("a", 1022)+"\r\n", strings.Repeat("b", 1023)+"\n"
		tcptest.Send(t, c, first+rest)
		tcptest.Expect(t, c, "OK..."+first+"OK..."+rest)
	})
}

// The limitation of 07-shutdown, fixed here: the server answers each line,
// whatever the reads. TCP carries bytes, not messages: bytes written apart
// may be read together (粘包), and bytes written together may be read
// apart (半包). The test makes the segments itself: with TCP_NODELAY (Go's
// default, set here to say so) every write leaves at once, in a segment of
// its own, and the server's reads are recorded, so the test knows what
// each read returned.
func TestLinesInOneSegment(t *testing.T) {
	t.Run("two lines in one segment get a reply each", func(t *testing.T) {
		s, reads := serveReads(t)
		c := dial(t, s.Addr)
		require.NoError(t, c.(*net.TCPConn).SetNoDelay(true))
		tcptest.Send(t, c, "hi\r\nasd\r\n") // one write: one segment
		assert.Equal(t, "hi\r\nasd\r\n", tcptest.Receive(t, reads), "the server's read")
		tcptest.Expect(t, c, "OK...hi\r\nOK...asd\r\n")
	})
}

// The limitation of 07-shutdown, fixed here: a line that arrives in pieces
// is answered once, when its line end has arrived. Each piece is sent once
// the server has read the one before, so each is a read of its own.
func TestLineInPieces(t *testing.T) {
	t.Run("a line sent in three pieces gets one reply, once its line end arrives", func(t *testing.T) {
		s, reads := serveReads(t)
		c := dial(t, s.Addr)
		require.NoError(t, c.(*net.TCPConn).SetNoDelay(true))
		for _, piece := range []string{"hel", "lo wor", "ld\r\n"} {
			tcptest.Send(t, c, piece)
			assert.Equal(t, piece, tcptest.Receive(t, reads), "the server's read")
		}
		tcptest.Expect(t, c, "OK...hello world\r\n")
	})
}

// A line ends at "\n". The reply keeps the client's own line end, so that
// each client reads its answer as it wrote its line: telnet and the
// course's client end lines with "\r\n", nc with "\n".
func TestLineEnds(t *testing.T) {
	t.Run("each reply keeps its line's end: \\r\\n from telnet, \\n from nc", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		tcptest.Send(t, c, "from telnet\r\nfrom nc\n")
		tcptest.Expect(t, c, "OK...from telnet\r\nOK...from nc\n")
	})

	t.Run("a \\r alone does not end a line", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		tcptest.Send(t, c, "a\rb\n")
		tcptest.Expect(t, c, "OK...a\rb\n")
	})
}

// A client that never sends a line end would make a server that waits for
// one keep all it sends. This one keeps -max-line bytes at most (1024 by
// default): with that many and no line end, it says so in one line and
// closes the connection. Having read every byte sent, it closes with a
// FIN, which the client reads as the end (ExpectThenClose).
func TestLongLine(t *testing.T) {
	const tooLong = "Your line is longer than 1024 bytes. Goodbye.\n"

	t.Run("1024 bytes and no line end: one line back, and the connection closed", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		tcptest.Send(t, c, strings.Repeat("x", 1024))
		tcptest.ExpectThenClose(t, c, tooLong)
	})

	t.Run("the lines before a long one are answered first", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		tcptest.Send(t, c, "hi\r\n"+strings.Repeat("x", 1024))
		tcptest.ExpectThenClose(t, c, "OK...hi\r\n"+tooLong)
	})

	t.Run("with -max-line 16: 15 bytes and a line end are a line, 16 without one are too long", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0", "-max-line", "16")
		c := dial(t, p.Addr(t))
		tcptest.Send(t, c, strings.Repeat("x", 15)+"\n")
		tcptest.Expect(t, c, "OK..."+strings.Repeat("x", 15)+"\n")
		tcptest.Send(t, c, strings.Repeat("y", 16))
		tcptest.ExpectThenClose(t, c, "Your line is longer than 16 bytes. Goodbye.\n")
	})
}

// serveReads runs the server as serveIn does, and returns with it what
// each read on its clients' connections returned (see tcptest.RecordReads).
func serveReads(t *testing.T) (testServer, <-chan string) {
	t.Helper()
	reads := make(chan string, 100)
	srv := &server{grace: tcptest.Timeout, idle: tcptest.Timeout, maxLine: maxLine}
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

	// The client's close ends its last line as a line end would: nothing
	// more can come. So a last line without its line end is answered, as
	// it came, as bufio.Scanner would return it.
	t.Run("a last line without its line end, then the client's close: answered as it came, then the server's close", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		tcptest.Send(t, c, "hi\r\nasd")
		tcptest.CloseWrite(t, c)
		tcptest.ExpectThenClose(t, c, "OK...hi\r\nOK...asd")
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
		s := &server{grace: tcptest.Timeout, idle: tcptest.Timeout, maxLine: maxLine, out: &out}
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
		// After -idle without a line answered, the server gives up on it.
		// It may be stuck writing, or, if the kernels stalled first, waiting
		// for more of a line, with room to write (see fillBuffers): either
		// way it says so in one line, and the client, reading at last,
		// reads to the end of the connection, a close or a reset.
		s.Out.WaitFor(t, "Closing "+bad.LocalAddr().String()+": idle for 2s")
		tcptest.ReadToEnd(t, bad)
	})

	t.Run("a client that sends a megabyte of lines at once", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		echoes(t, dial(t, s.Addr), bytes.Repeat([]byte(strings.Repeat("x", 999)+"\n"), 1<<10))
		served(t, s)
	})

	// It is closed after 1024 bytes. The rest of the megabyte is still on
	// its way, unread, so the server's close is a reset: on Linux the
	// client reads the server's last line first, but other systems may
	// throw it away with the connection.
	t.Run("a client that sends a megabyte and no line end", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		bad := dial(t, s.Addr)
		sent := make(chan error, 1)
		go func() {
			_, err := bad.Write(bytes.Repeat([]byte("x"), 1<<20))
			sent <- err
		}()
		got, _ := tcptest.ReadToEnd(t, bad)
		assert.True(t, strings.HasPrefix("Your line is longer than 1024 bytes. Goodbye.\n", got), "read %q", got)
		tcptest.Receive(t, sent) // whole, into the kernel's buffers, or cut short by the reset
		served(t, s)
	})

	t.Run("a client that sends binary junk", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		junk := make([]byte, 64<<10)
		rand.New(rand.NewSource(1)).Read(junk)
		for i := 999; i < len(junk); i += 1000 {
			junk[i] = '\n' // no line longer than 1000 bytes
		}
		junk[len(junk)-1] = '\n'
		echoes(t, dial(t, s.Addr), junk)
		served(t, s)
	})
}

// echoes sends data, whole lines, on c (which has read the welcome line)
// while it reads the replies, and checks that they are "OK..." and each
// line, in order.
func echoes(t *testing.T, c net.Conn, data []byte) {
	t.Helper()
	want, closed, rest := replies(data, maxLine)
	require.False(t, closed, "a line longer than %d bytes", maxLine)
	require.Empty(t, rest, "the data does not end with a line end")
	sent := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		sent <- err
	}()
	got := make([]byte, len(want))
	_, err := io.ReadFull(c, got)
	require.NoError(t, err)
	assert.True(t, want == string(got), "the replies are not OK... and each line, in order")
	require.NoError(t, tcptest.Receive(t, sent))
}

// replies is what the server sends for data, its welcome line apart:
// "OK..." and each line, its line end kept, up to the first line longer
// than limit; then, if there is one, the line that says so, and closed is
// true. Otherwise rest is what follows the last line end: the start of a
// line still to come, or, at EOF, a last line without its line end.
func replies(data []byte, limit int) (want string, closed bool, rest []byte) {
	var b strings.Builder
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 && len(data) < limit {
			return b.String(), false, data
		}
		if i < 0 || i+1 > limit {
			fmt.Fprintf(&b, "Your line is longer than %d bytes. Goodbye.\n", limit)
			return b.String(), true, nil
		}
		b.WriteString("OK...")
		b.Write(data[:i+1])
		data = data[i+1:]
	}
}

// FuzzLines checks the framing for any bytes a client may send, cut into
// any pieces: the replies are "OK..." and each line, its line end kept, in
// order, nothing lost or added, whatever the pieces; a line longer than
// the limit (64 bytes here, so that long lines are common) gets its line
// back and the connection's end; and a last line without its line end is
// answered when the client closes. The client is the other end of a
// net.Pipe, on which a write returns once the server has read all of it:
// each piece reaches the server in reads of its own, never together with
// the next. cuts gives the pieces' lengths, 1 to 256 bytes, in turn.
// `go test` runs the seeds below;
// `go test -run '^$' -fuzz FuzzLines -fuzztime 100000x ./08-lines` looks
// for more. (Give -fuzztime a count, not a duration: when a duration runs
// out while the fuzzer is minimizing an input, Go 1.26 can report a
// spurious "context deadline exceeded", golang/go#75804.)
func FuzzLines(f *testing.F) {
	for _, seed := range []struct{ data, cuts string }{
		{"hi\r\nasd\r\n", ""},
		{"hi\r\nasd\r\n", "\x01"},
		{"hello world\r\n", "\x02\x05"},
		{"", ""},
		{"no line end", "\x03"},
		{"\n\n\r\n", "\x00"},
		{strings.Repeat("x", 63) + "\n" + strings.Repeat("y", 64) + "\n", "\x1f"},
		{"short\n" + strings.Repeat("z", 100), "\xff"},
		{"OK...\x00\xff\r\n\x1b[2J\n", "\x04\x00"},
	} {
		f.Add([]byte(seed.data), []byte(seed.cuts))
	}
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		const limit = 64
		var out tcptest.Output
		s := &server{grace: tcptest.Timeout, idle: tcptest.Timeout, maxLine: limit, out: &out}
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

		want, closed, rest := replies(data, limit)
		sent := make(chan error, 1)
		go func() { sent <- sendInPieces(client, data, cuts) }()
		got := make([]byte, len(want))
		_, err := io.ReadFull(client, got)
		require.NoError(t, err)
		require.Equal(t, want, string(got))
		if closed {
			n, err := client.Read(make([]byte, 1))
			assert.Zero(t, n)
			assert.ErrorIs(t, err, io.EOF, "want the server's close after a line too long")
			tcptest.Receive(t, sent) // the rest could not be sent: the server has gone
			tcptest.Receive(t, ended)
			return
		}
		require.NoError(t, tcptest.Receive(t, sent))
		// The server holds rest, a line without its line end, and answers
		// it when the client closes: here that reply fails, as a write to
		// a closed pipe does, and says so. With no rest, nothing is said.
		require.NoError(t, client.Close())
		tcptest.Receive(t, ended)
		if len(rest) > 0 {
			assert.Equal(t, "Connection failed: io: read/write on closed pipe\n", out.String(), "the last line, %q, was not answered at EOF", rest)
		} else {
			assert.Empty(t, out.String())
		}
	})
}

// sendInPieces writes data on c in pieces whose lengths are the bytes of
// cuts plus one, in turn; with no cuts, in one piece.
func sendInPieces(c net.Conn, data, cuts []byte) error {
	for i := 0; len(data) > 0; i++ {
		n := len(data)
		if len(cuts) > 0 {
			n = min(n, int(cuts[i%len(cuts)])+1)
		}
		if _, err := c.Write(data[:n]); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// TestWireCapture checks the picture on this stage's page: one session
// of `printf 'hi\nasd\n' | go run ./cmd/client -stream` against 07-shutdown
// and one against 08-lines, as tcpdump saw them on loopback
// (testdata/capture.sh made testdata/wire-07.tcpdump and wire-08.tcpdump).
// The client sent the same two segments to both; 07-shutdown read them in
// one read and answered once, and 08-lines answered each line. The client's
// segments, sent again as they were to this stage's server, get the
// replies that the capture shows. The picture, drawn from the captures, is
// testdata/wire.golden.
func TestWireCapture(t *testing.T) {
	s07 := readCapture(t, "wire-07.tcpdump")
	s08 := readCapture(t, "wire-08.tcpdump")
	sent := []string{"hi\r\n", "asd\r\n"} // a line per write, with telnet's line end
	for _, s := range []capture{s07, s08} {
		require.Equal(t, sent, s.data("client"), "%s: the client's segments", s.name)
		require.NotEmpty(t, s.data("server"))
		require.Equal(t, welcome, s.data("server")[0], "%s: the server's first segment", s.name)
	}
	assert.Equal(t, []string{"OK...hi\r\nasd\r\n"}, s07.data("server")[1:], "07-shutdown: one read, both lines, one reply")
	assert.Equal(t, []string{"OK...hi\r\n", "OK...asd\r\n"}, s08.data("server")[1:], "08-lines: a reply for each line")

	t.Run("the client's segments, sent again, get the replies of the capture", func(t *testing.T) {
		srv := serveIn(t, tcptest.Timeout)
		c := tcptest.Dial(t, srv.Addr)
		require.NoError(t, c.(*net.TCPConn).SetNoDelay(true))
		for _, segment := range sent {
			tcptest.Send(t, c, segment)
		}
		tcptest.CloseWrite(t, c)
		tcptest.ExpectThenClose(t, c, strings.Join(s08.data("server"), ""))
	})

	var fig strings.Builder
	fig.WriteString("$ printf 'hi\\nasd\\n' | go run ./cmd/client -stream\n")
	fig.WriteString("segments with data, and FINs, as tcpdump saw them on loopback (µs from the SYN)\n")
	for _, s := range []struct {
		capture
		title, read string
	}{
		{s07, "07-shutdown: one read, one reply", fmt.Sprintf("07-shutdown read %q, both lines at once", strings.Join(sent, ""))},
		{s08, "08-lines: a reply for each line", fmt.Sprintf("08-lines read the lines %q and %q", sent[0], sent[1])},
	} {
		fmt.Fprintf(&fig, "\n%s\n", s.title)
		for _, seg := range s.segments {
			if seg.fin {
				fmt.Fprintf(&fig, "%6d  %-16s   FIN\n", seg.at.Microseconds(), seg.from+" → "+seg.to)
			} else if seg.payload != "" {
				fmt.Fprintf(&fig, "%6d  %-16s %5d  %q\n", seg.at.Microseconds(), seg.from+" → "+seg.to, len(seg.payload), seg.payload)
			}
		}
		fmt.Fprintf(&fig, "%s\n", s.read)
	}
	tcptest.Golden(t, "wire.golden", fig.String())
}

// capture is one TCP session as `tcpdump -nn -X` printed it.
type capture struct {
	name     string
	segments []segment
}

// segment is one TCP segment of a capture.
type segment struct {
	at       time.Duration // since the session's first segment, the SYN
	from, to string        // "client" or "server"
	fin      bool
	payload  string
}

// data returns the payloads of the segments from "client" or "server".
func (c capture) data(from string) []string {
	var out []string
	for _, s := range c.segments {
		if s.from == from && s.payload != "" {
			out = append(out, s.payload)
		}
	}
	return out
}

var (
	// 11:29:09.168517 IP 127.0.0.1.35244 > 127.0.0.1.8888: Flags [P.], seq 1:5, ..., length 4
	segmentRE = regexp.MustCompile(`^(\d\d):(\d\d):(\d\d\.\d{6}) IP [\d.]+\.(\d+) > [\d.]+\.(\d+): Flags \[([^\]]*)\].*, length (\d+)$`)
	// \t0x0030:  8562 b8b6 6869 0d0a                      .b..hi..
	hexRE = regexp.MustCompile(`^\t0x[0-9a-f]{4}:  ([0-9a-f ]{1,39})`)
)

// readCapture reads testdata/name, one session to port 8888 printed by
// `tcpdump -nn -X`: a line per segment, then the IP packet in hex. The
// payload is what follows the IP and TCP headers.
func readCapture(t *testing.T, name string) capture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	c := capture{name: name}
	var first time.Duration
	var length int
	var packet []byte
	done := func() {
		if len(c.segments) == 0 {
			return
		}
		ihl := int(packet[0]&0x0f) * 4
		offset := ihl + int(packet[ihl+12]>>4)*4
		seg := &c.segments[len(c.segments)-1]
		seg.payload = string(packet[offset:])
		require.Len(t, seg.payload, length, "%s: segment %d", name, len(c.segments))
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if m := hexRE.FindStringSubmatch(line); m != nil {
			h, err := hex.DecodeString(strings.ReplaceAll(m[1], " ", ""))
			require.NoError(t, err, "%s: %s", name, line)
			packet = append(packet, h...)
			continue
		}
		m := segmentRE.FindStringSubmatch(line)
		require.NotNil(t, m, "%s: not a segment of tcpdump -nn -X: %s", name, line)
		done()
		at, err := time.ParseDuration(m[1] + "h" + m[2] + "m" + m[3] + "s")
		require.NoError(t, err, "%s: %s", name, line)
		if len(c.segments) == 0 {
			require.Equal(t, "S", m[6], "%s: the session does not start with the client's SYN", name)
			first = at
		}
		seg := segment{at: at - first, from: "client", to: "server", fin: strings.Contains(m[6], "F")}
		if m[4] == "8888" {
			seg.from, seg.to = "server", "client"
		} else {
			require.Equal(t, "8888", m[5], "%s: %s", name, line)
		}
		length, _ = strconv.Atoi(m[7])
		packet = nil
		c.segments = append(c.segments, seg)
	}
	done()
	return c
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

	for _, n := range []string{"15", "0", "-1"} {
		t.Run("bad -max-line "+n+": one line on stderr, exit 2", func(t *testing.T) {
			res := tcptest.Run(t, "-max-line", n)
			assert.Equal(t, 2, res.Code)
			assert.Empty(t, res.Stdout)
			assert.Equal(t, "bad -max-line: it must be 16 bytes or more\n", res.Stderr)
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
	tcptest.Golden(t, "ctrl-c.golden", "$ go build -o /tmp/08-lines ./08-lines\n"+
		"$ /tmp/08-lines; echo $?\n"+tcptest.Normalize(before+listening, addr)+"^C"+after+fmt.Sprintln(res.Code))
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

	t.Run("a client whose line is too long: one line, Closing ADDR: a line longer than N bytes", func(t *testing.T) {
		s := serveIn(t, tcptest.Timeout)
		c := dial(t, s.Addr)
		tcptest.Send(t, c, strings.Repeat("x", 1024))
		tcptest.ExpectThenClose(t, c, "Your line is longer than 1024 bytes. Goodbye.\n")
		line := s.Out.WaitFor(t, "Closing "+c.LocalAddr().String())
		assert.Equal(t, "Closing "+c.LocalAddr().String()+": a line longer than 1024 bytes", line)
	})

	t.Run("a client that does not read its goodbye: one more line, Goodbye not read by ADDR", func(t *testing.T) {
		// Over TCP, a goodbye written to a client that reads nothing may
		// still fit in the kernel's buffers. A net.Pipe has none: a write
		// waits until the other end reads, so this goodbye is surely not.
		var out tcptest.Output
		s := &server{grace: tcptest.Timeout, idle: tcptest.Quiet / 3, maxLine: maxLine, out: &out}
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
	tcptest.Golden(t, "server.golden", "$ go run ./08-lines\n"+tcptest.Normalize(res.Stdout, addr))
}
