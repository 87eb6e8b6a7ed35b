package wire

// DefaultWave is how many clients of a Crowd may connect at once when
// nothing else says: on Windows, 100. Go listens with SOMAXCONN, which
// Winsock turns into "a reasonable maximum value" it does not name
// (net/sock_windows.go), and a connect that finds the queue full is
// refused (WSAECONNREFUSED), not retried. Clients that connect 100 at a
// time stay well inside any queue the server's accept loop is emptying;
// they are still all connected at the same time once connected.
const DefaultWave = 100
