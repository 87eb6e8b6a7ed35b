# nagle.py is a client, in Python 3, that sends the lines hi, asd and cv in
# three sends, back to back, five times, 0.2 s apart, to a server on
# localhost:8888 that greets it first. Python leaves Nagle's algorithm on;
# with the argument 1 it turns it off (TCP_NODELAY), as Go always does.
# capture.sh runs it against 07-shutdown both ways and prints the segments.
import socket
import sys
import time

s = socket.create_connection(("localhost", 8888))
if sys.argv[1:] == ["1"]:
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.recv(100)  # the welcome line: now the server waits in its read
for _ in range(5):
    s.send(b"hi\r\n")
    s.send(b"asd\r\n")
    s.send(b"cv\r\n")
    time.sleep(0.2)
s.shutdown(socket.SHUT_WR)
while s.recv(100):
    pass
