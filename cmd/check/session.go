package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"socketcourse/internal/wire"
)

// checkRun is one run of the checker: what it was asked, the command it
// checks, the programs running, and what the first start showed.
type checkRun struct {
	ctx     context.Context
	cfg     *config
	cmd     *command
	running *programs
	pre     *preflight
}

// session is one scenario being run: the program it started, the clients
// it opened, and what happened, for the report.
type session struct {
	*checkRun
	sc       scenario
	prog     *program
	port     int
	up       bool     // the program came up: it printed its lines, or a client connected
	lines    []string // the article's lines this run must print once up
	mu       sync.Mutex
	clients  []*client
	log      []string // what the clients did, in order
	diffs    []difference
	features map[string]bool
}

// The article's lines, and the stage from which each one is printed.
var articleLines = []string{"Socket created", "Socket bind complete", "Socket now listening"}

var lineFrom = map[string]string{"Socket created": "01-bind", "Socket bind complete": "01-bind", "Socket now listening": "02-listen"}

// start starts the learner's program on the port of this run.
func (s *session) start() (*program, *outcome) {
	port := s.cfg.port
	if s.cfg.anyPort {
		var err error
		if port, err = freePort(); err != nil {
			o := skip(fmt.Sprintf("the checker found no free port: %v", err))
			return nil, &o
		}
	}
	p, o := s.startOn(port)
	if o != nil && s.cfg.anyPort {
		release(port)
	}
	return p, o
}

// startOn starts the learner's program on port.
func (s *session) startOn(port int) (*program, *outcome) {
	p, err := startProgram(s.cmd.argv, s.cfg.env, port)
	if err != nil {
		o := fail(causeNotFound, fmt.Sprintf("cannot start %s: %v", s.cmd.shown, unwrapAll(err)))
		return nil, &o
	}
	if !s.running.add(p) {
		p.stop()
		o := skip("the check was interrupted")
		return nil, &o
	}
	s.mu.Lock()
	s.prog, s.port = p, port
	s.mu.Unlock()
	s.lines = articleLines[:2]
	if stageIndex(s.sc.stage) >= 1 {
		s.lines = articleLines
	}
	return p, nil
}

func (s *session) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

func (s *session) logf(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, fmt.Sprintf(format, args...))
}

func (s *session) feature(name string, seen bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.features == nil {
		s.features = map[string]bool{}
	}
	s.features[name] = seen
}

func (s *session) differ(d difference) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.diffs = append(s.diffs, d)
}

// newClient records a connection as the session's next client.
func (s *session) newClient(conn net.Conn) *client {
	s.mu.Lock()
	n := len(s.clients) + 1
	s.mu.Unlock()
	return s.addClient(conn, n, false)
}

// addClient records a connection as the session's client number n; quiet
// for one of a crowd, whose actions are not logged one by one. It is safe
// for concurrent use.
func (s *session) addClient(conn net.Conn, n int, quiet bool) *client {
	c := &client{s: s, n: n, conn: conn, port: conn.LocalAddr().(*net.TCPAddr).Port, quiet: quiet, since: time.Now()}
	s.mu.Lock()
	s.clients = append(s.clients, c)
	s.up = true
	s.mu.Unlock()
	if !quiet {
		s.logf("client %d connects to %s from 127.0.0.1:%d", c.n, s.addr(), c.port)
	}
	return c
}

// dial connects a client, trying once.
func (s *session) dial() (*client, *outcome) {
	conn, err := wire.Dial(s.addr(), s.dialWait())
	if err != nil {
		s.logf("client %d connects to %s: %v", len(s.clients)+1, s.addr(), wire.Reason(err))
		o := s.notServing(err, "a client could not connect")
		return nil, &o
	}
	return s.newClient(conn), nil
}

// dialFirst starts the program and connects its first client, trying
// again while the program starts: the first contact is how the checker
// knows the program is up. It gives up at once when the program exits, or
// when its first start showed it does not listen where it should.
func (s *session) dialFirst() (*client, *outcome) {
	defer startGate()()
	if _, o := s.start(); o != nil {
		return nil, o
	}
	if o := s.pre.notListening(s); o != nil {
		s.logf("client 1 does not connect: %s", o.note)
		return nil, o
	}
	started := time.Now()
	deadline := started.Add(s.startWait())
	w := s.prog.watch()
	for {
		// Nothing listening is refused at once; a connection not answered
		// at once (a busy machine) gets a second at least.
		conn, err := wire.Dial(s.addr(), min(max(time.Until(deadline), time.Second), s.dialWait()))
		if err == nil {
			return s.newClient(conn), nil
		}
		// A program still starting on a busy machine is given up to three
		// times as long.
		w.look()
		if time.Now().After(deadline) && time.Since(started) < 3*s.startWait() && w.busy() {
			deadline = time.Now().Add(100 * time.Millisecond)
		}
		if s.prog.exited() || time.Now().After(deadline) {
			s.logf("client 1 connects to %s: %v", s.addr(), wire.Reason(err))
			o := s.notServing(err, "before a client could connect")
			return nil, &o
		}
		time.Sleep(20 * time.Millisecond) // polling the program while it starts, not waiting on our own goroutines
	}
}

