package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"socketcourse/internal/wire"
)

// results is what a run measured.
type results struct {
	clients     []clientResult
	errors      int
	total       time.Duration
	unreachable error // set when no client could connect at all
	rssBefore   int64 // bytes; 0 when not measured
	rssDuring   int64
	held        int // with -hold: connections open while memory was read
}

func (r results) latencies() []time.Duration {
	var all []time.Duration
	for _, c := range r.clients {
		all = append(all, c.latencies...)
	}
	return all
}

// clientResult is what one client saw.
type clientResult struct {
	id         int
	silent     bool
	latencies  []time.Duration // one per reply, from send to reply
	firstReply time.Duration   // from the start of the run
	reconnects int             // times the server hung up after a reply and the client connected again
	errors     int             // messages that got no reply
	err        error           // the first error
	dialErrors int

	// What the timeline draws (see timeline.go), as times since the start.
	connects []time.Duration // each time a connection was made
	trips    []trip          // each message answered
	failures []time.Duration // each message that got no reply
}

// trip is a message's round trip: sent at sent, answered at replied.
type trip struct{ sent, replied time.Duration }

// simulate runs the clients and waits for all of them.
func simulate(cfg config) results {
	var res results
	rss := func() int64 { return 0 }
	if cfg.serverPID != 0 {
		rss = func() int64 { return residentBytes(cfg.serverPID) }
		res.rssBefore = rss()
	}

	// The silent clients connect first, and the others start only once
	// they are all connected, so that the silent ones are ahead in the
	// server's queue, as the article's first terminal is.
	dials := wire.NewCrowd(cfg.addr, cfg.dialLimit, cfg.timeout) // with -dial-limit: at most that many connects at once
	clients := make([]*client, cfg.clients)
	for i := range clients {
		clients[i] = &client{cfg: cfg, dials: dials, result: clientResult{id: i + 1, silent: i < cfg.silent}}
	}
	start := time.Now()
	for _, c := range clients[:cfg.silent] {
		c.start = start
		c.connect() // an error here is counted when the client runs
	}

	finished := make(chan struct{}, cfg.clients) // a client has sent all its messages
	release := make(chan struct{})               // with -hold: now close
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.start = start
			c.run()
			finished <- struct{}{}
			if cfg.hold {
				<-release
			}
			c.close()
		}()
	}
	for range clients {
		<-finished // every client ends: each step has a deadline
	}
	res.total = time.Since(start)
	if cfg.hold {
		res.rssDuring = rss()
		for _, c := range clients {
			if c.conn != nil {
				res.held++
			}
		}
		close(release)
	}
	wg.Wait()

	dialFailures := 0
	for _, c := range clients {
		res.clients = append(res.clients, c.result)
		res.errors += c.result.errors
		if c.result.dialErrors >= cfg.messages {
			dialFailures++
		}
	}
	if dialFailures == cfg.clients {
		res.unreachable = clients[0].result.err
	}
	return res
}

// client is one simulated user: a connection, and what it has seen on it.
type client struct {
	cfg      config
	dials    *wire.Crowd
	result   clientResult
	start    time.Time
	conn     net.Conn
	r        *bufio.Reader
	replies  int  // replies on this connection
	welcomed bool // this connection began with a welcome line
}

// run sends the client's messages, one after another.
func (c *client) run() {
	if c.result.silent {
		time.Sleep(c.cfg.silentFor) // the point of a silent client: it says nothing for this long
	}
	for m := 1; m <= c.cfg.messages; m++ {
		msg := fmt.Sprintf("client %d message %d\r\n", c.result.id, m)
		latency, err := c.roundTrip(msg)
		if err != nil {
			c.result.failures = append(c.result.failures, time.Since(c.start))
			c.fail(err)
			continue
		}
		replied := time.Since(c.start)
		if len(c.result.latencies) == 0 {
			c.result.firstReply = replied
		}
		c.result.latencies = append(c.result.latencies, latency)
		c.result.trips = append(c.result.trips, trip{sent: replied - latency, replied: replied})
	}
}

// roundTrip sends msg and waits for its reply, connecting first if needed.
// A server that hangs up after a reply, as 05-loop does, is not an error:
// the client connects again and sends the message there.
func (c *client) roundTrip(msg string) (time.Duration, error) {
	if c.conn == nil {
		if err := c.connect(); err != nil {
			return 0, err
		}
	}
	latency, err := c.send(msg)
	if err != nil && c.replies > 0 && hungUp(err) {
		c.close()
		c.result.reconnects++
		if err := c.connect(); err != nil {
			return 0, err
		}
		latency, err = c.send(msg)
	}
	return latency, err
}

func (c *client) connect() error {
	if c.conn != nil {
		return nil
	}
	conn, err := c.dials.Dial()
	if err != nil {
		c.result.dialErrors++
		return err
	}
	c.conn, c.r, c.replies, c.welcomed = conn, bufio.NewReader(conn), 0, false
	c.result.connects = append(c.result.connects, time.Since(c.start))
	return nil
}

// send writes msg and reads until its reply, skipping a welcome line.
func (c *client) send(msg string) (time.Duration, error) {
	if err := c.conn.SetDeadline(time.Now().Add(c.cfg.timeout)); err != nil {
		return 0, err
	}
	sent := time.Now()
	if _, err := io.WriteString(c.conn, msg); err != nil {
		return 0, err
	}
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return 0, err
		}
		if line == msg || line == "OK..."+msg {
			c.replies++
			return time.Since(sent), nil
		}
		// Only the very first line on a connection may be something else:
		// the welcome line of 06-goroutines.
		if c.replies > 0 || c.welcomed {
			return 0, fmt.Errorf("unexpected reply %q to %q", line, msg)
		}
		c.welcomed = true
	}
}

func (c *client) fail(err error) {
	c.result.errors++
	if c.result.err == nil {
		c.result.err = err
	}
	c.close()
}

func (c *client) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// hungUp reports whether err means the server had closed the connection.
func hungUp(err error) bool {
	return errors.Is(err, io.EOF) || wire.IsReset(err)
}
