// Package docs holds the course's pages. Its tests keep them true: every
// transcript, diff and code excerpt a page shows must match the program it
// comes from, the English and Chinese pages must have the same shape, and
// every link must lead somewhere.
package docs

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/course"
	"socketcourse/internal/tcptest"
)

// The stages, in the course's order: the course's table (internal/course).
var stages = course.Folders()

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	require.NoError(t, err)
	return string(b)
}

// TestDiffs checks docs/diffs/NN-to-MM.diff, the unified diff between two
// consecutive stages' main.go; `go test ./docs -update` rewrites them.
func TestDiffs(t *testing.T) {
	for i := 0; i+1 < len(stages); i++ {
		from, to := stages[i], stages[i+1]
		name := "diffs/" + from[:2] + "-to-" + to[:2] + ".diff"
		t.Run(name, func(t *testing.T) {
			want := unifiedDiff(from+"/main.go", readFile(t, from+"/main.go"), to+"/main.go", readFile(t, to+"/main.go"))
			if *tcptest.Update {
				require.NoError(t, os.MkdirAll("diffs", 0o755))
				require.NoError(t, os.WriteFile(name, []byte(want), 0o644))
				return
			}
			got, err := os.ReadFile(name)
			require.NoError(t, err, "run go test ./docs -update to create it")
			if string(got) != want {
				t.Errorf("docs/%s is out of date (%s): run go test ./docs -update", name, firstDifference(string(got), want))
			}
		})
	}
}

// TestCodeBlocks checks every code block on every page against where it
// comes from. A block shows a golden transcript, a diff, an excerpt of a
// file, the output of a measurement (numbers differ from run to run and
// machine to machine, so only its form is checked), commands to type, or
// a program of the article (its Python, which TestArticleQuotes checks
// further), and says which with a comment on the line above it; only
// Mermaid diagrams need none.
func TestCodeBlocks(t *testing.T) {
	for _, name := range allPages(t) {
		p := readPage(t, name)
		for _, b := range p.blocks {
			where := p.path + ":" + strconv.Itoa(b.line)
			switch b.marker {
			case "golden", "diff":
				if want := readFile(t, b.target); b.code != want {
					t.Errorf("%s: the block differs from %s (%s)", where, b.target, firstDifference(b.code, want))
				}
			case "excerpt":
				src := readFile(t, b.target)
				assert.True(t, strings.Contains(src, b.code), "%s: the excerpt is not in %s as it is now:\n%s", where, b.target, b.code)
			case "measured":
				checkMeasured(t, where, b.target, b.code)
			case "commands":
				checkCommands(t, where, b.code)
			case "article":
				assert.Equal(t, "python", b.lang, "%s: the article's programs are Python: open the block with ```python", where)
			default:
				if b.lang != "mermaid" {
					t.Errorf("%s: a code block with no <!-- golden|excerpt|diff|measured|commands|article --> comment above it", where)
				}
			}
		}
	}
}

var (
	goRunRE  = regexp.MustCompile(`^go run (\./\S+)`)
	goTestRE = regexp.MustCompile(`^go test .*-run '?([^' ]+)'?`)
	diffRE   = regexp.MustCompile(`^diff (?:-\S+ )*(\S+) (\S+)$`)
	stageRE  = regexp.MustCompile(`^(?:go run \./cmd/check|\./check) .*-stage (\S+)`)
)

