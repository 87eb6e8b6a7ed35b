/*
 * The article's final server, a thread per client, in C: POSIX sockets and
 * pthreads, nothing else. Each client gets a thread of its own, the welcome
 * line, and "OK..." and what it sent for every message, for as long as it
 * stays connected. The comments quote the article's Python line that each
 * part replaces.
 *
 * Build and run (the port: the first argument, else $PORT, else 8888):
 *
 *     gcc -Wall -O2 -pthread -o server examples/c/06-threads.c
 *     ./server 8888
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

/* The article's texts. sizeof counts the '\0' at the end, which is not sent. */
static const char WELCOME[] = "Welcome to the server. Type something and hit enter\n";
static const char PREFIX[] = "OK...";
#define PREFIX_LEN (sizeof PREFIX - 1)

/* port_from: the port from the first argument, else PORT, else 8888. */
static int port_from(int argc, char **argv)
{
    const char *text = argc > 1 ? argv[1] : getenv("PORT");
    if (text == NULL)
        return 8888; /* PORT = 8888 */
    char *end;
    long port = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || port < 1 || port > 65535) {
        fprintf(stderr, "bad port \"%s\": give a number from 1 to 65535\n", text);
        exit(2);
    }
    return (int)port;
}

/*
 * send_all is conn.sendall(reply): send() may send only part of what it is
 * given, so send the rest until all is sent. It returns -1 on an error.
 */
static int send_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* def clientthread(conn): talk with one client until it closes. */
static void *clientthread(void *arg)
{
    int conn = *(int *)arg;
    free(arg);

    /* conn.send('Welcome to the server. Type something and hit enter\n') */
    if (send_all(conn, WELCOME, sizeof WELCOME - 1) < 0) {
        perror("send");
        close(conn);
        return NULL;
    }

    /*
     * reply = 'OK...' + data, built in place: reply starts with "OK...",
     * and data = conn.recv(1024) reads into the rest. Bytes stay bytes:
     * nothing here looks for a '\0' or a line end.
     */
    char reply[PREFIX_LEN + 1024];
    memcpy(reply, PREFIX, PREFIX_LEN);
    /* while True: */
    for (;;) {
        ssize_t n = recv(conn, reply + PREFIX_LEN, 1024, 0);
        if (n == 0)
            break; /* if not data: break -- the client closed its side */
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("recv"); /* a reset client: only this thread ends */
            break;
        }
        /* conn.sendall(reply) */
        if (send_all(conn, reply, PREFIX_LEN + (size_t)n) < 0) {
            perror("send");
            break;
        }
    }
    /* conn.close() */
    close(conn);
    return NULL;
}

int main(int argc, char **argv)
{
    /*
     * Into a pipe, stdout is fully buffered: the lines would wait in a
     * buffer of 4 KiB. Line buffering writes each line when it ends, as a
     * terminal does.
     */
    setvbuf(stdout, NULL, _IOLBF, 0);
    /*
     * A send() on a connection that the client has reset fails with
     * ECONNRESET; the next one raises SIGPIPE, whose default is to end the
     * whole program, every client with it. Python ignores SIGPIPE when it
     * starts; do the same, and send() fails with EPIPE instead.
     */
    signal(SIGPIPE, SIG_IGN);
    int port = port_from(argc, argv);

    /* s = socket.socket(socket.AF_INET, socket.SOCK_STREAM) */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) {
        perror("socket");
        return 1;
    }
    printf("Socket created\n");

    /*
     * The article does not set SO_REUSEADDR; C teachers do, and Go, Node.js,
     * Java and Rust set it for you. Without it, a port that one of your
     * connections left in TIME_WAIT cannot be bound again for a minute.
     */
    int on = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);

    /*
     * s.bind((HOST, PORT)), HOST = '' being every interface. The port and
     * the address go in network byte order: htons and htonl. Without
     * htons, 8888 (0x22b8) would be bound as 47138 (0xb822) on a PC.
     */
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons((unsigned short)port);
    if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
        /* except socket.error, msg: msg[0] is errno, msg[1] its text. */
        int code = errno;
        printf("Bind failed. Error Code : %d Message %s\n", code, strerror(code));
        return 1; /* the article's sys.exit() exits with 0, as if all went well */
    }
    printf("Socket bind complete\n");

    /* s.listen(10) */
    if (listen(s, 10) < 0) {
        perror("listen");
        return 1;
    }
    printf("Socket now listening\n");

    /* while 1: */
    for (;;) {
        /* conn, addr = s.accept(): wait to accept a connection, a blocking call */
        struct sockaddr_in peer;
        socklen_t len = sizeof peer;
        int conn = accept(s, (struct sockaddr *)&peer, &len);
        if (conn < 0) {
            if (errno == EINTR)
                continue;
            perror("accept"); /* as the article's s.accept() raising: the end */
            return 1;
        }
        /* print 'Connected with ' + addr[0] + ':' + str(addr[1]) */
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
        printf("Connected with %s:%d\n", ip, ntohs(peer.sin_port));

        /*
         * start_new_thread(clientthread, (conn,)). The thread gets its own
         * copy of conn on the heap: &conn would be overwritten by the next
         * accept before the thread reads it. Detached, it frees itself
         * when it ends; nobody joins it.
         */
        int *arg = malloc(sizeof *arg);
        if (arg == NULL) {
            close(conn);
            continue;
        }
        *arg = conn;
        pthread_t thread;
        int err = pthread_create(&thread, NULL, clientthread, arg);
        if (err != 0) {
            fprintf(stderr, "pthread_create: %s\n", strerror(err));
            free(arg);
            close(conn);
            continue;
        }
        pthread_detach(thread);
    }
}
