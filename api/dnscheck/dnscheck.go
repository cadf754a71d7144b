// Package dnscheck is certwiz's own look at a validation record before
// the CA is asked to check it: for a TXT or CNAME record it finds the
// zone's authoritative name servers (walking SOA records up the name, as
// lego's dns01 precheck does), asks each of them directly and a recursive
// resolver too; for a FILE record it fetches the URLs over http and https.
//
// It owns only these look-ups and their answers. It never talks to the
// CA or to Tencent, never writes to the terminal or to disk, and asks
// only the servers its Options name or (unless OnlyNamed) the ones it
// discovers from them: tests give a resolver (and a dialer) on loopback,
// so nothing leaves the machine. Answers choose neither how long a check
// takes nor how many queries it sends: each is one bounded round.
package dnscheck

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/certwiz/certwiz/api"
)

// Options say which servers to ask and how long to wait.
type Options struct {
	// Resolver is a recursive resolver, host:port. Empty: the first
	// nameserver of /etc/resolv.conf (an error when there is none, and
	// with OnlyNamed).
	Resolver string
	// Nameservers, host:port, are asked instead of the zone's
	// authoritative name servers found through the resolver.
	Nameservers []string
	// NameserverPort is the port the discovered authoritative name
	// servers are asked on; default 53 (tests run theirs elsewhere).
	NameserverPort string
	// Timeout bounds each DNS query and each HTTP fetch; default 5s.
	Timeout time.Duration
	// Round bounds one Check or CheckFile as a whole, every query and
	// fetch of it together; default DefaultRound.
	Round time.Duration
	// OnlyNamed asks Resolver and Nameservers only, never a name server
	// an answer names, nor the system's resolver (an endpoint on this
	// machine: its names exist only at the servers given). Without
	// Nameservers the resolver stands for the zone's name servers.
	OnlyNamed bool
	// DialDNS, when set, opens the connections of the DNS queries (tests
	// see every address asked, and keep them on loopback).
	DialDNS func(ctx context.Context, network, addr string) (net.Conn, error)
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
	// Skipped says what the round left out: name servers and addresses
	// over the caps, queries over the budget, look-ups its deadline
	// stopped, servers not looked for.
	Skipped []string `json:"Skipped,omitempty"`
}

// DefaultRound is how long one check may take when Options.Round is not
// set: well under a watch's default interval of 30s.
const DefaultRound = 10 * time.Second

const (
	defaultTimeout = 5 * time.Second
	maxCNAMEs      = 8
	// An answer chooses how many name servers and addresses there are; it
	// must not choose how many queries a round sends, nor to whom.
	maxNameservers = 8
	maxAddresses   = 4
	maxQueries     = 64
)

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return defaultTimeout
}

func (o Options) round() time.Duration {
	if o.Round > 0 {
		return o.Round
	}
	return DefaultRound
}

// resolver returns the recursive resolver to ask.
func (o Options) resolver() (string, error) {
	if o.Resolver != "" {
		return o.Resolver, nil
	}
	if o.OnlyNamed {
		return "", errors.New("no resolver named (--resolver HOST:PORT)")
	}
	cfg, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(cfg.Servers) == 0 {
		return "", errors.New("no DNS resolver found in /etc/resolv.conf: give one (--resolver HOST:PORT)")
	}
	return net.JoinHostPort(cfg.Servers[0], cfg.Port), nil
}

// round is one Check: its options, its query budget, the servers it may
// ask (with OnlyNamed) and what its limits left out.
type round struct {
	o       Options
	named   map[string]bool
	sent    atomic.Int32
	refused atomic.Int32
	cut     atomic.Bool
	mu      sync.Mutex
	skipped []string
}

func newRound(o Options, resolver string) *round {
	r := &round{o: o}
	if o.OnlyNamed {
		r.named = map[string]bool{}
		if resolver != "" {
			r.named[resolver] = true
		}
		for _, s := range o.Nameservers {
			r.named[s] = true
		}
	}
	return r
}

func (r *round) skip(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.skipped = append(r.skipped, fmt.Sprintf(format, args...))
}

// notes are the skips, with the budget and the deadline said last.
func (r *round) notes() []string {
	out := r.skipped
	if n := r.refused.Load(); n > 0 {
		out = append(out, fmt.Sprintf("queries not sent: %d over the %d a round allows", n, maxQueries))
	}
	if r.cut.Load() {
		out = append(out, fmt.Sprintf("the round's %s ran out: look-ups still going were stopped", r.o.round()))
	}
	return out
}

