package docs

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// TestNoSentenceTwice fails on a paragraph that says the same sentence
// twice, word for word or nearly: two sentences that begin with the same
// 16 letters. A merge or an edit that adds a sentence beside the one it
// meant to replace leaves such a pair (the Chinese performance page once
// gave BenchmarkConnect's numbers twice, in two wordings).
func TestNoSentenceTwice(t *testing.T) {
	for _, path := range allPages(t) {
		p := readPage(t, path)
		for _, para := range paragraphs(p.prose()) {
			seen := map[string]string{}
			for _, s := range sentences(para) {
				key := sentenceKey(s)
				if key == "" {
					continue
				}
				if first, ok := seen[key]; ok {
					t.Errorf("%s: a paragraph says this twice:\n\t%s\n\t%s", path, first, s)
				}
				seen[key] = s
			}
		}
	}
}

// paragraphs splits prose at blank lines and list items, leaving out
// tables, headings and HTML comments, and joins each paragraph's lines
// with a space.
func paragraphs(prose string) []string {
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, line := range strings.Split(prose, "\n") {
		l := strings.TrimSpace(line)
		switch {
		case l == "":
			flush()
		case strings.HasPrefix(l, "|"), strings.HasPrefix(l, "#"), strings.HasPrefix(l, "<!--"):
			flush()
		case listItemRE.MatchString(l):
			flush()
			cur = append(cur, l)
		default:
			cur = append(cur, l)
		}
	}
	flush()
	return paras
}

// sentences splits a paragraph after 。！？ and after . ! ? followed by a
// space.
func sentences(para string) []string {
	var out []string
	rs := []rune(para)
	start := 0
	for i, r := range rs {
		end := strings.ContainsRune("。！？", r) ||
			(strings.ContainsRune(".!?", r) && (i+1 == len(rs) || rs[i+1] == ' '))
		if end {
			out = append(out, strings.TrimSpace(string(rs[start:i+1])))
			start = i + 1
		}
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}

// sentenceKey is a sentence's first 16 letters and digits, lower case, or
// "" for a sentence shorter than that.
func sentenceKey(s string) string {
	var b []rune
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b = append(b, r)
			if len(b) == 16 {
				return string(b)
			}
		}
	}
	return ""
}

var listItemRE = regexp.MustCompile(`^(?:[-*]|\d+\.) `)
