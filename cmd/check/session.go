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

	"socketcourse/internal/course"
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

	mu     sync.Mutex
	handed *runner // the first start's program, still running, for the first run that needs one
}

// runner is one program that scenarios play on, one after another: each
// scenario that is not alone and does not end it leaves it to the next,
// once its own clients have left the way a client does (a FIN, then what
// comes). A scenario that fails, or ends it, has it stopped; the next
// starts it again.
type runner struct {
	chk  *checkRun
	prog *program
	port int
	up   bool // it came up: it printed its lines, or a client connected
	used bool // a scenario has played on it
}

// live reports whether the runner has a program running that a scenario
// can play on.
func (rn *runner) live() bool { return rn.prog != nil && !rn.prog.exited() }

// stop stops the runner's program, resets the clients still connected to
// it, and gives its port back.
func (rn *runner) stop(clients []*client) {
	if rn.prog == nil {
		return
	}
	// The program is killed first, so that it prints nothing about the
	// clients' end; then each client is reset, which leaves no TIME_WAIT
	// on the program's port (closed already is fine).
	rn.prog.stop()
	rn.chk.running.remove(rn.prog)
	for _, c := range clients {
		wire.Reset(c.conn)
	}
	rn.release()
	rn.prog = nil
}

// release gives the port back: with {port}, to the pool; on a fixed
// port, once nothing holds it, so that the next start can bind it.
func (rn *runner) release() {
	if !rn.chk.cfg.anyPort {
		waitPortFree(rn.port, 5*time.Second)
	} else {
		release(rn.port)
	}
}

// session is one scenario being played: the program it plays on, the
// clients it opened, and what happened, for the report.
type session struct {
	*checkRun
	rn       *runner
	sc       scenario
	prog     *program
	port     int
	from     int  // the number of the first line the program printed during the scenario
	started  bool // the scenario started the program
	up       bool
	lines    []string // the article's lines the program must print once up
	mu       sync.Mutex
	clients  []*client
	log      []string // what the clients did, in order
	diffs    []difference
	facts    map[course.Fact]bool
	lastPlay bool // no scenario plays on the program after this one
	launches int  // how many programs the session started (startOn)
}

// start starts the learner's program, or takes over the one the runner
// has running, which earlier scenarios left to it.
func (s *session) start() (*program, *outcome) {
	if s.rn.live() && !s.sc.alone && !(s.sc.fresh && s.rn.used) {
		s.adopt()
		return s.prog, nil
	}
	if h := s.handover(); h != nil {
		s.rn.prog, s.rn.port, s.rn.up = h.prog, h.port, h.up
		s.adopt()
		return s.prog, nil
	}
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

// handover returns the first start's program, if it is still running and
// this scenario may play on it: once.
func (s *session) handover() *runner {
	if s.sc.alone {
		return nil
	}
	s.checkRun.mu.Lock()
	defer s.checkRun.mu.Unlock()
	h := s.checkRun.handed
	s.checkRun.handed = nil
	if h != nil && !h.live() {
		h.stop(nil)
		return nil
	}
	return h
}

// adopt makes the runner's program the session's.
func (s *session) adopt() {
	s.mu.Lock()
	s.prog, s.port = s.rn.prog, s.rn.port
	s.mu.Unlock()
	s.from, s.up = s.prog.out.Count(), s.rn.up
	if !s.rn.used {
		s.from, s.started = 0, true // nobody talked to it yet: what it printed is this scenario's
	}
	s.setLines()
}

// startOn starts the learner's program on port.
func (s *session) startOn(port int) (*program, *outcome) {
	if s.rn.prog != nil {
		s.rn.stop(nil)
	}
	s.rn.used = false
	s.launches++
	p, err := startProgram(s.cmd.argv, s.cfg.env, port, s.cmd.lang)
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
	s.rn.prog, s.rn.port, s.rn.up = p, port, false
	s.from, s.started, s.up = 0, true, false
	s.setLines()
	return p, nil
}

// setLines sets the article's lines the scenario's stage prints.
func (s *session) setLines() { s.lines = s.sc.stage.Prints }

func (s *session) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

func (s *session) logf(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, fmt.Sprintf(format, args...))
}

