# corpus: a learner's 06 ported from the article with print() and
# `except ... as` fixed, and the welcome line left as the article sends it,
# a str: in Python 3, conn.send('Welcome ...') raises TypeError (a
# bytes-like object is required) in the client's thread, right after
# "Connected with": the thread prints a traceback and ends, and every client
# is hung up on without a word. The replies below it are bytes, and right.
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
    print('Bind failed. Error Code : ' + str(msg.errno) + ' Message ' + msg.strerror)
    sys.exit()

print('Socket bind complete')

s.listen(10)
print('Socket now listening')

def clientthread(conn):
    conn.send('Welcome to the server. Type something and hit enter\n') #send only takes string

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
