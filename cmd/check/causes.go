package main

import (
	"regexp"
	"strings"
)

// cause names why a scenario failed, or why the check could not run: a
// short slug that the report, the JSON results and the tests share.
type cause string

// The causes. A start-up failure means the check cannot run at all (exit
// status 2); every other cause is a scenario's.
const (
	// Start-up failures.
	causeNotFound     cause = "not-found"
	causeRelativeExe  cause = "relative-exe"
	causeNotRunnable  cause = "not-runnable"
	causeCompileError cause = "compile-error"
	causePython2      cause = "python2"

	// What the program did, or did not do.
	causeCrash          cause = "crash"
	causeExits          cause = "exits"
	causeNeverListens   cause = "never-listens"
	causeWrongPort      cause = "wrong-port"
	causeTimeWait       cause = "time-wait"
	causeNoBindFailure  cause = "no-bind-failure"
	causeStillRuns      cause = "still-runs"
	causeNoReply        cause = "no-reply"
	causeHungUp         cause = "hung-up"
	causeWrongBytes     cause = "wrong-bytes"
	causeFullBuffer     cause = "full-buffer"
	causeStrBytes       cause = "str-bytes"
	causeLineEnd        cause = "line-end-dropped"
	causeOthersData     cause = "others-data"
	causeSpinsOnEmpty   cause = "spins-on-empty"
	causeOneAtATime     cause = "one-at-a-time"
	causeNeverCloses    cause = "never-closes"
	causeNeverAccepts   cause = "never-accepts"
	causeOneReply       cause = "one-reply"
	causeStopsOnEmpty   cause = "stops-on-empty"
	causeWrongClient    cause = "wrong-client-address"
	causeAliveAfterCtlC cause = "alive-after-ctrl-c"
	causeNotTold        cause = "not-told"
	causeCtrlCStatus    cause = "ctrl-c-status"
	causeIdleNotClosed  cause = "idle-not-closed"
	causeIdleCutsActive cause = "idle-cuts-active"
	causeAcceptExit     cause = "accept-error-exit"
	causeAcceptStuck    cause = "accept-error-stuck"
	causeNotBusy        cause = "not-busy"
	causeGaveUp         cause = "gave-up"
)

// lang is the language a program is written in, as far as the checker can
// tell: hints use its words.
type lang string

const (
	langGo     lang = "go"
	langPython lang = "python"
	langOther  lang = "other"
)

// hint is what to do about a cause, in the words of each language; other
// is used where a language has no words of its own.
type hint struct{ goWords, python, other string }

