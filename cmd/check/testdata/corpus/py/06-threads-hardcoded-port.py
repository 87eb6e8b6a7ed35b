# corpus: the article's final server as the back end of an app project, with
# print() but Python 2's strings, given bytes for send and the reply: its port
# is written into bind() and into the line that announces it, so it has no
# PORT line; and start_new_thread is never imported, so the first client ends
# the server with a NameError in the main thread.
import socket
import sys

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

try:
    server.bind(('', 8888))
except:
    print('Could not get the port, giving up.')
    sys.exit()
print('Socket bind complete')
server.listen(10)
print('Server started on port 8888')


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
    conn, addr = server.accept()
    print('Connected with ' + addr[0] + ':' + str(addr[1]))
    start_new_thread(clientthread, (conn,))

server.close()
