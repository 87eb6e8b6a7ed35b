package main

import (
	"fmt"
	"sort"
	"time"

	"socketcourse/internal/course"
)

// result is a scenario and how it went: what the checker saw, and
// nothing else. Nothing rewrites a result once it is made: the view
// (view.go) decides what the report shows of it.
type result struct {
	scenario
	outcome
	ran         bool                 // it was played: not when a check of every stage stopped before its stage
	diffs       []difference         // the text slips it saw
	facts       map[course.Fact]bool // the behaviour it saw there, or lacking
	log         []string             // what the clients did
	printed     []string             // the last lines the program printed during it
	more        int                  // how many lines it printed before those
	lost        bool                 // some of those are not kept: it printed more than the checker keeps
	took        time.Duration        // how long the scenario took
	ending      string               // how the program ended, if it ended by itself
	endEvidence *event               // what ended it, as its runtime or its last words said
	events      []event              // the evidence of what it printed during the scenario
	lang        lang
}

// scenarioSlots is how many runs of the program play their scenarios at
// once with {port}: most of a scenario's time is spent waiting. (Tests,
// which run several checks at once, lower it.)
var scenarioSlots = 16

// plan returns the scenarios to run: every stage's, or the stage asked
// for (and the stages it builds on), and an exercise's.
func (chk *checkRun) plan() []scenario {
	asked := stages
	if st := chk.cfg.stage; st != "" {
		asked = nil
		for _, s := range course.Get(st).Chain() {
			asked = append(asked, s.Folder)
		}
	}
	if _, ex := course.ExerciseStage(chk.cfg.exercise); ex != nil && ex.Only {
		// The exercise's program speaks another protocol: its own
		// scenarios only.
		var todo []scenario
		for _, sc := range exerciseScenarios(chk.cfg.exercise) {
			if len(chk.cfg.only) == 0 || contains(chk.cfg.only, sc.Slug) {
				todo = append(todo, sc)
			}
		}
		return todo
	}
	var todo []scenario
	for _, st := range asked {
		list := scenariosOf(st)
		if ex := chk.cfg.exercise; ex != "" {
			if s, _ := course.ExerciseStage(ex); s.Folder == st {
				list = append(list, exerciseScenarios(ex)...)
			}
		}
		for _, sc := range list {
			if len(chk.cfg.only) == 0 || contains(chk.cfg.only, sc.Slug) {
				todo = append(todo, sc)
			}
		}
	}
	return todo
}

// full reports whether the check is of every stage, not of one, nor of
// scenarios picked by -run.
func (cfg *config) full() bool { return cfg.stage == "" && len(cfg.only) == 0 }

// execute plays the scenarios and returns their results, in order.
//
// Scenarios share a run of the program where they can (a slow start, a
// JVM's, is paid a few times, not once a scenario): those of a stage,
// one after another, except one that needs a program of its own. With
// {port} every run has a port of its own, so the stages' runs go side by
// side: in a check of every stage, those of the article's stages first,
// and those past the article (the slowest: Ctrl-C, the idle timeout,
// accept errors) only for a program that does what every earlier stage
// does. With a fixed port everything runs in turn, on one run of the
// program as far as it lasts, and the stages after one the program does
// not reach are not played.
func (chk *checkRun) execute(todo []scenario) []result {
	results := make([]result, len(todo))
	for i := range todo {
		results[i] = result{scenario: todo[i]}
	}
	defer chk.dropHandover()
	if !chk.cfg.anyPort {
		chk.inTurn(todo, results)
		return results
	}
	var first, later []int
	for i, sc := range todo {
		if chk.cfg.full() && sc.stage.PastArticle() {
			later = append(later, i)
		} else {
			first = append(first, i)
		}
	}
	chk.lanesAtOnce(lanesOf(todo, first), todo, results)
	if len(later) > 0 && reachesAll(results, todo[later[0]].stage) {
		chk.lanesAtOnce(lanesOf(todo, later), todo, results)
	}
	return results
}

// reachesAll reports whether the results show what every stage before st
// is gated on.
func reachesAll(results []result, st *course.Stage) bool {
	f := factsOf(results)
	for i := 0; i < course.Index(st.Folder); i++ {
		if g := course.Stages[i].Gate; g != "" && !f.seen[g] {
			return false
		}
	}
	return true
}

// lanesOf groups the scenarios at idx into runs of the program: a
// stage's scenarios in one (those that need a fresh program first), and
// each that needs a program of its own in one of its own.
func lanesOf(todo []scenario, idx []int) [][]int {
	idx = freshFirst(todo, idx)
	byStage := map[string]int{}
	var lanes [][]int
	for _, i := range idx {
		if todo[i].alone {
			lanes = append(lanes, []int{i})
			continue
		}
		k, ok := byStage[todo[i].stage.Folder]
		if !ok {
			k = len(lanes)
			byStage[todo[i].stage.Folder] = k
			lanes = append(lanes, nil)
		}
		lanes[k] = append(lanes[k], i)
	}
	return lanes
}

