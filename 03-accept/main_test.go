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

// The scenario that 02-listen fails, fixed here: the program accepts the
// connection and learns who the client is.
func TestQueuedButNeverAccepted(t *testing.T) {
	t.Run("the connection is accepted and the server names the client", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
		c := tcptest.Dial(t, s.Addr)
		require.NoError(t, s.Wait(t))
		assert.Equal(t, "Connected with "+c.LocalAddr().String()+"\n", s.Out.String())
	})
}

// Limitation, fixed by 04-echo-once: the program hangs up without reading.
// A client that sends a line gets no byte back, only the end of the
// connection: a close (EOF), or a reset when the line had already arrived,
// because closing a socket with unread data makes the kernel send RST.
func TestClientGetsNothing(t *testing.T) {
	t.Run("a client that sends a line gets no byte back", func(t *testing.T) {
		s := tcptest.Serve(t, serve)
		c := tcptest.Dial(t, s.Addr)
		tcptest.Send(t, c, "hello\r\n")
		tcptest.ExpectEnd(t, c)
	})
}

// Limitation, fixed by 05-loop: the program serves one client and exits,
// so the next client finds nobody listening and is refused.
func TestSecondClient(t *testing.T) {
	t.Run("a second client is refused: the program has exited", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		tcptest.ExpectEnd(t, tcptest.Dial(t, addr))
		require.Equal(t, 0, p.Wait(t).Code)

		_, err := net.DialTimeout("tcp", addr, tcptest.Timeout)
		assert.True(t, tcptest.IsRefused(err), "second client: dial %s: %v; want connection refused", addr, err)
	})
}

func TestProgram(t *testing.T) {
	t.Run("prints the article's lines, names the client, and exits with 0", func(t *testing.T) {
		p := tcptest.Start(t, "-addr", "127.0.0.1:0")
		addr := p.Addr(t)
		c := tcptest.Dial(t, addr)
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
	tn.ExpectClosed()
	res := p.Wait(t)
	tcptest.Golden(t, "telnet.golden", tn.Screen())
	tcptest.Golden(t, "server.golden", "$ go run ./03-accept\n"+tcptest.Normalize(res.Stdout, addr))
}
