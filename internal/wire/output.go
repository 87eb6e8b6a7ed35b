package wire

import (
	"strings"
	"sync"
	"time"
)

// Output collects what a server prints. It is safe for concurrent use, so a
// server may write to it while a client reads it, and a client can wait for
// a line to appear instead of sleeping.
type Output struct {
	mu      sync.Mutex
	text    strings.Builder
	changed chan struct{} // closed and replaced on every write
}

// Write appends p and wakes every Wait.
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

// Lines returns the complete lines written so far, without their line
// ends ("\n" or "\r\n").
func (o *Output) Lines() []string {
	s := o.String()
	s = s[:strings.LastIndex(s, "\n")+1]
	if s == "" {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// Wait waits at most within for a complete line starting with prefix and
// returns the first such line.
func (o *Output) Wait(prefix string, within time.Duration) (string, bool) {
	line, _, ok := o.WaitLine(0, within, nil, func(l string) bool { return strings.HasPrefix(l, prefix) })
	return line, ok
}

// WaitLine waits at most within, or until stop is closed, for a complete
// line, from line number from on, for which match is true. It returns the
// line (without its line end), its number, and whether it came.
func (o *Output) WaitLine(from int, within time.Duration, stop <-chan struct{}, match func(string) bool) (string, int, bool) {
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		o.mu.Lock()
		if o.changed == nil {
			o.changed = make(chan struct{})
		}
		changed := o.changed
		o.mu.Unlock()
		// Look only after taking changed: a write in between closes it.
		lines := o.Lines()
		for i := from; i < len(lines); i++ {
			if match(lines[i]) {
				return lines[i], i, true
			}
		}
		select {
		case <-changed:
		case <-stop:
			// One last look: the program may have printed and exited.
			lines := o.Lines()
			for i := from; i < len(lines); i++ {
				if match(lines[i]) {
					return lines[i], i, true
				}
			}
			return "", -1, false
		case <-deadline.C:
			return "", -1, false
		}
	}
}
