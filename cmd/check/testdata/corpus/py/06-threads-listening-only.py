# corpus: the article's final server rearranged into a small service for a
# home project: the handler first, then the settings, `from socket import *`,
# bind with no try/except, listen(5), and of the article's three start-up
# lines only "Socket now listening". Clients are served as the article's.
from socket import *
from _thread import *


def clientthread(conn):
    conn.send('Welcome to the server. Type something and hit enter\n'.encode())
    while True:
        data = conn.recv(1024)
        reply = b'OK...' + data
        if not data:
            break
        conn.sendall(reply)
    conn.close()


# settings
HOST = ''
PORT = 8888
QUEUED = 5  # connections allowed to wait

service = socket(AF_INET, SOCK_STREAM)
service.bind((HOST, PORT))
service.listen(QUEUED)
print('Socket now listening')

while True:
    conn, addr = service.accept()
    print('Connected with ' + addr[0] + ':' + str(addr[1]))
    start_new_thread(clientthread, (conn,))
