package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
)

// The JSON document: -json prints one on stdout, in every mode, instead
// of the text. It renders the same view as the text (view.go). Every key
// is always there (null, "" or [] when it has no value), so that a script
// can read it without asking first. Its shape is pinned by TestJSONShape
// and shown on docs/check.md; a change to it is a new format number.

const jsonFormat = 2

type jsonDoc struct {
	Format int         `json:"format"`
	Mode   string      `json:"mode"`   // check, ladder or each
	Error  *jsonError  `json:"error"`  // the checker could not do what was asked
	Check  *jsonCheck  `json:"check"`  // mode check
	Ladder *jsonLadder `json:"ladder"` // mode ladder
	Class  *jsonClass  `json:"class"`  // mode each
	Exit   int         `json:"exit"`
}

type jsonError struct {
	Cause   string   `json:"cause"`
	Message string   `json:"message"`
	Lines   []string `json:"lines"` // what the build or the program said
	Hint    string   `json:"hint"`
}

type jsonCheck struct {
	Command     string       `json:"command"`
	Built       string       `json:"built"` // the go build made of a go run command
	Port        int          `json:"port"`  // the fixed port; 0 with {port}
	Stage       string       `json:"stage"` // -stage; "" for every stage
	Exercise    string       `json:"exercise"`
	Error       *jsonError   `json:"error"` // why the program could not be checked at all
	Interrupted bool         `json:"interrupted"`
	Stages      []jsonStage  `json:"stages"`
	Differences []jsonDiff   `json:"differences"`
	Verdict     *jsonVerdict `json:"verdict"`
	TookMS      int64        `json:"took_ms"`
}

type jsonStage struct {
	Stage     string         `json:"stage"`
	Page      string         `json:"page"`
	State     string         `json:"state"` // met, outgrown, not-met, not-tried
	Why       string         `json:"why"`   // not met, not tried: why
	Met       bool           `json:"met"`
	Scenarios []jsonScenario `json:"scenarios"`
}

type jsonScenario struct {
	Slug          string     `json:"slug"`
	Name          string     `json:"name"`
	Status        string     `json:"status"` // passed, differs, limitation, better, outgrown, failed, skipped; not-run when not played
	Shown         bool       `json:"shown"`  // counted and shown in the report: not in a stage past the program's reach
	Cause         string     `json:"cause"`
	Hint          string     `json:"hint"`
	Note          string     `json:"note"`
	FixedBy       string     `json:"fixed_by"`
	Evidence      *jsonEvent `json:"evidence"` // what the program or its runtime said of a failure
	Clients       []string   `json:"clients"`
	Printed       []string   `json:"printed"`
	PrintedBefore int        `json:"printed_before"`
	Ending        string     `json:"ending"`
	TookMS        int64      `json:"took_ms"`
}

