package tcptest

import (
	"io"
	"net"
	"testing"
)

// Server is a stage's serve function running inside the test, on a
// listener on an ephemeral loopback port, printing to Out.
type Server struct {
	Addr string // where clients connect
	Out  Output // what the server printed
	l    net.Listener
	done chan error // receives what serve returned
}

// Serve runs serve(l, &s.Out) in a goroutine, the way the stage's main
// would after listening. When the test ends, the listener is closed and
// the test waits for serve to return.
func Serve(t testing.TB, serve func(net.Listener, io.Writer) error) *Server {
	t.Helper()
	s := &Server{l: Listen(t), done: make(chan error, 1)}
	s.Addr = s.l.Addr().String()
	go func() { s.done <- serve(s.l, &s.Out) }()
	t.Cleanup(func() {
		s.l.Close()
		Receive(t, s.done)
	})
	return s
}

// Wait waits for serve to return, at most Timeout, and returns its error.
func (s *Server) Wait(t testing.TB) error {
	t.Helper()
	err := Receive(t, s.done)
	s.done <- err // for the cleanup, which waits too
	return err
}

// Close closes the listener, as a program's main does on its way out.
func (s *Server) Close() error { return s.l.Close() }
