package main

import (
	"io"
	"os"
	"regexp"
	"strings"
)

// palette colours text for a terminal, or not at all: colour only on a
// terminal, never into a pipe or a file, and never with NO_COLOR set
// (no-color.org).
type palette struct{ on bool }

// colours returns the palette for w, a terminal or not, with the
// environment env.
func colours(w io.Writer, env []string) palette {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && v != "" {
			return palette{}
		}
	}
	return palette{on: isTerminal(w) && enableEscapes(w.(*os.File))}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (p palette) paint(code, s string) string {
	if !p.on {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p palette) good(s string) string { return p.paint("32", s) }
func (p palette) bad(s string) string  { return p.paint("31", s) }
func (p palette) dim(s string) string  { return p.paint("2", s) }
func (p palette) bold(s string) string { return p.paint("1", s) }

var escapes = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// strip returns s without its colour codes.
func (palette) strip(s string) string { return escapes.ReplaceAllString(s, "") }

// clearScreen is what clears a terminal and puts the cursor at its top.
const clearScreen = "\x1b[H\x1b[2J"
