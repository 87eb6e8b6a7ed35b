// Package tcptest holds what the stages' tests share: listeners and clients
// on loopback with a deadline on every blocking call, and reads that show
// something happened (or did not).
//
// Nothing here is part of a stage: each stage's main.go uses the standard
// library only. The helpers exist so that a stage's main_test.go reads like
// the lesson it proves.
package tcptest

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"socketcourse/internal/wire"
)

// Timeout bounds every blocking call that is expected to succeed: a dial, a
// read of a reply, the exit of a program. It is generous because a loaded
// machine running tests with -race can be slow; a passing test never waits
// for it.
const Timeout = 10 * time.Second

// Quiet is how long a test reads to show that nothing arrives. Reads that
// expect silence end with os.ErrDeadlineExceeded after this long, so a
// test that shows a limitation costs this much time, and no more.
const Quiet = 300 * time.Millisecond

// Listen returns a listener on an ephemeral loopback port, closed when the
// test ends, like the newLocalListener helper of Go's own net tests.
func Listen(t testing.TB) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

// Dial connects to addr as a client does, with a deadline for the dial and
// for every later read and write on the connection. The connection is
// closed when the test ends.
func Dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	c, err := wire.Dial(addr, Timeout)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// Send writes s to c.
func Send(t testing.TB, c net.Conn, s string) {
	t.Helper()
	require.NoError(t, wire.Send(c, s))
}

// Expect reads exactly len(want) bytes from c and checks they are want.
// TCP is a byte stream: a reply may arrive in several pieces, so it reads
// until it has them all (io.ReadFull), within the connection's deadline.
func Expect(t testing.TB, c net.Conn, want string) {
	t.Helper()
	require.NoError(t, wire.Expect(c, want))
}

// ReadToEnd reads from c until the server ends the connection and returns
// what arrived and how the stream ended: io.EOF when the server closed
// cleanly, a reset error when it closed with data it had not read.
func ReadToEnd(t testing.TB, c net.Conn) (string, error) {
	t.Helper()
	got, err := wire.ReadToEnd(c)
	var timedOut *wire.Error
	require.False(t, errors.As(err, &timedOut), "%v", err)
	return got, err
}

// ExpectEnd reads from c until the server ends the connection and checks
// that nothing arrived. The end may be a close (EOF) or a reset (the
// server closed with bytes it had not read); it fails the test if the
// connection is still open after Timeout.
func ExpectEnd(t testing.TB, c net.Conn) {
	t.Helper()
	require.NoError(t, wire.ExpectEnd(c))
}

// ExpectSilence reads from c for Quiet and checks that nothing arrives and
// the connection stays open: the read ends at its deadline, not with EOF.
// The connection's deadline is set back to Timeout afterwards.
func ExpectSilence(t testing.TB, c net.Conn) {
	t.Helper()
	require.NoError(t, wire.ExpectSilence(c, Quiet, Timeout))
}

// Reset closes c so that the peer sees a reset (RST) instead of an orderly
// close (FIN): SO_LINGER with a zero timeout, what a crashing client or a
// dropped network link looks like to the server.
func Reset(t testing.TB, c net.Conn) {
	t.Helper()
	require.NoError(t, wire.Reset(c))
}

// IsRefused reports whether err says the peer refused the connection: an
// RST in answer to the SYN, because nothing listens on that port (see
// wire.IsRefused).
func IsRefused(err error) bool { return wire.IsRefused(err) }

// IsReset reports whether err says the peer reset the connection (see
// wire.IsReset).
func IsReset(err error) bool { return wire.IsReset(err) }

// Receive waits for a value on ch, at most Timeout.
func Receive[T any](t testing.TB, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(Timeout):
		t.Fatalf("nothing received within %v", Timeout)
		panic("unreachable")
	}
}
