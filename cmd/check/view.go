package main

import (
	"fmt"
	"sort"
	"strings"

	"socketcourse/internal/course"
)

// The view: everything the checker concludes from the results, made in
// one place (makeView) from the facts. Every mode and format (the text
// report, JSON, the ladder, the class table, CSV) renders it and decides
// nothing: what one says, the others say.

// stageState is how a stage stands.
type stageState string

const (
	stateMetStage stageState = "met"       // its scenarios passed, and every stage's below
	stateOutgrown stageState = "outgrown"  // met, by a program that does what a later stage does
	stateNotMet   stageState = "not-met"   // why says why
	stateNotTried stageState = "not-tried" // not played: the program does not do what an earlier stage does
)

// view is the checker's conclusion.
type view struct {
	cfg     *config
	facts   facts
	behaves *course.Stage // the stage the program behaves like; nil for none
	target  *course.Stage // the stage asked for, or the one it behaves like
	stages  []stageView
	beyond  []*course.Stage // stages not shown: the program does not pass an earlier stage's gate
	beyondW string          // why, in words
	diffs   []difference    // the text differences to show, each once
	counts  map[status]int  // how the shown scenarios ended
	total   int
	met     []string // the stages met
	last    string   // the report's last line
	exit    int      // the checker's exit status
	lang    lang
}

// stageView is a stage's part of the view.
type stageView struct {
	stage   *course.Stage
	state   stageState
	why     string // not met, not tried: why, in words
	below   string // not met only because this stage below it is not
	needs   string // not met only because it was not checked with this flag (-idle)
	fold    string // in a check of every stage, the one line the text report shows for a stage below the program's that went well
	results []resultView
	shown   bool // its results are shown and counted
}

// resultView is a result as the view reads it.
type resultView struct {
	*result
	cause    cause  // a failure's cause, as the facts and the evidence read it
	note     string // what was seen
	hint     string
	evidence *event // the event behind a failure
	same     bool   // a failure with the same cause and evidence as one shown above: named, not explained again
	short    bool   // a failure told in a word: a stage past the one the program behaves like
}

