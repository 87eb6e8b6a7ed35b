package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/tcptest"
)

// serveEach runs an in-test server on l until it is closed: every
// connection is handled by handle in a goroutine of its own.
func serveEach(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	l := tcptest.Listen(t)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return // the listener was closed: the test is over
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(tcptest.Timeout)) // Cannot fail on a new connection.
				handle(c)
			}()
		}
	}()
	return l.Addr().String()
}

// welcomeThenEcho is a server like 06-goroutines: a welcome line, then
// "OK..." and every line it reads.
func welcomeThenEcho(c net.Conn) {
	io.WriteString(c, "Welcome to the server. Type something and hit enter\n")
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		io.WriteString(c, "OK..."+line)
	}
}

// oneAtATimeOnce is a server like 05-loop: one connection at a time, one
// reply each, then it hangs up.
func oneAtATimeOnce(t *testing.T) string {
	t.Helper()
	l := tcptest.Listen(t)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(tcptest.Timeout)) // Cannot fail on a new connection.
			buf := make([]byte, 1024)
			if n, err := c.Read(buf); err == nil {
				c.Write(append([]byte("OK..."), buf[:n]...))
			}
			c.Close()
		}
	}()
	return l.Addr().String()
}

// loadsim runs the command with args and returns its exit status, its
// output, and the key=value pairs of the summary's last line.
func loadsim(t *testing.T, args ...string) (int, string, string, map[string]string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run(args, &stdout, &stderr)
	summary := map[string]string{}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	for _, pair := range strings.Fields(lines[len(lines)-1]) {
		if k, v, ok := strings.Cut(pair, "="); ok {
			summary[k] = v
		}
	}
	return code, stdout.String(), stderr.String(), summary
}

func duration(t *testing.T, s string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(s)
	require.NoError(t, err)
	return d
}

