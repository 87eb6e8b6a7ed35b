package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// The system's own view of a program's sockets, read from /proc: which
// ports its processes listen on, and whether a port has connections in
// TIME_WAIT. Linux only; elsewhere the checker goes without.

// tcpStates reads /proc/net/tcp and tcp6: for each socket inode, its local
// port and its state (0A is LISTEN, 06 TIME_WAIT).
func tcpStates() (map[string]int, map[int][]string) {
	byInode := map[string]int{}
	byPort := map[int][]string{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		file, err := os.Open(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || fields[0] == "sl" {
				continue
			}
			_, portHex, _ := strings.Cut(fields[1], ":")
			port, err := strconv.ParseInt(portHex, 16, 32)
			if err != nil {
				continue
			}
			byPort[int(port)] = append(byPort[int(port)], fields[3])
			if fields[3] == "0A" {
				byInode[fields[9]] = int(port)
			}
		}
		file.Close()
	}
	return byInode, byPort
}

// groupPids returns the processes of the process group pgid.
func groupPids(pgid int) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces, so read after ")".
		rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
		f := strings.Fields(rest)
		if len(f) > 2 && f[2] == strconv.Itoa(pgid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// listeningPorts returns the TCP ports the processes of group pgid listen
// on, and which process listens on each.
func listeningPorts(pgid int) map[int]int {
	byInode, _ := tcpStates()
	ports := map[int]int{}
	for _, pid := range groupPids(pgid) {
		dir := filepath.Join("/proc", strconv.Itoa(pid), "fd")
		fds, _ := os.ReadDir(dir)
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join(dir, fd.Name()))
			if inode, ok := strings.CutPrefix(link, "socket:["); err == nil && ok {
				if port, ok := byInode[strings.TrimSuffix(inode, "]")]; ok {
					ports[port] = pid
				}
			}
		}
	}
	return ports
}

// portListens reports whether a socket listens on port: one read of
// /proc/net/tcp and tcp6, where listeningPorts also reads every process's
// open files (a check polls it while the program starts).
func portListens(port int) bool {
	want := fmt.Sprintf(":%04X ", port)
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			fields := strings.Fields(line)
			if len(fields) > 3 && fields[3] == "0A" && strings.HasSuffix(fields[1]+" ", want) {
				return true
			}
		}
	}
	return false
}

// inTimeWait reports whether port has connections in TIME_WAIT.
func inTimeWait(port int) bool {
	_, byPort := tcpStates()
	for _, st := range byPort[port] {
		if st == "06" {
			return true
		}
	}
	return false
}

// openFiles returns how many files the process pid has open.
func openFiles(pid int) (int, error) {
	fds, err := os.ReadDir(filepath.Join("/proc", strconv.Itoa(pid), "fd"))
	return len(fds), err
}

// limitOpenFiles lowers the limit on open files of the process pid, soft
// and hard, to n, as `prlimit --nofile=n:n --pid pid` does. Go raises its
// soft limit to the hard one when it starts, so both are lowered.
func limitOpenFiles(pid, n int) error {
	lim := syscall.Rlimit{Cur: uint64(n), Max: uint64(n)}
	_, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), uintptr(syscall.RLIMIT_NOFILE), uintptr(unsafe.Pointer(&lim)), 0, 0, 0)
	if errno != 0 {
		return fmt.Errorf("prlimit: %w", errno)
	}
	return nil
}

// canLimitFiles says whether the checker can give a program few files.
const canLimitFiles = true

// groupActivity reads what the processes of group pgid are doing: whether
// one runs or waits for the CPU (state R) or the disk (D), their CPU time
// with that of the children they have waited for, and which they are.
func groupActivity(pgid int) activity {
	var a activity
	for _, pid := range groupPids(pgid) {
		stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
		if err != nil {
			continue
		}
		// After "(comm)": state is field 3, utime, stime, cutime and
		// cstime fields 14 to 17 (proc(5)).
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) < 15 {
			continue
		}
		a.running = a.running || f[0] == "R" || f[0] == "D"
		for _, t := range f[11:15] {
			n, _ := strconv.ParseInt(t, 10, 64)
			a.ticks += n
		}
		a.pids += fmt.Sprint(pid, " ")
	}
	return a
}

// canSeeListeners: the system shows which ports a program listens on.
const canSeeListeners = true

// processLang tells what the process pid runs, from its executable: the
// interpreter's name (java, node, python3), or the program's own file.
func processLang(pid int) lang {
	exe, err := os.Readlink(filepath.Join("/proc", strconv.Itoa(pid), "exe"))
	if err != nil {
		return langUnknown
	}
	return langOf([]string{exe}, exe)
}
