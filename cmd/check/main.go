// Command check runs the course's scenarios against a server program of
// your own, in any language, and says which stage it behaves like.
//
//	go run ./cmd/check -- python3 server.py
//	go run ./cmd/check -stage 05-loop -- go run ./mine/05 -addr 127.0.0.1:{port}
//	go run ./cmd/check -stage 06-goroutines -- ./server -addr 127.0.0.1:{port}
//
// The command after -- is your server. The checker starts it as often as
// the scenarios need (01 exits once it has bound, 03 and 04 after one
// client; 05 stops on an empty connection) and stops it, with everything it
// started, afterwards.
// A `go run` command is built once, with go build, and the program run
// from that. "{port}" in its arguments is replaced by a free loopback port
// the checker picked for each run; without it the program must listen on
// -port. Its environment gets PORT=<port>, IDLE=<duration> with -idle, and
// PYTHONUNBUFFERED=1 (Python buffers what it prints into a pipe otherwise).
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
//
// Three modes build on the same check (modes.go): -json prints one JSON
// document instead of the report, in every mode; -ladder mine finds a
// learner's stages by convention (mine/05/ with Go files, mine/05.py),
// checks each as its stage and shows how far they have come, and with
// -watch again whenever a file changes; -each 'class/*/05' checks every
// match of the pattern, several at a time, and prints the class table.
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
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}

// run checks the command in args, started with the environment env, and
// returns the exit status. When ctx is done (Ctrl-C), the learner's program
// is stopped and run returns 1. -ladder, -each and -json are modes of
// their own (modes.go); without them, the text report.
func run(ctx context.Context, args, env []string, stdout, stderr io.Writer) int {
	cfg, code := parseOrSay(args, env, stdout, stderr)
	if cfg == nil {
		return code
	}
	if m := modeOf(cfg); m != nil {
		return m(ctx, cfg, stdout, stderr)
	}
	c, code := checkText(ctx, cfg, stdout, stderr)
	if c != nil && c.startup == nil {
		printReport(stdout, c.view)
	}
	return code
}

// checked is what a check found: the results of every scenario and the
// view made of them, or why the program could not be checked at all. The
// printers render its view: the report, the JSON document, the ladder and
// the class table; tests read it.
type checked struct {
	cfg         *config
	cmd         *command // nil when the command could not be made ready
	results     []result
	view        view
	startup     *startupError // why the program could not be checked at all: no results then
	interrupted bool          // Ctrl-C: the program was stopped, no results
	took        time.Duration
	exit        int
}

// checkAll parses args, starts the learner's program as often as the
// scenarios need, and decides. It writes only what cannot wait for the
// report: the first line, and why the check cannot run. It returns nil
// for a usage error or a check interrupted, and the exit status.
func checkAll(ctx context.Context, args, env []string, stdout, stderr io.Writer) (*checked, int) {
	cfg, code := parseOrSay(args, env, stdout, stderr)
	if cfg == nil {
		return nil, code
	}
	return checkText(ctx, cfg, stdout, stderr)
}

// parseOrSay parses args, or says why it cannot (with -json, in a JSON
// document) and returns nil and the exit status.
func parseOrSay(args, env []string, stdout, stderr io.Writer) (*config, int) {
	cfg, err := parseArgs(args, env, stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, 0
	case err != nil && wantsJSON(args):
		writeJSON(stdout, usageDocument(args, err))
		return nil, 2
	case err != nil:
		fmt.Fprintf(stderr, "check: %v\n", err)
		return nil, 2
	}
	return cfg, 0
}

// checkText is checkConfig for the text report: why the check cannot
// run is written on stderr; a check interrupted returns nil.
func checkText(ctx context.Context, cfg *config, stdout, stderr io.Writer) (*checked, int) {
	c := checkConfig(ctx, cfg, stdout)
	switch {
	case c.startup != nil:
		printStartup(stderr, c.startup)
		return c, c.exit
	case c.interrupted:
		fmt.Fprintln(stdout, "check: interrupted; your program was stopped")
		return nil, c.exit
	}
	return c, c.exit
}

// checkConfig checks the program cfg names: it starts it as often as the
// scenarios need, and decides. It writes the report's first line on
// stdout, once the program is ready to start; everything else it found is
// in what it returns.
func checkConfig(ctx context.Context, cfg *config, stdout io.Writer) *checked {
	c := &checked{cfg: cfg, exit: 2}
	start := time.Now()
	defer func() { c.took = time.Since(start) }()
	if !cfg.anyPort {
		if err := portTaken(cfg.port); err != nil {
			c.startup = &startupError{cause: causePortInUse, msg: fmt.Sprintf("port %d is in use (%v): stop what runs there, or wait a minute if a server just closed connections there (TIME_WAIT), or check another port with -port, or put {port} in your command", cfg.port, unwrapAll(err))}
			return c
		}
	}
	cmd, bad := prepare(cfg)
	if bad != nil {
		c.startup = bad
		return c
	}
	defer cmd.cleanup()
	c.cmd = cmd
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
		c.startup = bad
		return c
	}
	chk.pre = pre
	if cmd.lang == langUnknown {
		cmd.lang = pre.lang
	}
	results := chk.execute(chk.plan())
	if ctx.Err() != nil {
		c.interrupted, c.exit = true, 1
		return c
	}
	c.results, c.view = results, makeView(cfg, results, cmd.lang)
	c.exit = c.view.exit
	return c
}
