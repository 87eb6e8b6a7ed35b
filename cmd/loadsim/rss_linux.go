package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// canMeasureRSS says whether residentBytes works here.
const canMeasureRSS = true

// residentBytes returns the resident memory (VmRSS) of process pid, from
// /proc/PID/status, or 0 if it cannot be read.
func residentBytes(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb * 1024
		}
	}
	return 0
}
