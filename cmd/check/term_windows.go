package main

import (
	"os"
	"syscall"
)

var (
	kernel32           = syscall.NewLazyDLL("kernel32.dll")
	procSetConsoleMode = kernel32.NewProc("SetConsoleMode")
)

// enableVirtualTerminal is ENABLE_VIRTUAL_TERMINAL_PROCESSING: the
// console reads colour codes instead of printing them.
const enableVirtualTerminal = 0x0004

// enableEscapes makes the console f understand colour codes (Windows 10
// and later), and reports whether it does.
func enableEscapes(f *os.File) bool {
	var mode uint32
	h := syscall.Handle(f.Fd())
	if err := syscall.GetConsoleMode(h, &mode); err != nil {
		return false
	}
	r, _, _ := procSetConsoleMode.Call(uintptr(h), uintptr(mode|enableVirtualTerminal))
	return r != 0
}
