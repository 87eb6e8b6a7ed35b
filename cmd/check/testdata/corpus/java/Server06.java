// corpus: a learner's 06 in Java, done right: a ServerSocket, a thread per
// client, the welcome line, and "OK..." plus the bytes read (InputStream.read
// into a byte[], so the bytes come back as they came) for every message;
// read returns -1 when the client is done. Java has no errno: a failed bind
// is a BindException, and the article's line gives its name and message.
// On Ctrl-C the JVM exits (status 130), dropping its clients, as the
// article's 06 does.
//
// Build: javac -d out Server06.java && java -cp out Server06
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

public class Server06 {
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
            new Thread(() -> clientthread(conn)).start();
        }
    }

    static void clientthread(Socket conn) {
        try (conn) {
            InputStream in = conn.getInputStream();
            OutputStream out = conn.getOutputStream();
            out.write("Welcome to the server. Type something and hit enter\n".getBytes());

            byte[] buf = new byte[1024];
            while (true) {
                int n = in.read(buf);
                if (n == -1) {
                    break;
                }
                byte[] reply = new byte[5 + n];
                System.arraycopy("OK...".getBytes(), 0, reply, 0, 5);
                System.arraycopy(buf, 0, reply, 5, n);
                out.write(reply);
            }
        } catch (IOException e) {
            System.out.println("client " + conn.getPort() + ": " + e.getMessage());
        }
    }
}
