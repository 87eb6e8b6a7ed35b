# The article's "keep the server running" step, ported to Python 3.
# Every line is the article's, port 5000 included; the comments marked
# "Python 3" say what had to change.
import socket
import sys

HOST = ''   # Symbolic name meaning all available interfaces
PORT = 5000 # Arbitrary non-privileged port

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# Python 3: print is a function, so its argument goes in parentheses.
print('Socket created')

try:
    s.bind((HOST, PORT))
# Python 3: "except socket.error , msg" is now "except socket.error as msg",
# and the error is no longer a tuple: msg[0] raises TypeError, so the code and
# the message are msg.errno and msg.strerror.
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
    # Python 3: recv returns bytes, not str, and 'OK...' + data raises
    # TypeError; b'OK...' is bytes too.
    reply = b'OK...' + data
    if not data:
        break

    conn.sendall(reply)
    conn.close()

s.close()
