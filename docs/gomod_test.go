package docs

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGoDirective checks the promise the READMEs make about Go 1.21: it
// downloads a newer toolchain by itself. It can only download a toolchain
// that exists, and go.mod's go line names one only with its patch number:
// "go 1.22" makes Go 1.21.0 to 1.21.10 ask the module proxy for "go1.22",
// which was never released, and stop (golang/go#62278); "go 1.22.0" makes
// every Go 1.21 fetch go1.22.0. Both READMEs quote the line as it is.
func TestGoDirective(t *testing.T) {
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(readFile(t, "go.mod"))
	require.NotNil(t, m, "go.mod has no go line")
	version := m[1]
	assert.Len(t, strings.Split(version, "."), 3, "go.mod says go %s; give the patch number too (go 1.22.0), or Go 1.21 cannot fetch a toolchain", version)
	for _, readme := range []string{"README.md", "README.zh-CN.md"} {
		text := readFile(t, readme)
		assert.True(t, strings.Contains(text, "`go "+version+"`"), "%s does not quote go.mod's go line, `go %s`", readme, version)
		assert.True(t, strings.Contains(text, "`go: downloading go"+version+"`"), "%s does not say what Go 1.21 prints, `go: downloading go%s`", readme, version)
	}
}
