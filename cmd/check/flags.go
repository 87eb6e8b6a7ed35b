package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"socketcourse/internal/course"
)

// self is the checker's command as the learner runs it, for the commands
// its messages suggest: go run ./cmd/check, or a built checker's name as
// typed (./check, check.exe).
var self = selfName(os.Args[0])

// selfName returns go run's command for a program that go run (or go
// test) built in its temporary folder, and arg0 for any other.
func selfName(arg0 string) string {
	if strings.Contains(strings.ReplaceAll(arg0, `\`, "/"), "/go-build") {
		return "go run ./cmd/check"
	}
	return arg0
}

var usageLine = "usage: " + self + " [-stage NN-name] [-port N] [-idle D] [-v] -- command args..."

// config is what the user asked for.
type config struct {
	argv     []string      // the learner's command, as given
	env      []string      // the checker's environment, which the command gets
	stage    string        // the stage asked for; "" for every stage
	exercise string        // an exercise to check instead of the stage's own text, such as 06-2
	only     []string      // -run: the slugs of the only scenarios to run
	port     int           // where the program listens when argv has no {port}
	anyPort  bool          // argv has {port}: the checker picks a port for each run
	wait     time.Duration // how long a reply may take
	start    time.Duration // how long the program may take to start listening
	quiet    time.Duration // how long to watch to see that nothing happens
	idle     time.Duration // the program's idle timeout, if the user gave one
	grace    time.Duration // how long the program may take to stop on Ctrl-C
	maxConns int           // for exercise 07-2: the program's -max
	verbose  bool          // the whole report: every line printed, every client action
	modeConfig
}

// usageError is a mistake in how the checker was called: one line on
// standard error, exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// durationFlag is a flag whose value is a duration, and which says so
// when it is given a bare number.
type durationFlag struct {
	name string
	d    *time.Duration
}

func (f durationFlag) String() string {
	if f.d == nil || *f.d == 0 {
		return ""
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("a duration with its unit, such as 2s or 500ms")
	}
	*f.d = d
	return nil
}

// checkerFlags are the checker's own flags that a learner's server does not
// take: written after the command, they would go to the server.
var checkerFlags = []string{"stage", "exercise", "json", "run", "ladder", "watch", "each", "csv", "reports", "jobs"}

// boolFlags are the checker's flags that take no value.
var boolFlags = map[string]bool{"json": true, "watch": true, "csv": true}

// parseArgs reads the checker's arguments. ErrHelp means -h was asked for.
func parseArgs(args, env []string, stdout io.Writer) (*config, error) {
	cfg := &config{env: env, start: 5 * time.Second, quiet: 500 * time.Millisecond}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&cfg.stage, "stage", "", "the stage to check, one of "+strings.Join(stages, ", ")+"; without it, every stage")
	fs.StringVar(&cfg.exercise, "exercise", "", "check a page's exercise done, one of "+strings.Join(exerciseNames(), ", "))
	fs.IntVar(&cfg.port, "port", 8888, "the port your program listens on, when its arguments have no {port}; 0: a port of its own for each run, which it reads from PORT in its environment")
	cfg.wait, cfg.grace = 2*time.Second, 5*time.Second
	fs.Var(durationFlag{"wait", &cfg.wait}, "wait", "how long a reply may take, a `duration` such as 2s or 500ms")
	fs.Var(durationFlag{"idle", &cfg.idle}, "idle", "your program's idle timeout (07), a `duration`: checked only when given")
	fs.Var(durationFlag{"grace", &cfg.grace}, "grace", "how long your program may take to stop on Ctrl-C (07), a `duration`")
	fs.IntVar(&cfg.maxConns, "max", 0, "your program's -max, for -exercise 07-2")
	only := fs.String("run", "", "run only these scenarios, by their short names, comma-separated (see the list below)")
	fs.BoolVar(&cfg.verbose, "v", false, "show everything: every client action and every line your program printed")
	addModeFlags(fs, cfg)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, fs)
			return nil, err
		}
		return nil, explainFlagError(err)
	}
	cfg.argv = fs.Args()
	if *only != "" {
		cfg.only = strings.Split(*only, ",")
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	for _, a := range cfg.argv {
		cfg.anyPort = cfg.anyPort || strings.Contains(a, "{port}") || cfg.port == 0
	}
	if cfg.idle > 0 {
		// A program in any language learns the idle time as it learns its
		// port: from its environment (a Go stage is given -idle too).
		cfg.env = append(cfg.env[:len(cfg.env):len(cfg.env)], "IDLE="+cfg.idle.String())
	}
	return cfg, nil
}

// explainFlagError turns the flag package's words into the checker's.
func explainFlagError(err error) error {
	msg := err.Error()
	// invalid value "2" for flag -idle: a duration with its unit, ...
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		value, rest, _ := strings.Cut(rest, " for flag ")
		name, why, _ := strings.Cut(rest, ": ")
		return usagef("bad %s %s: %s", name, value, why)
	}
	return usagef("%s; %s", msg, usageLine)
}

func (cfg *config) validate() error {
	if err := cfg.validateModes(); err != nil {
		return err
	}
	switch {
	case len(cfg.argv) == 0 && cfg.ladder == "" && cfg.each == "":
		return usagef("no command to check: give your server's command after --; %s", usageLine)
	case cfg.stage != "" && !isStage(cfg.stage):
		return usagef("unknown stage %q: %sone of %s", cfg.stage, didYouMean(cfg.stage), strings.Join(stages, ", "))
	case cfg.exercise != "" && !contains(exerciseNames(), cfg.exercise):
		return usagef("unknown exercise %q: one of %s", cfg.exercise, strings.Join(exerciseNames(), ", "))
	case cfg.port < 0 || cfg.port > 65535:
		return usagef("bad -port %d: 1 to 65535, or 0 for a port of its own for each run, read from PORT", cfg.port)
	case cfg.wait <= 0 || cfg.grace <= 0 || cfg.idle < 0:
		return usagef("-wait and -grace must be positive, -idle not negative")
	case cfg.maxConns < 0:
		return usagef("bad -max %d: not negative", cfg.maxConns)
	}
	for _, slug := range cfg.only {
		if !knownSlug(slug) {
			return usagef("unknown scenario %q for -run: %s -h lists them", slug, self)
		}
	}
	if st, e := course.ExerciseStage(cfg.exercise); e != nil {
		if cfg.stage != "" && cfg.stage != st.Folder {
			return usagef("exercise %s is one of %s's: give -stage %s, or no -stage", e.Name, st.Folder, st.Folder)
		}
		cfg.stage = st.Folder
		if e.NeedsMax && cfg.maxConns == 0 {
			return usagef("exercise %s needs -max N, the same N as your program's -max", e.Name)
		}
	}
	for i, a := range cfg.argv[min(1, len(cfg.argv)):] {
		name := strings.TrimLeft(a, "-")
		name, _, hasValue := strings.Cut(name, "=")
		if a == name || len(a)-len(strings.TrimLeft(a, "-")) > 2 || !contains(checkerFlags, name) {
			continue
		}
		flag := a
		if !hasValue && i+2 < len(cfg.argv) && !boolFlags[name] {
			flag += " " + cfg.argv[i+2]
		}
		return usagef("%s comes after your program's command, so it would go to your program: put the checker's flags before --, as in: %s %s -- %s", a, self, flag, cfg.argv[0])
	}
	return nil
}

// didYouMean suggests the stage s was meant to be, with the words around
// it, or returns "".
func didYouMean(s string) string {
	best, bestDist := "", 3
	for _, st := range stages {
		num, word, _ := strings.Cut(st, "-")
		switch {
		case s == num || s == strings.TrimLeft(num, "0") || strings.EqualFold(s, word) || strings.HasPrefix(st, s+"-"):
			return "did you mean " + st + "? "
		}
		if d := min(editDistance(strings.ToLower(s), st), editDistance(strings.ToLower(s), word)); d < bestDist {
			best, bestDist = st, d
		}
	}
	if best != "" {
		return "did you mean " + best + "? "
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, usageLine)
	fmt.Fprintln(w, modesUsage)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintln(w, "\nThe scenarios of each stage, and what each one shows:")
	for _, st := range course.Stages {
		fmt.Fprintf(w, "%s (%s)\n", st.Folder, st.Page())
		for _, sc := range st.Scenarios {
			fmt.Fprintf(w, "  %s — %s (-run %s)\n", sc.Name, sc.Proves, sc.Slug)
		}
	}
	fmt.Fprintln(w, "\nThe exercises it checks (-exercise):")
	for _, st := range course.Stages {
		for _, e := range st.Exercises {
			fmt.Fprintf(w, "  %s — %s\n", e.Name, e.What)
		}
	}
}

// knownSlug reports whether a scenario, or an exercise's, has the short
// name slug.
func knownSlug(slug string) bool {
	for _, st := range course.Stages {
		for _, sc := range st.Scenarios {
			if sc.Slug == slug {
				return true
			}
		}
		for _, e := range st.Exercises {
			for _, sc := range e.Adds {
				if sc.Slug == slug {
					return true
				}
			}
		}
	}
	return false
}
