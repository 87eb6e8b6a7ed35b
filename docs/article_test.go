package docs

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/course"
)

// The names of the article's sections, in its words: the pages quote them.
var articleSections = []string{"绑定 socket", "监听连接", "接收连接", "保持服务", "处理连接"}

// The stages that follow a section of the article; the others go past it.
var articleStages = func() []string {
	var list []string
	for _, st := range course.Stages {
		if !st.PastArticle() {
			list = append(list, st.Folder)
		}
	}
	return list
}()

var (
	cornerQuoteRE = regexp.MustCompile(`「([^」]*)」`)
	// The course's copy of the article, and so every quote of it, has
	// half-width commas, colons and brackets only: a full-width one in a
	// quote means the quote was tidied up.
	fullWidthRE = regexp.MustCompile(`[，：；（）？！]`)
)

// TestArticleQuotes checks how the pages quote the article (the marks are
// explained once, in the course index): each stage page that follows a
// section of the article opens with that section's words, quoted as
// passages (lines starting with "> "), and the Python it shows, in a
// block marked <!-- article -->; the English and Chinese pages quote the
// same words, untranslated; and 「」 and quoted passages hold the
// article's words only, on every page: a section's name, or part of a
// passage a stage page quotes.
func TestArticleQuotes(t *testing.T) {
	var quoted []string // every passage the stage pages quote
	for _, stage := range articleStages {
		en, zh := readPage(t, "docs/"+stage+".md"), readPage(t, "docs/zh-CN/"+stage+".md")
		enQuotes, zhQuotes := en.openingQuotes(t), zh.openingQuotes(t)
		assert.NotEmpty(t, zhQuotes, "%s: its first section quotes none of the article's words", zh.path)
		assert.Equal(t, zhQuotes, enQuotes, "%s and %s quote different words of the article", en.path, zh.path)
		for _, p := range []page{en, zh} {
			assert.Equal(t, 1, p.articleBlocks(), "%s: its first section shows no program of the article (a ```python block marked <!-- article -->)", p.path)
			for _, q := range p.openingQuotes(t) {
				assert.False(t, fullWidthRE.MatchString(q), "%s: a quote with full-width punctuation, which the article does not use: %s", p.path, q)
			}
		}
		quoted = append(quoted, zhQuotes...)
	}
	require.NotEmpty(t, quoted)
	known := strings.Join(append(quoted, articleSections...), "\n")
	for _, name := range allPages(t) {
		p := readPage(t, name)
		prose := p.prose()
		for _, m := range cornerQuoteRE.FindAllStringSubmatch(prose, -1) {
			assert.True(t, strings.Contains(known, m[1]),
				"%s: 「%s」 is not the article's words (a section's name, or part of what a stage page quotes at its top): use `code`（gloss） for what a program prints and “” for emphasis", name, m[1])
		}
		for _, line := range strings.Split(prose, "\n") {
			if q, ok := strings.CutPrefix(line, "> "); ok {
				assert.True(t, strings.Contains(known, q), "%s: a quoted passage that is not the article's words as a stage page quotes them: %s", name, q)
			}
		}
	}
}

// openingQuotes returns the passages quoted (lines starting with "> ") in
// the page's first section, one string per passage, lines joined by spaces.
func (p page) openingQuotes(t *testing.T) []string {
	t.Helper()
	var quotes []string
	inQuote := false
	for _, line := range p.firstSection() {
		if text, ok := strings.CutPrefix(line, "> "); ok {
			if inQuote {
				quotes[len(quotes)-1] += " " + text
			} else {
				quotes = append(quotes, text)
			}
			inQuote = true
			continue
		}
		inQuote = false
	}
	return quotes
}

// articleBlocks counts the blocks marked <!-- article --> in the page's
// first section that show Python.
func (p page) articleBlocks() int {
	n := 0
	for _, b := range p.blocks {
		if b.marker == "article" && b.lang == "python" && b.line < p.secondHeadingLine() {
			n++
		}
	}
	return n
}

// firstSection returns the lines of the page's first "## " section.
func (p page) firstSection() []string {
	var out []string
	in := false
	for _, line := range strings.Split(p.text, "\n") {
		if strings.HasPrefix(line, "## ") {
			if in {
				break
			}
			in = true
			continue
		}
		if in {
			out = append(out, line)
		}
	}
	return out
}

// secondHeadingLine returns the line number of the page's second "## "
// heading, or a number past the end.
func (p page) secondHeadingLine() int {
	seen := 0
	for _, h := range p.headings {
		if h.level == 2 {
			seen++
			if seen == 2 {
				return h.line
			}
		}
	}
	return len(strings.Split(p.text, "\n")) + 1
}

// prose returns the page's text without its code blocks and code spans.
func (p page) prose() string {
	var b strings.Builder
	inBlock := false
	for _, line := range strings.Split(p.text, "\n") {
		if strings.HasPrefix(line, "```") {
			inBlock = !inBlock
			continue
		}
		if !inBlock {
			b.WriteString(codeSpanRE.ReplaceAllString(line, "") + "\n")
		}
	}
	return b.String()
}

var codeSpanRE = regexp.MustCompile("`[^`]*`")
