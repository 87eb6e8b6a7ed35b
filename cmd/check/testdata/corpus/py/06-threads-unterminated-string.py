# corpus: the article's final server typed out again by hand in its author's
# own lower-case, dotted words, for Python 3 but never run: the closing quote
# of the first print became an "ä" (the key where ' is on a US keyboard, on
# a Nordic one), so Python stops with a SyntaxError before anything runs;
# further down, s.acept() and socket.eror would have failed too.
import socket
import sys
from _thread import *

HOST = ''
PORT = 8888

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print('.. socket made ..ä)

try:
    s.bind((HOST, PORT))
except socket.eror as msg:
    print('.. no bind, code ' + str(msg.errno) + ': ' + msg.strerror)
    sys.exit()

print('.. bound ..')

s.listen(10)
print('.. listening ..')


def client(conn):
    conn.send(b'.. welcome, type something and hit enter ..\n')
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(b'.. OK ..' + data)
    conn.close()


while 1:
    conn, addr = s.acept()
    print('.. connected: ' + addr[0] + ':' + str(addr[1]))
    start_new_thread(client, (conn,))

s.close()
