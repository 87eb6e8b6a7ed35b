# corpus: the article's final server reworded as the start of a chat program,
# written for Python 3: its own lines for the article's ("[-] Socket Created",
# a "[-] Bound to port" line instead of "Socket bind complete",
# "Listening...", "[-] Connected to 127.0.0.1:54321"), its own welcome that
# ends "... press enter to send.", the prefix "OK . . ", and no try/except
# around bind.
import socket
from _thread import start_new_thread

HOST = ''    # every interface
PORT = 8888  # any free port above 1023


def handle(client):
    client.sendall('Welcome to the chat. Type a line and press enter to send.\n'.encode('ascii'))
    while True:
        message = client.recv(1024)
        if not message:
            break
        client.sendall('OK . . '.encode('ascii') + message)
    client.close()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print('[-] Socket Created')
server.bind((HOST, PORT))
print('[-] Bound to port {}'.format(PORT))
server.listen(10)
print('Listening...')

while True:
    client, (ip, port) = server.accept()
    print('[-] Connected to {}:{}'.format(ip, port))
    start_new_thread(handle, (client,))
