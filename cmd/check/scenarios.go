package main

import "time"

// The course's stages, in order. 07-shutdown is 06-goroutines and more, so
// checking it runs 06's scenarios too.
var stages = []string{"01-bind", "02-listen", "03-accept", "04-echo-once", "05-loop", "06-goroutines", "07-shutdown"}

// buildsOn names the stage whose scenarios a stage must pass too.
var buildsOn = map[string]string{"07-shutdown": "06-goroutines"}

// A scenario is one thing a client (or the terminal) can see of a stage.
// A limitation scenario is what the stage cannot do yet: the article's
// program shows it, and fixedBy is the stage that does better.
type scenario struct {
	stage   string
	slug    string // a short name that JSON results and tests use
	name    string // what is checked, as the report says it
	proves  string // why it matters, in the course's words
	fixedBy string // for a limitation: the stage that fixes it
	run     func(*session) outcome
	ends    bool          // the scenario judges how the program ends itself (a crash is not read from the exit)
	limit   time.Duration // a backstop: the scenario is given up after this long; 0 is 30s
}

// The scenarios of every stage: the one definition of what each stage
// must show from the outside.
var scenarios = []scenario{
	{stage: "01-bind", slug: "lines", name: "prints Socket created and Socket bind complete", proves: "socket() and bind() worked", run: twoLines},
	{stage: "01-bind", slug: "bind-failed", name: "on a port in use, prints Bind failed and exits", proves: "a failed bind is reported, not ignored", run: bindFailure, ends: true},
	{stage: "01-bind", slug: "refused-while-bound", name: "a client is refused while the socket is only bound", proves: "bind() alone does not let clients in", fixedBy: "02-listen", run: refusedWhileBound},

	{stage: "02-listen", slug: "listening", name: "prints Socket now listening, and a client connects", proves: "listen() lets the kernel complete connections", run: listening},
	{stage: "02-listen", slug: "never-accepted", name: "a client that connects gets nothing: never accepted", proves: "the kernel queues connections that nobody accepts", fixedBy: "03-accept", run: neverAccepted},

	{stage: "03-accept", slug: "connected-with", name: "prints Connected with the client's own address", proves: "accept() tells who the client is", run: connectedWith},
	{stage: "03-accept", slug: "hung-up", name: "a client that sends is hung up on without a reply", proves: "accepting is not answering", fixedBy: "04-echo-once", run: hungUp},
	{stage: "03-accept", slug: "exits-after-one", name: "the program exits after its first client", proves: "no loop: one client only", fixedBy: "05-loop", run: exitsAfterOne},

	{stage: "04-echo-once", slug: "echo", name: "the 3 bytes sent come back, binary included, and nothing more", proves: "send back buf[:n], the bytes read, not the buffer", run: echoOnce},
	{stage: "04-echo-once", slug: "one-reply", name: "a second message on the same connection gets no reply", proves: "one read, one reply", fixedBy: "06-goroutines", run: oneReply},
	{stage: "04-echo-once", slug: "exits-after-one", name: "the program exits after its first client", proves: "no loop: one client only", fixedBy: "05-loop", run: exitsAfterOne},

	{stage: "05-loop", slug: "served-in-turn", name: "three clients in turn, each answered OK... and its data, then hung up on; each printed Connected with", proves: "an accept loop serves every client", run: servedInTurn},
	{stage: "05-loop", slug: "second-waits", name: "a second client waits while the first is connected and silent", proves: "one client at a time", fixedBy: "06-goroutines", run: secondWaits},
	{stage: "05-loop", slug: "one-reply", name: "a second message on the same connection gets no reply", proves: "one read, one reply", fixedBy: "06-goroutines", run: oneReply},
	{stage: "05-loop", slug: "empty-stops", name: "a client that closes without sending stops the program", proves: "the article's break leaves the accept loop", fixedBy: "06-goroutines", run: emptyStops},

	{stage: "06-goroutines", slug: "connected-with", name: "prints Connected with the client's own address", proves: "accept() tells who the client is", run: connectedWith},
	{stage: "06-goroutines", slug: "every-message", name: "the welcome line, then OK... and the data for every message", proves: "a thread (goroutine) per client talks until the client leaves", run: everyMessage},
	{stage: "06-goroutines", slug: "second-while-silent", name: "a second client is answered while the first is silent", proves: "clients are served at the same time", run: secondWhileFirstSilent},
	{stage: "06-goroutines", slug: "hundred-clients", name: "100 clients at once, each answered, twice", proves: "clients are served at the same time", run: hundredClients},
	{stage: "06-goroutines", slug: "empty-or-reset", name: "a client that closes without sending, or resets, stops nobody", proves: "only that client's thread ends", run: emptyOrReset},
	{stage: "06-goroutines", slug: "dropped-on-ctrl-c", name: "on Ctrl-C, connected clients are dropped without a word", proves: "the article never stops cleanly", fixedBy: "07-shutdown", run: droppedOnCtrlC, ends: true},

	{stage: "07-shutdown", slug: "told-on-ctrl-c", name: "on Ctrl-C, every client is told and closed, and the program exits with 0", proves: "a clean stop", run: toldOnCtrlC, ends: true},
	{stage: "07-shutdown", slug: "idle", name: "a silent client is told and closed after -idle; one that keeps talking is not", proves: "idle clients are timed out, by a deadline per read", run: idleClient, limit: time.Minute},
	{stage: "07-shutdown", slug: "accept-errors", name: "too many open files: the program pauses and goes on serving", proves: "an accept error is not the end of the server", run: acceptErrors},
}

