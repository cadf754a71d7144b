// Package dnscheck is certwiz's own look at a validation record before
// the CA is asked to check it: for a TXT or CNAME record it finds the
// zone's authoritative name servers (walking SOA records up the name, as
// lego's dns01 precheck does), asks each of them directly and a recursive
// resolver too; for a FILE record it fetches the URLs over http and https.
//
// It owns only these look-ups and their answers. It never talks to the
// CA or to Tencent, never writes to the terminal or to disk, and asks
// only the servers its Options name or the ones it discovers from them:
// tests give a resolver (and a dialer) on loopback, so nothing leaves the
// machine.
package dnscheck

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/certwiz/certwiz/api"
)

// Options say which servers to ask and how long to wait.
type Options struct {
	// Resolver is a recursive resolver, host:port. Empty: the first
	// nameserver of /etc/resolv.conf (an error when there is none).
	Resolver string
	// Nameservers, host:port, are asked instead of the zone's
	// authoritative name servers found through the resolver.
	Nameservers []string
	// NameserverPort is the port the discovered authoritative name
	// servers are asked on; default 53 (tests run theirs elsewhere).
	NameserverPort string
	// Timeout bounds each DNS query and each HTTP fetch; default 5s.
	Timeout time.Duration
	// Dial, when set, opens the HTTP connections of CheckFile (tests point
	// every name at a listener on 127.0.0.1).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// RootCAs, when set, replaces the system's roots for https (tests'
	// own servers).
	RootCAs *x509.CertPool
	// Off, when set, says why no look-up may be made (e.g. the endpoint is
	// a sandbox on this machine and no servers were named): Check and
	// CheckFile answer it as their error without sending anything.
	Off string
}

// ServerAnswer is what one server (or, for FILE, one URL) answered.
type ServerAnswer struct {
	Server        string   `json:"Server"`           // host:port, or the URL for FILE
	Name          string   `json:"Name,omitempty"`   // the name server's host name, when discovered
	Authoritative bool     `json:"Authoritative"`    // false for the recursive resolver
	Values        []string `json:"Values"`           // the record values (FILE: the body) found
	Status        int      `json:"Status,omitempty"` // FILE: the HTTP status
	Err           string   `json:"Err,omitempty"`
}

// Result is the local check of one record.
type Result struct {
	// Found: every authoritative server (FILE: at least one URL) has the
	// exact value.
	Found   bool           `json:"Found"`
	Answers []ServerAnswer `json:"Answers"`
	// Servers are the authoritative servers asked (FILE: the URLs).
	Servers []string `json:"Servers"`
	Zone    string   `json:"Zone,omitempty"`   // the zone found by walking SOA records
	Name    string   `json:"Name,omitempty"`   // the name finally asked, after CNAMEs
	CNAMEs  []string `json:"CNAMEs,omitempty"` // the CNAME chain followed from the record's name
	Err     string   `json:"Err,omitempty"`    // why the check could not be made at all
}

const (
	defaultTimeout = 5 * time.Second
	maxCNAMEs      = 8
)

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return defaultTimeout
}

// resolver returns the recursive resolver to ask.
func (o Options) resolver() (string, error) {
	if o.Resolver != "" {
		return o.Resolver, nil
	}
	cfg, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(cfg.Servers) == 0 {
		return "", errors.New("no DNS resolver found in /etc/resolv.conf: give one (--resolver HOST:PORT)")
	}
	return net.JoinHostPort(cfg.Servers[0], cfg.Port), nil
}

