package dnscheck

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
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
