package tcptest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// CommonFailures runs, as subtests, the failures that every stage reports
// the same way: a port in use is the article's "Bind failed" with the
// system's own error number, and exit status 1; a bad -addr is one line on
// stderr, and exit status 2, before any socket exists; so is an argument
// without a flag (`go run ./06-goroutines 9000`), which is not taken for
// an address in silence.
func CommonFailures(t *testing.T) {
	t.Run("a port in use: Bind failed with the system's error number, exit 1", func(t *testing.T) {
		taken := Listen(t)
		res := Run(t, "-addr", taken.Addr().String())
		assert.Equal(t, 1, res.Code)
		want := fmt.Sprintf("Socket created\nBind failed. Error Code : %d Message %s\n", AddrInUse, AddrInUse)
		assert.Equal(t, want, res.Stdout)
		assert.Empty(t, res.Stderr)
	})

	for _, addr := range []string{"nope", ":99999", "1.2.3.4.5:80"} {
		t.Run("bad -addr "+addr+": one line on stderr, exit 2", func(t *testing.T) {
			res := Run(t, "-addr", addr)
			assert.Equal(t, 2, res.Code)
			assert.Empty(t, res.Stdout)
			assert.Regexp(t, `^bad -addr: [^\n]+\n$`, res.Stderr)
		})
	}

	for _, arg := range []string{"9000", "localhost:9000"} {
		t.Run("an argument without -addr ("+arg+"): one line on stderr, exit 2", func(t *testing.T) {
			res := Run(t, arg)
			assert.Equal(t, 2, res.Code)
			assert.Empty(t, res.Stdout)
			assert.Equal(t, "unexpected argument \""+arg+"\"; give the address with -addr, as in -addr localhost:8888\n", res.Stderr)
		})
	}
}