// fact records what the scenario saw of the behaviour f: there, or
// lacking.
func (s *session) fact(f course.Fact, seen bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.facts == nil {
		s.facts = map[course.Fact]bool{}
	}
	s.facts[f] = seen
}

func (s *session) differ(d difference) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.diffs = append(s.diffs, d)
}

// markUp records that the program came up.
func (s *session) markUp() {
	s.up = true
	s.rn.up = true
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
	s.up, s.rn.up = true, true
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

// dialFirst connects the scenario's first client: to the program the
// runner has running, or to one it starts, trying again while the program
// starts: the first contact is how the checker knows the program is up.
// It gives up at once when the program exits, or when its first start
// showed it does not listen where it should.
func (s *session) dialFirst() (*client, *outcome) {
	if !s.sc.alone && (s.rn.live() && !(s.sc.fresh && s.rn.used) || s.peekHandover()) {
		launches := s.launches
		if _, o := s.start(); o != nil {
			return nil, o
		}
		// Another lane may have taken the first start's program between
		// the peek and the start: then start started one, which is waited
		// for below as any program starting (a Python 06 was told nothing
		// listens, dialled once as it started).
		if s.launches == launches {
			conn, err := wire.Dial(s.addr(), s.dialWait())
			if err == nil {
				return s.newClient(conn), nil
			}
			// A program handed over may be ending (03 after its one client),
			// slowly on a busy machine: it is given -wait to end, and then
			// started again; one that goes on refusing has stopped listening.
			if !s.prog.waitExit(s.cfg.wait) {
				s.logf("client 1 connects to %s: %v", s.addr(), wire.Reason(err))
				o := s.notServing(err, "a client could not connect")
				return nil, &o
			}
			// It ended after the scenario before this one: start it again.
			s.rn.stop(nil)
		}
	}
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

// peekHandover reports whether the first start's program waits to be
// taken over.
func (s *session) peekHandover() bool {
	s.checkRun.mu.Lock()
	defer s.checkRun.mu.Unlock()
	return s.checkRun.handed != nil
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
// listens elsewhere (its port's bytes swapped, in C without htons), has
// stopped listening, or nothing listens at all.
func (s *session) notServing(err error, when string) outcome {
	if s.prog.waitExit(s.cfg.quiet) {
		return s.endedOutcome(when)
	}
	if q := s.otherPort(); q != 0 {
		s.fact(course.Listens, false)
		return elsewhere(s.port, q)
	}
	if wire.IsRefused(err) && s.listenedBefore() {
		return fail(causeStopsListening, fmt.Sprintf("nothing listens on %s any more: connection refused, though a client connected there before and your program still runs", s.addr()))
	}
	if wire.IsRefused(err) {
		return fail(causeNeverListens, fmt.Sprintf("nothing listens on %s: connection refused", s.addr()))
	}
	return fail(causeNeverListens, fmt.Sprintf("cannot connect to %s: %v", s.addr(), wire.Reason(err)))
}

// listenedBefore reports whether a client of the session connected to
// the program before.
func (s *session) listenedBefore() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients) > 0
}

// elsewhere is the failure of a program that listens on port q instead of
// port: its bytes swapped is a port not put in network byte order.
func elsewhere(port, q int) outcome {
	if q == swapBytes(port) {
		return fail(causeSwappedPort, fmt.Sprintf("your program listens on port %d: %d, the port it was given, with its two bytes swapped (not in network byte order)", q, port))
	}
	return fail(causeWrongPort, fmt.Sprintf("nothing listens on 127.0.0.1:%d; your program listens on port %d instead", port, q))
}

// swapBytes swaps the two bytes of a port: what htons does on a
// little-endian machine, and what a port without it becomes.
func swapBytes(port int) int { return (port&0xff)<<8 | (port>>8)&0xff }

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

// bindFailed reports whether lines say that bind failed, in any
// runtime's words.
func bindFailed(lines []string) bool {
	for _, l := range lines {
		if strings.Contains(strings.ToLower(l), "bind failed") || saysAddrInUse(l) {
			return true
		}
	}
	return false
}

// finish ends the session: it reads how the program ended if it did,
// checks its text, makes the result, and either leaves the program to the
// next scenario (its clients gone) or stops it.
func (s *session) finish(o outcome) result {
	r := result{scenario: s.sc, outcome: o, ran: true, lang: s.cmd.lang}
	if s.prog == nil {
		r.log = s.log
		return r
	}
	if o.status == failed && !s.prog.exited() {
		s.prog.waitExit(s.cfg.quiet / 5) // a program that is dying: its end is the cause
	}
	if o.status == failed && spinCauses[o.cause] && s.spinning() {
		o = fail(causeBusyLoop, o.note+"; meanwhile your program kept a core busy")
		r.outcome = o
	}
	s.settle()
	exitedItself := s.prog.exited()
	keep := !exitedItself && !s.lastPlay && !s.sc.ends && !s.sc.alone && o.status != failed && o.status != skipped
	if keep {
		s.leave()
		s.rn.used = true
		// A program that ends after its client (03, 04) ends now: the
		// next scenario starts it again. What the clients' leaving makes
		// it print (a thread's traceback for each) is printed before the
		// next scenario starts reading.
		if !s.prog.waitExit(s.cfg.quiet / 5) {
			s.prog.quiet(s.cfg.quiet/5, s.cfg.quiet)
		}
	} else {
		s.rn.stop(s.clients)
	}
	r.events = readEvents(s.prog.linesFrom(s.from), s.cmd.lang)
	if exitedItself {
		e := s.prog.ending()
		r.ending = e.describe()
		r.endEvidence = e.evidence
		if !s.sc.ends && e.crashed(s.prog) && (r.status != failed && r.status != skipped || symptom[r.cause]) {
			r.outcome = fail(causeCrash, "your program ended with "+e.describe())
		}
	}
	if r.status == failed && symptom[r.cause] && !exitedItself {
		// A client's thread died, and its client waited in vain: the
		// thread's error is the cause.
		for i := range r.events {
			if r.events[i].kind == evThread {
				r.outcome = fail(causeThreadDied, r.note+"; "+threadWords(r.events[i]))
				break
			}
		}
	}
	s.checkText(&r)
	if r.status == passed && len(r.diffs) > 0 {
		r.status = differs
	}
	r.log, r.facts = s.log, s.facts
	r.printed, r.more, r.lost = s.printed()
	r.lang = s.cmd.lang
	return r
}

// spinCauses are the causes a program that spins shows a client: it
// never reads again, so nothing comes back.
var spinCauses = map[cause]bool{
	causeNoReply: true, causeNeverCloses: true, causeOneAtATime: true, causeOneReply: true, causeStopsOnEmpty: true,
}

// spinning reports whether the program keeps a core busy: over a moment,
// its processes used at least a fifth of one core's time (Linux, where the
// system counts it; elsewhere the checker cannot tell). A program blocked
// in recv uses none; one that spins gets less than a core on a busy
// machine (tests running beside it), hence the low bar.
func (s *session) spinning() bool {
	if s.prog.exited() || !canSeeListeners {
		return false
	}
	pgid := s.prog.cmd.Process.Pid
	before, start := groupActivity(pgid), time.Now()
	time.Sleep(400 * time.Millisecond) // measuring CPU time over a while, not waiting for anything
	after := groupActivity(pgid)
	used := time.Duration(after.ticks-before.ticks) * 10 * time.Millisecond // the kernel counts in ticks of 1/100 s
	return used*5 >= time.Since(start)
}

// threadWords says which thread died of what.
func threadWords(e event) string {
	who := "a thread"
	switch {
	case strings.HasPrefix(e.thread, "a "):
		who = e.thread
	case e.thread != "":
		who = "thread " + e.thread
	}
	return fmt.Sprintf("%s died of %s", who, e.words())
}

// printed returns what the program printed, for a failure: all of it
// when it fits, else its first lines (its start-up lines, which a learner
// reads a failure against) and its last, with a line that says how many
// are not shown; how many lines are not shown, and whether some are not
// kept at all.
func (s *session) printed() (lines []string, more int, lost bool) {
	n := printedLines
	if s.cfg.verbose {
		n = outputCap
	}
	all := s.prog.out.Count()
	if s.prog.out.Partial() != "" {
		all++
	}
	lost = s.prog.out.Dropped() > 0
	if all <= n || s.cfg.verbose {
		lines = s.prog.tail(n)
		return lines, all - len(lines), lost
	}
	head := s.prog.out.HeadLines()
	head = head[:min(len(head), startLines)]
	last := s.prog.tail(n - len(head) - 1)
	lines = append(append(append([]string(nil), head...), gapLine(all-len(head)-len(last))), last...)
	return lines, all - len(head) - len(last), lost
}

// gapLine stands for the lines a failure does not show between a
// program's first lines and its last.
func gapLine(n int) string {
	if n == 1 {
		return "... 1 line more ..."
	}
	return fmt.Sprintf("... %d lines more ...", n)
}

// startLines is how many of a program's first lines a failure on a
// program earlier scenarios played on shows, before its own.
const startLines = 5

// leave has every client of the session leave as a client that is done
// does, and leaves nothing behind on the program's port: a client whose
// connection the program has closed already is reset at once (its RST
// ends the program's end of it, which would otherwise wait in TIME_WAIT or
// FIN_WAIT_2 and keep the next start of a program without SO_REUSEADDR,
// the article's, off a fixed port); any other closes its side first (the
// program then closes its end, and the client's end is the one that
// waits), reads what comes until the program closes too (a moment at
// most), then is reset. The program is left to the next scenario.
func (s *session) leave() {
	var wg sync.WaitGroup
	for _, c := range s.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.leave(s.cfg.quiet)
		}()
	}
	wg.Wait()
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