// makeView concludes from the results.
func makeView(cfg *config, results []result, cmdLang lang) view {
	f := factsOf(results)
	if cmdLang != langUnknown {
		f.lang = cmdLang
	}
	v := view{cfg: cfg, facts: f, behaves: f.behavesLike(), counts: map[status]int{}, lang: f.lang}
	switch {
	case cfg.stage != "":
		v.target = course.Get(cfg.stage)
	case cfg.full():
		v.target = v.behaves
	}
	// -run without -stage: every difference its scenarios saw is shown.
	// In a check of every stage, the stages past the first one whose gate
	// the program does not pass are not shown.
	shownUpTo := len(course.Stages) - 1
	if cfg.full() {
		if g := f.gateStage(); g != nil {
			shownUpTo = course.Index(g.Folder)
			v.beyondW = fmt.Sprintf("since your program does not %s yet", g.Missing)
		}
	}
	byStage := map[string][]int{}
	var order []string
	for i := range results {
		st := results[i].stage.Folder
		if _, ok := byStage[st]; !ok {
			order = append(order, st)
		}
		byStage[st] = append(byStage[st], i)
	}
	// The differences of every shown scenario, and how each stage went.
	var all []difference
	okStage := map[string]bool{}
	whyNot, needsFlag, textOnly, belowOf := map[string]string{}, map[string]string{}, map[string]bool{}, map[string]string{}
	for _, st := range order {
		if course.Index(st) > shownUpTo {
			continue
		}
		ran, bad, needs := false, "", ""
		for _, i := range byStage[st] {
			r := &results[i]
			all = append(all, r.diffs...)
			ran = ran || r.ran && r.status != skipped
			if r.status == failed && bad == "" {
				bad = string(v.causeOf(r)) + ": " + r.note
			}
			if r.status == skipped && r.Needs != "" && !cfg.has(r.Needs) {
				needs = r.Needs
			}
		}
		switch {
		case !ran:
			whyNot[st] = "none of its scenarios could be played"
		case bad != "":
			whyNot[st] = bad
		case needs != "":
			whyNot[st], needsFlag[st] = fmt.Sprintf("check %s too, with %s", flagWords[needs], needs), needs
		}
		okStage[st] = whyNot[st] == ""
	}
	for _, st := range order {
		if okStage[st] {
			for _, d := range all {
				if d.appliesTo(st) {
					okStage[st], whyNot[st], textOnly[st] = false, "its text differs: "+d.words(), true
					break
				}
			}
		}
	}
	// Met means met: every stage below it, as far as they were played,
	// went well too.
	metStage := map[string]bool{}
	for _, st := range order {
		if !okStage[st] {
			continue
		}
		metStage[st] = true
		for _, lower := range order {
			if course.Index(lower) < course.Index(st) && !okStage[lower] {
				metStage[st] = false
				if whyNot[st] == "" {
					whyNot[st], belowOf[st] = fmt.Sprintf("not until %s is", lower), lower
				}
				break
			}
		}
	}
	explained := map[string]bool{}
	for _, st := range order {
		sv := stageView{stage: course.Get(st), shown: course.Index(st) <= shownUpTo}
		if !sv.shown {
			ranAny := false
			for _, i := range byStage[st] {
				ranAny = ranAny || results[i].ran
			}
			v.beyond = append(v.beyond, sv.stage)
			sv.state, sv.why = stateNotTried, v.beyondW
			if ranAny {
				sv.state = stateNotMet
			}
		}
		grown := false
		for _, i := range byStage[st] {
			rv := v.resultView(&results[i], sv.stage, explained)
			if sv.shown {
				v.counts[rv.status]++
				v.total++
			}
			grown = grown || rv.status == outgrown
			sv.results = append(sv.results, rv)
		}
		if sv.shown {
			switch {
			case metStage[st] && grown && v.behaves != nil && course.Index(v.behaves.Folder) > course.Index(st):
				sv.state = stateOutgrown
			case metStage[st]:
				sv.state = stateMetStage
			default:
				sv.state, sv.why, sv.below, sv.needs = stateNotMet, whyNot[st], belowOf[st], needsFlag[st]
				if textOnly[st] {
					sv.needs = "" // the text first
				}
			}
			if metStage[st] {
				v.met = append(v.met, st)
			}
			sv.fold = v.foldLine(sv, grown)
		}
		v.stages = append(v.stages, sv)
	}
	target := ""
	if v.target != nil {
		target = v.target.Folder
	}
	v.diffs = shownDiffs(all, target)
	v.last, v.exit = v.lastLine(metStage, needsFlag)
	return v
}

// flagWords say what a flag of the checker's lets it check.
var flagWords = map[string]string{"-idle": "its idle timeout", "-max": "its limit on clients"}

// has reports whether the checker was given flag ("-idle").
func (cfg *config) has(flag string) bool {
	switch flag {
	case "-idle":
		return cfg.idle > 0
	case "-max":
		return cfg.maxConns > 0
	}
	return true
}

// causeOf is a failure's cause as the facts read it: a client that got
// nothing from a program that, elsewhere, showed it accepts its clients
// was accepted and left hanging, not "never accepted".
func (v view) causeOf(r *result) cause {
	switch {
	case r.cause == causeNeverAccepts && v.facts.seen[course.Accepts]:
		return causeNeverCloses
	case r.cause == causeOneAtATime && !v.facts.seen[course.Replies]:
		// A program that answers nobody is not told to serve clients at
		// once: it answers nobody.
		return causeNoReply
	}
	return r.cause
}

