package tcptest

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// LowPort returns an address with a port that only a privileged program may
// bind on this system, 127.0.0.1:1, and skips the test where there is
// none (net.ipv4.ip_unprivileged_port_start set to 0).
func LowPort(t testing.TB) string {
	t.Helper()
	start := 1024 // the kernel's default when the setting cannot be read
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_unprivileged_port_start"); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			start = n
		}
	}
	if start <= 1 {
		t.Skipf("ip_unprivileged_port_start is %d: every user may bind every port here", start)
	}
	return "127.0.0.1:1"
}

// RunUnprivileged runs the program as an ordinary user and waits for it to
// exit. Run as root, the test starts it as user and group 65534 (nobody),
// from a copy of the test binary that nobody may read and run.
func RunUnprivileged(t testing.TB, args ...string) Result {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		return start(t, exec.Command(exe, args...)).Wait(t)
	}
	dir := t.TempDir() // made by the test as TMPDIR/TestName…/001, both private
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for d := filepath.Dir(dir); d != "/"; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm()&0o001 == 0 {
			t.Skipf("user nobody cannot enter %s to run a copy of the test", d)
		}
	}
	copied := filepath.Join(dir, filepath.Base(exe))
	if err := copyFile(copied, exe); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(copied, args...)
	cmd.Dir = dir
	if os.Getenv("GOCOVERDIR") != "" {
		// A test binary built with -cover writes its coverage to GOCOVERDIR
		// as it exits, and says on stderr when it cannot (without it, that
		// it has none). Give it a folder user nobody may write; what it
		// measures there is thrown away.
		coverDir := filepath.Join(dir, "cover")
		if err := os.Mkdir(coverDir, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(coverDir, 0o777); err != nil { // past the umask
			t.Fatal(err)
		}
		cmd.Env = append(os.Environ(), "GOCOVERDIR="+coverDir)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	return start(t, cmd).Wait(t)
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
