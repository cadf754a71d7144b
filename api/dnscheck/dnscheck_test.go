package dnscheck

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/certwiz/certwiz/api"
)

// zone is a test DNS server's data: records by "name. TYPE".
type zone map[string][]dns.RR

func (z zone) add(t *testing.T, rrs ...string) zone {
	t.Helper()
	for _, s := range rrs {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatalf("record %q: %v", s, err)
		}
		h := rr.Header()
		key := strings.ToLower(h.Name) + " " + dns.TypeToString[h.Rrtype]
		z[key] = append(z[key], rr)
	}
	return z
}

func (z zone) has(name string) bool {
	for k := range z {
		if strings.HasPrefix(k, name+" ") {
			return true
		}
	}
	return false
}

func (z zone) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	q := r.Question[0]
	name := strings.ToLower(q.Name)
	key := name + " " + dns.TypeToString[q.Qtype]
	switch {
	case len(z[key]) > 0:
		m.Answer = z[key]
	case len(z[name+" CNAME"]) > 0:
		c := z[name+" CNAME"][0].(*dns.CNAME)
		m.Answer = append([]dns.RR{c}, z[strings.ToLower(c.Target)+" "+dns.TypeToString[q.Qtype]]...)
	case !z.has(name):
		m.Rcode = dns.RcodeNameError
	}
	w.WriteMsg(m)
}

// serveDNS runs z on a UDP socket at addr (loopback) until the test ends.
func serveDNS(t *testing.T, addr string, z dns.Handler) (string, error) {
	t.Helper()
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return "", err
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, Handler: z, NotifyStartedFunc: func() { close(started) }}
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	return pc.LocalAddr().String(), nil
}

// setup is a resolver on 127.0.0.1 that knows the zones example.test and
// other.test, both served by ns1 (127.0.0.2) and ns2 (127.0.0.3) on one
// port, with ns1's and ns2's own data.
type setup struct {
	resolver, port string
	ns1, ns2       string
}

func newSetup(t *testing.T, ns1, ns2 zone) setup {
	t.Helper()
	var s setup
	for i := 0; ; i++ {
		a, err := serveDNS(t, "127.0.0.2:0", ns1)
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(a)
		if _, err = serveDNS(t, "127.0.0.3:"+port, ns2); err == nil {
			s.port, s.ns1, s.ns2 = port, a, "127.0.0.3:"+port
			break
		}
		if i == 10 {
			t.Fatalf("no port free on both 127.0.0.2 and 127.0.0.3: %v", err)
		}
	}
	res := zone{}.add(t,
		"example.test. 300 IN SOA ns1.example.test. admin.example.test. 1 7200 3600 86400 300",
		"example.test. 300 IN NS ns1.example.test.",
		"example.test. 300 IN NS ns2.example.test.",
		"other.test. 300 IN SOA ns1.example.test. admin.example.test. 1 7200 3600 86400 300",
		"other.test. 300 IN NS ns1.example.test.",
		"other.test. 300 IN NS ns2.example.test.",
		"ns1.example.test. 300 IN A 127.0.0.2",
		"ns2.example.test. 300 IN A 127.0.0.3",
		"_dnsauth.cname.example.test. 300 IN CNAME _dnsauth.other.test.",
		"_dnsauth.other.test. 300 IN TXT \"cname-token\"",
	)
	var err error
	if s.resolver, err = serveDNS(t, "127.0.0.1:0", res); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s setup) options() Options {
	return Options{Resolver: s.resolver, NameserverPort: s.port, Timeout: 2 * time.Second}
}

func txt(name, value string) api.Record {
	return api.Record{Type: "TXT", Name: name, FQDN: name + ".", Value: value}
}

func answerOf(t *testing.T, r Result, server string) ServerAnswer {
	t.Helper()
	for _, a := range r.Answers {
		if a.Server == server {
			return a
		}
	}
	t.Fatalf("no answer from %s in %+v", server, r.Answers)
	return ServerAnswer{}
}

