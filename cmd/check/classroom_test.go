package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/course"
)

// classroomFile reads a file of examples/classroom, or of the course's root.
func classroomFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(name)))
	require.NoError(t, err)
	return string(b)
}

// node24Majors is, for each action the workflows use, the first major
// version whose releases all declare runs.using: node24 in their
// action.yml. GitHub runs JavaScript actions on Node 24 since 2026-06-02
// and removed Node 20 from its runners on 2026-09-16. setup-go's v6.0.0
// and v6.1.0 declared node20 (v6.2.0 fixed it), but its v6 tag has been
// v6.2.0 or later since 2026-01-12; upload-artifact's v5 still ran on
// Node 20.
var node24Majors = map[string]int{
	"actions/checkout":        5,
	"actions/setup-go":        6,
	"actions/setup-python":    6,
	"actions/setup-node":      5,
	"actions/setup-java":      5,
	"actions/upload-artifact": 6,
}

var usesRE = regexp.MustCompile(`(?m)^\s*(?:- )?uses: ([\w.-]+/[\w.-]+)@(\S+)\s*$`)

// checkActions checks that a workflow uses each action at a major that
// runs on Node 24, and names none of GitHub Classroom's retired actions.
func checkActions(t *testing.T, name, text string) {
	t.Helper()
	uses := usesRE.FindAllStringSubmatch(text, -1)
	require.NotEmpty(t, uses, "%s uses no action", name)
	for _, m := range uses {
		first, known := node24Majors[m[1]]
		if !assert.True(t, known, "%s: %s: read its action.yml and add its first Node 24 major to node24Majors", name, m[1]) {
			continue
		}
		major, err := strconv.Atoi(strings.TrimPrefix(m[2], "v"))
		if assert.NoError(t, err, "%s: %s@%s: pin a major version, vN", name, m[1], m[2]) {
			assert.GreaterOrEqual(t, major, first, "%s: %s@%s runs on Node 20 or older", name, m[1], m[2])
		}
	}
	assert.NotContains(t, text, "classroom-resources/autograding", "%s: GitHub Classroom's autograding actions are retired", name)
}

// The course's own workflow runs on Node 24 too.
func TestWorkflowActions(t *testing.T) {
	t.Parallel()
	checkActions(t, ".github/workflows/ci.yml", classroomFile(t, ".github/workflows/ci.yml"))
}

// The workflow a student's repository runs on every push
// (examples/classroom/check.yml): the checker built once, then the
// ladder, the class table into the job summary and the JSON uploaded, each
// a command the checker takes, and every action on Node 24.
func TestCheckWorkflow(t *testing.T) {
	t.Parallel()
	text := classroomFile(t, "examples/classroom/check.yml")
	checkActions(t, "check.yml", text)
	assert.Contains(t, text, "\n        run: go build -o check ./cmd/check\n")
	runs := regexp.MustCompile(`(?m)^        run: \./check (.*)$`).FindAllStringSubmatch(text, -1)
	var commands []string
	for _, m := range runs {
		commands = append(commands, m[1])
		args, _, _ := strings.Cut(m[1], " >")
		args, _, _ = strings.Cut(args, " ||")
		_, err := parseArgs(strings.Fields(args), nil, io.Discard)
		assert.NoError(t, err, "./check %s", m[1])
	}
	assert.Equal(t, []string{
		"-ladder mine -idle 2s",
		`-each . -idle 2s >> "$GITHUB_STEP_SUMMARY" || [ $? -eq 1 ]`,
		"-each . -idle 2s -json > check.json || [ $? -eq 1 ]",
	}, commands, "07's idle timeout is checked when the checker is given -idle")
	assert.Regexp(t, `uses: actions/upload-artifact@v\d+\n        with:\n          name: check\n          path: check\.json\n`, text)
}

