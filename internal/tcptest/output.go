package tcptest

import (
	"testing"

	"socketcourse/internal/wire"
)

// Output collects what a server prints (see wire.Output). It is safe for
// concurrent use, so a server's goroutines may write to it while a test
// reads it, and a test can wait for a line to appear instead of sleeping.
type Output struct{ wire.Output }

// WaitFor waits until a complete line starting with prefix has been written
// and returns that line (the first such line). It fails the test after
// Timeout.
func (o *Output) WaitFor(t testing.TB, prefix string) string {
	t.Helper()
	line, ok := o.Wait(prefix, Timeout)
	if !ok {
		t.Fatalf("no line starting with %q within %v; output so far:\n%s", prefix, Timeout, o.String())
	}
	return line
}

// Await returns a channel that is closed once a complete line starting
// with prefix has been written, for goroutines other than the test's,
// which must not fail the test themselves. It is never closed if no such
// line comes within Timeout.
func (o *Output) Await(prefix string) <-chan struct{} {
	seen := make(chan struct{})
	go func() {
		if _, ok := o.Wait(prefix, Timeout); ok {
			close(seen)
		}
	}()
	return seen
}
