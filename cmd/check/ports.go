package main

import (
	"errors"
	"math/rand"
	"net"
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

// freePort returns a loopback port that nobody listens on now, and that
// it has not returned before. It is drawn at random below the ranges the
// systems hand out for port 0 and for clients (Linux from 32768, macOS and
// Windows from 49152): a port the system picked could be picked again for
// someone else, another checker for instance, before the program binds it.
func freePort() (int, error) {
	for try := 0; ; try++ {
		port := 20000 + rand.Intn(12000)
		handedOut.Lock()
		seen := handedOut.ports[port]
		handedOut.ports[port] = true
		handedOut.Unlock()
		if seen {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err == nil {
			l.Close()
			return port, nil
		}
		if try > 100 {
			return 0, err
		}
	}
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