func both(t *testing.T, rrs ...string) (zone, zone) {
	return zone{}.add(t, rrs...), zone{}.add(t, rrs...)
}

func TestCheckFoundOnEveryAuthoritativeServer(t *testing.T) {
	ns1, ns2 := both(t,
		`_dnsauth.www.example.test. 300 IN TXT "tok-123"`,
		`_dnsauth.split.example.test. 300 IN TXT "abc" "def"`,
		`_dnsauth.c.example.test. 300 IN CNAME dv.ca.test.`)
	s := newSetup(t, ns1, ns2)
	r := Check(context.Background(), txt("_dnsauth.www.example.test", "tok-123"), s.options())
	if !r.Found || r.Err != "" {
		t.Fatalf("not found: %+v", r)
	}
	if r.Zone != "example.test" || len(r.Servers) != 2 || r.Servers[0] != s.ns1 || r.Servers[1] != s.ns2 {
		t.Fatalf("zone %q servers %v, want example.test [%s %s]", r.Zone, r.Servers, s.ns1, s.ns2)
	}
	if a := answerOf(t, r, s.ns1); a.Name != "ns1.example.test" || !a.Authoritative || len(a.Values) != 1 || a.Values[0] != "tok-123" {
		t.Fatalf("ns1 answered %+v", a)
	}
	// The resolver is asked too (it does not have the record yet here).
	if a := answerOf(t, r, s.resolver); a.Authoritative || len(a.Values) != 0 || a.Err != "" {
		t.Fatalf("resolver answered %+v", a)
	}

	// A TXT record of several strings is one value.
	if r := Check(context.Background(), txt("_dnsauth.split.example.test", "abcdef"), s.options()); !r.Found {
		t.Fatalf("split TXT not found: %+v", r)
	}
	// A CNAME record (validation by CNAME) is compared as a name.
	rec := api.Record{Type: "CNAME", Name: "_dnsauth.c.example.test", Value: "DV.ca.test."}
	if r := Check(context.Background(), rec, s.options()); !r.Found {
		t.Fatalf("CNAME not found: %+v", r)
	}
}

func TestCheckMissingOnOneServer(t *testing.T) {
	ns1 := zone{}.add(t, `_dnsauth.www.example.test. 300 IN TXT "tok-123"`)
	ns2 := zone{}.add(t, `example.test. 300 IN NS ns1.example.test.`)
	s := newSetup(t, ns1, ns2)
	r := Check(context.Background(), txt("_dnsauth.www.example.test", "tok-123"), s.options())
	if r.Found {
		t.Fatalf("found with one server missing the record: %+v", r)
	}
	if a := answerOf(t, r, s.ns2); len(a.Values) != 0 || a.Err != "" || a.Name != "ns2.example.test" {
		t.Fatalf("ns2 answered %+v, want no values", a)
	}
	if a := answerOf(t, r, s.ns1); len(a.Values) != 1 {
		t.Fatalf("ns1 answered %+v", a)
	}

	// Asking only the server that has it (--nameserver) finds it.
	o := s.options()
	o.Nameservers = []string{s.ns1}
	r = Check(context.Background(), txt("_dnsauth.www.example.test", "tok-123"), o)
	if !r.Found || len(r.Servers) != 1 || r.Servers[0] != s.ns1 || r.Zone != "" {
		t.Fatalf("with --nameserver %s: %+v", s.ns1, r)
	}
}

