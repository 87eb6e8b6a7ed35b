package tcptest

import "syscall"

// AddrInUse is the error number bind gives for a port that is taken:
// WSAEADDRINUSE, 10048, on Windows.
const AddrInUse syscall.Errno = 10048
