// Package tlstest runs servers on 127.0.0.1 for tests of what a server
// presents. Tests only.
package tlstest

import (
	"crypto/tls"
	"net"
	"testing"
)

// Serve runs a TLS server on 127.0.0.1 presenting what get returns for
// each handshake, until the test ends; it returns its HOST:PORT.
func Serve(t testing.TB, get func(*tls.ClientHelloInfo) (*tls.Certificate, error)) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{GetCertificate: get})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go AcceptAll(ln, func(c net.Conn) { c.(*tls.Conn).Handshake() })
	return ln.Addr().String()
}

// Listen runs handle on each connection to a TCP listener on 127.0.0.1
// until the test ends, closing the connection after; it returns its
// HOST:PORT.
func Listen(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go AcceptAll(ln, handle)
	return ln.Addr().String()
}

// AcceptAll runs handle on each connection ln accepts, then closes it,
// until ln is closed.
func AcceptAll(ln net.Listener, handle func(net.Conn)) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			handle(c)
		}()
	}
}
