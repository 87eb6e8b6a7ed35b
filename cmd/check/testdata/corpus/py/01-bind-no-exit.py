# corpus: a learner's 01 that forgot sys.exit() in the except branch: after
# "Bind failed" it goes on and says the bind is complete.
import socket

HOST = ''   # Symbolic name meaning all available interfaces
PORT = 8888 # Arbitrary non-privileged port

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print('Socket created')

try:
    s.bind((HOST, PORT))
except socket.error as msg:
    print('Bind failed. Error Code : ' + str(msg.errno) + ' Message ' + msg.strerror)

print('Socket bind complete')
