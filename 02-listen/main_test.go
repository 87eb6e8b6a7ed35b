package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/tcptest"
)

func TestMain(m *testing.M) {
	tcptest.RunMain(main)
	os.Exit(m.Run())
}

// start runs this stage's program on an ephemeral loopback port and returns
// it once it listens, with the address it is bound to.
func start(t *testing.T, args ...string) (*tcptest.Program, string) {
	t.Helper()
	p := tcptest.Start(t, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	addr := p.Addr(t)
	p.Stdout.WaitFor(t, "Socket now listening")
	return p, addr
}

// The scenario that 01-bind fails, fixed here: once the socket listens,
// the kernel completes a client's connect.
func TestBoundButNotListening(t *testing.T) {
	t.Run("a client's connect completes once the socket listens", func(t *testing.T) {
		_, addr := start(t)
		c := tcptest.Dial(t, addr)
		assert.Equal(t, addr, c.RemoteAddr().String())
	})
}

// Limitation, fixed by 03-accept: the kernel completes connections and
// queues them, but the program never accepts one. The client's connect
// succeeds, it can even send (the kernel buffers the bytes), but it never
// receives a byte, and the program never hears of it.
func TestQueuedButNeverAccepted(t *testing.T) {
	t.Run("the connect completes but the client never receives a byte", func(t *testing.T) {
		p, addr := start(t)
		c := tcptest.Dial(t, addr)
		tcptest.Send(t, c, "hello\r\n")
		tcptest.ExpectSilence(t, c)
		want := fmt.Sprintf("Socket created\nSocket bind complete\nBound to %s\nSocket now listening\n", addr)
		assert.Equal(t, want, p.Stdout.String(), "the program printed something about the client")
	})
}

// The article says that with s.listen(10) "the 11th request is refused".
// On Linux neither half is true: backlog+1 connections complete, and the
// next client is not refused. The kernel drops its SYN without an answer,
// the client retransmits, and its connect times out (after about two
// minutes with the default tcp_syn_retries) unless room opens up.
func TestBacklog(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the backlog is measured on Linux; macOS queues exactly backlog connections and Windows refuses the next one (docs/errata.md)")
	}
	t.Run("with backlog 2, 3 connects complete and the 4th is not refused but waits", func(t *testing.T) {
		const backlog = 2
		_, addr := start(t, "-backlog", fmt.Sprint(backlog))
		for i := 0; i < backlog+1; i++ {
			tcptest.Dial(t, addr)
		}

		_, err := net.DialTimeout("tcp", addr, tcptest.Quiet)
		require.Error(t, err, "connect number %d completed", backlog+2)
		assert.False(t, tcptest.IsRefused(err), "connect number %d was refused: %v", backlog+2, err)
		var netErr net.Error
		require.ErrorAs(t, err, &netErr)
		assert.True(t, netErr.Timeout(), "connect number %d: %v; want a timeout", backlog+2, err)
	})
}

// What `ss -ltn` shows for a listening socket on Linux: Send-Q is the
// backlog, and Recv-Q how many completed connections wait to be accepted.
func TestSS(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ss is a Linux tool; on macOS and Windows use netstat -an")
	}
	ss, err := exec.LookPath("ss")
	if err != nil {
		t.Skip("ss is not installed (Debian: apt-get install iproute2)")
	}
	t.Run("Send-Q shows the backlog and Recv-Q the connections waiting", func(t *testing.T) {
		_, addr := start(t, "-backlog", "3")
		tcptest.Dial(t, addr)
		tcptest.Dial(t, addr)
		_, port, _ := net.SplitHostPort(addr)
		out, err := exec.Command(ss, "-ltnH", "sport = :"+port).Output()
		require.NoError(t, err)
		fields := strings.Fields(string(out)) // State Recv-Q Send-Q Local Peer
		require.Len(t, fields, 5, "ss printed %q", out)
		assert.Equal(t, []string{"LISTEN", "2", "3", addr}, fields[:4])
	})
}