// symptom are the causes that a program's crash, or a thread's death,
// explains better: what a client sees of a program that died.
var symptom = map[cause]bool{
	causeNoReply: true, causeHungUp: true, causeOneAtATime: true, causeOneReply: true,
	causeNeverCloses: true, causeNeverAccepts: true, causeNeverListens: true, causeExits: true,
	causeStopsListening: true, causeTextDecoded: true, causeNotTold: true,
}

// printedFor reports whether the program has printed a line with c's port,
// or with what c sent: it accepted c.
func (s *session) printedFor(c *client) bool {
	port := strconv.Itoa(c.port)
	sent := strings.TrimSpace(c.sent)
	_, _, ok := s.prog.out.WaitLine(0, 0, nil, func(l string) bool {
		return strings.Contains(l, port) || len(sent) >= 3 && strings.Contains(l, sent)
	})
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
	for _, d := range s.diffs {
		// Text that never came from a scenario that failed (a welcome
		// line that a dead thread never sent) is the failure's, not a
		// slip: it comes once the failure is fixed.
		if d.at >= 0 || r.status != failed {
			r.diffs = append(r.diffs, d)
		}
	}
	if !s.up {
		return
	}
	// Python is told not to hold its output (PYTHONUNBUFFERED): a Python
	// program that printed nothing printed nothing, and its lines are
	// missing. Go, Node.js, Java and Rust write each line at once, unless
	// the program holds them itself; C's stdio holds them, into a pipe.
	if len(lines) == 0 && s.prog.out.Partial() == "" && !crashed && s.cmd.lang.family() != langPython3 {
		r.diffs = append(r.diffs, difference{kind: "no-output", what: noOutputWords(s.cmd.lang), from: course.Stages[0].Folder, at: -1})
		return
	}
	for _, d := range lineDiffs(lines, s.lines) {
		if d.at >= 0 || !crashed && complete {
			r.diffs = append(r.diffs, d)
		}
	}
	if !s.sc.stage.PrintsClients {
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
