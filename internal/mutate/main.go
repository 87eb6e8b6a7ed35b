// Command mutate checks that each stage's tests prove its behaviour: it
// breaks the stage's main.go in one small way at a time (a mutant, from the
// table in table.go), runs that stage's own tests against it, and reports
// the mutants they did not catch.
//
//	go run ./internal/mutate                  # every stage
//	go run ./internal/mutate 04-echo-once 07-shutdown
//	go run ./internal/mutate -v 05-loop       # also which tests caught each mutant (slower: every test runs)
//
// Each mutant is an exact piece of a stage's main.go and what replaces it.
// A piece that is not in main.go exactly once is an error, so that a
// change to a stage cannot silently disable its mutants: fix the table.
// The mutants run in a copy of the module in a temporary folder; the
// working tree is never touched. A mutant's tests that fail, do not build
// or run longer than -timeout have caught ("killed") it; tests that pass
// let it survive. Some mutants cannot be caught by any test because they
// change nothing a client or a user could see: the table marks them
// equivalent and says why, and they do not count.
//
// It exits with 1 if a stage's tests kill less than -min of its other
// mutants, or if the table does not fit a main.go.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"socketcourse/internal/course"
)

// A mutant replaces the one occurrence of Find in a stage's main.go with
// Replace. Equivalent, if not empty, says why no test can tell it from the
// real program.
type mutant struct {
	Find, Replace string
	Equivalent    string
}

// outcome is what a mutant's tests did.
type outcome struct {
	stage  string
	index  int
	m      mutant
	killed bool
	why    string // how it was killed: failed tests, build error, timeout
	err    error  // the mutant could not be tried
}

func main() {
	verbose := flag.Bool("v", false, "say which tests caught each mutant")
	timeout := flag.Duration("timeout", 2*time.Minute, "a mutant whose tests run longer than this is caught (a hang)")
	jobs := flag.Int("j", runtime.NumCPU(), "mutants tested at the same time (the tests mostly wait on the network)")
	minimum := flag.Float64("min", 90, "the percentage of non-equivalent mutants each stage's tests must catch")
	flag.Parse()

	root, err := moduleRoot()
	if err != nil {
		fail(err)
	}
	stages := flag.Args()
	if len(stages) == 0 {
		stages = course.Folders() // every stage of the course: one without mutants fails
	}
	began := time.Now()
	ok := true
	for _, stage := range stages {
		if !check(root, stage, *jobs, *timeout, *minimum, *verbose) {
			ok = false
		}
	}
	fmt.Printf("took %v\n", time.Since(began).Round(time.Second))
	if !ok {
		os.Exit(1)
	}
}

// check runs a stage's mutants and prints its report; it reports whether
// the stage's tests caught enough of them.
func check(root, stage string, jobs int, timeout time.Duration, minimum float64, verbose bool) bool {
	mutants, found := table[stage]
	if !found {
		fmt.Printf("%s: no mutants in the table\n", stage)
		return false
	}
	src, err := os.ReadFile(filepath.Join(root, stage, "main.go"))
	if err != nil {
		fmt.Printf("%s: %v\n", stage, err)
		return false
	}
	ok := true
	for i, m := range mutants {
		if n := strings.Count(string(src), m.Find); n != 1 {
			fmt.Printf("%s: mutant %d: %q is in main.go %d times, not once: fix the table\n", stage, i+1, m.Find, n)
			ok = false
		}
	}
	if !ok {
		return false
	}

	work := make(chan int)
	results := make([]outcome, len(mutants))
	var wg sync.WaitGroup
	for w := 0; w < min(jobs, len(mutants)); w++ {
		dir, err := copyModule(root, stage)
		if err != nil {
			fmt.Printf("%s: %v\n", stage, err)
			return false
		}
		defer os.RemoveAll(dir)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = try(dir, stage, i, mutants[i], src, timeout, verbose)
			}
		}()
	}
	for i := range mutants {
		work <- i
	}
	close(work)
	wg.Wait()

	killed, counted, equivalent := 0, 0, 0
	for _, r := range results {
		if r.m.Equivalent != "" {
			equivalent++
		}
		label := fmt.Sprintf("%s #%d: %s", stage, r.index+1, describe(r.m))
		switch {
		case r.err != nil:
			fmt.Printf("ERROR    %s: %v\n", label, r.err)
			ok = false
		case r.m.Equivalent != "" && r.killed:
			fmt.Printf("NOTE     %s: marked equivalent, but caught by %s: take it out of the equivalent ones\n", label, r.why)
		case r.m.Equivalent != "":
			if verbose {
				fmt.Printf("equiv    %s (%s)\n", label, r.m.Equivalent)
			}
		case r.killed:
			killed++
			counted++
			if verbose {
				fmt.Printf("killed   %s by %s\n", label, r.why)
			}
		default:
			counted++
			fmt.Printf("SURVIVED %s\n", label)
		}
	}
	pct := 100.0
	if counted > 0 {
		pct = 100 * float64(killed) / float64(counted)
	}
	fmt.Printf("%s: %d of %d mutants caught (%.0f%%), %d equivalent\n", stage, killed, counted, pct, equivalent)
	if pct < minimum {
		fmt.Printf("%s: under %.0f%%\n", stage, minimum)
		ok = false
	}
	return ok
}

