package main

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// -ladder -watch: the ladder, checked again whenever a file in the folder
// changes. The watch polls: it reads the folder's few files every
// pollEvery, which costs far less than a check (BenchmarkSnapshot), needs
// no library, and works the same on every system and file system.

// pollEvery is how often the watch looks at the files.
const pollEvery = 300 * time.Millisecond

// hashUpTo is the size up to which a file's content is hashed, not only
// its size and time: a source file saved twice within the file system's
// time resolution is still seen to change. A larger file (a program
// built) is known by its size and time.
const hashUpTo = 256 << 10

// files are what the watch knows of each file under the folder, by its
// path in the folder (with /): its size, time and hash.
type files map[string]string

// ignored are the files an editor, Python or Git write beside the
// learner's: a change to them is not a change to a program.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".pyc") ||
		name == "__pycache__" || name == "4913" // vim's test of whether it can write the folder
}

// snapshot reads what the watch knows of every file under folder.
func snapshot(folder string) files {
	seen := files{}
	filepath.WalkDir(folder, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == folder {
			return nil // A file removed while the walk ran: the next look sees it gone.
		}
		if ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(folder, path)
		sum := fnv.New64a()
		if info.Size() <= hashUpTo {
			if b, err := os.ReadFile(path); err == nil {
				sum.Write(b)
			}
		}
		seen[filepath.ToSlash(rel)] = fmt.Sprintf("%d %d %x", info.Size(), info.ModTime().UnixNano(), sum.Sum64())
		return nil
	})
	return seen
}

// firstChange names the first file, in order, that differs between a
// and b, or "".
func firstChange(a, b files) string {
	var names []string
	for k, v := range a {
		if b[k] != v {
			names = append(names, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// stagePrints returns, for each stage, what its check depends on: its own
// files, and the files of the folder that belong to no stage.
func stagePrints(steps []step, now files) map[string]string {
	own := map[string]string{}
	for i := range steps {
		if steps[i].path != "" {
			own[filepath.Base(steps[i].path)] = steps[i].stage
		}
	}
	var names []string
	for k := range now {
		names = append(names, k)
	}
	sort.Strings(names)
	var shared strings.Builder
	mine := map[string]*strings.Builder{}
	for _, k := range names {
		top, _, _ := strings.Cut(k, "/")
		b := &shared
		if st, ok := own[top]; ok {
			if mine[st] == nil {
				mine[st] = &strings.Builder{}
			}
			b = mine[st]
		}
		fmt.Fprintf(b, "%s %s\n", k, now[k])
	}
	prints := map[string]string{}
	for i := range steps {
		st := steps[i].stage
		prints[st] = steps[i].path + "\n" + shared.String()
		if mine[st] != nil {
			prints[st] += mine[st].String()
		}
	}
	return prints
}

// watcher is a watch: the checks it made, and the files each was made of.
type watcher struct {
	cfg     *config
	out     io.Writer
	col     palette
	term    bool
	checked map[string]*checked // by stage: its last check
	prints  map[string]string   // by stage: what that check was made of
}

// runWatch is -ladder -watch. It returns when ctx is done (Ctrl-C),
// every program stopped.
func runWatch(ctx context.Context, cfg *config, stdout, stderr io.Writer) int {
	if _, err := findSteps(cfg.ladder); err != nil {
		return noFolder(cfg, err, stdout, stderr)
	}
	w := &watcher{cfg: cfg, out: stdout, col: colours(stdout, cfg.env), term: isTerminal(stdout),
		checked: map[string]*checked{}, prints: map[string]string{}}
	now, why, ok := snapshot(cfg.ladder), "the first look", true
	for ok {
		now, why, ok = w.round(ctx, now, why)
	}
	fmt.Fprintln(stdout, "stopped watching; every program was stopped")
	return 0
}

// round checks the stages whose files changed since their last check,
// shows the ladder, and waits for the next change. It returns the files
// then, and the one that changed; false when ctx is done. A change while
// the stages are checked stops their checks: the next round starts them
// again.
func (w *watcher) round(ctx context.Context, now files, why string) (files, string, bool) {
	steps, err := findSteps(w.cfg.ladder)
	if err != nil {
		fmt.Fprintf(w.out, "check: cannot read the folder %s: %v\n", w.cfg.ladder, unwrapAll(err))
		return w.waitChange(ctx, now, nil)
	}
	prints := stagePrints(steps, now)
	var todo []int
	for i := range steps {
		st := steps[i].stage
		if c, ok := w.checked[st]; ok && w.prints[st] == prints[st] {
			steps[i].c = c
		} else if steps[i].argv != nil {
			todo = append(todo, i)
		}
	}
	if len(todo) > 0 {
		w.show(steps, why)
		checks, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			checkSteps(checks, w.cfg, steps, todo)
		}()
		next, changed, ok := w.waitChange(ctx, now, done)
		cancel()
		<-done
		if !ok || changed != "" {
			return next, changed, ok
		}
		for _, i := range todo {
			w.checked[steps[i].stage], w.prints[steps[i].stage] = steps[i].c, prints[steps[i].stage]
		}
	}
	w.show(steps, why)
	return w.waitChange(ctx, now, nil)
}

// waitChange looks at the files every pollEvery until one differs from
// now, then until they stay the same for one look (an editor saves in
// steps), and returns them and the first that changed. It returns early,
// with no change, when done is closed; with false when ctx is done.
func (w *watcher) waitChange(ctx context.Context, now files, done <-chan struct{}) (files, string, bool) {
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	changed := ""
	for {
		select {
		case <-ctx.Done():
			return now, "", false
		case <-done:
			return now, "", true
		case <-tick.C:
		}
		next := snapshot(w.cfg.ladder)
		if c := firstChange(now, next); c != "" {
			if changed == "" {
				changed = filepath.Join(w.cfg.ladder, filepath.FromSlash(c)) + " changed"
			}
			now, done = next, nil
			continue
		}
		if changed != "" {
			return now, changed, true
		}
	}
}

// show writes the screen: the ladder, and the report of the stage being
// worked on. On a terminal it clears the screen first.
func (w *watcher) show(steps []step, why string) {
	var b bytes.Buffer
	if w.term {
		b.WriteString(clearScreen)
	} else {
		b.WriteString("\n")
	}
	var checking []string
	for i := range steps {
		if steps[i].state() == stepChecking {
			checking = append(checking, steps[i].stage)
		}
	}
	what := "checked at " + time.Now().Format("15:04:05")
	if len(checking) > 0 {
		what = "checking " + strings.Join(checking, ", ")
	}
	fmt.Fprintf(&b, "%s\n", w.col.dim(fmt.Sprintf("watching %s (Ctrl-C to stop): %s; %s", w.cfg.ladder, why, what)))
	printLadder(&b, w.cfg.ladder, steps, w.col, true)
	if i := focus(steps); i >= 0 && steps[i].c != nil {
		fmt.Fprintln(&b)
		textReport(&b, steps[i].c)
	}
	w.out.Write(b.Bytes())
}
