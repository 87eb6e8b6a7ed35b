package main

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
)

// What each next stage fixes: the scenarios of the next stage that the
// reference stage fails, and nothing else. (07-shutdown is the last.)
var nextStageFixes = map[string][]func(*session) outcome{
	// listen(): a client can connect at all.
	"01-bind": {listening, neverAccepted},
	// accept(): the program sees its client, and hangs up on it.
	"02-listen": {connectedWith, hungUp, exitsAfterOne},
	// recv() and sendall(): the bytes come back.
	"03-accept": {echoOnce, oneReply},
	// the loop, and the article's 'OK...' reply.
	"04-echo-once": {servedInTurn},
	// a thread per client: the welcome line, every message, every client.
	"05-loop": {everyMessage, secondWhileFirstSilent, hundredClients, emptyOrReset, droppedOnCtrlC},
	// a clean Ctrl-C.
	"06-goroutines": {toldOnCtrlC},
}

// Every reference stage, run through the checker as a real program: one
// full run each, which the subtests and the matrix test read.
func TestReferenceStages(t *testing.T) {
	t.Parallel()
	exes := map[string]string{}
	for _, stage := range stages {
		exes[stage] = build(t, stage)
	}
	reports := concurrently(stages, func(stage string) report { return checkArgs(fullArgs(exes[stage])...) })
	for i, stage := range stages {
		t.Run(stage, func(t *testing.T) {
			r := reports[stage]

			t.Run("is recognised as itself", func(t *testing.T) {
				assert.Equal(t, 0, r.code, r.text)
				if i+1 < len(stages) {
					assert.Equal(t, "behaves like "+stage+"; next: "+stages[i+1]+" (docs/"+stages[i+1]+".md)", r.last, r.text)
				} else {
					assert.Equal(t, "behaves like "+stage+"; the course's last stage", r.last, r.text)
				}
			})

			t.Run("meets its own stage: no scenario of it fails", func(t *testing.T) {
				assert.Empty(t, r.failed(stage), r.text)
				assert.NotContains(t, r.text, "note: it exited with status 0", "the stages exit with 1 when bind fails")
				if b := buildsOn[stage]; b != "" {
					assert.Empty(t, r.failed(b), r.text)
				}
			})

			if i+1 == len(stages) {
				return
			}
			next := stages[i+1]
			t.Run("fails "+next+" exactly where "+next+" does better", func(t *testing.T) {
				var want []string
				for _, f := range nextStageFixes[stage] {
					want = append(want, name(t, next, f))
				}
				sort.Strings(want)
				assert.Equal(t, want, r.failed(next), r.text)
			})
		})
	}
	t.Run("the matrix in docs/README.md agrees", func(t *testing.T) { checkMatrix(t, reports) })
}

// With -stage, the checker runs that stage only: exit status 0 and
// "meets" for the stage a reference program is.
func TestStageFlag(t *testing.T) {
	t.Parallel()
	for _, stage := range []string{"01-bind", "04-echo-once", "07-shutdown"} {
		t.Run(stage+" meets -stage "+stage+": exit 0", func(t *testing.T) {
			t.Parallel()
			r := check(t, "-stage", stage, "--", build(t, stage), "-addr", "127.0.0.1:{port}")
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

// The idle timeout is checked only when the user gives -idle: 07-shutdown
// started with the same -idle closes a silent client after telling it;
// 06-goroutines never does.
func TestIdle(t *testing.T) {
	t.Parallel()
	// 5s, not less: the other scenarios of the run (100 clients in waves
	// of ten) must not be timed out themselves on a loaded machine.
	t.Run("07-shutdown -idle 5s meets the idle scenario", func(t *testing.T) {
		t.Parallel()
		r := check(t, "-stage", "07-shutdown", "-idle", "5s", "--", build(t, "07-shutdown"), "-addr", "127.0.0.1:{port}", "-idle", "5s")
		assert.Equal(t, 0, r.code, r.text)
		assert.Equal(t, "passed", r.verdicts["07-shutdown: "+name(t, "07-shutdown", idleClient)], r.text)
	})
	t.Run("06-goroutines keeps a silent client: the idle scenario fails", func(t *testing.T) {
		t.Parallel()
		r := check(t, "-stage", "07-shutdown", "-idle", "1s", "--", build(t, "06-goroutines"), "-addr", "127.0.0.1:{port}")
		assert.Equal(t, 1, r.code, r.text)
		b := r.block(t, "07-shutdown", idleClient)
		assert.Contains(t, b, "a silent client was still connected after", r.text)
	})
}
