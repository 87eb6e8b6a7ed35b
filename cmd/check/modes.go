package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"sort"
	"strings"
	"sync"
)

// The modes: -json (one JSON document instead of the report), -ladder (a
// learner's stages, each checked as its own stage), -each (a class, a
// program per match of a pattern). Each check they make is the same check
// as the report's (checkConfig); each output has one printer, and every
// printer reads the same results.

// modeConfig is what the modes ask for.
type modeConfig struct {
	json    bool   // one JSON document on stdout instead of the report
	ladder  string // the learner's folder of stages
	watch   bool   // with ladder: check again whenever a file in it changes
	each    string // a pattern: every match is a program to check
	csv     bool   // with each: the class table in CSV instead of Markdown
	reports string // with each: a folder for each program's full report
	jobs    int    // how many programs are checked at once
}

var modesUsage = "       " + self + " -ladder mine [-watch | -stage NN-name]\n" +
	"       " + self + " -each 'class/*' [-csv] [-reports DIR]\n" +
	"       " + self + " -each 'class/*/05' -stage NN-name [-csv] [-reports DIR] [-- command {dir} {port}]"

func addModeFlags(fs *flag.FlagSet, cfg *config) {
	fs.BoolVar(&cfg.json, "json", false, "print one JSON document on stdout instead of the report (docs/check.md)")
	fs.StringVar(&cfg.ladder, "ladder", "", "check each stage of yours in this folder (NN/ with Go files, NN.py, NN.js, NN/run, NN/ with a .py or .js file) and show how far you have come; with -stage, that stage only")
	fs.BoolVar(&cfg.watch, "watch", false, "with -ladder: check again whenever a file in the folder changes")
	fs.StringVar(&cfg.each, "each", "", "check every match of this pattern: a student's folder (class/*, holding mine/) for the class summary; with -stage, a program of that stage (class/*/05): {dir} in the command is the match, or as -ladder finds one")
	fs.BoolVar(&cfg.csv, "csv", false, "with -each: the class table in CSV instead of Markdown")
	fs.StringVar(&cfg.reports, "reports", "", "with -each: write each program's full report in this folder")
	fs.IntVar(&cfg.jobs, "jobs", 4, "with -each and -ladder: how many programs are checked at once")
}

// validateModes says what is wrong with the modes asked for, or nil.
func (cfg *config) validateModes() error {
	if _, err := filepath.Match(cfg.each, ""); err != nil {
		return usagef("bad -each pattern %q: %v", cfg.each, err)
	}
	switch {
	case cfg.ladder != "" && cfg.each != "":
		return usagef("-ladder or -each: one at a time")
	case cfg.ladder != "" && len(cfg.argv) > 0:
		return usagef("-ladder finds your programs itself (%s/05/ with Go files, %s/05.py): give no command after --", cfg.ladder, cfg.ladder)
	case cfg.ladder != "" && (cfg.exercise != "" || len(cfg.only) > 0):
		return usagef("-ladder checks every stage it finds (or the one -stage names): no -exercise or -run")
	case cfg.watch && cfg.stage != "":
		return usagef("-watch checks every stage of the ladder: no -stage")
	case cfg.watch && cfg.ladder == "":
		return usagef("-watch goes with -ladder: %s -ladder mine -watch", self)
	case cfg.watch && cfg.json:
		return usagef("-watch shows a screen that changes, -json one document: choose one")
	case (cfg.csv || cfg.reports != "") && cfg.each == "":
		return usagef("-csv and -reports go with -each")
	case cfg.csv && cfg.json:
		return usagef("-csv or -json: choose one")
	case cfg.jobs < 1:
		return usagef("bad -jobs %d: 1 or more", cfg.jobs)
	case cfg.each != "" && len(cfg.argv) > 0 && !mentions(cfg.argv, "{dir}"):
		return usagef("-each needs {dir} in the command, where each match goes, as in: -- go run {dir} -addr 127.0.0.1:{port}")
	case cfg.each != "" && len(cfg.argv) > 0 && !mentions(cfg.argv, "{port}") && cfg.port != 0:
		return usagef("-each checks several programs at once, each on a port of its own: put {port} in the command, or give -port 0 for programs that read their port from PORT")
	}
	return nil
}

// mentions reports whether one of args has word in it.
func mentions(args []string, word string) bool {
	for _, a := range args {
		if strings.Contains(a, word) {
			return true
		}
	}
	return false
}

// modeOf returns the mode cfg asks for, or nil for the text report.
func modeOf(cfg *config) func(context.Context, *config, io.Writer, io.Writer) int {
	switch {
	case cfg.ladder != "" && cfg.watch:
		return runWatch
	case cfg.ladder != "":
		return runLadder
	case cfg.each != "":
		return runEach
	case cfg.json:
		return runJSON
	}
	return nil
}

// textReport writes what the checker prints for c in a terminal: its
// first line, then the report, or why the check could not run.
func textReport(w io.Writer, c *checked) {
	if c.cmd != nil {
		fmt.Fprintln(w, header(c.cfg, c.cmd))
	}
	switch {
	case c.startup != nil:
		printStartup(w, c.startup)
	case c.interrupted:
		fmt.Fprintln(w, "check: interrupted; your program was stopped")
	default:
		printReport(w, c.view)
	}
}

