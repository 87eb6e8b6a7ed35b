package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cell says which scenario shows a cell of the matrix: a limitation
// scenario shows ✗ (limited) or ✓ (does better); any other shows ✓ by
// passing.
type cell struct {
	stage string // the stage the scenario belongs to
	run   func(*session) outcome
}

// The rows of the matrix in docs/README.md that the checker observes, and
// for each column (a reference stage) the scenario whose verdict on that
// stage is the cell. A column not named takes the row's "*" entry; a cell
// "—" is not checked. Rows not here, and why:
//   - "a client that resets its connection", column 05-loop: the article's
//     Python 05 dies on a reset (recv raises), so the checker does not ask
//     it of 05; columns 06 and 07 are mapped.
//   - "a client that stays silent": 06's "never timed out" cannot be seen
//     in bounded time, and 07's needs -idle from the user.
//   - "accept fails: too many open files": needs a file limit on the
//     learner's program, which the checker does not set.
//   - "clients that misbehave": not among the checker's scenarios.
var matrixRows = map[string]map[string]cell{
	"a client connects while the socket is bound but not listening": {"*": {"01-bind", refusedWhileBound}},
	"connections queue but are never accepted":                      {"*": {"02-listen", neverAccepted}},
	"the client gets nothing back": {
		"02-listen": {"02-listen", neverAccepted},
		"*":         {"03-accept", hungUp},
	},
	"one client only: the program exits after the first": {"*": {"03-accept", exitsAfterOne}},
	"the second client waits while the first is silent":  {"*": {"05-loop", secondWaits}},
	"one reply per connection":                           {"*": {"04-echo-once", oneReply}},
	"a client that closes without sending":               {"*": {"05-loop", emptyStops}},
	"a client that resets its connection":                {"05-loop": {}, "*": {"06-goroutines", emptyOrReset}},
	"many clients at once":                               {"05-loop": {"05-loop", secondWaits}, "*": {"06-goroutines", hundredClients}},
	"stopping the server (Ctrl-C)":                       {"06-goroutines": {"06-goroutines", droppedOnCtrlC}, "*": {"07-shutdown", toldOnCtrlC}},
}

// checkMatrix checks that the matrix "What each stage can do" in
// docs/README.md agrees with what the checker saw of the reference stages:
// a ✗ is the limitation shown, a ✓ the stage doing better (or passing).
func checkMatrix(t *testing.T, reports map[string]report) {
	text, err := os.ReadFile(filepath.Join("..", "..", "docs", "README.md"))
	require.NoError(t, err)
	var header []string
	rows := map[string][]string{}
	for _, line := range strings.Split(string(text), "\n") {
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if cells[0] == "situation" {
			header = cells
			continue
		}
		rows[cells[0]] = cells
	}
	require.Equal(t, append([]string{"situation"}, stages...), header, "the matrix has a column per stage")

	for situation, columns := range matrixRows {
		t.Run(situation, func(t *testing.T) {
			row, ok := rows[situation]
			require.True(t, ok, "no row %q in the matrix of docs/README.md", situation)
			for i, stage := range stages {
				want := strings.Fields(row[i+1])[0]
				c, ok := columns[stage]
				if !ok {
					c = columns["*"]
				}
				if want == "—" || c.run == nil {
					continue
				}
				r := reports[stage]
				key := c.stage + ": " + name(t, c.stage, c.run)
				got := map[string]string{"limited": "✗", "better": "✓", "passed": "✓"}[r.verdicts[key]]
				if r.verdicts[key] == "skipped" {
					continue
				}
				assert.Equal(t, want, got, "%s on %s: the matrix says %q; the checker saw %q for %q", situation, stage, row[i+1], r.verdicts[key], key)
			}
		})
	}
}
