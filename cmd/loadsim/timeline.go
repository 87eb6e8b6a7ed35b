package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A timeline draws a run as a picture of who waits: a row per client, on
// one time axis from the start of the run, with a dot where the client
// connected, a grey bar while a silent client says nothing by its own
// choice, an orange bar from each message to its reply (waiting), and a
// green tick at each reply. It is an SVG file, which GitHub shows inline.
//
// The picture keeps the run it came from: the root element holds the
// summary line loadsim printed (data-summary), each row the client's line
// (data-line), and the root says where time 0 is (data-x0) and how many
// pixels a second takes (data-px-per-second), so that a test can check that
// the picture and the numbers agree. What a reader sees when pointing at
// the picture, its <desc> and each row's <title>, says the same in the
// picture's language.

// labels are the words of a timeline, in one language.
type labels struct {
	client  func(id int, silent bool) string
	line    func(cfg config, c clientResult) string // a row's tooltip
	summary func(cfg config, res results) string    // the picture's <desc>
	title   func(name string, cfg config) string
	axis    string
	seconds func(s float64) string
	legend  [5]string // connected, silent, waiting, reply, no reply
}

var timelineLabels = map[string]labels{
	"en": {
		client: func(id int, silent bool) string {
			if silent {
				return fmt.Sprintf("client %d (silent)", id)
			}
			return fmt.Sprintf("client %d", id)
		},
		line:    clientLine,
		summary: summaryLine,
		title: func(name string, cfg config) string {
			messages := "messages"
			if cfg.messages == 1 {
				messages = "message"
			}
			s := fmt.Sprintf("%s: %d clients, %d %s each", name, cfg.clients, cfg.messages, messages)
			switch {
			case cfg.silent == 1:
				s += fmt.Sprintf("; client 1 says nothing for the first %v", cfg.silentFor)
			case cfg.silent > 1:
				s += fmt.Sprintf("; clients 1 to %d say nothing for the first %v", cfg.silent, cfg.silentFor)
			}
			return s
		},
		axis:    "seconds since the start",
		seconds: func(s float64) string { return trimFloat(s) + " s" },
		legend:  [5]string{"connected", "silent (its own choice)", "waiting for a reply", "reply", "no reply"},
	},
	"zh-CN": {
		client: func(id int, silent bool) string {
			if silent {
				return fmt.Sprintf("客户端 %d（不说话）", id)
			}
			return fmt.Sprintf("客户端 %d", id)
		},
		line:    zhClientLine,
		summary: zhSummaryLine,
		title: func(name string, cfg config) string {
			s := fmt.Sprintf("%s：%d 个客户端，每个发 %d 条消息", name, cfg.clients, cfg.messages)
			switch {
			case cfg.silent == 1:
				s += fmt.Sprintf("；客户端 1 前 %s不说话", zhDuration(cfg.silentFor))
			case cfg.silent > 1:
				s += fmt.Sprintf("；客户端 1～%d 前 %s不说话", cfg.silent, zhDuration(cfg.silentFor))
			}
			return s
		},
		axis:    "从开始算起的秒数",
		seconds: func(s float64) string { return trimFloat(s) + " 秒" },
		legend:  [5]string{"连上", "不说话（它自己选的）", "等回复", "收到回复", "没有回复"},
	},
}

// The timeline's geometry, in pixels.
const (
	tlWidth     = 760
	tlLeft      = 150 // where time 0 is: the row labels are to its left
	tlRight     = 30
	tlTop       = 44 // below the title
	tlRow       = 22
	tlBar       = 10 // the height of a bar
	tlAxis      = 40 // the axis and its labels
	tlLegend    = 30
	tlTickWidth = 2
)

