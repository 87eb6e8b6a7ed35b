package tcptest

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// Output collects what a server prints. It is safe for concurrent use, so a
// server's goroutines may write to it while a test reads it, and a test can
// wait for a line to appear instead of sleeping.
type Output struct {
	mu      sync.Mutex
	text    strings.Builder
	changed chan struct{} // closed and replaced on every write
}

// Write appends p and wakes every WaitFor.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.text.Write(p)
	if o.changed != nil {
		close(o.changed)
		o.changed = nil
	}
	return len(p), nil
}

// String returns everything written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.text.String()
}

// Lines returns the complete lines written so far, without their newlines.
func (o *Output) Lines() []string {
	s := o.String()
	s = s[:strings.LastIndex(s, "\n")+1]
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// WaitFor waits until a complete line starting with prefix has been written
// and returns that line (the first such line). It fails the test after
// Timeout.
func (o *Output) WaitFor(t testing.TB, prefix string) string {
	t.Helper()
	line, ok := o.wait(prefix)
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
		if _, ok := o.wait(prefix); ok {
			close(seen)
		}
	}()
	return seen
}

// wait waits at most Timeout for a complete line starting with prefix.
func (o *Output) wait(prefix string) (string, bool) {
	deadline := time.NewTimer(Timeout)
	defer deadline.Stop()
	for {
		o.mu.Lock()
		for _, line := range strings.SplitAfter(o.text.String(), "\n") {
			if strings.HasPrefix(line, prefix) && strings.HasSuffix(line, "\n") {
				o.mu.Unlock()
				return strings.TrimSuffix(line, "\n"), true
			}
		}
		if o.changed == nil {
			o.changed = make(chan struct{})
		}
		changed := o.changed
		o.mu.Unlock()

		select {
		case <-changed:
		case <-deadline.C:
			return "", false
		}
	}
}
