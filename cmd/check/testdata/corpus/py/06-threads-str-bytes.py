# corpus: a learner's 06 that turned the bytes into text with str(data), and
# the reply into bytes with encode(): clients get OK...b'hi\r\n'.
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
    conn.send('Welcome to the server. Type something and hit enter\n'.encode())

    while True:
        data = conn.recv(1024)
        reply = 'OK...' + str(data)
        if not data:
            break

        conn.sendall(reply.encode())

    conn.close()

while 1:
    conn, addr = s.accept()
    print('Connected with ' + addr[0] + ':' + str(addr[1]))
    start_new_thread(clientthread, (conn,))

s.close()
