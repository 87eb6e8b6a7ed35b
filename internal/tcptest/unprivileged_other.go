//go:build !linux

package tcptest

import "testing"

// LowPort skips the test: only Linux is known here to keep low ports for
// privileged programs. macOS lets every user bind them since 10.14, and
// Windows has no such rule.
func LowPort(t testing.TB) string {
	t.Helper()
	t.Skip("only Linux reserves ports below 1024 for privileged programs")
	return ""
}

// RunUnprivileged is not reached: LowPort skips first.
func RunUnprivileged(t testing.TB, args ...string) Result {
	t.Helper()
	t.Skip("only Linux reserves ports below 1024 for privileged programs")
	return Result{}
}