// starts holds a place for each program starting at once: scenarios
// wait for one before they start the program, so that on a machine of few
// cores a slow start (an interpreter behind a launcher) is not slowed
// further by many others at once, and each one's time to start counts
// from its own turn.
var starts = make(chan struct{}, max(4, 2*runtime.NumCPU()))

// startGate waits for a place to start a program, and returns the call
// that gives it back once the program listens or has failed to.
func startGate() func() {
	starts <- struct{}{}
	return func() { <-starts }
}

// connect connects the session's client number i: the first starts the
// program (dialFirst), the others dial once.
func (s *session) connect(i int) (*client, *outcome) {
	if i == 1 {
		return s.dialFirst()
	}
	return s.dial()
}

// notServing says why a client could not connect: the program ended,
// listens elsewhere, or nothing listens at all.
func (s *session) notServing(err error, when string) outcome {
	if s.prog.waitExit(s.cfg.quiet) {
		return s.endedOutcome(when)
	}
	if q := s.otherPort(); q != 0 {
		s.feature(featElsewhere, true)
		return fail(causeWrongPort, fmt.Sprintf("nothing listens on %s; your program listens on port %d instead", s.addr(), q))
	}
	if wire.IsRefused(err) {
		return fail(causeNeverListens, fmt.Sprintf("nothing listens on %s: connection refused", s.addr()))
	}
	return fail(causeNeverListens, fmt.Sprintf("cannot connect to %s: %v", s.addr(), wire.Reason(err)))
}

// otherPort returns a port the program listens on instead of its own, as
// far as the system shows it (Linux), or 0.
func (s *session) otherPort() int {
	for port := range listeningPorts(s.prog.cmd.Process.Pid) {
		if port != s.port {
			return port
		}
	}
	return 0
}

// endedOutcome is the failure of a program that exited where it should
// have gone on.
func (s *session) endedOutcome(when string) outcome {
	e := s.prog.ending()
	if bindFailed(s.prog.tail(40)) {
		if !s.cfg.anyPort && (inTimeWait(s.port) || runtime.GOOS != "linux") {
			return fail(causeTimeWait, fmt.Sprintf("your program could not bind port %d (Bind failed), and exited (%s)", s.port, e.words))
		}
		if s.cfg.anyPort {
			return fail(causeWrongPort, fmt.Sprintf("your program could not bind (Bind failed) and exited, though its port %d was free: does it bind the port it is given?", s.port))
		}
	}
	if e.crashed(s.prog) {
		return fail(causeCrash, fmt.Sprintf("your program ended %s, with %s", when, e.describe()))
	}
	return fail(causeExits, fmt.Sprintf("your program exited (%s) %s", e.words, when))
}

// bindFailed reports whether lines say that bind failed.
func bindFailed(lines []string) bool {
	for _, l := range lines {
		ll := strings.ToLower(l)
		if strings.Contains(ll, "bind failed") || strings.Contains(ll, "address already in use") || strings.Contains(ll, "only one usage of each socket address") {
			return true
		}
	}
	return false
}

// finish ends the session: it stops the program, so that what it printed
// is all there, reads how it ended, checks its text, and makes the result.
func (s *session) finish(o outcome) result {
	r := result{scenario: s.sc, outcome: o}
	if s.prog == nil {
		r.log = s.log
		return r
	}
	if o.status == failed && !s.prog.exited() {
		s.prog.waitExit(s.cfg.quiet / 5) // a program that is dying: its end is the cause
	}
	s.settle()
	// The program is killed first, so that it prints nothing about the
	// clients' end; then each client is reset, which leaves no TIME_WAIT
	// on the program's port (closed already is fine).
	exitedItself := s.prog.exited()
	s.prog.stop()
	s.running.remove(s.prog)
	for _, c := range s.clients {
		wire.Reset(c.conn)
	}
	if !s.cfg.anyPort {
		waitPortFree(s.port, 5*time.Second)
	} else {
		release(s.port)
	}
	if exitedItself {
		e := s.prog.ending()
		r.ending = e.describe()
		if !s.sc.ends && e.crashed(s.prog) && (r.status != failed && r.status != skipped || symptom[r.cause]) {
			r.outcome = fail(causeCrash, "your program ended with "+e.describe())
		}
	}
	s.checkText(&r)
	if r.status == passed && len(r.diffs) > 0 {
		r.status = differs
	}
	r.log, r.features = s.log, s.features
	r.printed = s.prog.tail(printedLines)
	if s.cfg.verbose {
		r.printed = s.prog.tail(outputCap)
	}
	r.more = s.prog.out.Count() - len(r.printed)
	r.lost = s.prog.out.Dropped() > 0
	if s.prog.out.Partial() != "" {
		r.more++
	}
	r.lang = s.cmd.lang
	return r
}

