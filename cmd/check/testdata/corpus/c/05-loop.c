/*
 * corpus: a learner's 05 in C, done right: one client at a time, "OK..."
 * plus the bytes read in one send, the connection closed after the reply,
 * and the article's `if not data: break` as `if (n <= 0) break;` (which
 * also leaves on an error, where Python would raise). Like the article it
 * sets no SO_REUSEADDR; the Bind failed line is the article's, with errno
 * and strerror. stdout is unbuffered.
 *
 * Build: gcc -o server 05-loop.c
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#define PORT 8888

int main(void)
{
    int s, conn;
    struct sockaddr_in server, client;
    socklen_t len = sizeof client;
    char buf[1024];
    char reply[1024 + 5];
    ssize_t n;

    setvbuf(stdout, NULL, _IONBF, 0);

    s = socket(AF_INET, SOCK_STREAM, 0);
    printf("Socket created\n");

    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_addr.s_addr = INADDR_ANY;
    server.sin_port = htons(PORT);

    if (bind(s, (struct sockaddr *)&server, sizeof server) < 0) {
        printf("Bind failed. Error Code : %d Message %s\n", errno, strerror(errno));
        return 0;
    }
    printf("Socket bind complete\n");

    listen(s, 10);
    printf("Socket now listening\n");

    while (1) {
        conn = accept(s, (struct sockaddr *)&client, &len);
        printf("Connected with %s:%d\n", inet_ntoa(client.sin_addr), ntohs(client.sin_port));

        n = recv(conn, buf, sizeof buf, 0);
        if (n <= 0)
            break;

        memcpy(reply, "OK...", 5);
        memcpy(reply + 5, buf, n);
        send(conn, reply, n + 5, MSG_NOSIGNAL);
        close(conn);
    }

    close(conn);
    close(s);
    return 0;
}
