package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"socketcourse/internal/course"
)

// Evidence: what a program printed about how it failed, read the way its
// runtime writes it. Python writes a traceback, Go a panic or log.Fatal's
// line, Node.js an uncaught error between "node:events" and "Node.js
// v20", Java "Exception in thread", Rust "thread 'main' panicked at", and
// a C program a line of perror's. Each becomes an event: what happened,
// its message, the learner's file and line, the thread. Every scenario
// reads events, never the raw lines: two different events are never
// taken for one.

// lang is what runs the learner's program, as far as the checker can
// tell: hints use its idiom.
type lang string

const (
	langUnknown lang = ""
	langPython2 lang = "python2"
	langPython3 lang = "python3"
	langGo      lang = "go"
	langNode    lang = "node"
	langJava    lang = "java"
	langRust    lang = "rust"
	langC       lang = "c" // C, C++, or any program compiled to machine code without a runtime of its own
)

// family is the language whose words a hint uses: Python 2 and 3 are one.
func (r lang) family() lang {
	if r == langPython2 {
		return langPython3
	}
	return r
}

// name is the language's name in a sentence.
func (r lang) name() string {
	switch r {
	case langPython2:
		return "Python 2"
	case langPython3:
		return "Python"
	case langGo:
		return "Go"
	case langNode:
		return "Node.js"
	case langJava:
		return "Java"
	case langRust:
		return "Rust"
	case langC:
		return "C"
	}
	return "your program's language"
}

// eventKind is what an event says happened.
type eventKind string

const (
	evCrash   eventKind = "crash"   // the runtime's report of an error nobody caught: a traceback, a panic, an uncaught exception
	evThread  eventKind = "thread"  // the same, for one thread (or one client's handler) only: the program goes on
	evPrinted eventKind = "printed" // a stack trace the program printed itself, and went on (printStackTrace, traceback.print_exc)
	evWords   eventKind = "words"   // the program's own last words before it ended with a failure status (log.Fatal, perror)
	evSignal  eventKind = "signal"  // a signal ended it, and nothing said why (SIGPIPE, SIGSEGV)
)

// event is one thing the evidence says happened.
type event struct {
	kind    eventKind
	runtime lang   // the language whose runtime printed it
	message string // the error's own line: "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff ..."
	name    string // the error's kind: "UnicodeDecodeError", "java.net.BindException", "EADDRINUSE", "panic"
	file    string // the learner's file, as the runtime names it; "" when it names none
	line    int
	thread  string // "main", "Thread-1"; "" when not said
	at, end int    // the indexes of its first line among the lines read, and of the line after its last
}

