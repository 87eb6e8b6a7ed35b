package wire

import (
	"fmt"
	"net"
	"sync"
	"time"
)

// Crowd is the clients of one address, of which at most a wave are on
// their way in at once, so that they come in without filling the server's
// listen queue: a test of many clients should not be a test of the
// backlog. Its Dial is safe for concurrent use.
type Crowd struct {
	addr    string
	timeout time.Duration
	places  chan struct{} // a token per client on its way in; nil: no limit
}

// NewCrowd returns the clients of addr, at most wave of them connecting at
// once (0 or less: no limit), each connect bounded by timeout and each
// connection given a deadline of timeout, as Dial does.
func NewCrowd(addr string, wave int, timeout time.Duration) *Crowd {
	c := &Crowd{addr: addr, timeout: timeout}
	if wave > 0 {
		c.places = make(chan struct{}, wave)
	}
	return c
}

// Dial connects one more client, as Dial does, once fewer than wave of the
// crowd's clients are connecting.
func (c *Crowd) Dial() (net.Conn, error) {
	c.take()
	defer c.give()
	return Dial(c.addr, c.timeout)
}

// take waits for a place among the clients on their way in.
func (c *Crowd) take() {
	if c.places != nil {
		c.places <- struct{}{}
	}
}

// give gives a place back.
func (c *Crowd) give() {
	if c.places != nil {
		<-c.places
	}
}

// DialCrowd connects n clients to addr, a wave of at most wave at a time
// (0 or less: all n at once), each as Dial does: the connect bounded by
// timeout, and the connection given a deadline of timeout.
//
// A client is on its way in until it has connected and, if arrive is not
// nil, until arrive(i, conn) has returned: arrive is what shows it has
// arrived, such as reading the server's welcome line, which a server sends
// only once it has accepted the connection. It must end within the
// connection's deadline. The wave slides: the next client sets out as
// soon as one has arrived, and never more than wave are on their way in,
// so a server's listen queue never holds more than wave of them.
//
// It returns the connections that connected, in the order of i, and the
// first error, which says which client failed ("client 12 of 50: ...").
// After the first error no client sets out; those on their way finish.
// The caller closes the connections, whatever the error.
func DialCrowd(addr string, n, wave int, timeout time.Duration, arrive func(i int, conn net.Conn) error) ([]net.Conn, error) {
	crowd := NewCrowd(addr, wave, timeout)
	conns := make([]net.Conn, n)
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	failed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return first != nil
	}
	for i := 0; i < n; i++ {
		crowd.take()
		if failed() {
			crowd.give()
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer crowd.give() // after the error, if any, is recorded
			conn, err := Dial(addr, timeout)
			if err == nil {
				conns[i] = conn
				if arrive != nil {
					err = arrive(i, conn)
				}
			}
			if err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("client %d of %d: %w", i+1, n, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	var connected []net.Conn
	for _, c := range conns {
		if c != nil {
			connected = append(connected, c)
		}
	}
	return connected, first
}
