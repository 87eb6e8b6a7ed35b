# The article's final server (a thread per client), ported to Python 3 so
# that scripts/memory.sh can measure it beside 06-goroutines. Only what
# Python 3 requires has changed: print(), "except ... as", bytes, _thread,
# errno and strerror instead of msg[0] and msg[1]. It binds 127.0.0.1 on
# the port given (0 for any free one) and says where, like the course's
# stages, on a line of its own: "Bound to 127.0.0.1:PORT".
#
#   python3 scripts/article_server.py [port]
import socket
import sys
import _thread

HOST = '127.0.0.1'
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print('Socket created')
try:
    s.bind((HOST, PORT))
except socket.error as msg:
    print('Bind failed. Error Code : ' + str(msg.errno) + ' Message ' + msg.strerror)
    sys.exit()
print('Socket bind complete')
print('Bound to %s:%d' % s.getsockname(), flush=True)
s.listen(10)
print('Socket now listening', flush=True)


def clientthread(conn):
    conn.send(b'Welcome to the server. Type something and hit enter\n')
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
    _thread.start_new_thread(clientthread, (conn,))