// hints is the one table of what the report tells a learner for each
// cause. Start-up failures explain themselves and need none.
var hints = map[cause]hint{
	causeCrash: {
		goWords: "your program crashed: its last lines below say where (a panic names the file and line; log.Fatal prints its message): fix that line.",
		python:  "your program crashed: the traceback below says where (its last File line) and why (its last line): fix that line.",
		other:   "your program crashed: its last lines below say why.",
	},
	causeExits: {
		other: "your program exited where it should have gone on: after listen(), keep it running (02 waits for Ctrl-C; from 05 on, accept the next client in a loop), and let nothing but Ctrl-C end it.",
	},
	causeNeverListens: {
		goWords: "nothing listens on the port it was given: pass -addr 127.0.0.1:{port} and use the flag's value in net.Listen (or read PORT from the environment).",
		python:  "nothing listens on the port it was given: read it from the environment (PORT = int(os.environ.get('PORT', 8888))) or put {port} in the command and read sys.argv; then bind and listen.",
		other:   "nothing listens on the port it was given: take the port from the command ({port}) or from the environment variable PORT, and listen on it.",
	},
	causeWrongPort: {
		goWords: "your program listens on a port of its own choosing, not on the one it was given: use the -addr flag's value in net.Listen instead of a fixed \":8888\".",
		python:  "your program listens on a port of its own choosing, not on the one it was given: PORT = int(os.environ.get('PORT', 8888)) reads the checker's port and keeps 8888 by hand.",
		other:   "your program listens on a port of its own choosing, not on the one it was given: take it from {port} in the command or from PORT in the environment.",
	},
	causeTimeWait: {
		goWords: "the port is still held by a connection closed a moment ago (TIME_WAIT, up to a minute): net.Listen sets SO_REUSEADDR for you on Linux and macOS; or put {port} in your command.",
		python:  "the port is still held by a connection closed a moment ago (TIME_WAIT, up to a minute): call s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1) before bind, or put {port} in your command.",
		other:   "the port is still held by a connection closed a moment ago (TIME_WAIT, up to a minute): set SO_REUSEADDR before bind, or put {port} in your command.",
	},
	causeNoBindFailure: {
		goWords: "when bind fails, print the article's line, Bind failed. Error Code : <number> Message <text>, and exit: the error net.Listen returns says it.",
		python:  "when bind fails, print the article's line and exit: except socket.error as msg: print('Bind failed. Error Code : ' + str(msg.errno) + ' Message ' + msg.strerror); sys.exit().",
		other:   "when bind fails, print the article's line, Bind failed. Error Code : <number> Message <text>, and exit.",
	},
	causeStillRuns: {
		other: "this stage ends after its one client (or after a failed bind): no loop yet, so return once the client is done.",
	},
	causeNoReply: {
		goWords: "nothing came back: read from the connection (conn.Read) and write back what you read (conn.Write(buf[:n])).",
		python:  "nothing came back: data = conn.recv(1024), then conn.sendall(...) the reply.",
		other:   "nothing came back: read what the client sent and send the reply.",
	},
	causeHungUp: {
		goWords: "your program ended the connection instead of answering: keep it open until the client is done, and close it once (defer conn.Close() in the handler).",
		python:  "your program ended the connection instead of answering: close it only after the loop, when recv returned b'' (the client is done).",
		other:   "your program ended the connection instead of answering.",
	},
	causeWrongBytes: {
		goWords: "what came back is not what the client sent: send back buf[:n], the n bytes Read returned, unchanged.",
		python:  "what came back is not what the client sent: send back data, the bytes recv returned, unchanged (b'OK...' + data from 05 on).",
		other:   "what came back is not what the client sent: send back the bytes you read, unchanged.",
	},
	causeFullBuffer: {
		goWords: "the bytes sent came back followed by zeros: write buf[:n], the n bytes Read returned, not the whole buffer.",
		python:  "the bytes sent came back followed by zeros: send data itself, not a buffer of fixed size.",
		other:   "the bytes sent came back followed by zeros: send only the n bytes you read, not the whole buffer.",
	},
	causeOthersData: {
		goWords: "a client got another client's bytes: your goroutines share one buffer (or other state); make the buffer inside the handler, one per connection (go run -race shows where they share).",
		python:  "a client got another client's bytes: your threads share one variable; keep each connection's data in its own thread's local variables.",
		other:   "a client got another client's bytes: each connection needs a buffer of its own.",
	},
	causeLineEnd: {
		goWords: "the reply lost the line end the client sent (\\r\\n): bufio.Scanner's Text(), ReadString plus TrimSpace and the like drop it, and wait for a whole line; send back the bytes Read returned, buf[:n], as they came.",
		python:  "the reply lost the line end the client sent (\\r\\n): strip() or decode().strip() drops it; send back the bytes recv returned as they came (data, and from 05 on b'OK...' + data).",
		other:   "the reply lost the line end the client sent (\\r\\n): send back the bytes as they came.",
	},
	causeStrBytes: {
		python: "str(data) of bytes is \"b'...'\": send the bytes themselves, without str(): conn.sendall(data) in 04, b'OK...' + data from 05 on.",
		other:  "the reply shows the bytes as text (b'...'): send the bytes themselves.",
	},
	causeSpinsOnEmpty: {
		goWords: "after the client closed, your program went on sending: a Read that returns io.EOF (n == 0) means the client is done: return.",
		python:  "after the client closed, your program went on sending: recv returns b'' when the client is done: if not data: break.",
		other:   "after the client closed, your program went on sending: a read of 0 bytes means the client is done.",
	},
	causeOneAtATime: {
		goWords: "your program serves one client at a time: start a goroutine per client (go handleConn(conn)) and go back to Accept at once.",
		python:  "your program serves one client at a time: start a thread per client (start_new_thread(clientthread, (conn,))) and go back to accept at once.",
		other:   "your program serves one client at a time: serve each client in a thread of its own and go back to accept at once.",
	},
	causeNeverCloses: {
		goWords: "a client's connection stays open when this stage closes it: call conn.Close() once you are done with the client (03: after accept; 04 and 05: after the reply). A defer inside a loop runs only when the function returns.",
		python:  "a client's connection stays open when this stage closes it: conn.close() once you are done with the client (03: after accept; 04 and 05: after sendall).",
		other:   "a client's connection stays open when this stage closes it: close it once you are done with the client.",
	},
	causeNeverAccepts: {
		goWords: "nothing accepted the client: call l.Accept() (a blocking call) and print the address it returns.",
		python:  "nothing accepted the client: conn, addr = s.accept() (a blocking call), then print the address.",
		other:   "nothing accepted the client: call accept() and print the address it returns.",
	},
	causeOneReply: {
		goWords: "the second message on a connection got no reply: read and reply in a loop (for { n, err := conn.Read(buf) ... }) that ends only when the client closes (a return or break that runs after every reply ends it after one).",
		python:  "the second message on a connection got no reply: recv and reply in a loop (while True:) that ends only when recv returns b'' (a break that runs after every reply ends it after one).",
		other:   "the second message on a connection got no reply: read and reply in a loop until the client closes.",
	},
	causeStopsOnEmpty: {
		goWords: "a client that closes or resets must end its own goroutine only: return from the handler, never from the accept loop or the program.",
		python:  "a client that closes or resets must end its own thread only: break out of the thread's loop, not the accept loop; catch the error of a reset connection in the thread.",
		other:   "a client that closes or resets must end its own thread only, not the program.",
	},
	causeWrongClient: {
		goWords: "print the client's address, the one Accept returned: conn.RemoteAddr(), not conn.LocalAddr().",
		python:  "print the client's address, the one accept() returned: conn, addr = s.accept(); print('Connected with ' + addr[0] + ':' + str(addr[1])).",
		other:   "print the client's address and port, as accept returned them.",
	},
	causeAliveAfterCtlC: {
		goWords: "your program still runs after Ctrl-C: something keeps it alive (a goroutine main waits for, or signal.Notify without an exit).",
		python:  "your program still runs after Ctrl-C: threading.Thread threads keep Python alive until they end; make them daemon threads (threading.Thread(target=..., daemon=True)), as the article's start_new_thread does.",
		other:   "your program still runs after Ctrl-C: a thread or child process keeps it alive.",
	},
	causeNotTold: {
		goWords: "on Ctrl-C, tell every client before closing it: signal.Notify, stop accepting (close the listener), write a goodbye line to each connection, close them, then exit with 0 (docs/07-shutdown.md).",
		python:  "on Ctrl-C, tell every client before closing it: catch KeyboardInterrupt, send each connection a goodbye line, close them, close the listening socket, then exit.",
		other:   "on Ctrl-C, tell every client (a line) before closing it, then exit with 0.",
	},
	causeCtrlCStatus: {
		goWords: "a stop asked for with Ctrl-C is not a failure: return 0 from run, or os.Exit(0), once the clients are closed.",
		python:  "a stop asked for with Ctrl-C is not a failure: catch KeyboardInterrupt and end normally (sys.exit(0)).",
		other:   "a stop asked for with Ctrl-C is not a failure: exit with 0.",
	},
	causeIdleNotClosed: {
		goWords: "give each read a deadline: conn.SetReadDeadline(time.Now().Add(idle)) before every Read; when it passes, tell the client and close.",
		python:  "give each recv a timeout: conn.settimeout(idle); when socket.timeout is raised, tell the client and close.",
		other:   "give each read a timeout of -idle; when it passes, tell the client and close.",
	},
	causeIdleCutsActive: {
		goWords: "a client that keeps talking was cut off: set the deadline again before every Read (time.Now().Add(idle)), not once per connection.",
		python:  "a client that keeps talking was cut off: the timeout must count silence, from each recv, not the connection's age.",
		other:   "a client that keeps talking was cut off: the timeout must count silence since the last message, not the connection's age.",
	},
	causeAcceptExit: {
		goWords: "your program stopped on an accept error (too many open files): such errors pass; log them, pause (5 ms, doubling to 1 s) and Accept again, as net/http does (docs/07-shutdown.md).",
		python:  "your program stopped on an accept error (too many open files): catch OSError around accept(), pause a little (time.sleep), and accept again.",
		other:   "your program stopped on an accept error (too many open files): pause and accept again instead.",
	},
	causeAcceptStuck: {
		other: "after an accept error (too many open files) your program serves nobody, even once files are free again: pause and accept again, and keep serving.",
	},
	causeNotBusy: {
		other: "with -max clients connected, answer a new client with the busy line and close it (docs/07-shutdown.md, exercise 2).",
	},
	causeGaveUp: {
		other: "the scenario did not end in time: the checker stopped it and your program. Run it again with -v to see everything.",
	},
}