// writeTimeline draws res as a timeline with the words of lang, naming
// the run name.
func writeTimeline(w io.Writer, lang, name string, cfg config, res results) error {
	l := timelineLabels[lang]
	span, step := timeScale(res)
	pxPerSecond := float64(tlWidth-tlLeft-tlRight) / span.Seconds()
	x := func(d time.Duration) float64 { return tlLeft + d.Seconds()*pxPerSecond }
	height := tlTop + len(res.clients)*tlRow + tlAxis + tlLegend

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12" data-x0="%d" data-px-per-second="%s" data-summary="%s">`+"\n",
		tlWidth, height, tlWidth, height, tlLeft, trimFloat(pxPerSecond), html.EscapeString(summaryLine(cfg, res)))
	fmt.Fprintf(&b, "<desc>%s</desc>\n", html.EscapeString(l.summary(cfg, res)))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", tlWidth, height)
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="14" font-weight="bold">%s</text>`+"\n", 10, html.EscapeString(l.title(name, cfg)))

	for i, c := range res.clients {
		y := tlTop + i*tlRow + tlRow/2 // the row's middle
		top := float64(y - tlBar/2)
		fmt.Fprintf(&b, `<g class="client" data-client="%d" data-line="%s"><title>%s</title>`+"\n",
			c.id, html.EscapeString(clientLine(cfg, c)), html.EscapeString(l.line(cfg, c)))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" dominant-baseline="middle">%s</text>`+"\n", tlLeft-10, y, html.EscapeString(l.client(c.id, c.silent)))
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#e4e4e4"/>`+"\n", tlLeft, y, tlWidth-tlRight, y)
		if c.silent && len(c.connects) > 0 {
			end := c.connects[0]
			switch {
			case len(c.trips) > 0:
				end = c.trips[0].sent
			case len(c.failures) > 0:
				end = c.failures[0]
			}
			fmt.Fprintf(&b, `<rect class="silent" x="%s" y="%s" width="%s" height="%d" fill="#c8c8c8"/>`+"\n",
				px(x(c.connects[0])), px(top), px(max(x(end)-x(c.connects[0]), 1)), tlBar)
		}
		for _, tr := range c.trips {
			fmt.Fprintf(&b, `<rect class="wait" x="%s" y="%s" width="%s" height="%d" fill="#f0a030"/>`+"\n",
				px(x(tr.sent)), px(top), px(max(x(tr.replied)-x(tr.sent), 1)), tlBar)
		}
		for _, tr := range c.trips {
			fmt.Fprintf(&b, `<rect class="reply" x="%s" y="%d" width="%d" height="%d" fill="#1e8a3c" data-at="%s"/>`+"\n",
				px(x(tr.replied)-tlTickWidth/2), y-tlRow/2+3, tlTickWidth, tlRow-6, px(x(tr.replied)))
		}
		for _, at := range c.failures {
			fmt.Fprintf(&b, `<path class="failure" d="M%s %d l6 6 m0 -6 l-6 6" stroke="#c0282d" stroke-width="2"/>`+"\n", px(x(at)-3), y-3)
		}
		for _, at := range c.connects {
			fmt.Fprintf(&b, `<circle class="connect" cx="%s" cy="%d" r="3.5" fill="#2f6db5"/>`+"\n", px(x(at)), y)
		}
		b.WriteString("</g>\n")
	}

	// The axis: a tick and a label every step.
	axisY := tlTop + len(res.clients)*tlRow + 6
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#555"/>`+"\n", tlLeft, axisY, tlWidth-tlRight, axisY)
	for t := time.Duration(0); t <= span; t += step {
		fmt.Fprintf(&b, `<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#555"/>`+"\n", px(x(t)), axisY, px(x(t)), axisY+5)
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle">%s</text>`+"\n", px(x(t)), axisY+18, html.EscapeString(l.seconds(t.Seconds())))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#555">%s</text>`+"\n", tlWidth-tlRight, axisY+34, html.EscapeString(l.axis))

	// The legend.
	ly := axisY + tlAxis + 8
	lx := 10
	item := func(mark, text string) {
		b.WriteString(mark)
		fmt.Fprintf(&b, `<text x="%d" y="%d" dominant-baseline="middle">%s</text>`+"\n", lx+16, ly, html.EscapeString(text))
		lx += 16 + textWidth(text) + 18
	}
	item(fmt.Sprintf(`<circle cx="%d" cy="%d" r="3.5" fill="#2f6db5"/>`+"\n", lx+6, ly), l.legend[0])
	item(fmt.Sprintf(`<rect x="%d" y="%d" width="12" height="%d" fill="#c8c8c8"/>`+"\n", lx, ly-tlBar/2, tlBar), l.legend[1])
	item(fmt.Sprintf(`<rect x="%d" y="%d" width="12" height="%d" fill="#f0a030"/>`+"\n", lx, ly-tlBar/2, tlBar), l.legend[2])
	item(fmt.Sprintf(`<rect x="%d" y="%d" width="%d" height="%d" fill="#1e8a3c"/>`+"\n", lx+5, ly-8, tlTickWidth, 16), l.legend[3])
	if res.errors > 0 {
		item(fmt.Sprintf(`<path d="M%d %d l6 6 m0 -6 l-6 6" stroke="#c0282d" stroke-width="2"/>`+"\n", lx+3, ly-3), l.legend[4])
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// timeScale returns how long the axis is, a whole number of steps that
// covers the whole run, and the step between its labels: 1, 2 or 5 times a
// power of ten, at most 8 of them.
func timeScale(res results) (span, step time.Duration) {
	end := max(res.total, time.Millisecond)
	for _, c := range res.clients {
		for _, tr := range c.trips {
			end = max(end, tr.replied)
		}
		for _, at := range append(c.connects, c.failures...) {
			end = max(end, at)
		}
	}
	for power := time.Millisecond; ; power *= 10 {
		for _, s := range []time.Duration{1, 2, 5} {
			step = s * power
			if n := (end + step - 1) / step; n <= 8 {
				return n * step, step
			}
		}
	}
}

// textWidth guesses how many pixels text takes at 12 px: Latin letters
// about 7, Chinese characters 12.
func textWidth(text string) int {
	w := 0
	for _, r := range text {
		if r >= 0x2e80 {
			w += 12
		} else {
			w += 7
		}
	}
	return w
}

// px writes a coordinate with at most one decimal.
func px(f float64) string { return trimFloat(math.Round(f*10) / 10) }

// trimFloat writes f without trailing zeros: 0.5, 2, 224.
func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", f), "0"), ".")
}

// zhDuration writes a duration in Chinese, in the unit Go's own notation
// would use and with the same digits: "2 秒" for 2s, "2.017 秒" for
// 2.017s, "10 毫秒" for 10ms, "7.621 毫秒" for 7.621ms.
func zhDuration(d time.Duration) string {
	for _, u := range []struct {
		size time.Duration
		name string
	}{{time.Hour, "小时"}, {time.Minute, "分钟"}, {time.Second, "秒"}, {time.Millisecond, "毫秒"}, {time.Microsecond, "微秒"}} {
		if d >= u.size || d <= -u.size {
			if d >= time.Minute && d%u.size != 0 {
				return d.String() // 1m30s: Go's notation says it best
			}
			return strconv.FormatFloat(float64(d)/float64(u.size), 'f', -1, 64) + " " + u.name
		}
	}
	return fmt.Sprintf("%d 纳秒", int64(d))
}

// zhClientLine is a client's line of the report, in Chinese: the tooltip
// of its row in the Chinese timeline.
func zhClientLine(cfg config, c clientResult) string {
	kind := ""
	if c.silent {
		kind = fmt.Sprintf("（前 %s不说话）", zhDuration(cfg.silentFor))
	}
	line := fmt.Sprintf("客户端 %d%s：收到 %d 个回复，出错 %d 次，重新连接 %d 次", c.id, kind, len(c.latencies), c.errors, c.reconnects)
	if len(c.latencies) > 0 {
		line += fmt.Sprintf("，%s后收到第一个回复，最慢的一次往返用了 %s", zhDuration(round(c.firstReply)), zhDuration(round(maxOf(c.latencies))))
	}
	if c.err != nil {
		line += fmt.Sprintf("，第一个错误：%v", c.err)
	}
	return line
}

// zhSummaryLine is the report's summary, in Chinese: the <desc> of the
// Chinese timeline.
func zhSummaryLine(cfg config, res results) string {
	all := res.latencies()
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return fmt.Sprintf("%d 个客户端，%d 条消息，出错 %d 次；往返时间中位数 %s，p99 %s，最慢 %s；共用时 %s，每秒 %.1f 次往返",
		cfg.clients, len(all), res.errors, zhDuration(round(percentile(all, 50))), zhDuration(round(percentile(all, 99))),
		zhDuration(round(percentile(all, 100))), zhDuration(round(res.total)), float64(len(all))/res.total.Seconds())
}
