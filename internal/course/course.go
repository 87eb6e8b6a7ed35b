// Package course is the course in one table: for each stage, its folder,
// the article's section it follows (or none, past the article), the stage
// it builds on, the behaviour that defines it, the scenarios that show it
// from the outside and the limitations they prove, what fixes each, the
// checker's flags it needs, its exercises and the glossary terms its page
// introduces. The checker, the docs tests and the mutation check read it:
// a stage is added here, and the registry test (cmd/check) names what
// else it still lacks.
package course

import (
	"fmt"
	"strings"
)

// A Fact is a behaviour a client can see of a program. The checker finds
// facts in its scenarios and decides the stage a program behaves like
// from them.
type Fact string

// The facts, in the order the course adds them.
const (
	Binds        Fact = "binds"         // it notices a port that is taken
	Listens      Fact = "listens"       // a client's connect succeeds
	Accepts      Fact = "accepts"       // it reacts to a client: prints it, closes it, or answers
	Replies      Fact = "replies"       // bytes come back after a client sends
	Loops        Fact = "loops"         // a client after the first is served
	Concurrent   Fact = "concurrent"    // a client is served while another is connected and silent
	EveryMessage Fact = "every-message" // a second message on a connection is answered
	Tells        Fact = "tells"         // on Ctrl-C, every client is told
	Lines        Fact = "lines"         // each line is answered, however the bytes were cut
)

// Reply is what a stage sends back for a message.
type Reply int

const (
	NoReply  Reply = iota // 01 to 03: nothing
	Echo                  // 04: the bytes, as they came
	Prefixed              // 05 on: Prefix and the bytes
)

// A Scenario is one thing a client (or the terminal) can see of a stage.
// A limitation scenario is what the stage cannot do yet: the article's
// program shows it, and FixedBy is the stage that does better.
type Scenario struct {
	Slug    string // a short name that the checker's -run, JSON results and tests share
	Name    string // what is checked, as the report says it
	Proves  string // why it matters, in the course's words
	FixedBy string // for a limitation: the stage that fixes it
	Needs   string // a checker flag without which it is not checked ("-idle")
}

// An Exercise at the end of a stage's page that changes what the stage's
// program does: the checker's -exercise checks it done.
type Exercise struct {
	Name     string // the page's stage number and the exercise's: 06-2
	Changes  string // what it changes, for the checker: survives-empty, welcome-names, busy
	What     string
	NeedsMax bool       // the checker needs -max, as the program does
	Adds     []Scenario // scenarios it adds to its stage's
	Only     bool       // its scenarios replace the stage's: the program speaks another protocol
}

// A Stage of the course.
type Stage struct {
	Folder   string // 05-loop: the stage's folder, and its pages' names
	Article  string // the article's section it follows, in the article's words; "" past the article
	BuildsOn string // a stage whose scenarios it must pass too
	// Has is the behaviour that makes a program behave like this stage
	// (with Listens, from 02 on); Gate is the fact without which a
	// program does nothing of this stage or of any after it.
	Has  []Fact
	Gate Fact
	// Missing says in words what a program that lacks Gate does not do.
	Missing string
	// What its program prints and sends, which the checker holds text to.
	Prints        []string // the article's lines, in order
	PrintsClients bool     // "Connected with" and the client's address, for every client
	Reply         Reply
	Welcome       bool // the welcome line, first, to every client
	Scenarios     []Scenario
	Exercises     []Exercise
	// Terms are the glossary's terms (docs/README.md) that its page
	// introduces.
	Terms []string
}

// The article's texts.
const (
	Prefix        = "OK..."
	WelcomeLine   = "Welcome to the server. Type something and hit enter\n"
	SocketCreated = "Socket created"
	BindComplete  = "Socket bind complete"
	NowListening  = "Socket now listening"
	// BindFailed is the form of the article's line when bind fails:
	// 'Bind failed. Error Code : ' + str(msg[0]) + ' Message ' + msg[1],
	// the error's number, or in languages without one its name.
	BindFailed    = "Bind failed. Error Code : <number or name> Message <text>"
	ConnectedWith = "Connected with "
)