// crashHints add to the crash hint what the evidence shows, the first
// that matches: how the program ended (r.ending) and, for some, what it
// printed before.
var crashHints = []struct {
	ending  *regexp.Regexp
	printed string // a line printed before must hold this too ("" for any)
	h       hint
}{
	{ // The listening socket closed inside the accept loop.
		ending: regexp.MustCompile(`accept tcp .*use of closed network connection`),
		h:      hint{goWords: "Accept failed because the listener was closed: l.Close() (or a defer of it) belongs after the accept loop, not inside it."},
	},
	{
		ending: regexp.MustCompile(`Bad file descriptor`), printed: ".accept()",
		h: hint{python: "accept() failed because the listening socket was closed: s.close() belongs after the while loop, not inside it (mind its indentation)."},
	},
	{ // Python 3's text and bytes.
		ending: regexp.MustCompile(`a bytes-like object is required|can only concatenate str \(not \\?"bytes\\?"\)|can't concat str to bytes|can only concatenate bytes`),
		h:      hint{python: "Python 3 sends bytes, not text: write b'OK...' + data, and encode text you send ('...'.encode())."},
	},
	{ // A failed read or write, the one mistake behind most crashes here.
		ending: regexp.MustCompile(`(?i)connection ?reset|broken ?pipe|connection ?aborted|ConnectionError|closed network connection|i/o timeout|(read|write) tcp|(^|\s)EOF"?$`),
		h: hint{
			goWords: "A failed Read or Write should end that one connection (return from the handler), not the program.",
			python:  "A failed recv or send (an OSError) should end that one connection (close it and return), not the program.",
			other:   "A failed read or write should end that one connection, not the program.",
		},
	},
}

