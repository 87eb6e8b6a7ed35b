package docs

import (
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/tcptest"
)

// TestTimelines checks the pictures of the performance page against the
// numbers beside them, in both languages. scripts/compare.sh prints a run
// against 05-loop and one against 06-goroutines, and draws each in
// docs/timeline/ (STAGE.svg in English, STAGE.zh-CN.svg in Chinese); the
// page shows what it printed, in a block, and the pictures. Each picture
// must show the run the block shows (tcptest.CheckTimeline), and every
// number the page's prose quotes from the runs must be in the block, so
// that a new run cannot leave the pictures or the prose behind.
func TestTimelines(t *testing.T) {
	for _, c := range []struct{ page, suffix string }{
		{"docs/performance.md", ".svg"},
		{"docs/zh-CN/performance.md", ".zh-CN.svg"},
	} {
		t.Run(c.page, func(t *testing.T) {
			p := readPage(t, c.page)
			var block string
			at := 0
			for _, b := range p.blocks {
				if b.marker == "measured" && b.target == "scripts/compare.sh" {
					block, at = b.code, b.line
				}
			}
			require.NotEmpty(t, block, "%s shows no output of scripts/compare.sh", c.page)
			runs := loadsimRuns(block)
			require.Len(t, runs, 2, "%s: the block shows a run against each of 05-loop and 06-goroutines", c.page)
			shown := map[string]bool{}
			for _, l := range p.links {
				shown[path.Join(path.Dir(c.page), l.target)] = true
			}
			for _, stage := range []string{"05-loop", "06-goroutines"} {
				picture := "docs/timeline/" + stage + c.suffix
				assert.True(t, shown[picture], "%s does not show %s", c.page, picture)
				report, ok := runs[stage]
				if assert.True(t, ok, "%s: no run against %s in the block", c.page, stage) {
					tcptest.CheckTimeline(t, readFile(t, picture), report)
				}
			}
			for _, quote := range sectionCodeSpans(p, at) {
				if digitRE.MatchString(quote) {
					assert.Contains(t, block, quote, "%s quotes `%s`, which the run it shows did not print", c.page, quote)
				}
			}
		})
	}
}

var digitRE = regexp.MustCompile(`[0-9]`)

// loadsimRuns splits what scripts/compare.sh printed into each run's
// report (a line per client and the summary), by the stage it ran against
// ("$ go run ./cmd/loadsim ...   # against 05-loop").
func loadsimRuns(block string) map[string]string {
	runs := map[string]string{}
	stage := ""
	for _, line := range strings.Split(block, "\n") {
		if strings.HasPrefix(line, "$ go run ./cmd/loadsim ") {
			_, stage, _ = strings.Cut(line, "# against ")
			continue
		}
		if stage != "" && line != "" {
			runs[stage] += line + "\n"
		}
	}
	return runs
}

// sectionCodeSpans returns the code spans of the prose of the section
// that holds the code block starting on line at.
func sectionCodeSpans(p page, at int) []string {
	var spans []string
	inBlock, inSection := false, false
	for i, line := range strings.Split(p.text, "\n") {
		if strings.HasPrefix(line, "```") {
			inBlock = !inBlock
			continue
		}
		if inBlock {
			continue
		}
		if strings.HasPrefix(line, "## ") {
			if inSection {
				break
			}
			inSection = i+1 < at && nextHeading(p, i+1) > at
		}
		if inSection {
			for _, m := range codeSpanRE.FindAllString(line, -1) {
				spans = append(spans, strings.Trim(m, "`"))
			}
		}
	}
	return spans
}

// nextHeading returns the line of the first "## " heading after line, or
// a line past the end.
func nextHeading(p page, line int) int {
	for _, h := range p.headings {
		if h.level == 2 && h.line > line {
			return h.line
		}
	}
	return len(strings.Split(p.text, "\n")) + 1
}
