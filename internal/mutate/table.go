package main

// table holds each stage's mutants: exact pieces of its main.go and what
// replaces them, one small break at a time. Each should make the program
// behave differently for a client or a user, so that the stage's own tests
// fail; those that cannot are marked equivalent and say why.
var table = map[string][]mutant{
	"01-bind": append(sockets(),
		mutant{Find: "syscall.SOCK_STREAM", Replace: "syscall.SOCK_DGRAM"},
		mutant{Find: "return 0\n}\n\n// sockaddr", Replace: "return 1\n}\n\n// sockaddr"},
	),

	"02-listen": append(sockets(),
		mutant{Find: "syscall.SOCK_STREAM", Replace: "syscall.SOCK_DGRAM"},
		mutant{Find: `flag.Int("backlog", 10,`, Replace: `flag.Int("backlog", 11,`},
		mutant{Find: `flag.Int("backlog", 10,`, Replace: `flag.Int("backlog", 9,`},
		mutant{Find: "if *backlog < 0 {", Replace: "if *backlog < 1 {"},
		mutant{Find: `os.Exit(2)
	}
	os.Exit(run(`, Replace: `}
	os.Exit(run(`},
		mutant{Find: "syscall.Listen(fd, backlog)", Replace: "syscall.Listen(fd, backlog+5)"},
		mutant{Find: "syscall.Listen(fd, backlog)", Replace: "syscall.Listen(fd, 0)"},
		mutant{Find: `if err := syscall.Listen(fd, backlog); err != nil {`, Replace: `if err := error(nil); err != nil {`},
		mutant{Find: `fmt.Fprintln(out, "Socket now listening")`, Replace: ``},
		mutant{Find: "signal.Notify(stop, os.Interrupt, syscall.SIGTERM)", Replace: "signal.Notify(stop, syscall.SIGTERM)"},
		mutant{Find: "<-stop\n\treturn 0", Replace: "<-stop\n\treturn 1"},
	),

	"03-accept": append(listening(),
		mutant{Find: "if err := serve(l, out); err != nil {", Replace: "if err := serve(l, out); err == nil {"},
		mutant{Find: `fmt.Fprintln(out, "Connected with", conn.RemoteAddr())`, Replace: `fmt.Fprintln(out, "Connected with", conn.LocalAddr())`},
		mutant{Find: "defer conn.Close()", Replace: ""},
		mutant{Find: "defer conn.Close()", Replace: "defer conn.Close()\n\tconn.Write([]byte(\"hi\"))"},
	),

	"04-echo-once": append(listening(),
		mutant{Find: "if err := serve(l, out); err != nil {", Replace: "if err := serve(l, out); err == nil {"},
		mutant{Find: `fmt.Fprintln(out, "Connected with", conn.RemoteAddr())`, Replace: `fmt.Fprintln(out, "Connected with", conn.LocalAddr())`},
		mutant{Find: "defer conn.Close()", Replace: ""},
		mutant{Find: "buf := make([]byte, 1024)", Replace: "buf := make([]byte, 2048)"},
		mutant{Find: "buf := make([]byte, 1024)", Replace: "buf := make([]byte, 8)"},
		mutant{Find: "if n > 0 {", Replace: "if n > 1 {"},
		mutant{Find: "conn.Write(buf[:n])", Replace: "conn.Write(buf)"},
		mutant{Find: "conn.Write(buf[:n])", Replace: "conn.Write(buf[1:n])"},
		mutant{Find: `fmt.Fprintln(out, "Connection failed:", err)
			return nil`, Replace: `return nil`},
		mutant{Find: `fmt.Fprintln(out, "Connection failed:", err)
			return nil`, Replace: `fmt.Fprintln(out, "Connection failed:", err)`,
			Equivalent: "after a read that returned bytes, err is nil: nothing more is printed"},
		mutant{Find: "if err != nil && !errors.Is(err, io.EOF) {", Replace: "if err != nil {"},
		mutant{Find: "if err != nil && !errors.Is(err, io.EOF) {", Replace: "if false {"},
		mutant{Find: "if err != nil && !errors.Is(err, io.EOF) {", Replace: "if !errors.Is(err, io.EOF) {"},
	),

	"05-loop": append(listening(),
		mutant{Find: "if err := serve(l, out); err != nil {", Replace: "if err := serve(l, out); err == nil {"},
		mutant{Find: `fmt.Fprintln(out, "Connected with", conn.RemoteAddr())`, Replace: `fmt.Fprintln(out, "Connected with", conn.LocalAddr())`},
		mutant{Find: "reply := make([]byte, len(prefix)+1024)", Replace: "reply := make([]byte, len(prefix)+2048)"},
		mutant{Find: "reply := make([]byte, len(prefix)+1024)", Replace: "reply := make([]byte, len(prefix)+8)"},
		mutant{Find: "copy(reply, prefix)", Replace: ""},
		mutant{Find: "if n == 0 && errors.Is(err, io.EOF) {", Replace: "if errors.Is(err, io.EOF) {",
			Equivalent: "a TCP read never returns bytes and io.EOF together: EOF comes with n == 0"},
		mutant{Find: "if n == 0 && errors.Is(err, io.EOF) {", Replace: "if n == 0 && err != nil {"},
		mutant{Find: "if n == 0 && errors.Is(err, io.EOF) {", Replace: "if false {"},
		mutant{Find: "\t\t\tconn.Close()\n\t\t\treturn nil", Replace: "\t\t\treturn nil",
			Equivalent: "serve returns and the program exits at once: the system closes the connection all the same"},
		mutant{Find: "if n > 0 {", Replace: "if n > 1 {"},
		mutant{Find: "conn.Write(reply[:len(prefix)+n])", Replace: "conn.Write(reply[len(prefix) : len(prefix)+n])"},
		mutant{Find: "conn.Write(reply[:len(prefix)+n])", Replace: "conn.Write(reply)"},
		mutant{Find: `if _, err := conn.Write(reply[:len(prefix)+n]); err != nil {
				fmt.Fprintln(out, "Connection failed:", err)`, Replace: `if _, err := conn.Write(reply[:len(prefix)+n]); err != nil {`},
		mutant{Find: "if err != nil && !errors.Is(err, io.EOF) {", Replace: "if err != nil {",
			Equivalent: "a TCP read never returns bytes and io.EOF together, and one with no bytes has already returned"},
		mutant{Find: "if err != nil && !errors.Is(err, io.EOF) {", Replace: "if false {"},
		mutant{Find: "\t\t// conn.close(), and back to accept.\n\t\tconn.Close()", Replace: ""},
	),

	"06-goroutines": append(listening(),
		mutant{Find: `fmt.Fprintln(out, "Connected with", conn.RemoteAddr())`, Replace: `fmt.Fprintln(out, "Connected with", conn.LocalAddr())`},
		mutant{Find: "\treturn 1\n}\n\n// serve accepts", Replace: "\treturn 0\n}\n\n// serve accepts"},
		mutant{Find: "go handleConn(conn, out)", Replace: "handleConn(conn, out)"},
		mutant{Find: "defer conn.Close()", Replace: ""},
		mutant{Find: `"Welcome to the server. Type something and hit enter\n"`, Replace: `"Welcome to the server.\n"`},
		mutant{Find: `"Welcome to the server. Type something and hit enter\n"); err != nil {
		fmt.Fprintln(out, "Connection failed:", err)`, Replace: `"Welcome to the server. Type something and hit enter\n"); err != nil {`},
		mutant{Find: `"Welcome to the server. Type something and hit enter\n"); err != nil {
		fmt.Fprintln(out, "Connection failed:", err)
		return
	}`, Replace: `"Welcome to the server. Type something and hit enter\n"); err != nil {
		fmt.Fprintln(out, "Connection failed:", err)
	}`},
		mutant{Find: "reply := make([]byte, len(prefix)+1024)", Replace: "reply := make([]byte, len(prefix)+2048)"},
		mutant{Find: "reply := make([]byte, len(prefix)+1024)", Replace: "reply := make([]byte, len(prefix)+8)"},
		mutant{Find: "copy(reply, prefix)", Replace: ""},
		mutant{Find: "if n > 0 {", Replace: "if n > 1 {"},
		mutant{Find: "conn.Write(reply[:len(prefix)+n])", Replace: "conn.Write(reply)"},
		mutant{Find: `fmt.Fprintln(out, "Connection failed:", err)
				return
			}
		}`, Replace: `return
			}
		}`},
		mutant{Find: `fmt.Fprintln(out, "Connection failed:", err)
				return
			}
		}`, Replace: `fmt.Fprintln(out, "Connection failed:", err)
			}
		}`},
		mutant{Find: "if !errors.Is(err, io.EOF) {", Replace: "if true {"},
		mutant{Find: "if !errors.Is(err, io.EOF) {", Replace: "if false {"},
		mutant{Find: "\t\t\treturn\n\t\t}\n\t}\n}", Replace: "\t\t}\n\t}\n}"},
	),

	"07-shutdown": append(listening(),
		mutant{Find: `fmt.Fprintln(s.out, "Connected with", conn.RemoteAddr())`, Replace: `fmt.Fprintln(s.out, "Connected with", conn.LocalAddr())`},
		mutant{Find: `flag.Duration("grace", 5*time.Second,`, Replace: `flag.Duration("grace", 4*time.Second,`},
		mutant{Find: `flag.Duration("idle", 5*time.Minute,`, Replace: `flag.Duration("idle", 6*time.Minute,`},
		mutant{Find: "idle: *idle,", Replace: "idle: *grace,"},
		mutant{Find: "if *grace <= 0 || *idle <= 0 {", Replace: "if *grace <= 0 || *idle < 0 {"},
		mutant{Find: "if *grace <= 0 || *idle <= 0 {", Replace: "if *grace < 0 || *idle <= 0 {"},
		mutant{Find: "if *grace <= 0 || *idle <= 0 {", Replace: "if *grace <= 0 && *idle <= 0 {"},
		mutant{Find: "os.Interrupt, syscall.SIGTERM)", Replace: "os.Interrupt)"},
		mutant{Find: "stop() // From now on", Replace: "// From now on"},
		mutant{Find: `fmt.Fprintln(out, "Shutting down; press Ctrl-C again to stop at once")`, Replace: ``},
		mutant{Find: "l.Close() // Accept returns net.ErrClosed", Replace: "// Accept returns net.ErrClosed"},
		mutant{Find: "if n == 1 {", Replace: "if n != 1 {"},
		mutant{Find: `fmt.Fprintf(out, "Shut down: %d %s told and closed\n", n, clients)`, Replace: `_ = clients`},
		mutant{Find: "\t\tif errors.Is(err, net.ErrClosed) {\n\t\t\treturn", Replace: "\t\tif err == nil && false {\n\t\t\treturn"},
		mutant{Find: "pause = min(max(2*pause, 5*time.Millisecond), time.Second)", Replace: "pause = 5 * time.Millisecond"},
		mutant{Find: "pause = min(max(2*pause, 5*time.Millisecond), time.Second)", Replace: "pause = min(max(2*pause, 5*time.Millisecond), 10*time.Millisecond)"},
		mutant{Find: "pause = min(max(2*pause, 5*time.Millisecond), time.Second)", Replace: "pause = min(max(2*pause, 5*time.Millisecond), 2*time.Second)"},
		mutant{Find: "pause = min(max(2*pause, 5*time.Millisecond), time.Second)", Replace: "pause = min(max(3*pause, 5*time.Millisecond), time.Second)"},
		mutant{Find: "pause = min(max(2*pause, 5*time.Millisecond), time.Second)", Replace: "pause = min(max(2*pause, time.Millisecond), time.Second)"},
		mutant{Find: "\t\tpause = 0\n", Replace: ""},
		mutant{Find: "go s.handleConn(conn)", Replace: "s.handleConn(conn)"},
		mutant{Find: "s.track(conn)\n", Replace: ""},
		mutant{Find: `"Welcome to the server. Type something and hit enter\n"`, Replace: `"Welcome to the server.\n"`},
		mutant{Find: "reply := make([]byte, len(prefix)+1024)", Replace: "reply := make([]byte, len(prefix)+2048)"},
		mutant{Find: "reply := make([]byte, len(prefix)+1024)", Replace: "reply := make([]byte, len(prefix)+8)"},
		mutant{Find: "conn.SetDeadline(time.Now().Add(s.idle)) // Fails", Replace: "conn.SetDeadline(time.Now().Add(2 * s.idle)) // Fails"},
		mutant{Find: "conn.SetDeadline(time.Now().Add(s.idle)) // Fails", Replace: "// Fails"},
		mutant{Find: "if n > 0 {", Replace: "if n > 1 {"},
		mutant{Find: "conn.Write(reply[:len(prefix)+n])", Replace: "conn.Write(reply)"},
		mutant{Find: "\t\t\t\terr = werr\n", Replace: ""},
		mutant{Find: "case s.closing.Load():\n", Replace: "case false:\n"},
		mutant{Find: "case errors.Is(err, os.ErrDeadlineExceeded):", Replace: "case false:"},
		mutant{Find: "case errors.Is(err, io.EOF):", Replace: "case false:"},
		mutant{Find: `fmt.Fprintln(s.out, "Connection failed:", err)`, Replace: ``},
		mutant{Find: `"You have been idle for %v. Goodbye.\n", s.idle), time.Second)`, Replace: `"You have been idle for %v. Goodbye.\n", s.idle), time.Minute)`},
		mutant{Find: "conn.SetWriteDeadline(time.Now().Add(within))", Replace: "conn.SetWriteDeadline(time.Time{})"},
		mutant{Find: "\tconn.Close()\n\ts.mu.Lock()\n\tdelete(s.conns, conn)", Replace: "\ts.mu.Lock()\n\tdelete(s.conns, conn)"},
		mutant{Find: "delete(s.conns, conn)", Replace: ""},
		mutant{Find: "s.closing.Store(true)", Replace: ""},
		mutant{Find: "conn.SetReadDeadline(time.Now()) // wakes", Replace: "_ = conn // wakes"},
		mutant{Find: "conn.SetReadDeadline(time.Now()) // wakes", Replace: "conn.SetDeadline(time.Now()) // wakes"},
		mutant{Find: "case <-time.After(s.grace):", Replace: "case <-time.After(time.Hour):"},
		mutant{Find: "\t\t\tconn.Close() // ends a reply", Replace: "\t\t\t_ = conn // ends a reply"},
	),

	"08-lines": append(listening(),
		mutant{Find: `fmt.Fprintln(s.out, "Connected with", conn.RemoteAddr())`, Replace: `fmt.Fprintln(s.out, "Connected with", conn.LocalAddr())`},
		mutant{Find: `flag.Duration("grace", 5*time.Second,`, Replace: `flag.Duration("grace", 4*time.Second,`},
		mutant{Find: "idle: *idle,", Replace: "idle: *grace,"},
		mutant{Find: "if *grace <= 0 || *idle <= 0 {", Replace: "if *grace <= 0 || *idle < 0 {"},
		mutant{Find: "if *grace <= 0 || *idle <= 0 {", Replace: "if *grace < 0 || *idle <= 0 {"},
		mutant{Find: "if *grace <= 0 || *idle <= 0 {", Replace: "if *grace <= 0 && *idle <= 0 {"},
		mutant{Find: "os.Interrupt, syscall.SIGTERM)", Replace: "os.Interrupt)"},
		mutant{Find: "stop() // From now on", Replace: "// From now on"},
		mutant{Find: `fmt.Fprintln(out, "Shutting down; press Ctrl-C again to stop at once")`, Replace: ``},
		mutant{Find: "l.Close() // Accept returns net.ErrClosed", Replace: "// Accept returns net.ErrClosed"},
		mutant{Find: "if n == 1 {", Replace: "if n != 1 {"},
		mutant{Find: `fmt.Fprintf(out, "Shut down: %d %s told and closed\n", n, clients)`, Replace: `_ = clients`},
		mutant{Find: "\t\tif errors.Is(err, net.ErrClosed) {\n\t\t\treturn", Replace: "\t\tif err == nil && false {\n\t\t\treturn"},
		mutant{Find: "pause = min(max(2*pause, 5*time.Millisecond), time.Second)", Replace: "pause = 5 * time.Millisecond"},
		mutant{Find: "pause = min(max(2*pause, 5*time.Millisecond), time.Second)", Replace: "pause = min(max(2*pause, 5*time.Millisecond), 10*time.Millisecond)"},
		mutant{Find: "pause = min(max(2*pause, 5*time.Millisecond), time.Second)", Replace: "pause = min(max(2*pause, 5*time.Millisecond), 2*time.Second)"},
		mutant{Find: "pause = min(max(2*pause, 5*time.Millisecond), time.Second)", Replace: "pause = min(max(3*pause, 5*time.Millisecond), time.Second)"},
		mutant{Find: "pause = min(max(2*pause, 5*time.Millisecond), time.Second)", Replace: "pause = min(max(2*pause, time.Millisecond), time.Second)"},
		mutant{Find: "\t\tpause = 0\n", Replace: ""},
		mutant{Find: "go s.handleConn(conn)", Replace: "s.handleConn(conn)"},
		mutant{Find: "s.track(conn)\n", Replace: ""},
		mutant{Find: `"Welcome to the server. Type something and hit enter\n"`, Replace: `"Welcome to the server.\n"`},
		mutant{Find: "conn.SetDeadline(time.Now().Add(s.idle)) // Fails", Replace: "conn.SetDeadline(time.Now().Add(2 * s.idle)) // Fails"},
		mutant{Find: "conn.SetDeadline(time.Now().Add(s.idle)) // Fails", Replace: "// Fails"},
		mutant{Find: "conn.Write(reply[:len(prefix)+n])", Replace: "conn.Write(reply)"},
		mutant{Find: "\t\t\t\terr = werr\n", Replace: ""},
		mutant{Find: "case s.closing.Load():\n", Replace: "case false:\n"},
		mutant{Find: "case errors.Is(err, os.ErrDeadlineExceeded):", Replace: "case false:"},
		mutant{Find: "case errors.Is(err, io.EOF):", Replace: "case false:"},
		mutant{Find: `fmt.Fprintln(s.out, "Connection failed:", err)`, Replace: ``},
		mutant{Find: `"You have been idle for %v. Goodbye.\n", s.idle), time.Second)`, Replace: `"You have been idle for %v. Goodbye.\n", s.idle), time.Minute)`},
		mutant{Find: "conn.SetWriteDeadline(time.Now().Add(within))", Replace: "conn.SetWriteDeadline(time.Time{})"},
		mutant{Find: "\tconn.Close()\n\ts.mu.Lock()\n\tdelete(s.conns, conn)", Replace: "\ts.mu.Lock()\n\tdelete(s.conns, conn)"},
		mutant{Find: "delete(s.conns, conn)", Replace: ""},
		mutant{Find: "s.closing.Store(true)", Replace: ""},
		mutant{Find: "conn.SetReadDeadline(time.Now()) // wakes", Replace: "_ = conn // wakes"},
		mutant{Find: "conn.SetReadDeadline(time.Now()) // wakes", Replace: "conn.SetDeadline(time.Now()) // wakes"},
		mutant{Find: "case <-time.After(s.grace):", Replace: "case <-time.After(time.Hour):"},
		mutant{Find: "\t\t\tconn.Close() // ends a reply", Replace: "\t\t\t_ = conn // ends a reply"},
		// 08's framing: a line at a time, whatever the reads, its line end
		// kept, a limit on a line, the last line at EOF.
		mutant{Find: `flag.Int("max-line", 1024,`, Replace: `flag.Int("max-line", 2048,`},
		mutant{Find: "if *maxLine < 16 {", Replace: "if *maxLine < 0 {"},
		mutant{Find: "maxLine: *maxLine,", Replace: "maxLine: 4096,"},
		mutant{Find: "r := bufio.NewReaderSize(conn, s.maxLine)", Replace: "r := bufio.NewReaderSize(conn, 4*s.maxLine)"},
		mutant{Find: "reply := make([]byte, len(prefix)+s.maxLine)", Replace: "reply := make([]byte, len(prefix)+s.maxLine/2)"},
		mutant{Find: "line, err := r.ReadSlice('\\n')", Replace: "nr, err := r.Read(reply[len(prefix):])\n\t\tline := reply[len(prefix) : len(prefix)+nr]"},
		mutant{Find: "line, err := r.ReadSlice('\\n')", Replace: "line, err := r.ReadBytes('\\n')"},
		mutant{Find: "line, err := r.ReadSlice('\\n')", Replace: "line, err := r.ReadSlice('\\r')"},
		mutant{Find: "n := copy(reply[len(prefix):], line)", Replace: "n := copy(reply[len(prefix):], line[:max(len(line)-1, 0)])"},
		mutant{Find: "if n > 0 && (err == nil || errors.Is(err, io.EOF)) {", Replace: "if n > 0 && err == nil {"},
		mutant{Find: "if n > 0 && (err == nil || errors.Is(err, io.EOF)) {", Replace: "if n > 0 {"},
		mutant{Find: "case errors.Is(err, bufio.ErrBufferFull):", Replace: "case false:"},
		mutant{Find: `"Your line is longer than %d bytes. Goodbye.\n", s.maxLine), time.Second)`, Replace: `"Your line is longer than %d bytes. Goodbye.\n", s.maxLine), time.Minute)`},
		mutant{Find: `fmt.Fprintf(s.out, "Closing %v: a line longer than %d bytes\n", conn.RemoteAddr(), s.maxLine)`, Replace: ``},
	),
}