// settle gives the program a moment to print what the text check looks
// for: a program listens before it prints that it does, and may print a
// client's address after answering it. It waits until the lines are there,
// the program has exited, or quiet has passed.
func (s *session) settle() {
	if !s.up || s.prog.exited() {
		return
	}
	var ports []string
	for _, c := range s.clients {
		if c.accepted {
			ports = append(ports, strconv.Itoa(c.port))
		}
	}
	printed := func(string) bool {
		lines := s.prog.out.Lines()
		for _, w := range s.lines {
			if _, _, ok := nearLine(lines, w); !ok {
				return false
			}
		}
		text := strings.Join(lines, "\n")
		for _, p := range ports {
			if !strings.Contains(text, p) {
				return false
			}
		}
		return true
	}
	// Looked at once for each time the program prints, not for each line:
	// a program that floods its output prints thousands at a time.
	for deadline := time.Now().Add(s.cfg.quiet); !printed("") && time.Now().Before(deadline); {
		if _, _, ok := s.prog.out.WaitLine(s.prog.out.Count(), time.Until(deadline), s.prog.over, func(string) bool { return true }); !ok {
			return
		}
	}
}

// symptom are the causes that a program's crash explains better: what a
// client sees of a program that died.
var symptom = map[cause]bool{
	causeNoReply: true, causeHungUp: true, causeOneAtATime: true, causeOneReply: true,
	causeNeverCloses: true, causeNeverAccepts: true, causeNeverListens: true, causeExits: true,
}

// printedFor reports whether the program has printed a line with c's port:
// it accepted c.
func (s *session) printedFor(c *client) bool {
	port := strconv.Itoa(c.port)
	_, _, ok := s.prog.out.WaitLine(0, 0, nil, func(l string) bool { return strings.Contains(l, port) })
	return ok
}

// printedLines is how many of the lines a program printed last a failure
// shows.
const printedLines = 30

// checkText checks what the program printed, now that it is all there:
// the article's lines, and a "Connected with" line for every client.
//
// A line missing from a program that crashed is not a difference: the
// crash is the cause, and the line comes once it is fixed.
func (s *session) checkText(r *result) {
	lines := s.prog.out.Lines()
	// A program that printed more than the checker keeps: its first lines
	// are kept too, and a line not seen in either may be among those
	// dropped, so it is not called missing.
	complete := s.prog.out.Dropped() == 0
	if !complete {
		lines = append(s.prog.out.HeadLines(), lines...)
	}
	crashed := r.status == failed && r.cause == causeCrash
	r.diffs = append(r.diffs, s.diffs...)
	if !s.up {
		return
	}
	// Python is told not to hold its output (PYTHONUNBUFFERED): a Python
	// program that printed nothing printed nothing.
	if len(lines) == 0 && s.prog.out.Partial() == "" && !crashed && s.cmd.lang != langPython {
		r.diffs = append(r.diffs, difference{kind: "no-output", what: "your program printed nothing, though it was running: its output is held in a buffer", from: "01-bind", at: -1})
		return
	}
	for _, d := range lineDiffs(lines, s.lines, lineFrom) {
		if d.at >= 0 || !crashed && complete {
			r.diffs = append(r.diffs, d)
		}
	}
	if stageIndex(s.sc.stage) < 2 {
		return
	}
	ports := map[int]bool{}
	for _, c := range s.clients {
		ports[c.port] = true
	}
	for _, c := range s.clients {
		if !c.accepted {
			continue
		}
		d, wrong := connectedFor(lines, c.port, ports)
		if wrong != "" && r.status != failed {
			r.outcome = fail(causeWrongClient, fmt.Sprintf("your program printed %q; the client is 127.0.0.1:%d", wrong, c.port))
		}
		if d != nil && (d.at >= 0 || !crashed && complete) {
			r.diffs = append(r.diffs, *d)
		}
	}
}

// unwrapAll returns the innermost error, the system's own words.
func unwrapAll(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

// dialWait is how long a client may take to connect: on loopback at once,
// but a machine under load can take seconds to run the client at all.
func (s *session) dialWait() time.Duration { return max(s.cfg.wait, 5*time.Second) }

// startWait is how long the program may take to start: -start's 5s, or
// four times what its first start took, on a machine so busy that this is
// longer.
func (s *session) startWait() time.Duration {
	if s.pre == nil {
		return s.cfg.start
	}
	return max(s.cfg.start, 4*s.pre.ready)
}
