package wire

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestOutput(t *testing.T) {
	t.Run("keeps the bytes as printed, and reads lines without their ends", func(t *testing.T) {
		var o Output
		fmt.Fprint(&o, "one\r\ntw")
		fmt.Fprint(&o, "o\nthree")
		assert.Equal(t, "one\r\ntwo\nthree", o.String())
		assert.Equal(t, []string{"one", "two"}, o.Lines())
		assert.Equal(t, "three", o.Partial())
		assert.Equal(t, 2, o.Count())
	})

	t.Run("with Max, keeps the last lines and their numbers", func(t *testing.T) {
		o := Output{Max: 20}
		for i := 0; i < 10; i++ {
			fmt.Fprintf(&o, "line %d\n", i) // 7 bytes each
		}
		assert.Equal(t, []string{"line 8", "line 9"}, o.Lines())
		assert.Equal(t, 10, o.Count())
		assert.Equal(t, 8, o.Dropped())
		line, n, ok := o.WaitLine(0, 0, nil, func(l string) bool { return strings.HasPrefix(l, "line") })
		assert.True(t, ok)
		assert.Equal(t, "line 8", line)
		assert.Equal(t, 8, n, "a line keeps its number when earlier ones are dropped")
		_, _, ok = o.WaitLine(10, 0, nil, func(string) bool { return true })
		assert.False(t, ok, "no line from number 10 on yet")
	})

	t.Run("with Head, keeps the first lines too", func(t *testing.T) {
		o := Output{Max: 20, Head: 2}
		for i := 0; i < 10; i++ {
			fmt.Fprintf(&o, "line %d\n", i)
		}
		assert.Equal(t, []string{"line 0", "line 1"}, o.HeadLines())
		assert.Equal(t, []string{"line 8", "line 9"}, o.Lines())
	})

	t.Run("WaitLine looks at each line once, however many are printed while it waits", func(t *testing.T) {
		var o Output
		looked := make(chan string, 30000) // room for every look if each wake looked from the start
		done := make(chan struct{})
		go func() {
			defer close(done)
			o.WaitLine(0, 5*time.Second, nil, func(l string) bool { looked <- l; return l == "the end" })
		}()
		// A line at a time, each written once WaitLine has looked at the
		// one before: every write wakes it.
		for i := 0; i < 200; i++ {
			fmt.Fprintf(&o, "line %d\n", i)
			<-looked
		}
		fmt.Fprintln(&o, "the end")
		<-done
		assert.Equal(t, "the end", <-looked)
		assert.Empty(t, looked, "lines looked at again")
	})

	t.Run("with Max, a line that never ends is cut to its last Max bytes", func(t *testing.T) {
		o := Output{Max: 8}
		fmt.Fprint(&o, strings.Repeat("x", 100)+"end")
		assert.Equal(t, "xxxxxend", o.Partial())
	})

	t.Run("two streams: a line of one is never cut by the other's", func(t *testing.T) {
		var o Output
		stdout, stderr := o.Stream(), o.Stream()
		fmt.Fprint(stdout, "Connected with 127.0.0.1:1")
		fmt.Fprint(stderr, "Traceback (most recent call last):\n")
		fmt.Fprint(stdout, "\n")
		fmt.Fprint(stderr, "Error")
		assert.Equal(t, []string{"Traceback (most recent call last):", "Connected with 127.0.0.1:1"}, o.Lines())
		assert.Equal(t, "Error", o.Partial())
	})

	t.Run("WaitLine wakes on a write from another goroutine", func(t *testing.T) {
		var o Output
		go fmt.Fprint(&o, "ready\n")
		line, n, ok := o.WaitLine(0, 10*time.Second, nil, func(l string) bool { return l == "ready" })
		assert.True(t, ok)
		assert.Equal(t, "ready", line)
		assert.Equal(t, 0, n)
	})

	t.Run("WaitLine gives up when stop is closed", func(t *testing.T) {
		var o Output
		stop := make(chan struct{})
		close(stop)
		_, _, ok := o.WaitLine(0, 10*time.Second, stop, func(string) bool { return true })
		assert.False(t, ok)
	})
}
