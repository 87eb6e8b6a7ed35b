package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// binDir holds the programs the tests build, once per test binary.
var binDir string

func TestMain(m *testing.M) {
	// The tests spend their time waiting on the network (a reply that must
	// not come, a program that must exit), not on the CPU: run more of them
	// at once than the default of one per core, unless -parallel is given
	// or the race detector makes the CPU the limit again.
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given && !raceEnabled {
		flag.Set("test.parallel", "8")
	}
	dir, err := os.MkdirTemp("", "check-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var builds sync.Map // package path -> *built

type built struct {
	once sync.Once
	exe  string
	err  error
}

// build builds the package at pkg, relative to the module root, once, and
// returns the program's path.
func build(t *testing.T, pkg string) string {
	t.Helper()
	b, _ := builds.LoadOrStore(pkg, &built{})
	bb := b.(*built)
	bb.once.Do(func() {
		bb.exe = filepath.Join(binDir, strings.ReplaceAll(pkg, "/", "_"))
		if runtime.GOOS == "windows" {
			bb.exe += ".exe"
		}
		cmd := exec.Command(goTool(), "build", "-o", bb.exe, "./"+pkg)
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			bb.err = fmt.Errorf("go build ./%s: %v\n%s", pkg, err, out)
		}
	})
	require.NoError(t, bb.err)
	return bb.exe
}

// goTool is the go command that runs the tests.
func goTool() string {
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if _, err := os.Stat(p + ".exe"); err == nil {
		return p + ".exe"
	}
	return "go"
}

// report is what the checker printed and its exit status, read back.
type report struct {
	text     string
	stderr   string
	code     int
	verdicts map[string]string // "05-loop: its scenario's name" -> passed, limited, better, FAILED, skipped
	last     string
}

var resultLine = regexp.MustCompile(`^  (passed|FAILED|skipped) +(.*?)(?: \((the stage's limitation|this stage's limitation; yours does better)[^)]*\))?(?:; note: .*)?$`)

// check runs the checker with args, as `go run ./cmd/check args...` would.
func check(t *testing.T, args ...string) report {
	t.Helper()
	return checkArgs(args...)
}

// checkArgs is check for a goroutine of its own, which has no t.
func checkArgs(args ...string) report {
	var out, errOut strings.Builder
	code := run(context.Background(), args, os.Environ(), &out, &errOut)
	return parse(out.String(), errOut.String(), code)
}

func parse(text, stderr string, code int) report {
	r := report{text: text, stderr: stderr, code: code, verdicts: map[string]string{}}
	stage := ""
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		r.last = l
		if st, _, ok := strings.Cut(l, " (docs/"); ok && isStage(st) {
			stage = st
			continue
		}
		m := resultLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if m[2] == "" {
			continue
		}
		v := m[1]
		switch {
		case m[3] == "the stage's limitation":
			v = "limited"
		case m[3] != "":
			v = "better"
		case strings.HasPrefix(m[1], "skipped"):
			m[2], _, _ = strings.Cut(m[2], ":")
		}
		r.verdicts[stage+": "+m[2]] = v
	}
	return r
}

// failed returns the names of the scenarios of stage that failed, sorted.
func (r report) failed(stage string) []string {
	var names []string
	for k, v := range r.verdicts {
		if name, ok := strings.CutPrefix(k, stage+": "); ok && v == "FAILED" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// name returns the name of the scenario of stage that runs f.
func name(t *testing.T, stage string, f func(*session) outcome) string {
	t.Helper()
	for _, sc := range scenarios {
		if sc.stage == stage && fmt.Sprintf("%p", sc.run) == fmt.Sprintf("%p", f) {
			return sc.name
		}
	}
	t.Fatalf("no scenario of %s runs that function", stage)
	return ""
}

// concurrently calls f for every key at once, each in a goroutine of its
// own, and returns what they returned. A run of the checker spends its time
// waiting on the program under test; run side by side, they cost little,
// while parallel subtests would be queued GOMAXPROCS at a time.
func concurrently[K comparable](keys []K, f func(K) report) map[K]report {
	var mu sync.Mutex
	var wg sync.WaitGroup
	reports := make(map[K]report, len(keys))
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := f(k)
			mu.Lock()
			reports[k] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	return reports
}

// fullArgs are the arguments of a full run of the checker against a
// reference stage's program exe.
func fullArgs(exe string) []string {
	return []string{"--", exe, "-addr", "127.0.0.1:{port}"}
}
