# The article's final server, a thread per client, ported to Python 3.
# Every line is the article's; the comments marked "Python 3" say what had to change.
import socket
import sys
# Python 3: the module "thread" is now called "_thread".
from _thread import *

HOST = ''   # Symbolic name meaning all available interfaces
PORT = 8888 # Arbitrary non-privileged port

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# Python 3: print is a function, so its argument goes in parentheses.
print('Socket created')

#Bind socket to local host and port
try:
    s.bind((HOST, PORT))
# Python 3: "except socket.error , msg" is now "except socket.error as msg",
# and the error is no longer a tuple: msg[0] raises TypeError, so the code and
# the message are msg.errno and msg.strerror.
except socket.error as msg:
    print('Bind failed. Error Code : ' + str(msg.errno) + ' Message ' + msg.strerror)
    sys.exit()

print('Socket bind complete')

#Start listening on socket
s.listen(10)
print('Socket now listening')

#Function for handling connections. This will be used to create threads
def clientthread(conn):
    #Sending message to connected client
    # Python 3: send takes bytes, not str: .encode() turns the text into bytes.
    conn.send('Welcome to the server. Type something and hit enter\n'.encode()) #send only takes string

    #infinite loop so that function do not terminate and thread do not end.
    while True:

        #Receiving from client
        data = conn.recv(1024)
        # Python 3: recv returns bytes, not str, and 'OK...' + data raises
        # TypeError; b'OK...' is bytes too.
        reply = b'OK...' + data
        if not data:
            break

        conn.sendall(reply)

    #came out of loop
    conn.close()

#now keep talking with the client
while 1:
    #wait to accept a connection - blocking call
    conn, addr = s.accept()
    print('Connected with ' + addr[0] + ':' + str(addr[1]))

    #start new thread takes 1st argument as a function name to be run, second is the tuple of arguments to the function.
    start_new_thread(clientthread ,(conn,))

s.close()
