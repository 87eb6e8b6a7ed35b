package wire

import (
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listen returns a loopback listener whose Accept gives up after timeout,
// closed when the test ends.
func listen(t *testing.T) *net.TCPListener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	tl := l.(*net.TCPListener)
	require.NoError(t, tl.SetDeadline(time.Now().Add(timeout)))
	return tl
}

// welcomeAll accepts clients and sends each "hi\n" at once, until the
// listener is closed or times out, and closes them when the test ends.
func welcomeAll(t *testing.T, l net.Listener) {
	t.Helper()
	done := make(chan []net.Conn, 1)
	go func() {
		var conns []net.Conn
		for {
			c, err := l.Accept()
			if err != nil {
				done <- conns
				return
			}
			conns = append(conns, c)
			c.SetDeadline(time.Now().Add(timeout)) // Cannot fail on a new connection.
			c.Write([]byte("hi\n"))                // The client says if this failed.
		}
	}()
	t.Cleanup(func() {
		l.Close()
		for _, c := range receive(t, done) {
			c.Close()
		}
	})
}

// receive waits at most timeout for a value on ch.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(timeout):
		t.Fatalf("nothing received within %v", timeout)
		panic("unreachable")
	}
}

// closeAll closes conns when the test ends.
func closeAll(t *testing.T, conns []net.Conn) {
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
}

func welcomed(_ int, c net.Conn) error { return Expect(c, "hi\n") }

func TestDialCrowd(t *testing.T) {
	t.Run("50 clients in waves of 10: all connected, never more than 10 on their way in", func(t *testing.T) {
		const n, wave = 50, 10
		// The server welcomes no one until 10 have connected; then it
		// watches for window that no 11th connects, and welcomes the 10.
		// The window is the test's own: it shows that nothing happens.
		const window = 100 * time.Millisecond
		l := listen(t)
		served := make(chan error, 1)
		go func() {
			var all, waiting []net.Conn
			defer func() {
				for _, c := range all {
					c.Close() // The clients have the welcome in their buffers already.
				}
			}()
			for len(all) < n {
				c, err := l.Accept()
				if err != nil {
					served <- fmt.Errorf("after %d clients: %w", len(all), err)
					return
				}
				all, waiting = append(all, c), append(waiting, c)
				if len(waiting) < wave {
					continue
				}
				l.SetDeadline(time.Now().Add(window))
				if extra, err := l.Accept(); err == nil {
					extra.Close()
					served <- fmt.Errorf("client %d connected while %d were waiting for their welcome", len(all)+1, wave)
					return
				}
				l.SetDeadline(time.Now().Add(timeout))
				for _, w := range waiting {
					w.Write([]byte("hi\n")) // The client says if this failed.
				}
				waiting = nil
			}
			served <- nil
		}()
		conns, err := DialCrowd(l.Addr().String(), n, wave, timeout, welcomed)
		closeAll(t, conns)
		require.NoError(t, err)
		assert.Len(t, conns, n)
		require.NoError(t, receive(t, served))
	})

	t.Run("each connection has the deadline it was given", func(t *testing.T) {
		const deadline = 500 * time.Millisecond
		l := listen(t)
		welcomeAll(t, l)
		conns, err := DialCrowd(l.Addr().String(), 3, 0, deadline, welcomed)
		closeAll(t, conns)
		require.NoError(t, err)
		require.Len(t, conns, 3)
		for _, c := range conns {
			read := make(chan error, 1)
			go func() {
				_, err := c.Read(make([]byte, 1))
				read <- err
			}()
			select {
			case err := <-read:
				assert.True(t, IsTimeout(err), "%v", err)
			case <-time.After(timeout):
				c.Close()
				t.Fatalf("a read was still waiting after %v: the connection has no deadline", timeout)
			}
		}
	})

	t.Run("nobody listens: no connection, and the first refusal", func(t *testing.T) {
		conns, err := DialCrowd(closedPort(t), 50, 10, timeout, welcomed)
		closeAll(t, conns)
		assert.Empty(t, conns)
		require.Error(t, err)
		assert.True(t, IsRefused(err), "%v", err)
		assert.Regexp(t, `^client \d+ of 50: dial tcp `, err.Error())
	})

	t.Run("a client that fails to arrive stops the crowd: nobody sets out after it", func(t *testing.T) {
		const n, wave, failing = 50, 10, 12
		l := listen(t)
		welcomeAll(t, l)
		refused := errors.New("not the welcome wanted")
		failed := make(chan struct{})
		// Clients 1 to 11 arrive; 12 fails; those after it wait until it
		// has failed, so that when it does, 13 to 21 at most are on
		// their way in. Between its arrive returning and its error being
		// recorded, those may arrive and make room for one more wave at
		// most (seen once in 20 runs under -race on a busy machine); a
		// crowd that did not stop would send all 50.
		conns, err := DialCrowd(l.Addr().String(), n, wave, timeout, func(i int, c net.Conn) error {
			switch {
			case i+1 == failing:
				close(failed)
				return refused
			case i+1 > failing:
				select {
				case <-failed:
				case <-time.After(timeout):
					return errors.New("client 12 never failed")
				}
			}
			return welcomed(i, c)
		})
		closeAll(t, conns)
		require.ErrorIs(t, err, refused)
		assert.EqualError(t, err, "client 12 of 50: not the welcome wanted")
		assert.GreaterOrEqual(t, len(conns), failing, "the clients up to the one that failed are connected")
		assert.LessOrEqual(t, len(conns), failing+2*wave-1, "clients set out after the failure")
	})
}

