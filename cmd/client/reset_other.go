//go:build !windows

package main

// isWSAReset is for Windows only; elsewhere syscall.ECONNRESET says it all.
func isWSAReset(error) bool { return false }
