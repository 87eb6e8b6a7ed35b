package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"socketcourse/internal/tcptest"
)

// Real reports of a passing and a failing server, for the page "Check your
// own server" (docs/check.md): testdata/*.golden, refreshed with -update.
func TestGoldenReports(t *testing.T) {
	t.Parallel()
	sequential := func(t *testing.T) string {
		// The 06 server with one word missing: it serves one client at a time.
		return buildMutant(t, "sequential", "06-goroutines", mutation{"go handleConn(conn, out)", "handleConn(conn, out)"})
	}
	slips := func(t *testing.T) string {
		// The 06 server as learners write it from memory: its own
		// welcome line, and "Ok..." for "OK...".
		return buildMutant(t, "slips", "06-goroutines", welcomeSlip, okSlip)
	}
	for _, tc := range []struct {
		golden, stage, shown string
		exe                  func(*testing.T) string
		code                 int
	}{
		{"pass.golden", "05-loop", "./05-loop", func(t *testing.T) string { return build(t, "05-loop") }, 0},
		{"fail.golden", "06-goroutines", "./sequential", sequential, 1},
		{"differs.golden", "06-goroutines", "./slips", slips, 1},
	} {
		t.Run(tc.shown+" -stage "+tc.stage, func(t *testing.T) {
			t.Parallel()
			exe := tc.exe(t)
			r := check(t, "-stage", tc.stage, "--", exe, "-addr", "127.0.0.1:{port}")
			assert.Equal(t, tc.code, r.code, r.text)
			text := strings.ReplaceAll(r.text, exe, tc.shown)
			tcptest.Golden(t, tc.golden, normalize(text))
		})
	}
}

var (
	serverPort = regexp.MustCompile(`(connects to|Bound to|nothing listens on) 127\.0\.0\.1:(\d+)`)
	anyPort    = regexp.MustCompile(`127\.0\.0\.1:(\d+)`)
	waited     = regexp.MustCompile(`(nothing for|nothing within) [0-9.]+m?s`)
)

// normalize makes a report the same from run to run: each run's server
// port becomes 8888, the clients' ports 59954, 59955, ... in the order
// they appear, and the time waited the -wait it was.
func normalize(text string) string {
	servers := map[string]bool{}
	for _, m := range serverPort.FindAllStringSubmatch(text, -1) {
		servers[m[2]] = true
	}
	clients := map[string]int{}
	text = anyPort.ReplaceAllStringFunc(text, func(addr string) string {
		port := strings.TrimPrefix(addr, "127.0.0.1:")
		if servers[port] {
			return "127.0.0.1:8888"
		}
		n, ok := clients[port]
		if !ok {
			n = 59954 + len(clients)
			clients[port] = n
		}
		return fmt.Sprintf("127.0.0.1:%d", n)
	})
	return waited.ReplaceAllString(text, "$1 2s")
}
