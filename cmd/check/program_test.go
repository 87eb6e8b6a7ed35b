package main

import (
	"fmt"
	"os"
	"path/filepath"
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
		p, err := startProgram([]string{os.Args[0], "-test.run=^$"}, append(os.Environ(), "CHECK_TEST_PRINTER="+dir), 0)
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