var bound = []string{SocketCreated, BindComplete}
var listening = []string{SocketCreated, BindComplete, NowListening}

// Stages is the course, in order.
var Stages = []Stage{
	{
		Folder: "01-bind", Article: "绑定 socket",
		Has: []Fact{Binds}, Prints: bound,
		Scenarios: []Scenario{
			{Slug: "lines", Name: "prints Socket created and Socket bind complete", Proves: "socket() and bind() worked"},
			{Slug: "bind-failed", Name: "on a port in use, prints Bind failed and exits", Proves: "a failed bind is reported, not ignored"},
			{Slug: "refused-while-bound", Name: "a client is refused while the socket is only bound", Proves: "bind() alone does not let clients in", FixedBy: "02-listen"},
		},
		Terms: []string{"socket", "file descriptor", "port", "exit status", "stderr"},
	},
	{
		Folder: "02-listen", Article: "监听连接",
		Has: []Fact{Listens}, Gate: Listens, Missing: "listen: no client could connect", Prints: listening,
		Scenarios: []Scenario{
			{Slug: "listening", Name: "prints Socket now listening, and a client connects", Proves: "listen() lets the kernel complete connections"},
			{Slug: "never-accepted", Name: "a client that connects gets nothing: never accepted", Proves: "the kernel queues connections that nobody accepts", FixedBy: "03-accept"},
		},
		Terms: []string{"signal", "SYN, SYN-ACK, ACK", "handshake", "backlog", "accept queue", "SYN queue", "SYN cookie", "SYN flood", "network namespace", "Send-Q, Recv-Q"},
	},
	{
		Folder: "03-accept", Article: "接收连接",
		Has: []Fact{Accepts}, Gate: Accepts, Missing: "accept its clients", Prints: listening, PrintsClients: true,
		Scenarios: []Scenario{
			{Slug: "connected-with", Name: "prints Connected with the client's own address", Proves: "accept() tells who the client is"},
			{Slug: "hung-up", Name: "a client that sends is hung up on without a reply", Proves: "accepting is not answering", FixedBy: "04-echo-once"},
			{Slug: "exits-after-one", Name: "the program exits after its first client", Proves: "no loop: one client only", FixedBy: "05-loop"},
		},
		Terms: []string{"reset (RST)", "FIN", "somaxconn", "blocking", "non-blocking", "Nagle", "Multipath TCP"},
	},
	{
		Folder: "04-echo-once", Article: "接收连接",
		Has: []Fact{Replies}, Gate: Replies, Missing: "answer a client", Prints: listening, PrintsClients: true, Reply: Echo,
		Scenarios: []Scenario{
			{Slug: "echo", Name: "the 3 bytes sent come back, binary included, and nothing more", Proves: "send back buf[:n], the bytes read, not the buffer"},
			{Slug: "one-reply", Name: "a second message on the same connection gets no reply", Proves: "one read, one reply", FixedBy: "06-goroutines"},
			{Slug: "exits-after-one", Name: "the program exits after its first client", Proves: "no loop: one client only", FixedBy: "05-loop"},
		},
		Terms: []string{"echo", "message boundaries", "EOF", "half-close"},
	},
	{
		Folder: "05-loop", Article: "保持服务",
		Has: []Fact{Loops}, Gate: Loops, Missing: "serve a second client", Prints: listening, PrintsClients: true, Reply: Prefixed,
		Scenarios: []Scenario{
			{Slug: "served-in-turn", Name: "three clients in turn, each answered OK... and its data, then hung up on; each printed Connected with", Proves: "an accept loop serves every client"},
			{Slug: "second-waits", Name: "a second client waits while the first is connected and silent", Proves: "one client at a time", FixedBy: "06-goroutines"},
			{Slug: "one-reply", Name: "a second message on the same connection gets no reply", Proves: "one read, one reply", FixedBy: "06-goroutines"},
			{Slug: "empty-stops", Name: "a client that closes without sending stops the program", Proves: "the article's break leaves the accept loop", FixedBy: "06-goroutines"},
		},
		Terms:     []string{"CLOSE_WAIT"},
		Exercises: []Exercise{{Name: "05-2", Changes: "survives-empty", What: "the server survives an empty connection: the next client is served"}},
	},
	{
		Folder: "06-goroutines", Article: "处理连接",
		Has: []Fact{Concurrent, EveryMessage}, Gate: Concurrent, Missing: "serve two clients at the same time", Prints: listening, PrintsClients: true, Reply: Prefixed, Welcome: true,
		Scenarios: []Scenario{
			{Slug: "connected-with", Name: "prints Connected with the client's own address", Proves: "accept() tells who the client is"},
			{Slug: "every-message", Name: "the welcome line, then OK... and the data for every message", Proves: "a thread (goroutine) per client talks until the client leaves"},
			{Slug: "second-while-silent", Name: "a second client is answered while the first is silent", Proves: "clients are served at the same time"},
			{Slug: "hundred-clients", Name: "100 clients at once, each answered, twice", Proves: "clients are served at the same time"},
			{Slug: "empty-or-reset", Name: "a client that closes without sending, or resets, stops nobody", Proves: "only that client's thread ends"},
			{Slug: "dropped-on-ctrl-c", Name: "on Ctrl-C, connected clients are dropped without a word", Proves: "the article never stops cleanly", FixedBy: "07-shutdown"},
		},
		Exercises: []Exercise{{Name: "06-2", Changes: "welcome-names", What: "the welcome line names the client: Welcome 127.0.0.1:59954. Type something and hit enter"}},
		Terms:     []string{"netpoller", "edge-triggered", "GIL (global interpreter lock)", "goroutine", "safe for concurrent use"},
	},
	{
		Folder: "07-shutdown", BuildsOn: "06-goroutines",
		Has: []Fact{Concurrent, EveryMessage, Tells}, Prints: listening, PrintsClients: true, Reply: Prefixed, Welcome: true,
		Scenarios: []Scenario{
			{Slug: "told-on-ctrl-c", Name: "on Ctrl-C, every client is told and closed, and the program exits with 0", Proves: "a clean stop"},
			{Slug: "idle", Name: "a silent client is told and closed after -idle; one that keeps talking is not", Proves: "idle clients are timed out, by a deadline per read", Needs: "-idle"},
			{Slug: "accept-errors", Name: "too many open files: the program pauses and goes on serving", Proves: "an accept error is not the end of the server"},
			{Slug: "lines-in-one-segment", Name: "two lines in one segment get one reply holding both", Proves: "TCP carries bytes, not messages: one read may hold two lines (粘包)", FixedBy: "08-lines"},
			{Slug: "line-in-pieces", Name: "a line sent in three pieces gets a reply for each piece", Proves: "one read may hold part of a line (半包)", FixedBy: "08-lines"},
		},
		Exercises: []Exercise{{Name: "07-2", Changes: "busy", What: "with -max clients connected, a new client is told Server busy. Try again later. and closed", NeedsMax: true,
			Adds: []Scenario{{Slug: "busy", Name: "with -max clients connected, a new one is told Server busy. Try again later. and closed", Proves: "exercise 07-2: a limit on the number of clients"}}}},
		Terms: []string{"keep-alive", "heartbeat", "mutex", "context", "deadline", "stop cleanly", "goroutine leak", "fuzz test", "seeds (seed corpus)"},
	},
	{
		Folder: "08-lines", BuildsOn: "07-shutdown",
		Has: []Fact{Concurrent, EveryMessage, Tells, Lines}, Prints: listening, PrintsClients: true, Reply: Prefixed, Welcome: true,
		Scenarios: []Scenario{
			{Slug: "lines-in-one-segment", Name: "two lines in one segment get a reply each", Proves: "a reply per line, however the reads cut the bytes"},
			{Slug: "line-in-pieces", Name: "a line sent in three pieces gets one reply, once its line end arrives", Proves: "a line is answered whole"},
			{Slug: "long-line", Name: "a line that never ends gets one line back, and the connection closed", Proves: "a limit on a line: a client cannot make the server hold its bytes for ever"},
			{Slug: "idle-partial-line", Name: "half a line, then silence, is closed after -idle", Proves: "a line must be whole within the idle time", Needs: "-idle"},
		},
		Exercises: []Exercise{{Name: "08-2", Changes: "length-prefix", Only: true,
			What: "a length prefix instead of a line end: every message a frame, two bytes of length (big-endian), then the payload",
			Adds: []Scenario{
				{Slug: "frames", Name: "the welcome and every reply are frames, however the client's frames are cut", Proves: "exercise 08-2: a length prefix frames the bytes"},
				{Slug: "frame-too-long", Name: "a length over 1024 gets a goodbye frame, and the connection closed", Proves: "exercise 08-2: a limit on a frame"},
			}}},
		Terms: []string{"framing", "segment", "MSS (maximum segment size)", "粘包 (stuck packets)", "半包 (half packets)", "TCP_NODELAY", "delimiter", "length prefix"},
	},
}

