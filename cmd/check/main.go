// Command check runs the course's scenarios against a server program of
// your own, in any language, and says which stage it behaves like.
//
//	go run ./cmd/check -- python3 server.py
//	go run ./cmd/check -stage 05-loop -- go run ./mine/05
//	go run ./cmd/check -stage 06-goroutines -- ./server -addr 127.0.0.1:{port}
//
// The command after -- is your server. The checker starts it as often as
// the scenarios need (01, 03 and 04 exit after one client; 05 stops on an
// empty connection) and stops it, with everything it started, afterwards.
// "{port}" in its arguments is replaced by a free loopback port the checker
// picked for each run; without it the program must listen on -port. Its
// environment gets PORT=<port> and PYTHONUNBUFFERED=1 (Python buffers what
// it prints into a pipe otherwise).
//
// The report has one line per scenario; a failure says what was sent and
// received, what the program printed, a hint, and the page to read. The
// last line names the stage it behaves like and the next one. Exit status:
// 0 when the stage asked for (without -stage: some stage) is met, 1 when
// not, 2 when the check cannot run (a bad flag, no command, an unknown
// stage, the port in use).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

const usageLine = "usage: go run ./cmd/check [-stage NN-name] [-port N] -- command args..."

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}

// run checks the command in args, started with the environment env, and
// returns the exit status. When ctx is done (Ctrl-C), the learner's program
// is stopped and run returns 1.
func run(ctx context.Context, args, env []string, stdout, stderr io.Writer) int {
	cfg := &config{env: env, start: 15 * time.Second, quiet: 500 * time.Millisecond}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	stage := fs.String("stage", "", "the stage to check, one of "+strings.Join(stages, ", ")+"; without it, every stage")
	fs.IntVar(&cfg.port, "port", 8888, "the port your program listens on, when its arguments have no {port}")
	fs.DurationVar(&cfg.wait, "wait", 2*time.Second, "how long a reply may take")
	fs.DurationVar(&cfg.idle, "idle", 0, "your program's idle timeout, if it has one (07): checked only when given")
	fs.DurationVar(&cfg.grace, "grace", 5*time.Second, "how long your program may take to stop on Ctrl-C (07)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usageLine)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			fmt.Fprintln(stdout, "\nThe scenarios of each stage, and what each one shows:")
			for i, sc := range scenarios {
				if i == 0 || scenarios[i-1].stage != sc.stage {
					fmt.Fprintf(stdout, "%s (docs/%s.md)\n", sc.stage, sc.stage)
				}
				fmt.Fprintf(stdout, "  %s — %s\n", sc.name, sc.proves)
			}
			return 0
		}
		fmt.Fprintf(stderr, "check: %v; %s\n", err, usageLine)
		return 2
	}
	cfg.argv = fs.Args()
	switch {
	case len(cfg.argv) == 0:
		fmt.Fprintf(stderr, "check: no command to check: give your server's command after --; %s\n", usageLine)
		return 2
	case *stage != "" && !isStage(*stage):
		fmt.Fprintf(stderr, "check: unknown stage %q: one of %s\n", *stage, strings.Join(stages, ", "))
		return 2
	case cfg.port <= 0 || cfg.port > 65535:
		fmt.Fprintf(stderr, "check: bad -port %d: 1 to 65535\n", cfg.port)
		return 2
	case cfg.wait <= 0 || cfg.grace <= 0 || cfg.idle < 0:
		fmt.Fprintln(stderr, "check: -wait and -grace must be positive, -idle not negative")
		return 2
	}
	for _, a := range cfg.argv {
		cfg.anyPort = cfg.anyPort || strings.Contains(a, "{port}")
	}
	command := strings.Join(cfg.argv, " ")
	if cfg.anyPort {
		fmt.Fprintf(stdout, "checking %s, with {port} a free port for each run\n", command)
	} else {
		if err := portTaken(cfg.port); err != nil {
			fmt.Fprintf(stderr, "check: port %d is in use (%v): stop what runs there, or wait a minute if a server just closed connections there (TIME_WAIT), or check another port with -port, or put {port} in your command\n", cfg.port, unwrapAll(err))
			return 2
		}
		fmt.Fprintf(stdout, "checking %s, which must listen on port %d (-port)\n", command, cfg.port)
	}

	running := &programs{}
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		select {
		case <-ctx.Done():
			running.stopAll()
		case <-stopped:
		}
	}()

	asked := stages
	if *stage != "" {
		asked = []string{*stage}
		if b := buildsOn[*stage]; b != "" {
			asked = []string{b, *stage}
		}
	}
	// With {port}, every run of the program has a port of its own, so
	// scenarios run a few at a time; with a fixed port, one after another.
	var todo []scenario
	for _, st := range asked {
		for _, sc := range scenarios {
			if sc.stage == st {
				todo = append(todo, sc)
			}
		}
	}
	parallel := 1
	if cfg.anyPort {
		parallel = 16 // most of a scenario's time is spent waiting
	}
	results := make([]chan result, len(todo))
	slots := make(chan struct{}, parallel)
	for i, sc := range todo {
		results[i] = make(chan result, 1)
		go func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			if ctx.Err() != nil {
				results[i] <- result{scenario: sc, outcome: skip("the check was interrupted")}
				return
			}
			results[i] <- runScenario(cfg, running, sc)
		}()
	}
	met, ran := map[string]bool{}, map[string]bool{}
	shown := map[string]bool{} // what the program printed, as quoted so far
	for i, sc := range todo {
		if i == 0 || todo[i-1].stage != sc.stage {
			fmt.Fprintf(stdout, "%s (docs/%s.md)\n", sc.stage, sc.stage)
			met[sc.stage] = true
		}
		r := <-results[i]
		printResult(stdout, r, shown)
		if r.verdict == failed {
			met[sc.stage] = false
		}
		ran[sc.stage] = ran[sc.stage] || r.verdict != skipped
	}
	for _, st := range asked {
		b := buildsOn[st]
		met[st] = met[st] && ran[st] && (b == "" || met[b] || !contains(asked, b))
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stdout, "check: interrupted; your program was stopped")
		return 1
	}

	var metList []string
	for _, st := range asked {
		if met[st] {
			metList = append(metList, st)
		}
	}
	if len(metList) == 0 {
		metList = []string{"none"}
	}
	fmt.Fprintf(stdout, "stages met: %s\n", strings.Join(metList, ", "))
	if *stage != "" {
		if met[*stage] {
			fmt.Fprintf(stdout, "meets %s; %s\n", *stage, next(*stage))
			return 0
		}
		fmt.Fprintf(stdout, "does not meet %s; read docs/%s.md\n", *stage, *stage)
		return 1
	}
	best := ""
	for _, st := range stages {
		if met[st] {
			best = st
		}
	}
	if best == "" {
		fmt.Fprintf(stdout, "behaves like none; next: %s (docs/%s.md)\n", stages[0], stages[0])
		return 1
	}
	fmt.Fprintf(stdout, "behaves like %s; %s\n", best, next(best))
	return 0
}

// next says what comes after stage.
func next(stage string) string {
	for i, st := range stages {
		if st == stage && i+1 < len(stages) {
			return fmt.Sprintf("next: %s (docs/%s.md)", stages[i+1], stages[i+1])
		}
	}
	return "the course's last stage"
}

func isStage(s string) bool { return contains(stages, s) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
