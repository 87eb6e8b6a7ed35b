package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"

	"socketcourse/internal/wire"
)

// The course's stages, in order. A stage is met when none of its
// scenarios fails; 07-shutdown is 06-goroutines and more, so checking it
// runs 06's scenarios too.
var stages = []string{"01-bind", "02-listen", "03-accept", "04-echo-once", "05-loop", "06-goroutines", "07-shutdown"}

// buildsOn names the stage whose scenarios a stage must pass too.
var buildsOn = map[string]string{"07-shutdown": "06-goroutines"}

// A scenario is one thing a client (or the terminal) can see of a stage.
// A limitation scenario is what the stage cannot do yet: the article's
// program shows it, and fixedBy is the stage that does better. A server
// that shows it meets the stage; one that does better is told so.
type scenario struct {
	stage   string
	name    string // what is checked, as the report says it
	proves  string // why it matters, in the course's words
	fixedBy string // for a limitation: the stage that fixes it
	run     func(*session) outcome
}

// The scenarios of every stage: the one definition of what each stage
// must show from the outside.
var scenarios = []scenario{
	{"01-bind", "prints Socket created and Socket bind complete", "socket() and bind() worked", "", twoLines},
	{"01-bind", "on a port in use, prints Bind failed and exits", "a failed bind is reported, not ignored", "", bindFailure},
	{"01-bind", "a client is refused while the socket is only bound", "bind() alone does not let clients in", "02-listen", refusedWhileBound},

	{"02-listen", "prints Socket now listening, and a client connects", "listen() lets the kernel complete connections", "", listening},
	{"02-listen", "a client that connects gets nothing: never accepted", "the kernel queues connections that nobody accepts", "03-accept", neverAccepted},

	{"03-accept", "prints Connected with the client's own address", "accept() tells who the client is", "", connectedWith},
	{"03-accept", "a client that sends is hung up on without a reply", "accepting is not answering", "04-echo-once", hungUp},
	{"03-accept", "the program exits after its first client", "no loop: one client only", "05-loop", exitsAfterOne},

	{"04-echo-once", "the 3 bytes sent come back, binary included, and nothing more", "send back buf[:n], the bytes read, not the buffer", "", echoOnce},
	{"04-echo-once", "a second message on the same connection gets no reply", "one read, one reply", "06-goroutines", oneReply},
	{"04-echo-once", "the program exits after its first client", "no loop: one client only", "05-loop", exitsAfterOne},

	{"05-loop", "three clients in turn, each answered OK... and its data, then hung up on; each printed Connected with", "an accept loop serves every client", "", servedInTurn},
	{"05-loop", "a second client waits while the first is connected and silent", "one client at a time", "06-goroutines", secondWaits},
	{"05-loop", "a second message on the same connection gets no reply", "one read, one reply", "06-goroutines", oneReply},
	{"05-loop", "a client that closes without sending stops the program", "the article's break leaves the accept loop", "06-goroutines", emptyStops},

	{"06-goroutines", "prints Connected with the client's own address", "accept() tells who the client is", "", connectedWith},
	{"06-goroutines", "the welcome line, then OK... and the data for every message", "a thread (goroutine) per client talks until the client leaves", "", everyMessage},
	{"06-goroutines", "a second client is answered while the first is silent", "clients are served at the same time", "", secondWhileFirstSilent},
	{"06-goroutines", "100 clients at once are welcomed and answered", "clients are served at the same time", "", hundredClients},
	{"06-goroutines", "a client that closes without sending, or resets, stops nobody", "only that client's thread ends", "", emptyOrReset},
	{"06-goroutines", "on Ctrl-C, connected clients are dropped without a word", "the article never stops cleanly", "07-shutdown", droppedOnCtrlC},

	{"07-shutdown", "on Ctrl-C, every client is told and closed, and the program exits with 0", "a clean stop", "", toldOnCtrlC},
	{"07-shutdown", "a silent client is told and closed after -idle", "idle clients are timed out", "", idleClient},
}

// verdicts of a scenario.
type verdict int

const (
	passed  verdict = iota
	limited         // a limitation, shown as the stage shows it
	better          // a limitation the server does not have
	failed
	skipped
)

// outcome is how a scenario went.
type outcome struct {
	verdict verdict
	note    string // what was seen, in words: why it failed, why skipped, what it does better
	hint    string // for a failure: what to look at
}