// resultView reads a result: its cause and evidence, its hint, and
// whether the same failure was explained above.
func (v view) resultView(r *result, st *course.Stage, explained map[string]bool) resultView {
	rv := resultView{result: r, note: r.note}
	if r.status == outgrown && r.as != nil && v.behaves != nil && course.Index(v.behaves.Folder) >= course.Index(r.as.Folder) {
		rv.note += ", as " + r.as.Folder + " does"
	}
	if r.status != failed {
		return rv
	}
	rv.cause = v.causeOf(r)
	switch rv.cause {
	case causeCrash, causeAcceptExit:
		rv.evidence = r.endEvidence
		if rv.evidence == nil {
			rv.evidence = lastOf(r.events, evCrash)
		}
	case causeThreadDied:
		rv.evidence = lastOf(r.events, evThread)
	}
	rv.hint = v.hintFor(rv)
	key := string(rv.cause)
	if rv.evidence != nil {
		key += "\x00" + rv.evidence.signature()
	}
	rv.same = explained[key] && !v.cfg.verbose
	explained[key] = true
	rv.short = v.cfg.full() && !v.cfg.verbose && v.behaves != nil && course.Index(st.Folder) > course.Index(v.behaves.Folder)
	return rv
}

// lastOf returns the last event of kind k, or nil.
func lastOf(events []event, k eventKind) *event {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].kind == k {
			return &events[i]
		}
	}
	return nil
}

// hintFor says what to do about a failure, in the words of the program's
// language: its cause's hint, where its evidence points, and what the
// evidence shows beyond that.
func (v view) hintFor(rv resultView) string {
	l := v.lang
	if rv.evidence != nil && rv.evidence.runtime != langUnknown && l == langUnknown {
		l = rv.evidence.runtime
	}
	h := hintFor(rv.cause, l)
	if strings.Contains(h, "{where}") {
		where := ""
		if rv.evidence != nil {
			where = " of " + rv.evidence.name
			switch {
			case rv.evidence.kind == evSignal && rv.evidence.name != "":
				where = " by " + rv.evidence.name
			case rv.evidence.name == "" || rv.evidence.kind == evWords || rv.evidence.kind == evSignal:
				where = ""
			}
			if w := rv.evidence.where(); w != "" {
				where += " at " + w
			}
		}
		h = strings.ReplaceAll(h, "{where}", where)
	}
	if more := extraFor(rv.evidence, rv.printed, l); more != "" {
		h += " " + more
	}
	return h
}

// foldLine is the line a stage below the one the program behaves like
// shows in a check of every stage when none of its scenarios differs and
// none failed, or each that failed did for one cause told above (the same
// cause and evidence); "" when the stage is shown in full.
func (v view) foldLine(sv stageView, grown bool) string {
	if !v.cfg.full() || v.cfg.verbose || v.behaves == nil || course.Index(sv.stage.Folder) >= course.Index(v.behaves.Folder) {
		return ""
	}
	n, failures, same := 0, 0, ""
	for _, rv := range sv.results {
		switch {
		case rv.status == failed && rv.same && (same == "" || same == rv.sameWords()):
			// Told above already: a line of its own would say only that.
			failures, same = failures+1, rv.sameWords()
		case rv.status == failed || rv.status == differs:
			return ""
		}
		n++
	}
	scenarios := fmt.Sprintf("%d scenarios", n)
	if n == 1 {
		scenarios = "1 scenario"
	}
	page := sv.stage.Folder + " (" + sv.stage.Page() + ")"
	if failures > 0 {
		return fmt.Sprintf("%s: not met, for the same cause as above: %s (%d of %s failed; -v shows them)", page, same, failures, scenarios)
	}
	switch sv.state {
	case stateOutgrown:
		return fmt.Sprintf("%s: outgrown, your program does what %s does (%s; -v shows them)", page, v.behaves.Folder, scenarios)
	case stateMetStage:
		return fmt.Sprintf("%s: met (%s passed; -v shows them)", page, scenarios)
	}
	// Its scenarios passed, but an earlier stage's, or the text, keep it
	// from being met.
	switch {
	case sv.below != "":
		return fmt.Sprintf("%s: %s passed; not met until %s is", page, scenarios, sv.below)
	case sv.needs != "":
		return fmt.Sprintf("%s: %s passed; not met until %s", page, scenarios, sv.why)
	}
	return fmt.Sprintf("%s: %s passed; not met until the differences below are fixed", page, scenarios)
}