func TestLoadsim(t *testing.T) {
	t.Run("a line per client, then a key=value summary", func(t *testing.T) {
		addr := serveEach(t, welcomeThenEcho)
		code, out, stderr, sum := loadsim(t, "-addr", addr, "-clients", "3", "-messages", "4")
		require.Equal(t, 0, code, stderr)
		for i := 1; i <= 3; i++ {
			assert.Contains(t, out, fmt.Sprintf("client %d: 4 replies, 0 errors, 0 reconnects, first reply after ", i))
		}
		for _, key := range []string{"clients", "messages", "errors", "p50", "p99", "max", "total", "rps"} {
			assert.Contains(t, sum, key)
		}
		assert.Equal(t, "3", sum["clients"])
		assert.Equal(t, "12", sum["messages"])
		assert.Equal(t, "0", sum["errors"])
		for _, key := range []string{"p50", "p99", "max", "total"} {
			duration(t, sum[key])
		}
		rps, err := strconv.ParseFloat(sum["rps"], 64)
		require.NoError(t, err)
		assert.Greater(t, rps, 0.0)
	})

	t.Run("a server that hangs up after each reply: it connects again", func(t *testing.T) {
		addr := oneAtATimeOnce(t)
		code, out, stderr, sum := loadsim(t, "-addr", addr, "-clients", "2", "-messages", "3")
		require.Equal(t, 0, code, stderr)
		assert.Equal(t, "6", sum["messages"])
		assert.Contains(t, out, "client 1: 3 replies, 0 errors, 2 reconnects")
		assert.Contains(t, out, "client 2: 3 replies, 0 errors, 2 reconnects")
	})

	t.Run("a silent client holds up every other client of a one-at-a-time server", func(t *testing.T) {
		addr := oneAtATimeOnce(t)
		silence := tcptest.Quiet
		code, _, stderr, sum := loadsim(t, "-addr", addr, "-clients", "4", "-messages", "1", "-silent", "1", "-silent-for", silence.String())
		require.Equal(t, 0, code, stderr)
		// The silent client is served first; nobody's reply can come before
		// it has spoken. The others send a little after the silence began
		// (they connect first), so they wait a little less than all of it;
		// a server that served them at once would answer in microseconds.
		assert.GreaterOrEqual(t, duration(t, sum["p50"]), silence/2)
	})

	t.Run("a server that never answers: every message is an error, and it ends", func(t *testing.T) {
		addr := serveEach(t, func(c net.Conn) { io.Copy(io.Discard, c) })
		code, out, _, sum := loadsim(t, "-addr", addr, "-clients", "2", "-messages", "2", "-timeout", tcptest.Quiet.String())
		assert.Equal(t, 1, code)
		assert.Equal(t, "4", sum["errors"])
		assert.Equal(t, "0", sum["messages"])
		assert.Contains(t, out, "first error: ")
	})

	t.Run("nobody listening: one line on stderr, exit 1", func(t *testing.T) {
		l := tcptest.Listen(t)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		code, out, stderr, _ := loadsim(t, "-addr", addr, "-clients", "3")
		assert.Equal(t, 1, code)
		assert.Empty(t, out)
		assert.Regexp(t, `^loadsim: cannot connect to `+addr+`: [^\n]+\n$`, stderr)
	})

	for _, args := range [][]string{
		{"-clients", "0"}, {"-messages", "0"}, {"-clients", "2", "-silent", "3"},
		{"-timeout", "0s"}, {"-silent-for", "-1s"}, {"-server-pid", "1"}, {"extra"},
		{"-clients", "many"}, {"-nope"}, {"-dial-limit", "-1"}, {"-addr", "nope"}, {"-addr", ":99999"},
	} {
		t.Run("bad flags "+strings.Join(args, " ")+": one line on stderr, exit 2", func(t *testing.T) {
			code, out, stderr, _ := loadsim(t, args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Regexp(t, `^loadsim: [^\n]+\n$`, stderr)
		})
	}

	t.Run("a bad -addr is a bad flag: bad -addr, exit 2, like every program of the course", func(t *testing.T) {
		code, out, stderr, _ := loadsim(t, "-addr", "nope")
		assert.Equal(t, 2, code)
		assert.Empty(t, out)
		assert.Equal(t, "loadsim: bad -addr: address nope: missing port in address\n", stderr)
	})

	t.Run("a positional argument: one line that points at -addr, exit 2", func(t *testing.T) {
		code, _, stderr, _ := loadsim(t, "9000")
		assert.Equal(t, 2, code)
		assert.Equal(t, "loadsim: unexpected argument \"9000\"; give the address with -addr, as in -addr localhost:8888\n", stderr)
	})

	t.Run("-hold -server-pid reports the server's memory per connection", func(t *testing.T) {
		if runtime.GOOS != "linux" {
			t.Skip("memory is read from /proc, on Linux only")
		}
		addr := serveEach(t, welcomeThenEcho) // this process is the server
		code, out, stderr, sum := loadsim(t, "-addr", addr, "-clients", "20", "-messages", "1",
			"-hold", "-server-pid", strconv.Itoa(os.Getpid()), "-q")
		require.Equal(t, 0, code, stderr)
		assert.Regexp(t, `(?m)^server memory \(RSS\): [\d.]+ MiB before, [\d.]+ MiB with 20 connections: -?[\d.]+ KB per connection$`, out)
		assert.Contains(t, sum, "rss_per_conn_bytes")
	})
}

// The picture of a run: a row per client, on one time axis, that shows
// the same run as the numbers loadsim prints.
func TestTimeline(t *testing.T) {
	t.Run("the picture agrees with the run it came from, in both languages", func(t *testing.T) {
		// A server like 05-loop, and a client that says nothing first:
		// the others wait for it, and the picture shows their waits.
		addr := oneAtATimeOnce(t)
		dir := t.TempDir()
		en, zh := dir+"/run.svg", dir+"/run.zh-CN.svg"
		code, out, stderr, _ := loadsim(t, "-addr", addr, "-clients", "4", "-messages", "3", "-silent", "1", "-silent-for", "200ms",
			"-title", "05-like", "-timeline", en, "-timeline-zh", zh)
		require.Equal(t, 0, code, stderr)
		for _, file := range []string{en, zh} {
			svg, err := os.ReadFile(file)
			require.NoError(t, err)
			tcptest.CheckTimeline(t, string(svg), out)
		}
	})

	t.Run("the words are in the picture's language", func(t *testing.T) {
		addr := serveEach(t, welcomeThenEcho)
		dir := t.TempDir()
		en, zh := dir+"/run.svg", dir+"/run.zh-CN.svg"
		code, _, stderr, _ := loadsim(t, "-addr", addr, "-clients", "2", "-messages", "1", "-silent", "1", "-silent-for", "10ms",
			"-title", "06-like", "-timeline", en, "-timeline-zh", zh)
		require.Equal(t, 0, code, stderr)
		for file, words := range map[string][]string{
			en: {"06-like: 2 clients, 1 message each; client 1 says nothing for the first 10ms", ">client 1 (silent)<", ">client 2<", "seconds since the start", "waiting for a reply",
				"<title>client 1 (silent for 10ms): 1 replies, 0 errors, 0 reconnects, first reply after ", "<desc>clients=2 messages=2 errors=0 "},
			zh: {"06-like：2 个客户端，每个发 1 条消息；客户端 1 前 10 毫秒不说话", ">客户端 1（不说话）<", ">客户端 2<", "从开始算起的秒数", "等回复",
				"<title>客户端 1（前 10 毫秒不说话）：收到 1 个回复，出错 0 次，重新连接 0 次，", "<desc>2 个客户端，2 条消息，出错 0 次；往返时间中位数 "},
		} {
			svg, err := os.ReadFile(file)
			require.NoError(t, err)
			for _, w := range words {
				assert.Contains(t, string(svg), w)
			}
		}
	})

	t.Run("a file that cannot be written: exit status 1, and why", func(t *testing.T) {
		addr := serveEach(t, welcomeThenEcho)
		code, _, stderr, _ := loadsim(t, "-addr", addr, "-clients", "1", "-messages", "1", "-timeline", t.TempDir()+"/no/such/folder/run.svg")
		assert.Equal(t, 1, code)
		assert.Contains(t, stderr, "loadsim: open ")
	})
}

// The Chinese timeline writes a duration in the unit Go's notation uses,
// with the same digits, so that its tooltips quote the report's numbers.
func TestZhDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2 * time.Second:         "2 秒",
		2017 * time.Millisecond: "2.017 秒",
		10 * time.Millisecond:   "10 毫秒",
		7621 * time.Microsecond: "7.621 毫秒",
		150 * time.Microsecond:  "150 微秒",
		5 * time.Minute:         "5 分钟",
		90 * time.Second:        "1m30s",
		500:                     "500 纳秒",
	} {
		assert.Equal(t, want, zhDuration(d), "zhDuration(%v)", d)
	}
}
