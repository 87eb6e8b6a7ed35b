package main

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"

	"socketcourse/internal/course"
)

// What each next stage fixes: the scenarios of the next stage that the
// reference stage fails, and nothing else. (08-lines is the last.)
var nextStageFixes = map[string][]string{
	// listen(): a client can connect at all.
	"01-bind": {"listening", "never-accepted"},
	// accept(): the program takes its client, and hangs up on it.
	"02-listen": {"exits-after-one", "hung-up"},
	// recv() and sendall(): the bytes come back.
	"03-accept": {"echo", "one-reply"},
	// the loop, and the article's 'OK...' reply.
	"04-echo-once": {"served-in-turn"},
	// a thread per client: every message, every client, at once.
	"05-loop": {"empty-or-reset", "every-message", "hundred-clients", "second-while-silent"},
	// a clean Ctrl-C, and no end on an accept error.
	"06-goroutines": {"accept-errors", "told-on-ctrl-c"},
	// a line at a time: two in one segment, one in pieces, one too long,
	// half of one left idle.
	"07-shutdown": {"idle-partial-line", "line-in-pieces", "lines-in-one-segment", "long-line"},
}

// Every reference stage, run through the checker as a real program: one
// full run each, which the subtests and the matrix test read.
func TestReferenceStages(t *testing.T) {
	t.Parallel()
	exes := map[string]string{}
	for _, stage := range stages {
		exes[stage] = build(t, stage)
	}
	checked := stages
	if testing.Short() {
		checked = []string{"03-accept", "06-goroutines"} // one that exits after a client, one that serves many
	}
	reports := concurrently(checked, func(stage string) report { return checkArgs(fullArgs(stage, exes[stage])...) })
	for i, stage := range stages {
		if !contains(checked, stage) {
			continue
		}
		t.Run(stage, func(t *testing.T) {
			r := reports[stage]

			t.Run("behaves like itself, and meets it", func(t *testing.T) {
				assert.Equal(t, 0, r.code, r.text)
				want := "the course's last stage"
				if n := course.Get(stage).Next(); n != nil {
					want = "next: " + n.Folder + " (" + n.Page() + ")"
				}
				assert.Equal(t, "behaves like "+stage+"; "+want, r.last, r.text)
				assert.Empty(t, r.failed(stage), r.text)
				assert.Empty(t, r.view.diffs, "its text is the article's: %s", r.text)
				assert.NotContains(t, r.text, "note: it exited with status 0", "the stages exit with 1 when bind fails")
			})

			t.Run("no earlier stage FAILED: each is met, or outgrown", func(t *testing.T) {
				for _, earlier := range stages[:i] {
					assert.Empty(t, r.failed(earlier), r.text)
					assert.True(t, contains(r.view.met, earlier), "%s is met: %s", earlier, r.text)
				}
			})

			if i+1 == len(stages) {
				return
			}
			next := stages[i+1]
			t.Run("fails "+next+" exactly where "+next+" does better", func(t *testing.T) {
				want := append([]string(nil), nextStageFixes[stage]...)
				if next == "07-shutdown" && !canLimitFiles {
					want = []string{"told-on-ctrl-c"}
				}
				sort.Strings(want)
				assert.Equal(t, want, r.failed(next), r.text)
			})
		})
	}
	t.Run("06-goroutines has outgrown 04 and 05: their scenarios say so, none FAILED", func(t *testing.T) {
		r := reports["06-goroutines"]
		assert.Equal(t, outgrown, r.result(t, "04-echo-once", "echo").status, r.text)
		assert.Equal(t, outgrown, r.result(t, "05-loop", "served-in-turn").status, r.text)
		assert.Contains(t, r.text, "04-echo-once (docs/04-echo-once.md): outgrown, your program does what 06-goroutines does (3 scenarios; -v shows them)\n")
	})
	t.Run("the matrix in docs/README.md agrees", func(t *testing.T) {
		if testing.Short() {
			t.Skip("the matrix needs every stage's run; a short run has two")
		}
		checkMatrix(t, reports)
	})
}

// With -stage, the checker runs that stage only: exit status 0 and
// "meets" for the stage a reference program is.
func TestStageFlag(t *testing.T) {
	t.Parallel()
	for _, stage := range []string{"01-bind", "04-echo-once", "07-shutdown"} {
		if testing.Short() && stage != "04-echo-once" {
			continue
		}
		t.Run(stage+" meets -stage "+stage+": exit 0", func(t *testing.T) {
			t.Parallel()
			args := append([]string{"-stage", stage}, fullArgs(stage, build(t, stage))...)
			r := check(t, args...)
			assert.Equal(t, 0, r.code, r.text)
			assert.Regexp(t, "^meets "+stage+"; ", r.last)
		})
	}
	t.Run("03-accept does not meet -stage 04-echo-once: exit 1", func(t *testing.T) {
		t.Parallel()
		r := check(t, "-stage", "04-echo-once", "--", build(t, "03-accept"), "-addr", "127.0.0.1:{port}")
		assert.Equal(t, 1, r.code, r.text)
		assert.Equal(t, "does not meet 04-echo-once; read docs/04-echo-once.md", r.last)
		assert.NotContains(t, r.text, "03-accept (docs", "only the stage asked for runs")
	})
}
