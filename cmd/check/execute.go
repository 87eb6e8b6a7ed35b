package main

import (
	"fmt"
	"time"
)

// result is a scenario and how it went, with what the report shows of it.
type result struct {
	scenario
	outcome
	diffs    []difference    // the text slips it saw
	features map[string]bool // the behaviour it saw
	log      []string        // what the clients did
	printed  []string        // the last lines the program printed
	more     int             // how many lines it printed before those
	lost     bool            // some of those are not kept: it printed more than the checker keeps
	took     time.Duration   // how long the scenario took
	ending   string          // how the program ended, if it ended by itself
	lang     lang
	notRun   bool // not run: the program does not yet do what an earlier stage does
}

// scenarioSlots is how many scenarios run at once with {port}: most of a
// scenario's time is spent waiting. (Tests, which run several checks at
// once, lower it.)
var scenarioSlots = 16

// plan returns the scenarios to run: every stage's, or the stage asked
// for (and the one it builds on), and an exercise's.
func (chk *checkRun) plan() []scenario {
	asked := stages
	if st := chk.cfg.stage; st != "" {
		asked = []string{st}
		if b := buildsOn[st]; b != "" {
			asked = []string{b, st}
		}
	}
	var todo []scenario
	for _, st := range asked {
		list := scenariosOf(st)
		if chk.cfg.exercise == "07-2" && st == "07-shutdown" {
			list = append(list, busyScenario)
		}
		for _, sc := range list {
			if len(chk.cfg.only) == 0 || contains(chk.cfg.only, sc.slug) {
				todo = append(todo, sc)
			}
		}
	}
	return todo
}

// execute runs the scenarios and returns their results, in order. With
// {port} every run of the program has a port of its own, so scenarios run
// several at a time: in a check of every stage, those of 01 to 06 first,
// and 07's (the slowest: Ctrl-C, the idle timeout, accept errors) only for
// a program that serves clients at the same time. With a fixed port they
// run one after another, stage by stage, and the stages after one the
// program does not reach are not run.
func (chk *checkRun) execute(todo []scenario) []result {
	results := make([]result, len(todo))
	if !chk.cfg.anyPort {
		chk.inTurn(todo, results)
		return results
	}
	last := len(todo)
	if chk.cfg.stage == "" && len(chk.cfg.only) == 0 {
		for last > 0 && todo[last-1].stage == "07-shutdown" {
			last--
		}
	}
	chk.atOnce(todo[:last], results[:last])
	if last < len(todo) {
		if reaches(results[:last], "06-goroutines") {
			chk.atOnce(todo[last:], results[last:])
		} else {
			for i := last; i < len(todo); i++ {
				results[i] = result{scenario: todo[i], notRun: true}
			}
		}
	}
	return results
}

// atOnce runs the scenarios todo, scenarioSlots at a time, into results.
func (chk *checkRun) atOnce(todo []scenario, results []result) {
	slots := make(chan struct{}, scenarioSlots)
	done := make(chan int, len(todo))
	for i, sc := range todo {
		go func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			results[i] = chk.runScenario(sc)
			done <- i
		}()
	}
	for range todo {
		<-done
	}
}

// inTurn runs the scenarios todo one after another, into results.
func (chk *checkRun) inTurn(todo []scenario, results []result) {
	stop := ""
	for i, sc := range todo {
		if stop != "" && stop != sc.stage {
			results[i] = result{scenario: sc, notRun: true}
			continue
		}
		results[i] = chk.runScenario(sc)
		if i+1 == len(todo) || todo[i+1].stage != sc.stage {
			if chk.cfg.stage == "" && !reaches(results[:i+1], sc.stage) {
				stop = sc.stage
			}
		}
	}
}

// runScenario runs sc with a program of its own, and stops that program.
// A backstop gives the scenario up if it runs far longer than it should.
func (chk *checkRun) runScenario(sc scenario) (r result) {
	if chk.ctx.Err() != nil {
		return result{scenario: sc, outcome: skip("the check was interrupted")}
	}
	s := &session{checkRun: chk, sc: sc}
	limit := sc.limit
	if limit == 0 {
		limit = 30 * time.Second
	}
	if sc.slug == "idle" {
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
