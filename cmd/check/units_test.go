package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/course"
	"socketcourse/internal/wire"
)

// The checker's small parts, each on its own: how it reads text, replies,
// commands and crashes.

func TestDifferences(t *testing.T) {
	t.Run("a case slip is named, with the byte where it is", func(t *testing.T) {
		d := lineDiffs([]string{"Socket Created", "Socket bind complete"}, course.Stages[0].Prints)
		assert.Len(t, d, 1)
		assert.Equal(t, `the article's line "Socket created": want "Socket created", got "Socket Created", at byte 7 (a capital letter where the article's is small)`, d[0].words())
	})
	t.Run("a line with words added or missing is found, not called missing", func(t *testing.T) {
		d := lineDiffs([]string{"Socket created successfully", "bind complete"}, course.Stages[0].Prints)
		assert.Len(t, d, 2)
		assert.Equal(t, "Socket created successfully", d[0].got)
		assert.Equal(t, "bind complete", d[1].got)
	})
	t.Run("a line not printed at all is missing", func(t *testing.T) {
		d := lineDiffs([]string{"Socket created", "Bound to 127.0.0.1:8888"}, course.Get("02-listen").Prints)
		assert.Len(t, d, 2)
		assert.Equal(t, `the article's line "Socket bind complete": missing; want "Socket bind complete"`, d[0].words())
		assert.Equal(t, "02-listen", d[1].from, "Socket now listening is 02's")
	})
	t.Run("the prefix: a small letter where the article has a capital", func(t *testing.T) {
		d := textDiff("prefix", "the reply's prefix", "OK...", "Ok...", "05-loop")
		assert.Equal(t, `the reply's prefix: want "OK...", got "Ok...", at byte 1 (a small letter where the article's is a capital)`, d.words())
	})
	t.Run("a difference applies from its stage on, or to its stage only", func(t *testing.T) {
		d := difference{from: "05-loop"}
		assert.False(t, d.appliesTo("04-echo-once"))
		assert.True(t, d.appliesTo("07-shutdown"))
		d.only = true
		assert.False(t, d.appliesTo("06-goroutines"))
	})
}

func TestConnectedLine(t *testing.T) {
	clients := map[int]bool{40312: true}
	for _, tc := range []struct {
		line  string
		diff  string // the difference's got, or "" for none
		wrong bool
	}{
		{"Connected with 127.0.0.1:40312", "", false},
		{"Connected with [::ffff:127.0.0.1]:40312", "", false},
		{"Connected with 127.0.0.1 : 40312", "Connected with 127.0.0.1 : <port>", false},
		{"Connected with ('127.0.0.1', 40312)", "Connected with ('127.0.0.1', <port>)", false},
		{"Connected with 127.0.0.1:8888", "", true},
		// Another thread's print(a, b) writes a, " ", b and "\n" apart, and
		// may land inside this line: the program printed the article's line.
		{"Connection failed:Connected with 127.0.0.1:40312", "", false},
		{"Connected with 127.0.0.1:40312Accept failed:", "", false},
		// Text the learner wrote beside it is a slip.
		{"[*] Connected with 127.0.0.1:40312", "[*] Connected with 127.0.0.1:<port>", false},
		{"Connected with 127.0.0.1:40312.", "Connected with 127.0.0.1:<port>.", false},
	} {
		t.Run(tc.line, func(t *testing.T) {
			d, wrong := connectedFor([]string{"Socket now listening", tc.line}, 40312, clients)
			assert.Equal(t, tc.wrong, wrong != "")
			if tc.diff == "" {
				if !tc.wrong {
					assert.Nil(t, d)
				}
				return
			}
			if assert.NotNil(t, d) {
				assert.Equal(t, tc.diff, d.got)
				assert.Equal(t, "Connected with 127.0.0.1:<port>", d.want, "the same slip for every client is one difference")
			}
		})
	}
	t.Run("the line mixed with other output, printed exactly for another client", func(t *testing.T) {
		both := map[int]bool{40312: true, 40314: true}
		lines := []string{"Connected with 127.0.0.1:40314", "Connection failed: Connected with 127.0.0.1:40312", "[Errno 104] Connection reset by peer"}
		d, wrong := connectedFor(lines, 40312, both)
		assert.Nil(t, d)
		assert.Empty(t, wrong)
		d, _ = connectedFor(lines[1:], 40312, both)
		assert.NotNil(t, d, "without the other client's line, the space makes it a slip")
	})
	t.Run("how to print it, for a slip that comes from the language's print", func(t *testing.T) {
		d, _ := connectedFor([]string{"Connected with ('127.0.0.1', 40312)"}, 40312, clients)
		assert.Contains(t, d.hint(langPython3), "str(addr[1])")
		assert.Empty(t, d.hint(langGo))
		d, _ = connectedFor([]string{"Connected with 127.0.0.1 : 40312"}, 40312, clients)
		assert.Contains(t, d.hint(langGo), "conn.RemoteAddr()")
		assert.Contains(t, d.hint(langPython3), "spaces")
	})
	t.Run("no line for the client: missing", func(t *testing.T) {
		d, wrong := connectedFor([]string{"Socket now listening"}, 40312, clients)
		assert.Empty(t, wrong)
		assert.Equal(t, -1, d.at)
	})
}

