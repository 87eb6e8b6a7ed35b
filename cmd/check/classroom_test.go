package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The autograding workflow a teacher copies (examples/classroom): a test
// per stage, in order, each the checker's command for that stage with
// its points, 100 in all, every test reported; and the course's own
// stages, checked with those commands, get every point.
func TestClassroomWorkflow(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "classroom", "classroom.yml"))
	require.NoError(t, err)
	text := string(b)
	tests := regexp.MustCompile(`(?m)^      - name: (\S+)\n        id: (\S+)\n        uses: classroom-resources/autograding-command-grader@v1\n        with:\n          test-name: (\S+)\n          setup-command: ''\n          command: go run \./cmd/check (.*)\n          timeout: \d+\n          max-score: (\d+)\n`).FindAllStringSubmatch(text, -1)
	require.Len(t, tests, len(stages), "a test per stage")
	points, commands := 0, map[string][]string{}
	var ids []string
	for i, m := range tests {
		stage, id, args := stages[i], m[2], strings.Fields(m[4])
		assert.Equal(t, stage, m[1])
		assert.Equal(t, stage, m[3])
		n, _ := strconv.Atoi(m[5])
		points += n
		ids = append(ids, id)
		assert.Contains(t, text, "\n          "+strings.ToUpper(id)+"_RESULTS: \"${{steps."+id+".outputs.result}}\"\n", "reported")
		cfg, err := parseArgs(args, nil, io.Discard)
		if assert.NoError(t, err, m[4]) {
			assert.Equal(t, stage, cfg.stage)
			num, _, _ := strings.Cut(stage, "-")
			assert.Equal(t, []string{"go", "run", "./mine/" + num, "-addr", "127.0.0.1:{port}"}, cfg.argv[:5], "the student's stage, on a port of its own")
		}
		commands[stage] = args
	}
	assert.Equal(t, 100, points)
	assert.Contains(t, text, "\n          runners: "+strings.Join(ids, ",")+"\n")
	if testing.Short() {
		return
	}

	// The course's stages in the student's place: each test passes.
	exes := map[string]string{}
	for _, st := range stages {
		exes[st] = build(t, st)
	}
	reports := concurrently(stages, func(st string) report {
		args := commands[st]
		// go run ./mine/NN, after --, becomes the stage's program, built.
		at := indexOf(args, "--") + 1
		return runArgs(append(append(append([]string(nil), args[:at]...), exes[st]), args[at+3:]...)...)
	})
	for _, st := range stages {
		assert.Equal(t, 0, reports[st].code, "%s:\n%s%s", st, reports[st].text, reports[st].stderr)
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