type jsonEvent struct {
	Kind     string `json:"kind"`     // crash, thread, printed, words
	Language string `json:"language"` // python2, python3, go, node, java, rust, c, or ""
	Name     string `json:"name"`     // the error's kind: UnicodeDecodeError, java.net.BindException, EADDRINUSE, panic
	Message  string `json:"message"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Thread   string `json:"thread"`
}

type jsonDiff struct {
	Kind  string `json:"kind"`
	What  string `json:"what"`
	Want  string `json:"want"`
	Got   string `json:"got"`
	At    int    `json:"at"`
	Stage string `json:"stage"`
	Words string `json:"words"`
}

type jsonVerdict struct {
	BehavesLike string   `json:"behaves_like"`
	Language    string   `json:"language"`
	Met         []string `json:"met"`
	Passed      int      `json:"passed"`
	Differs     int      `json:"differs"`
	Failed      int      `json:"failed"`
	Skipped     int      `json:"skipped"`
	Total       int      `json:"total"`
	Summary     string   `json:"summary"`
	Last        string   `json:"last"`
	Exit        int      `json:"exit"`
}

type jsonLadder struct {
	Folder   string     `json:"folder"`
	Met      int        `json:"met"`
	Highest  string     `json:"highest"` // the highest stage met, "" for none
	Steps    []jsonStep `json:"steps"`
	Warnings []string   `json:"warnings"`
	Next     string     `json:"next"`
}

type jsonStep struct {
	Stage string     `json:"stage"`
	Path  string     `json:"path"`
	State string     `json:"state"` // met, not-met, not-written, cannot-run
	Cause string     `json:"cause"` // its first failure's cause, or why it cannot run
	Why   string     `json:"why"`
	Check *jsonCheck `json:"check"`
}

type jsonClass struct {
	Pattern string       `json:"pattern"`
	Stage   string       `json:"stage"`   // -stage: every match a program of it; "" for students
	Columns []jsonColumn `json:"columns"` // with -stage: a scenario each
	Rows    []jsonRow    `json:"rows"`
	Counts  []jsonCount  `json:"counts"` // for students: each stage, and how many met it
}

type jsonColumn struct {
	Stage string `json:"stage"`
	Slug  string `json:"slug"`
	Name  string `json:"name"`
	Title string `json:"title"` // the column's title in the table
}

type jsonRow struct {
	Path     string     `json:"path"`
	Verdict  string     `json:"verdict"`
	Highest  string     `json:"highest"` // a student's highest stage met, "" for none
	Cells    []string   `json:"cells"`
	Steps    []jsonStep `json:"steps"`    // a student's stages, as -ladder's
	Warnings []string   `json:"warnings"` // a student's folders that look like stages under another name
	Check    *jsonCheck `json:"check"`    // with -stage: the program's check
}

type jsonCount struct {
	Stage string `json:"stage"`
	Met   int    `json:"met"`
	Of    int    `json:"of"`
}

// writeJSON writes doc, indented, as it is: "<port>" stays "<port>".
func writeJSON(w io.Writer, doc *jsonDoc) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(doc) // Only a failed write can fail, and then nobody reads it.
}

// runJSON is the mode check with -json.
func runJSON(ctx context.Context, cfg *config, stdout, _ io.Writer) int {
	c := checkConfig(ctx, cfg, io.Discard)
	writeJSON(stdout, &jsonDoc{Format: jsonFormat, Mode: "check", Check: checkDocument(c), Exit: c.exit})
	return c.exit
}

// modeName is the mode args ask for, read before they are parsed.
func modeName(args []string) string {
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case a == "--":
			return "check"
		case strings.HasPrefix(a, "-") && name == "ladder":
			return "ladder"
		case strings.HasPrefix(a, "-") && name == "each":
			return "each"
		}
	}
	return "check"
}

// wantsJSON reports whether args ask for -json, read before they are
// parsed (a usage error is a JSON document too).
func wantsJSON(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-json", "--json", "-json=true", "--json=true":
			return true
		}
	}
	return false
}

// usageDocument is the document of a usage error: the checker was asked
// something it cannot do.
func usageDocument(args []string, err error) *jsonDoc {
	return &jsonDoc{Format: jsonFormat, Mode: modeName(args), Error: &jsonError{Cause: "usage", Message: err.Error(), Lines: []string{}}, Exit: 2}
}

// errorDocument is e as a document's error.
func errorDocument(e *startupError) *jsonError {
	lines := e.lines
	if lines == nil {
		lines = []string{}
	}
	return &jsonError{Cause: string(e.cause), Message: e.msg, Lines: lines, Hint: e.hint}
}

// checkDocument renders the view of c, for the JSON document.
func checkDocument(c *checked) *jsonCheck {
	cfg := c.cfg
	d := &jsonCheck{Command: strings.Join(cfg.argv, " "), Stage: cfg.stage, Exercise: cfg.exercise,
		Interrupted: c.interrupted, Stages: []jsonStage{}, Differences: []jsonDiff{}, TookMS: c.took.Milliseconds()}
	if !cfg.anyPort {
		d.Port = cfg.port
	}
	if c.cmd != nil {
		d.Built = c.cmd.built
	}
	if c.startup != nil {
		d.Error = errorDocument(c.startup)
	}
	if c.startup != nil || c.interrupted {
		return d
	}
	v := c.view
	for _, sv := range v.stages {
		js := jsonStage{Stage: sv.stage.Folder, Page: sv.stage.Page(), State: string(sv.state), Why: sv.why,
			Met: contains(v.met, sv.stage.Folder), Scenarios: []jsonScenario{}}
		for _, rv := range sv.results {
			js.Scenarios = append(js.Scenarios, scenarioDocument(rv, sv.shown))
		}
		d.Stages = append(d.Stages, js)
	}
	for _, df := range v.diffs {
		d.Differences = append(d.Differences, jsonDiff{Kind: df.kind, What: df.what, Want: df.want, Got: df.got, At: df.at, Stage: df.from, Words: df.words()})
	}
	d.Verdict = verdictDocument(v)
	return d
}

func scenarioDocument(rv resultView, shown bool) jsonScenario {
	s := jsonScenario{Slug: rv.Slug, Name: rv.Name, Status: string(rv.status), Shown: shown, Cause: string(rv.cause), Hint: rv.hint, Note: rv.note,
		FixedBy: rv.FixedBy, Evidence: eventDocument(rv.evidence), Clients: nonNil(rv.log), Printed: nonNil(rv.printed), PrintedBefore: rv.more,
		Ending: rv.ending, TookMS: rv.took.Milliseconds()}
	if !rv.ran {
		s.Status, s.Note = "not-run", "not played: your program does not yet do what an earlier stage does"
	}
	return s
}

func eventDocument(e *event) *jsonEvent {
	if e == nil {
		return nil
	}
	return &jsonEvent{Kind: string(e.kind), Language: string(e.runtime), Name: e.name, Message: e.message, File: e.file, Line: e.line, Thread: e.thread}
}

func verdictDocument(v view) *jsonVerdict {
	d := &jsonVerdict{Language: string(v.lang), Met: nonNil(v.met), Passed: v.passed(), Differs: v.counts[differs], Failed: v.counts[failed],
		Skipped: v.counts[skipped], Total: v.total, Summary: v.summary(), Last: v.last, Exit: v.exit}
	if v.cfg.full() && v.behaves != nil {
		d.BehavesLike = v.behaves.Folder // decided only by a run of every stage
	}
	return d
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
