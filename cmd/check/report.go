package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The text report: it renders the view (view.go), and decides nothing.

const indent = "           "

// statusWords are the words of each status in a scenario's line. A
// limitation shown, or done better, is a pass: the stage is met.
var statusWords = map[status]string{
	passed: "passed", differs: "differs", limited: "passed", better: "passed",
	outgrown: "outgrown", failed: "FAILED", skipped: "skipped",
}

// header is the report's first line.
func header(cfg *config, cmd *command) string {
	built := ""
	if cmd.built != "" {
		built = fmt.Sprintf(" (built once, with %s)", cmd.built)
	}
	switch {
	case cfg.anyPort && cfg.port == 0:
		return fmt.Sprintf("checking %s%s, with a free port for each run, in PORT (-port 0)", cmd.shown, built)
	case cfg.anyPort:
		return fmt.Sprintf("checking %s%s, with {port} a free port for each run", cmd.shown, built)
	}
	return fmt.Sprintf("checking %s%s, which must listen on port %d (-port)", cmd.shown, built, cfg.port)
}

// printReport writes the view: each stage's scenarios (a stage below the
// one the program behaves like that went well in one line), the stages
// not shown, the differences, the counts, the stages met, and the last
// line.
func printReport(w io.Writer, v view) {
	p := &printer{w: w, verbose: v.cfg.verbose, printed: map[string]bool{}}
	for _, sv := range v.stages {
		if !sv.shown && !(v.cfg.verbose && sv.state == stateNotMet) {
			continue
		}
		if sv.fold != "" {
			fmt.Fprintln(w, sv.fold)
			continue
		}
		if sv.state == stateOutgrown {
			fmt.Fprintf(w, "%s (%s): outgrown, your program does what %s does\n", sv.stage.Folder, sv.stage.Page(), v.behaves.Folder)
		} else {
			fmt.Fprintf(w, "%s (%s)\n", sv.stage.Folder, sv.stage.Page())
		}
		for _, rv := range sv.results {
			p.result(rv)
		}
	}
	if len(v.beyond) > 0 {
		var names []string
		played := false
		for _, st := range v.beyond {
			names = append(names, st.Folder)
			played = played || v.stage(st.Folder).state == stateNotMet
		}
		// Played side by side with the stages before (a port for each
		// run), or not played at all (a fixed port): either way not shown.
		line := fmt.Sprintf("%s: not tried, %s", strings.Join(names, ", "), v.beyondW)
		if played {
			line = fmt.Sprintf("%s: not met, %s (-v shows what their scenarios saw)", strings.Join(names, ", "), v.beyondW)
		}
		fmt.Fprintln(w, line)
	}
	if len(v.diffs) > 0 {
		fmt.Fprintln(w, "differences to fix, in the text (what your program does is right):")
		for _, d := range v.diffs {
			fmt.Fprintf(w, "  %s\n", d.words())
			if h := d.hint(v.lang); h != "" {
				fmt.Fprintf(w, "    hint: %s\n", h)
			}
		}
	}
	fmt.Fprintln(w, v.summary())
	if len(v.cfg.only) == 0 {
		fmt.Fprintf(w, "stages met: %s\n", v.metList())
	}
	fmt.Fprintln(w, v.last)
}

type printer struct {
	w       io.Writer
	verbose bool
	printed map[string]bool // what the program printed, as shown so far
}

// sameWords names a failure told above: its cause, and its evidence.
func (rv resultView) sameWords() string {
	what := string(rv.cause)
	if rv.evidence != nil {
		what += ", " + rv.evidence.words()
	}
	return what
}

// result writes a scenario's line, and for a failure what the learner
// needs to see why.
func (p *printer) result(rv resultView) {
	line := fmt.Sprintf("  %-8s %s", statusWords[rv.status], rv.Name)
	if rv.status == failed && rv.same {
		fmt.Fprintf(p.w, "%s (the same cause as above: %s)\n", line, rv.sameWords())
		return
	}
	switch rv.status {
	case passed:
		if rv.note != "" {
			line += "; note: " + rv.note
		}
	case differs:
		line += " (its text differs: see below)"
	case limited:
		line += fmt.Sprintf(" (the stage's limitation; %s fixes it)", rv.FixedBy)
	case better:
		line += fmt.Sprintf(" (this stage's limitation; yours does better, as %s: %s)", rv.FixedBy, rv.note)
	case outgrown:
		line += " (" + rv.note + ")"
	case skipped:
		line += ": " + rv.note
	}
	fmt.Fprintln(p.w, line)
	switch {
	case rv.status == failed:
		p.failure(rv)
	case p.verbose && rv.status != skipped:
		// -v shows what every scenario did, not only a failed one's.
		for _, l := range rv.log {
			fmt.Fprintf(p.w, "%s  > %s\n", indent, l)
		}
		p.output(rv)
	}
}