// TestDefaults runs the program without -backlog and checks that it
// listens with the article's backlog of 10, as the pages say: on Linux, 11
// connects complete, the 12th waits, and ss shows 10 as Send-Q.
func TestDefaults(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the backlog is measured on Linux; macOS queues exactly backlog connections and Windows refuses the next one (docs/errata.md)")
	}
	t.Run("without -backlog, the article's 10: 11 connects complete and the 12th waits", func(t *testing.T) {
		_, addr := start(t)
		for i := 0; i < 11; i++ {
			tcptest.Dial(t, addr)
		}
		_, err := net.DialTimeout("tcp", addr, tcptest.Quiet)
		require.Error(t, err, "connect number 12 completed: the backlog is more than 10")
		var netErr net.Error
		require.ErrorAs(t, err, &netErr)
		assert.True(t, netErr.Timeout(), "connect number 12: %v; want a timeout", err)
	})

	t.Run("without -backlog, ss shows the article's 10 as Send-Q", func(t *testing.T) {
		ss, err := exec.LookPath("ss")
		if err != nil {
			t.Skip("ss is not installed (Debian: apt-get install iproute2)")
		}
		_, addr := start(t)
		_, port, _ := net.SplitHostPort(addr)
		out, err := exec.Command(ss, "-ltnH", "sport = :"+port).Output()
		require.NoError(t, err)
		fields := strings.Fields(string(out)) // State Recv-Q Send-Q Local Peer
		require.Len(t, fields, 5, "ss printed %q", out)
		assert.Equal(t, []string{"LISTEN", "0", "10", addr}, fields[:4])
	})
}

func TestProgram(t *testing.T) {
	t.Run("prints the article's three lines and exits with 0 on Ctrl-C", func(t *testing.T) {
		p, addr := start(t)
		p.Interrupt(t)
		res := p.Wait(t)
		assert.Equal(t, 0, res.Code)
		assert.Equal(t, fmt.Sprintf("Socket created\nSocket bind complete\nBound to %s\nSocket now listening\n", addr), res.Stdout)
		assert.Empty(t, res.Stderr)
	})

	tcptest.CommonFailures(t)

	t.Run("-backlog 0 is allowed: it listens, and exits with 0 on Ctrl-C", func(t *testing.T) {
		p, _ := start(t, "-backlog", "0")
		p.Interrupt(t)
		res := p.Wait(t)
		assert.Equal(t, 0, res.Code)
		assert.Empty(t, res.Stderr)
	})

	t.Run("bad -backlog -1: one line on stderr, exit 2", func(t *testing.T) {
		res := tcptest.Run(t, "-backlog", "-1")
		assert.Equal(t, 2, res.Code)
		assert.Empty(t, res.Stdout)
		assert.Equal(t, "bad -backlog: it cannot be negative\n", res.Stderr)
	})
}

// TestExitStatus makes the transcript of Ctrl-C with the program built, so
// that the shell shows its exit status, 0 (`go run` would report 1): the
// terminal shows ^C where the key was pressed.
func TestExitStatus(t *testing.T) {
	p, addr := start(t)
	p.Interrupt(t)
	res := p.Wait(t)
	require.Equal(t, 0, res.Code)
	tcptest.Golden(t, "ctrl-c.golden", "$ go build -o /tmp/02-listen ./02-listen\n"+
		"$ /tmp/02-listen; echo $?\n"+tcptest.Normalize(res.Stdout, addr)+"^C"+fmt.Sprintln(res.Code))
}

// The transcripts the course's pages show, from the real program; see
// tcptest.Golden.
func TestTranscripts(t *testing.T) {
	p, addr := start(t)
	tn := tcptest.NewTelnet(t, addr)
	tn.Type("hello")
	tn.ExpectQuiet()
	tcptest.Golden(t, "telnet.golden", tn.Screen())
	tcptest.Golden(t, "server.golden", "$ go run ./02-listen\n"+tcptest.Normalize(p.Stdout.String(), addr))
}
