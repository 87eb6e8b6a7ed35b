// Command loadsim runs many clients against a stage's server at the same
// time and measures how long each message waits for its reply: the numbers
// behind the step from 05-loop to 06-goroutines.
//
// Each of -clients clients sends -messages lines, one at a time, and waits
// for each reply; a message's latency runs from its send to its reply. With
// -silent K, K of the clients connect first and then say nothing for
// -silent-for before sending like the others: the article's terminal that
// connects and types nothing. loadsim copes with every stage's protocol: it
// skips a welcome line, accepts a reply with or without "OK...", and
// connects again when the server hangs up after a reply (05-loop).
//
// It prints a line per client, then a summary whose last line is key=value
// pairs for scripts:
//
//	clients=10 messages=50 errors=0 p50=61µs p99=2.001s max=2.001s total=2.004s rps=24.9
//
// With -timeline FILE (and -timeline-zh FILE, the same with Chinese words)
// it also draws the run as a timeline, an SVG picture with a row per
// client: when it connected, how long it waited, when each reply came.
//
// With -hold, every client keeps its connection until all of them have
// finished, so that they are all connected at once; with -server-pid as
// well (Linux), loadsim reads the server's resident memory then and reports
// what each connection costs.
//
// Usage:
//
//	go run ./cmd/loadsim -addr localhost:8888 -clients 10 -messages 5 -silent 1 -silent-for 2s
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strings"
	"time"

	"socketcourse/internal/wire"
)

// config is what the flags ask for.
type config struct {
	addr      string
	clients   int
	messages  int
	silent    int
	silentFor time.Duration
	timeout   time.Duration
	hold      bool
	serverPID int
	dialLimit int
	quiet     bool

	timelines map[string]string // language ("en", "zh-CN") to the file to draw the run in
	title     string            // what the timeline is of
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, runs the clients and prints the report; it returns the
// exit status: 0, 1 if any message failed, 2 for bad flags.
func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadsim:", err)
		return 2
	}
	res := simulate(cfg)
	if res.unreachable != nil {
		fmt.Fprintf(stderr, "loadsim: cannot connect to %s: %v\n", cfg.addr, wire.Reason(res.unreachable))
		return 1
	}
	report(stdout, cfg, res)
	for lang, file := range cfg.timelines {
		if err := drawTimeline(file, lang, cfg, res); err != nil {
			fmt.Fprintln(stderr, "loadsim:", err)
			return 1
		}
	}
	if res.errors > 0 {
		return 1
	}
	return 0
}

func parse(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("loadsim", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", "localhost:8888", "`host:port` of the server")
	fs.IntVar(&cfg.clients, "clients", 10, "how many clients run at once")
	fs.IntVar(&cfg.messages, "messages", 5, "how many messages each client sends, one after another")
	fs.IntVar(&cfg.silent, "silent", 0, "how many of the clients connect first and say nothing for -silent-for")
	fs.DurationVar(&cfg.silentFor, "silent-for", 2*time.Second, "how long the silent clients say nothing")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "deadline for each connect, send and reply")
	fs.BoolVar(&cfg.hold, "hold", false, "keep every connection open until all clients have finished")
	fs.IntVar(&cfg.serverPID, "server-pid", 0, "with -hold, on Linux: the server's process ID, to measure its memory per connection")
	fs.IntVar(&cfg.dialLimit, "dial-limit", 0, "at most this many connects in progress at once (0: no limit); keep it below a small backlog")
	fs.BoolVar(&cfg.quiet, "q", false, "print the summary only, not a line per client")
	var timelineEN, timelineZH string
	fs.StringVar(&timelineEN, "timeline", "", "also draw the run as a timeline, a row per client, in this SVG `file`")
	fs.StringVar(&timelineZH, "timeline-zh", "", "the same timeline with its words in Simplified Chinese, in this SVG `file`")
	fs.StringVar(&cfg.title, "title", "", "what the timeline is of, such as the stage's name (default: the address)")
	// Report a bad flag in one line; print the usage only when asked (-h).
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "Usage: go run ./cmd/loadsim [flags]")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
		}
		return cfg, err
	}
	cfg.timelines = map[string]string{}
	for lang, file := range map[string]string{"en": timelineEN, "zh-CN": timelineZH} {
		if file != "" {
			cfg.timelines[lang] = file
		}
	}
	if cfg.title == "" {
		cfg.title = cfg.addr
	}
	switch {
	case fs.NArg() > 0:
		return cfg, fmt.Errorf("unexpected argument %q; give the address with -addr, as in -addr localhost:8888", fs.Arg(0))
	case badAddr(cfg.addr) != nil:
		return cfg, fmt.Errorf("bad -addr: %v", badAddr(cfg.addr))
	case cfg.clients < 1:
		return cfg, errors.New("-clients must be at least 1")
	case cfg.messages < 1:
		return cfg, errors.New("-messages must be at least 1")
	case cfg.silent < 0 || cfg.silent > cfg.clients:
		return cfg, fmt.Errorf("-silent must be between 0 and -clients (%d)", cfg.clients)
	case cfg.silentFor < 0:
		return cfg, errors.New("-silent-for cannot be negative")
	case cfg.dialLimit < 0:
		return cfg, errors.New("-dial-limit cannot be negative")
	case cfg.timeout <= 0:
		return cfg, errors.New("-timeout must be positive")
	case cfg.serverPID != 0 && !cfg.hold:
		return cfg, errors.New("-server-pid needs -hold: memory is measured while every client is connected")
	case cfg.serverPID != 0 && !canMeasureRSS:
		return cfg, errors.New("-server-pid works on Linux only (it reads /proc/PID/status)")
	case cfg.serverPID != 0 && residentBytes(cfg.serverPID) == 0:
		return cfg, fmt.Errorf("-server-pid %d: cannot read that process's memory", cfg.serverPID)
	}
	return cfg, nil
}

