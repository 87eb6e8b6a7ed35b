// corpus: a learner's 06 in Java, right in all it does, that prints the
// client with "Connected with " + conn.getInetAddress() + ":" + conn.getPort():
// an InetAddress prints as "hostname/address", and with no host name
// looked up that is "/127.0.0.1", so the line reads
// "Connected with /127.0.0.1:54321" (getHostAddress() gives "127.0.0.1").
//
// Build: javac -d out Server06Slash.java && java -cp out Server06Slash
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

public class Server06Slash {
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
            System.out.println("Connected with " + conn.getInetAddress() + ":" + conn.getPort());
            new Thread(() -> clientthread(conn)).start();
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
            // the client reset: its thread ends
        }
    }
}
