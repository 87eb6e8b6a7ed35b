package tcptest

// maxDials is how many connects a Crowd has in progress at once. On
// Windows, Go listens with SOMAXCONN, which Winsock turns into "a
// reasonable maximum value" it does not name (net/sock_windows.go), and a
// connect that finds the queue full is refused (WSAECONNREFUSED), not
// retried. Clients that connect 100 at a time stay well inside any queue
// the server's accept loop is emptying; they are still all connected at
// the same time once connected.
const maxDials = 100
