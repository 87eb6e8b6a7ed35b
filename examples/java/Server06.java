// The article's final server, a thread per client, in Java with the
// standard library only. Each client gets a thread of its own, the welcome
// line, and "OK..." and what it sent for every message, for as long as it
// stays connected. The comments quote the article's Python line that each
// part replaces.
//
// Build and run (the port: the first argument, else $PORT, else 8888):
//
//     javac -d out examples/java/Server06.java
//     java -cp out Server06 8888

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

public class Server06 {
    // The article's welcome line, as bytes: what goes on the wire is bytes.
    static final byte[] WELCOME =
            "Welcome to the server. Type something and hit enter\n".getBytes(StandardCharsets.US_ASCII);
    // reply = 'OK...' + data: every reply starts with these bytes.
    static final byte[] PREFIX = "OK...".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws IOException {
        // The port: the first argument, else PORT, else the article's 8888.
        int port = portFrom(args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8888"));

        // s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ServerSocket s = new ServerSocket();
        System.out.println("Socket created");

        // s.bind((HOST, PORT)) and s.listen(10), in one call: a wildcard
        // address is every interface (HOST = ''), and 10 is the backlog.
        // Java sets SO_REUSEADDR on Linux and macOS.
        try {
            s.bind(new InetSocketAddress(port), 10);
        } catch (IOException e) {
            // except socket.error, msg. Java has no error number: it tells
            // errors apart by their class, here java.net.BindException, and
            // its message is the system's text, "Address already in use".
            System.out.println("Bind failed. Error Code : " + e.getClass().getSimpleName() + " Message " + e.getMessage());
            System.exit(1); // the article's sys.exit() exits with 0, as if all went well
        }
        System.out.println("Socket bind complete");
        System.out.println("Socket now listening");

        // while 1:
        while (true) {
            // conn, addr = s.accept(): wait to accept a connection, a
            // blocking call. If it fails, main throws, as the article's does.
            Socket conn = s.accept();
            // print 'Connected with ' + addr[0] + ':' + str(addr[1]).
            // getHostAddress(), not the InetAddress itself: that prints
            // as "/127.0.0.1", its host name (none) before the slash.
            System.out.println("Connected with " + conn.getInetAddress().getHostAddress() + ":" + conn.getPort());

            // start_new_thread(clientthread, (conn,))
            new Thread(() -> clientthread(conn)).start();
        }
    }

    static int portFrom(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        System.err.println("bad port \"" + text + "\": give a number from 1 to 65535");
        System.exit(2);
        return 0; // not reached
    }

    // def clientthread(conn): talk with one client until it closes.
    static void clientthread(Socket conn) {
        // try (conn): conn.close() when the block ends, however it ends.
        try (conn) {
            InputStream in = conn.getInputStream();
            OutputStream out = conn.getOutputStream(); // no buffer: each write is sent

            // conn.send('Welcome to the server. Type something and hit enter\n')
            out.write(WELCOME);

            // reply = 'OK...' + data, built in place: reply starts with
            // "OK...", and data = conn.recv(1024) reads into the rest. Bytes
            // stay bytes: a Reader or a String would decode them, and \xff,
            // not UTF-8, would come back as the three bytes of U+FFFD.
            byte[] reply = new byte[PREFIX.length + 1024];
            System.arraycopy(PREFIX, 0, reply, 0, PREFIX.length);
            // while True:
            while (true) {
                int n = in.read(reply, PREFIX.length, 1024);
                if (n == -1) {
                    break; // if not data: break -- the client closed its side
                }
                // conn.sendall(reply)
                out.write(reply, 0, PREFIX.length + n);
            }
        } catch (IOException e) {
            // A reset client: only this thread ends. Python prints a
            // traceback here; an exception thrown out of run() would too.
            System.err.println("Connection failed: " + e.getMessage());
        }
    }
}
