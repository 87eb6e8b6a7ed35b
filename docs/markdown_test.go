package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// page is a Markdown file of the course, read into the parts its tests check.
type page struct {
	path     string // from the repository's root, with forward slashes
	text     string
	headings []heading
	blocks   []block
	links    []link
}

type heading struct {
	level int
	text  string
	line  int
}

// block is a fenced code block and the marker comment on the line above
// it, if any: <!-- golden: PATH -->, <!-- excerpt: PATH -->,
// <!-- diff: PATH -->, <!-- measured: PATH -->, <!-- commands --> or
// <!-- article -->.
type block struct {
	lang   string
	code   string
	marker string // "golden", "excerpt", "diff", "measured", "commands", "article" or ""
	target string // the marker's path
	line   int    // of the opening fence
}

type link struct {
	text, target string
	line         int
}

var (
	markerRE  = regexp.MustCompile(`^<!-- (golden|excerpt|diff|measured|commands|article)(?:: (\S+))? -->$`)
	headingRE = regexp.MustCompile(`^(#{1,6}) (.+)$`)
	linkRE    = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]+)\)`)
)

// root is the repository's root, seen from this package's folder.
const root = ".."

// readPage reads and parses the Markdown file at path (from the root).
func readPage(t *testing.T, path string) page {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	p := page{path: path, text: string(b)}
	lines := strings.Split(p.text, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(line, "```") {
			b := block{lang: strings.TrimPrefix(line, "```"), line: i + 1}
			if i > 0 {
				if m := markerRE.FindStringSubmatch(lines[i-1]); m != nil {
					b.marker, b.target = m[1], m[2]
				}
			}
			var code []string
			for i++; i < len(lines) && lines[i] != "```"; i++ {
				code = append(code, lines[i])
			}
			if i == len(lines) {
				t.Fatalf("%s:%d: code block is not closed", path, b.line)
			}
			b.code = strings.Join(code, "\n") + "\n"
			p.blocks = append(p.blocks, b)
			continue
		}
		if m := headingRE.FindStringSubmatch(line); m != nil {
			p.headings = append(p.headings, heading{level: len(m[1]), text: m[2], line: i + 1})
		}
		for _, m := range linkRE.FindAllStringSubmatch(line, -1) {
			p.links = append(p.links, link{text: m[1], target: m[2], line: i + 1})
		}
	}
	return p
}

// allPages lists the course's Markdown files: the READMEs at the root (in
// English and Chinese) and docs/.
func allPages(t *testing.T) []string {
	t.Helper()
	paths := []string{"README.md", "README.zh-CN.md"}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			paths = append(paths, "docs/"+filepath.ToSlash(path))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// anchor returns the fragment GitHub gives a heading: lower case, letters,
// digits, spaces, hyphens and underscores kept (in any script), spaces
// turned into hyphens.
func anchor(text string) string {
	text = regexp.MustCompile("`([^`]*)`").ReplaceAllString(text, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// anchors returns every fragment a page's headings define, with GitHub's
// -1, -2 suffixes for repeated headings.
func (p page) anchors() map[string]bool {
	seen := map[string]int{}
	out := map[string]bool{}
	for _, h := range p.headings {
		a := anchor(h.text)
		if n := seen[a]; n > 0 {
			out[a+"-"+strconv.Itoa(n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}
