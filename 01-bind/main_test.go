package main

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/tcptest"
)

func TestMain(m *testing.M) {
	tcptest.RunMain(main)
	os.Exit(m.Run())
}

// pauseAt is an io.Writer for run's output that stops the program at the
// first line starting with prefix: it hands that line to the test and waits
// until the test says go on. The program is then paused exactly where it
// printed the line.
type pauseAt struct {
	prefix string
	paused chan string   // receives the line
	resume chan struct{} // closed by the test
}

func (w *pauseAt) Write(p []byte) (int, error) {
	if line := string(p); strings.HasPrefix(line, w.prefix) {
		w.paused <- strings.TrimSpace(line)
		<-w.resume
	}
	return len(p), nil
}

// Limitation, fixed by 02-listen: a socket that is bound but not listening
// accepts nobody. The kernel answers a client's SYN with a reset, so the
// connect is refused, exactly as if no program had the port.
func TestBoundButNotListening(t *testing.T) {
	t.Run("a client's connect is refused", func(t *testing.T) {
		out := &pauseAt{prefix: "Bound to ", paused: make(chan string), resume: make(chan struct{})}
		exit := make(chan int, 1)
		go func() { exit <- run("127.0.0.1:0", out) }()

		// run has bound the socket and waits, before it could call listen.
		addr := strings.TrimPrefix(tcptest.Receive(t, out.paused), "Bound to ")

		_, err := net.DialTimeout("tcp", addr, tcptest.Timeout)
		close(out.resume)
		require.Error(t, err, "connect to a bound socket that does not listen")
		assert.True(t, tcptest.IsRefused(err), "dial %s: %v; want connection refused", addr, err)
		assert.Equal(t, 0, tcptest.Receive(t, exit))
	})
}

// Not in the article, but it happens to its readers: a server that hangs
// up on a client first leaves its side of the connection in TIME_WAIT, on
// Linux for a minute. Until then a bind without SO_REUSEADDR, like this
// stage's and the article's, fails with "address already in use".
// net.Listen sets SO_REUSEADDR, so from 03-accept on the port binds at once.
func TestBindAfterTimeWait(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("measured on Linux; macOS and Windows apply other rules to TIME_WAIT and SO_REUSEADDR")
	}
	t.Run("a port a server has just hung up on cannot be bound without SO_REUSEADDR", func(t *testing.T) {
		// A server on a free port accepts a client and hangs up first.
		l := tcptest.Listen(t)
		c := tcptest.Dial(t, l.Addr().String())
		require.NoError(t, l.(*net.TCPListener).SetDeadline(time.Now().Add(tcptest.Timeout)))
		sc, err := l.Accept()
		require.NoError(t, err)
		require.NoError(t, sc.Close())
		tcptest.ExpectEnd(t, c)
		require.NoError(t, c.Close())
		require.NoError(t, l.Close())

		res := tcptest.Run(t, "-addr", l.Addr().String())
		assert.Equal(t, 1, res.Code)
		assert.Equal(t, "Socket created\nBind failed. Error Code : 98 Message address already in use\n", res.Stdout)

		again, err := net.Listen("tcp", l.Addr().String())
		require.NoError(t, err, "net.Listen, with SO_REUSEADDR")
		require.NoError(t, again.Close())
	})
}

func TestProgram(t *testing.T) {
	t.Run("prints the article's two lines and exits with 0", func(t *testing.T) {
		res := tcptest.Run(t, "-addr", "127.0.0.1:0")
		assert.Equal(t, 0, res.Code)
		// Bound to shows the port the system picked for port 0, not 0.
		assert.Regexp(t, `^Socket created\nSocket bind complete\nBound to 127\.0\.0\.1:[1-9]\d*\n$`, res.Stdout)
		assert.Empty(t, res.Stderr)
	})

	t.Run("a port below 1024 as an ordinary user: Bind failed, permission denied, exit 1", func(t *testing.T) {
		addr := tcptest.LowPort(t)
		res := tcptest.RunUnprivileged(t, "-addr", addr)
		assert.Equal(t, 1, res.Code)
		want := fmt.Sprintf("Socket created\nBind failed. Error Code : %d Message %s\n", syscall.EACCES, syscall.EACCES)
		assert.Equal(t, want, res.Stdout)
		assert.Empty(t, res.Stderr)
	})

	tcptest.CommonFailures(t)
}

// TestExitStatus makes the transcript that shows the program's own exit
// status: `go run` reports a status other than 0 as "exit status N" and
// then exits with 1 itself, so the pages build the program and ask the
// shell (echo $?) instead.
func TestExitStatus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the transcript shows Linux's error number and a Unix shell")
	}
	taken := tcptest.Listen(t)
	failed := tcptest.Run(t, "-addr", taken.Addr().String())
	require.Equal(t, 1, failed.Code, failed.Stdout)
	bad := tcptest.Run(t, "-addr", "nope")
	require.Equal(t, 2, bad.Code, bad.Stderr)
	tcptest.Golden(t, "exit-status.golden", "$ go build -o /tmp/01-bind ./01-bind\n"+
		"$ /tmp/01-bind; echo $?\n"+failed.Stdout+fmt.Sprintln(failed.Code)+
		"$ /tmp/01-bind -addr nope; echo $?\n"+bad.Stderr+fmt.Sprintln(bad.Code))
}

// The transcripts the course's pages show, from the real program; see
// tcptest.Golden. `go run` adds the last line, "exit status N", when the
// program exits with N other than 0.
func TestTranscripts(t *testing.T) {
	t.Run("run", func(t *testing.T) {
		res := tcptest.Run(t, "-addr", "127.0.0.1:0")
		addr := strings.TrimPrefix(strings.Split(res.Stdout, "\n")[2], "Bound to ")
		tcptest.Golden(t, "run.golden", "$ go run ./01-bind\n"+tcptest.Normalize(res.Stdout, addr))
	})
	t.Run("bind failed", func(t *testing.T) {
		if runtime.GOOS != "linux" {
			t.Skip("the transcript shows Linux's error number")
		}
		taken := tcptest.Listen(t)
		res := tcptest.Run(t, "-addr", taken.Addr().String())
		tcptest.Golden(t, "bind-failed.golden", "$ go run ./01-bind\n"+res.Stdout+"exit status 1\n")
	})
	t.Run("bad addr", func(t *testing.T) {
		res := tcptest.Run(t, "-addr", "nope")
		tcptest.Golden(t, "bad-addr.golden", "$ go run ./01-bind -addr nope\n"+res.Stderr+"exit status 2\n")
	})
}
