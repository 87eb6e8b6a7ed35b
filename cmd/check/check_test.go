package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"socketcourse/internal/course"
)

// binDir holds the programs the tests build, once per test binary.
var binDir string

func TestMain(m *testing.M) {
	if dir := os.Getenv("CHECK_TEST_PRINTER"); dir != "" {
		printALot(dir) // the test binary as a program the checker runs
		return
	}
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
	scenarioSlots = 8 // with checkSlots: at most 32 programs at once
	dir, err := os.MkdirTemp("", "check-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	if code == 0 && len(contradicted) > 0 {
		// A report that says a thing and its opposite, from any check any
		// test made: the view decides from facts so that this cannot be.
		fmt.Fprintf(os.Stderr, "FAIL: %d reports contradict themselves:\n%s\n", len(contradicted), strings.Join(contradicted, "\n\n"))
		code = 1
	}
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

// report is a run of the checker: what it found, what it printed, and its
// exit status. Tests read the results; the text is for the failure
// messages, and for the few tests of the report's words.
type report struct {
	*checked
	text   string
	stderr string
	code   int
	last   string
}

// check runs the checker with args, as `go run ./cmd/check args...` would.
func check(t *testing.T, args ...string) report {
	t.Helper()
	return checkArgs(args...)
}

// checkArgs is check for a goroutine of its own, which has no t.
func checkArgs(args ...string) report {
	return checkEnv(os.Environ(), args...)
}

// longTests says whether the tests that take minutes run: the corpus, and
// a thousand runs where a learner's go test makes a hundred. CI sets
// CHECK_LONG=1.
var longTests = os.Getenv("CHECK_LONG") != ""

// checkSlots bound how many checks the tests run at once: each starts up
// to 16 programs, and a machine with two cores and hundreds of programs
// starting at once is slow to run any of them.
var checkSlots = make(chan struct{}, 4)

// checkEnv is checkArgs with the environment env.
func checkEnv(env []string, args ...string) report {
	checkSlots <- struct{}{}
	defer func() { <-checkSlots }()
	var out, errOut strings.Builder
	c, code := checkAll(context.Background(), args, env, &out, &errOut)
	if c != nil && c.startup == nil {
		printReport(&out, c.view)
	}
	text := out.String()
	if c != nil && c.startup == nil {
		recordContradictions(c, code, text)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	return report{checked: c, text: text, stderr: errOut.String(), code: code, last: lines[len(lines)-1]}
}

// result returns the result of the scenario slug of stage.
func (r report) result(t *testing.T, stage, slug string) result {
	t.Helper()
	require.NotNil(t, r.checked, "the checker found nothing: %s%s", r.text, r.stderr)
	for _, res := range r.results {
		if res.stage.Folder == stage && res.Slug == slug {
			return res
		}
	}
	t.Fatalf("no result for %s %s in:\n%s", stage, slug, r.text)
	return result{}
}

// failed returns the slugs of the scenarios of stage that failed, sorted.
func (r report) failed(stage string) []string {
	var slugs []string
	if r.checked == nil {
		return nil
	}
	if sv := r.view.stage(stage); sv != nil && sv.shown {
		for _, rv := range sv.results {
			if rv.status == failed {
				slugs = append(slugs, rv.Slug)
			}
		}
	}
	sort.Strings(slugs)
	return slugs
}

// firstCause returns the cause of the first failed scenario, in the
// report's order, or the start-up failure's.
func (r report) firstCause() cause {
	if r.checked == nil {
		return ""
	}
	if r.startup != nil {
		return r.startup.cause
	}
	if f := r.view.firstFailure(); f != nil {
		return f.cause
	}
	return ""
}

// diffKinds returns the kinds of the differences the report shows.
func (r report) diffKinds() []string {
	var kinds []string
	if r.checked == nil {
		return nil
	}
	for _, d := range r.view.diffs {
		if !contains(kinds, d.kind) {
			kinds = append(kinds, d.kind)
		}
	}
	sort.Strings(kinds)
	return kinds
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
// reference stage's program exe: 07's idle timeout is checked.
func fullArgs(stage, exe string) []string {
	if needsIdle(course.Get(stage)) {
		// 5s, not less: the other scenarios of the run (100 clients in
		// waves of ten) must not be timed out themselves on a loaded machine.
		return []string{"-idle", "5s", "--", exe, "-addr", "127.0.0.1:{port}", "-idle", "5s"}
	}
	return []string{"--", exe, "-addr", "127.0.0.1:{port}"}
}

// A mutation is a change to a stage's main.go, in internal/mutate's form:
// an exact piece of the source, found once, and what replaces it.
type mutation struct{ Find, Replace string }

// buildMutant builds the stage's program with the mutations made, once per
// test binary, and returns its path. The stages use the standard library
// only, so the changed main.go builds on its own, outside the module.
func buildMutant(t *testing.T, name, stage string, muts ...mutation) string {
	t.Helper()
	b, _ := builds.LoadOrStore("mutant "+name, &built{})
	bb := b.(*built)
	bb.once.Do(func() {
		src, err := os.ReadFile(filepath.Join("..", "..", stage, "main.go"))
		if err != nil {
			bb.err = err
			return
		}
		text := string(src)
		for _, m := range muts {
			if n := strings.Count(text, m.Find); n != 1 {
				bb.err = fmt.Errorf("mutant %s: %q is in %s/main.go %d times; want once", name, m.Find, stage, n)
				return
			}
			text = strings.Replace(text, m.Find, m.Replace, 1)
		}
		dir := filepath.Join(binDir, "mutant-"+name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			bb.err = err
			return
		}
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(text), 0o644); err != nil {
			bb.err = err
			return
		}
		bb.exe = filepath.Join(dir, name)
		if runtime.GOOS == "windows" {
			bb.exe += ".exe"
		}
		cmd := exec.Command(goTool(), "build", "-o", bb.exe, "main.go")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GO111MODULE=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			bb.err = fmt.Errorf("mutant %s does not build: %v\n%s", name, err, out)
		}
	})
	require.NoError(t, bb.err)
	return bb.exe
}
