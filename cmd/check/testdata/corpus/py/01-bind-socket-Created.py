# corpus: a learner's 01 with its first line capitalised.
import socket
import sys

HOST = ''   # Symbolic name meaning all available interfaces
PORT = 8888 # Arbitrary non-privileged port

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print('Socket Created')

try:
    s.bind((HOST, PORT))
except socket.error as e:
    print('Bind failed. Error Code : ' + str(e.errno) + ' Message ' + e.strerror)
    sys.exit()

print('Socket bind complete')