// A reply is shown whole, what follows the data included: a "\r\n" added,
// a buffer's zeros, Python's b'...'.
func TestReplies(t *testing.T) {
	s := &session{checkRun: &checkRun{cfg: &config{}}}
	c := &client{s: s, greeted: true}
	for _, tc := range []struct {
		got, want string
		fault     cause
		diff      string // the kind of difference recorded
	}{
		{"OK...hi\r\n", prefix, "", ""},
		{"Ok...hi\r\n", prefix, "", ""}, // the prefix is told by prefixDiff
		{"OK...hi\r\n\r\n", prefix, "", "reply"},
		{"OK...hi\r\n" + strings.Repeat("\x00", 1020), prefix, causeFullBuffer, ""},
		{"OK...b'hi\\r\\n'", prefix, causeStrBytes, ""},
		{"OK...HI\r\n", prefix, causeWrongBytes, ""},
		{"OK...hi\n", prefix, causeLineEnd, ""}, // a line reader dropped "\r\n", println added "\n"
		{"OK...hi", prefix, causeLineEnd, ""},
		{"OK...h\xef\xbf\xbd\r\n", prefix, causeWrongBytes, ""},
		{"OK...hi\r\nOK...hi\r\n", prefix, causeWrongBytes, ""},
	} {
		t.Run(fmt.Sprintf("%q", tc.got), func(t *testing.T) {
			s.diffs = nil
			r := c.judge(tc.got, "hi\r\n", tc.want)
			assert.Equal(t, tc.fault, r.fault)
			if tc.diff == "" {
				assert.Empty(t, s.diffs)
			} else if assert.Len(t, s.diffs, 1) {
				assert.Equal(t, tc.diff, s.diffs[0].kind)
			}
		})
	}
	t.Run("\\xff back as U+FFFD: the bytes went through text", func(t *testing.T) {
		assert.Equal(t, causeTextDecoded, badBytes("OK...a\x00\xef\xbf\xbd\r\n", "a\x00\xff\r\n"))
		assert.Equal(t, causeWrongBytes, badBytes("OK...a\x00?\r\n", "a\x00\xff\r\n"))
	})
	t.Run("another client's message: a buffer shared by the clients", func(t *testing.T) {
		s.diffs = nil
		assert.Equal(t, causeOthersData, c.judge("OK...again 51\r\n", "again 42\r\n", prefix).fault)
		assert.Equal(t, causeWrongBytes, c.judge("OK...AGAIN 42\r\n", "again 42\r\n", prefix).fault)
	})
	t.Run("a welcome line before the first reply is the greeting", func(t *testing.T) {
		c := &client{s: s}
		r := c.judge(welcome+"OK...hi\r\n", "hi\r\n", prefix)
		assert.Equal(t, welcome, r.greeting)
		assert.True(t, r.data)
		assert.Equal(t, prefix, r.pre)
	})
	t.Run("quoted whole, long runs of one byte counted", func(t *testing.T) {
		assert.Equal(t, `"OK...hi\r\n\x00×1020"`, quote("OK...hi\r\n"+strings.Repeat("\x00", 1020)))
		assert.Equal(t, `"OK...hi\r\n"`, quote("OK...hi\r\n"))
	})
	t.Run("Python's repr of bytes", func(t *testing.T) {
		assert.Equal(t, `b'a\x00\xff\r\n'`, pythonRepr("a\x00\xff\r\n"))
	})
}

