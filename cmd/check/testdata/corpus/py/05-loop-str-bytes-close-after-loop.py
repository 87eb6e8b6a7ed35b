# corpus: the article's loop step as it sits in a team project's socket test,
# already Python 3: the reply is 'OK...' + str(data), so it carries Python's
# b'...' notation; conn.close() comes after the loop, as in the article; two
# lines of its own say what came in and what went out; and the except branch
# adds the class socket.error to a str, a TypeError only if bind fails.
import socket
import sys

HOST = ''   # Symbolic name meaning all available interfaces
PORT = 5000 # Arbitrary non-privileged port

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print('Socket created')

try:
    s.bind((HOST, PORT))
except socket.error:
    print('Could not bind: ' + socket.error)
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
    reply = 'OK...' + str(data)
    if not data:
        break
    print('in:  ' + str(data))
    conn.sendall(reply.encode())
    print('out: ' + reply)

conn.close()
s.close()
