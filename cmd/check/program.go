package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"socketcourse/internal/proctree"
	"socketcourse/internal/wire"
)

// outputCap is how much of what a program prints the checker keeps: a
// program that floods its output costs this much memory, no more.
const outputCap = 256 << 10

// headLines is how many of the first lines a program prints the checker
// keeps whatever follows: the article's lines and the first clients'.
const headLines = 200

// program is one run of the learner's server, started by the checker and
// stopped by it, with everything it prints on stdout and stderr together,
// as a terminal shows them.
type program struct {
	out         wire.Output
	cmd         *exec.Cmd
	tree        *proctree.Tree
	goRun       bool          // started as `go run`, not built by the checker
	lang        lang          // what runs it, as far as the command said
	done        chan struct{} // closed once the process has exited
	read        chan struct{} // closed once what it printed has all been read
	over        chan struct{} // closed once it has exited and what it printed is in
	killed      atomic.Bool   // the checker stopped it
	interrupted atomic.Bool   // the checker pressed Ctrl-C
	readers     []*os.File    // the program's stdout and stderr
	pre         atomic.Value  // string: the prefix its replies were seen to carry, its own if it is not "OK..."
}

// sawPrefix records the prefix a reply of the program carried before the
// data it was sent.
func (p *program) sawPrefix(pre string) {
	if pre != "" {
		p.pre.Store(pre)
	}
}

// prefixSeen is the prefix the program's replies were seen to carry, or
// "" if none has been seen yet.
func (p *program) prefixSeen() string {
	pre, _ := p.pre.Load().(string)
	return pre
}

// startProgram starts argv with every "{port}" replaced by port, and env
// with PORT and PYTHONUNBUFFERED=1 as its environment, as a tree that stop
// ends as a whole.
//
// It reads what the program prints from pipes of its own, not through
// os/exec's: a process the program started (a fork per client) may keep
// them open after the program itself has exited, and the checker must
// know at once that the program has.
func startProgram(argv, env []string, port int, l lang) (*program, error) {
	args := make([]string, len(argv))
	for i, a := range argv {
		args[i] = strings.ReplaceAll(a, "{port}", strconv.Itoa(port))
	}
	p := &program{cmd: exec.Command(args[0], args[1:]...), done: make(chan struct{}), read: make(chan struct{}), over: make(chan struct{}), goRun: isGoRun(args), lang: l}
	p.out.Max, p.out.Head = outputCap, headLines
	p.cmd.Env = append(env[:len(env):len(env)], "PORT="+strconv.Itoa(port), "PYTHONUNBUFFERED=1")
	// Each stream its own lines: Python prints a line's text and its "\n"
	// in two writes, and a traceback on stderr must not land in between.
	var readers, writers []*os.File
	for range 2 {
		r, w, err := os.Pipe()
		if err != nil {
			closeAll(readers, writers)
			return nil, err
		}
		readers, writers = append(readers, r), append(writers, w)
	}
	p.cmd.Stdout, p.cmd.Stderr = writers[0], writers[1]
	tree, err := proctree.Start(p.cmd)
	closeAll(nil, writers) // the program has its own copies now
	if err != nil {
		closeAll(readers, nil)
		return nil, err
	}
	p.tree = tree
	var copying sync.WaitGroup
	for _, r := range readers {
		copying.Add(1)
		go func() {
			defer copying.Done()
			io.Copy(p.out.Stream(), r) // Ends at EOF, or when stop closes r.
		}()
	}
	go func() {
		copying.Wait()
		close(p.read)
	}()
	go func() {
		p.cmd.Wait() // How it ended is read from ProcessState.
		close(p.done)
		// What it printed last is still in the pipes: read to their end,
		// unless a process it started keeps them open.
		select {
		case <-p.read:
		case <-time.After(500 * time.Millisecond):
		}
		close(p.over)
	}()
	p.readers = readers
	return p, nil
}

func closeAll(a, b []*os.File) {
	for _, f := range append(a, b...) {
		f.Close() // Closing what the checker opened: nothing to report.
	}
}

// exited reports whether the program has exited, and what it printed is
// in.
func (p *program) exited() bool {
	select {
	case <-p.over:
		return true
	default:
		return false
	}
}

