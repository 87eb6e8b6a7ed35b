/*
 * corpus: a learner's 06 in C, right in all it does, that reports a failed
 * bind the way C books do: perror("bind failed") prints "bind failed:
 * Address already in use" on stderr, and it returns 1. The article's
 * "Bind failed. Error Code : 98 Message ..." line is not printed.
 *
 * Build: gcc -pthread -o server 06-perror-bind.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#define PORT 8888

void *clientthread(void *arg)
{
    int conn = *(int *)arg;
    char buf[1024];
    char reply[1024 + 5];
    const char *welcome = "Welcome to the server. Type something and hit enter\n";
    ssize_t n;

    free(arg);
    send(conn, welcome, strlen(welcome), MSG_NOSIGNAL);

    while ((n = recv(conn, buf, sizeof buf, 0)) > 0) {
        memcpy(reply, "OK...", 5);
        memcpy(reply + 5, buf, n);
        send(conn, reply, n + 5, MSG_NOSIGNAL);
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
    if (s < 0) {
        perror("socket");
        return 1;
    }
    printf("Socket created\n");

    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_addr.s_addr = INADDR_ANY;
    server.sin_port = htons(PORT);

    if (bind(s, (struct sockaddr *)&server, sizeof server) < 0) {
        perror("bind failed");
        return 1;
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
