/*
 * corpus: a learner's 04 in C that treats what it received as a C string:
 * the buffer is zeroed, recv fills it, and the echo sends strlen(buf)
 * bytes. Typed text comes back right; binary data does not: everything
 * from the first zero byte on is lost ("a\x00\xff" comes back as "a").
 * Then it closes the connection and exits, as 04 does.
 *
 * Build: gcc -o server 04-strlen.c
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

    conn = accept(s, (struct sockaddr *)&client, &len);
    printf("Connected with %s:%d\n", inet_ntoa(client.sin_addr), ntohs(client.sin_port));

    memset(buf, 0, sizeof buf);
    recv(conn, buf, sizeof buf - 1, 0);
    send(conn, buf, strlen(buf), MSG_NOSIGNAL);

    close(conn);
    close(s);
    return 0;
}