func TestCheckWrongValue(t *testing.T) {
	ns1 := zone{}.add(t, `_dnsauth.www.example.test. 300 IN TXT "tok-123"`)
	ns2 := zone{}.add(t, `_dnsauth.www.example.test. 300 IN TXT "tok-old"`)
	s := newSetup(t, ns1, ns2)
	r := Check(context.Background(), txt("_dnsauth.www.example.test", "tok-123"), s.options())
	if r.Found {
		t.Fatalf("found with a wrong value on ns2: %+v", r)
	}
	if a := answerOf(t, r, s.ns2); len(a.Values) != 1 || a.Values[0] != "tok-old" {
		t.Fatalf("ns2 answered %+v, want the value it holds", a)
	}
	// Exact comparison: case and spaces matter in a TXT value.
	if r := Check(context.Background(), txt("_dnsauth.www.example.test", "TOK-123"), s.options()); r.Found {
		t.Fatalf("found with another case: %+v", r)
	}
}

func TestCheckFollowsCNAME(t *testing.T) {
	ns1, ns2 := both(t,
		`_dnsauth.cname.example.test. 300 IN CNAME _dnsauth.other.test.`,
		`_dnsauth.other.test. 300 IN TXT "cname-token"`)
	s := newSetup(t, ns1, ns2)
	r := Check(context.Background(), txt("_dnsauth.cname.example.test", "cname-token"), s.options())
	if !r.Found {
		t.Fatalf("not found through the CNAME: %+v", r)
	}
	if r.Name != "_dnsauth.other.test." || r.Zone != "other.test" || len(r.CNAMEs) != 1 || r.CNAMEs[0] != "_dnsauth.other.test" {
		t.Fatalf("name %q zone %q chain %v", r.Name, r.Zone, r.CNAMEs)
	}
}

func TestCheckSilentServerTimesOut(t *testing.T) {
	ns1, ns2 := both(t, `_dnsauth.www.example.test. 300 IN TXT "tok-123"`)
	s := newSetup(t, ns1, ns2)
	// A socket that never answers.
	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	o := s.options()
	o.Timeout = 300 * time.Millisecond
	o.Nameservers = []string{s.ns1, silent.LocalAddr().String()}
	start := time.Now()
	r := Check(context.Background(), txt("_dnsauth.www.example.test", "tok-123"), o)
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("took %s with a timeout of %s", took, o.Timeout)
	}
	if r.Found {
		t.Fatalf("found with a silent server: %+v", r)
	}
	if a := answerOf(t, r, silent.LocalAddr().String()); !strings.Contains(a.Err, "timeout") {
		t.Fatalf("silent server: %+v, want a timeout", a)
	}
}

func TestCheckNoZone(t *testing.T) {
	s := newSetup(t, zone{}, zone{})
	r := Check(context.Background(), txt("_dnsauth.www.nowhere.test", "x"), s.options())
	if r.Found || !strings.Contains(r.Err, "no SOA") {
		t.Fatalf("without a zone: %+v", r)
	}
}

// counting is a DNS handler that counts the queries it gets.
type counting struct {
	zone
	n *atomic.Int32
}

func (c counting) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	c.n.Add(1)
	c.zone.ServeDNS(w, r)
}

// Off checks nothing: no query leaves, no URL is fetched, and the reason
// is the result's error.
func TestOffAsksNobody(t *testing.T) {
	var n atomic.Int32
	addr, err := serveDNS(t, "127.0.0.1:0", counting{zone{}.add(t, `_dnsauth.www.example.test. 300 IN TXT "tok"`), &n})
	if err != nil {
		t.Fatal(err)
	}
	var fetched atomic.Int32
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fetched.Add(1) }))
	defer web.Close()
	o := Options{Resolver: addr, Nameservers: []string{addr}, Off: "the endpoint is a sandbox on this machine"}
	r := Check(context.Background(), txt("_dnsauth.www.example.test", "tok"), o)
	f := CheckFile(context.Background(), api.Record{Type: "FILE", Value: "x", URLs: []string{web.URL + "/x.txt"}}, o)
	if r.Found || r.Err != o.Off || f.Found || f.Err != o.Off || n.Load() != 0 || fetched.Load() != 0 {
		t.Fatalf("Off: %+v %+v, %d queries, %d fetches", r, f, n.Load(), fetched.Load())
	}
}

