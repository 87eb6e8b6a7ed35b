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
	slug  string
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
//   - "accept fails: too many open files": 07's scenario sets a file limit
//     only on Linux; the stages' own tests prove the row.
//   - "clients that misbehave": not among the checker's scenarios.
var matrixRows = map[string]map[string]cell{
	"a client connects while the socket is bound but not listening": {"*": {"01-bind", "refused-while-bound"}},
	"connections queue but are never accepted":                      {"*": {"02-listen", "never-accepted"}},
	"the client gets nothing back": {
		"02-listen": {"02-listen", "never-accepted"},
		"*":         {"03-accept", "hung-up"},
	},
	"one client only: the program exits after the first": {"*": {"03-accept", "exits-after-one"}},
	"the second client waits while the first is silent":  {"*": {"05-loop", "second-waits"}},
	"one reply per connection":                           {"*": {"04-echo-once", "one-reply"}},
	"a client that closes without sending":               {"*": {"05-loop", "empty-stops"}},
	"a client that resets its connection":                {"05-loop": {}, "*": {"06-goroutines", "empty-or-reset"}},
	"many clients at once":                               {"05-loop": {"05-loop", "second-waits"}, "*": {"06-goroutines", "hundred-clients"}},
	"stopping the server (Ctrl-C)":                       {"06-goroutines": {"06-goroutines", "dropped-on-ctrl-c"}, "*": {"07-shutdown", "told-on-ctrl-c"}},
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
				if want == "—" || c.slug == "" {
					continue
				}
				res := reports[stage].result(t, c.stage, c.slug)
				if res.status == skipped {
					continue
				}
				got := map[status]string{limited: "✗", better: "✓", passed: "✓", outgrown: "✓"}[res.status]
				assert.Equal(t, want, got, "%s on %s: the matrix says %q; the checker saw %q for %s %s", situation, stage, row[i+1], res.status, c.stage, c.slug)
			}
		})
	}
}
