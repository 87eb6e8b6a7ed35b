package main

import (
	"debug/buildinfo"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// command is the learner's command, made ready to start: a `go run`
// command is built once, so that every run starts the program itself
// (quickly, and with an exit status of its own, which go run would hide).
type command struct {
	argv  []string // what is started; "{port}" still in it
	shown string   // the command as the learner wrote it
	built string   // the build the checker made of it, such as "go build ./mine/05"
	lang  lang
	dir   string // the checker's own folder, removed by cleanup
}

// startupError says why the learner's program cannot be checked at all.
type startupError struct {
	cause cause
	msg   string   // what went wrong, in one line
	lines []string // what the build or the program said, quoted
	hint  string
}

func (c *command) cleanup() {
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

// prepare makes the learner's command ready, or says why it cannot run.
func prepare(cfg *config) (*command, *startupError) {
	c := &command{argv: cfg.argv, shown: strings.Join(cfg.argv, " "), lang: languageOf(cfg.argv)}
	path, err := exec.LookPath(cfg.argv[0])
	if err != nil {
		return nil, notStartable(cfg.argv[0], err)
	}
	if !isGoRun(cfg.argv) {
		if c.lang == langOther {
			if _, err := buildinfo.ReadFile(path); err == nil {
				c.lang = langGo
			}
		}
		return c, nil
	}
	flags, pkg, rest, ok := splitGoRun(cfg.argv[2:])
	if !ok {
		return c, nil // go run as given: its status is read from what it prints
	}
	dir, err := os.MkdirTemp("", "check-")
	if err != nil {
		return nil, &startupError{cause: causeNotRunnable, msg: fmt.Sprintf("cannot make a folder to build your program in: %v", err)}
	}
	c.dir = dir
	exe := filepath.Join(dir, "server")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	// -C, if given, must come first: go build changes folder before the rest.
	args := []string{"build"}
	if len(flags) > 1 && (flags[0] == "-C" || flags[0] == "--C") {
		args, flags = append(args, flags[:2]...), flags[2:]
	}
	args = append(append(append(args, "-o", exe), flags...), pkg...)
	build := exec.Command(path, args...)
	build.Env = cfg.env
	c.built = "go build " + strings.Join(append(flags, pkg...), " ")
	if out, err := build.CombinedOutput(); err != nil {
		c.cleanup()
		return nil, &startupError{
			cause: causeCompileError,
			msg:   fmt.Sprintf("your program does not build (%s): %v", c.built, err),
			lines: firstLines(strings.Split(strings.TrimRight(string(out), "\n"), "\n"), 15),
			hint:  "fix what the compiler says, from the first error on: the others often follow from it.",
		}
	}
	c.argv = append([]string{exe}, rest...)
	return c, nil
}

// notStartable explains why the system cannot start name.
func notStartable(name string, err error) *startupError {
	switch {
	case errors.Is(err, exec.ErrDot):
		return &startupError{
			cause: causeRelativeExe,
			msg:   fmt.Sprintf("cannot run %s: Go runs a program found in the current folder only when its path says so", name),
			hint:  fmt.Sprintf("write .\\%s (with .\\ before it) after --.", strings.TrimPrefix(name, `.\`)),
		}
	case errors.Is(err, fs.ErrPermission):
		return &startupError{
			cause: causeNotRunnable,
			msg:   fmt.Sprintf("cannot run %s: it is not an executable file", name),
			hint:  fmt.Sprintf("a script needs its interpreter before it (python3 %s), or chmod +x %s.", name, name),
		}
	}
	hint := "is it installed, and is its name right? A program of yours needs its path, as in ./server."
	if strings.ContainsAny(name, `/\`) {
		hint = "is the path right? It is relative to the folder you run the checker in."
	}
	return &startupError{cause: causeNotFound, msg: fmt.Sprintf("cannot start %s: no such program", name), hint: hint}
}

// isGoRun reports whether argv is `go run ...`.
func isGoRun(argv []string) bool {
	return len(argv) > 2 && strings.TrimSuffix(filepath.Base(argv[0]), ".exe") == "go" && argv[1] == "run"
}

// goValueFlags are the build flags of `go run` that take a value.
var goValueFlags = map[string]bool{
	"C": true, "p": true, "asmflags": true, "buildmode": true, "compiler": true,
	"gccgoflags": true, "gcflags": true, "installsuffix": true, "ldflags": true,
	"mod": true, "modfile": true, "overlay": true, "pgo": true, "pkgdir": true,
	"tags": true, "toolexec": true, "coverpkg": true, "covermode": true,
}

// splitGoRun splits the arguments of `go run` into its build flags, the
// package (a path, or .go files), and the program's own arguments. ok is
// false for what go build cannot do as go run does (-exec).
func splitGoRun(args []string) (flags, pkg, rest []string, ok bool) {
	i := 0
	for ; i < len(args) && strings.HasPrefix(args[i], "-"); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if name == "exec" {
			return nil, nil, nil, false
		}
		flags = append(flags, args[i])
		if goValueFlags[name] && !hasValue && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if i == len(args) {
		return nil, nil, nil, false
	}
	if !strings.HasSuffix(args[i], ".go") {
		return flags, args[i : i+1], args[i+1:], true
	}
	j := i
	for j < len(args) && strings.HasSuffix(args[j], ".go") {
		j++
	}
	return flags, args[i:j], args[j:], true
}

// languageOf tells the language of a command from its words.
func languageOf(argv []string) lang {
	base := strings.ToLower(strings.TrimSuffix(filepath.Base(argv[0]), ".exe"))
	switch {
	case isGoRun(argv):
		return langGo
	case strings.HasPrefix(base, "python") || base == "py" || strings.HasSuffix(base, ".py"):
		return langPython
	}
	for _, a := range argv[1:] {
		if strings.HasSuffix(a, ".py") {
			return langPython
		}
	}
	return langOther
}

// firstLines returns at most n of lines, the last one saying how many
// more there were.
func firstLines(lines []string, n int) []string {
	if len(lines) <= n {
		return lines
	}
	return append(lines[:n-1:n-1], fmt.Sprintf("... and %d more lines", len(lines)-n+1))
}
