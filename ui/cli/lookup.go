package cli

import (
	"net"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
)

// offLoopback turns the local check off when the endpoint is on this
// machine (a `certwiz sandbox`, a test's server) and nothing names the DNS
// servers to ask: the records of a sandbox's certificates exist only on
// its own servers, and asking the system's resolver for them would send
// queries for made-up names out of the machine.
func offLoopback(endpoint string, sandboxed bool, o dnscheck.Options) dnscheck.Options {
	if sandboxed || o.Resolver != "" || len(o.Nameservers) > 0 || o.Dial != nil {
		return o
	}
	ep, err := api.ParseEndpoint(endpoint)
	if err != nil {
		return o
	}
	host := ep.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if !api.IsLoopback(host) {
		return o
	}
	o.Off = "the endpoint is on this machine: give the sandbox's DNS server with --resolver and --nameserver (certwiz sandbox prints it) for a local check"
	return o
}
