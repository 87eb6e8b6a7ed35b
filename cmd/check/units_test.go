package main

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The checker's small parts, each on its own: how it reads text, replies,
// commands and crashes.

func TestDifferences(t *testing.T) {
	t.Run("a case slip is named, with the byte where it is", func(t *testing.T) {
		d := lineDiffs([]string{"Socket Created", "Socket bind complete"}, articleLines[:2], lineFrom)
		assert.Len(t, d, 1)
		assert.Equal(t, `the article's line "Socket created": want "Socket created", got "Socket Created", at byte 7 (a capital letter where the article's is small)`, d[0].words())
	})
	t.Run("a line with words added or missing is found, not called missing", func(t *testing.T) {
		d := lineDiffs([]string{"Socket created successfully", "bind complete"}, articleLines[:2], lineFrom)
		assert.Len(t, d, 2)
		assert.Equal(t, "Socket created successfully", d[0].got)
		assert.Equal(t, "bind complete", d[1].got)
	})
	t.Run("a line not printed at all is missing", func(t *testing.T) {
		d := lineDiffs([]string{"Socket created", "Bound to 127.0.0.1:8888"}, articleLines, lineFrom)
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
		assert.Contains(t, d.hint(langPython), "str(addr[1])")
		assert.Empty(t, d.hint(langGo))
		d, _ = connectedFor([]string{"Connected with 127.0.0.1 : 40312"}, 40312, clients)
		assert.Contains(t, d.hint(langGo), "conn.RemoteAddr()")
		assert.Contains(t, d.hint(langPython), "spaces")
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
		{"OK...hi\n", prefix, "", "reply"},
		{"OK...hi", prefix, causeLineEnd, ""},
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
		assert.Equal(t, langPython, languageOf([]string{"python3", "server.py"}))
		assert.Equal(t, langPython, languageOf([]string{`C:\Python312\python.exe`, "server.py"}))
		assert.Equal(t, langGo, languageOf([]string{"go", "run", "./mine/06"}))
		assert.Equal(t, langOther, languageOf([]string{"./server"}))
	})
	t.Run("hints in the learner's words: no defer for Python, no sendall for Go", func(t *testing.T) {
		assert.Contains(t, hintFor(causeNeverCloses, langGo), "defer")
		assert.NotContains(t, hintFor(causeNeverCloses, langPython), "defer")
		assert.Contains(t, hintFor(causeAliveAfterCtlC, langPython), "daemon=True")
		assert.Contains(t, hintFor(causeStrBytes, langPython), "b'OK...' + data")
	})
	t.Run("a crash: where first, and what a failed read should do when one killed it", func(t *testing.T) {
		for _, tc := range []struct {
			l       lang
			ending  string
			network bool
			printed []string
			says    string
		}{
			{langGo, `exit status 1, after "2026/11/30 01:02:03 accept tcp [::]:8888: use of closed network connection"`, false, nil, "l.Close() (or a defer of it) belongs after the accept loop"},
			{langPython, `exit status 1, after "OSError: [Errno 9] Bad file descriptor"`, false, []string{"    conn, addr = s.accept()", "OSError: [Errno 9] Bad file descriptor"}, "s.close() belongs after the while loop"},
			{langPython, `exit status 1, after "TypeError: a bytes-like object is required, not 'str'"`, false, nil, "b'OK...' + data"},
			{langPython, `exit status 1, after "TypeError: can only concatenate str (not \"bytes\") to str"`, false, nil, "b'OK...' + data"},
			{langGo, `exit status 2, after "panic: runtime error: index out of range [1] with length 1"`, false, nil, ""},
			{langGo, `exit status 1, after "2026/11/30 01:02:03 EOF"`, true, nil, ""},
			{langGo, `exit status 1, after "2026/11/30 01:02:03 read tcp 127.0.0.1:8888->127.0.0.1:40312: read: connection reset by peer"`, true, nil, ""},
			{langPython, `exit status 1, after "TypeError: can only concatenate str (not \"type\") to str"`, false, nil, ""},
			{langPython, `exit status 1, after "ConnectionResetError: [Errno 104] Connection reset by peer"`, true, nil, ""},
			{langPython, `exit status 1, after "BrokenPipeError: [Errno 32] Broken pipe"`, true, nil, ""},
			{langOther, `signal: broken pipe`, true, nil, ""},
		} {
			h := hintOf(result{outcome: outcome{status: failed, cause: causeCrash}, ending: tc.ending, lang: tc.l, printed: tc.printed})
			assert.True(t, strings.HasPrefix(h, hintFor(causeCrash, tc.l)), "where first: %s", h)
			assert.Equal(t, tc.network, strings.Contains(h, "should end that one connection"), "%s: %s", tc.ending, h)
			assert.Contains(t, h, tc.says)
		}
		assert.Contains(t, hintFor(causeCrash, langGo), "a panic names the file and line")
		assert.Contains(t, hintFor(causeCrash, langPython), "its last File line")
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

func TestCrashEvidence(t *testing.T) {
	for _, tc := range []struct {
		lines    []string
		evidence string
		trace    bool
	}{
		{[]string{"Socket created", "Traceback (most recent call last):", `  File "s.py", line 9, in <module>`, "    s.bind((HOST, PORT))", "OSError: [Errno 98] Address already in use",
			"", "During handling of the above exception, another exception occurred:", "", "Traceback (most recent call last):", `  File "s.py", line 11, in <module>`, "TypeError: 'OSError' object is not subscriptable"},
			"TypeError: 'OSError' object is not subscriptable", true},
		{[]string{"Connected with 127.0.0.1:1", "panic: runtime error: index out of range [1] with length 0", "", "goroutine 1 [running]:"}, "panic: runtime error: index out of range [1] with length 0", true},
		// A thread's traceback, printed after the main thread's: the
		// main thread's says why the program ended.
		{[]string{"Traceback (most recent call last):", `  File "s.py", line 40, in <module>`, "    conn, addr = s.accept()", "OSError: [Errno 24] Too many open files",
			"Exception in thread Thread-7 (clientthread):", "Traceback (most recent call last):", `  File "s.py", line 20, in clientthread`, "ConnectionResetError: [Errno 104] Connection reset by peer"},
			"OSError: [Errno 24] Too many open files", true},
		{[]string{"Exception in thread Thread-7 (clientthread):", "Traceback (most recent call last):", `  File "s.py", line 20, in clientthread`, "ConnectionResetError: [Errno 104] Connection reset by peer"},
			"ConnectionResetError: [Errno 104] Connection reset by peer", true},
		{[]string{"Socket now listening", "2026/11/29 22:00:00 read: EOF"}, "2026/11/29 22:00:00 read: EOF", false},
	} {
		evidence, trace := crashEvidence(tc.lines)
		assert.Equal(t, tc.evidence, evidence)
		assert.Equal(t, tc.trace, trace)
	}
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