// Check looks a TXT or CNAME record up where the CA will: at each of its
// zone's authoritative name servers (or o.Nameservers), and at the
// resolver. A TXT record's name may be a CNAME: the chain is followed
// (through the resolver) and the final name asked.
func Check(ctx context.Context, rec api.Record, o Options) Result {
	if o.Off != "" {
		return Result{Err: o.Off}
	}
	typ := strings.ToUpper(rec.Type)
	var qtype uint16
	switch typ {
	case "TXT", "":
		qtype = dns.TypeTXT
	case "CNAME":
		qtype = dns.TypeCNAME
	default:
		return Result{Err: fmt.Sprintf("dnscheck: a %s record is not looked up in DNS", rec.Type)}
	}
	name := rec.FQDN
	if name == "" {
		name = rec.Name
	}
	name = dns.Fqdn(strings.ToLower(strings.TrimSpace(name)))
	if name == "." {
		return Result{Err: "dnscheck: the record has no name"}
	}
	res := Result{Name: name}
	resolver, rerr := o.resolver()
	if rerr != nil && len(o.Nameservers) == 0 {
		res.Err = rerr.Error()
		return res
	}

	// Follow a CNAME chain for TXT (a delegated _dnsauth name), as lego
	// does, before looking for the zone that holds the final name.
	if qtype == dns.TypeTXT && rerr == nil {
		seen := map[string]bool{name: true}
		for i := 0; i < maxCNAMEs; i++ {
			target := cnameOf(ctx, resolver, name, o)
			if target == "" || seen[target] {
				break
			}
			seen[target] = true
			res.CNAMEs = append(res.CNAMEs, strings.TrimSuffix(target, "."))
			name = target
		}
		res.Name = name
	}

	type server struct{ addr, name string }
	var servers []server
	if len(o.Nameservers) > 0 {
		for _, s := range o.Nameservers {
			servers = append(servers, server{addr: s})
		}
	} else {
		zone, err := findZone(ctx, resolver, name, o)
		if err != nil {
			res.Err = err.Error()
		} else {
			res.Zone = strings.TrimSuffix(zone, ".")
			ns, err := nameservers(ctx, resolver, zone, o)
			if err != nil {
				res.Err = err.Error()
			}
			for _, n := range ns {
				servers = append(servers, server{addr: n.addr, name: n.name})
			}
		}
	}

	// Ask every server at once, so a silent one costs one timeout.
	answers := make([]ServerAnswer, len(servers)+1)
	var wg sync.WaitGroup
	for i, s := range servers {
		res.Servers = append(res.Servers, s.addr)
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := ask(ctx, s.addr, name, qtype, false, o)
			a.Name, a.Authoritative = s.name, true
			answers[i] = a
		}()
	}
	if rerr == nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[len(servers)] = ask(ctx, resolver, name, qtype, true, o)
		}()
	} else {
		answers = answers[:len(servers)]
	}
	wg.Wait()
	res.Answers = answers

	want := normalize(rec.Value, qtype)
	res.Found = len(servers) > 0
	for _, a := range answers[:len(servers)] {
		if !contains(a.Values, want, qtype) {
			res.Found = false
		}
	}
	return res
}

func normalize(v string, qtype uint16) string {
	if qtype == dns.TypeCNAME {
		return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(v)), ".")
	}
	return v
}

func contains(values []string, want string, qtype uint16) bool {
	for _, v := range values {
		if normalize(v, qtype) == want {
			return true
		}
	}
	return false
}

// exchange sends one query, over UDP then TCP when the answer was cut.
func exchange(ctx context.Context, server, name string, qtype uint16, recurse bool, o Options) (*dns.Msg, error) {
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = recurse
	m.SetEdns0(4096, false)
	ctx, cancel := context.WithTimeout(ctx, o.timeout())
	defer cancel()
	c := &dns.Client{Net: "udp", Timeout: o.timeout()}
	r, _, err := c.ExchangeContext(ctx, m, server)
	if err == nil && r.Truncated {
		c.Net = "tcp"
		r, _, err = c.ExchangeContext(ctx, m, server)
	}
	if err != nil {
		return nil, describe(err, server, o)
	}
	return r, nil
}

// describe says a silent server timed out in those words.
func describe(err error, server string, o Options) error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("timeout: %s did not answer within %s", server, o.timeout())
	}
	return fmt.Errorf("%s: %v", server, err)
}

// ask asks one server for name's records of qtype.
func ask(ctx context.Context, server, name string, qtype uint16, recurse bool, o Options) ServerAnswer {
	a := ServerAnswer{Server: server, Values: []string{}}
	r, err := exchange(ctx, server, name, qtype, recurse, o)
	if err != nil {
		a.Err = err.Error()
		return a
	}
	switch r.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
	default:
		a.Err = fmt.Sprintf("%s answered %s", server, dns.RcodeToString[r.Rcode])
		return a
	}
	for _, rr := range r.Answer {
		switch v := rr.(type) {
		case *dns.TXT:
			if qtype == dns.TypeTXT {
				a.Values = append(a.Values, strings.Join(v.Txt, ""))
			}
		case *dns.CNAME:
			if qtype == dns.TypeCNAME && strings.EqualFold(v.Hdr.Name, name) {
				a.Values = append(a.Values, strings.TrimSuffix(v.Target, "."))
			}
		}
	}
	return a
}

