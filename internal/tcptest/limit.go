package tcptest

import (
	"os/exec"
	"runtime"
	"strconv"
	"testing"
)

// LimitOpenFiles lowers the running program's limit on open files, soft
// and hard, to n, with prlimit(1) from util-linux. A program cannot raise
// a hard limit back, so this is how a test gives a server too few file
// descriptors. It skips the test where that is not possible.
func (p *Program) LimitOpenFiles(t testing.TB, n int) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("prlimit is Linux's; elsewhere run the server under `ulimit -n` by hand")
	}
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit is not installed (Debian: apt-get install util-linux)")
	}
	limit := strconv.Itoa(n)
	out, err := exec.Command(prlimit, "--pid", strconv.Itoa(p.cmd.Process.Pid), "--nofile="+limit+":"+limit).CombinedOutput()
	if err != nil {
		t.Fatalf("prlimit: %v\n%s", err, out)
	}
}