// waitExit waits at most d for the program to exit and reports whether it
// did; what it printed is in when it did.
func (p *program) waitExit(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.over:
		return true
	case <-t.C:
		return false
	}
}

// waitExitPatiently waits like waitExit, and then, as long as the
// program is busy (a busy machine), up to twice as long again. It reports
// whether the program exited.
func (p *program) waitExitPatiently(d time.Duration) bool {
	if p.waitExit(d) {
		return true
	}
	w := p.watch()
	for deadline := time.Now().Add(2 * d); time.Now().Before(deadline) && w.busy(); {
		if p.waitExit(100 * time.Millisecond) {
			return true
		}
	}
	return p.exited()
}

// activity is what a program's processes were doing at one look (Linux;
// elsewhere the checker cannot see, and it is zero).
type activity struct {
	running bool   // a process runs or waits for the CPU or the disk
	ticks   int64  // CPU time, children waited for included
	pids    string // which processes
}

// A busyWatch tells a program still at work on a busy machine (starting
// up, a launcher such as pyenv's shim starting the interpreter) from one
// asleep, waiting for something that does not come: it is busy if one of
// its processes runs or waits for the CPU, or if since the look before
// last it used CPU time or started or ended a process.
type busyWatch struct {
	pgid       int
	prev, last activity
	looks      int
	at         time.Time
}

func (p *program) watch() *busyWatch {
	w := &busyWatch{pgid: p.cmd.Process.Pid}
	w.look()
	return w
}

// look samples the program's activity, at most four times a second, so
// that busy compares two looks at least a quarter of a second apart.
func (w *busyWatch) look() {
	if w.looks > 0 && time.Since(w.at) < 250*time.Millisecond {
		return
	}
	w.prev, w.last, w.at = w.last, groupActivity(w.pgid), time.Now()
	w.looks++
}

// busy reports whether the program was at work over the last looks.
func (w *busyWatch) busy() bool {
	w.look()
	if w.last.running {
		return true
	}
	return w.looks > 1 && (w.last.ticks > w.prev.ticks || w.last.pids != w.prev.pids)
}

// stop kills the program and everything it started, at once, and waits
// until it has exited and what it printed has all been read. Killing, not
// asking (SIGTERM), means nothing is printed after the scenario's end: the
// report shows what the program printed while the scenario ran.
func (p *program) stop() {
	if !p.exited() {
		p.killed.Store(true)
	}
	p.tree.Kill() // what is left of its tree, even once it has exited; an error means nothing is left
	p.tree.Close()
	<-p.done
	select {
	case <-p.read:
	case <-time.After(2 * time.Second):
		// A process that escaped the tree still holds the pipes: what the
		// program printed is in already; stop reading.
		closeAll(p.readers, nil)
		<-p.read
	}
}

// interrupt does what Ctrl-C in a terminal does.
func (p *program) interrupt() error {
	p.interrupted.Store(true)
	return p.tree.Interrupt()
}

// ending is how a program ended.
type ending struct {
	code     int    // its exit status; -1 for a signal
	words    string // "exit status 1", "signal: broken pipe"
	known    bool   // false when go run hides the status (after a Ctrl-C)
	evidence *event // what its runtime or the program itself said about it, if anything
}

// crashed reports whether the program ended badly on its own: not with
// status 0, and not by the checker's kill or Ctrl-C.
func (e ending) crashed(p *program) bool {
	if p.killed.Load() || !e.known || e.code == 0 {
		return false
	}
	return !(p.interrupted.Load() && e.code == -1 && strings.Contains(e.words, "interrupt"))
}

// reported reports whether the runtime reported the end: a traceback, a
// panic, an uncaught exception.
func (e ending) reported() bool { return e.evidence != nil && e.evidence.kind == evCrash }

