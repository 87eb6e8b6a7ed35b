package main

import (
	"fmt"
	"io"
	"strings"
)

// The report: one printer, which reads results and the verdict.

const indent = "           "

// statusWords are the words of each status in a scenario's line. A
// limitation shown, or done better, is a pass: the stage is met.
var statusWords = map[status]string{
	passed: "passed", differs: "differs", limited: "passed", better: "passed",
	outgrown: "outgrown", failed: "FAILED", skipped: "skipped",
}

// featureWords say what a program does not do yet, for the stages the
// report does not try.
var featureWords = map[string]string{
	featListens:    "listen: no client could connect",
	featAccepts:    "accept its clients",
	featReplies:    "answer a client",
	featLoops:      "serve a second client",
	featConcurrent: "serve two clients at the same time",
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

// printReport writes the results, the differences, and the verdict. In
// a run of every stage, a stage below the one the program behaves like
// that went well is one line, and the next stage's failures are short:
// the report is about the stage the learner is on.
func printReport(w io.Writer, cfg *config, results []result, v verdict) {
	p := &printer{w: w, verbose: cfg.verbose, causes: map[cause]bool{}, printed: map[string]bool{}}
	var notTried []string
	for i, r := range results {
		first := i == 0 || results[i-1].stage != r.stage
		switch {
		case r.notRun:
			if first {
				notTried = append(notTried, r.stage)
			}
			continue
		case first && p.folded(r.stage, results, v, cfg):
			p.fold = r.stage
		case first:
			p.fold = ""
			p.stageLine(r.stage, results, v)
		}
		if p.fold == r.stage {
			continue
		}
		p.short = cfg.stage == "" && len(cfg.only) == 0 && v.behaves != "" && stageIndex(r.stage) > stageIndex(v.behaves) && !cfg.verbose
		p.result(r)
	}
	if len(notTried) > 0 {
		why := featureWords[defining[stages[v.shown]]]
		fmt.Fprintf(w, "%s: not tried, since your program does not %s yet\n", strings.Join(notTried, ", "), why)
	}
	if len(v.diffs) > 0 {
		fmt.Fprintln(w, "differences to fix, in the text (what your program does is right):")
		var l lang
		if len(results) > 0 {
			l = results[0].lang
		}
		for _, d := range v.diffs {
			fmt.Fprintf(w, "  %s\n", d.words())
			if h := d.hint(l); h != "" {
				fmt.Fprintf(w, "    hint: %s\n", h)
			}
		}
	}
	fmt.Fprintln(w, v.summary())
	if len(cfg.only) > 0 {
		fmt.Fprintln(w, v.last)
		return
	}
	var met []string
	for _, st := range stages {
		if v.met[st] {
			met = append(met, st)
		}
	}
	if len(met) == 0 {
		met = []string{"none"}
	}
	fmt.Fprintf(w, "stages met: %s\n", strings.Join(met, ", "))
	fmt.Fprintln(w, v.last)
}

type printer struct {
	w       io.Writer
	verbose bool
	fold    string          // the stage being folded into one line
	short   bool            // failures in a word: the next stage's
	causes  map[cause]bool  // the causes shown in full so far
	printed map[string]bool // what the program printed, as shown so far
}

// folded writes a stage below the one the program behaves like, in a run
// of every stage, as one line, if none of its scenarios failed or
// differs; it reports whether it did.
func (p *printer) folded(stage string, results []result, v verdict, cfg *config) bool {
	if cfg.stage != "" || len(cfg.only) > 0 || cfg.verbose || v.behaves == "" || stageIndex(stage) >= stageIndex(v.behaves) {
		return false
	}
	n, grown := 0, 0
	for _, r := range results {
		if r.stage != stage {
			continue
		}
		if r.status == failed || r.status == differs {
			return false
		}
		n++
		if r.status == outgrown {
			grown++
		}
	}
	scenarios := fmt.Sprintf("%d scenarios", n)
	if n == 1 {
		scenarios = "1 scenario"
	}
	switch {
	case grown > 0:
		fmt.Fprintf(p.w, "%s (docs/%s.md): outgrown, your program does what %s does (%s; -v shows them)\n", stage, stage, v.behaves, scenarios)
	case v.met[stage]:
		fmt.Fprintf(p.w, "%s (docs/%s.md): met (%s passed; -v shows them)\n", stage, stage, scenarios)
	default:
		// Its scenarios passed, but an earlier stage's text, which its
		// program prints too, differs (the Bind failed line, say).
		fmt.Fprintf(p.w, "%s (docs/%s.md): %s passed; not met until the differences below are fixed\n", stage, stage, scenarios)
	}
	return true
}

// stageLine opens a stage's results; a stage the program has outgrown
// says so.
func (p *printer) stageLine(stage string, results []result, v verdict) {
	grown := false
	for _, r := range results {
		grown = grown || r.stage == stage && r.status == outgrown
	}
	if grown && v.behaves != "" && stageIndex(v.behaves) > stageIndex(stage) {
		fmt.Fprintf(p.w, "%s (docs/%s.md): outgrown, your program does what %s does\n", stage, stage, v.behaves)
		return
	}
	fmt.Fprintf(p.w, "%s (docs/%s.md)\n", stage, stage)
}

// result writes a scenario's line, and for a failure what the learner
// needs to see why.
func (p *printer) result(r result) {
	line := fmt.Sprintf("  %-8s %s", statusWords[r.status], r.name)
	if r.status == failed && p.causes[r.cause] && !p.verbose {
		fmt.Fprintf(p.w, "%s (the same cause as above: %s)\n", line, r.cause)
		return
	}
	switch r.status {
	case passed:
		if r.note != "" {
			line += "; note: " + r.note
		}
	case differs:
		line += " (its text differs: see below)"
	case limited:
		line += fmt.Sprintf(" (the stage's limitation; %s fixes it)", r.fixedBy)
	case better:
		line += fmt.Sprintf(" (this stage's limitation; yours does better, as %s: %s)", r.fixedBy, r.note)
	case outgrown:
		line += " (" + r.note + ")"
	case skipped:
		line += ": " + r.note
	}
	fmt.Fprintln(p.w, line)
	switch {
	case r.status == failed:
		p.failure(r)
	case p.verbose && r.status != skipped:
		// -v shows what every scenario did, not only a failed one's.
		for _, l := range r.log {
			fmt.Fprintf(p.w, "%s  > %s\n", indent, l)
		}
		p.output(r)
	}
}

// failure writes what a failed scenario saw. A cause already shown is
// named, not explained again.
func (p *printer) failure(r result) {
	fmt.Fprintf(p.w, "%s%s\n", indent, r.note)
	if p.short {
		if h := hintOf(r); h != "" && !p.causes[r.cause] {
			fmt.Fprintf(p.w, "%shint: %s\n", indent, h)
		}
		p.causes[r.cause] = true
		return
	}
	p.causes[r.cause] = true
	log := r.log
	if len(log) > 8 && !p.verbose {
		fmt.Fprintf(p.w, "%s  > ... %d client actions before these (-v shows them)\n", indent, len(log)-8)
		log = log[len(log)-8:]
	}
	for _, l := range log {
		fmt.Fprintf(p.w, "%s  > %s\n", indent, l)
	}
	if h := hintOf(r); h != "" {
		fmt.Fprintf(p.w, "%shint: %s\n", indent, h)
	}
	p.output(r)
	fmt.Fprintf(p.w, "%sread docs/%s.md\n", indent, r.stage)
}

// output writes what the program printed, once: the same lines again are
// only named.
func (p *printer) output(r result) {
	printed := strings.Join(r.printed, "\n")
	switch {
	case len(r.printed) == 0:
		fmt.Fprintf(p.w, "%syour program printed nothing\n", indent)
		return
	case p.printed[printed]:
		fmt.Fprintf(p.w, "%syour program printed the same as above\n", indent)
		return
	}
	p.printed[printed] = true
	what := "your program printed:"
	switch {
	case r.more > 0 && r.lost:
		what = fmt.Sprintf("your program printed %d lines; the last %d (the checker keeps the first and the last 256 KiB):", len(r.printed)+r.more, len(r.printed))
	case r.more > 0:
		what = fmt.Sprintf("your program printed (its last %d lines; -v shows them all):", len(r.printed))
	}
	fmt.Fprintf(p.w, "%s%s\n", indent, what)
	// The same line again and again (a loop that prints on every turn) is
	// shown once, with how many times.
	for i := 0; i < len(r.printed); {
		j := i + 1
		for j < len(r.printed) && r.printed[j] == r.printed[i] {
			j++
		}
		fmt.Fprintf(p.w, "%s  | %s\n", indent, r.printed[i])
		if j-i > 1 {
			fmt.Fprintf(p.w, "%s  | ... the same line %d more times\n", indent, j-i-1)
		}
		i = j
	}
}

// printStartup writes why the check cannot run: one short block.
func printStartup(w io.Writer, e *startupError) {
	fmt.Fprintf(w, "check: %s\n", e.msg)
	for _, l := range e.lines {
		fmt.Fprintf(w, "  | %s\n", l)
	}
	if e.hint != "" {
		fmt.Fprintf(w, "hint: %s\n", e.hint)
	}
}
