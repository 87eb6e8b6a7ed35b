package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// block returns the lines of the report about the scenario of stage that
// runs f: its result line and, for a failure, what follows it.
func (r report) block(t *testing.T, stage string, f func(*session) outcome) string {
	t.Helper()
	want := name(t, stage, f)
	var b []string
	in, inStage := false, false
	for _, l := range strings.Split(r.text, "\n") {
		if st, _, ok := strings.Cut(l, " (docs/"); ok && isStage(st) {
			inStage, in = st == stage, false
			continue
		}
		if resultLine.MatchString(l) {
			in = inStage && strings.Contains(l, want)
		}
		if in {
			b = append(b, l)
		}
	}
	return strings.Join(b, "\n")
}

// Small servers under testdata/wrong, each the 06 server (or the 05 server,
// where the stage says so) with one mistake a learner makes: each is caught
// by the scenario that shows that mistake, with a message that names it.
func TestWrongServers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		server   string
		scenario func(*session) outcome
		message  string
		stage    string // the stage it is checked as; "" is 06-goroutines
	}{
		{"fullbuffer", everyMessage, "send back buf[:n]", ""},
		{"nowelcome", everyMessage, "no welcome line", ""},
		{"noprefix", everyMessage, "the reply must start with OK...", ""},
		{"closeafterwelcome", everyMessage, "your server closed the connection", ""},
		{"sequential", secondWhileFirstSilent, "is your server serving one client at a time?", ""},
		{"sequential", emptyOrReset, "still runs, but serves nobody else while client 1 is connected", ""},
		{"noconnected", connectedWith, `your program printed no line "Connected with 127.0.0.1:`, ""},
		{"fakeport", connectedWith, `your program printed "Connected with 127.0.0.1:`, ""},
		{"ignoresport", connectedWith, "does it listen on the port it is given", ""},
		{"noclose", servedInTurn, "a defer inside the loop waits until the whole function returns", "05-loop"},
		{"crashonempty", emptyStops, "your program stopped with exit status 2, not by leaving its loop", "05-loop"},
	}
	exes := map[string]string{}
	stageOf := map[string]string{}
	var servers []string
	for i, tc := range cases {
		if tc.stage == "" {
			cases[i].stage = "06-goroutines"
		}
		if _, ok := exes[tc.server]; !ok {
			exes[tc.server] = build(t, "cmd/check/testdata/wrong/"+tc.server)
			stageOf[tc.server] = cases[i].stage
			servers = append(servers, tc.server)
		}
	}
	reports := concurrently(servers, func(server string) report {
		return checkArgs("-stage", stageOf[server], "--", exes[server], "-addr", "127.0.0.1:{port}")
	})
	for _, tc := range cases {
		t.Run(tc.server+": "+tc.message, func(t *testing.T) {
			r := reports[tc.server]
			assert.Equal(t, 1, r.code, r.text)
			assert.Equal(t, "does not meet "+tc.stage+"; read docs/"+tc.stage+".md", r.last)
			b := r.block(t, tc.stage, tc.scenario)
			assert.Regexp(t, `^  FAILED  `, b, r.text)
			assert.Contains(t, b, tc.message, r.text)
			assert.Contains(t, b, "read docs/"+tc.stage+".md")
		})
	}
}
