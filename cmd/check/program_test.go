package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// printALot is a program for TestOutputComplete: it prints a thousand lines
// on stdout and a last one on stderr, says so in a file in dir, and waits
// to be stopped.
func printALot(dir string) {
	for i := 1; i <= 1000; i++ {
		fmt.Printf("line %d of what the program printed\n", i)
	}
	fmt.Fprintln(os.Stderr, "the last line, on stderr")
	os.WriteFile(filepath.Join(dir, "printed"), nil, 0o644) // The test waits for it; an error leaves it waiting, and failing.
	time.Sleep(time.Minute)                                 // until the test stops it
}

// What a program printed before the checker stopped it is all there,
// however much and however recently: the checker kills the program, then
// reads its pipes to their end (finding 6 of issue 14: a line printed just
// before a failure went missing from the report).
func TestOutputComplete(t *testing.T) {
	t.Parallel()
	runs := 20
	if testing.Short() {
		runs = 3
	}
	for run := 0; run < runs; run++ {
		dir := t.TempDir()
		p, err := startProgram([]string{os.Args[0], "-test.run=^$"}, append(os.Environ(), "CHECK_TEST_PRINTER="+dir), 0, langGo)
		require.NoError(t, err)
		require.Eventually(t, func() bool { // polling a file another process writes
			_, err := os.Stat(filepath.Join(dir, "printed"))
			return err == nil
		}, 30*time.Second, 5*time.Millisecond)
		p.stop()
		lines := p.out.Lines()
		assert.Len(t, lines, 1001, "run %d", run)
		assert.Contains(t, lines, "line 1000 of what the program printed", "run %d", run)
		assert.Contains(t, lines, "the last line, on stderr", "run %d", run)
	}
}

// A program still at work while it starts (an interpreter behind a
// launcher such as pyenv's shell shim, which runs program after program)
// is busy, and given more time to listen on a busy machine; one asleep,
// waiting for something that never comes, is not (finding of a learner's
// run: six Python programs through pyenv's shim, started nine at once on
// two cores, were told nothing listened on their port).
func TestBusyWatch(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the checker sees how busy a program is in Linux's /proc only")
	}
	t.Parallel()
	for _, tc := range []struct {
		name   string
		script string
		busy   bool
	}{
		{"computing", "while :; do :; done", true},
		{"starting program after program, as a launcher does", "while :; do /bin/true; done", true},
		// Each look may find every process asleep; that others start and
		// end between looks shows the program is at work.
		{"waiting on one short program after another", "while :; do sleep 0.01; done", true},
		{"asleep", "exec sleep 60", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := startProgram([]string{"/bin/sh", "-c", tc.script}, os.Environ(), 0, langUnknown)
			require.NoError(t, err)
			defer p.stop()
			w := p.watch()
			// Looks a quarter of a second apart: what busy compares is
			// the program's activity over time.
			for w.looks < 3 {
				time.Sleep(50 * time.Millisecond)
				w.look()
			}
			assert.Equal(t, tc.busy, w.busy())
		})
	}
}
