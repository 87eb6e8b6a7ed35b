package main

import "syscall"

// processAlive reports whether the process pid runs.
func processAlive(pid int) bool {
	const queryLimitedInformation = 0x1000
	const stillActive = 259
	h, err := syscall.OpenProcess(queryLimitedInformation, false, uint32(pid))
	if err != nil {
		return false
	}
	defer syscall.CloseHandle(h)
	var code uint32
	return syscall.GetExitCodeProcess(h, &code) == nil && code == stillActive
}
