package docs

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestExerciseMarks checks the marks the course index lists ("How the
// pages quote", "页面里的标记") on the exercises of every stage page: each
// hint and each way to know you are done is marked, in English in italics
// (*Hint*, *Done when:*, *Check it:*) and in Chinese in bold (**提示**,
// **完成标准**, **检查方法**), as many in one language as in the other.
// Chinese type has no italics (a browser slants the characters), so no
// Chinese page sets Chinese words in italics.
func TestExerciseMarks(t *testing.T) {
	for _, stage := range stages {
		en := section(readPage(t, "docs/"+stage+".md"), "Exercises")
		zh := section(readPage(t, "docs/zh-CN/"+stage+".md"), "练习")
		hints := strings.Count(en, "*Hint")
		done := strings.Count(en, "*Done when:*") + strings.Count(en, "*Check it:*")
		assert.NotZero(t, hints, "docs/%s.md: an exercise without a *Hint*", stage)
		assert.Equal(t, hints, strings.Count(zh, "**提示**："), "docs/zh-CN/%s.md: the exercises' **提示**", stage)
		assert.Equal(t, done, strings.Count(zh, "**完成标准**：")+strings.Count(zh, "**检查方法**："),
			"docs/zh-CN/%s.md: the exercises' **完成标准** and **检查方法**", stage)
	}
	zhPages, _ := filepath.Glob("zh-CN/*.md")
	for i := range zhPages {
		zhPages[i] = "docs/" + filepath.ToSlash(zhPages[i])
	}
	for _, name := range append(zhPages, "README.zh-CN.md") {
		for _, m := range chineseItalics(readPage(t, name)) {
			t.Errorf("%s: %s is in italics; Chinese type has none: use bold or “”", name, m)
		}
	}
}

// section returns the text of the "## title" section of p.
func section(p page, title string) string {
	var b strings.Builder
	in := false
	for _, line := range strings.Split(p.text, "\n") {
		if strings.HasPrefix(line, "## ") {
			in = line == "## "+title
			continue
		}
		if in {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

var (
	codeSpanInLineRE = regexp.MustCompile("`[^`]*`")
	italicsRE        = regexp.MustCompile(`(^|[^*])\*([^*\s][^*]*)\*([^*]|$)`)
	hanRE            = regexp.MustCompile(`\p{Han}`)
)

// chineseItalics returns the spans of p's prose, outside code, that
// *single asterisks* set in italics and that hold Chinese characters.
func chineseItalics(p page) []string {
	var out []string
	inBlock := false
	for _, line := range strings.Split(p.text, "\n") {
		if strings.HasPrefix(line, "```") {
			inBlock = !inBlock
			continue
		}
		if inBlock {
			continue
		}
		line = codeSpanInLineRE.ReplaceAllString(line, "``")
		for _, m := range italicsRE.FindAllStringSubmatch(line, -1) {
			if hanRE.MatchString(m[2]) {
				out = append(out, "*"+m[2]+"*")
			}
		}
	}
	return out
}