// lastLine is the report's last line, which scripts and the pages read,
// and the exit status.
func (v view) lastLine(met map[string]bool, needsFlag map[string]string) (string, int) {
	page := func(st *course.Stage) string { return fmt.Sprintf("%s (%s)", st.Folder, st.Page()) }
	next := func(st *course.Stage) string {
		if n := st.Next(); n != nil {
			return "next: " + page(n)
		}
		return "the course's last stage"
	}
	needs := func(st *course.Stage) string {
		if f := needsFlag[st.Folder]; f != "" && v.counts[failed] == 0 && len(v.diffs) == 0 {
			return fmt.Sprintf("check %s too, with %s", flagWords[f], f)
		}
		return ""
	}
	if len(v.cfg.only) > 0 {
		if v.counts[failed] > 0 || len(v.diffs) > 0 || v.total == 0 {
			return "-run " + strings.Join(v.cfg.only, ",") + ": FAILED", 1
		}
		return "-run " + strings.Join(v.cfg.only, ",") + ": passed", 0
	}
	if v.cfg.stage != "" {
		st := v.target
		switch {
		case met[st.Folder]:
			return fmt.Sprintf("meets %s; %s", st.Folder, next(st)), 0
		case needs(st) != "":
			return fmt.Sprintf("does not meet %s yet: %s; read %s", st.Folder, needs(st), st.Page()), 1
		case v.counts[failed] == 0 && len(v.diffs) > 0 && v.total > 0:
			// Every scenario passed: only the text keeps it from being met.
			return fmt.Sprintf("does not meet %s yet: fix the differences above; read %s", st.Folder, st.Page()), 1
		}
		return fmt.Sprintf("does not meet %s; read %s", st.Folder, st.Page()), 1
	}
	st := v.target
	switch {
	case st == nil:
		return "behaves like none; next: " + page(&course.Stages[0]), 1
	case met[st.Folder]:
		return fmt.Sprintf("behaves like %s; %s", st.Folder, next(st)), 0
	case needs(st) != "":
		return fmt.Sprintf("behaves like %s; next: %s (%s)", st.Folder, needs(st), st.Page()), 1
	}
	return fmt.Sprintf("behaves like %s; next: fix what is above to meet it (%s)", st.Folder, st.Page()), 1
}

// shownDiffs returns the differences that apply to stage, each once; all
// of them when there is no stage.
func shownDiffs(all []difference, stage string) []difference {
	var list []difference
	seen := map[string]bool{}
	for _, d := range all {
		if seen[d.key()] || stage != "" && !d.appliesTo(stage) {
			continue
		}
		seen[d.key()] = true
		list = append(list, d)
	}
	return list
}

// summary is the count line: "12 of 16 scenarios passed; 2 differ in their
// text; 2 failed".
func (v view) summary() string {
	parts := []string{fmt.Sprintf("%d of %d scenarios passed", v.passed(), v.total)}
	if n := v.counts[differs]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d passed but differ in their text", n))
	}
	if n := v.counts[failed]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", n))
	}
	if n := v.counts[skipped]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", n))
	}
	return strings.Join(parts, "; ")
}

// passed is how many shown scenarios passed, a limitation shown or done
// better, or a stage outgrown.
func (v view) passed() int {
	return v.counts[passed] + v.counts[limited] + v.counts[better] + v.counts[outgrown]
}

// firstFailure is the first failure shown, in the course's order: what a
// one-line verdict names.
func (v view) firstFailure() *resultView {
	for i := range v.stages {
		if !v.stages[i].shown {
			continue
		}
		for j := range v.stages[i].results {
			if rv := &v.stages[i].results[j]; rv.status == failed {
				return rv
			}
		}
	}
	return nil
}

// stage returns the view of the stage folder, or nil when it was not
// checked.
func (v view) stage(folder string) *stageView {
	for i := range v.stages {
		if v.stages[i].stage.Folder == folder {
			return &v.stages[i]
		}
	}
	return nil
}

// metList says the stages met, for the report: "01-bind, 02-listen" or
// "none".
func (v view) metList() string {
	if len(v.met) == 0 {
		return "none"
	}
	list := append([]string(nil), v.met...)
	sort.Slice(list, func(i, j int) bool { return course.Index(list[i]) < course.Index(list[j]) })
	return strings.Join(list, ", ")
}