// sockets are the mutants of what 01-bind and 02-listen share: a socket
// made and bound with system calls, and their failures.
func sockets() []mutant {
	return []mutant{
		{Find: `fmt.Fprintln(os.Stderr, "bad -addr:", err)
		return 2`, Replace: `return 2`},
		{Find: `fmt.Fprintln(os.Stderr, "bad -addr:", err)
		return 2`, Replace: `fmt.Fprintln(os.Stderr, "bad -addr:", err)
		return 1`},
		{Find: `fmt.Fprintln(out, "Socket created")`, Replace: ``},
		{Find: "syscall.Bind(fd, sa)", Replace: "syscall.Bind(fd, &syscall.SockaddrInet4{Addr: sa.Addr})"},
		{Find: `fmt.Fprintf(out, "Bind failed. Error Code : %d Message %s\n", errno, errno)`, Replace: `fmt.Fprintf(out, "Bind failed. Error Code : %d Message %s\n", 0, errno)`},
		{Find: "return 1 // The article's sys.exit()", Replace: "return 0 // The article's sys.exit()"},
		{Find: `fmt.Fprintln(out, "Socket bind complete")`, Replace: ``},
		{Find: "bound, err := syscall.Getsockname(fd)", Replace: "_, err = syscall.Getsockname(fd)\n\tbound := syscall.Sockaddr(sa)"},
		{Find: "sa := &syscall.SockaddrInet4{Port: tcp.Port}", Replace: "sa := &syscall.SockaddrInet4{Port: 0}"},
		{Find: "copy(sa.Addr[:], tcp.IP.To4())", Replace: ""},
	}
}

