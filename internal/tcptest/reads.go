package tcptest

import "net"

// RecordReads wraps l so that the connections it accepts send on reads
// the bytes each Read returned: what the server read, read by read. A test
// that sends a piece and waits for it on reads knows that the server has
// read that piece by itself, before the next one is sent, without waiting
// for any time to pass. Reads that return no bytes are not reported, and
// a report that finds reads full is dropped rather than stop the server:
// give reads room for every read the test looks at.
func RecordReads(l net.Listener, reads chan<- string) net.Listener {
	return readsListener{l, reads}
}

type readsListener struct {
	net.Listener
	reads chan<- string
}

func (l readsListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return readsConn{c, l.reads}, nil
}

type readsConn struct {
	net.Conn
	reads chan<- string
}

func (c readsConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		select {
		case c.reads <- string(p[:n]):
		default:
		}
	}
	return n, err
}