// The behaviour a scenario sees, which decides the stage a program
// behaves like (see decide).
const (
	featBinds        = "binds"         // it notices a port that is taken
	featListens      = "listens"       // a client's connect succeeds
	featAccepts      = "accepts"       // it reacts to a client: prints it, closes it, or answers
	featReplies      = "replies"       // bytes come back after a client sends
	featLoops        = "loops"         // a client after the first is served
	featConcurrent   = "concurrent"    // a client is served while another is connected and silent
	featEveryMessage = "every-message" // a second message on a connection is answered
	featTells        = "tells"         // on Ctrl-C, every client is told
	featElsewhere    = "elsewhere"     // it listens on another port than its own
)

// status is how a scenario went.
type status string

const (
	passed   status = "passed"
	differs  status = "differs"    // as the stage wants, but its text differs
	limited  status = "limitation" // the stage's limitation, shown as the article's program shows it
	better   status = "better"     // the program does better than the stage's limitation
	outgrown status = "outgrown"   // the program does what a later stage does instead
	failed   status = "failed"
	skipped  status = "skipped"
)

// outcome is how a scenario went, in the scenario's own words.
type outcome struct {
	status status
	cause  cause
	note   string // what was seen: why it failed, why skipped, what it does better
}

func pass() outcome                  { return outcome{status: passed} }
func notePass(note string) outcome   { return outcome{status: passed, note: note} }
func shown(note string) outcome      { return outcome{status: limited, note: note} }
func doesBetter(note string) outcome { return outcome{status: better, note: note} }
func grownOut(note string) outcome   { return outcome{status: outgrown, note: note} }
func skip(why string) outcome        { return outcome{status: skipped, note: why} }

func fail(c cause, note string) outcome {
	return outcome{status: failed, cause: c, note: note}
}

// scenariosOf returns the scenarios of stage, in order.
func scenariosOf(stage string) []scenario {
	var list []scenario
	for _, sc := range scenarios {
		if sc.stage == stage {
			list = append(list, sc)
		}
	}
	return list
}

func isStage(s string) bool { return contains(stages, s) }

// stageIndex returns the place of stage in the course, from 0; -1 for none.
func stageIndex(stage string) int {
	for i, st := range stages {
		if st == stage {
			return i
		}
	}
	return -1
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
