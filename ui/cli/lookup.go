package cli

import (
	"context"
	"fmt"
	"net"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
)

// offLoopback keeps the local check on this machine when the endpoint is
// (a `certwiz sandbox`, a test's server): a sandbox's records exist only
// on its own servers, and asking the system's resolver or the real sites
// for its made-up names would send packets out of the machine. Without a
// DNS server named (--resolver, --nameserver) the check is off, saying
// why; with one, only the servers named are asked (never the name servers
// an answer points at) and FILE records are fetched only from loopback
// addresses. A real endpoint, or --sandbox (whose own servers answer),
// changes nothing.
// why says, in the user's language, how to get a local check after all.
func offLoopback(endpoint string, sandboxed bool, o dnscheck.Options, why string) dnscheck.Options {
	if sandboxed || !loopbackEndpoint(endpoint) {
		return o
	}
	if o.Resolver == "" && len(o.Nameservers) == 0 && o.Dial == nil {
		o.Off = why
		return o
	}
	o.OnlyNamed = true
	if o.Dial == nil {
		o.Dial = loopbackOnly
	}
	return o
}

func loopbackEndpoint(endpoint string) bool {
	ep, err := api.ParseEndpoint(endpoint)
	if err != nil {
		return false
	}
	host := ep.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return api.IsLoopback(host)
}

// loopbackOnly dials loopback IP addresses and refuses anything else,
// without resolving a name.
func loopbackOnly(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("dial %s: the endpoint is on this machine, so files are fetched only from loopback addresses", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}
