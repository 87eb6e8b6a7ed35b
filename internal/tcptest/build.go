package tcptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Stage builds the program of a stage folder of this repository
// ("06-goroutines") with `go build` and starts it with args. Tests of the
// tools that talk to the stages (cmd/client, cmd/loadsim) use it to run
// them against the real servers.
func Stage(t testing.TB, folder string, args ...string) *Program {
	t.Helper()
	exe := filepath.Join(t.TempDir(), folder)
	if filepath.Separator == '\\' {
		exe += ".exe"
	}
	cmd := exec.Command(goTool(), "build", "-o", exe, "./"+folder)
	cmd.Dir = moduleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./%s: %v\n%s", folder, err, out)
	}
	return start(t, exec.Command(exe, args...))
}

// moduleRoot returns the folder that holds go.mod, above the test's folder.
func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// goTool returns the go command that runs the tests, or "go" from PATH.
func goTool() string {
	if goroot := os.Getenv("GOROOT"); goroot != "" {
		if p := filepath.Join(goroot, "bin", "go"); fileExists(p) || fileExists(p+".exe") {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
