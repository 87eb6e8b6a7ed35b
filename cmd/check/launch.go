package main

import (
	"bytes"
	"debug/buildinfo"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
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
	c := &command{argv: cfg.argv, shown: strings.Join(cfg.argv, " ")}
	path, err := exec.LookPath(cfg.argv[0])
	if err != nil {
		return nil, notStartable(cfg.argv[0], err)
	}
	c.lang = langOf(cfg.argv, path)
	if !isGoRun(cfg.argv) {
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
	var at []string
	if len(flags) > 1 && (flags[0] == "-C" || flags[0] == "--C") {
		at, flags = flags[:2], flags[2:]
	} else if where, pkgs, ok := buildWhere(pkg); ok {
		// The program is built where it lives: in its own module (a
		// student's repository), or on its own when no go.mod is above it.
		pkg = pkgs
		if cwd, _ := os.Getwd(); where != cwd {
			at = []string{"-C", where}
		}
	}
	shownAt := at
	if len(at) == 2 {
		if cwd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(cwd, at[1]); err == nil && !strings.HasPrefix(rel, "..") {
				shownAt = []string{"-C", rel}
			}
		}
	}
	shown := append(append(append([]string{"build"}, shownAt...), flags...), pkg...)
	c.built = "go " + strings.Join(shown, " ")
	args := append(append([]string{"build"}, at...), "-o", exe)
	if !hasFlag(flags, "ldflags") {
		// Without a symbol table and DWARF the link takes a fifth less
		// (a class's dozens of builds), and a panic still names its file
		// and line: those are in the program's own tables.
		args = append(args, "-ldflags=-s -w")
	}
	args = append(append(args, flags...), pkg...)
	build := exec.Command(path, args...)
	build.Env = cfg.env
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

// moduleRoot returns the folder of the go.mod that holds dir, or "".
func moduleRoot(dir string) string {
	for root := dir; ; root = filepath.Dir(root) {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			return root
		}
		if filepath.Dir(root) == root {
			return ""
		}
	}
}

// buildWhere says where to build the package of a go run command, a
// folder: in the module that holds it, whatever its module path (go
// build -C <module> ./<folder within it>), or, when no go.mod is above
// it, its .go files on their own. ok is false for a package given by
// its import path, or .go files, which go build takes as they are.
func buildWhere(pkg []string) (where string, pkgs []string, ok bool) {
	if len(pkg) != 1 || strings.HasSuffix(pkg[0], ".go") {
		return "", nil, false
	}
	slash := filepath.ToSlash(pkg[0])
	if !filepath.IsAbs(pkg[0]) && slash != "." && slash != ".." && !strings.HasPrefix(slash, "./") && !strings.HasPrefix(slash, "../") {
		return "", nil, false // an import path
	}
	dir, err := filepath.Abs(pkg[0])
	if err != nil {
		return "", nil, false
	}
	if root := moduleRoot(dir); root != "" {
		if cwd, err := os.Getwd(); err == nil && moduleRoot(cwd) == root {
			return "", nil, false // the module go runs in already: as given
		}
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return "", nil, false
		}
		return root, []string{"./" + filepath.ToSlash(rel)}, true
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var list []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			list = append(list, filepath.Base(f))
		}
	}
	if len(list) == 0 {
		return "", nil, false
	}
	return dir, list, true
}

// hasFlag reports whether go's flags have -name, in any of its forms.
func hasFlag(flags []string, name string) bool {
	for _, f := range flags {
		n, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if strings.HasPrefix(f, "-") && n == name {
			return true
		}
	}
	return false
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

// langOf tells what runs a command: its interpreter, go run or cargo, a
// program built from Go or Rust (their binaries say so), another binary
// (C), or a script whose first line or words say which.
func langOf(argv []string, path string) lang {
	base := strings.ToLower(strings.TrimSuffix(filepath.Base(argv[0]), ".exe"))
	switch {
	case isGoRun(argv):
		return langGo
	case strings.HasPrefix(base, "python2"):
		return langPython2
	case strings.HasPrefix(base, "python") || base == "py" || base == "pypy3":
		if pythonMajor(path) == "2" {
			return langPython2
		}
		return langPython3
	case base == "node" || base == "nodejs" || base == "npm" || base == "npx" || base == "deno" || base == "bun":
		return langNode
	case base == "java" || base == "javaw" || base == "mvn" || base == "gradle" || base == "jbang":
		return langJava
	case base == "cargo":
		return langRust
	}
	for _, a := range argv[1:] {
		switch strings.ToLower(filepath.Ext(a)) {
		case ".py":
			return langPython3
		case ".js", ".mjs", ".cjs":
			return langNode
		case ".java", ".jar":
			return langJava
		}
	}
	return fileLang(path)
}

// fileLang tells what runs the program file at path: a Go binary (its
// build information), a Rust one (its panic machinery's names), any other
// binary (C), or a script (its first line, or the commands in it).
func fileLang(path string) lang {
	if _, err := buildinfo.ReadFile(path); err == nil {
		return langGo
	}
	f, err := os.Open(path)
	if err != nil {
		return langUnknown
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")) || bytes.HasPrefix(head, []byte("MZ")) || bytes.HasPrefix(head, []byte{0xcf, 0xfa, 0xed, 0xfe}):
		rest, _ := io.ReadAll(io.LimitReader(f, 64<<20))
		if bytes.Contains(head, []byte("rust_panic")) || bytes.Contains(rest, []byte("rust_panic")) || bytes.Contains(rest, []byte("/rustc/")) {
			return langRust
		}
		return langC
	case bytes.HasPrefix(head, []byte("#!")):
		text := string(head)
		for _, w := range []struct {
			word string
			l    lang
		}{{"python2", langPython2}, {"python", langPython3}, {"node", langNode}, {"java", langJava}, {"cargo ", langRust}, {"go run", langGo}, {"go build", langGo}, {"gcc", langC}, {"cc ", langC}, {"clang", langC}, {"make", langC}} {
			if strings.Contains(text, w.word) {
				return w.l
			}
		}
	}
	return langUnknown
}

// pythonMajor returns the major version of the Python at path, "" if it
// cannot tell: the command python is Python 2 on some systems.
func pythonMajor(path string) string {
	pythonMajors.Lock()
	defer pythonMajors.Unlock()
	if v, ok := pythonMajors.m[path]; ok {
		return v
	}
	out, _ := exec.Command(path, "-c", "import sys; print(sys.version_info[0])").Output()
	v := strings.TrimSpace(string(out))
	pythonMajors.m[path] = v
	return v
}

var pythonMajors = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

// firstLines returns at most n of lines, the last one saying how many
// more there were.
func firstLines(lines []string, n int) []string {
	if len(lines) <= n {
		return lines
	}
	return append(lines[:n-1:n-1], fmt.Sprintf("... and %d more lines", len(lines)-n+1))
}
