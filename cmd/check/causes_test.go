package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The one table of causes (causes.go) is whole: every cause the code
// declares is in it, with what it means, the evidence that finds it, and a
// hint (a start-up failure explains itself in its message); and
// docs/check.md has a row for each, in both languages, the English row in
// the table's words.
func TestCauseTable(t *testing.T) {
	src, err := os.ReadFile("causes.go")
	require.NoError(t, err)
	declared := regexp.MustCompile(`(?m)^\s+cause\w+\s+cause = "([a-z0-9-]+)"`).FindAllStringSubmatch(string(src), -1)
	require.NotEmpty(t, declared)
	inTable := map[cause]causeInfo{}
	for _, ci := range causeTable {
		assert.NotContains(t, inTable, ci.slug, "%s is in the table twice", ci.slug)
		inTable[ci.slug] = ci
	}
	for _, d := range declared {
		ci, ok := inTable[cause(d[1])]
		if !assert.True(t, ok, "cause %s is declared but not in causeTable", d[1]) {
			continue
		}
		assert.NotEmpty(t, ci.meaning, "%s: what it means", ci.slug)
		assert.NotEmpty(t, ci.finds, "%s: the evidence that finds it", ci.slug)
		if !ci.startup {
			assert.NotEmpty(t, ci.hints[""], "%s: a hint in plain words, for any language", ci.slug)
		}
	}
	assert.Len(t, inTable, len(declared), "every cause in the table is declared")

	for _, page := range []struct{ path, heading string }{
		{"docs/check.md", "## What the checker tells you"}, {"docs/zh-CN/check.md", "## 检查器会告诉你什么"},
	} {
		t.Run(page.path, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(page.path)))
			require.NoError(t, err)
			text := string(b)
			start := strings.Index(text, "\n"+page.heading+"\n")
			require.GreaterOrEqual(t, start, 0, "%s has a section %s", page.path, page.heading)
			section := text[start+1:]
			if end := strings.Index(section[3:], "\n## "); end >= 0 {
				section = section[:end+3]
			}
			rows := map[cause][]string{}
			for _, line := range strings.Split(section, "\n") {
				m := regexp.MustCompile("^\\| `([a-z0-9-]+)` \\| (.*) \\|$").FindStringSubmatch(line)
				if m == nil {
					continue
				}
				c := cause(m[1])
				assert.NotContains(t, rows, c, "%s: a second row for %s", page.path, c)
				rows[c] = strings.Split(m[2], " | ")
				_, ok := inTable[c]
				assert.True(t, ok, "%s has a row for %s, which is no cause", page.path, c)
			}
			for _, ci := range causeTable {
				row, ok := rows[ci.slug]
				if !assert.True(t, ok, "%s: no row for the cause %s", page.path, ci.slug) {
					continue
				}
				if page.path == "docs/check.md" && assert.Len(t, row, 2, "%s: %s's row has its meaning and its evidence", page.path, ci.slug) {
					assert.Equal(t, ci.meaning, row[0], "%s: %s means what causes.go says", page.path, ci.slug)
					assert.Equal(t, ci.finds, row[1], "%s: %s is found as causes.go says", page.path, ci.slug)
				}
			}
		})
	}
}