// classroom50Test is a test as Classroom 50 takes it in a --tests file
// (its wiki, "Autograding Basics", Fields): only these fields.
type classroom50Test struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Setup    string `json:"setup,omitempty"`
	Run      string `json:"run"`
	Timeout  int    `json:"timeout,omitempty"`
	ExitCode *int   `json:"exit-code,omitempty"`
	Points   int    `json:"points"`
}

// The tests a teacher gives Classroom 50 (examples/classroom/
// classroom50-tests.json): the setup that builds the checker, then a run
// test per stage, in order, each the checker's -ladder mine -stage for
// that stage (with -idle for 07), 100 points in all; and the course's own stages, in the
// student's mine/, pass every test.
func TestClassroom50Tests(t *testing.T) {
	t.Parallel()
	var tests []classroom50Test
	dec := json.NewDecoder(bytes.NewReader([]byte(classroomFile(t, "examples/classroom/classroom50-tests.json"))))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&tests))
	require.Len(t, tests, 1+len(stages), "the setup and a test per stage")

	// Classroom 50 stores an assignment's setup command as its first test,
	// a run test of 0 points called setup.
	setup := tests[0]
	assert.Equal(t, classroom50Test{Name: "setup", Type: "run", Run: "go build -o /dev/null ./cmd/check", Timeout: 300}, setup)

	points, commands := 0, map[string][]string{}
	for i, st := range stages {
		test := tests[1+i]
		assert.Equal(t, st, test.Name)
		assert.Equal(t, "run", test.Type, st)
		assert.Empty(t, test.Setup, st)
		assert.Nil(t, test.ExitCode, "%s: passes with exit status 0, the stage met", st)
		assert.True(t, test.Timeout >= 1 && test.Timeout <= 600, "%s: a time-out of 1 to 600 s", st)
		assert.True(t, test.Points > 0, "%s: points", st)
		points += test.Points
		want := "go run ./cmd/check -ladder mine -stage " + st
		if needsIdle(course.Get(st)) {
			want += " -idle 2s" // checked only when given; the program is given the same
		}
		if assert.Equal(t, want, test.Run) {
			args := strings.Fields(strings.TrimPrefix(test.Run, "go run ./cmd/check "))
			cfg, err := parseArgs(args, nil, io.Discard)
			if assert.NoError(t, err, test.Run) {
				assert.Equal(t, "mine", cfg.ladder)
				assert.Equal(t, st, cfg.stage)
			}
			commands[st] = args
		}
	}
	assert.Equal(t, 100, points)

	// The assignment's runtime: Go for the checker, toolchains Classroom 50
	// knows (its wiki, "Advanced Autograding", the runtime block).
	var rt map[string]string
	require.NoError(t, json.Unmarshal([]byte(classroomFile(t, "examples/classroom/classroom50-runtime.json")), &rt))
	assert.NotEmpty(t, rt["go"])
	for key, value := range rt {
		assert.Contains(t, []string{"python", "node", "java", "go", "rust"}, key)
		assert.Regexp(t, `^[A-Za-z0-9._+-]{1,32}$`, value, key)
	}

	for _, name := range []string{"README.md", "classroom50-tests.json", "classroom50-runtime.json"} {
		assert.NotContains(t, classroomFile(t, "examples/classroom/"+name), "classroom-resources/autograding", name)
	}
	if testing.Short() || len(commands) < len(stages) {
		return
	}

	// The course's stages in a student's mine/, each checked by its test's
	// command: each passes. mine is a folder of the test's here.
	mine := filepath.Join(t.TempDir(), "mine")
	for _, st := range stages {
		src, err := os.ReadFile(filepath.Join("..", "..", st, "main.go"))
		require.NoError(t, err)
		num, _, _ := strings.Cut(st, "-")
		require.NoError(t, os.MkdirAll(filepath.Join(mine, num), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(mine, num, "main.go"), src, 0o644))
	}
	reports := concurrently(stages, func(st string) report {
		args := append([]string(nil), commands[st]...)
		args[indexOf(args, "-ladder")+1] = mine
		return runArgs(args...)
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
	panic(fmt.Sprintf("no %q in %q", s, list))
}