func TestCommands(t *testing.T) {
	t.Run("go run: build flags, package, the program's arguments", func(t *testing.T) {
		flags, pkg, rest, ok := splitGoRun([]string{"-race", "-tags", "x", "./mine/05", "-addr", "127.0.0.1:{port}"})
		assert.True(t, ok)
		assert.Equal(t, []string{"-race", "-tags", "x"}, flags)
		assert.Equal(t, []string{"./mine/05"}, pkg)
		assert.Equal(t, []string{"-addr", "127.0.0.1:{port}"}, rest)
		_, pkg, rest, _ = splitGoRun([]string{"main.go", "util.go", "-addr", "x"})
		assert.Equal(t, []string{"main.go", "util.go"}, pkg)
		assert.Equal(t, []string{"-addr", "x"}, rest)
		_, _, _, ok = splitGoRun([]string{"-exec", "sudo", "./mine/05"})
		assert.False(t, ok, "-exec is go run's own: run it as given")
	})
	t.Run("the checker's own command in its messages: go run's, or the built one's", func(t *testing.T) {
		assert.Equal(t, "go run ./cmd/check", selfName("/tmp/go-build1234/b001/exe/check"))
		assert.Equal(t, "go run ./cmd/check", selfName(`C:\Users\li\AppData\Local\Temp\go-build1234\b001\exe\check.exe`))
		assert.Equal(t, "./check", selfName("./check"))
		assert.Equal(t, `.\check.exe`, selfName(`.\check.exe`))
	})
	t.Run("the learner's language, from the command", func(t *testing.T) {
		assert.Equal(t, langPython3, langOf([]string{"python3", "server.py"}, "/no/python3"))
		assert.Equal(t, langPython3, langOf([]string{`C:\Python312\python.exe`, "server.py"}, "/no/python"))
		assert.Equal(t, langPython2, langOf([]string{"python2.7", "server.py"}, "/no/python2.7"))
		assert.Equal(t, langGo, langOf([]string{"go", "run", "./mine/06"}, "/no/go"))
		assert.Equal(t, langNode, langOf([]string{"node", "server.js", "{port}"}, "/no/node"))
		assert.Equal(t, langJava, langOf([]string{"java", "-cp", "out", "Server"}, "/no/java"))
		assert.Equal(t, langRust, langOf([]string{"cargo", "run", "--release"}, "/no/cargo"))
		assert.Equal(t, langUnknown, langOf([]string{"./server"}, "/no/server"))
		dir := t.TempDir()
		run := filepath.Join(dir, "run")
		require.NoError(t, os.WriteFile(run, []byte("#!/bin/sh\nexec java -cp out Server \"$@\"\n"), 0o755))
		assert.Equal(t, langJava, langOf([]string{run, "{port}"}, run), "a run file: the interpreter it starts")
		exe, err := os.Executable()
		require.NoError(t, err)
		assert.Equal(t, langGo, langOf([]string{exe}, exe), "a program built from Go says so")
	})
	t.Run("hints in the learner's words: no defer for Python, no sendall for Go, flush for Java", func(t *testing.T) {
		assert.Contains(t, hintFor(causeNeverCloses, langGo), "defer")
		assert.NotContains(t, hintFor(causeNeverCloses, langPython3), "defer")
		assert.Contains(t, hintFor(causeAliveAfterCtlC, langPython3), "daemon=True")
		assert.Contains(t, hintFor(causeAliveAfterCtlC, langPython2), "daemon=True", "Python 2 is Python")
		assert.Contains(t, hintFor(causeStrBytes, langPython3), "b'OK...' + data")
		assert.Contains(t, hintFor(causeHungUp, langJava), "flush")
		assert.Contains(t, hintFor(causeSwappedPort, langC), "htons")
		assert.Contains(t, hintFor(causeStopsListening, langNode), "server.close()")
		assert.Contains(t, hintFor(causeCtrlCStatus, langJava), "halt(0)")
		assert.Contains(t, hintFor(causeTextDecoded, langNode), "Buffer")
		assert.Equal(t, hintFor(causeNoReply, langUnknown), hintFor(causeNoReply, langC+"x"), "a language without words of its own gets the plain ones")
	})
	t.Run("a crash: where first, and what a failed read should do when one killed it", func(t *testing.T) {
		for _, tc := range []struct {
			l       lang
			lines   []string
			network bool
			says    string
		}{
			{langGo, []string{"2026/11/30 01:02:03 accept tcp [::]:8888: use of closed network connection"}, false, "l.Close() (or a defer of it) belongs after the accept loop"},
			{langPython3, []string{"Traceback (most recent call last):", `  File "s.py", line 30, in <module>`, "    conn, addr = s.accept()", "OSError: [Errno 9] Bad file descriptor"}, false, "s.close() belongs after the while loop"},
			{langPython3, []string{"Traceback (most recent call last):", `  File "s.py", line 30, in <module>`, "TypeError: a bytes-like object is required, not 'str'"}, false, "b'OK...' + data"},
			{langPython3, []string{"Traceback (most recent call last):", `  File "s.py", line 30, in <module>`, `TypeError: can only concatenate str (not "bytes") to str`}, false, "b'OK...' + data"},
			{langGo, []string{"panic: runtime error: index out of range [1] with length 1", "", "goroutine 1 [running]:", "main.main()", "\t/home/ann/mine/03/main.go:31 +0x1d"}, false, "panic at main.go:31"},
			{langGo, []string{"2026/11/30 01:02:03 EOF"}, true, ""},
			{langGo, []string{"2026/11/30 01:02:03 read tcp 127.0.0.1:8888->127.0.0.1:40312: read: connection reset by peer"}, true, ""},
			{langPython3, []string{"Traceback (most recent call last):", `  File "s.py", line 30, in <module>`, `TypeError: can only concatenate str (not "type") to str`}, false, "TypeError at s.py:30"},
			{langPython3, []string{"Traceback (most recent call last):", `  File "s.py", line 12, in <module>`, "ConnectionResetError: [Errno 104] Connection reset by peer"}, true, ""},
			{langNode, readLines(t, "node-reset.txt"), true, "socket.on('error'"},
			{langNode, readLines(t, "node-eaddrinuse.txt"), false, "server.on('error'"},
			{langJava, readLines(t, "java-bind.txt"), false, "catch (BindException e)"},
			{langRust, readLines(t, "rust-bind.txt"), false, "panicked of unwrap at r.rs:2"},
			{langPython3, readLines(t, "py-threads.txt"), false, "decode(errors='replace')"},
		} {
			ev := endingEvidence(tc.lines, tc.l)
			r := &result{printed: tc.lines}
			h := (view{lang: tc.l, cfg: &config{}}).hintFor(resultView{result: r, cause: causeCrash, evidence: ev})
			assert.Equal(t, tc.network, strings.Contains(h, "one connection"), "%v: %s", tc.lines, h)
			assert.Contains(t, h, tc.says)
		}
		assert.Contains(t, hintFor(causeCrash, langGo), "a panic names the file and line")
		assert.Contains(t, hintFor(causeCrash, langPython3), "its last File line")
	})
	t.Run("a program in the current folder on Windows: write .\\ before it", func(t *testing.T) {
		e := notStartable("server.exe", fmt.Errorf("exec: %w", exec.ErrDot))
		assert.Equal(t, causeRelativeExe, e.cause)
		assert.Equal(t, `write .\server.exe (with .\ before it) after --.`, e.hint)
	})
	t.Run("a program that is not there", func(t *testing.T) {
		e := notStartable("./server", errors.New("no such file"))
		assert.Equal(t, causeNotFound, e.cause)
		assert.Contains(t, e.hint, "is the path right?")
	})
}

