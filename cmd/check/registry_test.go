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

// Every stage of the course is known everywhere it must be: a folder
// NN-name at the root is a stage of the checker, with scenarios, wrong
// servers made from it, mutants in the mutation check, a page in both
// languages, and a diff from the stage before.
func TestStageRegistry(t *testing.T) {
	root := filepath.Join("..", "..")
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	var folders []string
	for _, e := range entries {
		if e.IsDir() && regexp.MustCompile(`^\d\d-[a-z-]+$`).MatchString(e.Name()) {
			folders = append(folders, e.Name())
		}
	}
	assert.Equal(t, folders, stages, "the checker's stages are the course's folders, in order")
	table, err := os.ReadFile(filepath.Join(root, "internal", "mutate", "table.go"))
	require.NoError(t, err)
	for i, stage := range folders {
		t.Run(stage, func(t *testing.T) {
			assert.NotEmpty(t, scenariosOf(stage), "its scenarios")
			wrong := 0
			for _, w := range wrongServers {
				if w.stage == stage && len(w.muts) > 0 {
					wrong++
				}
			}
			assert.NotZero(t, wrong, "a wrong server made from it")
			assert.Contains(t, string(table), `"`+stage+`":`, "its mutants in internal/mutate")
			for _, page := range []string{filepath.Join("docs", stage+".md"), filepath.Join("docs", "zh-CN", stage+".md")} {
				assert.FileExists(t, filepath.Join(root, page), "its page")
			}
			if i > 0 {
				prev, _, _ := strings.Cut(folders[i-1], "-")
				this, _, _ := strings.Cut(stage, "-")
				assert.FileExists(t, filepath.Join(root, "docs", "diffs", prev+"-to-"+this+".diff"), "the diff from the stage before")
			}
		})
	}
}