// hintOf says what to do about a failed scenario: its cause's hint, and
// for a crash what its evidence shows.
func hintOf(r result) string {
	h := hintFor(r.cause, r.lang)
	if r.cause != causeCrash {
		return h
	}
	for _, c := range crashHints {
		if !c.ending.MatchString(r.ending) || c.printed != "" && !strings.Contains(strings.Join(r.printed, "\n"), c.printed) {
			continue
		}
		if more := pick(c.h, r.lang); more != "" {
			return h + " " + more
		}
	}
	return h
}

// hintFor says what to do about c, in the words of l.
func hintFor(c cause, l lang) string { return pick(hints[c], l) }

// pick returns h in the words of l.
func pick(h hint, l lang) string {
	switch {
	case l == langGo && h.goWords != "":
		return h.goWords
	case l == langPython && h.python != "":
		return h.python
	}
	return h.other
}

// pythonRepr is how Python writes bytes b as a literal: what str(data)
// puts in a reply.
func pythonRepr(b string) string {
	var s strings.Builder
	s.WriteString("b'")
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\\' || c == '\'':
			s.WriteByte('\\')
			s.WriteByte(c)
		case c == '\r':
			s.WriteString(`\r`)
		case c == '\n':
			s.WriteString(`\n`)
		case c == '\t':
			s.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			s.WriteString(`\x`)
			s.WriteByte("0123456789abcdef"[c>>4])
			s.WriteByte("0123456789abcdef"[c&15])
		default:
			s.WriteByte(c)
		}
	}
	s.WriteString("'")
	return s.String()
}
