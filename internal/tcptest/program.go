package tcptest

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The environment variable that tells a test binary to be the stage's
// program instead of running tests: the helper-process pattern of Go's own
// os/exec tests.
const runMainEnv = "SOCKETCOURSE_RUN_MAIN"

// RunMain runs main and exits if this test binary was started by Start, and
// returns at once otherwise. Call it first in a stage's TestMain:
//
//	func TestMain(m *testing.M) {
//		tcptest.RunMain(main)
//		os.Exit(m.Run())
//	}
func RunMain(main func()) {
	if os.Getenv(runMainEnv) != "1" {
		return
	}
	main()
	os.Exit(0) // main returned: the program ended normally.
}

// Program is a stage's real program, running as a child process.
type Program struct {
	Stdout Output
	Stderr Output
	cmd    *exec.Cmd
	done   chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's result, set before done is closed
}

// Result is how a program ended and everything it printed.
type Result struct {
	Code   int // exit status; -1 if it was killed by a signal
	Stdout string
	Stderr string
}

// Start runs the stage's main (see RunMain) with args, as `go run` would.
// The process is killed when the test ends if it is still running.
func Start(t testing.TB, args ...string) *Program {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return start(t, exec.Command(exe, args...))
}

// start starts cmd, a command made by Start or RunUnprivileged.
func start(t testing.TB, cmd *exec.Cmd) *Program {
	t.Helper()
	p := &Program{cmd: cmd, done: make(chan struct{})}
	// Under -race the child would sleep a second at exit, waiting for
	// reports from other threads; these programs do not need that.
	race := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
	p.cmd.Env = append(p.cmd.Environ(), runMainEnv+"=1", "GORACE="+race)
	p.cmd.Stdout = &p.Stdout
	p.cmd.Stderr = &p.Stderr
	newProcessGroup(p.cmd) // so that Interrupt can reach it on Windows
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill() // Already exited is fine: the error is ignored on purpose.
		<-p.done
	})
	return p
}

// Run starts the program with args and waits for it to exit.
func Run(t testing.TB, args ...string) Result {
	t.Helper()
	return Start(t, args...).Wait(t)
}

// Addr waits until the program has printed the address it is bound to
// (its line "Bound to 127.0.0.1:PORT") and returns that address.
func (p *Program) Addr(t testing.TB) string {
	t.Helper()
	return strings.TrimPrefix(p.Stdout.WaitFor(t, "Bound to "), "Bound to ")
}

// Wait waits for the program to exit, at most Timeout, and returns how it
// ended.
func (p *Program) Wait(t testing.TB) Result {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(Timeout):
		p.cmd.Process.Kill() // The test fails anyway; this only frees the process.
		<-p.done
		t.Fatalf("the program did not exit within %v; it printed:\n%s%s", Timeout, p.Stdout.String(), p.Stderr.String())
	}
	var exit *exec.ExitError
	if p.err != nil && !errors.As(p.err, &exit) {
		t.Fatal(p.err)
	}
	return Result{Code: p.cmd.ProcessState.ExitCode(), Stdout: p.Stdout.String(), Stderr: p.Stderr.String()}
}

// Interrupt does what Ctrl-C does in a terminal: the program receives
// os.Interrupt. On Linux and macOS it is sent SIGINT; on Windows, which
// cannot send Ctrl-C to another process, it is sent Ctrl-Break
// (CTRL_BREAK_EVENT), which Go delivers as os.Interrupt as well. Where
// Windows cannot send it (a test run without a console), the test is
// skipped, and says why.
func (p *Program) Interrupt(t testing.TB) {
	t.Helper()
	if err := interrupt(t, p.cmd.Process); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
}

// InterruptIfRunning sends os.Interrupt as Interrupt does, if the program
// is still running, and reports whether it was.
func (p *Program) InterruptIfRunning(t testing.TB) bool {
	t.Helper()
	select {
	case <-p.done:
		return false
	default:
	}
	p.Interrupt(t)
	return true
}

// Kill ends the program at once, as closing its terminal window would.
func (p *Program) Kill(t testing.TB) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
}
