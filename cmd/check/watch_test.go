package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What the watch sees of a folder: a file saved again with other bytes
// of the same size, at the same time to the file system's resolution,
// is a change; what editors, Python and Git write beside it is not.
func TestSnapshot(t *testing.T) {
	t.Parallel()
	mine := t.TempDir()
	writeFiles(t, mine, map[string]string{"05/main.go": "package main // one", "05.py": "print('hi')"})
	before := snapshot(mine)
	assert.Len(t, before, 2)

	path := filepath.Join(mine, "05", "main.go")
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte("package main // two"), 0o644))
	require.NoError(t, os.Chtimes(path, info.ModTime(), info.ModTime()))
	assert.Equal(t, "05/main.go", firstChange(before, snapshot(mine)), "the same size and time, other bytes")

	before = snapshot(mine)
	writeFiles(t, mine, map[string]string{
		"05/.main.go.swp": "x", "05/main.go~": "x", "05/#main.go#": "x", "05/4913": "",
		"__pycache__/m.cpython-311.pyc": "x", "05/m.pyc": "x", ".git/index": "x",
	})
	assert.Equal(t, "", firstChange(before, snapshot(mine)), "none of these is a change")

	require.NoError(t, os.Remove(filepath.Join(mine, "05.py")))
	assert.Equal(t, "05.py", firstChange(before, snapshot(mine)), "a file removed is a change")
}

// What a stage's check depends on: its own files and the folder's
// files that are no stage's, not another stage's.
func TestStagePrints(t *testing.T) {
	steps := []step{{stage: "01-bind", path: filepath.Join("mine", "01")}, {stage: "02-listen", path: filepath.Join("mine", "02.py")}}
	a := files{"01/main.go": "1", "02.py": "2", "notes.txt": "3"}
	b := files{"01/main.go": "1", "02.py": "changed", "notes.txt": "3"}
	c := files{"01/main.go": "1", "02.py": "2", "notes.txt": "changed"}
	pa, pb, pc := stagePrints(steps, a), stagePrints(steps, b), stagePrints(steps, c)
	assert.Equal(t, pa["01-bind"], pb["01-bind"], "02's file is not 01's")
	assert.NotEqual(t, pa["02-listen"], pb["02-listen"])
	assert.NotEqual(t, pa["01-bind"], pc["01-bind"], "a file of no stage's is every stage's")
	assert.NotEqual(t, pa["02-listen"], pc["02-listen"])
}

// Colour only on a terminal, and never with NO_COLOR.
func TestPalette(t *testing.T) {
	var b strings.Builder
	assert.False(t, colours(&b, nil).on, "not a terminal")
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, colours(f, nil).on, "a file is not a terminal")
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		assert.True(t, colours(tty, []string{"NO_COLOR="}).on, "NO_COLOR empty is not set")
		assert.False(t, colours(tty, []string{"NO_COLOR=1"}).on)
	}
	on := palette{on: true}
	assert.Equal(t, "\x1b[32mmet\x1b[0m", on.good("met"))
	assert.Equal(t, "met", palette{}.good("met"))
	assert.Equal(t, "met    ", on.strip(pad(on.good("met"), on, 7)), "padded to what shows")
}

// The watch looks at the folder every pollEvery: what one look costs, a
// learner's folder of seven stages, is what the watch costs between
// checks (docs/check.md).
func BenchmarkSnapshot(b *testing.B) {
	mine := b.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "06-goroutines", "main.go"))
	require.NoError(b, err)
	for _, st := range stages {
		num, _, _ := strings.Cut(st, "-")
		dir := filepath.Join(mine, num)
		require.NoError(b, os.MkdirAll(dir, 0o755))
		require.NoError(b, os.WriteFile(filepath.Join(dir, "main.go"), src, 0o644))
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if len(snapshot(mine)) != len(stages) {
			b.Fatal("a file missed")
		}
	}
	b.ReportMetric(float64(time.Since(start))/float64(b.N)/float64(pollEvery)*100, "%-of-a-core")
}
