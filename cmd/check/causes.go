package main

import (
	"regexp"
	"strings"
)

// cause names why a scenario failed, or why the check could not run: a
// short slug that the report, the JSON results, the class table and
// docs/check.md share.
type cause string

// causeInfo is everything the checker knows of a cause, in one place:
// what it means (docs/check.md's table says it in these words, and in
// Chinese), the evidence that finds it, and what to do about it in the
// words of each language. TestCauseTable fails when a cause lacks any of
// them, or its rows on the pages.
type causeInfo struct {
	slug    cause
	startup bool   // the check cannot run at all: exit status 2
	meaning string // what the program did, in one line
	finds   string // the evidence that finds it
	hints   hints  // what to do; startup causes explain themselves in their message
}

// hints are a cause's hint in the idiom of each language; "" is any other
// (and the fallback of a language that has no words of its own).
type hints map[lang]string

// The causes.
const (
	// Start-up failures: the check cannot run.
	causeNotFound     cause = "not-found"
	causeRelativeExe  cause = "relative-exe"
	causeNotRunnable  cause = "not-runnable"
	causeCompileError cause = "compile-error"
	causePython2      cause = "python2"
	causePortInUse    cause = "port-in-use"

	// What the program did, or did not do.
	causeCrash          cause = "crash"
	causeThreadDied     cause = "thread-died"
	causeExits          cause = "exits"
	causeNeverListens   cause = "never-listens"
	causeWrongPort      cause = "wrong-port"
	causeSwappedPort    cause = "swapped-port"
	causeStopsListening cause = "stops-listening"
	causeTimeWait       cause = "time-wait"
	causeNoBindFailure  cause = "no-bind-failure"
	causeStillRuns      cause = "still-runs"
	causeNoReply        cause = "no-reply"
	causeHungUp         cause = "hung-up"
	causeWrongBytes     cause = "wrong-bytes"
	causeTextDecoded    cause = "text-decoded"
	causeFullBuffer     cause = "full-buffer"
	causeStrBytes       cause = "str-bytes"
	causeLineEnd        cause = "line-end-dropped"
	causeOthersData     cause = "others-data"
	causeSpinsOnEmpty   cause = "spins-on-empty"
	causeBusyLoop       cause = "busy-loop"
	causeOneAtATime     cause = "one-at-a-time"
	causeNeverCloses    cause = "never-closes"
	causeNeverAccepts   cause = "never-accepts"
	causeOneReply       cause = "one-reply"
	causeStopsOnEmpty   cause = "stops-on-empty"
	causeWrongClient    cause = "wrong-client-address"
	causeAliveAfterCtlC cause = "alive-after-ctrl-c"
	causeNotTold        cause = "not-told"
	causeCtrlCStatus    cause = "ctrl-c-status"
	causeIdleNotClosed  cause = "idle-not-closed"
	causeIdleCutsActive cause = "idle-cuts-active"
	causeAcceptExit     cause = "accept-error-exit"
	causeAcceptStuck    cause = "accept-error-stuck"
	causeNotBusy        cause = "not-busy"
	causeReadsNotLines  cause = "reads-not-lines"
	causeNoLineLimit    cause = "no-line-limit"
	causeGaveUp         cause = "gave-up"
)

