package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"socketcourse/internal/tcptest"
)

func TestMain(m *testing.M) {
	tcptest.RunMain(main)
	os.Exit(m.Run())
}

const welcome = "Welcome to the server. Type something and hit enter\n"

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
		s := tcptest.Serve(t, serve)
		for _, msg := range []string{"one\r\n", "two\r\n"} {
			c := dial(t, s.Addr)
			tcptest.Send(t, c, msg)
			tcptest.Expect(t, c, "OK..."+msg)
			require.NoError(t, c.Close())
		}
	})
}

// The scenario that 05-loop fails, fixed here: every client has its own
// goroutine, so a silent client holds up nobody.
func TestSecondClientWhileFirstIsSilent(t *testing.T) {
	t.Run("the second client is answered while the first is silent", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
		first := dial(t, s.Addr)

		second := dial(t, s.Addr)
		tcptest.Send(t, second, "hi\r\n")
		tcptest.Expect(t, second, "OK...hi\r\n")

		tcptest.ExpectSilence(t, first)
	})
}

// The scenario that 04-echo-once and 05-loop fail, fixed here: the client's
// goroutine keeps reading until the client closes.
func TestSecondMessage(t *testing.T) {
	t.Run("every message on the same connection gets a reply", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
		c := dial(t, s.Addr)
		for _, msg := range []string{"hi\r\n", "asd\r\n", "cv\r\n"} {
			tcptest.Send(t, c, msg)
			tcptest.Expect(t, c, "OK..."+msg)
		}
	})
}

// The scenario that 05-loop fails, fixed here: a client that closes
// without sending ends its own goroutine, and the accept loop goes on.
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

// What one read takes: whatever has arrived, from one byte up to the
// article's recv(1024); each read gets its own reply.
func TestMessageSizes(t *testing.T) {
	t.Run("a one-byte message is answered", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
		c := dial(t, s.Addr)
		tcptest.Send(t, c, "x")
		tcptest.Expect(t, c, "OK...x")
	})

	// On loopback a write of 2048 bytes arrives in one piece, so the first
	// read finds all of it and takes exactly 1024, recv(1024)'s limit, and
	// the next read takes the rest: two replies for one message.
	t.Run("2048 bytes at once: two replies, OK... and 1024 bytes each", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
		c := dial(t, s.Addr)
		first, rest := strings.Repeat("a", 1024), strings.Repeat("b", 1024)
		tcptest.Send(t, c, first+rest)
		tcptest.Expect(t, c, "OK..."+first+"OK..."+rest)
	})
}

// How a conversation ends: a client that closes its sending side after
// its line (as `nc -N` and the course's client do) gets exactly its reply
// and then the server's orderly close, and nothing is reported.
func TestHalfClose(t *testing.T) {
	t.Run("a line, then the client's close: the reply, then the server's close, and no failure reported", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
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
		used := &usedAfterFailure{Conn: conn}
		ended := make(chan struct{})
		go func() {
			handleConn(used, &out)
			close(ended)
		}()
		client(c)
		require.NoError(t, c.Close())
		tcptest.Receive(t, ended)
		assert.Zero(t, used.reads.Load(), "reads after the failed write: the server should give up on the client")
		return out.String()
	}

	t.Run("a client that hangs up before the welcome line: Connection failed, in one line, and the server gives up on it", func(t *testing.T) {
		out := converse(t, func(net.Conn) {})
		assert.Equal(t, "Connection failed: io: read/write on closed pipe\n", out)
	})

	t.Run("a client that hangs up before its reply: Connection failed, in one line, and the server gives up on it", func(t *testing.T) {
		out := converse(t, func(c net.Conn) {
			tcptest.Expect(t, c, welcome)
			tcptest.Send(t, c, "hi\r\n") // returns once the server has read it
		})
		assert.Equal(t, "Connection failed: io: read/write on closed pipe\n", out)
	})
}

// usedAfterFailure is a connection that counts the reads made on it after
// a write failed. (Over TCP such a read fails too, and would report the
// client's failure a second time.)
type usedAfterFailure struct {
	net.Conn
	failed atomic.Bool
	reads  atomic.Int32
}

