# corpus: a learner's 04 that reads into a buffer of its own (as in C or Go)
# and sends the whole buffer back, not the bytes it read.
import socket
import sys

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

conn, addr = s.accept()
print('Connected with ' + addr[0] + ':' + str(addr[1]))

buf = bytearray(1024)
n = conn.recv_into(buf)
print('received', n, 'bytes')
conn.sendall(buf)

conn.close()
s.close()
