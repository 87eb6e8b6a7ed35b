package tcptest

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/wire"
)

// CloseWrite closes c's sending side only, as `nc -N` and the course's
// client do when their input ends: the server reads EOF, and c can still
// read what the server sends until the server closes too.
func CloseWrite(t testing.TB, c net.Conn) {
	t.Helper()
	require.NoError(t, wire.CloseWrite(c))
}

// ExpectThenClose reads from c until the server ends the connection, and
// checks that exactly want arrived and that the end was an orderly close
// (EOF): not a reset, and not a connection left open (ReadToEnd fails the
// test after Timeout).
func ExpectThenClose(t testing.TB, c net.Conn, want string) {
	t.Helper()
	got, err := ReadToEnd(t, c)
	assert.Equal(t, want, got, "read %q; want %q then the server's close", got, want)
	assert.ErrorIs(t, err, io.EOF, "after %q: want the server's close (EOF)", got)
}

// PipeServer is a stage's serve function running inside the test, as
// Serve's Server is, with one client: the other end of a net.Pipe.
type PipeServer struct {
	*Server
	Client net.Conn
	l      *pipeListener
}

// ServePipe runs serve as Serve does, but on a listener whose one client
// is the other end of a net.Pipe (Client); after that client, Accept waits
// until the test ends. A pipe has no buffer: a write waits until the other
// end has read it, and fails once the other end is closed. That lets a
// test make the server's write fail at a known moment, which over TCP only
// a client's reset does, at a moment nobody controls.
func ServePipe(t testing.TB, serve func(net.Listener, io.Writer) error) *PipeServer {
	t.Helper()
	client, conn := net.Pipe()
	require.NoError(t, client.SetDeadline(time.Now().Add(Timeout)))
	t.Cleanup(func() { client.Close() })
	l := &pipeListener{conns: make(chan net.Conn, 1), closed: make(chan struct{}), again: make(chan struct{})}
	l.conns <- conn
	s := &PipeServer{Server: &Server{Addr: "pipe", l: l, done: make(chan error, 1)}, Client: client, l: l}
	go func() { s.done <- serve(l, &s.Out) }()
	t.Cleanup(func() {
		l.Close()
		Receive(t, s.done)
	})
	return s
}

// WaitAccept waits until serve calls Accept again after its one client:
// the server is done with that client.
func (s *PipeServer) WaitAccept(t testing.TB) {
	t.Helper()
	Receive(t, s.l.again)
}

// pipeListener hands out the connections in conns, then waits for Close.
type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
	again  chan struct{} // closed when Accept finds conns empty
	empty  sync.Once
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	default:
	}
	l.empty.Do(func() { close(l.again) })
	<-l.closed
	return nil, net.ErrClosed
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }
