package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/course"
)

// The course is one table (internal/course): a stage is added there, and
// this test names everything else it still lacks. It runs with -short too,
// and starts no program: a folder NN-name at the repository's root with a
// main.go; scenarios the checker plays, limitations fixed by a later
// stage; wrong servers made from it and mutants in internal/mutate; its
// pages in both languages, each ending with its summary; the diff from
// the stage before; its rows in the course index and the README's stage
// table; and its glossary terms, on its page in both glossaries.
func TestStageRegistry(t *testing.T) {
	root := filepath.Join("..", "..")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			return ""
		}
		return string(b)
	}
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	var folders []string
	for _, e := range entries {
		if e.IsDir() && regexp.MustCompile(`^\d\d-[a-z-]+$`).MatchString(e.Name()) {
			folders = append(folders, e.Name())
		}
	}
	assert.Equal(t, folders, course.Folders(), "the course's stages (internal/course) are the folders NN-name at the root, in order")

	mutants := read("internal/mutate/table.go")
	index, indexZh := read("docs/README.md"), read("docs/zh-CN/README.md")
	readme, readmeZh := read("README.md"), read("README.zh-CN.md")
	glossary := func(text, title string) map[string]string { // term -> the page its row points to
		rows := map[string]string{}
		in := false
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "## ") {
				in = line == "## "+title
				continue
			}
			cells := strings.Split(strings.Trim(line, "| "), " | ")
			if !in || len(cells) != 4 || strings.HasPrefix(line, "| ---") {
				continue
			}
			if m := regexp.MustCompile(`\]\(([0-9a-z-]+)\.md`).FindStringSubmatch(cells[3]); m != nil {
				rows[cells[0]] = m[1]
			}
		}
		return rows
	}
	terms := glossary(index, "Glossary")
	for i := range course.Stages {
		st := &course.Stages[i]
		t.Run(st.Folder, func(t *testing.T) {
			assert.FileExists(t, filepath.Join(root, st.Folder, "main.go"), "its program")
			assert.NotEmpty(t, st.Scenarios, "its scenarios, in internal/course")
			assert.NotEmpty(t, st.Has, "the behaviour that defines it (Has), in internal/course")
			for _, sc := range st.Scenarios {
				assert.NotNil(t, plays[sc.Slug].run, "how the checker plays its scenario %s (plays, cmd/check/scenarios.go)", sc.Slug)
				if sc.FixedBy != "" {
					assert.Greater(t, course.Index(sc.FixedBy), i, "%s: its limitation is fixed by a later stage, not %q", sc.Slug, sc.FixedBy)
				}
			}
			for _, e := range st.Exercises {
				assert.True(t, strings.HasPrefix(e.Name, st.Num()+"-"), "exercise %s is named after its stage's number", e.Name)
				for _, sc := range e.Adds {
					assert.NotNil(t, plays[sc.Slug].run, "how the checker plays exercise %s's scenario %s", e.Name, sc.Slug)
				}
			}
			if st.BuildsOn != "" {
				assert.Less(t, course.Index(st.BuildsOn), i, "it builds on an earlier stage")
			}
			wrong := 0
			for _, w := range wrongServers {
				if w.stage == st.Folder && len(w.muts) > 0 {
					wrong++
				}
			}
			assert.NotZero(t, wrong, "a wrong server made from it (wrongServers, cmd/check/mutants_test.go)")
			assert.Contains(t, mutants, `"`+st.Folder+`":`, "its mutants in internal/mutate/table.go")
			for _, page := range []struct{ path, summary string }{{st.Page(), "## Summary"}, {st.PageZh(), "## 小结"}} {
				text := read(page.path)
				if assert.NotEmpty(t, text, "its page %s", page.path) {
					assert.Contains(t, text, "\n"+page.summary+"\n", "%s ends with its summary", page.path)
				}
			}
			if i > 0 {
				diff := "docs/diffs/" + course.Stages[i-1].Num() + "-to-" + st.Num() + ".diff"
				assert.NotEmpty(t, read(diff), "the diff from the stage before, %s (go test ./docs -update)", diff)
			}
			page := "| [" + st.Folder + "](" + st.Folder + ".md) |"
			program := "| [" + st.Folder + "](" + st.Folder + "/main.go) |"
			assert.True(t, strings.Contains(index, page), "its row in the course index, docs/README.md: %s", page)
			assert.True(t, strings.Contains(indexZh, page), "its row in the course index, docs/zh-CN/README.md: %s", page)
			assert.True(t, strings.Contains(readme, program), "its row in README.md's stage table: %s", program)
			assert.True(t, strings.Contains(readmeZh, program), "its row in README.zh-CN.md's stage table: %s", program)
			assert.NotEmpty(t, st.Terms, "the glossary terms its page introduces (Terms, internal/course)")
			for _, term := range st.Terms {
				assert.Equal(t, st.Folder, terms[term], "glossary term %q: a row in docs/README.md's glossary that points to %s", term, st.Page())
			}
			for term, page := range terms {
				if page == st.Folder {
					assert.True(t, slices.Contains(st.Terms, term), "the glossary's %q points to %s: list it in the stage's Terms", term, st.Page())
				}
			}
		})
	}
}