// dialLog is a DialDNS that keeps every address asked and dials only
// loopback ones, so a test both sees and prevents a query beyond the
// machine; to, when set, sends every query to that one server instead.
type dialLog struct {
	mu    sync.Mutex
	addrs []string
	to    string
}

func (l *dialLog) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	l.mu.Lock()
	l.addrs = append(l.addrs, addr)
	l.mu.Unlock()
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("test dialer: %s is not on loopback", addr)
	}
	if l.to != "" {
		addr = l.to
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

func (l *dialLog) asked() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Compact(slices.Sorted(slices.Values(l.addrs)))
}

func hasNote(r Result, part string) bool {
	return slices.ContainsFunc(r.Skipped, func(s string) bool { return strings.Contains(s, part) })
}

// A resolver that answers each query just under the query timeout: the
// round still ends by its deadline (a generous bound: no tight timing),
// saying the deadline stopped it.
func TestRoundEndsByItsDeadlineWithASlowResolver(t *testing.T) {
	z := zone{}.add(t,
		"example.test. 300 IN SOA ns1.example.test. admin.example.test. 1 7200 3600 86400 300",
		"example.test. 300 IN NS ns1.example.test.",
		"ns1.example.test. 300 IN A 127.0.0.1")
	addr, err := serveDNS(t, "127.0.0.1:0", dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		time.Sleep(250 * time.Millisecond)
		z.ServeDNS(w, r)
	}))
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(addr)
	o := Options{Resolver: addr, NameserverPort: port, Timeout: 300 * time.Millisecond, Round: 300 * time.Millisecond}
	start := time.Now()
	r := Check(context.Background(), txt("_dnsauth.a.b.c.d.www.example.test", "tok"), o)
	if took := time.Since(start); took > 5*o.Round {
		t.Fatalf("the round took %s with a deadline of %s: %+v", took, o.Round, r)
	}
	if r.Found || !hasNote(r, "ran out") {
		t.Fatalf("want the deadline said: %+v", r)
	}
}

// Ten name servers without glue whose addresses never come: at most 8 are
// looked up, at once, within the round's deadline, and the two left out
// are said.
func TestRoundCapsNameServersWithoutAddresses(t *testing.T) {
	z := zone{}.add(t, "example.test. 300 IN SOA ns0.example.test. admin.example.test. 1 7200 3600 86400 300")
	for i := range 10 {
		z.add(t, fmt.Sprintf("example.test. 300 IN NS ns%d.example.test.", i))
	}
	var mu sync.Mutex
	looked := map[string]bool{}
	var n atomic.Int32
	addr, err := serveDNS(t, "127.0.0.1:0", dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		n.Add(1)
		if q := r.Question[0]; q.Qtype == dns.TypeA || q.Qtype == dns.TypeAAAA {
			mu.Lock()
			looked[q.Name] = true
			mu.Unlock()
			return // silent: the address never comes
		}
		z.ServeDNS(w, r)
	}))
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Resolver: addr, Timeout: 2 * time.Second, Round: 300 * time.Millisecond}
	start := time.Now()
	r := Check(context.Background(), txt("_dnsauth.www.example.test", "tok"), o)
	if took := time.Since(start); took > 5*o.Round {
		t.Fatalf("the round took %s with a deadline of %s: %+v", took, o.Round, r)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(looked) > maxNameservers || n.Load() > maxQueries {
		t.Fatalf("addresses of %d name servers looked up, %d queries in all", len(looked), n.Load())
	}
	if r.Found || !hasNote(r, "2 of 10 name servers not asked") || !hasNote(r, "ran out") {
		t.Fatalf("want the skipped name servers and the deadline said: %+v", r)
	}
}

