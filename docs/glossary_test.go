package docs

import (
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGlossary checks the glossary at the end of the course index, in
// both languages: the two tables pair the same terms, row for row (each
// names the other language's term), and every term is on the page its row
// points to, so that the glossary cannot outlive what the pages explain.
func TestGlossary(t *testing.T) {
	en := glossary(t, "docs/README.md", "Glossary")
	zh := glossary(t, "docs/zh-CN/README.md", "术语表")
	require.Equal(t, len(en), len(zh), "the English and Chinese glossaries have different numbers of terms")
	for i := range en {
		assert.Equal(t, en[i][0], zh[i][1], "glossary row %d: the Chinese glossary names %q as the English term of %q", i+1, zh[i][1], zh[i][0])
		assert.Equal(t, zh[i][0], en[i][1], "glossary row %d: the English glossary names %q as the Chinese term of %q", i+1, en[i][1], en[i][0])
	}
	for _, g := range []struct {
		page string
		rows [][]string
	}{{"docs/README.md", en}, {"docs/zh-CN/README.md", zh}} {
		for _, row := range g.rows {
			m := linkRE.FindStringSubmatch(row[3])
			if !assert.NotNil(t, m, "%s: the glossary's %q says on which page it is explained", g.page, row[0]) {
				continue
			}
			file, _, _ := strings.Cut(m[2], "#")
			target := g.page
			if file != "" {
				target = path.Join(path.Dir(g.page), file)
			}
			text := strings.ToLower(strings.Join(strings.Fields(readPage(t, target).text), " ")) // a term may wrap
			for _, part := range glossaryTerms(row[0]) {
				assert.True(t, strings.Contains(text, strings.ToLower(part)), "%s: the glossary sends %q to %s, which does not mention it", g.page, part, target)
			}
		}
	}
}

// glossary returns the rows of the table under the heading title, each
// row's cells without their outer spaces; it leaves out the header.
func glossary(t *testing.T, name, title string) [][]string {
	t.Helper()
	var rows [][]string
	in := false
	for _, line := range strings.Split(readPage(t, name).text, "\n") {
		if strings.HasPrefix(line, "## ") {
			in = line == "## "+title
			continue
		}
		if !in || !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| ---") {
			continue
		}
		cells := splitRow(line)
		require.Len(t, cells, 4, "%s: a glossary row with other than 4 cells: %s", name, line)
		rows = append(rows, cells)
	}
	require.NotEmpty(t, rows, "%s has no table under ## %s", name, title)
	return rows[1:] // the header
}

// splitRow splits a Markdown table row into its cells; "\|" is a bar
// inside a cell.
func splitRow(line string) []string {
	line = strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |")
	cells := strings.Split(strings.ReplaceAll(line, `\|`, "\x00"), " | ")
	for i, c := range cells {
		cells[i] = strings.ReplaceAll(c, "\x00", `\|`)
	}
	return cells
}

// glossaryTerms returns the words a page must contain for a glossary
// term: its parts ("SYN, SYN-ACK, ACK", "粘包、半包"), without backquotes
// and without what is in brackets ("reset (RST)" is "reset").
func glossaryTerms(term string) []string {
	term = bracketsRE.ReplaceAllString(strings.ReplaceAll(term, "`", ""), "")
	var parts []string
	for _, p := range regexp.MustCompile(`, |、`).Split(term, -1) {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

var bracketsRE = regexp.MustCompile(` ?\([^)]*\)|（[^）]*）`)