// causeTable is every cause, in the order docs/check.md lists them.
var causeTable = []causeInfo{
	{slug: causeNotFound, startup: true, meaning: "no such program or file", finds: "the system cannot start the command, or it exits with 126 or 127, or Python cannot open the file"},
	{slug: causeRelativeExe, startup: true, meaning: "on Windows, a program in the current folder named without `.\\` before it", finds: "Go's exec.ErrDot: Go runs a program found in the current folder only when its path says so"},
	{slug: causeNotRunnable, startup: true, meaning: "a file that is not an executable program", finds: "the system refuses to run it (permission denied)"},
	{slug: causeCompileError, startup: true, meaning: "the program does not build, or its interpreter cannot read it", finds: "go build's errors, quoted in 15 lines at most; Python's SyntaxError"},
	{slug: causePython2, startup: true, meaning: "the article's Python 2 run by Python 3", finds: "Python 3 stops at `print 'x'`, at `except socket.error, msg` or at `import thread`"},
	{slug: causePortInUse, startup: true, meaning: "the fixed port the program must listen on is taken before anything runs", finds: "the checker cannot bind the port itself"},

	{slug: causeCrash, meaning: "ended with a status other than 0, a signal, a traceback, a panic or an uncaught exception, where the stage's program ends with 0 or goes on", finds: "how the program ended, and what its runtime printed: the report quotes the error and the file and line it names",
		hints: hints{
			"":          "your program crashed{where}: fix that line.",
			langPython3: "your program crashed{where}: the traceback below says where (its last File line) and why (its last line): fix that line.",
			langGo:      "your program crashed{where}: a panic names the file and line below it; log.Fatal ends the program with its message: fix that line, and end only what has to end.",
			langNode:    "your program crashed{where}: an error nobody handled ends Node.js; the lines below name the file and line: fix that line, or handle the error where it comes from.",
			langJava:    "your program crashed{where}: an exception nobody caught in main ends the program; the stack trace below names the file and line: catch it where it comes from.",
			langRust:    "your program panicked{where}: unwrap() and expect() end the program on an error; match the Result where it comes from instead.",
			langC:       "your program ended{where}: the last lines below, and its exit status or signal, say why.",
		}},
	{slug: causeThreadDied, meaning: "a client's thread (or handler) died of an error, and that client was left without its reply", finds: "a thread's traceback, an exception in a thread, a panic in a thread, while the program goes on",
		hints: hints{
			"":          "a client's thread died{where}, and its client was left waiting: fix that line.",
			langPython3: "a client's thread died{where}, and its client was left waiting: the traceback below names the line; the program goes on without that thread.",
			langJava:    "a client's thread died{where} (an exception nobody caught in run()), and its client was left waiting: catch IOException in the thread and close that socket.",
			langRust:    "a client's thread panicked{where}, and its client was left waiting: match the Result in the thread instead of unwrap().",
		}},
	{slug: causeExits, meaning: "exited, with 0, where it should have gone on", finds: "the program exited by itself before the scenario was done",
		hints: hints{
			"":       "your program exited where it should have gone on: after listen, keep it running (02 waits for Ctrl-C; from 05 on, accept the next client in a loop), and let nothing but Ctrl-C end it.",
			langNode: "your program exited where it should have gone on: Node.js exits when nothing is left to wait for; a server that listens keeps it alive until server.close().",
		}},
	{slug: causeNeverListens, meaning: "nothing listened on the port it was given within 5 s (longer on a busy machine, for a program still starting)", finds: "a client's connect is refused, or never answered, on the port the checker gave",
		hints: hints{
			"":          "nothing listens on the port it was given: take the port from the command ({port}) or from the environment variable PORT, and listen on it.",
			langGo:      "nothing listens on the port it was given: pass -addr 127.0.0.1:{port} and use the flag's value in net.Listen (or read PORT from the environment).",
			langPython3: "nothing listens on the port it was given: read it from the environment (PORT = int(os.environ.get('PORT', 8888))) or put {port} in the command and read sys.argv; then bind and listen.",
			langNode:    "nothing listens on the port it was given: server.listen(Number(process.env.PORT) || 8888), or take it from process.argv.",
			langJava:    "nothing listens on the port it was given: new ServerSocket(Integer.parseInt(System.getenv().getOrDefault(\"PORT\", \"8888\"))), or take it from args.",
			langRust:    "nothing listens on the port it was given: read it with std::env::var(\"PORT\") (or std::env::args) and bind to it.",
			langC:       "nothing listens on the port it was given: take it from argv or getenv(\"PORT\"), and bind with htons(port).",
		}},
	{slug: causeWrongPort, meaning: "it listens, but on another port than the one it was given (Linux shows which)", finds: "the system's list of listening sockets (/proc) shows the program's on another port",
		hints: hints{
			"":          "your program listens on a port of its own choosing, not on the one it was given: take it from {port} in the command or from PORT in the environment.",
			langGo:      "your program listens on a port of its own choosing, not on the one it was given: use the -addr flag's value in net.Listen instead of a fixed \":8888\".",
			langPython3: "your program listens on a port of its own choosing, not on the one it was given: PORT = int(os.environ.get('PORT', 8888)) reads the checker's port and keeps 8888 by hand.",
			langNode:    "your program listens on a port of its own choosing, not on the one it was given: server.listen(Number(process.env.PORT) || 8888).",
			langJava:    "your program listens on a port of its own choosing, not on the one it was given: read PORT with System.getenv, and keep 8888 as the default.",
		}},
	{slug: causeSwappedPort, meaning: "it listens on the port it was given with its two bytes swapped: the port was not put in network byte order", finds: "the program listens on the given port with its bytes swapped (8888 becomes 47138)",
		hints: hints{
			"":    "the port's two bytes are swapped: a port goes into sockaddr_in in network byte order, high byte first.",
			langC: "the port's two bytes are swapped: write addr.sin_port = htons(port), not addr.sin_port = port (htons puts it in network byte order; htonl for the address).",
		}},
	{slug: causeStopsListening, meaning: "it listened, then stopped: a later client was refused while the program still ran", finds: "a client connected on the port, and a later one was refused, the program still running",
		hints: hints{
			"":          "your program stopped listening after its first client: close the listening socket only when the server stops, not after a client.",
			langNode:    "your program stopped listening after its first client: server.close() stops accepting new connections; call it only when the server stops (on Ctrl-C), not in the connection's handler.",
			langPython3: "your program stopped listening after its first client: s.close() closes the listening socket; close conn, the client's, instead.",
			langGo:      "your program stopped listening after its first client: l.Close() (or a defer of it) ends Accept; close conn, the client's, instead.",
			langJava:    "your program stopped listening after its first client: serverSocket.close() ends accept(); close the client's socket instead.",
		}},
	{slug: causeTimeWait, meaning: "on a fixed port, its bind failed because a connection closed a moment ago still holds the port", finds: "the program said its bind failed, and the system shows the port in TIME_WAIT",
		hints: hints{
			"":          "the port is still held by a connection closed a moment ago (TIME_WAIT, up to a minute): set SO_REUSEADDR before bind, or put {port} in your command.",
			langGo:      "the port is still held by a connection closed a moment ago (TIME_WAIT, up to a minute): net.Listen sets SO_REUSEADDR for you on Linux and macOS; or put {port} in your command.",
			langPython3: "the port is still held by a connection closed a moment ago (TIME_WAIT, up to a minute): call s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1) before bind, or put {port} in your command.",
			langJava:    "the port is still held by a connection closed a moment ago (TIME_WAIT, up to a minute): serverSocket.setReuseAddress(true) before bind, or put {port} in your command.",
			langC:       "the port is still held by a connection closed a moment ago (TIME_WAIT, up to a minute): setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) before bind, or put {port} in your command.",
		}},
	{slug: causeNoBindFailure, meaning: "with its port taken, it did not say so", finds: "the checker holds the port and starts the program there: no line says the bind failed",
		hints: hints{
			"":          "when bind fails, print the article's line, Bind failed. Error Code : <number or name> Message <text>, and exit with a status other than 0.",
			langGo:      "when bind fails, print the article's line, Bind failed. Error Code : <number> Message <text>, and exit: the error net.Listen returns says it (errors.As to a syscall.Errno gives the number).",
			langPython3: "when bind fails, print the article's line and exit: except socket.error as msg: print('Bind failed. Error Code : ' + str(msg.errno) + ' Message ' + msg.strerror); sys.exit(1).",
			langNode:    "when bind fails, print the article's line and exit: server.on('error', (err) => { console.log(`Bind failed. Error Code : ${err.code} Message ${err.message}`); process.exit(1); }).",
			langJava:    "when bind fails, print the article's line and exit: catch (BindException e) { System.out.println(\"Bind failed. Error Code : BindException Message \" + e.getMessage()); System.exit(1); }.",
			langRust:    "when bind fails, print the article's line and exit: match TcpListener::bind(..) { Err(e) => { println!(\"Bind failed. Error Code : {} Message {}\", e.raw_os_error().unwrap_or(0), e); std::process::exit(1) } ... }.",
			langC:       "when bind fails, print the article's line and exit: if (bind(...) < 0) { printf(\"Bind failed. Error Code : %d Message %s\\n\", errno, strerror(errno)); return 1; }.",
		}},
	{slug: causeStillRuns, meaning: "01, 03 and 04 end after a failed bind or their one client; it still ran", finds: "the program still runs after its one client, or after its port was found taken",
		hints: hints{
			"": "this stage ends after its one client, or after a failed bind: return once the client is done (a loop comes in 05), and exit when bind fails.",
		}},
	{slug: causeNoReply, meaning: "nothing came back, and the connection stayed open", finds: "the client sent and read nothing within -wait",
		hints: hints{
			"":          "nothing came back: read what the client sent and send the reply.",
			langGo:      "nothing came back: read from the connection (conn.Read) and write back what you read (conn.Write(buf[:n])).",
			langPython3: "nothing came back: data = conn.recv(1024), then conn.sendall(...) the reply.",
			langNode:    "nothing came back: socket.on('data', (data) => socket.write(...)) answers each chunk the client sends.",
			langJava:    "nothing came back: a PrintWriter or BufferedWriter holds what you write until flush(): new PrintWriter(socket.getOutputStream(), true) flushes at each println; or write the bytes to the OutputStream itself.",
			langRust:    "nothing came back: write the reply with stream.write_all(...); a BufWriter holds it until flush().",
			langC:       "nothing came back: send() the reply on the client's socket (the one accept returned), not on the listening one.",
		}},
	{slug: causeHungUp, meaning: "the connection ended instead of a reply", finds: "the client sent, and the connection ended with nothing read",
		hints: hints{
			"":          "your program ended the connection instead of answering: send the reply before you close.",
			langGo:      "your program ended the connection instead of answering: keep it open until the client is done, and close it once (defer conn.Close() in the handler).",
			langPython3: "your program ended the connection instead of answering: close it only after the loop, when recv returned b'' (the client is done).",
			langJava:    "your program ended the connection instead of answering: a PrintWriter holds what you print until flush(), and closing the socket drops it: new PrintWriter(socket.getOutputStream(), true), or flush() before close().",
			langNode:    "your program ended the connection instead of answering: socket.end() or destroy() only once the reply is written.",
			langRust:    "your program ended the connection instead of answering: a BufWriter holds what you write until flush(); the stream closes when it is dropped at the end of its scope.",
			langC:       "your program ended the connection instead of answering: send() the reply before close().",
		}},
	{slug: causeWrongBytes, meaning: "what came back is not the bytes sent", finds: "the reply holds other bytes than the client's",
		hints: hints{
			"":          "what came back is not what the client sent: send back the bytes you read, unchanged.",
			langGo:      "what came back is not what the client sent: send back buf[:n], the n bytes Read returned, unchanged.",
			langPython3: "what came back is not what the client sent: send back data, the bytes recv returned, unchanged (b'OK...' + data from 05 on).",
		}},
	{slug: causeTextDecoded, meaning: "the bytes came back changed by a round trip through text: \\xff as \\xef\\xbf\\xbd (U+FFFD)", finds: "bytes that are not UTF-8 came back as the replacement character",
		hints: hints{
			"":          "your program turned the bytes into text and back, which changes any byte that is not UTF-8 (\\xff became \\xef\\xbf\\xbd): keep them as bytes.",
			langPython3: "data.decode() turns bytes into text (and fails, or replaces, on \\xff): keep data as bytes, b'OK...' + data; decode only to print.",
			langNode:    "data.toString() and a string in socket.write turn the bytes into text and back (\\xff becomes \\xef\\xbf\\xbd): socket.write(Buffer.concat([Buffer.from('OK...'), data])).",
			langJava:    "new String(bytes), a Reader or readLine() decode the bytes as text (\\xff becomes \\xef\\xbf\\xbd): read into a byte[] from the InputStream and write those bytes to the OutputStream.",
			langRust:    "String::from_utf8_lossy (or read_line into a String) turns the bytes into text (\\xff becomes \\xef\\xbf\\xbd): keep them in a Vec<u8> and write_all them.",
			langGo:      "string(buf[:n]) through a text API changes bytes that are not UTF-8: write the bytes, buf[:n].",
		}},
	{slug: causeFullBuffer, meaning: "the bytes sent came back, then a buffer's zeros", finds: "the reply is the client's bytes followed by zero bytes",
		hints: hints{
			"":          "the bytes sent came back followed by zeros: send only the n bytes you read, not the whole buffer.",
			langGo:      "the bytes sent came back followed by zeros: write buf[:n], the n bytes Read returned, not the whole buffer.",
			langPython3: "the bytes sent came back followed by zeros: send data itself, not a buffer of fixed size.",
			langC:       "the bytes sent came back followed by zeros: send(fd, buf, n, 0) with n from recv, not sizeof buf.",
			langJava:    "the bytes sent came back followed by zeros: out.write(buf, 0, n) with n from read, not out.write(buf) or new String(buf), which take the whole array.",
			langRust:    "the bytes sent came back followed by zeros: stream.write_all(&buf[..n]) with n from read, not &buf.",
		}},
	{slug: causeStrBytes, meaning: "Python's b'...' notation came back instead of the bytes", finds: "the reply holds the bytes written as a Python literal",
		hints: hints{
			"":          "the reply shows the bytes as text (b'...'): send the bytes themselves.",
			langPython3: "str(data) of bytes is \"b'...'\": send the bytes themselves, without str(): conn.sendall(data) in 04, b'OK...' + data from 05 on.",
		}},
	{slug: causeLineEnd, meaning: "the bytes came back without the line end the client sent", finds: "the reply is the client's line without its \\r\\n",
		hints: hints{
			"":          "the reply lost the line end the client sent (\\r\\n): send back the bytes as they came.",
			langGo:      "the reply lost the line end the client sent (\\r\\n): bufio.Scanner's Text(), ReadString plus TrimSpace and the like drop it, and wait for a whole line; send back the bytes Read returned, buf[:n], as they came.",
			langPython3: "the reply lost the line end the client sent (\\r\\n): strip() or decode().strip() drops it; send back the bytes recv returned as they came (data, and from 05 on b'OK...' + data).",
			langJava:    "the reply lost the line end the client sent (\\r\\n): BufferedReader.readLine() drops it, and println adds its own; read bytes from the InputStream and write them back as they came.",
			langRust:    "the reply lost the line end the client sent (\\r\\n): trim() or lines() drop it; write back the bytes read, as they came.",
			langNode:    "the reply lost the line end the client sent (\\r\\n): trim() or split('\\n') drops it; write back data as it came.",
		}},
	{slug: causeOthersData, meaning: "a client got another client's message: a buffer its goroutines or threads share", finds: "a reply holds the numbered message of another client",
		hints: hints{
			"":          "a client got another client's bytes: each connection needs a buffer of its own.",
			langGo:      "a client got another client's bytes: your goroutines share one buffer (or other state); make the buffer inside the handler, one per connection (go run -race shows where they share).",
			langPython3: "a client got another client's bytes: your threads share one variable; keep each connection's data in its own thread's local variables.",
			langJava:    "a client got another client's bytes: your threads share a buffer (a static field?); make the byte[] inside run(), one per connection.",
			langC:       "a client got another client's bytes: your threads share one buffer (a global?); declare it inside the thread's function.",
		}},
	{slug: causeSpinsOnEmpty, meaning: "once a client had closed its side, the program still sent it something: OK..., or its own replies' prefix, for nothing (05, 06), or on and on", finds: "a client that closed its side without sending got bytes back",
		hints: hints{
			"":          "after the client closed, your program went on sending: a read of 0 bytes means the client is done.",
			langGo:      "after the client closed, your program went on sending: a Read that returns io.EOF (n == 0) means the client is done: return.",
			langPython3: "after the client closed, your program went on sending: recv returns b'' when the client is done: if not data: break.",
			langNode:    "after the client closed, your program went on sending: the 'end' event means the client is done: write nothing after it.",
			langJava:    "after the client closed, your program went on sending: read() returns -1 (readLine() null) when the client is done: break.",
			langRust:    "after the client closed, your program went on sending: read returns Ok(0) when the client is done: break.",
			langC:       "after the client closed, your program went on sending: recv returns 0 when the client is done: test n before you send.",
		}},
	{slug: causeBusyLoop, meaning: "a loop that never reads again keeps a core busy after a client closed or sent nothing", finds: "the program used a fifth of a core or more while a client was silent or gone, and sent nothing (Linux, from /proc; elsewhere the cause its client saw stands)",
		hints: hints{
			"":          "your program spins: a loop keeps a core busy and never reads again (while not data: pass). Read again inside the loop, and leave it when a read returns 0 bytes.",
			langPython3: "your program spins: a loop such as while not data: pass never calls recv again, so it keeps a core busy for ever; call data = conn.recv(1024) inside the loop, and break when it returns b''.",
			langGo:      "your program spins: a loop that never calls Read again keeps a core busy; call conn.Read inside the loop, and return when it fails (io.EOF).",
			langJava:    "your program spins: a loop that never calls read() again keeps a core busy; read inside the loop, and break when it returns -1.",
			langC:       "your program spins: a loop that never calls recv again keeps a core busy; recv inside the loop, and break when it returns 0.",
		}},
	{slug: causeOneAtATime, meaning: "a second client is not served while the first is connected (06)", finds: "a second client's message gets no reply while the first is connected and silent",
		hints: hints{
			"":          "your program serves one client at a time: serve each client in a thread of its own and go back to accept at once.",
			langGo:      "your program serves one client at a time: start a goroutine per client (go handleConn(conn)) and go back to Accept at once.",
			langPython3: "your program serves one client at a time: start a thread per client (start_new_thread(clientthread, (conn,))) and go back to accept at once.",
			langNode:    "your program serves one client at a time: Node.js serves every client at once unless something blocks the event loop (a synchronous loop, readline on stdin, a busy wait); never wait for one client inside another's handler.",
			langJava:    "your program serves one client at a time: new Thread(() -> serve(socket)).start() for each client, and go back to accept() at once.",
			langRust:    "your program serves one client at a time: std::thread::spawn(move || serve(stream)) for each client, and go back to accept at once.",
			langC:       "your program serves one client at a time: pthread_create (or fork) for each client, and go back to accept at once.",
		}},
	{slug: causeNeverCloses, meaning: "a client's connection stays open where the stage closes it", finds: "a client that should have been hung up on was still connected",
		hints: hints{
			"":          "a client's connection stays open when this stage closes it: close it once you are done with the client.",
			langGo:      "a client's connection stays open when this stage closes it: call conn.Close() once you are done with the client (03: after accept; 04 and 05: after the reply). A defer inside a loop runs only when the function returns.",
			langPython3: "a client's connection stays open when this stage closes it: conn.close() once you are done with the client (03: after accept; 04 and 05: after sendall).",
			langNode:    "a client's connection stays open when this stage closes it: socket.end() once you are done with the client.",
			langJava:    "a client's connection stays open when this stage closes it: socket.close() once you are done with the client (try-with-resources closes it for you).",
			langC:       "a client's connection stays open when this stage closes it: close(client_fd) once you are done with the client.",
		}},
	{slug: causeNeverAccepts, meaning: "a client connected, and nothing accepted it", finds: "a client got nothing, stayed connected, and the program printed nothing about it",
		hints: hints{
			"":          "nothing accepted the client: call accept() and print the address it returns.",
			langGo:      "nothing accepted the client: call l.Accept() (a blocking call) and print the address it returns.",
			langPython3: "nothing accepted the client: conn, addr = s.accept() (a blocking call), then print the address.",
			langJava:    "nothing accepted the client: Socket socket = serverSocket.accept(), then print its address.",
			langNode:    "nothing accepted the client: net.createServer((socket) => { ... }) is called for each client; print its address there.",
		}},
	{slug: causeOneReply, meaning: "a second message on the same connection got no reply (06)", finds: "the first message was answered, a second one on the same connection was not",
		hints: hints{
			"":          "the second message on a connection got no reply: read and reply in a loop until the client closes.",
			langGo:      "the second message on a connection got no reply: read and reply in a loop (for { n, err := conn.Read(buf) ... }) that ends only when the client closes (a return or break that runs after every reply ends it after one).",
			langPython3: "the second message on a connection got no reply: recv and reply in a loop (while True:) that ends only when recv returns b'' (a break that runs after every reply ends it after one).",
			langJava:    "the second message on a connection got no reply: read and reply in a loop (while ((n = in.read(buf)) != -1)) that ends only when the client closes.",
			langRust:    "the second message on a connection got no reply: read and reply in a loop that ends only when read returns Ok(0).",
			langC:       "the second message on a connection got no reply: recv and send in a loop that ends only when recv returns 0.",
		}},
	{slug: causeStopsOnEmpty, meaning: "a client that closed without sending, or reset, stopped the whole program", finds: "after an empty or a reset connection, the program exited",
		hints: hints{
			"":          "a client that closes or resets must end its own thread only, not the program.",
			langGo:      "a client that closes or resets must end its own goroutine only: return from the handler, never from the accept loop or the program.",
			langPython3: "a client that closes or resets must end its own thread only: break out of the thread's loop, not the accept loop; catch the error of a reset connection in the thread.",
			langNode:    "a client that closes or resets must end its own socket only: socket.on('error', ...) keeps a reset from ending the program.",
		}},
	{slug: causeWrongClient, meaning: "`Connected with` shows an address that is not the client's", finds: "a `Connected with` line names a port that is no client's",
		hints: hints{
			"":          "print the client's address and port, as accept returned them.",
			langGo:      "print the client's address, the one Accept returned: conn.RemoteAddr(), not conn.LocalAddr().",
			langPython3: "print the client's address, the one accept() returned: conn, addr = s.accept(); print('Connected with ' + addr[0] + ':' + str(addr[1])).",
			langJava:    "print the client's address: socket.getInetAddress().getHostAddress() + \":\" + socket.getPort(), not getLocalPort().",
			langNode:    "print the client's address: socket.remoteAddress + ':' + socket.remotePort, not localPort.",
			langC:       "print the client's address, the one accept filled in: inet_ntoa(client.sin_addr) and ntohs(client.sin_port).",
		}},
	{slug: causeAliveAfterCtlC, meaning: "it still ran after Ctrl-C, or started again", finds: "the program, or a process it started, still runs, or listens again, after Ctrl-C",
		hints: hints{
			"":          "your program still runs after Ctrl-C: a thread or child process keeps it alive, or something starts it again.",
			langGo:      "your program still runs after Ctrl-C: something keeps it alive (a goroutine main waits for, or signal.Notify without an exit).",
			langPython3: "your program still runs after Ctrl-C: threading.Thread threads keep Python alive until they end; make them daemon threads (threading.Thread(target=..., daemon=True)), as the article's start_new_thread does.",
			langJava:    "your program still runs after Ctrl-C: a shutdown hook that waits for the client threads keeps the JVM alive; make them daemon threads (setDaemon(true)), or close their sockets in the hook.",
			langNode:    "your program still runs after Ctrl-C: a process.on('SIGINT') handler replaces Node.js's own exit; end it with process.exit().",
		}},
	{slug: causeNotTold, meaning: "on Ctrl-C a client was not told why before its connection ended (07)", finds: "after Ctrl-C, a client's connection ended without a line first",
		hints: hints{
			"":          "on Ctrl-C, tell every client (a line) before closing it, then exit with 0.",
			langGo:      "on Ctrl-C, tell every client before closing it: signal.Notify, stop accepting (close the listener), write a goodbye line to each connection, close them, then exit with 0 (docs/07-shutdown.md).",
			langPython3: "on Ctrl-C, tell every client before closing it: catch KeyboardInterrupt, send each connection a goodbye line, close them, close the listening socket, then exit.",
			langNode:    "on Ctrl-C, tell every client before closing it: process.on('SIGINT', ...) writes a goodbye line to each socket, ends them, closes the server, then process.exit(0).",
			langJava:    "on Ctrl-C, tell every client before closing it: a shutdown hook (Runtime.getRuntime().addShutdownHook) writes a goodbye line to each socket and closes it.",
			langRust:    "on Ctrl-C, tell every client before closing it: std has no signal handling; with only std, a client cannot be told (a crate such as ctrlc can).",
			langC:       "on Ctrl-C, tell every client before closing it: sigaction(SIGINT, ...) sets a flag; the accept loop sees it, writes a goodbye line to each client and closes them.",
		}},
	{slug: causeCtrlCStatus, meaning: "after Ctrl-C and its clients told, the program exited with another status than 0 (07)", finds: "the program's exit status after Ctrl-C",
		hints: hints{
			"":          "a stop asked for with Ctrl-C is not a failure: exit with 0.",
			langGo:      "a stop asked for with Ctrl-C is not a failure: return 0 from run, or os.Exit(0), once the clients are closed.",
			langPython3: "a stop asked for with Ctrl-C is not a failure: catch KeyboardInterrupt and end normally (sys.exit(0)).",
			langJava:    "a stop asked for with Ctrl-C is not a failure: the JVM exits with 130 after Ctrl-C even when your shutdown hook ran; end the hook with Runtime.getRuntime().halt(0).",
			langNode:    "a stop asked for with Ctrl-C is not a failure: end your SIGINT handler with process.exit(0).",
			langC:       "a stop asked for with Ctrl-C is not a failure: catch SIGINT (sigaction), close the clients, then return 0 from main.",
		}},
	{slug: causeIdleNotClosed, meaning: "a silent client stayed connected past -idle (07)", finds: "a client that sent nothing was still connected after -idle",
		hints: hints{
			"":          "give each read a timeout of -idle; when it passes, tell the client and close.",
			langGo:      "give each read a deadline: conn.SetReadDeadline(time.Now().Add(idle)) before every Read; when it passes, tell the client and close.",
			langPython3: "give each recv a timeout: conn.settimeout(idle); when socket.timeout is raised, tell the client and close.",
			langJava:    "give each read a timeout: socket.setSoTimeout(ms); when SocketTimeoutException is thrown, tell the client and close.",
			langNode:    "give each socket a timeout: socket.setTimeout(ms) and socket.on('timeout', ...) to tell the client and end it.",
			langRust:    "give each read a timeout: stream.set_read_timeout(Some(idle)); when read fails with WouldBlock or TimedOut, tell the client and close.",
			langC:       "give each recv a timeout: setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, ...); when recv fails with EAGAIN, tell the client and close.",
		}},
	{slug: causeIdleCutsActive, meaning: "a client that kept talking was cut off (07)", finds: "a client that sent a line every third of -idle was closed",
		hints: hints{
			"":          "a client that keeps talking was cut off: the timeout must count silence since the last message, not the connection's age.",
			langGo:      "a client that keeps talking was cut off: set the deadline again before every Read (time.Now().Add(idle)), not once per connection.",
			langPython3: "a client that keeps talking was cut off: the timeout must count silence, from each recv, not the connection's age.",
		}},
	{slug: causeAcceptExit, meaning: "it ended on an accept error (too many open files) (07)", finds: "with a small limit on open files and more clients, the program exited",
		hints: hints{
			"":          "your program stopped on an accept error (too many open files): pause and accept again instead.",
			langGo:      "your program stopped on an accept error (too many open files): such errors pass; log them, pause (5 ms, doubling to 1 s) and Accept again, as net/http does (docs/07-shutdown.md).",
			langPython3: "your program stopped on an accept error (too many open files): catch OSError around accept(), pause a little (time.sleep), and accept again.",
			langJava:    "your program stopped on an accept error (too many open files): catch IOException around accept(), pause (Thread.sleep), and accept again.",
			langNode:    "your program stopped on an accept error (too many open files): server.on('error', ...) logs it; the server goes on accepting.",
		}},
	{slug: causeAcceptStuck, meaning: "after an accept error it served nobody, even once files were free (07)", finds: "once the checker's clients were gone, a new client was not served",
		hints: hints{
			"": "after an accept error (too many open files) your program serves nobody, even once files are free again: pause and accept again, and keep serving.",
		}},
	{slug: causeNotBusy, meaning: "exercise 07-2: a client over -max was not told that the server is busy before it was closed", finds: "the client over -max got no line, or was not closed",
		hints: hints{
			"": "with -max clients connected, answer a new client with the busy line and close it (docs/07-shutdown.md, exercise 2).",
		}},
	{slug: causeReadsNotLines, meaning: "it answered each read, not each line: two lines that came in one read got one reply, or a line that came in pieces a reply for each (08)", finds: "two lines in one segment, or one line in three pieces, and the replies that came",
		hints: hints{
			"":          "answer lines, not reads: keep what you read until a line end arrives (a buffer per client), answer each whole line, and keep what comes after it for the next.",
			langGo:      "answer lines, not reads: bufio.NewReaderSize(conn, max) and ReadSlice('\\n') give a whole line, line end included, and keep what comes after it for the next call (docs/08-lines.md).",
			langPython3: "answer lines, not reads: keep a bytes buffer per client, add what recv returns, and while b'\\n' is in it, split off a line with partition and answer it; or conn.makefile('rb').readline(limit).",
			langNode:    "answer lines, not reads: keep a Buffer per socket, concat each 'data' chunk, and while it holds a '\\n', cut off a line with indexOf and subarray and answer it.",
			langJava:    "answer lines, not reads: a byte buffer per client, filled by in.read, cut at each '\\n' (keep the bytes; readLine would drop the line end and decode them).",
			langRust:    "answer lines, not reads: BufReader::read_until(b'\\n', &mut line) gives a whole line as bytes, line end included.",
			langC:       "answer lines, not reads: keep a buffer per client, append what recv returns, and answer each line up to a '\\n' found with memchr; move what follows to the front.",
		}},
	{slug: causeNoLineLimit, meaning: "a line (or frame) that never ends was held, with no limit, and nothing said (08)", finds: "a megabyte without a line end, and no line back",
		hints: hints{
			"":       "set a limit on a line: past it, tell the client (one line) and close the connection, or a client that never sends a line end holds your memory for ever.",
			langGo:   "set a limit on a line: bufio.NewReaderSize(conn, max) and ReadSlice fail with bufio.ErrBufferFull past it; tell the client and close (docs/08-lines.md).",
			langNode: "set a limit on a line: when a socket's buffer grows past it without a '\\n', write one line saying so and end the socket.",
		}},
	{slug: causeGaveUp, meaning: "the scenario did not end in time, and the checker stopped it", finds: "the scenario's backstop: 30 s; with -idle, a minute or 3 × -idle + 20 s, whichever is longer",
		hints: hints{
			"": "the scenario did not end in time: the checker stopped it and your program. Run it again with -v to see everything.",
		}},
}

