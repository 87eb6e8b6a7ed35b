package tcptest

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"socketcourse/internal/wire"
)

// Crowd is many clients of a server that greets each client with a line
// and answers every line with "OK..." and that line, as 06-goroutines and
// 07-shutdown do. Each client runs in a goroutine of its own, so it reports
// what happened on a channel instead of failing the test.
type Crowd struct {
	Welcomed chan error // one value per client: nil once it has read the welcome line
	Done     chan error // one value per client: nil once its line was answered

	mu    sync.Mutex
	conns []net.Conn
	dials *wire.Crowd // at most wire.DefaultWave connects at once: 100 on Windows
}

// StartCrowd starts n clients of addr at once; they connect at most
// wire.DefaultWave at a time (all at once, but 100 at a time on Windows).
// Each connects, reads the welcome line and says so on Welcomed, waits
// until start is closed, then sends a line of its own and checks the
// reply, and says how it went on Done. Every step has a deadline.
func StartCrowd(addr, welcome string, n int, start <-chan struct{}) *Crowd {
	c := &Crowd{Welcomed: make(chan error, n), Done: make(chan error, n), dials: wire.NewCrowd(addr, wire.DefaultWave, Timeout)}
	for i := 0; i < n; i++ {
		go func() { c.Done <- c.converse(welcome, fmt.Sprintf("client %d\r\n", i), start) }()
	}
	return c
}

func (c *Crowd) converse(welcome, msg string, start <-chan struct{}) error {
	conn, err := c.dials.Dial()
	if err != nil {
		c.Welcomed <- err
		return err
	}
	defer conn.Close()
	c.mu.Lock()
	c.conns = append(c.conns, conn)
	c.mu.Unlock()
	conn.SetDeadline(time.Now().Add(2 * Timeout)) // Cannot fail on a new connection.
	if err := wire.Expect(conn, welcome); err != nil {
		c.Welcomed <- err
		return err
	}
	c.Welcomed <- nil
	select {
	case <-start:
	case <-time.After(2 * Timeout):
		return errors.New("the signal to start never came")
	}
	if err := wire.Send(conn, msg); err != nil {
		return err
	}
	return wire.Expect(conn, "OK..."+msg)
}

// Close closes every client's connection, so that those still waiting for
// a server that is gone give up at once. A server that dies can leave a
// client's connection open on the client's side only: the handshake
// completed there, but the server never accepted the connection.
func (c *Crowd) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, conn := range c.conns {
		conn.Close()
	}
}