// lanesAtOnce plays the lanes side by side, scenarioSlots at a time.
func (chk *checkRun) lanesAtOnce(lanes [][]int, todo []scenario, results []result) {
	slots := make(chan struct{}, scenarioSlots)
	done := make(chan struct{}, len(lanes))
	for _, lane := range lanes {
		go func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			chk.playLane(lane, todo, results)
			done <- struct{}{}
		}()
	}
	for range lanes {
		<-done
	}
}

// playLane plays the scenarios of a lane one after another, on one run of
// the program as far as it lasts.
func (chk *checkRun) playLane(lane []int, todo []scenario, results []result) {
	rn := &runner{chk: chk}
	defer rn.stop(nil)
	for k, i := range lane {
		results[i] = chk.runScenario(rn, todo[i], k == len(lane)-1)
	}
}

// inTurn plays the scenarios one after another on a fixed port: those
// that can share a program on one run of it as far as it lasts, stage by
// stage, stopping after a stage the program does not reach in a check of
// every stage; then those that need a program of their own, of the
// stages reached.
func (chk *checkRun) inTurn(todo []scenario, results []result) {
	rn := &runner{chk: chk}
	var shared, alone []int
	for i, sc := range todo {
		if sc.alone {
			alone = append(alone, i)
		} else {
			shared = append(shared, i)
		}
	}
	shared = freshFirst(todo, shared)
	reached := len(course.Stages)
	for k, i := range shared {
		if course.Index(todo[i].stage.Folder) > reached {
			break
		}
		results[i] = chk.runScenario(rn, todo[i], k == len(shared)-1)
		last := k+1 == len(shared) || todo[shared[k+1]].stage != todo[i].stage
		if last && chk.cfg.full() && !reaches(results, todo[i].stage) {
			reached = course.Index(todo[i].stage.Folder)
		}
	}
	rn.stop(nil)
	for _, i := range alone {
		if course.Index(todo[i].stage.Folder) > reached {
			continue
		}
		chk.dropHandover()
		results[i] = chk.runScenario(&runner{chk: chk}, todo[i], true)
	}
}

// freshFirst orders each stage's scenarios for one run of the program:
// those that need a fresh program first (the first of them gets the
// program no scenario has talked to yet), those that end it last.
func freshFirst(todo []scenario, idx []int) []int {
	rank := func(sc scenario) int {
		switch {
		case sc.fresh:
			return 0
		case sc.ends:
			return 2
		}
		return 1
	}
	out := append([]int(nil), idx...)
	sort.SliceStable(out, func(a, b int) bool {
		sa, sb := todo[out[a]], todo[out[b]]
		if sa.stage != sb.stage {
			return course.Index(sa.stage.Folder) < course.Index(sb.stage.Folder)
		}
		return rank(sa) < rank(sb)
	})
	return out
}

// reaches reports whether the program does what gates stage, as far as
// the results show.
func reaches(results []result, st *course.Stage) bool {
	return st.Gate == "" || factsOf(results).seen[st.Gate]
}

// dropHandover stops the first start's program if no scenario took it.
func (chk *checkRun) dropHandover() {
	chk.mu.Lock()
	h := chk.handed
	chk.handed = nil
	chk.mu.Unlock()
	if h != nil {
		h.stop(nil)
	}
}

// runScenario plays sc on the runner's program (or one it starts); last
// says that no scenario plays on it after this one. A backstop gives the
// scenario up if it runs far longer than it should.
func (chk *checkRun) runScenario(rn *runner, sc scenario, last bool) (r result) {
	if chk.ctx.Err() != nil {
		return result{scenario: sc, outcome: skip("the check was interrupted"), ran: true}
	}
	if sc.run == nil {
		return result{scenario: sc, outcome: skip("the checker cannot play this scenario"), ran: true}
	}
	if sc.alone && !chk.cfg.anyPort {
		chk.dropHandover() // it needs the port
	}
	s := &session{checkRun: chk, rn: rn, sc: sc, lastPlay: last}
	limit := sc.limit
	if limit == 0 {
		limit = 30 * time.Second
	}
	if sc.Needs == "-idle" {
		limit = max(limit, 3*chk.cfg.idle+20*time.Second)
	}
	start := time.Now()
	defer func() { r.took = time.Since(start) }()
	outcomes := make(chan outcome, 1)
	go func() { outcomes <- sc.run(s) }()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case o := <-outcomes:
		return s.finish(o)
	case <-timer.C:
		s.mu.Lock()
		p := s.prog
		s.mu.Unlock()
		if p != nil {
			p.stop() // the scenario's reads end with the program's connections
		}
		<-outcomes
		return s.finish(fail(causeGaveUp, fmt.Sprintf("the scenario did not end within %v", limit)))
	}
}
