//go:build !windows

package tcptest

import "syscall"

// AddrInUse is the error number bind gives for a port that is taken:
// 98 on Linux, 48 on macOS.
const AddrInUse = syscall.EADDRINUSE
