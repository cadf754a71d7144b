// Package dnscheck is certwiz's own look at a validation record before
// the CA is asked to check it.
//
// For a TXT or CNAME record it finds the zone's authoritative name servers
// (walking SOA records up the name, as lego's dns01 precheck does), asks
// each of them directly and a recursive resolver too; for a FILE record it
// fetches the URLs over http and https.
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

var errBudget = fmt.Errorf("not asked: the round's %d queries were used", maxQueries)