func pass() outcome                  { return outcome{verdict: passed} }
func notePass(note string) outcome   { return outcome{verdict: passed, note: note} }
func shown(note string) outcome      { return outcome{verdict: limited, note: note} }
func doesBetter(note string) outcome { return outcome{verdict: better, note: note} }
func skip(why string) outcome        { return outcome{verdict: skipped, note: why} }

// fail says what went wrong; the hint is chosen from the error.
func fail(err error) outcome {
	return outcome{verdict: failed, note: err.Error(), hint: hintFor(err)}
}

func failHint(err error, hint string) outcome {
	return outcome{verdict: failed, note: err.Error(), hint: hint}
}

// started starts the program, or says why it could not.
func started(s *session) (*program, *outcome) {
	p, err := s.start()
	if err != nil {
		o := failHint(fmt.Errorf("cannot start %s: %v", strings.Join(s.cfg.argv, " "), unwrapAll(err)), "is the command right? It runs from the folder you run the checker in.")
		return nil, &o
	}
	return p, nil
}

// firstClient starts the program and connects its first client.
func firstClient(s *session) (*client, *outcome) {
	if _, o := started(s); o != nil {
		return nil, o
	}
	c, err := s.dial()
	if err != nil {
		o := fail(err)
		return nil, &o
	}
	return c, nil
}

func twoLines(s *session) outcome {
	if _, o := started(s); o != nil {
		return *o
	}
	for _, l := range []string{"Socket created", "Socket bind complete"} {
		if err := s.line(l); err != nil {
			return failHint(err, "print the article's lines, word for word, each on a line of its own.")
		}
	}
	return pass()
}

func bindFailure(s *session) outcome {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if !s.cfg.anyPort {
		held, err = net.Listen("tcp", net.JoinHostPort("127.0.0.1", fmt.Sprint(s.cfg.port)))
	}
	if err != nil {
		return skip(fmt.Sprintf("the checker cannot hold a port itself: %v", err))
	}
	defer held.Close()
	p, err := s.startOn(held.Addr().(*net.TCPAddr).Port)
	if err != nil {
		return fail(err)
	}
	s.logf("the checker listens on %s, then starts your program there", held.Addr())
	if err := s.line("Bind failed"); err != nil {
		if p.exited() {
			_, words, _ := p.status()
			err = fmt.Errorf("%w, and exited (%s)", err, words)
		}
		return failHint(err, "when bind fails, print the article's line: Bind failed. Error Code : <number> Message <text>.")
	}
	if !p.waitExit(s.cfg.wait) {
		return failHint(fmt.Errorf("your program still runs %v after Bind failed", s.cfg.wait), "after a failed bind there is nothing to serve: exit.")
	}
	if code, _, known := p.status(); known && code == 0 {
		return notePass("it exited with status 0, as the article's sys.exit() does: a script cannot tell it failed; exit with 1 (docs/01-bind.md)")
	}
	return pass()
}

func refusedWhileBound(s *session) outcome {
	p, o := started(s)
	if o != nil {
		return *o
	}
	if err := s.line("Socket bind complete"); err != nil {
		return fail(err)
	}
	// A program that goes on to listen says so; give it that long.
	p.out.WaitLine(0, s.cfg.quiet, p.done, func(l string) bool { return l == "Socket now listening" })
	c, err := net.DialTimeout("tcp", s.addr(), s.cfg.wait)
	if err != nil {
		s.logf("client 1 connects to %s: %v", s.addr(), unwrapAll(err))
		return shown("refused: a socket that is only bound lets nobody in")
	}
	wire.Reset(c) // A reset leaves no TIME_WAIT on the program's port.
	s.logf("client 1 connects to %s", s.addr())
	return doesBetter("the client connects: your program listens")
}

func listening(s *session) outcome {
	if _, o := started(s); o != nil {
		return *o
	}
	if err := s.line("Socket now listening"); err != nil {
		return failHint(err, "print the article's line once listen() has returned.")
	}
	if _, err := s.dial(); err != nil {
		return fail(err)
	}
	return pass()
}

func neverAccepted(s *session) outcome {
	c, o := firstClient(s)
	if o != nil {
		return *o
	}
	var e *wire.Error
	if err := c.silence(); errors.As(err, &e) && len(e.Got) > 0 {
		return doesBetter(fmt.Sprintf("the client got %q", e.Got))
	} else if err != nil {
		return doesBetter("the connection was accepted, then " + endWords(unwrapAll(err)))
	}
	if c.connected() == nil {
		return doesBetter("the connection was accepted: your program printed Connected with")
	}
	return shown("the connection completed and nothing came: the kernel queued it, nobody accepted it")
}

