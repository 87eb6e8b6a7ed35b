# corpus: a learner's 06 that works with text, as Python 2's str allowed:
# the reply is 'OK...' + data.decode(), encoded again to send. Text typed
# in telnet is fine; a message that is not UTF-8 (\xff) raises
# UnicodeDecodeError in that client's thread, which prints a traceback and
# ends, and the client's connection is closed without a reply. The server
# goes on serving the others.
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
    conn.send('Welcome to the server. Type something and hit enter\n'.encode())

    while True:
        data = conn.recv(1024)
        reply = 'OK...' + data.decode()
        if not data:
            break

        conn.sendall(reply.encode())

    conn.close()

while 1:
    conn, addr = s.accept()
    print('Connected with ' + addr[0] + ':' + str(addr[1]))
    start_new_thread(clientthread, (conn,))

s.close()