func (u *usedAfterFailure) Write(p []byte) (int, error) {
	n, err := u.Conn.Write(p)
	if err != nil {
		u.failed.Store(true)
	}
	return n, err
}

func (u *usedAfterFailure) Read(p []byte) (int, error) {
	if u.failed.Load() {
		u.reads.Add(1)
	}
	return u.Conn.Read(p)
}

// Not in the article: a client that resets its connection (it crashed, or
// its network went away) costs one line, and the other clients go on.
func TestResetClient(t *testing.T) {
	t.Run("a client that resets is reported in one line and the others are served", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
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
		s := tcptest.Serve(t, serve)
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
		s := tcptest.Serve(t, serve)
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

// Limitation, fixed by 07-shutdown: the article's server can only be
// killed. Closing its listener stops the accept loop but not the clients'
// goroutines, which go on as if nothing happened, and nobody tells the
// clients anything. Ctrl-C kills the program and drops every client
// without a word.
func TestShutdown(t *testing.T) {
	t.Run("stopping the server leaves its clients connected, and nobody tells them", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
		c := dial(t, s.Addr)
		require.NoError(t, s.Close())
		require.ErrorIs(t, s.Wait(t), net.ErrClosed)
		tcptest.ExpectSilence(t, c)
		tcptest.Send(t, c, "still there?\r\n")
		tcptest.Expect(t, c, "OK...still there?\r\n")
	})

	t.Run("Ctrl-C drops every client without a word", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		clients := []net.Conn{dial(t, addr), dial(t, addr), dial(t, addr)}
		p.Interrupt(t)
		for _, c := range clients {
			tcptest.ExpectEnd(t, c)
		}
		assert.NotEqual(t, 0, p.Wait(t).Code, "killed by the signal")
	})
}

// Limitation, fixed by 07-shutdown: a client that says nothing keeps its
// goroutine and its socket for as long as it likes; nobody times it out.
// "Never" cannot be waited for. What can be shown: the server sets no
// deadline on a connection, ever, so nothing in it can time a client out;
// and a client silent for three times as long as 07-shutdown's test lets
// a client be idle is still there, and still answered.
func TestIdleClient(t *testing.T) {
	t.Run("a silent client is never timed out", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
		c := dial(t, s.Addr)
		tcptest.ExpectSilence(t, c)
		tcptest.Send(t, c, "still there?\r\n")
		tcptest.Expect(t, c, "OK...still there?\r\n")
	})

	t.Run("the server sets no deadline on a client's connection", func(t *testing.T) {
		client, conn := net.Pipe()
		require.NoError(t, client.SetDeadline(time.Now().Add(tcptest.Timeout)))
		rec := &deadlines{Conn: conn}
		ended := make(chan struct{})
		go func() {
			handleConn(rec, io.Discard)
			close(ended)
		}()
		tcptest.Expect(t, client, welcome)
		tcptest.Send(t, client, "hi\r\n")
		tcptest.Expect(t, client, "OK...hi\r\n")
		require.NoError(t, client.Close())
		tcptest.Receive(t, ended)
		assert.Zero(t, rec.set.Load(), "deadlines set on the connection")
	})
}

// deadlines is a connection that counts the deadlines set on it.
type deadlines struct {
	net.Conn
	set atomic.Int32
}

func (d *deadlines) SetDeadline(t time.Time) error { d.set.Add(1); return d.Conn.SetDeadline(t) }
func (d *deadlines) SetReadDeadline(t time.Time) error {
	d.set.Add(1)
	return d.Conn.SetReadDeadline(t)
}
func (d *deadlines) SetWriteDeadline(t time.Time) error {
	d.set.Add(1)
	return d.Conn.SetWriteDeadline(t)
}

