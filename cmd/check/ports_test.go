package main

import (
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A port that a server's closed connection still holds (TIME_WAIT) is
// not handed out: Python's bind, without SO_REUSEADDR, would fail on it.
func TestPortInTimeWaitNotUsable(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("TIME_WAIT is read from Linux's /proc/net/tcp")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	c, err := net.DialTimeout("tcp", l.Addr().String(), 5*time.Second)
	require.NoError(t, err)
	require.NoError(t, l.(*net.TCPListener).SetDeadline(time.Now().Add(5*time.Second)))
	s, err := l.Accept()
	require.NoError(t, err)
	require.NoError(t, l.Close())
	require.NoError(t, s.Close()) // the server closes first: its side waits
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = c.Read(make([]byte, 1))
	require.Error(t, err, "the client sees the close")
	require.NoError(t, c.Close())
	deadline := time.Now().Add(5 * time.Second)
	for !inTimeWait(port) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // the kernel's state, polled: nothing to wait on
	}
	require.True(t, inTimeWait(port), "the server's side is in TIME_WAIT")
	assert.ErrorContains(t, usable(port), "TIME_WAIT")

	free, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	other := free.Addr().(*net.TCPAddr).Port
	assert.Error(t, usable(other), "a port listened on")
	require.NoError(t, free.Close())
	assert.NoError(t, usable(other), "a port free")
}