// Check looks a TXT or CNAME record up where the CA will: at each of its
// zone's authoritative name servers (or o.Nameservers), and at the
// resolver. A TXT record's name may be a CNAME: the chain is followed
// (through the resolver) and the final name asked. The whole look-up is
// one round: it ends by o.Round, asks at most 8 name servers, 4 addresses
// of each and 64 queries in all, and says in Skipped what it left out.
func Check(ctx context.Context, rec api.Record, o Options) Result {
	if o.Off != "" {
		return Result{Err: o.Off}
	}
	qtype, err := queryType(rec.Type)
	if err != nil {
		return Result{Err: err.Error()}
	}
	name := recordName(rec)
	if name == "." {
		return Result{Err: "dnscheck: the record has no name"}
	}
	res := Result{Name: name}
	resolver, rerr := o.resolver()
	if rerr != nil && len(o.Nameservers) == 0 {
		res.Err = rerr.Error()
		return res
	}
	ctx, cancel := context.WithTimeout(ctx, o.round())
	defer cancel()
	r := newRound(o, resolver)

	// Follow a CNAME chain for TXT (a delegated _dnsauth name), as lego
	// does, before looking for the zone that holds the final name.
	if qtype == dns.TypeTXT && rerr == nil {
		name, res.CNAMEs = r.followCNAMEs(ctx, resolver, name)
		res.Name = name
	}

	var servers []nameserver
	if named := r.namedServers(resolver); len(named) > 0 {
		servers = named
	} else {
		servers = r.zoneServers(ctx, resolver, name, &res)
	}
	for _, s := range servers {
		res.Servers = append(res.Servers, s.addr)
	}
	res.Answers = r.askAll(ctx, servers, resolver, rerr == nil, name, qtype)
	res.Skipped = r.notes()
	res.Found = foundAtEvery(res.Answers[:len(servers)], normalize(rec.Value, qtype), qtype)
	return res
}

// queryType is the DNS type a record is looked up with: TXT (the default)
// or CNAME; a FILE record is not a DNS look-up.
func queryType(typ string) (uint16, error) {
	switch strings.ToUpper(typ) {
	case "TXT", "":
		return dns.TypeTXT, nil
	case "CNAME":
		return dns.TypeCNAME, nil
	}
	return 0, fmt.Errorf("dnscheck: a %s record is not looked up in DNS", typ)
}

// recordName is the record's full name, lower case and ending in a dot;
// "." when it has none.
func recordName(rec api.Record) string {
	name := rec.FQDN
	if name == "" {
		name = rec.Name
	}
	return dns.Fqdn(strings.ToLower(strings.TrimSpace(name)))
}

// followCNAMEs follows name's CNAME chain through the resolver, at most
// maxCNAMEs steps and never round a loop: the final name and the targets
// on the way (without their dots).
func (r *round) followCNAMEs(ctx context.Context, resolver, name string) (string, []string) {
	var chain []string
	seen := map[string]bool{name: true}
	for i := 0; i < maxCNAMEs; i++ {
		target := r.cnameOf(ctx, resolver, name)
		if target == "" || seen[target] {
			break
		}
		seen[target] = true
		chain = append(chain, strings.TrimSuffix(target, "."))
		name = target
	}
	return name, chain
}

// namedServers are the servers the options name (the resolver alone with
// OnlyNamed and none named), at most maxNameservers; none when the zone's
// own servers are to be found.
func (r *round) namedServers(resolver string) []nameserver {
	named := r.o.Nameservers
	if len(named) == 0 && r.o.OnlyNamed {
		named = []string{resolver}
		r.skip("the zone's own name servers were not looked for: only the servers named are asked")
	}
	if len(named) > maxNameservers {
		r.skip("%d of %d name servers not asked: at most %d a round", len(named)-maxNameservers, len(named), maxNameservers)
		named = named[:maxNameservers]
	}
	var servers []nameserver
	for _, s := range named {
		servers = append(servers, nameserver{addr: s})
	}
	return servers
}

// zoneServers walks up name to its zone and finds the zone's name
// servers, noting the zone (and what went wrong) in res.
func (r *round) zoneServers(ctx context.Context, resolver, name string, res *Result) []nameserver {
	zone, err := r.findZone(ctx, resolver, name)
	if err != nil {
		res.Err = err.Error()
		return nil
	}
	res.Zone = strings.TrimSuffix(zone, ".")
	servers, err := r.nameservers(ctx, resolver, zone)
	if err != nil {
		res.Err = err.Error()
	}
	return servers
}

// askAll asks every server at once, so a silent one costs one timeout,
// and the resolver too when withResolver: one answer per server, in
// order, then the resolver's.
func (r *round) askAll(ctx context.Context, servers []nameserver, resolver string, withResolver bool, name string, qtype uint16) []ServerAnswer {
	asked := len(servers)
	if withResolver {
		asked++
	}
	answers := make([]ServerAnswer, asked)
	var wg sync.WaitGroup
	for i, s := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := r.ask(ctx, s.addr, name, qtype, false)
			a.Name, a.Authoritative = s.name, true
			answers[i] = a
		}()
	}
	if withResolver {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[len(servers)] = r.ask(ctx, resolver, name, qtype, true)
		}()
	}
	wg.Wait()
	return answers
}

