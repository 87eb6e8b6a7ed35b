//go:build !linux

package main

// canMeasureRSS says whether residentBytes works here: only on Linux.
const canMeasureRSS = false

func residentBytes(int) int64 { return 0 }
