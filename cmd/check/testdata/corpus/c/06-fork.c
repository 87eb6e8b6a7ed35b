/*
 * corpus: a learner's 06 in C done the Unix way, a process per client:
 * fork() after accept; the child closes the listening socket, talks to its
 * client until recv returns 0, and exits; the parent closes its copy of
 * the connection and accepts the next one. signal(SIGCHLD, SIG_IGN) lets
 * the kernel reap the children. Ctrl-C in a terminal reaches the whole
 * process group, children included. stdout is unbuffered.
 *
 * Build: gcc -o server 06-fork.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <errno.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#define PORT 8888

static void clientthread(int conn)
{
    char buf[1024];
    char reply[1024 + 5];
    const char *welcome = "Welcome to the server. Type something and hit enter\n";
    ssize_t n;

    send(conn, welcome, strlen(welcome), MSG_NOSIGNAL);
    while ((n = recv(conn, buf, sizeof buf, 0)) > 0) {
        memcpy(reply, "OK...", 5);
        memcpy(reply + 5, buf, n);
        if (send(conn, reply, n + 5, MSG_NOSIGNAL) < 0)
            break;
    }
    close(conn);
}

int main(void)
{
    int s, conn;
    struct sockaddr_in server, client;
    socklen_t len = sizeof client;

    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGCHLD, SIG_IGN);

    s = socket(AF_INET, SOCK_STREAM, 0);
    if (s == -1) {
        printf("Could not create socket\n");
        return 1;
    }
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
        if (conn < 0) {
            perror("accept");
            continue;
        }
        printf("Connected with %s:%d\n", inet_ntoa(client.sin_addr), ntohs(client.sin_port));
        if (fork() == 0) {
            close(s);
            clientthread(conn);
            exit(0);
        }
        close(conn);
    }
}
