package wire

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// closedPort returns the address of a loopback port that nothing listens
// on: one the system gave a listener, which is closed again.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// resetByServer returns a client whose server has reset the connection
// (SO_LINGER 0), and the error of the client's read that saw the reset.
func resetByServer(t *testing.T) (net.Conn, error) {
	t.Helper()
	c, s := pair(t)
	require.NoError(t, Reset(s))
	got, err := ReadToEnd(c)
	require.Empty(t, got)
	return c, err
}

func TestIsRefused(t *testing.T) {
	t.Run("a dial to a port nobody listens on is refused", func(t *testing.T) {
		_, err := Dial(closedPort(t), timeout)
		require.Error(t, err)
		assert.True(t, IsRefused(err), "%v", err)
		assert.False(t, IsReset(err), "%v", err)
		assert.False(t, IsTimeout(err), "%v", err)
	})
	t.Run("a reset and an EOF are not refusals", func(t *testing.T) {
		_, err := resetByServer(t)
		assert.False(t, IsRefused(err), "%v", err)
		assert.False(t, IsRefused(io.EOF))
		assert.False(t, IsRefused(nil))
	})
}

func TestIsReset(t *testing.T) {
	t.Run("the server resets: the client's read sees a reset, not EOF", func(t *testing.T) {
		_, err := resetByServer(t)
		require.Error(t, err)
		assert.True(t, IsReset(err), "%v", err)
		assert.NotErrorIs(t, err, io.EOF)
		assert.False(t, IsTimeout(err), "%v", err)
	})
	t.Run("once the reset is read, a write is a reset too (EPIPE on Linux)", func(t *testing.T) {
		c, _ := resetByServer(t)
		err := Send(c, "anyone?")
		require.Error(t, err)
		assert.True(t, IsReset(err), "%v", err)
	})
	t.Run("the server closes: EOF, not a reset", func(t *testing.T) {
		c, s := pair(t)
		require.NoError(t, s.Close())
		_, err := ReadToEnd(c)
		assert.ErrorIs(t, err, io.EOF)
		assert.False(t, IsReset(err), "%v", err)
		assert.False(t, IsReset(nil))
	})
}

// Each error number of the system's decided set, as the net package wraps
// it, is what it says; the other set's numbers, and others, are not.
func TestErrnoSets(t *testing.T) {
	wrap := func(errno syscall.Errno) error {
		return &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", errno)}
	}
	for _, errno := range refusedErrnos {
		assert.True(t, IsRefused(wrap(errno)), "%d %v", errno, errno)
		assert.False(t, IsReset(wrap(errno)), "%d %v", errno, errno)
	}
	for _, errno := range resetErrnos {
		assert.True(t, IsReset(wrap(errno)), "%d %v", errno, errno)
		assert.False(t, IsRefused(wrap(errno)), "%d %v", errno, errno)
	}
	for _, errno := range otherErrnos {
		assert.False(t, IsReset(wrap(errno)), "%d %v", errno, errno)
		assert.False(t, IsRefused(wrap(errno)), "%d %v", errno, errno)
	}
	assert.ElementsMatch(t, wantRefused, refusedErrnos)
	assert.ElementsMatch(t, wantReset, resetErrnos)
}

func TestIsTimeout(t *testing.T) {
	t.Run("a read that reaches its deadline", func(t *testing.T) {
		c, _ := pair(t)
		require.NoError(t, c.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
		_, err := c.Read(make([]byte, 1))
		assert.True(t, IsTimeout(err), "%v", err)
		assert.False(t, IsReset(err), "%v", err)
		assert.False(t, IsRefused(err), "%v", err)
	})
	t.Run("EOF and nil are not timeouts", func(t *testing.T) {
		assert.False(t, IsTimeout(io.EOF))
		assert.False(t, IsTimeout(nil))
	})
}

func TestEndWords(t *testing.T) {
	_, reset := resetByServer(t)
	_, refused := Dial(closedPort(t), timeout)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, "the connection stays open"},
		{io.EOF, "EOF: the server closed the connection"},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), "EOF: the server closed the connection"},
		{&Error{Op: "wait for the end", Err: os.ErrDeadlineExceeded}, "nothing more: the connection stays open"},
		{reset, "a reset: the server closed the connection without reading everything, or crashed"},
		{refused, Reason(refused).Error()},
		{errors.New("something else"), "something else"},
	} {
		assert.Equal(t, tc.want, EndWords(tc.err), "%v", tc.err)
	}
}

func TestReason(t *testing.T) {
	t.Run("a refused dial: the system's words, without the address", func(t *testing.T) {
		addr := closedPort(t)
		_, err := Dial(addr, timeout)
		require.Error(t, err)
		assert.Contains(t, err.Error(), addr)
		reason := Reason(err)
		assert.True(t, IsRefused(reason), "%v", reason)
		assert.NotContains(t, reason.Error(), addr)
		assert.False(t, strings.HasPrefix(reason.Error(), "dial"), "%v", reason)
	})
	t.Run("an error from elsewhere is itself", func(t *testing.T) {
		err := errors.New("bad -addr")
		assert.Equal(t, err, Reason(err))
		inner := &net.AddrError{Err: "missing port in address", Addr: "nope"}
		assert.Equal(t, error(inner), Reason(&net.OpError{Op: "dial", Err: inner}))
	})
}

func TestDialError(t *testing.T) {
	t.Run("a failed dial names the address once", func(t *testing.T) {
		addr := closedPort(t)
		_, err := Dial(addr, timeout)
		require.Error(t, err)
		assert.Equal(t, 1, strings.Count(err.Error(), addr), "%v", err)
		assert.True(t, strings.HasPrefix(err.Error(), "dial tcp "+addr+": "), "%v", err)
	})
}
