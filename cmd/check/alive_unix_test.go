//go:build !windows

package main

import "syscall"

// processAlive reports whether the process pid runs.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
