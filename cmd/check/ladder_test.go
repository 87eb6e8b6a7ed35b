package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/course"
	"socketcourse/internal/tcptest"
	"socketcourse/internal/wire"
)

// makeMine writes a learner's folder in a folder of the test's: 01 in Go,
// 02 in Python (in Go without Python 3), 03 in Go with the client's
// address wrong, an empty 05, and a 06 with two .py files and no main.py.
// It returns the folder and the environment to check it in.
func makeMine(t *testing.T) (string, []string) {
	gopath := t.TempDir()
	mine := filepath.Join(gopath, "src", "mine")
	files := map[string]string{
		"01/main.go": stageSource(t, "01-bind"),
		"03/main.go": stageSource(t, "03-accept", localAddr),
		"06/a.py":    "",
		"06/b.py":    "",
	}
	if hasPython() {
		files["02.py"] = pythonExample(t, "02-listen.py")
	} else {
		files["02/main.go"] = stageSource(t, "02-listen")
	}
	writeFiles(t, mine, files)
	require.NoError(t, os.Mkdir(filepath.Join(mine, "05"), 0o755))
	return mine, outsideModule(gopath)
}

// The ladder: each stage found met, not met with its first cause, or not
// written yet, and what to do next; the same in a JSON document.
func TestLadder(t *testing.T) {
	t.Parallel()
	mine, env := makeMine(t)
	reports := concurrently([]string{"text", "json"}, func(k string) report {
		if k == "json" {
			return runEnvArgs(env, "-ladder", mine, "-json", "-jobs", "2")
		}
		return runEnvArgs(env, "-ladder", mine, "-jobs", "2")
	})
	r := reports["text"]
	assert.Equal(t, 1, r.code, "a stage written is not met")
	two := filepath.Join(mine, "02.py")
	if !hasPython() {
		two = filepath.Join(mine, "02")
	}
	want := []string{
		mine + ": 2 of 8 stages met",
		"  01-bind        met             " + filepath.Join(mine, "01"),
		"  02-listen      met             " + two,
		"^  03-accept      not met         " + regexp.QuoteMeta(filepath.Join(mine, "03")) + `: wrong-client-address: your program printed "Connected with 127\.0\.0\.1:\d+"; the client is 127\.0\.0\.1:\d+$`,
		"  04-echo-once   not written yet",
		"  05-loop        not written yet",
		"  06-goroutines  cannot run      " + filepath.Join(mine, "06") + ": 2 .py files and none called main.py or server.py: which one is the server? Call it main.py",
		"  07-shutdown    not written yet",
		"  08-lines       not written yet",
		"next: fix 03-accept (docs/03-accept.md); its whole report: go run ./cmd/check -ladder " + mine + " -stage 03-accept",
	}
	lines := strings.Split(strings.TrimSuffix(r.text, "\n"), "\n")
	require.Len(t, lines, len(want), r.text)
	for i, w := range want {
		if strings.HasPrefix(w, "^") {
			assert.Regexp(t, w, lines[i])
		} else {
			assert.Equal(t, w, lines[i])
		}
	}

	if hasPython() {
		// As it prints from the repository's root, for docs/check.md.
		text := strings.ReplaceAll(r.text, "go run "+mine, "go run ./mine")
		text = strings.ReplaceAll(filepath.ToSlash(strings.ReplaceAll(text, mine, "mine")), "mine\\", "mine/")
		text = regexp.MustCompile(`printed "Connected with 127\.0\.0\.1:\d+"; the client is 127\.0\.0\.1:\d+`).ReplaceAllString(text, `printed "Connected with 127.0.0.1:8888"; the client is 127.0.0.1:59954`)
		tcptest.Golden(t, "ladder.golden", text)
	}

	checkLadderDocument(t, reports["json"], want[len(want)-1])
}

