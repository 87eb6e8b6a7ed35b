package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"socketcourse/internal/course"
)

// A difference is a slip in text: the article's lines, the welcome line,
// the reply's prefix, the form of "Connected with". The program behaves
// as the stage wants, but does not meet it until the text is right. The
// report shows each difference once, with where the bytes part.
type difference struct {
	kind string // line, bind-failed-line, connected-line, welcome, prefix, reply, no-output
	what string // which text, in words: the article's line "Socket created"
	want string
	got  string
	at   int    // the first byte that differs; -1 when nothing was printed or sent
	from string // the first stage whose text it is
	only bool   // it applies to that stage only
}

// appliesTo reports whether the difference keeps stage from being met.
func (d difference) appliesTo(stage string) bool {
	if d.only {
		return stage == d.from
	}
	return stageIndex(stage) >= stageIndex(d.from)
}

// key identifies a difference, so that it is reported once however many
// scenarios saw it.
func (d difference) key() string { return d.kind + "\x00" + d.want + "\x00" + d.got }

// words says the difference in one line.
func (d difference) words() string {
	switch {
	case d.kind == "no-output":
		return d.what
	case d.at < 0:
		return fmt.Sprintf("%s: missing; want %q", d.what, d.want)
	}
	s := fmt.Sprintf("%s: want %q, got %q, at byte %d", d.what, d.want, d.got, d.at)
	if i := d.at; i < len(d.want) && i < len(d.got) && strings.EqualFold(d.want[i:i+1], d.got[i:i+1]) {
		if d.want[i] >= 'a' {
			s += " (a capital letter where the article's is small)"
		} else {
			s += " (a small letter where the article's is a capital)"
		}
	}
	return s
}

// hint says how to write the line as the article does, for the slips
// that come from how a language prints: Python's print of a tuple, or of
// several arguments, which it joins with spaces; Go's Println, which
// does too; Java's InetAddress, which prints itself with a "/"; and the
// article's line when bind fails, from each language's error.
func (d difference) hint(l lang) string {
	switch {
	case d.kind == "bind-failed-line":
		return hints{
			"":          "print the article's line, with the error's number or its name after Error Code: Bind failed. Error Code : 98 Message Address already in use.",
			langGo:      "net.Listen's error holds the number: var errno syscall.Errno; errors.As(err, &errno); fmt.Printf(\"Bind failed. Error Code : %d Message %s\\n\", int(errno), errno).",
			langPython3: "print('Bind failed. Error Code : ' + str(msg.errno) + ' Message ' + msg.strerror).",
			langNode:    "console.log(`Bind failed. Error Code : ${err.code} Message ${err.message}`) in server.on('error', ...): the code is a name, EADDRINUSE.",
			langJava:    "Java has no error number: the exception's name is the code, System.out.println(\"Bind failed. Error Code : BindException Message \" + e.getMessage()).",
			langRust:    "println!(\"Bind failed. Error Code : {} Message {}\", e.raw_os_error().unwrap_or(0), e).",
			langC:       "printf(\"Bind failed. Error Code : %d Message %s\\n\", errno, strerror(errno)).",
		}.pick(l)
	case d.kind != "connected-line":
		return ""
	case l.family() == langPython3 && strings.Contains(d.got, "('127.0.0.1', "):
		return "print(..., addr) prints the tuple: print('Connected with ' + addr[0] + ':' + str(addr[1]))."
	case l.family() == langPython3 && strings.Contains(d.got, "127.0.0.1 : "):
		return "print joins its arguments with spaces: print one string, 'Connected with ' + addr[0] + ':' + str(addr[1])."
	case l == langGo && strings.Contains(d.got, "127.0.0.1 : "):
		return "fmt.Println puts a space between its arguments: fmt.Println(\"Connected with\", conn.RemoteAddr()) prints the address whole."
	case strings.Contains(d.got, "/127.0.0.1"):
		return "an InetAddress prints itself with a / before it: socket.getInetAddress().getHostAddress() + \":\" + socket.getPort() prints 127.0.0.1:<port>."
	case strings.Contains(d.got, "::ffff:127.0.0.1"):
		return "Node.js listens on IPv6 too, and names an IPv4 client ::ffff:127.0.0.1: server.listen(port, '127.0.0.1'), or print socket.remoteAddress without ::ffff:."
	}
	return ""
}

// pick returns h in the words of l.
func (h hints) pick(l lang) string {
	if s, ok := h[l.family()]; ok {
		return s
	}
	return h[""]
}

// The stages from which each text is the course's: the first whose
// program prints or sends it.
var (
	stageBind    = course.Stages[0].Folder
	stageClients = course.FirstWith(func(st *course.Stage) bool { return st.PrintsClients }).Folder
	stageReply   = course.FirstWith(func(st *course.Stage) bool { return st.Reply != course.NoReply }).Folder
	stagePrefix  = course.FirstWith(func(st *course.Stage) bool { return st.Reply == course.Prefixed }).Folder
	stageWelcome = course.FirstWith(func(st *course.Stage) bool { return st.Welcome }).Folder
	stageEvery   = course.FirstWith(func(st *course.Stage) bool { return slices.Contains(st.Has, course.EveryMessage) }).Folder
)

// noOutputWords say that a program that was running printed nothing, and
// why that may be, for its language.
func noOutputWords(l lang) string {
	const what = "your program printed nothing, though it was running"
	switch l {
	case langGo:
		return what + ": fmt.Println writes at once; a bufio.Writer holds what it is given until Flush"
	case langNode, langJava, langRust:
		return what + ": print the article's lines (" + l.name() + " writes each line at once)"
	case langC:
		return what + ": C's stdio holds printf's lines while stdout is a pipe; call setvbuf(stdout, NULL, _IONBF, 0) first in main, or fflush(stdout) after each printf"
	}
	return what + ": its output is held in a buffer"
}