// One answer naming 12 name servers with 12 addresses each (144 servers)
// makes at most 8 x 4 queries, and says what it left out.
func TestRoundCapsTheFanOut(t *testing.T) {
	z := zone{}.add(t,
		"example.test. 300 IN SOA ns0.example.test. admin.example.test. 1 7200 3600 86400 300",
		`_dnsauth.www.example.test. 300 IN TXT "tok"`)
	for i := range 12 {
		z.add(t, fmt.Sprintf("example.test. 300 IN NS ns%d.example.test.", i))
	}
	var n atomic.Int32
	addr, err := serveDNS(t, "127.0.0.1:0", dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		n.Add(1)
		if q := r.Question[0]; q.Qtype == dns.TypeNS {
			m := new(dns.Msg)
			m.SetReply(r)
			m.Compress = true
			m.Answer = z["example.test. NS"]
			for i := range 12 {
				for j := range 12 {
					m.Extra = append(m.Extra, &dns.A{Hdr: dns.RR_Header{Name: fmt.Sprintf("ns%d.example.test.", i), Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 300},
						A: net.IPv4(127, 1, byte(i), byte(j))})
				}
			}
			w.WriteMsg(m)
			return
		}
		z.ServeDNS(w, r)
	}))
	if err != nil {
		t.Fatal(err)
	}
	log := &dialLog{to: addr} // every address the answer chose is this server
	o := Options{Resolver: addr, Timeout: 2 * time.Second, Round: 2 * time.Second, DialDNS: log.dial}
	r := Check(context.Background(), txt("_dnsauth.www.example.test", "tok"), o)
	if !r.Found || len(r.Servers) != maxNameservers*maxAddresses {
		t.Fatalf("%d servers asked, want %d: %+v", len(r.Servers), maxNameservers*maxAddresses, r)
	}
	if n.Load() > maxQueries || len(log.asked()) > maxNameservers*maxAddresses+1 {
		t.Fatalf("%d queries to %d addresses", n.Load(), len(log.asked()))
	}
	if !hasNote(r, "4 of 12 name servers not asked") || !hasNote(r, "64 more addresses of name servers ns0.example.test, ns1.example.test") {
		t.Fatalf("want what was left out said: %v", r.Skipped)
	}

	// A name of 100 labels, in no zone: the walk up stops at the budget.
	n.Store(0)
	long := "_dnsauth" + strings.Repeat(".a", 100) + ".nowhere.test"
	r = Check(context.Background(), txt(long, "tok"), o)
	if r.Found || n.Load() > maxQueries || !hasNote(r, "queries not sent") {
		t.Fatalf("%d queries: %+v", n.Load(), r)
	}
}

// OnlyNamed (an endpoint on this machine with --resolver): the answer's
// name servers (glue at 192.0.2.1) are never dialed; the resolver alone
// stands for them. With only --nameserver, neither is the system's
// resolver asked.
func TestOnlyNamedAsksOnlyTheServersNamed(t *testing.T) {
	z := zone{}.add(t,
		"example.test. 300 IN SOA ns1.example.test. admin.example.test. 1 7200 3600 86400 300",
		"example.test. 300 IN NS ns1.example.test.",
		"ns1.example.test. 300 IN A 192.0.2.1",
		`_dnsauth.www.example.test. 300 IN TXT "tok"`)
	addr, err := serveDNS(t, "127.0.0.1:0", z)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{Resolver: addr}, {Nameservers: []string{addr}}} {
		log := &dialLog{}
		o.OnlyNamed, o.DialDNS, o.Timeout = true, log.dial, 2*time.Second
		r := Check(context.Background(), txt("_dnsauth.www.example.test", "tok"), o)
		if asked := log.asked(); len(asked) != 1 || asked[0] != addr {
			t.Fatalf("%+v asked %v, want only %s", o, asked, addr)
		}
		if !r.Found || len(r.Servers) != 1 || r.Servers[0] != addr || r.Zone != "" {
			t.Fatalf("%+v: %+v", o, r)
		}
	}
}