// cnameOf returns the CNAME target of name, through the resolver.
func cnameOf(ctx context.Context, resolver, name string, o Options) string {
	r, err := exchange(ctx, resolver, name, dns.TypeCNAME, true, o)
	if err != nil || r.Rcode != dns.RcodeSuccess {
		return ""
	}
	for _, rr := range r.Answer {
		if c, ok := rr.(*dns.CNAME); ok && strings.EqualFold(c.Hdr.Name, name) {
			return strings.ToLower(dns.Fqdn(c.Target))
		}
	}
	return ""
}

// findZone walks SOA records up from name to the zone that holds it.
func findZone(ctx context.Context, resolver, name string, o Options) (string, error) {
	labels := dns.SplitDomainName(name)
	for i := range labels {
		candidate := dns.Fqdn(strings.Join(labels[i:], "."))
		r, err := exchange(ctx, resolver, candidate, dns.TypeSOA, true, o)
		if err != nil {
			return "", fmt.Errorf("find the zone of %s: %v", strings.TrimSuffix(name, "."), err)
		}
		if r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError {
			continue
		}
		for _, rr := range r.Answer {
			if soa, ok := rr.(*dns.SOA); ok && strings.EqualFold(soa.Hdr.Name, candidate) {
				return strings.ToLower(candidate), nil
			}
		}
	}
	return "", fmt.Errorf("find the zone of %s: no SOA record found", strings.TrimSuffix(name, "."))
}

type nameserver struct{ name, addr string }

// nameservers finds the zone's NS records and their addresses.
func nameservers(ctx context.Context, resolver, zone string, o Options) ([]nameserver, error) {
	r, err := exchange(ctx, resolver, zone, dns.TypeNS, true, o)
	if err != nil {
		return nil, fmt.Errorf("find the name servers of %s: %v", strings.TrimSuffix(zone, "."), err)
	}
	port := o.NameserverPort
	if port == "" {
		port = "53"
	}
	var names []string
	for _, rr := range r.Answer {
		if ns, ok := rr.(*dns.NS); ok {
			names = append(names, strings.ToLower(dns.Fqdn(ns.Ns)))
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("find the name servers of %s: no NS records", strings.TrimSuffix(zone, "."))
	}
	sort.Strings(names)
	var out []nameserver
	var missing []string
	for _, n := range names {
		ips := addresses(ctx, resolver, n, r.Extra, o)
		if len(ips) == 0 {
			missing = append(missing, strings.TrimSuffix(n, "."))
		}
		for _, ip := range ips {
			out = append(out, nameserver{name: strings.TrimSuffix(n, "."), addr: net.JoinHostPort(ip, port)})
		}
	}
	if len(missing) > 0 {
		err = fmt.Errorf("no address found for name server %s", strings.Join(missing, ", "))
	}
	return out, err
}

// addresses returns a name server's IPv4 addresses (from the glue, else
// asked), or its IPv6 ones when it has no IPv4 address.
func addresses(ctx context.Context, resolver, host string, extra []dns.RR, o Options) []string {
	var v4, v6 []string
	collect := func(rrs []dns.RR) {
		for _, rr := range rrs {
			if !strings.EqualFold(rr.Header().Name, host) {
				continue
			}
			switch a := rr.(type) {
			case *dns.A:
				v4 = append(v4, a.A.String())
			case *dns.AAAA:
				v6 = append(v6, a.AAAA.String())
			}
		}
	}
	collect(extra)
	if len(v4) == 0 {
		if r, err := exchange(ctx, resolver, host, dns.TypeA, true, o); err == nil {
			collect(r.Answer)
		}
	}
	if len(v4) == 0 && len(v6) == 0 {
		if r, err := exchange(ctx, resolver, host, dns.TypeAAAA, true, o); err == nil {
			collect(r.Answer)
		}
	}
	if len(v4) > 0 {
		return v4
	}
	return v6
}