// listening are the mutants of what 03-accept to 07-shutdown share:
// net.Listen, the article's lines, and the failures of listening.
// (07-shutdown prints to s.out, the others to out.)
func listening() []mutant {
	return []mutant{
		{Find: `("tcp", addr)`, Replace: `("tcp", "127.0.0.1:0")`}, // net.Listen, or 07's listen
		{Find: "return listenFailed(err, out)", Replace: "return 1"},
		{Find: `fmt.Fprintln(out, "Socket bind complete")`, Replace: ``},
		{Find: `fmt.Fprintln(out, "Bound to", l.Addr())`, Replace: `fmt.Fprintln(out, "Bound to", addr)`},
		{Find: "if !errors.As(err, &sysErr) {", Replace: "if errors.As(err, &sysErr) {"},
		{Find: "\t\treturn 2\n", Replace: "\t\treturn 1\n"},
		{Find: `if sysErr.Syscall != "bind" {`, Replace: `if sysErr.Syscall == "bind" {`},
		{Find: `fmt.Fprintf(out, "Bind failed. Error Code : %d Message %s\n", errno, errno)`, Replace: `fmt.Fprintf(out, "Bind failed. Error Code : %d Message %s\n", 0, errno)`},
		{Find: "return 1 // The article's sys.exit()", Replace: "return 0 // The article's sys.exit()"},
	}
}
