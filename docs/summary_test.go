package docs

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSummaries checks that every stage page ends with a short summary of
// what it taught, in both languages: a last section called "Summary"
// ("小结") that lists a few points.
func TestSummaries(t *testing.T) {
	for _, stage := range stages {
		for _, p := range []struct{ path, title string }{{"docs/" + stage + ".md", "Summary"}, {"docs/zh-CN/" + stage + ".md", "小结"}} {
			page := readPage(t, p.path)
			last := page.headings[len(page.headings)-1]
			if !assert.Equal(t, "## "+p.title, strings.Repeat("#", last.level)+" "+last.text, "%s: the last section is not its summary", p.path) {
				continue
			}
			body := strings.Split(page.text, "\n")[last.line:]
			points := 0
			for _, line := range body {
				if strings.HasPrefix(line, "- ") {
					points++
				}
			}
			assert.True(t, points >= 3 && points <= 6, "%s: the summary has %d points; say what the page taught in 3 to 6", p.path, points)
		}
	}
}
