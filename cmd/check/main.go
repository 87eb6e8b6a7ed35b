// Command check runs the course's scenarios against a server program of
// your own, in any language, and says which stage it behaves like.
//
//	go run ./cmd/check -- python3 server.py
//	go run ./cmd/check -stage 05-loop -- go run ./mine/05 -addr 127.0.0.1:{port}
//	go run ./cmd/check -stage 06-goroutines -- ./server -addr 127.0.0.1:{port}
//
// The command after -- is your server. The checker starts it as often as
// the scenarios need (01, 03 and 04 exit after one client; 05 stops on an
// empty connection) and stops it, with everything it started, afterwards.
// A `go run` command is built once, with go build, and the program run
// from that. "{port}" in its arguments is replaced by a free loopback port
// the checker picked for each run; without it the program must listen on
// -port. Its environment gets PORT=<port> and PYTHONUNBUFFERED=1 (Python
// buffers what it prints into a pipe otherwise).
//
// The stage a program behaves like is decided by what it does (listens,
// accepts, answers once or every message, one client or many, what Ctrl-C
// does); a slip in its text (the article's lines, the welcome line, the
// reply's OK...) is a difference to fix, shown once. The report has one
// line per scenario; a failure says what was sent and received, what the
// program printed, a hint, and the page to read. The last line names the
// stage it behaves like (or, with -stage, whether it meets it) and what to
// do next. Exit status: 0 when the stage asked for is met (without -stage:
// when the program meets the stage it behaves like), 1 when not, 2 when
// the check cannot run (a bad flag, no command, an unknown stage, the port
// in use, a program that cannot start or does not build).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}

// run checks the command in args, started with the environment env, and
// returns the exit status. When ctx is done (Ctrl-C), the learner's program
// is stopped and run returns 1.
func run(ctx context.Context, args, env []string, stdout, stderr io.Writer) int {
	c, code := checkAll(ctx, args, env, stdout, stderr)
	if c != nil && c.startup == nil {
		printReport(stdout, c.cfg, c.results, c.verdict)
	}
	return code
}

// checked is what a check found: the results of every scenario and the
// verdict, or why the program could not be checked at all. The report
// prints it; tests read it.
type checked struct {
	cfg     *config
	cmd     *command
	startup *startupError
	results []result
	verdict verdict
}

// checkAll parses args, starts the learner's program as often as the
// scenarios need, and decides. It writes only what cannot wait for the
// report: the first line, and why the check cannot run. It returns nil
// for a usage error, and the exit status.
func checkAll(ctx context.Context, args, env []string, stdout, stderr io.Writer) (*checked, int) {
	cfg, err := parseArgs(args, env, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil, 0
	} else if err != nil {
		fmt.Fprintf(stderr, "check: %v\n", err)
		return nil, 2
	}
	if !cfg.anyPort {
		if err := portTaken(cfg.port); err != nil {
			fmt.Fprintf(stderr, "check: port %d is in use (%v): stop what runs there, or wait a minute if a server just closed connections there (TIME_WAIT), or check another port with -port, or put {port} in your command\n", cfg.port, unwrapAll(err))
			return nil, 2
		}
	}
	cmd, bad := prepare(cfg)
	if bad != nil {
		printStartup(stderr, bad)
		return &checked{cfg: cfg, startup: bad}, 2
	}
	defer cmd.cleanup()
	fmt.Fprintln(stdout, header(cfg, cmd))

	chk := &checkRun{ctx: ctx, cfg: cfg, cmd: cmd, running: &programs{}}
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		select {
		case <-ctx.Done():
			chk.running.stopAll()
		case <-stopped:
		}
	}()
	pre, bad := chk.preflightRun()
	if bad != nil {
		printStartup(stderr, bad)
		return &checked{cfg: cfg, cmd: cmd, startup: bad}, 2
	}
	chk.pre = pre
	results := chk.execute(chk.plan())
	if ctx.Err() != nil {
		fmt.Fprintln(stdout, "check: interrupted; your program was stopped")
		return nil, 1
	}
	v := decide(cfg, results)
	return &checked{cfg: cfg, cmd: cmd, results: results, verdict: v}, v.exit
}