// ending says how the program ended; call it once it has exited. Its
// evidence is the last error the runtime reported that ended the program
// (not a thread's), or else, for a program that ended with a failure
// status, its own last words.
func (p *program) ending() ending {
	<-p.over
	state := p.cmd.ProcessState
	e := ending{code: state.ExitCode(), words: state.String(), known: true}
	lines := p.tail(80)
	if p.goRun && e.code != 0 {
		e.code, e.words, e.known = goRunStatus(lines)
	}
	if e.code == 0 && e.known {
		return e
	}
	e.evidence = endingEvidence(lines, p.lang)
	if e.code == -1 && (e.evidence == nil || e.evidence.kind == evWords) {
		// Killed by a signal: what it printed last did not end it.
		e.evidence = &event{kind: evSignal, runtime: p.lang, name: signalName(state), message: e.words}
	}
	return e
}

// endingEvidence is what lines, the last a program printed before it
// ended badly, say of its end: the last error its runtime reported that
// ended the program (not a thread's), or else its own last words.
func endingEvidence(lines []string, l lang) *event {
	events := readEvents(lines, l)
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].kind == evCrash {
			return &events[i]
		}
	}
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].kind == evThread {
			return &events[i] // a thread's error, printed as the program ended
		}
	}
	if w, ok := lastWords(lines, l); ok {
		return &w
	}
	return nil
}

// signalName is the name of the signal that ended a process: SIGPIPE.
func signalName(state *os.ProcessState) string {
	if ws, ok := state.Sys().(interface{ Signal() syscall.Signal }); ok && ws.Signal() > 0 {
		switch sig := ws.Signal(); sig {
		case syscall.SIGPIPE:
			return "SIGPIPE"
		case syscall.SIGSEGV:
			return "SIGSEGV"
		case syscall.SIGABRT:
			return "SIGABRT"
		case syscall.SIGKILL:
			return "SIGKILL"
		default:
			return sig.String()
		}
	}
	return ""
}

// goRunStatus reads the program's own status from what go run printed
// last: go run exits with 1 whatever the program's status, and prints
// the program's ("exit status 3", "signal: killed") as its last line,
// except after a Ctrl-C.
func goRunStatus(lines []string) (int, string, bool) {
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-3; i-- {
		if n, ok := strings.CutPrefix(lines[i], "exit status "); ok {
			if c, err := strconv.Atoi(n); err == nil {
				return c, lines[i], true
			}
		}
		if strings.HasPrefix(lines[i], "signal: ") {
			return -1, lines[i], true
		}
	}
	return 1, "go run's exit status 1, which does not say your program's", false
}

// describe says in words how the program ended: "exit status 1, after
// UnicodeDecodeError: ... (server.py:14)".
func (e ending) describe() string {
	if e.evidence == nil {
		return e.words
	}
	return fmt.Sprintf("%s, after %s", e.words, e.evidence.words())
}

// tail returns the last n lines the program printed, the line it was
// printing included.
func (p *program) tail(n int) []string {
	lines := p.out.Lines()
	if s := p.out.Partial(); s != "" {
		lines = append(lines, s)
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines
}

// programs are those running, so that a Ctrl-C of the checker can stop
// them all.
type programs struct {
	mu      sync.Mutex
	running map[*program]bool
	closed  bool
}

func (ps *programs) add(p *program) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.closed {
		return false
	}
	if ps.running == nil {
		ps.running = map[*program]bool{}
	}
	ps.running[p] = true
	return true
}

func (ps *programs) remove(p *program) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	delete(ps.running, p)
}

// stopAll stops every program, and every one started later at once.
func (ps *programs) stopAll() {
	ps.mu.Lock()
	ps.closed = true
	running := ps.running
	ps.running = nil
	ps.mu.Unlock()
	for p := range running {
		p.stop()
	}
}

// linesFrom returns the lines the program printed from line number n on,
// as far as they are kept, and the line it is printing.
func (p *program) linesFrom(n int) []string {
	lines, first := p.out.Lines(), p.out.Dropped()
	if i := n - first; i > 0 && i <= len(lines) {
		lines = lines[i:]
	} else if i > len(lines) {
		lines = nil
	}
	if s := p.out.Partial(); s != "" {
		lines = append(lines, s)
	}
	return lines
}

// quiet waits until the program has printed nothing for a pause, at most
// within; it returns at once when it has exited.
func (p *program) quiet(pause, within time.Duration) {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if _, _, ok := p.out.WaitLine(p.out.Count(), min(pause, time.Until(deadline)), p.over, func(string) bool { return true }); !ok {
			return
		}
	}
}
