package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
)

// The JSON document: -json prints one on stdout, in every mode, instead
// of the text. Every key is always there (null, "" or [] when it has no
// value), so that a script can read it without asking first. Its shape is
// pinned by TestJSONShape and shown on docs/check.md; a change to it is
// a new format number.

const jsonFormat = 1

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
	Met       bool           `json:"met"`
	Scenarios []jsonScenario `json:"scenarios"`
}

type jsonScenario struct {
	Slug          string   `json:"slug"`
	Name          string   `json:"name"`
	Status        string   `json:"status"`
	Cause         string   `json:"cause"`
	Hint          string   `json:"hint"`
	Note          string   `json:"note"`
	FixedBy       string   `json:"fixed_by"`
	Clients       []string `json:"clients"`
	Printed       []string `json:"printed"`
	PrintedBefore int      `json:"printed_before"`
	Ending        string   `json:"ending"`
	TookMS        int64    `json:"took_ms"`
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
	Folder string     `json:"folder"`
	Met    int        `json:"met"`
	Steps  []jsonStep `json:"steps"`
	Next   string     `json:"next"`
}

type jsonStep struct {
	Stage string     `json:"stage"`
	Path  string     `json:"path"`
	State string     `json:"state"` // met, not-met, not-written
	Why   string     `json:"why"`
	Check *jsonCheck `json:"check"`
}

type jsonClass struct {
	Pattern string       `json:"pattern"`
	Columns []jsonColumn `json:"columns"`
	Rows    []jsonRow    `json:"rows"`
}

type jsonColumn struct {
	Stage string `json:"stage"`
	Slug  string `json:"slug"`
	Name  string `json:"name"`
	Title string `json:"title"` // the column's title in the table
}

type jsonRow struct {
	Path    string     `json:"path"`
	Verdict string     `json:"verdict"`
	Cells   []string   `json:"cells"`
	Check   *jsonCheck `json:"check"`
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

// checkDocument is what c found, for the JSON document.
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
	for _, r := range c.results {
		if len(d.Stages) == 0 || d.Stages[len(d.Stages)-1].Stage != r.stage {
			d.Stages = append(d.Stages, jsonStage{Stage: r.stage, Page: "docs/" + r.stage + ".md", Met: c.verdict.met[r.stage], Scenarios: []jsonScenario{}})
		}
		st := &d.Stages[len(d.Stages)-1]
		st.Scenarios = append(st.Scenarios, scenarioDocument(c, r))
	}
	for _, df := range c.verdict.diffs {
		d.Differences = append(d.Differences, jsonDiff{Kind: df.kind, What: df.what, Want: df.want, Got: df.got, At: df.at, Stage: df.from, Words: df.words()})
	}
	d.Verdict = verdictDocument(c.verdict)
	if cfg.stage != "" || len(cfg.only) > 0 {
		d.Verdict.BehavesLike = "" // decided only by a run of every stage
	}
	return d
}

func scenarioDocument(c *checked, r result) jsonScenario {
	s := jsonScenario{Slug: r.slug, Name: r.name, Status: string(r.status), Cause: string(r.cause), Note: r.note,
		FixedBy: r.fixedBy, Clients: nonNil(r.log), Printed: nonNil(r.printed), PrintedBefore: r.more,
		Ending: r.ending, TookMS: r.took.Milliseconds()}
	if r.notRun {
		s.Status, s.Cause, s.Note = "not-run", "", "not tried: your program does not yet do what an earlier stage does"
		s.Clients, s.Printed, s.PrintedBefore = []string{}, []string{}, 0
	}
	if s.Status == string(failed) {
		if r.lang == "" && c.cmd != nil {
			r.lang = c.cmd.lang
		}
		s.Hint = hintOf(r)
	}
	return s
}

func verdictDocument(v verdict) *jsonVerdict {
	d := &jsonVerdict{BehavesLike: v.behaves, Met: []string{}, Differs: v.counts[differs], Failed: v.counts[failed],
		Skipped: v.counts[skipped], Total: v.total, Summary: v.summary(), Last: v.last, Exit: v.exit}
	d.Passed = v.counts[passed] + v.counts[limited] + v.counts[better] + v.counts[outgrown]
	for _, st := range stages {
		if v.met[st] {
			d.Met = append(d.Met, st)
		}
	}
	return d
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