func connectedWith(s *session) outcome {
	c, o := firstClient(s)
	if o != nil {
		return *o
	}
	if err := c.connected(); err != nil {
		return failHint(err, "print 'Connected with ' + addr[0] + ':' + str(addr[1]), the address accept() returned.")
	}
	return pass()
}

func hungUp(s *session) outcome {
	c, o := firstClient(s)
	if o != nil {
		return *o
	}
	if err := c.send("hello\r\n"); err != nil {
		return fail(err)
	}
	got, err := c.readToEnd(s.cfg.wait)
	switch {
	case got != "":
		return doesBetter(fmt.Sprintf("the client got %q back", got))
	case errors.Is(err, os.ErrDeadlineExceeded):
		return failHint(fmt.Errorf("nothing came and the connection stayed open for %v", s.cfg.wait), "after accept(), close the connection (03) or answer (04).")
	}
	return shown("hung up without a reply")
}

func exitsAfterOne(s *session) outcome {
	c, o := firstClient(s)
	if o != nil {
		return *o
	}
	c.send("one\r\n") // May fail: 03 hangs up at once.
	if _, err := c.readUntil("one"); errors.Is(err, os.ErrDeadlineExceeded) {
		return fail(err)
	}
	c.reset()
	second, err := s.dial()
	if err == nil {
		second.send("two\r\n")
		if _, err = second.readUntil("two"); err == nil {
			return doesBetter("a second client was answered too")
		}
	}
	if s.prog.waitExit(s.cfg.wait) {
		return shown("the program exited after its first client; a second one is refused")
	}
	return fail(fmt.Errorf("the second client was not answered, and the program still runs: %v", err))
}

// echoMsg is 3 bytes, binary included: bytes, not text.
const echoMsg = "a\x00\xff"

func echoOnce(s *session) outcome {
	c, o := firstClient(s)
	if o != nil {
		return *o
	}
	if err := c.send(echoMsg); err != nil {
		return fail(err)
	}
	if err := c.expect(echoMsg); err != nil {
		return fail(err)
	}
	if err := c.nothingMore(s.cfg.quiet); err != nil {
		return fail(err)
	}
	return pass()
}

func oneReply(s *session) outcome {
	c, o := firstClient(s)
	if o != nil {
		return *o
	}
	if err := c.send("one\r\n"); err != nil {
		return fail(err)
	}
	if _, err := c.readUntil("one"); err != nil {
		return fail(err)
	}
	c.send("two\r\n") // May fail: the program may have hung up already.
	if _, err := c.readUntil("two"); err == nil {
		return doesBetter("the second message was answered too")
	}
	return shown("no reply to the second message")
}

func servedInTurn(s *session) outcome {
	if _, o := started(s); o != nil {
		return *o
	}
	for i := 1; i <= 3; i++ {
		c, err := s.dial()
		if err != nil {
			return fail(err)
		}
		msg := fmt.Sprintf("client %d\r\n", i)
		if err := c.converse(msg); err != nil {
			return fail(err)
		}
		if err := c.connected(); err != nil {
			return failHint(err, "print 'Connected with ' + addr[0] + ':' + str(addr[1]) for every client.")
		}
		// conn.close() after the reply, as the article's loop does: the
		// client sees the end of the connection, not an open one.
		got, err := c.readToEnd(s.cfg.wait)
		if got != "" {
			return failHint(fmt.Errorf("read %q after the reply; want the end of the connection", got), "one reply per client, then conn.close().")
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return failHint(fmt.Errorf("the connection was still open %v after the reply", s.cfg.wait), "close each client's connection after replying (conn.close() inside the loop); a defer inside the loop waits until the whole function returns.")
		}
		c.reset()
	}
	return pass()
}

func secondWaits(s *session) outcome {
	if _, o := firstClient(s); o != nil {
		return *o
	}
	second, err := s.dial()
	if err != nil {
		return fail(err)
	}
	if err := second.send("hi\r\n"); err != nil {
		return fail(err)
	}
	err = second.silence()
	var e *wire.Error
	switch {
	case err == nil:
		return shown("no reply while the first client is connected")
	case errors.As(err, &e) && len(e.Got) > 0:
		return doesBetter("the second client was answered at once")
	}
	return fail(err)
}

