//go:build !windows

package tcptest

// maxDials is how many connects a Crowd has in progress at once. Linux and
// macOS listen with a queue of somaxconn (4096 on recent Linux, 128 on
// macOS) and, when it is full, drop a SYN rather than refuse it: the
// client sends it again a second later and gets in. So every client
// connects at once.
const maxDials = 1 << 20
