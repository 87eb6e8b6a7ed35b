// Command 01-bind is stage 1 of the course: like the article's first
// program, it creates a TCP socket, binds it to an address and a port, and
// exits.
//
// It makes the two system calls itself, with package syscall, so that you
// see them one by one. From stage 3 on, one call to net.Listen does them
// (and listen) for you.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"syscall"
)

func main() {
	addr := flag.String("addr", "localhost:8888", "`host:port` to bind; \":8888\" binds every interface, like the article's HOST = ''")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "unexpected argument %q; give the address with -addr, as in -addr localhost:8888\n", flag.Arg(0))
		os.Exit(2)
	}
	os.Exit(run(*addr, os.Stdout))
}

// run does the article's steps, prints its lines to out, and returns the
// exit status: 0 if all went well, 1 if a step failed, 2 if addr is bad.
func run(addr string, out io.Writer) int {
	// The article's (HOST, PORT) pair becomes the socket address bind takes.
	sa, err := sockaddr(addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad -addr:", err)
		return 2
	}

	// s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, syscall.IPPROTO_TCP)
	if err != nil {
		fmt.Fprintln(out, "Socket failed:", err)
		return 1
	}
	defer syscall.Close(fd) // s.close(); the article leaves it to the exit.
	fmt.Fprintln(out, "Socket created")

	// s.bind((HOST, PORT)), and the article's "except socket.error" branch.
	if err := syscall.Bind(fd, sa); err != nil {
		var errno syscall.Errno // the number the system gave: 98 on Linux, 48 on macOS, 10048 on Windows
		errors.As(err, &errno)
		fmt.Fprintf(out, "Bind failed. Error Code : %d Message %s\n", errno, errno)
		return 1 // The article's sys.exit() exits with 0 here, as if all went well.
	}
	fmt.Fprintln(out, "Socket bind complete")

	// Not in the article: which address and port we got (useful with port 0).
	bound, err := syscall.Getsockname(fd)
	if err != nil {
		fmt.Fprintln(out, "Getsockname failed:", err)
		return 1
	}
	fmt.Fprintln(out, "Bound to", addrPort(bound))
	return 0
}

// sockaddr turns "host:port" into an IPv4 socket address. It looks the host
// up like net.Listen would ("localhost" becomes 127.0.0.1); an empty host
// (":8888") stays 0.0.0.0, every interface.
func sockaddr(addr string) (*syscall.SockaddrInet4, error) {
	// Importing net also starts Winsock on Windows, which syscall.Socket needs.
	tcp, err := net.ResolveTCPAddr("tcp4", addr) // tcp4: the article's AF_INET
	if err != nil {
		return nil, err
	}
	sa := &syscall.SockaddrInet4{Port: tcp.Port}
	copy(sa.Addr[:], tcp.IP.To4())
	return sa, nil
}

// addrPort returns a socket address as text, like 127.0.0.1:8888.
func addrPort(sa syscall.Sockaddr) string {
	sa4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		return fmt.Sprint(sa)
	}
	return netip.AddrPortFrom(netip.AddrFrom4(sa4.Addr), uint16(sa4.Port)).String()
}