// foundAtEvery: the record is found when there is at least one
// authoritative answer and every one holds the value.
func foundAtEvery(answers []ServerAnswer, want string, qtype uint16) bool {
	for _, a := range answers {
		if !contains(a.Values, want, qtype) {
			return false
		}
	}
	return len(answers) > 0
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

// exchange sends one query, over UDP then TCP when the answer was cut,
// each send taken from the round's budget; with OnlyNamed only to a
// server named.
func (r *round) exchange(ctx context.Context, server, name string, qtype uint16, recurse bool) (*dns.Msg, error) {
	if r.named != nil && !r.named[server] {
		return nil, fmt.Errorf("%s not asked: only the servers named are", server)
	}
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = recurse
	m.SetEdns0(4096, false)
	resp, err := r.send(ctx, "udp", server, m)
	if err == nil && resp.Truncated {
		resp, err = r.send(ctx, "tcp", server, m)
	}
	return resp, err
}

var errBudget = fmt.Errorf("not asked: the round's %d queries were used", maxQueries)

func (r *round) send(ctx context.Context, network, server string, m *dns.Msg) (*dns.Msg, error) {
	if r.sent.Add(1) > maxQueries {
		r.refused.Add(1)
		return nil, errBudget
	}
	// Which deadline stops this query, the round's or its own, is known
	// now: after the fact both may have passed.
	dl, ok := ctx.Deadline()
	roundFirst := ok && time.Until(dl) < r.o.timeout()
	qctx, cancel := context.WithTimeout(ctx, r.o.timeout())
	defer cancel()
	dial := r.o.DialDNS
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	resp, err := func() (*dns.Msg, error) {
		conn, err := dial(qctx, network, server)
		if err != nil {
			return nil, err
		}
		co := &dns.Conn{Conn: conn}
		defer co.Close()
		c := &dns.Client{Net: network, Timeout: r.o.timeout()}
		resp, _, err := c.ExchangeWithConnContext(qctx, m, co)
		return resp, err
	}()
	if err != nil && timedOut(err) {
		if roundFirst {
			r.cut.Store(true)
			return nil, fmt.Errorf("timeout: %s had not answered when the round's %s ran out", server, r.o.round())
		}
		return nil, fmt.Errorf("timeout: %s did not answer within %s", server, r.o.timeout())
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", server, err)
	}
	return resp, nil
}

func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// ask asks one server for name's records of qtype.
func (r *round) ask(ctx context.Context, server, name string, qtype uint16, recurse bool) ServerAnswer {
	a := ServerAnswer{Server: server, Values: []string{}}
	m, err := r.exchange(ctx, server, name, qtype, recurse)
	if err != nil {
		a.Err = err.Error()
		return a
	}
	switch m.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
	default:
		a.Err = fmt.Sprintf("%s answered %s", server, dns.RcodeToString[m.Rcode])
		return a
	}
	a.Values = values(m, name, qtype)
	return a
}

// values are the TXT values (or CNAME targets of name) in an answer.
func values(m *dns.Msg, name string, qtype uint16) []string {
	out := []string{}
	for _, rr := range m.Answer {
		switch v := rr.(type) {
		case *dns.TXT:
			if qtype == dns.TypeTXT {
				out = append(out, strings.Join(v.Txt, ""))
			}
		case *dns.CNAME:
			if qtype == dns.TypeCNAME && strings.EqualFold(v.Hdr.Name, name) {
				out = append(out, strings.TrimSuffix(v.Target, "."))
			}
		}
	}
	return out
}

// cnameOf returns the CNAME target of name, through the resolver.
func (r *round) cnameOf(ctx context.Context, resolver, name string) string {
	m, err := r.exchange(ctx, resolver, name, dns.TypeCNAME, true)
	if err != nil || m.Rcode != dns.RcodeSuccess {
		return ""
	}
	return cnameTarget(m, name)
}

func cnameTarget(m *dns.Msg, name string) string {
	for _, rr := range m.Answer {
		if c, ok := rr.(*dns.CNAME); ok && strings.EqualFold(c.Hdr.Name, name) {
			return strings.ToLower(dns.Fqdn(c.Target))
		}
	}
	return ""
}

