package tcptest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Update is the -update flag of every test package in the course:
// `go test ./... -update` rewrites the golden transcripts (testdata/*.golden)
// and docs/diffs from what the programs do now. Review the change with
// `git diff` before committing it.
var Update = flag.Bool("update", false, "rewrite golden files and docs/diffs from what the programs do now")

// Golden checks that got is what the file testdata/name holds, or, with
// -update, writes got there. The course's pages show these files, and the
// docs' tests check that every page still shows them as they are.
func Golden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *Update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test with -update to create it")
	assert.Equal(t, string(want), got, "%s is out of date: run go test with -update, then review and commit the change", path)
}

// The ports a page shows: the server's default, and, for clients, the
// port of the article's first example and those after it.
const (
	shownServerPort      = 8888
	shownFirstClientPort = 59954
)

var loopbackAddr = regexp.MustCompile(`127\.0\.0\.1:(\d+)`)

// Normalize rewrites the ephemeral ports in a transcript so that it reads
// as a learner's session does and stays the same from run to run: the
// server's port becomes 8888 (the default -addr) and the clients' ports
// 59954, 59955, ... in the order they first appear.
func Normalize(text, serverAddr string) string {
	_, serverPort, _ := strings.Cut(serverAddr, ":")
	clients := map[string]int{}
	return loopbackAddr.ReplaceAllStringFunc(text, func(addr string) string {
		port := strings.TrimPrefix(addr, "127.0.0.1:")
		if port == serverPort {
			return fmt.Sprintf("127.0.0.1:%d", shownServerPort)
		}
		n, ok := clients[port]
		if !ok {
			n = shownFirstClientPort + len(clients)
			clients[port] = n
		}
		return fmt.Sprintf("127.0.0.1:%d", n)
	})
}
