// corpus: a learner's 05 in Java, one client at a time in main, that ports
// the article's `if not data: break` as `if (n == 0) break;`. Java's read
// returns -1 when the client is done, never 0: for a client that closes
// without sending, "OK..." is written to it, then out.write(buf, 0, -1)
// throws IndexOutOfBoundsException, which ends the program with a stack
// trace and exit status 1 instead of leaving the loop.
//
// Build: javac -d out Server05ReadZero.java && java -cp out Server05ReadZero
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

public class Server05ReadZero {
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

        byte[] buf = new byte[1024];
        while (true) {
            Socket conn = s.accept();
            System.out.println("Connected with " + conn.getInetAddress().getHostAddress() + ":" + conn.getPort());

            InputStream in = conn.getInputStream();
            OutputStream out = conn.getOutputStream();
            int n = in.read(buf);
            if (n == 0) {
                break;
            }
            out.write("OK...".getBytes());
            out.write(buf, 0, n);
            conn.close();
        }
        s.close();
    }
}