// findZone walks SOA records up from name to the zone that holds it.
func (r *round) findZone(ctx context.Context, resolver, name string) (string, error) {
	labels := dns.SplitDomainName(name)
	for i := range labels {
		candidate := dns.Fqdn(strings.Join(labels[i:], "."))
		m, err := r.exchange(ctx, resolver, candidate, dns.TypeSOA, true)
		if err != nil {
			return "", fmt.Errorf("find the zone of %s: %v", strings.TrimSuffix(name, "."), err)
		}
		if m.Rcode != dns.RcodeSuccess && m.Rcode != dns.RcodeNameError {
			continue
		}
		if hasSOA(m, candidate) {
			return strings.ToLower(candidate), nil
		}
	}
	return "", fmt.Errorf("find the zone of %s: no SOA record found", strings.TrimSuffix(name, "."))
}

func hasSOA(m *dns.Msg, name string) bool {
	for _, rr := range m.Answer {
		if soa, ok := rr.(*dns.SOA); ok && strings.EqualFold(soa.Hdr.Name, name) {
			return true
		}
	}
	return false
}

type nameserver struct{ name, addr string }

// nameservers finds the zone's NS records and their addresses, at most
// maxNameservers of them (in name order) and maxAddresses each, the
// addresses of those without glue looked up at once.
func (r *round) nameservers(ctx context.Context, resolver, zone string) ([]nameserver, error) {
	m, err := r.exchange(ctx, resolver, zone, dns.TypeNS, true)
	if err != nil {
		return nil, fmt.Errorf("find the name servers of %s: %v", strings.TrimSuffix(zone, "."), err)
	}
	port := r.o.NameserverPort
	if port == "" {
		port = "53"
	}
	names := nsNames(m)
	if len(names) == 0 {
		return nil, fmt.Errorf("find the name servers of %s: no NS records", strings.TrimSuffix(zone, "."))
	}
	if len(names) > maxNameservers {
		r.skip("%d of %d name servers not asked: at most %d a round", len(names)-maxNameservers, len(names), maxNameservers)
		names = names[:maxNameservers]
	}
	ips := make([][]string, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ips[i] = r.addresses(ctx, resolver, n, m.Extra)
		}()
	}
	wg.Wait()
	var out []nameserver
	var missing, crowded []string
	left := 0
	for i, n := range names {
		n = strings.TrimSuffix(n, ".")
		if len(ips[i]) == 0 {
			missing = append(missing, n)
		}
		if len(ips[i]) > maxAddresses {
			crowded = append(crowded, n)
			left += len(ips[i]) - maxAddresses
			ips[i] = ips[i][:maxAddresses]
		}
		for _, ip := range ips[i] {
			out = append(out, nameserver{name: n, addr: net.JoinHostPort(ip, port)})
		}
	}
	if left > 0 {
		r.skip("%d more addresses of name servers %s not asked: at most %d a name server", left, strings.Join(crowded, ", "), maxAddresses)
	}
	if len(missing) > 0 {
		err = fmt.Errorf("no address found for name server %s", strings.Join(missing, ", "))
	}
	return out, err
}

// nsNames are the name servers an NS answer names, lower case, sorted,
// each once.
func nsNames(m *dns.Msg) []string {
	var names []string
	for _, rr := range m.Answer {
		if ns, ok := rr.(*dns.NS); ok {
			names = append(names, strings.ToLower(dns.Fqdn(ns.Ns)))
		}
	}
	sort.Strings(names)
	return slices.Compact(names)
}

// addresses returns a name server's IPv4 addresses (from the glue, else
// asked), or its IPv6 ones when it has no IPv4 address.
func (r *round) addresses(ctx context.Context, resolver, host string, extra []dns.RR) []string {
	v4, v6 := glue(extra, host)
	if len(v4) == 0 {
		if m, err := r.exchange(ctx, resolver, host, dns.TypeA, true); err == nil {
			v4, _ = glue(m.Answer, host)
		}
	}
	if len(v4) == 0 && len(v6) == 0 {
		if m, err := r.exchange(ctx, resolver, host, dns.TypeAAAA, true); err == nil {
			_, v6 = glue(m.Answer, host)
		}
	}
	if len(v4) > 0 {
		return v4
	}
	return v6
}

// glue are host's IPv4 and IPv6 addresses among rrs, each once.
func glue(rrs []dns.RR, host string) (v4, v6 []string) {
	seen := map[string]bool{}
	for _, rr := range rrs {
		if !strings.EqualFold(rr.Header().Name, host) {
			continue
		}
		switch a := rr.(type) {
		case *dns.A:
			if ip := a.A.String(); a.A != nil && !seen[ip] {
				seen[ip] = true
				v4 = append(v4, ip)
			}
		case *dns.AAAA:
			if ip := a.AAAA.String(); a.AAAA != nil && !seen[ip] {
				seen[ip] = true
				v6 = append(v6, ip)
			}
		}
	}
	return v4, v6
}
