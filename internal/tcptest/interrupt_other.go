//go:build !windows

package tcptest

import (
	"os"
	"os/exec"
	"testing"
)

// newProcessGroup does nothing outside Windows: a signal goes to one
// process there.
func newProcessGroup(*exec.Cmd) {}

// interrupt sends os.Interrupt (SIGINT), what Ctrl-C in a terminal sends.
func interrupt(_ testing.TB, p *os.Process) error {
	return p.Signal(os.Interrupt)
}