// Index returns the place of the stage folder in the course, from 0; -1
// for none.
func Index(folder string) int {
	for i, st := range Stages {
		if st.Folder == folder {
			return i
		}
	}
	return -1
}

// Get returns the stage folder; it panics for a name that is no stage,
// which is a mistake in the code, not in what a user typed.
func Get(folder string) *Stage {
	i := Index(folder)
	if i < 0 {
		panic(fmt.Sprintf("course: no stage %q", folder))
	}
	return &Stages[i]
}

// Folders returns every stage's folder, in order.
func Folders() []string {
	var list []string
	for _, st := range Stages {
		list = append(list, st.Folder)
	}
	return list
}

// Num is the stage's number, "05".
func (st *Stage) Num() string {
	num, _, _ := strings.Cut(st.Folder, "-")
	return num
}

// Word is the stage's name without its number, "loop".
func (st *Stage) Word() string {
	_, word, _ := strings.Cut(st.Folder, "-")
	return word
}

// Page is the stage's page in English, from the repository's root; its
// Chinese twin is under docs/zh-CN.
func (st *Stage) Page() string { return "docs/" + st.Folder + ".md" }

// PageZh is the stage's page in Chinese.
func (st *Stage) PageZh() string { return "docs/zh-CN/" + st.Folder + ".md" }

