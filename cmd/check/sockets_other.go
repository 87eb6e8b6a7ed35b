//go:build !linux

package main

import (
	"errors"
	"runtime"
)

// Without /proc the checker does not see a program's sockets: it goes by
// what the program prints and what its clients see.

func listeningPorts(pgid int) map[int]int { return nil }

func portListens(port int) bool { return false }

func inTimeWait(port int) bool { return false }

func openFiles(pid int) (int, error) {
	return 0, errors.New("counting a program's open files needs Linux's /proc")
}

func limitOpenFiles(pid, n int) error {
	return errors.New("limiting another program's open files needs Linux's prlimit, not " + runtime.GOOS)
}

const canLimitFiles = false

func groupActivity(pgid int) activity { return activity{} }

// canSeeListeners: the system shows which ports a program listens on.
const canSeeListeners = false

func processLang(pid int) lang { return langUnknown }
