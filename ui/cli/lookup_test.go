package cli

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/watch"
)

// With an endpoint on this machine the local check never leaves it: off
// without a DNS server named; with one, a FILE record of a real-looking
// site is not fetched (no dial, no name resolved), while a loopback URL
// is. A real endpoint and --sandbox keep the options as given.
func TestLocalCheckStaysOnLoopback(t *testing.T) {
	off := offLoopback("http://127.0.0.1:8417", false, dnscheck.Options{}, "why")
	if off.Off != "why" {
		t.Fatal("a loopback endpoint without servers left the check on")
	}
	if r := dnscheck.Check(context.Background(), api.Record{Type: "TXT", FQDN: "_dnsauth.www.example.com."}, off); r.Err != off.Off {
		t.Fatalf("check with the check off: %+v", r)
	}

	var hits atomic.Int32
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("tok"))
	}))
	defer web.Close()
	o := offLoopback("http://localhost:8417", false, dnscheck.Options{Resolver: "127.0.0.1:1"}, "why")
	if o.Off != "" || o.Dial == nil {
		t.Fatalf("with a resolver named: %+v", o)
	}
	far := dnscheck.CheckFile(context.Background(), api.Record{Type: "FILE", Value: "tok", URLs: []string{"http://www.example.com/.well-known/pki-validation/x.txt"}}, o)
	if far.Found || len(far.Answers) != 1 || !strings.Contains(far.Answers[0].Err, "only from loopback") {
		t.Fatalf("a far site was fetched or not refused: %+v", far)
	}
	near := dnscheck.CheckFile(context.Background(), api.Record{Type: "FILE", Value: "tok", URLs: []string{web.URL + "/.well-known/pki-validation/x.txt"}}, o)
	if !near.Found || hits.Load() != 1 {
		t.Fatalf("a loopback site was not fetched: %+v", near)
	}

	for _, c := range []struct {
		endpoint string
		sandbox  bool
	}{{"https://ssl.tencentcloudapi.com", false}, {"http://127.0.0.1:8417", true}} {
		if o := offLoopback(c.endpoint, c.sandbox, dnscheck.Options{}, "why"); o.Off != "" || o.Dial != nil {
			t.Fatalf("%s sandbox=%v changed the options: %+v", c.endpoint, c.sandbox, o)
		}
	}
}

// With an endpoint on this machine and only --resolver, the local check
// asks that resolver alone: the zone's name server the answer points at
// (glue 192.0.2.1, never reached: the dialer refuses it unsent) is not
// dialed. The dialer is the loopback guard FILE fetches use, watched.
func TestLocalCheckAsksOnlyTheServersNamed(t *testing.T) {
	z := map[string][]dns.RR{}
	for _, s := range []string{
		"example.test. 300 IN SOA ns1.example.test. admin.example.test. 1 7200 3600 86400 300",
		"example.test. 300 IN NS ns1.example.test.",
		"ns1.example.test. 300 IN A 192.0.2.1",
		`_dnsauth.www.example.test. 300 IN TXT "tok"`,
	} {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		key := rr.Header().Name + " " + dns.TypeToString[rr.Header().Rrtype]
		z[key] = append(z[key], rr)
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		q := r.Question[0]
		m.Answer = z[strings.ToLower(q.Name)+" "+dns.TypeToString[q.Qtype]]
		if q.Qtype == dns.TypeNS {
			m.Extra = z["ns1.example.test. A"]
		}
		w.WriteMsg(m)
	})}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	addr := pc.LocalAddr().String()

	var mu sync.Mutex
	var dialed []string
	watched := func(ctx context.Context, network, a string) (net.Conn, error) {
		mu.Lock()
		dialed = append(dialed, a)
		mu.Unlock()
		return loopbackOnly(ctx, network, a)
	}
	o := offLoopback("http://127.0.0.1:8417", false, dnscheck.Options{Resolver: addr, Timeout: 2 * time.Second, DialDNS: watched}, "why")
	r := dnscheck.Check(context.Background(), api.Record{Type: "TXT", FQDN: "_dnsauth.www.example.test.", Value: "tok"}, o)
	mu.Lock()
	defer mu.Unlock()
	for _, a := range dialed {
		if a != addr {
			t.Fatalf("dialed %s (all: %v), want only the resolver named, %s", a, dialed, addr)
		}
	}
	if !r.Found || len(dialed) == 0 {
		t.Fatalf("the resolver named was not asked, or did not count: %+v", r)
	}
}

// A short --interval shortens the round, so a round never runs into the
// next; the default leaves dnscheck's own.
func TestLookupRoundUnderTheInterval(t *testing.T) {
	for _, c := range []struct{ interval, want time.Duration }{{2 * time.Second, time.Second}, {30 * time.Second, 0}} {
		o := &StatusOptions{Globals: &Globals{}, Interval: c.interval}
		if got := o.lookup("https://ssl.tencentcloudapi.com", nil).Round; got != c.want {
			t.Errorf("--interval %s: round %s, want %s", c.interval, got, c.want)
		}
	}
}

// What a round left out is said, escaped like every answer's text.
func TestLocalLinesSayWhatWasSkipped(t *testing.T) {
	r := watch.RecordState{Record: api.Record{Type: "TXT", Value: "tok"}, Local: dnscheck.Result{
		Answers: []dnscheck.ServerAnswer{{Server: "127.0.0.1:53", Authoritative: true}},
		Skipped: []string{"8 of 12 addresses of name server ns\x1b]0;pwn\a.example.test not asked: at most 4 a name server"}}}
	lines := strings.Join(localLines(r, "en"), "\n")
	if !strings.Contains(lines, "… 8 of 12 addresses of name server ns") || strings.ContainsAny(lines, "\x1b\a") {
		t.Fatalf("lines:\n%q", lines)
	}
}
