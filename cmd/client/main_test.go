package main

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/tcptest"
)

// result is how run ended, and what it printed.
type result struct {
	code           int
	stdout, stderr string
}

// client runs the client against addr with stdin, in a goroutine, and
// returns a channel that receives its result. stdout is where it prints.
func client(addr string, wait time.Duration, stdin io.Reader, stdout *tcptest.Output) <-chan result {
	done := make(chan result, 1)
	go func() {
		var stderr tcptest.Output
		code := run(addr, wait, stdin, stdout, &stderr)
		done <- result{code, stdout.String(), stderr.String()}
	}()
	return done
}

// accept accepts one connection on l, with a deadline, and closes it when
// the test ends.
func accept(t *testing.T, l net.Listener) net.Conn {
	t.Helper()
	require.NoError(t, l.(*net.TCPListener).SetDeadline(time.Now().Add(tcptest.Timeout)))
	c, err := l.Accept()
	require.NoError(t, err)
	require.NoError(t, c.SetDeadline(time.Now().Add(tcptest.Timeout)))
	t.Cleanup(func() { c.Close() })
	return c
}

func TestClient(t *testing.T) {
	t.Run("prints what the server sends and sends each line with \\r\\n", func(t *testing.T) {
		l := tcptest.Listen(t)
		var out tcptest.Output
		done := client(l.Addr().String(), tcptest.Timeout, strings.NewReader("hi\nasd\r\n"), &out)

		// A server like 06-goroutines, that answers line by line.
		c := accept(t, l)
		tcptest.Send(t, c, "Welcome\n")
		r := bufio.NewReader(c)
		var got []string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				break // the client's half-close: end of its input
			}
			got = append(got, line)
			tcptest.Send(t, c, "OK..."+line)
		}
		require.NoError(t, c.Close())

		res := tcptest.Receive(t, done)
		assert.Equal(t, []string{"hi\r\n", "asd\r\n"}, got)
		assert.Equal(t, 0, res.code)
		assert.Equal(t, "Welcome\nOK...hi\r\nOK...asd\r\nConnection closed by foreign host.\n", res.stdout)
		assert.Empty(t, res.stderr)
	})

	t.Run("at the end of input it half-closes and waits for the server to finish", func(t *testing.T) {
		l := tcptest.Listen(t)
		var out tcptest.Output
		done := client(l.Addr().String(), tcptest.Timeout, strings.NewReader("one\n"), &out)

		// This server answers only once the client has finished sending.
		c := accept(t, l)
		got, err := io.ReadAll(c)
		require.NoError(t, err)
		tcptest.Send(t, c, "read "+string(got))
		require.NoError(t, c.Close())

		res := tcptest.Receive(t, done)
		assert.Equal(t, 0, res.code)
		assert.Equal(t, "read one\r\nConnection closed by foreign host.\n", res.stdout)
	})

	t.Run("when the server closes first it says so and exits with 0", func(t *testing.T) {
		l := tcptest.Listen(t)
		stdin, typing := io.Pipe() // input that has not ended
		t.Cleanup(func() { typing.Close() })
		var out tcptest.Output
		done := client(l.Addr().String(), tcptest.Timeout, stdin, &out)

		c := accept(t, l)
		tcptest.Send(t, c, "bye\n")
		require.NoError(t, c.Close())

		res := tcptest.Receive(t, done)
		assert.Equal(t, 0, res.code)
		assert.Equal(t, "bye\nConnection closed by foreign host.\n", res.stdout)
	})

	t.Run("a server that never closes: it gives up after -wait, exit 1", func(t *testing.T) {
		l := tcptest.Listen(t)
		var out tcptest.Output
		done := client(l.Addr().String(), tcptest.Quiet, strings.NewReader(""), &out)
		accept(t, l) // and say nothing, ever

		res := tcptest.Receive(t, done)
		assert.Equal(t, 1, res.code)
		assert.Regexp(t, `^client: the server did not close the connection within \S+ of the end of input\n$`, res.stderr)
	})

	t.Run("a refused connection: one line on stderr, exit 1", func(t *testing.T) {
		l := tcptest.Listen(t)
		addr := l.Addr().String()
		require.NoError(t, l.Close()) // nobody listens there now
		var out tcptest.Output
		res := tcptest.Receive(t, client(addr, tcptest.Timeout, strings.NewReader("hi\n"), &out))
		assert.Equal(t, 1, res.code)
		assert.Empty(t, res.stdout)
		assert.Regexp(t, `^client: cannot connect to `+addr+`: [^\n]+\n$`, res.stderr)
	})

	t.Run("a bad -addr: one line on stderr, exit 2", func(t *testing.T) {
		var out tcptest.Output
		res := tcptest.Receive(t, client("nope", tcptest.Timeout, strings.NewReader(""), &out))
		assert.Equal(t, 2, res.code)
		assert.Equal(t, "client: bad -addr: address nope: missing port in address\n", res.stderr)
	})
}

// terminal plays a learner at a terminal running the client: what they type
// appears on the screen (the terminal echoes it) and goes to the client's
// input; what the client prints appears after it.
type terminal struct {
	t      *testing.T
	screen tcptest.Output
	keys   *io.PipeWriter
	done   <-chan result
}

func startTerminal(t *testing.T, command, addr string) *terminal {
	stdin, keys := io.Pipe()
	t.Cleanup(func() { keys.Close() })
	term := &terminal{t: t, keys: keys}
	term.screen.Write([]byte("$ " + command + "\n"))
	term.done = client(addr, tcptest.Timeout, stdin, &term.screen)
	return term
}

// typeLine types line and Enter, then waits for the screen to show a line
// starting with reply.
func (term *terminal) typeLine(line, reply string) {
	term.t.Helper()
	term.screen.Write([]byte(line + "\n"))
	_, err := io.WriteString(term.keys, line+"\n")
	require.NoError(term.t, err)
	term.screen.WaitFor(term.t, reply)
}

// shown is what the screen shows: a terminal moves to the next line on
// "\r\n" as on "\n".
func (term *terminal) shown() string {
	return strings.ReplaceAll(term.screen.String(), "\r\n", "\n")
}

// The transcripts the course's pages show: the client against the real
// 04-echo-once and 06-goroutines, typed at as a learner would, then Ctrl-D.
func TestTranscripts(t *testing.T) {
	t.Run("04-echo-once", func(t *testing.T) {
		p := tcptest.Stage(t, "04-echo-once", "-addr", "127.0.0.1:0")
		term := startTerminal(t, "go run ./cmd/client", p.Addr(t))
		term.typeLine("happy", "happy")
		res := tcptest.Receive(t, term.done) // the server hung up
		require.Equal(t, 0, res.code, res.stderr)
		tcptest.Golden(t, "04-echo-once.golden", term.shown())
	})
	t.Run("06-goroutines", func(t *testing.T) {
		p := tcptest.Stage(t, "06-goroutines", "-addr", "127.0.0.1:0")
		term := startTerminal(t, "go run ./cmd/client", p.Addr(t))
		term.screen.WaitFor(t, "Welcome")
		term.typeLine("hi", "OK...hi")
		term.typeLine("asd", "OK...asd")
		require.NoError(t, term.keys.Close()) // Ctrl-D
		res := tcptest.Receive(t, term.done)
		require.Equal(t, 0, res.code, res.stderr)
		tcptest.Golden(t, "06-goroutines.golden", term.shown())
	})
}
