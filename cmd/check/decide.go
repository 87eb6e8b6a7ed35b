package main

import (
	"fmt"
	"strings"
)

// verdict is what the checker concludes from the results.
type verdict struct {
	asked    string          // the stage asked for with -stage, or ""
	behaves  string          // the stage the program behaves like, or ""
	met      map[string]bool // the stages it meets
	shown    int             // the index of the last stage the report shows in full
	diffs    []difference    // the text differences to show, each once
	needIdle bool            // 07's idle timeout was not checked: -idle was not given
	bad      map[string]bool // the stages in which a scenario failed
	counts   map[status]int  // how many scenarios ended each way
	total    int
	last     string // the report's last line
	exit     int    // the checker's exit status
}

// seen merges the behaviour the scenarios saw: seen anywhere is seen.
func seen(results []result) map[string]bool {
	f := map[string]bool{}
	for _, r := range results {
		for k, v := range r.features {
			f[k] = f[k] || v
		}
	}
	return f
}

// ladder is the behaviour each stage adds, from the last stage down.
var ladder = []struct {
	stage string
	has   func(f map[string]bool) bool
}{
	{"07-shutdown", func(f map[string]bool) bool { return f[featConcurrent] && f[featEveryMessage] && f[featTells] }},
	{"06-goroutines", func(f map[string]bool) bool { return f[featConcurrent] && f[featEveryMessage] }},
	{"05-loop", func(f map[string]bool) bool { return f[featLoops] || f[featConcurrent] }},
	{"04-echo-once", func(f map[string]bool) bool { return f[featReplies] }},
	{"03-accept", func(f map[string]bool) bool { return f[featAccepts] }},
	{"02-listen", func(f map[string]bool) bool { return f[featListens] }},
	{"01-bind", func(f map[string]bool) bool { return f[featBinds] }},
}

// behavesLike names the stage whose behaviour the program has, decided by
// what it does, not by what it prints: the highest stage whose behaviour
// it shows. A program no client could connect to does nothing of 02 or
// after, whatever else it seemed to do.
func behavesLike(f map[string]bool) string {
	for _, step := range ladder {
		if step.has(f) && (f[featListens] || step.stage == "01-bind") {
			return step.stage
		}
	}
	return ""
}

// defining is the behaviour without which a program does nothing of a
// stage or of any after it.
var defining = map[string]string{
	"02-listen":     featListens,
	"03-accept":     featAccepts,
	"04-echo-once":  featReplies,
	"05-loop":       featLoops,
	"06-goroutines": featConcurrent,
}

// reaches reports whether the program does what defines stage, as far as
// the results show.
func reaches(results []result, stage string) bool {
	feat, ok := defining[stage]
	return !ok || seen(results)[feat]
}

// decide reads the results: the stage the program behaves like, the
// stages it meets, what the report shows, and the last line.
func decide(cfg *config, results []result) verdict {
	v := verdict{asked: cfg.stage, met: map[string]bool{}, counts: map[status]int{}, shown: len(stages) - 1}
	f := seen(results)
	v.behaves = behavesLike(f)
	if f[featElsewhere] {
		v.behaves = "" // it listens where nothing can check it
	}
	if cfg.stage == "" && len(cfg.only) == 0 {
		for i, st := range stages {
			if feat, ok := defining[st]; ok && !f[feat] {
				v.shown = i
				break
			}
		}
	}
	var all []difference
	ran := map[string]bool{}
	bad := map[string]bool{}
	v.bad = bad
	for i := range results {
		r := &results[i]
		if stageIndex(r.stage) > v.shown {
			r.notRun = true
		}
		if r.notRun {
			continue
		}
		all = append(all, r.diffs...)
		v.counts[r.status]++
		v.total++
		ran[r.stage] = ran[r.stage] || r.status != skipped
		bad[r.stage] = bad[r.stage] || r.status == failed
		if r.slug == "idle" && cfg.idle == 0 {
			v.needIdle = true
		}
	}
	for _, st := range stages {
		v.met[st] = ran[st] && !bad[st] && !(st == "07-shutdown" && v.needIdle)
		for _, d := range all {
			v.met[st] = v.met[st] && !d.appliesTo(st)
		}
		if b := buildsOn[st]; b != "" && cfg.stage == st {
			v.met[st] = v.met[st] && v.met[b]
		}
	}
	target := cfg.stage
	if target == "" {
		target = v.behaves
	}
	v.diffs = shownDiffs(all, target)
	v.last, v.exit = lastLine(v, target)
	if len(cfg.only) > 0 {
		v.last, v.exit = "-run "+strings.Join(cfg.only, ",")+": passed", 0
		if v.counts[failed] > 0 || len(v.diffs) > 0 || v.total == 0 {
			v.last, v.exit = "-run "+strings.Join(cfg.only, ",")+": FAILED", 1
		}
	}
	return v
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

// lastLine is the report's last line, which scripts and the pages read,
// and the exit status.
func lastLine(v verdict, target string) (string, int) {
	page := func(st string) string { return fmt.Sprintf("%s (docs/%s.md)", st, st) }
	if v.asked != "" {
		switch {
		case v.met[v.asked]:
			return fmt.Sprintf("meets %s; %s", v.asked, next(v.asked)), 0
		case v.asked == "07-shutdown" && v.needIdle && v.counts[failed] == 0 && len(v.diffs) == 0:
			return "does not meet 07-shutdown yet: check its idle timeout too, with -idle; read docs/07-shutdown.md", 1
		}
		return fmt.Sprintf("does not meet %s; read docs/%s.md", v.asked, v.asked), 1
	}
	switch {
	case target == "":
		return "behaves like none; next: " + page(stages[0]), 1
	case v.met[target]:
		return fmt.Sprintf("behaves like %s; %s", target, next(target)), 0
	case target == "07-shutdown" && v.needIdle && len(v.diffs) == 0 && !failedIn(v, target):
		return "behaves like 07-shutdown; next: check its idle timeout with -idle (docs/07-shutdown.md)", 1
	}
	return fmt.Sprintf("behaves like %s; next: fix what is above to meet it (docs/%s.md)", target, target), 1
}

// failedIn reports whether a scenario of stage, or of the stage it
// builds on, failed.
func failedIn(v verdict, stage string) bool {
	return v.bad[stage] || v.bad[buildsOn[stage]]
}

// next says what comes after stage.
func next(stage string) string {
	for i, st := range stages {
		if st == stage && i+1 < len(stages) {
			return fmt.Sprintf("next: %s (docs/%s.md)", stages[i+1], stages[i+1])
		}
	}
	return "the course's last stage"
}

// summary is the count line: "12 of 16 scenarios passed; 2 differ in their
// text; 2 failed".
func (v verdict) summary() string {
	ok := v.counts[passed] + v.counts[limited] + v.counts[better] + v.counts[outgrown]
	parts := []string{fmt.Sprintf("%d of %d scenarios passed", ok, v.total)}
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
