//go:build !windows

package wire

// DefaultWave is how many clients of a Crowd may connect at once when
// nothing else says: on Linux and macOS, any number. They listen with a
// queue of somaxconn (4096 on recent Linux, 128 on macOS) and, when it is
// full, drop a SYN rather than refuse it: the client sends it again a
// second later and gets in.
const DefaultWave = 0