// try writes one mutant into the copy in dir, runs the stage's tests, and
// puts the real main.go back.
func try(dir, stage string, index int, m mutant, src []byte, timeout time.Duration, verbose bool) outcome {
	r := outcome{stage: stage, index: index, m: m}
	mainGo := filepath.Join(dir, stage, "main.go")
	mutated := strings.Replace(string(src), m.Find, m.Replace, 1)
	if err := os.WriteFile(mainGo, []byte(mutated), 0o644); err != nil {
		r.err = err
		return r
	}
	defer os.WriteFile(mainGo, src, 0o644)

	// Does it build? A mutant that does not is a mistake in the table.
	vet := exec.Command("go", "build", "-o", os.DevNull, "./"+stage)
	vet.Dir = dir
	if out, err := vet.CombinedOutput(); err != nil {
		r.err = fmt.Errorf("does not build: %s", bytes.TrimSpace(out))
		return r
	}

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	args := []string{"test", "-count=1", "-timeout", timeout.String()}
	if !verbose {
		args = append(args, "-failfast") // one failed test is enough
	}
	cmd := exec.CommandContext(ctx, "go", append(args, "./"+stage)...)
	cmd.Dir = dir
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		r.killed, r.why = true, "a timeout (the tests hang)"
	case err != nil:
		r.killed, r.why = true, failedTests(out)
	}
	return r
}

var failRE = regexp.MustCompile(`(?m)^\s*--- FAIL: (\S+)`)

// failedTests names the tests that failed in go test's output.
func failedTests(out []byte) string {
	var names []string
	for _, m := range failRE.FindAllSubmatch(out, -1) {
		names = append(names, string(m[1]))
	}
	if len(names) == 0 {
		if bytes.Contains(out, []byte("panic: test timed out")) {
			return "the test timeout (the tests hang)"
		}
		return "the tests (failed without a --- FAIL line)"
	}
	// Keep the deepest names: a subtest's failure fails its parent too.
	var deepest []string
	for _, n := range names {
		parent := false
		for _, other := range names {
			if strings.HasPrefix(other, n+"/") {
				parent = true
			}
		}
		if !parent {
			deepest = append(deepest, n)
		}
	}
	return strings.Join(deepest, ", ")
}

// describe shows a mutant as the change it makes.
func describe(m mutant) string {
	return fmt.Sprintf("%s → %s", oneLine(m.Find), oneLine(m.Replace))
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(nothing)"
	}
	return "`" + s + "`"
}

// copyModule copies what a stage's tests need, go.mod, go.sum, internal/
// and the stage's folder, into a new temporary folder.
func copyModule(root, stage string) (string, error) {
	dir, err := os.MkdirTemp("", "mutate-")
	if err != nil {
		return "", err
	}
	for _, name := range []string{"go.mod", "go.sum", "internal", stage} {
		if err := copyTree(filepath.Join(root, name), filepath.Join(dir, name)); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(to)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

// moduleRoot returns the folder above the current one that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the current folder")
		}
		dir = parent
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mutate:", err)
	os.Exit(1)
}
