package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What each lang prints when a program fails, as it printed it
// (testdata/evidence, captured from Python 2.7 and 3.11, Go 1.26, Node.js
// 20, Java 17, Rust 1.95 and a C program), read as events.
func TestEvidence(t *testing.T) {
	for _, tc := range []struct {
		file    string
		rt      lang    // what the command said; "" for unknown
		want    []event // kind, lang, name, where and thread of each event
		message string  // the first event's message starts so
		bind    bool    // the first event says a port is in use
	}{
		{file: "py-bind.txt", rt: langPython3, want: []event{{kind: evCrash, runtime: langPython3, name: "OSError", file: "/home/ann/course/p.py", line: 2}}, message: "OSError: [Errno 98] Address already in use", bind: true},
		{file: "py2-bind.txt", rt: langUnknown, want: []event{{kind: evCrash, runtime: langPython2, name: "socket.error", file: "p.py", line: 2}}, message: "socket.error: [Errno 98]", bind: true},
		{file: "py-threads.txt", rt: langPython3, want: []event{
			{kind: evThread, runtime: langPython3, name: "UnicodeDecodeError", file: "/home/ann/course/t.py", line: 3, thread: "Thread-1"},
			{kind: evThread, runtime: langPython3, name: "UnicodeDecodeError", file: "/home/ann/course/t.py", line: 3, thread: "a thread started by _thread.start_new_thread"},
		}, message: "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff"},
		// Another thread's lines between the last frame and the exception.
		{file: "py-thread-interleaved.txt", rt: langPython3, want: []event{
			{kind: evThread, runtime: langPython3, name: "ConnectionResetError", file: "/home/ann/course/s.py", line: 7, thread: "Thread-3"},
		}, message: "ConnectionResetError: [Errno 104] Connection reset by peer"},
		{file: "go-goroutine.txt", rt: langGo, want: []event{{kind: evCrash, runtime: langGo, name: "panic", file: "/home/ann/course/tg.go", line: 3, thread: "goroutine 17"}}, message: "panic: assignment to entry in nil map"},
		{file: "go-bind.txt", rt: langGo, want: nil},
		{file: "node-eaddrinuse.txt", rt: langNode, want: []event{{kind: evCrash, runtime: langNode, name: "EADDRINUSE", file: "/home/ann/course/a.js", line: 3}}, message: "Error: listen EADDRINUSE", bind: true},
		{file: "node-reset.txt", rt: langUnknown, want: []event{{kind: evCrash, runtime: langNode, name: "ECONNRESET"}}, message: "Error: read ECONNRESET"},
		{file: "node-throw.txt", rt: langNode, want: []event{{kind: evCrash, runtime: langNode, name: "SyntaxError", file: "/home/ann/course/x.js", line: 2}}, message: "SyntaxError: Unexpected token"},
		{file: "node-typeerror.txt", rt: langNode, want: []event{{kind: evCrash, runtime: langNode, name: "TypeError", file: "/home/ann/course/y.js", line: 2}}, message: "TypeError: Cannot read properties of null"},
		{file: "java-bind.txt", rt: langJava, want: []event{{kind: evCrash, runtime: langJava, name: "java.net.BindException", file: "B.java", line: 2, thread: "main"}}, message: "java.net.BindException: Address already in use", bind: true},
		{file: "java-thread.txt", rt: langUnknown, want: []event{{kind: evThread, runtime: langJava, name: "java.lang.RuntimeException", file: "T.java", line: 1, thread: "Thread-0"}}, message: "java.lang.RuntimeException: java.net.SocketException: Connection reset"},
		{file: "rust-bind.txt", rt: langRust, want: []event{{kind: evCrash, runtime: langRust, name: "unwrap", file: "r.rs", line: 2, thread: "main"}}, message: "called `Result::unwrap()` on an `Err` value: Os { code: 98, kind: AddrInUse", bind: true},
		{file: "rust-thread.txt", rt: langRust, want: []event{{kind: evThread, runtime: langRust, name: "panic", file: "t.rs", line: 1, thread: "<unnamed>"}}, message: "index out of bounds"},
		{file: "c-bind.txt", rt: langC, want: nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "evidence", tc.file))
			require.NoError(t, err)
			lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
			got := readEvents(lines, tc.rt)
			require.Len(t, got, len(tc.want), "%+v", got)
			for i, w := range tc.want {
				g := got[i]
				assert.Equal(t, w, event{kind: g.kind, runtime: g.runtime, name: g.name, file: g.file, line: g.line, thread: g.thread}, "event %d", i)
			}
			if len(got) > 0 {
				assert.True(t, strings.HasPrefix(got[0].message, tc.message), "its message: %q", got[0].message)
				assert.Equal(t, tc.bind, got[0].bindFailure())
			}
		})
	}
	t.Run("a program's own last words, log.Fatal's timestamp left out", func(t *testing.T) {
		e, ok := lastWords([]string{"Socket created", "2026/12/06 11:20:00 listen tcp 127.0.0.1:18888: bind: address already in use", "exit status 1"}, langGo)
		require.True(t, ok)
		assert.Equal(t, "listen tcp 127.0.0.1:18888: bind: address already in use", e.message)
		assert.True(t, e.bindFailure())
		e, _ = lastWords([]string{"bind failed: Address already in use"}, langC)
		assert.True(t, e.bindFailure())
	})
	t.Run("where: the file's name and line", func(t *testing.T) {
		assert.Equal(t, "server.py:14", event{file: "/home/ann/server.py", line: 14}.where())
		assert.Equal(t, "Server.java:9", event{file: `C:\course\Server.java`, line: 9}.where())
		assert.Equal(t, "", event{}.where())
		assert.Equal(t, "an error its lines below show (s.py:7)", event{file: "/home/ann/s.py", line: 7}.words(), "a message lost among other lines is not quoted empty")
	})
}
