# corpus: a learner's 07 in Python: a thread per client, Ctrl-C tells every
# client and exits 0, a client silent for IDLE seconds is told and closed
# (a timeout on each recv), and a failed accept is retried after a pause.
import socket
import sys
import threading
import time

HOST = ''   # Symbolic name meaning all available interfaces
PORT = 8888 # Arbitrary non-privileged port
IDLE = 2    # seconds a client may stay silent

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print('Socket created')

try:
    s.bind((HOST, PORT))
except socket.error as msg:
    print('Bind failed. Error Code : ' + str(msg.errno) + ' Message ' + msg.strerror)
    sys.exit(1)

print('Socket bind complete')

s.listen(10)
print('Socket now listening')

clients = set()
lock = threading.Lock()

def clientthread(conn, addr):
    conn.settimeout(IDLE)  # every recv waits at most IDLE seconds
    try:
        conn.sendall(b'Welcome to the server. Type something and hit enter\n')
        while True:
            try:
                data = conn.recv(1024)
            except socket.timeout:
                print('Closing ' + addr[0] + ':' + str(addr[1]) + ': idle')
                conn.sendall(b'You have been idle for ' + str(IDLE).encode() + b's. Goodbye.\n')
                break
            if not data:
                break
            conn.sendall(b'OK...' + data)
    except OSError as e:
        print('Connection failed:', e)
    finally:
        with lock:
            clients.discard(conn)
        conn.close()

try:
    while True:
        try:
            conn, addr = s.accept()
        except OSError as e:
            print('Accept failed:', e)
            time.sleep(0.1)
            continue
        print('Connected with ' + addr[0] + ':' + str(addr[1]))
        with lock:
            clients.add(conn)
        threading.Thread(target=clientthread, args=(conn, addr), daemon=True).start()
except KeyboardInterrupt:
    print('Shutting down')
    with lock:
        for c in list(clients):
            try:
                c.sendall(b'Server is shutting down. Goodbye.\n')
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    s.close()
    sys.exit(0)
