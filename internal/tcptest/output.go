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
	deadline := time.NewTimer(Timeout)
	defer deadline.Stop()
	for {
		o.mu.Lock()
		for _, line := range strings.SplitAfter(o.text.String(), "\n") {
			if strings.HasPrefix(line, prefix) && strings.HasSuffix(line, "\n") {
				o.mu.Unlock()
				return strings.TrimSuffix(line, "\n")
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
			t.Fatalf("no line starting with %q within %v; output so far:\n%s", prefix, Timeout, o.String())
		}
	}
}