// checkCommands checks the commands a page tells the reader to type: the
// folders they run exist; the tests they name exist, and each folder they
// test has one of them (a folder without prints "no tests to run", so
// `./...` is too wide); the files they compare exist, compared with `diff
// -u`, the unified format the pages show; the stages they check exist.
func checkCommands(t *testing.T, where, code string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(code), "\n") {
		// ./mine/ is the reader's own folder (docs/check.md): not in the repository.
		if m := goRunRE.FindStringSubmatch(line); m != nil && !strings.HasPrefix(m[1], "./mine/") {
			assert.FileExists(t, filepath.Join(root, m[1], "main.go"), "%s: %s", where, line)
		}
		if m := stageRE.FindStringSubmatch(line); m != nil {
			assert.Contains(t, stages, m[1], "%s: %s: no such stage", where, line)
		}
		if m := goTestRE.FindStringSubmatch(line); m != nil {
			var names []string
			for _, name := range strings.Split(strings.Trim(m[1], "^$"), "|") {
				name, _, _ = strings.Cut(name, "/") // a subtest: check its test
				if name != "" {                     // -run '^$': no test, only benchmarks or fuzzing
					names = append(names, name)
				}
			}
			var dirs []string
			for _, field := range strings.Fields(line) {
				if strings.HasPrefix(field, "./") {
					dirs = append(dirs, field)
				}
			}
			for _, dir := range dirs {
				if len(names) == 0 {
					continue
				}
				if !assert.NotEqual(t, "./...", dir, "%s: %s: name the folders that have the test, or the others print \"no tests to run\"", where, line) {
					continue
				}
				has := false
				for _, name := range names {
					has = has || testExists(t, []string{dir}, name)
				}
				assert.True(t, has, "%s: %s: %s has none of the tests %v", where, line, dir, names)
			}
			for _, name := range names {
				assert.True(t, testExists(t, dirs, name), "%s: no test %s in %v", where, name, dirs)
			}
		}
		if m := diffRE.FindStringSubmatch(line); m != nil {
			assert.True(t, strings.HasPrefix(line, "diff -u "), "%s: %s: show diff -u, the format of the diffs on the pages", where, line)
			assert.FileExists(t, filepath.Join(root, m[1]), "%s: %s", where, line)
			assert.FileExists(t, filepath.Join(root, m[2]), "%s: %s", where, line)
		}
	}
}

var (
	summaryKeys = []string{"clients=", "messages=", "errors=", "p50=", "p99=", "max=", "total=", "rps="}
	benchRE     = regexp.MustCompile(`^(Benchmark\w+)\S*\s+\d+\s+[\d.]+ ns/op`)
)

// checkMeasured checks the form of a measurement's output: what produced it
// (a script, or the test file of a benchmark) exists, every loadsim summary
// has all its keys, and every benchmark it shows exists in that test file.
func checkMeasured(t *testing.T, where, source, code string) {
	t.Helper()
	src := readFile(t, source)
	for _, line := range strings.Split(code, "\n") {
		if strings.HasPrefix(line, "clients=") {
			for _, key := range summaryKeys {
				assert.Contains(t, line, key, "%s: a loadsim summary without %s", where, key)
			}
		}
		if m := benchRE.FindStringSubmatch(line); m != nil {
			assert.Contains(t, src, "\nfunc "+m[1]+"(b *testing.B)", "%s: %s has no %s", where, source, m[1])
		}
	}
}

// testExists reports whether a test function called name is in one of dirs.
func testExists(t *testing.T, dirs []string, name string) bool {
	t.Helper()
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*_test.go"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			if strings.Contains(string(b), "\nfunc "+name+"(t *testing.") {
				return true
			}
		}
	}
	return false
}

// TestLinks follows every relative link on every page: the file or folder
// must exist, a #fragment must name a heading of the page it points to, and
// a link whose text is a test's name must point to the file that has it.
func TestLinks(t *testing.T) {
	testName := regexp.MustCompile("^`(Test\\w+)`$")
	for _, name := range allPages(t) {
		p := readPage(t, name)
		for _, l := range p.links {
			if strings.Contains(l.target, "://") || strings.HasPrefix(l.target, "mailto:") {
				continue
			}
			where := p.path + ":" + strconv.Itoa(l.line)
			file, frag, _ := strings.Cut(l.target, "#")
			target := p.path
			if file != "" {
				target = path.Join(path.Dir(p.path), file)
			}
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(target))); err != nil {
				t.Errorf("%s: link to %s: %v", where, l.target, err)
				continue
			}
			if frag != "" {
				require.True(t, strings.HasSuffix(target, ".md"), "%s: %s: only pages have anchors that last (line numbers move)", where, l.target)
				assert.True(t, readPage(t, target).anchors()[frag], "%s: %s has no heading #%s", where, target, frag)
			}
			if m := testName.FindStringSubmatch(l.text); m != nil {
				assert.True(t, testExists(t, []string{path.Dir(target)}, m[1]) && strings.HasSuffix(target, "_test.go"),
					"%s: %s does not define %s", where, target, m[1])
			}
		}
	}
}

