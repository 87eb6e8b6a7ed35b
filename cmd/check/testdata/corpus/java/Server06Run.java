// corpus: a learner's 06 in Java that makes a Thread per client and calls
// its run() instead of start(): run() is an ordinary call, so the client is
// served in the main thread, to the end, before accept() is called again.
// One client at a time, each answered every message.
//
// Build: javac -d out Server06Run.java && java -cp out Server06Run
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

public class Server06Run {
    static final int PORT = 8888;

    public static void main(String[] args) throws IOException {
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

        while (true) {
            Socket conn = s.accept();
            System.out.println("Connected with " + conn.getInetAddress().getHostAddress() + ":" + conn.getPort());
            Thread t = new Thread(() -> clientthread(conn));
            t.run();
        }
    }

    static void clientthread(Socket conn) {
        try (conn) {
            InputStream in = conn.getInputStream();
            OutputStream out = conn.getOutputStream();
            out.write("Welcome to the server. Type something and hit enter\n".getBytes());

            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) != -1) {
                byte[] reply = new byte[5 + n];
                System.arraycopy("OK...".getBytes(), 0, reply, 0, 5);
                System.arraycopy(buf, 0, reply, 5, n);
                out.write(reply);
            }
        } catch (IOException e) {
            // the client reset: on to the next one
        }
    }
}
