// corpus: a learner's 06 in Java with the text classes most tutorials use:
// a BufferedReader's readLine() and a PrintWriter with autoflush. readLine()
// waits for a line end and drops it, and println() adds "\n": a client that
// sends "hi\r\n" gets "OK...hi\n". The reader decodes the bytes as UTF-8, so
// \xff comes back as \xef\xbf\xbd. main declares "throws IOException" and
// does not catch a failed bind: with the port taken Java prints
// "Exception in thread "main" java.net.BindException: Address already in use"
// and a stack, and exits with 1.
//
// Build: javac -d out Server06ReadLine.java && java -cp out Server06ReadLine
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;

public class Server06ReadLine {
    static final int PORT = 8888;

    public static void main(String[] args) throws IOException {
        ServerSocket s = new ServerSocket(PORT, 10);
        System.out.println("Socket created");
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
             PrintWriter out = new PrintWriter(conn.getOutputStream(), true)) {
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