// Next returns the stage after st, or nil for the last.
func (st *Stage) Next() *Stage {
	i := Index(st.Folder)
	if i+1 < len(Stages) {
		return &Stages[i+1]
	}
	return nil
}

// Chain is the stage and those it builds on, the first built on first:
// the stages whose scenarios a check of st runs.
func (st *Stage) Chain() []*Stage {
	var chain []*Stage
	for s := st; s != nil; {
		chain = append([]*Stage{s}, chain...)
		if s.BuildsOn == "" {
			break
		}
		s = Get(s.BuildsOn)
	}
	return chain
}

// PastArticle reports whether the stage goes past the article.
func (st *Stage) PastArticle() bool { return st.Article == "" }

// FirstWith returns the first stage for which has is true, or nil: the
// stage from which a text or a behaviour is the course's.
func FirstWith(has func(*Stage) bool) *Stage {
	for i := range Stages {
		if has(&Stages[i]) {
			return &Stages[i]
		}
	}
	return nil
}

// LineFrom returns the first stage that prints the article's line l.
func LineFrom(l string) *Stage {
	return FirstWith(func(st *Stage) bool {
		for _, p := range st.Prints {
			if p == l {
				return true
			}
		}
		return false
	})
}

// ExerciseStage returns the stage whose exercise name is, and the
// exercise; nil for none.
func ExerciseStage(name string) (*Stage, *Exercise) {
	for i := range Stages {
		for j := range Stages[i].Exercises {
			if Stages[i].Exercises[j].Name == name {
				return &Stages[i], &Stages[i].Exercises[j]
			}
		}
	}
	return nil, nil
}
