/*
 * corpus: a learner's 06 in C whose loop runs while recv() does not return
 * 0: `while ((n = recv(...)) != 0)`. When a client resets, recv returns -1
 * (ECONNRESET) and the loop goes on: send() to the dead connection raises
 * SIGPIPE, whose default action kills the whole server, every client's
 * thread with it (status 141 in a shell, no message). A client that closes
 * properly is fine: recv returns 0.
 *
 * Build: gcc -pthread -o server 06-recv-minus-one.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <errno.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#define PORT 8888

void *clientthread(void *arg)
{
    int conn = *(int *)arg;
    char buf[1024];
    const char *welcome = "Welcome to the server. Type something and hit enter\n";
    ssize_t n;

    free(arg);
    send(conn, welcome, strlen(welcome), 0);

    while ((n = recv(conn, buf, sizeof buf, 0)) != 0) {
        send(conn, "OK...", 5, 0);
        if (n > 0)
            send(conn, buf, n, 0);
    }

    close(conn);
    return NULL;
}

int main(void)
{
    int s, conn, *arg;
    struct sockaddr_in server, client;
    socklen_t len = sizeof client;
    pthread_t tid;

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

    while ((conn = accept(s, (struct sockaddr *)&client, &len)) >= 0) {
        printf("Connected with %s:%d\n", inet_ntoa(client.sin_addr), ntohs(client.sin_port));
        arg = malloc(sizeof *arg);
        *arg = conn;
        pthread_create(&tid, NULL, clientthread, arg);
        pthread_detach(tid);
    }

    perror("accept failed");
    return 1;
}
