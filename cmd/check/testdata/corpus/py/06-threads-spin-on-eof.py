# corpus: a learner's 06 whose handler has no `if not data: break`: once the
# client closes, recv returns b'' at once, forever, and the thread keeps
# sending "OK..." until the send fails.
import socket
import sys
from _thread import *

HOST = ''   # Symbolic name meaning all available interfaces
PORT = 8888 # Arbitrary non-privileged port

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
    conn.send(b'Welcome to the server. Type something and hit enter\n')

    while True:
        data = conn.recv(1024)
        conn.sendall(b'OK...' + data)

while 1:
    conn, addr = s.accept()
    print('Connected with ' + addr[0] + ':' + str(addr[1]))
    start_new_thread(clientthread, (conn,))

s.close()