func emptyStops(s *session) outcome {
	c, o := firstClient(s)
	if o != nil {
		return *o
	}
	c.close()
	second, err := s.dial()
	if err == nil {
		second.send("two\r\n")
		if _, err = second.readUntil("two"); err == nil {
			return doesBetter("the program went on: the next client was answered")
		} else if errors.Is(err, os.ErrDeadlineExceeded) {
			return fail(err)
		}
	}
	if s.prog.waitExit(s.cfg.wait) {
		if code, words, known := s.prog.status(); known && code != 0 {
			return failHint(fmt.Errorf("your program stopped with %s, not by leaving its loop", words), "if not data: break leaves the loop and ends the program normally (exit status 0); a crash is not the article's break: read what your program printed.")
		}
		return shown("the program stopped: the next client is not served")
	}
	return fail(fmt.Errorf("the next client was not answered, and the program still runs: %v", err))
}

func everyMessage(s *session) outcome {
	c, o := welcomedClient(s)
	if o != nil {
		return *o
	}
	for _, msg := range []string{"hello\r\n", "again\r\n", "and \x00\xff\r\n"} {
		if err := c.converse(msg); err != nil {
			return fail(err)
		}
	}
	if err := c.nothingMore(s.cfg.quiet / 2); err != nil {
		return fail(err)
	}
	return pass()
}

func secondWhileFirstSilent(s *session) outcome {
	first, o := welcomedClient(s)
	if o != nil {
		return *o
	}
	second, err := s.dial()
	if err != nil {
		return fail(err)
	}
	if err := second.expectWelcome(); err != nil {
		return failHint(err, "nothing for the second client while the first is connected: is your server serving one client at a time? Start a thread per client.")
	}
	for _, c := range []*client{second, first} {
		msg := fmt.Sprintf("client %d\r\n", c.n)
		if err := c.converse(msg); err != nil {
			return fail(err)
		}
	}
	return pass()
}

func hundredClients(s *session) outcome {
	const n, wave = 100, 10
	if _, o := welcomedClient(s); o != nil {
		return *o
	}
	// The clients connect ten at a time, each wave once the one before has
	// been welcomed, so that all are connected at once without testing the
	// listen backlog (the article's is 10). Each client runs in a goroutine
	// of its own and reports on a channel.
	var mu sync.Mutex
	var conns []net.Conn
	stopped := false
	// keep keeps a client's connection for the reset at the end, or resets
	// it at once if the scenario is over.
	keep := func(c net.Conn) bool {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			wire.Reset(c)
			return false
		}
		conns = append(conns, c)
		return true
	}
	start := make(chan struct{})
	welcomed, answered := make(chan error, n), make(chan error, n)
	started, reported := 0, 0
	// On the way out, every client is reset, and every goroutine done.
	defer func() {
		mu.Lock()
		stopped = true
		for _, c := range conns {
			wire.Reset(c)
		}
		mu.Unlock()
		for ; reported < started; reported++ {
			<-answered
		}
	}()
	for i := 0; i < n; i++ {
		started++
		go func() {
			answered <- func() error {
				conn, err := wire.Dial(s.addr(), s.cfg.wait)
				if err == nil && !keep(conn) {
					err = errors.New("the scenario is over")
				}
				if err != nil {
					welcomed <- err
					return err
				}
				c := &client{s: &session{cfg: s.cfg}, conn: conn}
				err = c.expectWelcome()
				welcomed <- err
				if err != nil {
					return err
				}
				<-start
				msg := fmt.Sprintf("client %d\r\n", i)
				return c.converse(msg)
			}()
		}()
		if (i+1)%wave != 0 {
			continue
		}
		for j := 0; j < wave; j++ {
			if err := <-welcomed; err != nil {
				close(start)
				s.logf("clients connect %d at a time: %d of %d connected and welcomed", wave, i+1-wave+j, n)
				return failHint(fmt.Errorf("a client of the wave from %d to %d: %v", i+2-wave, i+1, err),
					"serve each client in a thread (goroutine) of its own, and accept the next one at once.")
			}
		}
	}
	s.logf("clients connect %d at a time: %d connected and welcomed", wave, n)
	close(start)
	var firstErr error
	count := 0
	for ; reported < n; reported++ {
		if err := <-answered; err == nil {
			count++
		} else if firstErr == nil {
			firstErr = err
		}
	}
	s.logf("all %d send a line at once: %d answered", n, count)
	if firstErr != nil {
		return fail(fmt.Errorf("%d of %d clients answered; the first failure: %v", count, n, firstErr))
	}
	return pass()
}

// emptyOrResetHint says why the next client was not served: the program
// stopped, or it still runs and is serving the first client only.
func emptyOrResetHint(s *session) string {
	if s.prog.exited() {
		return "your program stopped: an empty or reset connection must end that client's thread only: no break out of the accept loop, no crash."
	}
	return "your program still runs, but serves nobody else while client 1 is connected: is it serving one client at a time? Start a thread per client."
}