// badAddr returns why addr cannot be an address to connect to ("nope":
// no port; ":99999": no such port), or nil. A host name that does not
// resolve is not caught here: connecting reports it, like a refusal.
func badAddr(addr string) error {
	_, err := net.ResolveTCPAddr("tcp", addr)
	var addrErr *net.AddrError
	if errors.As(err, &addrErr) {
		return addrErr
	}
	return nil
}

// report prints a line per client and the summary.
func report(w io.Writer, cfg config, res results) {
	if !cfg.quiet {
		for _, c := range res.clients {
			fmt.Fprintln(w, clientLine(cfg, c))
		}
	}
	if res.rssBefore > 0 && res.held > 0 {
		perConn := float64(res.rssDuring-res.rssBefore) / float64(res.held)
		fmt.Fprintf(w, "server memory (RSS): %.1f MiB before, %.1f MiB with %d connections: %.1f KB per connection\n",
			mib(res.rssBefore), mib(res.rssDuring), res.held, perConn/1000)
	}
	fmt.Fprintln(w, summaryLine(cfg, res))
}

// clientLine says what one client saw, in one line.
func clientLine(cfg config, c clientResult) string {
	kind := ""
	if c.silent {
		kind = fmt.Sprintf(" (silent for %v)", cfg.silentFor)
	}
	line := fmt.Sprintf("client %d%s: %d replies, %d errors, %d reconnects", c.id, kind, len(c.latencies), c.errors, c.reconnects)
	if len(c.latencies) > 0 {
		line += fmt.Sprintf(", first reply after %v, slowest %v", round(c.firstReply), round(maxOf(c.latencies)))
	}
	if c.err != nil {
		line += fmt.Sprintf(", first error: %v", c.err)
	}
	return line
}

// summaryLine is the report's last line: key=value pairs for scripts.
func summaryLine(cfg config, res results) string {
	all := res.latencies()
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pairs := []string{
		fmt.Sprintf("clients=%d", cfg.clients),
		fmt.Sprintf("messages=%d", len(all)),
		fmt.Sprintf("errors=%d", res.errors),
		fmt.Sprintf("p50=%v", round(percentile(all, 50))),
		fmt.Sprintf("p99=%v", round(percentile(all, 99))),
		fmt.Sprintf("max=%v", round(percentile(all, 100))),
		fmt.Sprintf("total=%v", round(res.total)),
		fmt.Sprintf("rps=%.1f", float64(len(all))/res.total.Seconds()),
	}
	if res.rssBefore > 0 && res.held > 0 {
		pairs = append(pairs, fmt.Sprintf("rss_per_conn_bytes=%d", (res.rssDuring-res.rssBefore)/int64(res.held)))
	}
	return strings.Join(pairs, " ")
}

// percentile returns the p-th percentile of sorted by the nearest-rank
// method, or 0 for no values.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return sorted[max(rank, 1)-1]
}

func maxOf(ds []time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

// round keeps durations readable: microseconds below a second, then
// milliseconds.
func round(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Microsecond)
	}
	return d.Round(time.Millisecond)
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// drawTimeline writes the run's timeline, with the words of lang, to file.
func drawTimeline(file, lang string, cfg config, res results) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := writeTimeline(f, lang, cfg.title, cfg, res); err != nil {
		f.Close() // The write failed already: that is the error to report.
		return err
	}
	return f.Close()
}
