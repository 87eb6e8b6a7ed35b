package wire

import (
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const timeout = 10 * time.Second

// pair returns a client connected to a server on loopback, and the server's
// end of the connection.
func pair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	client, err = Dial(l.Addr().String(), timeout)
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	require.NoError(t, l.(*net.TCPListener).SetDeadline(time.Now().Add(timeout)))
	server, err = l.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { server.Close() })
	require.NoError(t, server.SetDeadline(time.Now().Add(timeout)))
	return client, server
}

func TestExpect(t *testing.T) {
	t.Run("the bytes wanted, in two pieces: no error", func(t *testing.T) {
		c, s := pair(t)
		go func() { s.Write([]byte("OK...")); s.Write([]byte("hi\r\n")) }()
		assert.NoError(t, Expect(c, "OK...hi\r\n"))
	})
	t.Run("other bytes: both quoted", func(t *testing.T) {
		c, s := pair(t)
		go s.Write([]byte("hello"))
		assert.EqualError(t, Expect(c, "OK..."), `read "hello"; want "OK..."`)
	})
	t.Run("the server closes early: what came, and EOF", func(t *testing.T) {
		c, s := pair(t)
		s.Write([]byte("OK"))
		s.Close()
		err := Expect(c, "OK...")
		assert.EqualError(t, err, `read "OK": unexpected EOF; want "OK..."`)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	})
}

func TestExpectSilence(t *testing.T) {
	t.Run("nothing comes: no error", func(t *testing.T) {
		c, _ := pair(t)
		assert.NoError(t, ExpectSilence(c, 50*time.Millisecond, timeout))
	})
	t.Run("a byte comes: quoted", func(t *testing.T) {
		c, s := pair(t)
		s.Write([]byte("x"))
		assert.EqualError(t, ExpectSilence(c, timeout, timeout), `read "x"; want nothing for 10s`)
	})
	t.Run("the server closes: EOF", func(t *testing.T) {
		c, s := pair(t)
		s.Close()
		assert.ErrorIs(t, ExpectSilence(c, timeout, timeout), io.EOF)
	})
}

func TestExpectEnd(t *testing.T) {
	t.Run("the server closes: no error", func(t *testing.T) {
		c, s := pair(t)
		s.Close()
		assert.NoError(t, ExpectEnd(c))
	})
	t.Run("bytes before the close: quoted", func(t *testing.T) {
		c, s := pair(t)
		s.Write([]byte("extra"))
		s.Close()
		assert.EqualError(t, ExpectEnd(c), `read "extra"; want nothing more`)
	})
	t.Run("the connection stays open: a timeout", func(t *testing.T) {
		c, _ := pair(t)
		require.NoError(t, c.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
		assert.ErrorIs(t, ExpectEnd(c), os.ErrDeadlineExceeded)
	})
	t.Run("the client resets: the server reads an error, not EOF", func(t *testing.T) {
		c, s := pair(t)
		require.NoError(t, Reset(c))
		_, err := ReadToEnd(s)
		assert.Error(t, err)
		assert.NotErrorIs(t, err, io.EOF)
	})
}

func TestCloseWrite(t *testing.T) {
	t.Run("the server reads EOF, and the client still reads its reply and its close", func(t *testing.T) {
		c, s := pair(t)
		require.NoError(t, Send(c, "hi"))
		require.NoError(t, CloseWrite(c))
		got, err := ReadToEnd(s)
		assert.Equal(t, "hi", got)
		require.ErrorIs(t, err, io.EOF, "the server's read after the client's half-close")
		require.NoError(t, Send(s, "bye"))
		require.NoError(t, s.Close())
		got, err = ReadToEnd(c)
		assert.Equal(t, "bye", got)
		assert.ErrorIs(t, err, io.EOF)
	})
	t.Run("a connection that cannot half-close: an error, and it stays open", func(t *testing.T) {
		c, s := net.Pipe()
		t.Cleanup(func() { c.Close(); s.Close() })
		require.NoError(t, c.SetDeadline(time.Now().Add(timeout)))
		require.NoError(t, s.SetDeadline(time.Now().Add(timeout)))
		assert.ErrorIs(t, CloseWrite(c), errors.ErrUnsupported)
		go s.Write([]byte("x"))
		assert.NoError(t, Expect(c, "x"))
	})
}
