# corpus: a learner's 06 with socketserver.ThreadingTCPServer, the standard
# library's threaded server: a handler class per client, the article's lines
# and replies. Its threads are not daemon threads (daemon_threads is False
# unless set), so after Ctrl-C, KeyboardInterrupt leaves serve_forever() and
# the interpreter then waits for every client's thread: the process stays
# alive, its clients connected, until they leave.
import socket
import socketserver
import sys

HOST = ''
PORT = 8888


class ClientHandler(socketserver.BaseRequestHandler):
    def handle(self):
        conn = self.request
        print('Connected with ' + self.client_address[0] + ':' + str(self.client_address[1]))
        conn.sendall(b'Welcome to the server. Type something and hit enter\n')
        while True:
            data = conn.recv(1024)
            if not data:
                break
            conn.sendall(b'OK...' + data)


print('Socket created')
try:
    server = socketserver.ThreadingTCPServer((HOST, PORT), ClientHandler)
except socket.error as msg:
    print('Bind failed. Error Code : ' + str(msg.errno) + ' Message ' + msg.strerror)
    sys.exit()
print('Socket bind complete')
print('Socket now listening')

server.serve_forever()
