# corpus: the article's "keep the server running" step as published, with its
# indentation (copies of the translation that kept it): conn.close() comes
# after the while loop, so a client is closed only when `conn` is rebound at
# the next accept (CPython frees the old socket then).
import socket
import sys

HOST = ''   # Symbolic name meaning all available interfaces
PORT = 5000 # Arbitrary non-privileged port

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

#now keep talking with the client
while 1:
    #wait to accept a connection - blocking call
    conn, addr = s.accept()
    print('Connected with ' + addr[0] + ':' + str(addr[1]))

    data = conn.recv(1024)
    reply = b'OK...' + data
    if not data:
        break

    conn.sendall(reply)

conn.close()
s.close()
