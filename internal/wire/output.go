package wire

import (
	"io"
	"strings"
	"sync"
	"time"
)

// Output collects what a server prints. It is safe for concurrent use, so a
// server may write to it while a client reads it, and a client can wait for
// a line to appear instead of sleeping.
//
// Lines are numbered from 0 in the order they were printed. With Max set,
// it keeps only about the last Max bytes of complete lines (a program that
// floods its output costs that much memory, no more); the numbers of the
// lines it keeps do not change.
type Output struct {
	Max  int // the bytes of complete lines to keep; 0 keeps everything
	Head int // with Max: how many of the first lines to keep as well, whatever follows

	mu      sync.Mutex
	head    []string      // the first Head lines printed
	lines   []string      // the complete lines kept, as printed, without their "\n"
	first   int           // the number of lines[0]: how many lines were dropped
	size    int           // the bytes in lines
	partial []byte        // the line being printed, not yet ended by "\n"
	streams []*stream     // writers with a line of their own being printed
	changed chan struct{} // closed and replaced on every write
}

// Write appends p and wakes every Wait.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.write(&o.partial, p)
	return len(p), nil
}

// Stream returns a writer into o with a line of its own being printed:
// what two streams print (a program's stdout and stderr) is kept line by
// line, never one stream's line cut by the other's. A Stream is not safe
// for concurrent use; o is.
func (o *Output) Stream() io.Writer {
	o.mu.Lock()
	defer o.mu.Unlock()
	st := &stream{o: o}
	o.streams = append(o.streams, st)
	return st
}

type stream struct {
	o       *Output
	partial []byte // guarded by o.mu
}

func (st *stream) Write(p []byte) (int, error) {
	st.o.mu.Lock()
	defer st.o.mu.Unlock()
	st.o.write(&st.partial, p)
	return len(p), nil
}

// write appends p, whose line so far is *partial, and wakes every Wait.
// o.mu is held.
func (o *Output) write(partial *[]byte, p []byte) {
	rest := p
	for {
		i := strings.IndexByte(string(rest), '\n')
		if i < 0 {
			break
		}
		*partial = append(*partial, rest[:i]...)
		line := string(*partial)
		*partial = (*partial)[:0]
		if len(o.head) < o.Head {
			o.head = append(o.head, line)
		}
		o.lines = append(o.lines, line)
		o.size += len(line) + 1
		rest = rest[i+1:]
	}
	*partial = append(*partial, rest...)
	if o.Max > 0 {
		for o.size > o.Max && len(o.lines) > 1 {
			o.size -= len(o.lines[0]) + 1
			o.lines = o.lines[1:]
			o.first++
		}
		if len(*partial) > o.Max {
			*partial = append((*partial)[:0], (*partial)[len(*partial)-o.Max:]...)
		}
	}
	if o.changed != nil {
		close(o.changed)
		o.changed = nil
	}
}

// String returns what it keeps, as it was printed: every line, then the
// lines being printed.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var b strings.Builder
	for _, l := range o.lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString(o.partials())
	return b.String()
}

// partials returns the lines being printed, one per stream, joined by
// "\n". o.mu is held.
func (o *Output) partials() string {
	parts := []string{}
	if len(o.partial) > 0 {
		parts = append(parts, string(o.partial))
	}
	for _, st := range o.streams {
		if len(st.partial) > 0 {
			parts = append(parts, string(st.partial))
		}
	}
	return strings.Join(parts, "\n")
}

// Lines returns the complete lines it keeps, without their line ends ("\n"
// or "\r\n").
func (o *Output) Lines() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return withoutCR(o.lines)
}

// withoutCR returns a copy of lines without the "\r" of a "\r\n".
func withoutCR(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimSuffix(l, "\r")
	}
	return out
}

// HeadLines returns the first Head complete lines printed, kept whatever
// followed them, without their line ends.
func (o *Output) HeadLines() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return withoutCR(o.head)
}

// Count returns the number of complete lines printed so far, kept or not:
// the number the next line will have.
func (o *Output) Count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.first + len(o.lines)
}

// Dropped returns how many lines were printed before the first it keeps.
func (o *Output) Dropped() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.first
}

// Partial returns the line being printed, not yet ended by "\n" (the
// lines, one per stream, joined by "\n").
func (o *Output) Partial() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.TrimSuffix(o.partials(), "\r")
}

// Wait waits at most within for a complete line starting with prefix and
// returns the first such line.
func (o *Output) Wait(prefix string, within time.Duration) (string, bool) {
	line, _, ok := o.WaitLine(0, within, nil, func(l string) bool { return strings.HasPrefix(l, prefix) })
	return line, ok
}

// find returns the first line kept, numbered from on, for which match is
// true, and a channel closed at the next write; when none is, it returns
// the number of the line after the last it looked at, to look from next.
func (o *Output) find(from int, match func(string) bool) (string, int, bool, <-chan struct{}) {
	o.mu.Lock()
	if o.changed == nil {
		o.changed = make(chan struct{})
	}
	changed := o.changed
	lines, first := o.lines, o.first
	o.mu.Unlock()
	// lines only grows at its end while unlocked (Write appends, and drops
	// from the front by reslicing), so reading this copy of the header is safe.
	for i := max(from-first, 0); i < len(lines); i++ {
		if l := strings.TrimSuffix(lines[i], "\r"); match(l) {
			return l, first + i, true, changed
		}
	}
	return "", max(from, first+len(lines)), false, changed
}

// WaitLine waits at most within, or until stop is closed, for a complete
// line, from line number from on, for which match is true. It returns the
// line (without its line end), its number, and whether it came.
func (o *Output) WaitLine(from int, within time.Duration, stop <-chan struct{}, match func(string) bool) (string, int, bool) {
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		line, n, ok, changed := o.find(from, match)
		if ok {
			return line, n, true
		}
		from = n // each line is looked at once, however much is printed
		select {
		case <-deadline.C:
			return "", -1, false
		default:
		}
		select {
		case <-changed:
		case <-stop:
			// One last look: the program may have printed and exited.
			line, n, ok, _ := o.find(from, match)
			if !ok {
				n = -1
			}
			return line, n, ok
		case <-deadline.C:
			return "", -1, false
		}
	}
}