// checkWith checks argv as cfg asks, each run on a port of its own: a
// stage of a ladder, a student of a class.
func checkWith(ctx context.Context, cfg *config, argv []string, stdout io.Writer) *checked {
	sub := *cfg
	sub.argv = argv
	sub.anyPort = mentions(argv, "{port}") || cfg.port == 0
	return checkConfig(ctx, &sub, stdout)
}

// forEach calls f for 0..n-1, jobs at a time.
func forEach(n, jobs int, f func(i int)) {
	slots := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			f(i)
		}()
	}
	wg.Wait()
}

// The convention by which -ladder (and -each without a command) finds a
// program: a folder with an executable file called run is run with it
// (any language: it starts the server), given its port as its first
// argument; a folder with Go files is run with go run, and given its port
// with -addr; a Python file, or a folder with one, is run with Python 3,
// and a JavaScript file, or a folder with one, with Node.js, both given
// their port as their first argument. Every program finds it in PORT too.

// programFor returns the command that runs the program at path, or why
// it cannot be run; neither when path holds no program yet.
func programFor(path string) (argv []string, problem string) {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, fmt.Sprintf("cannot read it: %v", unwrapAll(err))
	case !fi.IsDir() && strings.HasSuffix(path, ".py"):
		return pythonArgv(path)
	case !fi.IsDir() && strings.HasSuffix(path, ".js"):
		return nodeArgv(path)
	case !fi.IsDir():
		return nil, "not a folder, nor a .py or .js file"
	}
	run := filepath.Join(path, "run")
	if fi, err := os.Stat(run); err == nil && !fi.IsDir() {
		if fi.Mode()&0o111 == 0 && runtimeGOOS != "windows" {
			return nil, fmt.Sprintf("%s is not executable: chmod +x %s", run, run)
		}
		return []string{goPath(run), "{port}"}, ""
	}
	goFiles, _ := filepath.Glob(filepath.Join(path, "*.go"))
	for _, f := range goFiles {
		if !strings.HasSuffix(f, "_test.go") {
			return []string{"go", "run", goPath(path), "-addr", "127.0.0.1:{port}"}, ""
		}
	}
	for _, l := range []struct {
		ext   string
		names []string
		argv  func(string) ([]string, string)
	}{{".py", []string{"main.py", "server.py"}, pythonArgv}, {".js", []string{"main.js", "server.js", "index.js"}, nodeArgv}} {
		files, _ := filepath.Glob(filepath.Join(path, "*"+l.ext))
		switch len(files) {
		case 0:
			continue
		case 1:
			return l.argv(files[0])
		}
		for _, name := range l.names {
			if p := filepath.Join(path, name); contains(files, p) {
				return l.argv(p)
			}
		}
		sort.Strings(files)
		return nil, fmt.Sprintf("%d %s files and none called %s: which one is the server? Call it %s", len(files), l.ext, strings.Join(l.names, " or "), l.names[0])
	}
	return nil, ""
}

// runtimeGOOS is the system the checker runs on (a variable, for tests).
var runtimeGOOS = goruntime.GOOS

// nodeArgv runs file with Node.js, its port as its first argument.
func nodeArgv(file string) ([]string, string) {
	if _, err := exec.LookPath("node"); err != nil {
		return nil, "no Node.js found (node): install it to check a .js program"
	}
	return []string{"node", file, "{port}"}, ""
}

// goPath writes a relative folder as go run needs it: ./mine/05, not
// mine/05, which would be a package's import path.
func goPath(path string) string {
	slash := filepath.ToSlash(path)
	if filepath.IsAbs(path) || slash == "." || slash == ".." || strings.HasPrefix(slash, "./") || strings.HasPrefix(slash, "../") {
		return path
	}
	return "." + string(filepath.Separator) + path
}

// pythonArgv runs file with Python 3, its port as its first argument.
func pythonArgv(file string) ([]string, string) {
	python, err := pythonPath()
	if err != nil {
		return nil, err.Error()
	}
	return []string{python, file, "{port}"}, ""
}

var python = struct {
	once sync.Once
	path string
	err  error
}{}

// pythonPath finds Python 3: the interpreter itself, not a launcher in
// front of it (pyenv's shim is a shell script that costs more than
// Python's own start, and a check starts a program about 25 times).
func pythonPath() (string, error) {
	python.once.Do(func() {
		for _, name := range []string{"python3", "python"} {
			p, err := exec.LookPath(name)
			if err != nil {
				continue
			}
			out, err := exec.Command(p, "-c", "import sys; print(sys.version_info[0], sys.executable)").Output()
			major, exe, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
			if err != nil || major != "3" {
				continue
			}
			python.path = p
			if exe != "" {
				python.path = exe
			}
			return
		}
		python.err = fmt.Errorf("no Python 3 found (python3 or python): install it to check a .py program")
	})
	return python.path, python.err
}
