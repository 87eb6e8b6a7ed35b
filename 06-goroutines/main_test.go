package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
		welcomed := make(chan error, clients)
		served := make(chan error, clients)
		start := make(chan struct{})
		var once sync.Once
		begin := func() { once.Do(func() { close(start) }) }
		t.Cleanup(begin) // so that no client waits forever if the test fails early
		for i := 0; i < clients; i++ {
			go func() { served <- converse(s.Addr, i, welcomed, start) }()
		}
		for i := 0; i < clients; i++ {
			require.NoError(t, tcptest.Receive(t, welcomed))
		}
		begin()
		for i := 0; i < clients; i++ {
			assert.NoError(t, tcptest.Receive(t, served))
		}
	})
}

// converse is one client of TestManyClients: it connects, reads the
// welcome line and says so on welcomed, waits for start, then sends a line
// and checks the reply. It runs in its own goroutine, so it returns its
// error instead of failing the test.
func converse(addr string, i int, welcomed chan<- error, start <-chan struct{}) error {
	c, err := net.DialTimeout("tcp", addr, tcptest.Timeout)
	if err != nil {
		welcomed <- err
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * tcptest.Timeout)) // Cannot fail on a new connection.
	if err := readExactly(c, welcome); err != nil {
		welcomed <- err
		return err
	}
	welcomed <- nil
	<-start
	msg := fmt.Sprintf("client %d\r\n", i)
	if _, err := io.WriteString(c, msg); err != nil {
		return err
	}
	return readExactly(c, "OK..."+msg)
}

// readExactly reads len(want) bytes from c and says if they are not want.
func readExactly(c net.Conn, want string) error {
	got := make([]byte, len(want))
	if n, err := io.ReadFull(c, got); err != nil {
		return fmt.Errorf("read %q: %w; want %q", got[:n], err, want)
	}
	if string(got) != want {
		return fmt.Errorf("read %q; want %q", got, want)
	}
	return nil
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

	t.Run("a port in use: Bind failed with the system's error number, exit 1", func(t *testing.T) {
		taken := tcptest.Listen(t)
		res := tcptest.Run(t, "-addr", taken.Addr().String())
		assert.Equal(t, 1, res.Code)
		want := fmt.Sprintf("Socket created\nBind failed. Error Code : %d Message %s\n", tcptest.AddrInUse, tcptest.AddrInUse)
		assert.Equal(t, want, res.Stdout)
		assert.Empty(t, res.Stderr)
	})

	for _, addr := range []string{"nope", ":99999", "1.2.3.4.5:80"} {
		t.Run("bad -addr "+addr+": one line on stderr, exit 2", func(t *testing.T) {
			res := tcptest.Run(t, "-addr", addr)
			assert.Equal(t, 2, res.Code)
			assert.Empty(t, res.Stdout)
			assert.Regexp(t, `^bad -addr: [^\n]+\n$`, res.Stderr)
		})
	}
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