// where says where the event happened: "server.py:14", or "".
func (e event) where() string {
	if e.file == "" {
		return ""
	}
	file := e.file
	if i := strings.LastIndexAny(file, `/\`); i >= 0 {
		file = file[i+1:]
	}
	if e.line == 0 {
		return file
	}
	return file + ":" + strconv.Itoa(e.line)
}

// signature tells events apart for the report: the same kind of error, in
// the same place, is the same event seen again.
func (e event) signature() string {
	return string(e.kind) + "\x00" + e.name + "\x00" + e.where()
}

// words says the event in a few words: `UnicodeDecodeError: ... (server.py:14)`;
// without a message (its line was lost among others), what it is and where.
func (e event) words() string {
	msg := e.message
	if len(msg) > 160 {
		msg = msg[:157] + "..."
	}
	what := fmt.Sprintf("%q", msg)
	if msg == "" {
		what = "an error its lines below show"
		if e.name != "" {
			what = e.name
		}
	}
	if w := e.where(); w != "" {
		return fmt.Sprintf("%s (%s)", what, w)
	}
	return what
}

// bindFailure reports whether the event is about a port in use.
func (e event) bindFailure() bool { return saysAddrInUse(e.message) || saysAddrInUse(e.name) }

var addrInUse = regexp.MustCompile(`(?i)address already in use|EADDRINUSE|AddrInUse|BindException|only one usage of each socket address|Errno (98|48|10048)\b|\b(os error|code:) (98|48|10048)\b`)

// saysAddrInUse reports whether text says that a port was in use, in the
// words of any runtime.
func saysAddrInUse(text string) bool { return addrInUse.MatchString(text) }

var (
	pyTraceback   = "Traceback (most recent call last):"
	pyFrame       = regexp.MustCompile(`^  File "([^"]+)", line (\d+)`)
	pyExcLine     = regexp.MustCompile(`^([A-Za-z_][\w.]*)(: |$)`)
	pyThreadLine  = regexp.MustCompile(`^(Exception in thread (\S+?)( \(.*\))?:|Unhandled exception in thread started by|Exception ignored in thread started by)`)
	goPanic       = regexp.MustCompile(`^(panic|fatal error): (.*)$`)
	goFrameFile   = regexp.MustCompile(`^\t(.+\.go):(\d+)( \+0x[0-9a-f]+)?$`)
	goGoroutine   = regexp.MustCompile(`^goroutine (\d+) \[`)
	nodeHeader    = regexp.MustCompile(`^(node:[\w/]+:\d+|(.+\.[cm]?js):(\d+)|<anonymous_script>:\d+)$`)
	nodeError     = regexp.MustCompile(`^([A-Z][A-Za-z]*Error|Error)( \[[A-Z_]+\])?: (.*)$`)
	nodeFrame     = regexp.MustCompile(`^\s+at (?:.*\()?([^()\s]+\.[cm]?js):(\d+):\d+\)?$`)
	nodeCode      = regexp.MustCompile(`^\s+code: '([A-Z_0-9]+)'`)
	nodeVersion   = regexp.MustCompile(`^Node\.js v\d+`)
	javaUncaught  = regexp.MustCompile(`^Exception in thread "([^"]*)" (([\w$.]+)(: .*)?)$`)
	javaThrowable = regexp.MustCompile(`^(([a-z][\w$]*\.)+[A-Z][\w$]*(Exception|Error))(: .*)?$`)
	javaFrame     = regexp.MustCompile(`^\s+at ([\w$./]+)\.[\w$<>]+\(([\w$]+\.java):(\d+)\)$`)
	javaCausedBy  = regexp.MustCompile(`^Caused by: ([\w$.]+)(: .*)?$`)
	rustPanic     = regexp.MustCompile(`^thread '([^']*)'(?: \(\d+\))? panicked at (?:'(.*)', )?([^:\s]+):(\d+):\d+:?$`)
	logTimestamp  = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(\.\d+)? `)
)

// readEvents reads the events in what a program printed, lines, in the
// order they were printed. It knows the runtime from rt when the command
// said it, and from the lines themselves otherwise.
func readEvents(lines []string, rt lang) []event {
	var events []event
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case l == pyTraceback:
			e, next := readPython(lines, i, rt)
			e.end = next
			events = append(events, e)
			i = next - 1
		case goPanic.MatchString(l) && (rt == langGo || rt == langUnknown):
			e, next := readGo(lines, i)
			e.end = next
			events = append(events, e)
			i = next - 1
		case (rt == langNode || rt == langUnknown) && nodeHeader.MatchString(l) && nodeBlockAhead(lines, i):
			e, next := readNode(lines, i)
			e.end = next
			events = append(events, e)
			i = next - 1
		case javaUncaught.MatchString(l):
			e, next := readJava(lines, i, true)
			e.end = next
			events = append(events, e)
			i = next - 1
		case (rt == langJava || rt == langUnknown) && javaThrowable.MatchString(l) && i+1 < len(lines) && javaFrame.MatchString(lines[i+1]):
			e, next := readJava(lines, i, false)
			e.end = next
			events = append(events, e)
			i = next - 1
		case rustPanic.MatchString(l):
			e, next := readRust(lines, i)
			e.end = next
			events = append(events, e)
			i = next - 1
		}
	}
	return events
}

// readPython reads the traceback that starts at lines[i]: its last
// frame in a file of the learner's, its exception, and whose thread.
func readPython(lines []string, i int, rt lang) (event, int) {
	e := event{kind: evCrash, runtime: rt, at: i}
	if rt != langPython2 {
		e.runtime = langPython3
	}
	// A thread's traceback follows a line that names it; a chained one
	// ("During handling of the above exception") belongs to the same.
	for j := i - 1; j >= 0 && j >= i-12; j-- {
		if m := pyThreadLine.FindStringSubmatch(lines[j]); m != nil {
			e.kind, e.thread = evThread, m[2]
			if e.thread == "" {
				e.thread = "a thread started by _thread.start_new_thread"
			}
			break
		}
		if lines[j] == pyTraceback || lines[j] == "" || strings.HasPrefix(lines[j], "  ") || strings.HasPrefix(lines[j], "During handling") || strings.HasPrefix(lines[j], "The above exception") {
			continue
		}
		break
	}
	j := i + 1
	for ; j < len(lines); j++ {
		l := lines[j]
		if m := pyFrame.FindStringSubmatch(l); m != nil {
			if !libraryFile(m[1]) {
				e.file, e.line = m[1], atoi(m[2])
			}
			continue
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			continue
		}
		// Threads that fail at once print their tracebacks line by line
		// in turns: a line of another's may come first.
		if l == pyTraceback || pyThreadLine.MatchString(l) || strings.HasPrefix(l, "~") || strings.HasPrefix(l, "^") {
			if j-i < 40 {
				continue
			}
			break
		}
		k := j
		if !pyExcLine.MatchString(l) {
			k = pyExceptionAhead(lines, j)
		}
		if k >= 0 {
			m := pyExcLine.FindStringSubmatch(lines[k])
			e.message, e.name = lines[k], m[1]
			if strings.HasPrefix(e.name, "socket.") || e.name == "exceptions.TypeError" {
				e.runtime = langPython2
			}
			j = k + 1
		}
		break
	}
	return e, j
}

// pyExceptionAhead finds a traceback's exception line a few lines after
// its last frame, where the program's other threads printed lines of
// their own in between ("Accept new connection from ..."): the index of
// the first line that names an exception, before another traceback
// starts, or -1.
func pyExceptionAhead(lines []string, j int) int {
	for k := j; k < len(lines) && k < j+8; k++ {
		l := lines[k]
		switch {
		case l == pyTraceback || pyThreadLine.MatchString(l) || pyFrame.MatchString(l):
			return -1
		case pyExceptionName.MatchString(l):
			return k
		}
	}
	return -1
}

// pyExceptionName is an exception line, known by its name, among other
// lines: ConnectionResetError: [Errno 104] ..., socket.error: ...
var pyExceptionName = regexp.MustCompile(`^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit|error|timeout)(: |$)`)

// libraryFile reports whether a traceback's file is the language's own,
// not the learner's.
func libraryFile(path string) bool {
	p := strings.ReplaceAll(path, `\`, "/")
	return strings.Contains(p, "/lib/python") || strings.Contains(p, "/Lib/") || strings.HasPrefix(p, "<frozen")
}

// readGo reads a panic or a fatal error: its message, and the first frame
// in the learner's code.
func readGo(lines []string, i int) (event, int) {
	m := goPanic.FindStringSubmatch(lines[i])
	e := event{kind: evCrash, runtime: langGo, message: lines[i], name: m[1], at: i}
	j := i + 1
	for ; j < len(lines); j++ {
		l := lines[j]
		if g := goGoroutine.FindStringSubmatch(l); g != nil && e.thread == "" {
			e.thread = "goroutine " + g[1]
			continue
		}
		if f := goFrameFile.FindStringSubmatch(l); f != nil {
			if e.file == "" && !strings.Contains(f[1], "/src/runtime/") && !strings.Contains(f[1], "/go/src/") && !strings.Contains(f[1], "/pkg/mod/") {
				e.file, e.line = f[1], atoi(f[2])
			}
			continue
		}
		if l == "" || strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "created by ") || strings.HasPrefix(l, "main.") || strings.Contains(l, "(") || strings.HasPrefix(l, "[") {
			continue
		}
		break
	}
	return e, j
}

// nodeBlockAhead reports whether an uncaught error of Node.js's follows
// the header at lines[i]: the code line, a caret, and the error.
func nodeBlockAhead(lines []string, i int) bool {
	for j := i + 1; j < len(lines) && j <= i+8; j++ {
		if nodeError.MatchString(lines[j]) {
			return true
		}
	}
	return false
}

// readNode reads Node.js's report of an uncaught error: the header names
// the learner's file when the error was thrown there; the error's line;
// its frames; the code of a system error; "Node.js vNN" ends it.
func readNode(lines []string, i int) (event, int) {
	e := event{kind: evCrash, runtime: langNode, at: i}
	if m := nodeHeader.FindStringSubmatch(lines[i]); m[2] != "" {
		e.file, e.line = m[2], atoi(m[3])
	}
	j := i + 1
	for ; j < len(lines); j++ {
		l := lines[j]
		if m := nodeError.FindStringSubmatch(l); m != nil && e.message == "" {
			e.message, e.name = l, m[1]
			continue
		}
		if m := nodeFrame.FindStringSubmatch(l); m != nil && e.message != "" && e.file == "" && !strings.HasPrefix(m[1], "node:") {
			e.file, e.line = m[1], atoi(m[2])
			continue
		}
		if m := nodeCode.FindStringSubmatch(l); m != nil {
			e.name = m[1]
			continue
		}
		if nodeVersion.MatchString(l) {
			j++
			break
		}
	}
	return e, j
}

// readJava reads an exception's report: "Exception in thread" for one
// nobody caught (which ends that thread, and the program when it is
// main's), or a trace the program printed itself and went on.
func readJava(lines []string, i int, uncaught bool) (event, int) {
	e := event{kind: evPrinted, runtime: langJava, at: i}
	if uncaught {
		m := javaUncaught.FindStringSubmatch(lines[i])
		e.thread, e.message, e.name = m[1], m[2], m[3]
		e.kind = evThread
		if e.thread == "main" {
			e.kind = evCrash
		}
	} else {
		m := javaThrowable.FindStringSubmatch(lines[i])
		e.message, e.name = lines[i], m[1]
	}
	j := i + 1
	for ; j < len(lines); j++ {
		l := lines[j]
		if m := javaFrame.FindStringSubmatch(l); m != nil {
			if e.file == "" && !javaLibrary(m[1]) {
				e.file, e.line = m[2], atoi(m[3])
			}
			continue
		}
		if javaCausedBy.MatchString(l) || strings.HasPrefix(strings.TrimSpace(l), "... ") || strings.HasPrefix(strings.TrimSpace(l), "at ") {
			continue
		}
		break
	}
	return e, j
}

// javaLibrary reports whether a frame's class is Java's own.
func javaLibrary(class string) bool {
	for _, p := range []string{"java.", "javax.", "sun.", "jdk.", "com.sun."} {
		if strings.HasPrefix(class, p) || strings.Contains(class, "/"+p) {
			return true
		}
	}
	return false
}

// readRust reads a panic: its thread, where, and its message on the
// lines after (Rust 1.73 on) or in the same line (before).
func readRust(lines []string, i int) (event, int) {
	m := rustPanic.FindStringSubmatch(lines[i])
	e := event{kind: evThread, runtime: langRust, thread: m[1], file: m[3], line: atoi(m[4]), message: m[2], name: "panic", at: i}
	if e.thread == "main" {
		e.kind = evCrash
	}
	j := i + 1
	if e.message == "" && j < len(lines) {
		e.message = lines[j]
		j++
	}
	for ; j < len(lines); j++ {
		l := lines[j]
		if strings.HasPrefix(l, "note: ") || l == "stack backtrace:" || strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "   ") {
			continue
		}
		break
	}
	if strings.Contains(e.message, "Result::unwrap()") || strings.Contains(e.message, "Option::unwrap()") {
		e.name = "unwrap"
	}
	return e, j
}

// lastWords is a program's own last line, when it ended with a failure
// status and no runtime's report: log.Fatal's, perror's. A Go log line's
// timestamp is left out.
func lastWords(lines []string, rt lang) (event, bool) {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "exit status ") || strings.HasPrefix(l, "signal: ") {
			continue
		}
		if ordinary(l) {
			return event{}, false // what it prints as it works says nothing of its end
		}
		return event{kind: evWords, runtime: rt, message: logTimestamp.ReplaceAllString(l, ""), at: i}, true
	}
	return event{}, false
}

// ordinary reports whether l is one of the lines a program of the course
// prints as it works: the article's, a client's, Go's Bound to.
func ordinary(l string) bool {
	for _, p := range []string{course.SocketCreated, course.BindComplete, course.NowListening, strings.TrimSpace(course.ConnectedWith), "Bound to "} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