func TestCrowd(t *testing.T) {
	t.Run("Dial connects one client at a time, as Dial does", func(t *testing.T) {
		l := listen(t)
		welcomeAll(t, l)
		crowd := NewCrowd(l.Addr().String(), 1, timeout)
		for i := 0; i < 3; i++ {
			c, err := crowd.Dial()
			require.NoError(t, err)
			closeAll(t, []net.Conn{c})
			assert.NoError(t, Expect(c, "hi\n"))
		}
	})
	t.Run("Dial waits while a wave is on its way in", func(t *testing.T) {
		l := listen(t)
		crowd := NewCrowd(l.Addr().String(), 1, timeout)
		crowd.take() // the one place is taken, as by a client on its way in
		dialed := make(chan error, 1)
		go func() {
			c, err := crowd.Dial()
			if err == nil {
				c.Close()
			}
			dialed <- err
		}()
		// Nothing connects for a while (the window is the test's own: it
		// shows that nothing happens); once the place is given back, the
		// client does.
		require.NoError(t, l.SetDeadline(time.Now().Add(100*time.Millisecond)))
		if c, err := l.Accept(); err == nil {
			c.Close()
			t.Fatal("a client connected while the wave was full")
		}
		crowd.give()
		require.NoError(t, l.SetDeadline(time.Now().Add(timeout)))
		c, err := l.Accept()
		require.NoError(t, err)
		c.Close()
		assert.NoError(t, receive(t, dialed))
	})
	t.Run("many at once, through a wave of 2: every one connects", func(t *testing.T) {
		l := listen(t)
		welcomeAll(t, l)
		crowd := NewCrowd(l.Addr().String(), 2, timeout)
		errs := make(chan error, 20)
		for i := 0; i < 20; i++ {
			go func() {
				c, err := crowd.Dial()
				if err == nil {
					err = Expect(c, "hi\n")
					c.Close()
				}
				errs <- err
			}()
		}
		for i := 0; i < 20; i++ {
			assert.NoError(t, receive(t, errs))
		}
	})
	t.Run("nobody listens: refused", func(t *testing.T) {
		_, err := NewCrowd(closedPort(t), 0, timeout).Dial()
		assert.True(t, IsRefused(err), "%v", err)
	})
}