// checkLadderDocument checks the ladder's JSON document: of the shape, and
// saying what the ladder says.
func checkLadderDocument(t *testing.T, r report, next string) {
	t.Helper()
	var doc any
	require.NoError(t, json.Unmarshal([]byte(r.text), &doc), r.text)
	conforms(t, doc, reflect.TypeOf(jsonDoc{}), "")
	var in struct {
		Exit   int
		Ladder struct {
			Met   int
			Next  string
			Steps []struct {
				Stage, Path, State, Why, Cause string
				Check                          *jsonCheckIn
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(r.text), &in))
	assert.Equal(t, 1, in.Exit)
	assert.Equal(t, 2, in.Ladder.Met)
	assert.Equal(t, next, in.Ladder.Next)
	var states []string
	for _, s := range in.Ladder.Steps {
		states = append(states, s.Stage+" "+s.State+" "+strconv.FormatBool(s.Check != nil))
	}
	assert.Equal(t, []string{"01-bind met true", "02-listen met true", "03-accept not-met true", "04-echo-once not-written false",
		"05-loop not-written false", "06-goroutines cannot-run false", "07-shutdown not-written false", "08-lines not-written false"}, states)
	assert.True(t, strings.HasPrefix(in.Ladder.Steps[2].Why, "wrong-client-address: "), in.Ladder.Steps[2].Why)
	assert.Equal(t, "wrong-client-address", in.Ladder.Steps[2].Cause, "the first cause, as a field")
	assert.Equal(t, "no-program", in.Ladder.Steps[5].Cause)
}

// A folder that is not there: one line, exit status 2.
func TestLadderNoFolder(t *testing.T) {
	t.Parallel()
	r := runArgs("-ladder", filepath.Join(t.TempDir(), "mine"))
	assert.Equal(t, 2, r.code)
	assert.Empty(t, r.text)
	assert.Regexp(t, `^check: cannot read the folder .*mine \(.*\): make it, and your first stage in it, as in mkdir -p .*01\n$`, r.stderr)
}

// -watch: the ladder and the report of the stage being worked on, again
// when a file changes, with only that stage checked again; Ctrl-C stops
// it, and every program it started, at once.
func TestLadderWatch(t *testing.T) {
	t.Parallel()
	gopath := t.TempDir()
	mine := filepath.Join(gopath, "src", "mine")
	pids := t.TempDir()
	writeFiles(t, mine, map[string]string{"01/main.go": stageSource(t, "01-bind"), "03/main.go": stageSource(t, "03-accept", localAddr)})
	out := &wire.Output{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ended := make(chan int, 1)
	env := append(append(os.Environ(), outsideModule(gopath)...), "CHECK_TEST_PIDS="+pids)
	go func() {
		// -wait 30s: a scenario waits that long for what does not come, so
		// only Ctrl-C can end the last check quickly.
		ended <- run(ctx, []string{"-ladder", mine, "-watch", "-wait", "30s"}, env, out, &wire.Output{})
	}()
	three := filepath.Join(mine, "03")

	// Before: 01 met, 03 not, and 03's report below the ladder.
	n := waitLine(t, out, 0, "  03-accept      not met         "+three+": wrong-client-address: ", time.Minute)
	screen := strings.Split(out.String(), "\n")
	assert.Contains(t, screen, "  01-bind        met             "+filepath.Join(mine, "01"))
	assert.Contains(t, screen, "next: fix 03-accept, as its report below says (docs/03-accept.md)")
	n = waitLine(t, out, n, "  FAILED   prints Connected with the client's own address", 10*time.Second)

	// After 03 is fixed: only 03 is checked again, and it is met.
	writeFiles(t, mine, map[string]string{"03/main.go": stageSource(t, "03-accept")})
	changed := "watching " + mine + " (Ctrl-C to stop): " + filepath.Join(three, "main.go") + " changed; "
	n = waitLine(t, out, n, changed+"checking 03-accept", 10*time.Second)
	require.Equal(t, changed+"checking 03-accept", out.Lines()[n-1], "01 is not checked again")
	n = waitLine(t, out, n, changed+"checked at ", time.Minute)
	n = waitLine(t, out, n, "  01-bind        met", time.Second)
	waitLine(t, out, n, "  03-accept      met             "+three, time.Second)

	// Ctrl-C while a program of 03 runs, one that never ends by itself.
	writeFiles(t, mine, map[string]string{"03/main.go": stageSource(t, "03-accept", importTime, importFilepath, hangs03)})
	stopWatch(t, pids, cancel, ended, out)
}

// stopWatch waits until a program has written its process id in pids, then
// cancels the watch as Ctrl-C does, and checks that the watch ends at
// once, and every program it started with it.
func stopWatch(t *testing.T, pids string, cancel func(), ended <-chan int, out *wire.Output) {
	t.Helper()
	var running []string
	deadline := time.Now().Add(time.Minute)
	for len(running) == 0 && time.Now().Before(deadline) {
		entries, err := os.ReadDir(pids)
		require.NoError(t, err)
		for _, e := range entries {
			running = append(running, e.Name())
		}
		time.Sleep(20 * time.Millisecond) // polling for a program of the checker's to start: nothing to wait on
	}
	require.NotEmpty(t, running, "a program of 03 started")
	cancel()
	select {
	case code := <-ended:
		assert.Equal(t, 0, code)
	case <-time.After(10 * time.Second):
		t.Fatalf("the watch did not end within 10s of Ctrl-C:\n%s", out.String())
	}
	assert.True(t, strings.HasSuffix(out.String(), "\nstopped watching; every program was stopped\n"), out.String())
	entries, err := os.ReadDir(pids)
	require.NoError(t, err)
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		require.NoError(t, err)
		assert.False(t, processAlive(pid), "program %d still runs", pid)
	}
}

// A file that looks like a stage under another name is told the name it
// should have, its extension kept: stage6.py is mine/06.py (it was told
// mine/06, a folder, as the ".py" was read as part of the name).
func TestMisnamedKeepsExtension(t *testing.T) {
	student := t.TempDir()
	mine := filepath.Join(student, "mine")
	require.NoError(t, os.MkdirAll(filepath.Join(mine, "stage5"), 0o755))
	for _, f := range []string{"stage6.py", "s04.js", "step3-accept.py", "07.py", "notes.txt", "stage2.go", "08.go"} {
		require.NoError(t, os.WriteFile(filepath.Join(mine, f), nil, 0o644))
	}
	assert.ElementsMatch(t, []string{
		filepath.Join(mine, "s04.js") + " looks like stage 04-echo-once: call it " + filepath.Join(mine, "04.js"),
		filepath.Join(mine, "stage5") + " looks like stage 05-loop: call it " + filepath.Join(mine, "05") + string(filepath.Separator),
		filepath.Join(mine, "stage6.py") + " looks like stage 06-goroutines: call it " + filepath.Join(mine, "06.py"),
		filepath.Join(mine, "step3-accept.py") + " looks like stage 03-accept: call it " + filepath.Join(mine, "03.py"),
		// A Go stage is a folder: 08.go is told so, not told "call it 08.go".
		filepath.Join(mine, "stage2.go") + " looks like stage 02-listen: a Go stage is a folder; move it into " + filepath.Join(mine, "02") + string(filepath.Separator),
		filepath.Join(mine, "08.go") + " looks like stage 08-lines: a Go stage is a folder; move it into " + filepath.Join(mine, "08") + string(filepath.Separator),
	}, misnamed(student, mine))
}

// Two programs for one stage: the ladder checks one, and names the other
// in a warning (a learner with mine/05.py and mine/05.js saw only the
// .js checked, without a word).
func TestNotTakenWarned(t *testing.T) {
	mine := filepath.Join(t.TempDir(), "mine")
	require.NoError(t, os.MkdirAll(mine, 0o755))
	for _, f := range []string{"05.py", "05.js", "06.py"} {
		require.NoError(t, os.WriteFile(filepath.Join(mine, f), []byte("print('hi')\n"), 0o644))
	}
	steps, err := findSteps(mine)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(mine, "05.js"), steps[course.Index("05-loop")].path)
	assert.Equal(t, []string{filepath.Join(mine, "05.py") + " is not checked: " + filepath.Join(mine, "05.js") + " is the program for 05-loop (one program a stage); move the other out of " + mine}, misnamed(mine, mine))
}
