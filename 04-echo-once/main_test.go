package main

import (
	"fmt"
	"net"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/tcptest"
)

func TestMain(m *testing.M) {
	tcptest.RunMain(main)
	os.Exit(m.Run())
}

// The scenario that 03-accept fails, fixed here: the program reads what
// the client sends and sends it back.
func TestClientGetsNothing(t *testing.T) {
	t.Run("a client that sends a line gets it back", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
		c := tcptest.Dial(t, s.Addr)
		tcptest.Send(t, c, "hello\r\n")
		tcptest.Expect(t, c, "hello\r\n")
		tcptest.ExpectEnd(t, c)
	})
}

// Limitation, fixed by 06-goroutines: the program reads once, answers
// once, and hangs up. A second message on the same connection finds
// nobody reading it.
func TestSecondMessage(t *testing.T) {
	t.Run("a second message on the same connection gets no reply", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
		c := tcptest.Dial(t, s.Addr)
		tcptest.Send(t, c, "one\r\n")
		tcptest.Expect(t, c, "one\r\n")
		c.Write([]byte("two\r\n")) // May fail, the server has hung up: ignored on purpose.
		tcptest.ExpectEnd(t, c)
	})
}

// Limitation, fixed by 05-loop: the program serves one client and exits,
// so the next client finds nobody listening and is refused.
func TestSecondClient(t *testing.T) {
	t.Run("a second client is refused: the program has exited", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		first := tcptest.Dial(t, addr)
		tcptest.Send(t, first, "one\r\n")
		tcptest.Expect(t, first, "one\r\n")
		require.Equal(t, 0, p.Wait(t).Code)

		_, err := net.DialTimeout("tcp", addr, tcptest.Timeout)
		assert.True(t, tcptest.IsRefused(err), "second client: dial %s: %v; want connection refused", addr, err)
	})
}

func TestProgram(t *testing.T) {
	t.Run("prints the article's lines, echoes once, and exits with 0", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		c := tcptest.Dial(t, addr)
		tcptest.Send(t, c, "happy\r\n")
		tcptest.Expect(t, c, "happy\r\n")
		tcptest.ExpectEnd(t, c)
		res := p.Wait(t)
		assert.Equal(t, 0, res.Code)
		want := fmt.Sprintf("Socket created\nSocket bind complete\nBound to %s\nSocket now listening\nConnected with %s\n", addr, c.LocalAddr())
		assert.Equal(t, want, res.Stdout)
		assert.Empty(t, res.Stderr)
	})

	tcptest.CommonFailures(t)
}

// The transcripts the course's pages show, from the real program; see
// tcptest.Golden.
func TestTranscripts(t *testing.T) {
	p := tcptest.Start(t, "-addr", "127.0.0.1:0")
	addr := p.Addr(t)
	tn := tcptest.NewTelnet(t, addr)
	tn.Type("happy")
	tn.ReadLine()
	tn.ExpectClosed()
	res := p.Wait(t)
	tcptest.Golden(t, "telnet.golden", tn.Screen())
	tcptest.Golden(t, "server.golden", "$ go run ./04-echo-once\n"+tcptest.Normalize(res.Stdout, addr))
}
