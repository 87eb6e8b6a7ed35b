# corpus: the article's final server kept in a "Python 3" folder of course
# notes with its Python 2 prints left in, then run through a formatter that
# put each `print` on a line of its own and its text on the next: `print`
# alone is a name that does nothing in Python 3, so the server prints none of
# its lines. Also its own welcome (lower-case "welcome", a space before the
# newline), the prefix "OK .. ", and HOST = 'localhost'.
import socket
import sys
from _thread import *

HOST = 'localhost'
PORT = 8888

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print
'Socket created'

try:
    s.bind((HOST, PORT))
except socket.error as msg:
    print
    'Bind failed. Error Code : ' + str(msg[0]) + ' Message ' + msg[1]
    sys.exit()

print
'Socket bind complete'

s.listen(10)
print
'Socket now listening'


def clientthread(conn):
    conn.send('welcome to the server. Type something and hit enter \n'.encode())

    while True:
        data = conn.recv(1024)
        reply = 'OK .. '.encode() + data
        if not data:
            break
        conn.sendall(reply)

    conn.close()


while 1:
    conn, addr = s.accept()
    print
    'Connected with ' + addr[0] + ':' + str(addr[1])
    start_new_thread(clientthread, (conn,))

s.close()