func emptyOrReset(s *session) outcome {
	first, o := welcomedClient(s)
	if o != nil {
		return *o
	}
	empty, err := s.dial()
	if err != nil {
		return fail(err)
	}
	empty.close()
	bad, err := s.dial()
	if err != nil {
		return fail(err)
	}
	bad.reset()
	next, err := s.dial()
	if err != nil {
		return failHint(err, emptyOrResetHint(s))
	}
	if err := next.expectWelcome(); err != nil {
		return failHint(err, emptyOrResetHint(s))
	}
	for _, c := range []*client{next, first} {
		msg := fmt.Sprintf("client %d\r\n", c.n)
		if err := c.converse(msg); err != nil {
			return fail(err)
		}
	}
	return pass()
}

// welcomedClient starts the program, connects its first client and reads
// the welcome line.
func welcomedClient(s *session) (*client, *outcome) {
	c, o := firstClient(s)
	if o != nil {
		return nil, o
	}
	if err := c.expectWelcome(); err != nil {
		o := fail(err)
		return nil, &o
	}
	return c, nil
}

// ctrlC connects n clients, reads their welcome, and presses Ctrl-C.
func ctrlC(s *session, n int) ([]*client, *outcome) {
	var cs []*client
	if _, o := started(s); o != nil {
		return nil, o
	}
	for i := 0; i < n; i++ {
		c, err := s.dial()
		if err == nil {
			err = c.expectWelcome()
		}
		if err != nil {
			o := fail(err)
			return nil, &o
		}
		cs = append(cs, c)
	}
	if err := interrupt(s.prog.cmd); err != nil {
		o := skip(fmt.Sprintf("cannot send Ctrl-C to your program on %s: %v", runtime.GOOS, err))
		return nil, &o
	}
	s.logf("the checker presses Ctrl-C")
	return cs, nil
}

func droppedOnCtrlC(s *session) outcome {
	cs, o := ctrlC(s, 1)
	if o != nil {
		return *o
	}
	got, err := cs[0].readToEnd(s.cfg.wait + s.cfg.grace)
	switch {
	case got != "":
		return doesBetter(fmt.Sprintf("the client was told %q", got))
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fail(fmt.Errorf("the client was still connected %v after Ctrl-C", s.cfg.wait+s.cfg.grace))
	}
	return shown("the client's connection just ended")
}

func toldOnCtrlC(s *session) outcome {
	cs, o := ctrlC(s, 2)
	if o != nil {
		return *o
	}
	for _, c := range cs {
		got, err := c.readToEnd(s.cfg.wait + s.cfg.grace)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return failHint(fmt.Errorf("client %d was still connected %v after Ctrl-C", c.n, s.cfg.wait+s.cfg.grace), "on Ctrl-C, stop accepting, tell every client, close them, then exit.")
		}
		if !strings.HasSuffix(got, "\n") {
			return failHint(fmt.Errorf("client %d got %q before its connection ended; want a line that says why", c.n, got), "on Ctrl-C, send every client a line such as \"Server is shutting down. Goodbye.\" before closing it.")
		}
	}
	if !s.prog.waitExit(s.cfg.grace + s.cfg.wait) {
		return failHint(fmt.Errorf("your program still runs %v after Ctrl-C", s.cfg.grace+s.cfg.wait), "exit once the clients are closed (-grace says how long to wait for them).")
	}
	code, words, known := s.prog.status()
	if !known {
		return notePass("under go run the exit status is go run's, 1 after a Ctrl-C whatever your program's was: build your program (go build) and check the binary to check it")
	}
	if code != 0 {
		return failHint(fmt.Errorf("your program ended with %s; want exit status 0", words), "a stop asked for with Ctrl-C is not a failure: exit with 0.")
	}
	return pass()
}

func idleClient(s *session) outcome {
	if s.cfg.idle == 0 {
		return skip("give the checker -idle with the time your program allows, and your program the same (for example -idle 2s)")
	}
	c, o := welcomedClient(s)
	if o != nil {
		return *o
	}
	got, err := c.readToEnd(s.cfg.idle + s.cfg.wait)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return failHint(fmt.Errorf("a silent client was still connected after %v", s.cfg.idle+s.cfg.wait), "give each read a deadline of -idle; when it passes, tell the client and close.")
	}
	if !strings.HasSuffix(got, "\n") {
		return failHint(fmt.Errorf("the silent client got %q before its connection ended; want a line that says why", got), "tell the client why before closing it.")
	}
	return pass()
}
