# corpus: the article's loop step reworked as the first server of a game,
# with print() but the rest as Python 2 had it, then given b'OK...': two lines
# of its own for the article's three ("Socked created and binding complete",
# "Server listening"), "Connected with" commented out, every message printed
# as bytes, and an empty connection closed without stopping the server. Its
# `except (socket.error, err):` is valid Python 3 and fails (NameError) only
# if bind fails.
import socket
import sys

HOST = ''
PORT = 8888
WAITING = 5

try:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind((HOST, PORT))
except (socket.error, err):
    print('No socket: ' + str(err))
    sys.exit()
print('Socked created and binding complete')

server.listen(WAITING)
print('Server listening')

while True:
    client, addr = server.accept()
    #print('Connected with ' + addr[0] + ':' + str(addr[1]))
    message = client.recv(1024)
    print(message)
    if message:
        client.send(b'OK...' + message)
    client.close()