// TestTranslations checks that every page in docs/ has its Chinese twin in
// docs/zh-CN/ and the other way round, and that the two have the same
// shape: the same headings at the same levels, and the same code blocks
// (transcripts, diffs, excerpts, commands) in the same order. Diagrams are
// drawn in each page's language, so only their structure must match (see
// diagramShape). The README at the root has its twin, README.zh-CN.md,
// checked the same way.
func TestTranslations(t *testing.T) {
	en, _ := filepath.Glob("*.md")
	zh, _ := filepath.Glob("zh-CN/*.md")
	for i := range zh {
		zh[i] = strings.TrimPrefix(filepath.ToSlash(zh[i]), "zh-CN/")
	}
	require.Equal(t, en, zh, "docs/*.md and docs/zh-CN/*.md must list the same pages")
	for _, name := range en {
		t.Run(name, func(t *testing.T) {
			samePageShape(t, "docs/"+name, "docs/zh-CN/"+name)
		})
	}
	t.Run("README.zh-CN.md", func(t *testing.T) {
		samePageShape(t, "README.md", "README.zh-CN.md")
	})
}

// samePageShape checks that a page and its translation have the same
// headings and code blocks.
func samePageShape(t *testing.T, enPath, zhPath string) {
	t.Helper()
	e, z := readPage(t, enPath), readPage(t, zhPath)
	assert.Equal(t, levels(e.headings), levels(z.headings), "the headings differ in number or level:\n%s\n%s", outline(e), outline(z))
	assert.Equal(t, len(e.blocks), len(z.blocks), "the pages have different numbers of code blocks")
	for i := 0; i < len(e.blocks) && i < len(z.blocks); i++ {
		eb, zb := e.blocks[i], z.blocks[i]
		if eb.lang == "mermaid" && zb.lang == "mermaid" {
			assert.Equal(t, diagramShape(eb.code), diagramShape(zb.code),
				"diagram %d differs in structure (%s:%d, %s:%d)", i+1, enPath, eb.line, zhPath, zb.line)
			continue
		}
		assert.Equal(t, eb.lang+" "+eb.marker+" "+eb.target+"\n"+eb.code, zb.lang+" "+zb.marker+" "+zb.target+"\n"+zb.code,
			"code block %d differs (%s:%d, %s:%d)", i+1, enPath, eb.line, zhPath, zb.line)
	}
}

// diagramShape returns a Mermaid diagram without its words: the diagram's
// type, each participant's id in order ("participant P as program" becomes
// "participant P"), and each message or note up to its colon ("P->>K: bind"
// becomes "P->>K", "Note over K: waits" becomes "Note over K"). Two
// diagrams with the same shape show the same exchange, whatever language
// their labels are in.
func diagramShape(code string) string {
	var out []string
	for _, line := range strings.Split(code, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "participant ") || strings.HasPrefix(line, "actor "):
			line, _, _ = strings.Cut(line, " as ")
		default:
			line, _, _ = strings.Cut(line, ":")
		}
		out = append(out, strings.Join(strings.Fields(line), " "))
	}
	return strings.Join(out, "\n")
}

// firstDifference says where got first differs from want, in a line.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		switch {
		case i >= len(g):
			return fmt.Sprintf("line %d: missing %q", i+1, w[i])
		case i >= len(w):
			return fmt.Sprintf("line %d: %q should not be there", i+1, g[i])
		case g[i] != w[i]:
			return fmt.Sprintf("line %d: %q, want %q", i+1, g[i], w[i])
		}
	}
	return "no difference"
}

func levels(hs []heading) []int {
	var out []int
	for _, h := range hs {
		out = append(out, h.level)
	}
	return out
}

func outline(p page) string {
	var b strings.Builder
	for _, h := range p.headings {
		b.WriteString(strings.Repeat("#", h.level) + " " + h.text + "\n")
	}
	return b.String()
}
