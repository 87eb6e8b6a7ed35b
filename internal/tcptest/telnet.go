package tcptest

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Telnet is a scripted client that records what a learner's terminal shows
// when they run `telnet localhost 8888` and type, as the article does: the
// lines telnet prints itself, each line typed (the terminal echoes it), and
// every byte the server sends. Like telnet, it sends each typed line with
// "\r\n".
type Telnet struct {
	Conn   net.Conn
	t      testing.TB
	r      *bufio.Reader
	screen strings.Builder
}

// telnetBanner is what telnet (netkit telnet 0.17, Debian's package)
// prints itself when it connects to localhost on 8888 and localhost is
// 127.0.0.1 only.
const telnetBanner = `$ telnet localhost 8888
Trying 127.0.0.1...
Connected to localhost.
Escape character is '^]'.
`

// NewTelnet connects to addr and starts a terminal that shows telnet's
// banner.
func NewTelnet(t testing.TB, addr string) *Telnet {
	t.Helper()
	c := Dial(t, addr)
	tn := &Telnet{Conn: c, t: t, r: bufio.NewReader(c)}
	tn.screen.WriteString(telnetBanner)
	return tn
}

// Type types line and presses Enter.
func (tn *Telnet) Type(line string) {
	tn.t.Helper()
	tn.screen.WriteString(line + "\n")
	Send(tn.t, tn.Conn, line+"\r\n")
}

// ReadLine waits for the server to send a line and shows it.
func (tn *Telnet) ReadLine() {
	tn.t.Helper()
	line, err := tn.r.ReadString('\n')
	require.NoError(tn.t, err, "read %q; want a line", line)
	tn.screen.WriteString(strings.ReplaceAll(line, "\r\n", "\n"))
}

// ExpectQuiet checks that the server sends nothing for Quiet.
func (tn *Telnet) ExpectQuiet() {
	tn.t.Helper()
	require.Zero(tn.t, tn.r.Buffered(), "the server sent more than was read")
	ExpectSilence(tn.t, tn.Conn)
}

// ExpectClosed waits for the server to close the connection (EOF), checks
// that nothing else arrives first, and shows what telnet then prints.
func (tn *Telnet) ExpectClosed() {
	tn.t.Helper()
	rest, err := io.ReadAll(tn.r)
	require.NoError(tn.t, err, "want the server to close the connection")
	require.Empty(tn.t, string(rest), "the server sent more before closing")
	tn.screen.WriteString("Connection closed by foreign host.\n")
}

// Screen returns what the terminal shows so far.
func (tn *Telnet) Screen() string { return tn.screen.String() }