// What ended a program, from the last lines it printed: the main
// thread's error when a thread's was printed too, a panic, or its own
// last words.
func TestEndingEvidence(t *testing.T) {
	for _, tc := range []struct {
		lines    []string
		evidence string
		kind     eventKind
	}{
		{[]string{"Socket created", "Traceback (most recent call last):", `  File "s.py", line 9, in <module>`, "    s.bind((HOST, PORT))", "OSError: [Errno 98] Address already in use",
			"", "During handling of the above exception, another exception occurred:", "", "Traceback (most recent call last):", `  File "s.py", line 11, in <module>`, "TypeError: 'OSError' object is not subscriptable"},
			"TypeError: 'OSError' object is not subscriptable", evCrash},
		{[]string{"Connected with 127.0.0.1:1", "panic: runtime error: index out of range [1] with length 0", "", "goroutine 1 [running]:"}, "panic: runtime error: index out of range [1] with length 0", evCrash},
		// A thread's traceback, printed after the main thread's: the
		// main thread's says why the program ended.
		{[]string{"Traceback (most recent call last):", `  File "s.py", line 40, in <module>`, "    conn, addr = s.accept()", "OSError: [Errno 24] Too many open files",
			"Exception in thread Thread-7 (clientthread):", "Traceback (most recent call last):", `  File "s.py", line 20, in clientthread`, "ConnectionResetError: [Errno 104] Connection reset by peer"},
			"OSError: [Errno 24] Too many open files", evCrash},
		{[]string{"Exception in thread Thread-7 (clientthread):", "Traceback (most recent call last):", `  File "s.py", line 20, in clientthread`, "ConnectionResetError: [Errno 104] Connection reset by peer"},
			"ConnectionResetError: [Errno 104] Connection reset by peer", evThread},
		{[]string{"Socket now listening", "2026/11/29 22:00:00 read: EOF"}, "read: EOF", evWords},
		// Java: a worker's exception, then main's: main's ended it.
		{[]string{`Exception in thread "Thread-3" java.net.SocketException: Connection reset`, "\tat Server$Handler.run(Server.java:40)",
			`Exception in thread "main" java.io.IOException: Too many open files`, "\tat java.base/sun.nio.ch.Net.accept(Native Method)", "\tat Server.main(Server.java:22)"},
			"java.io.IOException: Too many open files", evCrash},
	} {
		ev := endingEvidence(tc.lines, langUnknown)
		if assert.NotNil(t, ev, "%v", tc.lines) {
			assert.Equal(t, tc.evidence, ev.message)
			assert.Equal(t, tc.kind, ev.kind)
		}
	}
}