// info returns what the table says of c; a cause not in it is a mistake
// of the checker's, which TestCauseTable finds.
func info(c cause) causeInfo {
	for _, ci := range causeTable {
		if ci.slug == c {
			return ci
		}
	}
	return causeInfo{slug: c}
}

// hintFor says what to do about c, in the words of l.
func hintFor(c cause, l lang) string {
	h := info(c).hints
	if s, ok := h[l.family()]; ok {
		return s
	}
	return h[""]
}

// extras add to a crash's hint what its evidence shows: the first whose
// pattern matches the event's message (and name), in the words of the
// event's language.
var extras = []struct {
	pattern *regexp.Regexp
	printed string // a line printed before must hold this too ("" for any)
	h       hints
}{
	{ // The listening socket closed inside the accept loop.
		pattern: regexp.MustCompile(`accept tcp .*use of closed network connection`),
		h:       hints{langGo: "Accept failed because the listener was closed: l.Close() (or a defer of it) belongs after the accept loop, not inside it."},
	},
	{
		pattern: regexp.MustCompile(`Bad file descriptor`), printed: ".accept()",
		h: hints{langPython3: "accept() failed because the listening socket was closed: s.close() belongs after the while loop, not inside it (mind its indentation)."},
	},
	{ // Python 3's text and bytes.
		pattern: regexp.MustCompile(`a bytes-like object is required|can only concatenate str \(not \\?"bytes\\?"\)|can't concat str to bytes|can only concatenate bytes`),
		h:       hints{langPython3: "Python 3 sends bytes, not text: write b'OK...' + data, and encode text you send ('...'.encode())."},
	},
	{ // Bytes that are not text, decoded as text.
		pattern: regexp.MustCompile(`UnicodeDecodeError|invalid utf-8|FromUtf8Error|MalformedInput`),
		h: hints{
			"":          "The client's bytes are not all text (\\xff is not UTF-8): keep them as bytes.",
			langPython3: "data.decode() fails on bytes that are not UTF-8 (\\xff): keep data as bytes, b'OK...' + data, and decode only to print (data.decode(errors='replace')).",
			langRust:    "String::from_utf8(..).unwrap() panics on bytes that are not UTF-8 (\\xff): keep them in a Vec<u8>.",
		},
	},
	{ // A port in use, reported by the runtime, not by the program.
		pattern: addrInUse,
		h: hints{
			"":          "Its bind failed (the port is in use): print the article's line, Bind failed. Error Code : <number or name> Message <text>, and exit with 1.",
			langNode:    "An 'error' event nobody listens for ends Node.js: server.on('error', (err) => { console.log(`Bind failed. Error Code : ${err.code} Message ${err.message}`); process.exit(1); }).",
			langJava:    "Catch the BindException: catch (BindException e) { System.out.println(\"Bind failed. Error Code : BindException Message \" + e.getMessage()); System.exit(1); }.",
			langRust:    "Match the Result of TcpListener::bind instead of unwrap(): on Err(e), print the article's line, Bind failed. Error Code : {e.raw_os_error()} Message {e}, and exit with 1.",
			langPython3: "Catch it: except socket.error as msg: print('Bind failed. Error Code : ' + str(msg.errno) + ' Message ' + msg.strerror); sys.exit(1).",
		},
	},
	{ // A failed read or write, the one mistake behind most crashes here.
		pattern: regexp.MustCompile(`(?i)connection ?reset|broken ?pipe|connection ?aborted|ConnectionError|closed network connection|i/o timeout|(read|write) tcp|(^|\s)EOF"?$|ECONNRESET|EPIPE|SIGPIPE|SocketException`),
		h: hints{
			"":          "A failed read or write should end that one connection, not the program.",
			langGo:      "A failed Read or Write should end that one connection (return from the handler), not the program.",
			langPython3: "A failed recv or send (an OSError) should end that one connection (close it and return), not the program.",
			langNode:    "An 'error' event nobody listens for ends Node.js: socket.on('error', () => socket.destroy()) in the connection's handler ends that one connection instead.",
			langJava:    "A failed read or write throws an IOException: catch it in the client's thread and close that socket, so that the program goes on.",
			langRust:    "A failed read or write is an Err: match it in the client's thread and end that connection, instead of unwrap().",
			langC:       "A write to a client that left raises SIGPIPE, which kills the program: signal(SIGPIPE, SIG_IGN), or send(..., MSG_NOSIGNAL), and end that connection when send fails.",
		},
	},
}

// extraFor returns what e shows beyond the cause's hint, or "".
func extraFor(e *event, printed []string, l lang) string {
	if e == nil {
		return ""
	}
	for _, x := range extras {
		if !x.pattern.MatchString(e.message) && !x.pattern.MatchString(e.name) || x.printed != "" && !strings.Contains(strings.Join(printed, "\n"), x.printed) {
			continue
		}
		if s, ok := x.h[l.family()]; ok {
			return s
		}
		if s := x.h[""]; s != "" {
			return s
		}
	}
	return ""
}

// pythonRepr is how Python writes bytes b as a literal: what str(data)
// puts in a reply.
func pythonRepr(b string) string {
	var s strings.Builder
	s.WriteString("b'")
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\\' || c == '\'':
			s.WriteByte('\\')
			s.WriteByte(c)
		case c == '\r':
			s.WriteString(`\r`)
		case c == '\n':
			s.WriteString(`\n`)
		case c == '\t':
			s.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			s.WriteString(`\x`)
			s.WriteByte("0123456789abcdef"[c>>4])
			s.WriteByte("0123456789abcdef"[c&15])
		default:
			s.WriteByte(c)
		}
	}
	s.WriteString("'")
	return s.String()
}
