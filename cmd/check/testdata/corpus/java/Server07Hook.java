// corpus: a learner's 07 in Java: a shutdown hook tells every connected
// client "Server shutting down" and closes it on Ctrl-C; each read has a
// timeout (setSoTimeout, IDLE ms of silence), after which the client is told
// and closed; a failed accept (too many open files) is printed, then
// accept is tried again after 100 ms. But a JVM stopped by SIGINT exits with
// status 130 after its hooks have run, not 0 (Runtime.getRuntime().halt(0)
// at the end of the hook would give 0).
//
// Build: javac -d out Server07Hook.java && java -cp out Server07Hook   (-idle 2s)
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

public class Server07Hook {
    static final int PORT = 8888;
    static final int IDLE = 2000; // milliseconds

    static final Set<Socket> clients = ConcurrentHashMap.newKeySet();

    public static void main(String[] args) throws IOException, InterruptedException {
        ServerSocket s = new ServerSocket();
        System.out.println("Socket created");

        try {
            s.bind(new InetSocketAddress(PORT), 10);
        } catch (IOException e) {
            System.out.println("Bind failed. Error Code : " + e.getClass().getSimpleName() + " Message " + e.getMessage());
            System.exit(0);
        }
        System.out.println("Socket bind complete");
        System.out.println("Socket now listening");

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shutting down");
            try {
                s.close();
            } catch (IOException e) {
                // nothing to do
            }
            for (Socket c : clients) {
                try {
                    c.getOutputStream().write("Server shutting down\n".getBytes());
                    c.close();
                } catch (IOException e) {
                    // that client is gone already
                }
            }
        }));

        while (true) {
            Socket conn;
            try {
                conn = s.accept();
            } catch (IOException e) {
                if (s.isClosed()) {
                    return;
                }
                System.out.println("accept failed: " + e.getMessage());
                Thread.sleep(100);
                continue;
            }
            System.out.println("Connected with " + conn.getInetAddress().getHostAddress() + ":" + conn.getPort());
            clients.add(conn);
            new Thread(() -> clientthread(conn)).start();
        }
    }

    static void clientthread(Socket conn) {
        try (conn) {
            conn.setSoTimeout(IDLE);
            InputStream in = conn.getInputStream();
            OutputStream out = conn.getOutputStream();
            out.write("Welcome to the server. Type something and hit enter\n".getBytes());

            byte[] buf = new byte[1024];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    out.write("Idle for too long, bye\n".getBytes());
                    break;
                }
                if (n == -1) {
                    break;
                }
                byte[] reply = new byte[5 + n];
                System.arraycopy("OK...".getBytes(), 0, reply, 0, 5);
                System.arraycopy(buf, 0, reply, 5, n);
                out.write(reply);
            }
        } catch (IOException e) {
            // the client reset: its thread ends
        } finally {
            clients.remove(conn);
        }
    }
}