// readLines reads a file of testdata/evidence as lines.
func readLines(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "evidence", name))
	require.NoError(t, err)
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}

// Two checkers side by side do not pick the same port: a port one holds,
// the other skips.
func TestPortReservations(t *testing.T) {
	port, err := freePort()
	if !assert.NoError(t, err) {
		return
	}
	assert.False(t, reserve(port), "a port held is not handed out again")
	release(port)
	assert.True(t, reserve(port), "a port given back can be held again")
	release(port)
}

// What a program printed is shown as a terminal can show it: a client's
// bytes the program printed (a Java server's "Client: a\x00\ufffd") and
// an escape sequence are written out, not sent to the learner's terminal.
func TestVisible(t *testing.T) {
	assert.Equal(t, `Client: a\x00`+"\ufffd", visible("Client: a\x00\ufffd"))
	assert.Equal(t, `\x1b[2J cleared`, visible("\x1b[2J cleared"))
	assert.Equal(t, `bad \xff byte`, visible("bad \xff byte"))
	assert.Equal(t, "tab\tstays, 中文 too", visible("tab\tstays, 中文 too"))
}

// A client queued in a listener's backlog when the program exits is reset
// without being accepted: its send fails with the reset, and a read after
// it returns EOF, which is not the program closing a connection it
// accepted (a 04 exiting as a second client connected was asked for that
// client's "Connected with" line).
func TestResetNotAccepted(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	conn, err := net.DialTimeout("tcp", l.Addr().String(), 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, l.Close()) // the queued connection is reset, never accepted
	s := &session{checkRun: &checkRun{cfg: &config{wait: 5 * time.Second, quiet: time.Second}}}
	c := &client{s: s, n: 2, conn: conn}
	// The reset may come to the send, or to the read: the first use after it.
	c.send("two\r\n")
	got, err := c.readUntil(func(g string) bool { return strings.Contains(g, "two") }, 5*time.Second)
	assert.Empty(t, got)
	assert.Error(t, err)
	assert.False(t, c.accepted, "a client reset in the backlog was not accepted (%v)", err)
	_, err = c.end(time.Second)
	assert.Error(t, err)
	assert.False(t, c.accepted, "nor by a read after the reset (%v)", err)
}