// failure writes what a failed scenario saw.
func (p *printer) failure(rv resultView) {
	fmt.Fprintf(p.w, "%s%s\n", indent, rv.note)
	if rv.short {
		if rv.hint != "" {
			fmt.Fprintf(p.w, "%shint: %s\n", indent, rv.hint)
		}
		return
	}
	log := rv.log
	if len(log) > 9 && !p.verbose { // a line saying one is hidden would be as long as it
		fmt.Fprintf(p.w, "%s  > ... %d client actions before these (-v shows them)\n", indent, len(log)-8)
		log = log[len(log)-8:]
	}
	for _, l := range log {
		fmt.Fprintf(p.w, "%s  > %s\n", indent, l)
	}
	if rv.hint != "" {
		fmt.Fprintf(p.w, "%shint: %s\n", indent, rv.hint)
	}
	p.output(rv)
	fmt.Fprintf(p.w, "%sread %s\n", indent, rv.stage.Page())
}

// output writes what the program printed, once: the same lines again are
// only named.
func (p *printer) output(rv resultView) {
	printed := strings.Join(rv.printed, "\n")
	switch {
	case len(rv.printed) == 0:
		fmt.Fprintf(p.w, "%syour program printed nothing\n", indent)
		return
	case p.printed[printed]:
		fmt.Fprintf(p.w, "%syour program printed the same as above\n", indent)
		return
	}
	p.printed[printed] = true
	what := "your program printed:"
	gap := false
	for _, l := range rv.printed {
		gap = gap || gapRE.MatchString(l)
	}
	switch {
	case gap:
		what = "your program printed (its first lines, and its last; -v shows them all):"
	case rv.more > 0 && rv.lost:
		what = fmt.Sprintf("your program printed %d lines; the last %d (the checker keeps the first and the last 256 KiB):", len(rv.printed)+rv.more, len(rv.printed))
	case rv.more > 0:
		what = fmt.Sprintf("your program printed (its last %d lines; -v shows them all):", len(rv.printed))
	}
	fmt.Fprintf(p.w, "%s%s\n", indent, what)
	// The same line again and again (a loop that prints on every turn) is
	// shown once, with how many times; a run of a stack trace's frames in
	// the language's own code is one line too: the learner's frames say
	// where.
	for i := 0; i < len(rv.printed); {
		j := i + 1
		if runtimeFrame.MatchString(rv.printed[i]) {
			for j < len(rv.printed) && runtimeFrame.MatchString(rv.printed[j]) {
				j++
			}
			if j-i > 1 {
				fmt.Fprintf(p.w, "%s  |     ... %d lines of the runtime's own frames\n", indent, j-i)
				i = j
				continue
			}
		}
		if carets.MatchString(rv.printed[i]) {
			i++ // Python's ^^^ under the failing code: the line above says it
			continue
		}
		for j < len(rv.printed) && rv.printed[j] == rv.printed[i] {
			j++
		}
		fmt.Fprintf(p.w, "%s  | %s\n", indent, visible(rv.printed[i]))
		if j-i > 1 {
			fmt.Fprintf(p.w, "%s  | ... the same line %d more times\n", indent, j-i-1)
		}
		i = j
	}
}

// visible shows a line the program printed as text a terminal shows as it
// is: control bytes (a client's \x00 the program printed, an escape
// sequence) and bytes that are not UTF-8 are written \xNN; tabs stay.
func visible(l string) string {
	var b strings.Builder
	for i := 0; i < len(l); {
		r, size := utf8.DecodeRuneInString(l[i:])
		switch {
		case r == utf8.RuneError && size == 1, r < 0x20 && r != '\t', r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, l[i])
		default:
			b.WriteString(l[i : i+size])
		}
		i += size
	}
	return b.String()
}

// runtimeFrame matches a line of a stack trace in the language's own
// code: Java's java.base, Node.js's node: modules, Rust's std and core.
var runtimeFrame = regexp.MustCompile(`^\s+at (java\.base/|java\.|javax\.|sun\.|jdk\.)|^\s+at (.*\()?node:|^\s+\d+: (std|core|alloc)::|^\s+at /rustc/`)

// gapRE is the line that stands for those not shown (gapLine).
var gapRE = regexp.MustCompile(`^\.\.\. \d+ lines? more \.\.\.$`)

// carets is a line of Python's marks under the code that failed.
var carets = regexp.MustCompile(`^\s*[\^~]+\s*$`)

// printStartup writes why the check cannot run: one short block.
func printStartup(w io.Writer, e *startupError) {
	fmt.Fprintf(w, "check: %s\n", e.msg)
	for _, l := range e.lines {
		fmt.Fprintf(w, "  | %s\n", visible(l))
	}
	if e.hint != "" {
		fmt.Fprintf(w, "hint: %s\n", e.hint)
	}
}
