package tcptest

import (
	"encoding/xml"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// CheckTimeline checks that svg, a timeline cmd/loadsim drew (-timeline),
// shows the run whose report is report (what loadsim printed: a line per
// client, then the summary): the same summary and client lines (kept in
// data-summary and each row's data-line), and in each client's row as many
// replies and connections as its line says, its first reply where its line
// says, its longest wait as long as its slowest reply, and a silent stretch
// only for a silent client. What a reader sees, the picture's <desc> and
// each row's <title>, may be in another language, but it quotes no number
// the report does not have.
func CheckTimeline(t testing.TB, svg, report string) {
	t.Helper()
	var pic timeline
	if err := xml.Unmarshal([]byte(svg), &pic); err != nil {
		t.Fatalf("the timeline is not an SVG document: %v", err)
	}
	if pic.PxPerSecond <= 0 {
		t.Fatalf("the timeline does not say its scale (data-px-per-second)")
	}
	lines := strings.Split(strings.TrimSpace(report), "\n")
	clients, summary := lines[:len(lines)-1], lines[len(lines)-1]
	if pic.Summary != summary {
		t.Errorf("the timeline is of the run %q; the report's is %q", pic.Summary, summary)
	}
	checkNumbers(t, "the timeline's <desc>", pic.Desc, summary)
	if len(pic.Rows) != len(clients) {
		t.Fatalf("the timeline has %d rows; the report has %d clients", len(pic.Rows), len(clients))
	}
	// A pixel and a half either way: the picture rounds to a tenth of a
	// pixel, draws a bar at least a pixel wide, and the report rounds too.
	slack := 1.5 / pic.PxPerSecond
	for i, row := range pic.Rows {
		line := clients[i]
		if row.Line != line {
			t.Errorf("row %d is of %q; the report's line is %q", i+1, row.Line, line)
			continue
		}
		checkNumbers(t, fmt.Sprintf("row %d's <title>", i+1), row.Title, line)
		m := clientLineRE.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("cannot read the report's line %q", line)
			continue
		}
		replies, _ := strconv.Atoi(m[2])
		errs, _ := strconv.Atoi(m[3])
		reconnects, _ := strconv.Atoi(m[4])
		var ticks, waits []float64 // seconds
		silent := 0
		for _, r := range row.Rects {
			switch r.Class {
			case "reply":
				ticks = append(ticks, (r.At-pic.X0)/pic.PxPerSecond)
			case "wait":
				waits = append(waits, r.Width/pic.PxPerSecond)
			case "silent":
				silent++
			}
		}
		if len(ticks) != replies {
			t.Errorf("%s: %d replies in the picture", line, len(ticks))
		}
		if connects := len(row.Circles); errs == 0 && connects != 1+reconnects {
			t.Errorf("%s: %d connections in the picture", line, connects)
		}
		if wasSilent := m[1] != ""; wasSilent && silent != 1 || !wasSilent && silent != 0 {
			t.Errorf("%s: %d silent stretches in the picture", line, silent)
		}
		if replies == 0 {
			continue
		}
		first, slowest := seconds(t, m[5]), seconds(t, m[6])
		if got := minimum(ticks); math.Abs(got-first) > slack {
			t.Errorf("%s: the first reply is at %.4fs in the picture", line, got)
		}
		if got := maximum(waits); math.Abs(got-slowest) > slack {
			t.Errorf("%s: the longest wait is %.4fs in the picture", line, got)
		}
	}
}

// clientLineRE reads a client's line of loadsim's report: whether it was
// silent, its replies, errors and reconnects, its first reply and its
// slowest.
var clientLineRE = regexp.MustCompile(`^client \d+( \(silent for \S+\))?: (\d+) replies, (\d+) errors, (\d+) reconnects(?:, first reply after (\S+), slowest ([^,]+))?`)

// timeline is what CheckTimeline reads of a timeline.
type timeline struct {
	X0          float64 `xml:"data-x0,attr"`
	PxPerSecond float64 `xml:"data-px-per-second,attr"`
	Summary     string  `xml:"data-summary,attr"`
	Desc        string  `xml:"desc"`
	Rows        []struct {
		Line  string `xml:"data-line,attr"`
		Title string `xml:"title"`
		Rects []struct {
			Class string  `xml:"class,attr"`
			Width float64 `xml:"width,attr"`
			At    float64 `xml:"data-at,attr"`
		} `xml:"rect"`
		Circles []struct{} `xml:"circle"`
	} `xml:"g"`
}

// numberRE finds the numbers a text quotes: 5, 2.017, 24.7.
var numberRE = regexp.MustCompile(`\d+(?:\.\d+)?`)

// checkNumbers checks that what (a tooltip) is not empty and quotes only
// numbers that are in line, the report's words for the same thing.
func checkNumbers(t testing.TB, name, what, line string) {
	t.Helper()
	if strings.TrimSpace(what) == "" {
		t.Errorf("%s is empty; it should say %q in the picture's language", name, line)
		return
	}
	have := map[string]bool{}
	for _, n := range numberRE.FindAllString(line, -1) {
		have[n] = true
	}
	for _, n := range numberRE.FindAllString(what, -1) {
		if !have[n] {
			t.Errorf("%s %q quotes %s, which the report's %q does not have", name, what, n, line)
		}
	}
}

func seconds(t testing.TB, s string) float64 {
	t.Helper()
	d, err := time.ParseDuration(s)
	if err != nil {
		t.Fatalf("cannot read the duration %q: %v", s, err)
	}
	return d.Seconds()
}

func minimum(xs []float64) float64 {
	m := math.Inf(1)
	for _, x := range xs {
		m = math.Min(m, x)
	}
	return m
}

func maximum(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x)
	}
	return m
}
