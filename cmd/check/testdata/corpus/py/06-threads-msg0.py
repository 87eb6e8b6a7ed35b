# corpus: the article's final server as people publish it in a project of
# their own, ported to Python 3 everywhere but its except branch: msg[0] and
# msg[1] are Python 2's and raise TypeError there, but only if bind fails.
import socket
import sys
from _thread import *

HOST = ''
PORT = 8888

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print('Socket created')

try:
    s.bind((HOST, PORT))
except socket.error as msg:
    # left as the article has it: msg is no longer a tuple in Python 3
    print('Bind failed. Error Code : ' + str(msg[0]) + ' Message ' + msg[1])
    sys.exit()

print('Socket bind complete')

s.listen(10)
print('Socket now listening')


def clientthread(conn):
    conn.send('Welcome to the server. Type something and hit enter\n'.encode())
    while True:
        data = conn.recv(1024)
        reply = b'OK...' + data
        if not data:
            break
        conn.sendall(reply)
    conn.close()


while 1:
    conn, addr = s.accept()
    print('Connected with ' + addr[0] + ':' + str(addr[1]))
    start_new_thread(clientthread, (conn,))

s.close()