// Limitation, fixed by 07-shutdown: the accept loop gives up at the first
// error. With too few file descriptors, Accept fails with "too many open
// files", serve returns, and the program exits: every client, served or
// waiting, is dropped.
func TestAcceptErrors(t *testing.T) {
	t.Run("100 clients at once under a limit of 64 open files: the server exits", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		p.LimitOpenFiles(t, 64)
		crowd := tcptest.StartCrowd(addr, welcome, 100, p.Stdout.Await("Accept failed"))
		assert.Equal(t, 1, p.Wait(t).Code)
		crowd.Close() // the server is gone: nobody waits for it any longer
		failed := 0
		for i := 0; i < 100; i++ {
			if tcptest.Receive(t, crowd.Done) != nil {
				failed++
			}
		}
		assert.NotZero(t, failed, "every client was served")
	})
}

// No goroutine outlives its connection: once the clients have left, and
// the accept loop has stopped, the server has no goroutine left.
func TestNoGoroutineOutlivesItsConnection(t *testing.T) {
	t.Run("once the clients have left and the server has stopped, none of its goroutines is left", func(t *testing.T) {
		before := goleak.IgnoreCurrent()
		s := tcptest.Serve(t, serve)
		for i := 0; i < 20; i++ {
			c := dial(t, s.Addr)
			tcptest.Send(t, c, "bye\r\n")
			tcptest.Expect(t, c, "OK...bye\r\n")
			require.NoError(t, c.Close())
		}
		require.NoError(t, s.Close())
		require.ErrorIs(t, s.Wait(t), net.ErrClosed)
		goleak.VerifyNone(t, before)
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

	tcptest.CommonFailures(t)
}

// The transcripts the course's pages show, from the real program; see
// tcptest.Golden. Two terminals connect and type, in turns, the article's
// lines.
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
	tcptest.Golden(t, "telnet-1.golden", first.Screen())
	tcptest.Golden(t, "telnet-2.golden", second.Screen())
	tcptest.Golden(t, "server.golden", "$ go run ./06-goroutines\n"+tcptest.Normalize(p.Stdout.String(), addr))
}

// BenchmarkRoundTrip measures round trips, a line sent and its reply read,
// with 1, 10 and 100 clients connected and sending at the same time. Each
// client waits for a reply before it sends again. The clients run in this
// process too, so allocs/op counts theirs (none) and the server's.
func BenchmarkRoundTrip(b *testing.B) {
	for _, clients := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			s := tcptest.Serve(b, serve)
			conns := make([]net.Conn, clients)
			for i := range conns {
				conns[i] = dial(b, s.Addr)
			}
			b.ReportAllocs()
			b.ResetTimer()
			roundTrips(b, conns, func(c net.Conn) (net.Conn, error) { return c, nil })
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "roundtrips/s")
		})
	}
}

// roundTrips shares b.N round trips among conns, one goroutine each.
// next returns the connection to use for the next round trip (05-loop's
// benchmark connects anew every time).
func roundTrips(b *testing.B, conns []net.Conn, next func(net.Conn) (net.Conn, error)) {
	msg, reply := []byte("hello\r\n"), "OK...hello\r\n"
	var done atomic.Int64
	errs := make(chan error, len(conns))
	for _, c := range conns {
		go func() {
			buf := make([]byte, len(reply))
			for done.Add(1) <= int64(b.N) {
				c, err := next(c)
				if err == nil {
					err = c.SetDeadline(time.Now().Add(tcptest.Timeout))
				}
				if err == nil {
					_, err = c.Write(msg)
				}
				if err == nil {
					_, err = io.ReadFull(c, buf)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range conns {
		if err := tcptest.Receive(b, errs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConnect measures setting up a connection: connect, be accepted
// and read the welcome line, then hang up.
func BenchmarkConnect(b *testing.B) {
	s := tcptest.Serve(b, serve)
	b.ReportAllocs()
	b.ResetTimer()
	buf := make([]byte, len(welcome))
	for i := 0; i < b.N; i++ {
		c, err := net.DialTimeout("tcp", s.Addr, tcptest.Timeout)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.SetDeadline(time.Now().Add(tcptest.Timeout)); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "connections/s")
}
