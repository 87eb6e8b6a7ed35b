// corpus: a learner's 06 in Java whose PrintWriter is made without
// autoflush, new PrintWriter(conn.getOutputStream()), and never flushed:
// println() fills the writer's buffer and nothing is sent, neither the
// welcome line nor any reply, until the connection is closed, when the
// try-with-resources closes the writer and everything goes out at once.
// It reads lines with a BufferedReader.
//
// Build: javac -d out Server06PrintWriter.java && java -cp out Server06PrintWriter
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

public class Server06PrintWriter {
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
        try (conn;
             BufferedReader in = new BufferedReader(new InputStreamReader(conn.getInputStream()));
             PrintWriter out = new PrintWriter(conn.getOutputStream())) {
            out.println("Welcome to the server. Type something and hit enter");
            String line;
            while ((line = in.readLine()) != null) {
                out.println("OK..." + line);
            }
        } catch (IOException e) {
            System.out.println(e);
        }
    }
}
