# The article's first complete server, which echoes one message, ported to Python 3.
# Every line is the article's; the comments marked "Python 3" say what had to change.
import socket
import sys

HOST = ''   # Symbolic name meaning all available interfaces
PORT = 8888 # Arbitrary non-privileged port

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

#wait to accept a connection - blocking call
conn, addr = s.accept()

print('Connected with ' + addr[0] + ':' + str(addr[1]))

#now keep talking with the client
data = conn.recv(1024)
conn.sendall(data)

conn.close()
s.close()
