// The course's 07-shutdown in Java: the article's final server
// (Server06.java), made to stop cleanly. It speaks the same protocol and
// prints the same lines. On Ctrl-C (or SIGTERM) it stops accepting, tells
// every connected client why it is hanging up, waits for them to close (at
// most 5 s), and exits with 0. A client that sends nothing for the idle
// time (--idle, 5 minutes unless given) is told so and closed. An accept
// error such as "Too many open files" is reported and tried again after a
// pause, as the course's 07-shutdown/main.go does.
//
// Java has no way to catch Ctrl-C itself: the JVM starts its shutdown, runs
// the shutdown hooks, and exits with 130 (128 + SIGINT's number 2). The
// goodbyes are said in a shutdown hook, and the hook ends the JVM with
// Runtime.halt(0) to exit with 0, as the course's 07 does. A second Ctrl-C
// does nothing: the JVM is shutting down already, and waits for the hook.
//
// Build and run (the port: the first argument, else $PORT, else 8888):
//
//     javac -d out examples/java/Server07.java
//     java -cp out Server07 8888 --idle 2s

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

public class Server07 {
    static final byte[] WELCOME =
            "Welcome to the server. Type something and hit enter\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PREFIX = "OK...".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SHUTTING_DOWN = "Server is shutting down. Goodbye.\n".getBytes(StandardCharsets.US_ASCII);
    static final Duration GRACE = Duration.ofSeconds(5);

    // The connected clients, so that the shutdown can say goodbye to each;
    // closing says it has begun. Both are guarded by the set's lock.
    static final Set<Socket> clients = new HashSet<>();
    static boolean closing;

    static String idleText = "5m"; // as given, for the messages
    static int idleMillis = 5 * 60 * 1000;

    public static void main(String[] args) {
        String portText = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--idle") && i + 1 < args.length) {
                idleText = args[++i];
                idleMillis = millisFrom(idleText);
            } else if (portText == null) {
                portText = args[i];
            } else {
                usage("unexpected argument \"" + args[i] + "\"");
            }
        }
        // The port: the first argument, else PORT, else the article's 8888.
        int port = portFrom(portText != null ? portText : System.getenv().getOrDefault("PORT", "8888"));

        // s = socket.socket(...); s.bind((HOST, PORT)); s.listen(10)
        ServerSocket s;
        try {
            s = new ServerSocket();
            System.out.println("Socket created");
            s.bind(new InetSocketAddress(port), 10);
        } catch (IOException e) {
            System.out.println("Bind failed. Error Code : " + e.getClass().getSimpleName() + " Message " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("Socket bind complete");
        System.out.println("Socket now listening");

        // Ctrl-C and SIGTERM run this thread, in place of the JVM's
        // default of just exiting.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(s)));

        long pause = 0; // after a failed accept: 5 ms, doubling up to 1 s
        // while 1:
        while (true) {
            Socket conn;
            try {
                // conn, addr = s.accept()
                conn = s.accept();
            } catch (IOException e) {
                if (s.isClosed()) {
                    return; // the shutdown closed it: Ctrl-C
                }
                pause = Math.min(Math.max(2 * pause, 5), 1000);
                System.out.println("Accept failed: " + e.getMessage() + "; trying again in " + pause + " ms");
                sleep(pause);
                continue;
            }
            pause = 0;
            // print 'Connected with ' + addr[0] + ':' + str(addr[1])
            System.out.println("Connected with " + conn.getInetAddress().getHostAddress() + ":" + conn.getPort());
            synchronized (clients) {
                if (closing) { // accepted while the shutdown began
                    goodbye(conn, SHUTTING_DOWN);
                    close(conn);
                    continue;
                }
                clients.add(conn);
            }
            // start_new_thread(clientthread, (conn,))
            new Thread(() -> clientthread(conn)).start();
        }
    }

    // def clientthread(conn): talk with one client until it closes, is idle
    // too long, or the shutdown has told it goodbye.
    static void clientthread(Socket conn) {
        String who = conn.getInetAddress().getHostAddress() + ":" + conn.getPort();
        try {
            InputStream in = conn.getInputStream();
            OutputStream out = conn.getOutputStream();
            out.write(WELCOME);
            // A read that waits longer than this throws SocketTimeoutException.
            conn.setSoTimeout(idleMillis);
            byte[] reply = new byte[PREFIX.length + 1024];
            System.arraycopy(PREFIX, 0, reply, 0, PREFIX.length);
            while (true) {
                int n;
                try {
                    n = in.read(reply, PREFIX.length, 1024);
                } catch (SocketTimeoutException e) {
                    if (!isClosing()) {
                        System.out.println("Closing " + who + ": idle for " + idleText);
                        goodbye(conn, ("You have been idle for " + idleText + ". Goodbye.\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    break;
                }
                if (n == -1) {
                    break; // if not data: break
                }
                if (isClosing()) {
                    continue; // told goodbye already: wait for the client to close
                }
                out.write(reply, 0, PREFIX.length + n);
            }
        } catch (IOException e) {
            if (!isClosing()) {
                System.err.println("Connection failed: " + e.getMessage());
            }
        } finally {
            close(conn);
            synchronized (clients) {
                clients.remove(conn);
                clients.notifyAll(); // the shutdown may be waiting for the last one
            }
        }
    }

    static boolean isClosing() {
        synchronized (clients) {
            return closing;
        }
    }

    // shutdown runs in the shutdown hook: stop accepting, tell every client,
    // close our side, and wait (at most GRACE) for the clients to close theirs.
    static void shutdown(ServerSocket s) {
        System.out.println("Shutting down");
        close(s); // accept() in main throws, and main returns
        Set<Socket> told;
        synchronized (clients) {
            closing = true;
            told = new HashSet<>(clients);
        }
        // Outside the lock: a write to a client that reads nothing can wait.
        for (Socket conn : told) {
            goodbye(conn, SHUTTING_DOWN);
        }
        // Each client's thread ends when its client closes, and removes it
        // from the set. Wait for all, at most GRACE; then close the rest.
        long deadline = System.nanoTime() + GRACE.toNanos();
        synchronized (clients) {
            while (!clients.isEmpty() && System.nanoTime() < deadline) {
                try {
                    clients.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    break;
                }
            }
            for (Socket conn : clients) {
                close(conn);
            }
        }
        int n = told.size();
        System.out.println("Shut down: " + n + (n == 1 ? " client" : " clients") + " told and closed");
        System.out.flush();
        // Exit with 0 now. System.exit() here would wait for this very hook
        // and hang; returning would exit with 130.
        Runtime.getRuntime().halt(0);
    }

    // goodbye sends one last line and closes our side of the connection: the
    // client reads the line, then the end.
    static void goodbye(Socket conn, byte[] line) {
        try {
            conn.getOutputStream().write(line);
            conn.shutdownOutput();
        } catch (IOException e) {
            System.out.println("Goodbye not read by " + conn.getInetAddress().getHostAddress() + ":" + conn.getPort() + ": " + e.getMessage());
        }
    }

    static void close(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing: nothing left to do about it
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        usage("bad port \"" + text + "\": give a number from 1 to 65535");
        return 0; // not reached
    }

    // millisFrom reads "2s", "500ms", "5m", or a number of seconds.
    static int millisFrom(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)?").matcher(text);
        if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
            usage("bad --idle \"" + text + "\": give a time such as 2s, 500ms or 5m");
        }
        int n = Integer.parseInt(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            default -> n * 1000;
        };
    }

    static void usage(String why) {
        System.err.println(why);
        System.exit(2);
    }
}