// diffAt returns the first byte at which a and b differ.
func diffAt(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// textDiff is the difference of got from want.
func textDiff(kind, what, want, got, from string) difference {
	return difference{kind: kind, what: what, want: want, got: got, at: diffAt(want, got), from: from}
}

// missing is the difference of text that never came.
func missing(kind, what, want, from string) difference {
	return difference{kind: kind, what: what, want: want, at: -1, from: from}
}

// nearLine finds the line among lines that was meant to be want: the line
// itself, or one that differs a little (case, a word, punctuation). ok is
// false when no line comes close.
func nearLine(lines []string, want string) (got string, exact, ok bool) {
	best, bestDist := "", len(want)/3+2
	lw := strings.ToLower(want)
	for _, l := range lines {
		if l == want {
			return l, true, true
		}
		ll := strings.ToLower(strings.TrimSpace(l))
		d := editDistance(ll, lw)
		if strings.HasPrefix(ll, lw) || strings.HasPrefix(lw, ll) && len(ll) >= len(lw)/2 {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = l, d
		}
	}
	return best, false, best != ""
}

// lineDiffs checks that lines has each of want, and returns the
// differences: a line printed with a slip, or not printed at all.
func lineDiffs(lines []string, want []string) []difference {
	var diffs []difference
	for _, w := range want {
		got, exact, ok := nearLine(lines, w)
		what := fmt.Sprintf("the article's line %q", w)
		switch {
		case exact:
		case ok:
			diffs = append(diffs, textDiff("line", what, w, got, course.LineFrom(w).Folder))
		default:
			diffs = append(diffs, missing("line", what, w, course.LineFrom(w).Folder))
		}
	}
	return diffs
}

// connectedLine is what the article prints for a client.
func connectedLine(port int) string { return "Connected with 127.0.0.1:" + strconv.Itoa(port) }

// connectedForms are the ways of writing the client's address that are
// the article's line: IPv4, or IPv4 in IPv6 from a dual-stack socket.
func connectedForms(port int) []string {
	p := strconv.Itoa(port)
	return []string{"Connected with 127.0.0.1:" + p, "Connected with [::ffff:127.0.0.1]:" + p, "Connected with ::ffff:127.0.0.1:" + p}
}

var number = regexp.MustCompile(`\d+`)

// connectedFor looks among lines for the one about the client from port.
// It returns the difference if the line differs from the article's, and
// wrong if a "Connected with" line names another port than any client's
// (the server's own, say) while none names this one.
func connectedFor(lines []string, port int, clientPorts map[int]bool) (d *difference, wrong string) {
	p := strconv.Itoa(port)
	want := connectedLine(port)
	var mine string
	exact := exactForOther(lines, port, clientPorts)
	for _, l := range lines {
		for _, f := range connectedForms(port) {
			if l == f || interleaved(l, f) || exact && strings.Contains(l, f) {
				return nil, ""
			}
		}
		for _, n := range number.FindAllString(l, -1) {
			if n == p && mine == "" {
				mine = l
			}
		}
	}
	if mine != "" {
		diff := textDiff("connected-line", "the line for a client", want, mine, stageClients)
		diff.want, diff.got = generalisePort(diff.want, port), generalisePort(diff.got, port)
		diff.at = diffAt(diff.want, diff.got)
		return &diff, ""
	}
	for _, l := range lines {
		if !strings.HasPrefix(strings.ToLower(l), "connected with") {
			continue
		}
		for _, n := range number.FindAllString(l, -1) {
			if v, _ := strconv.Atoi(n); v > 255 && !clientPorts[v] {
				return nil, l
			}
		}
	}
	diff := missing("connected-line", "the line for a client", generalisePort(want, port), stageClients)
	return &diff, ""
}

// exactForOther reports whether the article's line was printed, exactly,
// for another client than the one from port: one line of the program
// prints it for every client, so if this client's line holds it with
// more around it, other output was mixed in.
func exactForOther(lines []string, port int, clientPorts map[int]bool) bool {
	for q := range clientPorts {
		if q == port {
			continue
		}
		for _, f := range connectedForms(q) {
			if slices.Contains(lines, f) {
				return true
			}
		}
	}
	return false
}

// interleaved reports whether line is the article's line f with another
// thread's output glued to it, as when a thread's print('failed:', e)
// writes its parts apart and one lands inside the line: the program
// printed f, and the mix is a race between its prints, not a slip. Text
// the learner wrote beside f has a space or no letter ("[*] Connected
// with", a full stop after the port): that is a slip.
func interleaved(line, f string) bool {
	i := strings.Index(line, f)
	if i < 0 || line == f {
		return false
	}
	before, after := line[:i], line[i+len(f):]
	glued := func(s string, edge byte) bool {
		return s == "" || (edge != ' ' && edge != '\t' && strings.IndexFunc(s, unicode.IsLetter) >= 0)
	}
	var b, a byte
	if before != "" {
		b = before[len(before)-1]
	}
	if after != "" {
		a = after[0]
		if a >= '0' && a <= '9' {
			return false
		}
	}
	return glued(before, b) && glued(after, a)
}

// generalisePort writes a client's port as <port>, so that the same slip
// seen for several clients is one difference.
func generalisePort(s string, port int) string {
	return strings.ReplaceAll(s, strconv.Itoa(port), "<port>")
}
