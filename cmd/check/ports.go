package main

import (
	"errors"
	"math/rand"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// handedOut are the ports freePort has returned, so that two programs
// started at once never get the same one.
var handedOut = struct {
	sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

// freePort returns a loopback port that nobody listens on now (see
// usable), that it has not returned before, and that no other checker on
// this machine holds (see reserve). It is drawn at random below the ranges
// the systems hand out for port 0 and for clients (Linux from 32768, macOS
// and Windows from 49152): a port the system picked could be picked again
// for someone else before the program binds it. release gives it back.
func freePort() (int, error) {
	for try := 0; ; try++ {
		port := drawPort()
		if !telling(port) {
			continue
		}
		handedOut.Lock()
		seen := handedOut.ports[port]
		handedOut.ports[port] = true
		handedOut.Unlock()
		if seen || !reserve(port) {
			continue
		}
		err := usable(port)
		if err == nil {
			return port, nil
		}
		release(port)
		if try > 100 {
			return 0, err
		}
	}
}

// drawPort draws a port for freePort to try.
var drawPort = func() int { return 20000 + rand.Intn(12000) }

// telling reports whether a program that binds port shows a missing
// htons (C's sin_port = port): it does unless the port's two bytes are
// equal (23130 is 0x5a5a), and swapped they are the same port.
func telling(port int) bool { return port>>8 != port&0xff }

// usable says why a program could not bind port now, or returns nil:
// something listens on it, or connections closed a moment ago still hold
// it (TIME_WAIT, seen on Linux). Go binds such a port, as it sets
// SO_REUSEADDR; Python, like the article, does not, and its bind fails.
func usable(port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return err
	}
	l.Close()
	if inTimeWait(port) {
		return errors.New("connections closed a moment ago hold it (TIME_WAIT)")
	}
	return nil
}

// portsDir holds a file for every port a checker on this machine is using,
// so that two checkers run side by side (a teacher's script, two
// terminals) do not pick the same one: a port is free now, but another
// checker's program may be about to bind it.
var portsDir = filepath.Join(os.TempDir(), "socketcourse-check-ports")

// reserve claims port for this checker, unless another holds it. A claim
// older than ten minutes is a checker's that was killed: it is taken over.
func reserve(port int) bool {
	os.MkdirAll(portsDir, 0o777) // An error shows in the create below.
	name := filepath.Join(portsDir, strconv.Itoa(port))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
	if errors.Is(err, os.ErrExist) {
		if info, err := os.Stat(name); err == nil && time.Since(info.ModTime()) > 10*time.Minute {
			os.Remove(name)
			return reserve(port)
		}
		return false
	}
	if err != nil {
		return true // No folder to share: go without.
	}
	return f.Close() == nil
}

// release gives back a port reserve claimed.
func release(port int) {
	os.Remove(filepath.Join(portsDir, strconv.Itoa(port))) // Gone already is fine.
}

// portTaken says why port cannot be used, or returns nil: something
// listens on it, or the system will not let the checker bind it.
func portTaken(port int) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		return errors.New("a program already listens on it")
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return l.Close()
}

// waitPortFree waits at most d until port can be bound again: a program
// just stopped may take a moment to release it.
func waitPortFree(port int, d time.Duration) {
	deadline := time.Now().Add(d)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for {
		l, err := net.Listen("tcp", addr)
		if err == nil {
			l.Close()
			return
		}
		if time.Now().After(deadline) {
			return
		}
		time.Sleep(20 * time.Millisecond) // polling the system, not waiting on our own goroutines
	}
}