// A program that printed nothing while it ran is told how its language
// holds output, and how to let it out: C's stdio into a pipe waits for a
// full buffer or exit.
func TestNoOutputWords(t *testing.T) {
	assert.Contains(t, noOutputWords(langC), "setvbuf(stdout, NULL, _IONBF, 0)")
	assert.Contains(t, noOutputWords(langGo), "bufio.Writer")
	assert.Contains(t, noOutputWords(langNode), "writes each line at once")
	assert.Contains(t, noOutputWords(langUnknown), "held in a buffer")
}

// A port whose two bytes are equal is the same port swapped: a C program
// without htons would pass on it, so the checker never gives it out.
// (Not parallel: it replaces how freePort draws.)
func TestTellingPorts(t *testing.T) {
	assert.False(t, telling(0x5a5a))
	assert.True(t, telling(0x5a5b))
	draws := []int{0x5a5a, 0x5a5a + 100}
	defer func(d func() int) { drawPort = d }(drawPort)
	drawPort = func() int {
		p := draws[0]
		draws = append(draws[1:], p+1)
		return p
	}
	port, err := freePort()
	require.NoError(t, err)
	release(port)
	assert.NotEqual(t, 0x5a5a, port)
}

// A reset while the program still runs is told as a close with bytes
// unread, not "or crashed" (a learner's 05 reset a client whose second
// message it never read, and the log's "or crashed" pointed at a crash
// elsewhere); once the program has exited, a crash may be why.
func TestResetWords(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	conn, err := net.DialTimeout("tcp", l.Addr().String(), 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	l.(*net.TCPListener).SetDeadline(time.Now().Add(5 * time.Second))
	server, err := l.Accept()
	require.NoError(t, err)
	require.NoError(t, wire.Reset(server))
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, reset := conn.Read(make([]byte, 1))
	require.True(t, wire.IsReset(reset), "%v", reset)
	running := &program{over: make(chan struct{})}
	c := &client{s: &session{prog: running}}
	assert.Equal(t, "a reset: the server closed the connection without reading all the client sent", c.endWords(reset))
	close(running.over)
	assert.Contains(t, c.endWords(reset), "or crashed")
	assert.Equal(t, wire.EndWords(io.EOF), c.endWords(io.EOF))
}
