/*
 * corpus: a learner's 05 in C. C has no 'OK...' + data, so the reply goes
 * out in two send() calls, and the article's `if not data: break` came
 * after them. When a client closes without sending, recv() returns 0, the
 * first send goes to a closed connection (the client's system answers with
 * a reset), and the second one raises SIGPIPE, which kills the process
 * instead of letting it leave its loop and exit with 0.
 *
 * Build: gcc -o server 05-sigpipe.c
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
    int s, conn, n;
    struct sockaddr_in server, client;
    socklen_t len = sizeof client;
    char buf[1024];

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
        send(conn, "OK...", 5, 0);
        send(conn, buf, n, 0);
        if (n == 0)
            break;

        close(conn);
    }

    close(s);
    return 0;
}
