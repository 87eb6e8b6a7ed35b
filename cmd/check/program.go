package main

import (
	"errors"
	"fmt"
	"math/rand"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"socketcourse/internal/wire"
)

// program is one run of the learner's server, started by the checker and
// stopped by it, with everything it prints on stdout and stderr together,
// as a terminal shows them.
type program struct {
	out  wire.Output
	cmd  *exec.Cmd
	done chan struct{} // closed once the process has exited
	err  error         // cmd.Wait's result, set before done is closed
}

// startProgram starts argv with every "{port}" replaced by port, and env
// with PORT and PYTHONUNBUFFERED=1 as its environment. The process gets a group of
// its own, so that stop can end everything it started.
func startProgram(argv, env []string, port int) (*program, error) {
	args := make([]string, len(argv))
	for i, a := range argv {
		args[i] = strings.ReplaceAll(a, "{port}", strconv.Itoa(port))
	}
	p := &program{cmd: exec.Command(args[0], args[1:]...), done: make(chan struct{})}
	p.cmd.Env = append(env[:len(env):len(env)], "PORT="+strconv.Itoa(port), "PYTHONUNBUFFERED=1")
	p.cmd.Stdout = &p.out
	p.cmd.Stderr = &p.out
	// A child that keeps the pipe open after the program exits (go run's
	// does for a moment) must not keep Wait waiting forever; but Wait must
	// not drop what the program printed last either, which a busy machine
	// can take more than a second to read (seen: a Python program's
	// "Bind failed" lost with a delay of 1 s).
	p.cmd.WaitDelay = 5 * time.Second
	ownGroup(p.cmd)
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the program has exited.
func (p *program) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// waitExit waits at most d for the program to exit and reports whether it
// did.
func (p *program) waitExit(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.done:
		return true
	case <-t.C:
		return false
	}
}

// status returns the program's exit status once it has exited, and says
// how it ended in words; known is false when the status cannot be told.
// Under go run the process the checker started is go run's: it exits with
// 0 when the program did, and otherwise with 1, printing the program's
// status as its last line ("exit status 3", "signal: killed") — except
// after a Ctrl-C, when it exits with 1 and prints nothing.
func (p *program) status() (code int, words string, known bool) {
	code = p.cmd.ProcessState.ExitCode()
	words = fmt.Sprintf("exit status %d", code)
	if code == -1 {
		words = p.cmd.ProcessState.String() // "signal: killed"
	}
	if !p.goRun() || code == 0 {
		return code, words, true
	}
	lines := p.out.Lines()
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-3; i-- {
		if n, ok := strings.CutPrefix(lines[i], "exit status "); ok {
			if c, err := strconv.Atoi(n); err == nil {
				return c, lines[i] + ", as go run printed it", true
			}
		}
		if strings.HasPrefix(lines[i], "signal: ") {
			return -1, lines[i] + ", as go run printed it", true
		}
	}
	return code, "go run's exit status 1, which does not say your program's", false
}

// goRun reports whether the command is `go run`.
func (p *program) goRun() bool {
	a := p.cmd.Args
	base := strings.TrimSuffix(filepath.Base(a[0]), ".exe")
	return base == "go" && len(a) > 1 && a[1] == "run"
}

// stop ends the program and everything it started: see stopTree.
func (p *program) stop() {
	if p.exited() {
		killGroup(p.cmd) // a child it left behind, if any
		return
	}
	stopTree(p.cmd, p.done)
	<-p.done
}

// tail returns the last n lines the program printed.
func (p *program) tail(n int) []string {
	lines := p.out.Lines()
	if s := p.out.String(); s != "" && !strings.HasSuffix(s, "\n") {
		lines = append(lines, s[strings.LastIndex(s, "\n")+1:])
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

// handedOut are the ports freePort has returned, so that two programs
// started at once never get the same one.
var handedOut = struct {
	sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

// freePort returns a loopback port that nobody listens on now, and that
// it has not returned before. It is drawn at random below the ranges the
// systems hand out for port 0 and for clients (Linux from 32768, macOS and
// Windows from 49152): a port the system picked could be picked again for
// someone else, another checker for instance, before the program binds it.
func freePort() (int, error) {
	for try := 0; ; try++ {
		port := 20000 + rand.Intn(12000)
		handedOut.Lock()
		seen := handedOut.ports[port]
		handedOut.ports[port] = true
		handedOut.Unlock()
		if seen {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err == nil {
			l.Close()
			return port, nil
		}
		if try > 100 {
			return 0, err
		}
	}
}

// portTaken says why port cannot be used, or returns nil: something
// listens on it, or the system will not let the checker bind it.
func portTaken(port int) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		return errors.New("a program already listens on it")
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return l.Close()
}

// waitPortFree waits at most d until port can be bound again: a program
// just stopped may take a moment to release it.
func waitPortFree(port int, d time.Duration) {
	deadline := time.Now().Add(d)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for {
		l, err := net.Listen("tcp", addr)
		if err == nil {
			l.Close()
			return
		}
		if time.Now().After(deadline) {
			return
		}
		time.Sleep(20 * time.Millisecond) // polling the system, not waiting on our own goroutines
	}
}
