package dnscheck

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/certwiz/certwiz/api"
)

// pipeServer is a DialDNS that answers every query, over an in-memory
// connection, with the same message (its ID set to the query's): a whole
// Check runs on fuzzed answers without a socket.
type pipeServer struct {
	answer []byte
	mu     sync.Mutex
	dialed []string
}

func (p *pipeServer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	p.mu.Lock()
	p.dialed = append(p.dialed, addr)
	p.mu.Unlock()
	client, server := net.Pipe()
	go func() {
		defer server.Close()
		var n [2]byte
		if _, err := io.ReadFull(server, n[:]); err != nil {
			return
		}
		q := make([]byte, binary.BigEndian.Uint16(n[:]))
		if _, err := io.ReadFull(server, q); err != nil || len(q) < 2 {
			return
		}
		a := append([]byte(nil), p.answer...)
		if len(a) >= 2 {
			copy(a, q[:2])
		}
		server.Write(binary.BigEndian.AppendUint16(nil, uint16(len(a))))
		server.Write(a)
	}()
	return client, nil
}

func packed(t testing.TB, rrs ...string) []byte {
	m := new(dns.Msg)
	m.SetQuestion("example.test.", dns.TypeNS)
	m.Response, m.Authoritative = true, true
	for _, s := range rrs {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := rr.(*dns.A); ok {
			m.Extra = append(m.Extra, rr)
		} else {
			m.Answer = append(m.Answer, rr)
		}
	}
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Any answer to any query: Check returns, within its caps (queries,
// servers), asks only the resolver when OnlyNamed, and says Found only
// when every authoritative answer holds the value.
func FuzzCheckAnswers(f *testing.F) {
	nsMany := []string{"example.test. 300 IN SOA ns0.example.test. a.example.test. 1 2 3 4 5"}
	for i := range 12 {
		nsMany = append(nsMany, fmt.Sprintf("example.test. 300 IN NS ns%d.example.test.", i))
		for j := range 6 {
			nsMany = append(nsMany, fmt.Sprintf("ns%d.example.test. 300 IN A 127.1.%d.%d", i, i, j))
		}
	}
	f.Add(packed(f, nsMany...), false, "TXT")
	f.Add(packed(f, "example.test. 300 IN SOA ns1.example.test. a.example.test. 1 2 3 4 5",
		"example.test. 300 IN NS ns1.example.test.", `_dnsauth.www.example.test. 300 IN TXT "tok"`,
		"ns1.example.test. 300 IN A 192.0.2.1"), true, "TXT")
	f.Add(packed(f, "_dnsauth.www.example.test. 300 IN CNAME _dnsauth.www.example.test.",
		"_dnsauth.www.example.test. 300 IN CNAME dv.example.test."), false, "CNAME")
	f.Add([]byte{0, 0, 0x82, 0, 0, 0, 0, 0, 0, 0, 0, 0}, false, "TXT") // truncated: TCP again
	f.Fuzz(func(t *testing.T, answer []byte, onlyNamed bool, typ string) {
		p := &pipeServer{answer: answer}
		o := Options{Resolver: "127.0.0.1:53", NameserverPort: "5353", Timeout: time.Second, Round: 2 * time.Second,
			OnlyNamed: onlyNamed, DialDNS: p.dial}
		rec := api.Record{Type: typ, FQDN: "_dnsauth.www.example.test.", Value: "tok"}
		r := Check(context.Background(), rec, o)
		p.mu.Lock()
		defer p.mu.Unlock()
		if len(p.dialed) > maxQueries || len(r.Servers) > maxNameservers*maxAddresses {
			t.Fatalf("%d queries, %d servers", len(p.dialed), len(r.Servers))
		}
		for _, a := range p.dialed {
			_, port, _ := net.SplitHostPort(a)
			if a != o.Resolver && (onlyNamed || port != o.NameserverPort) {
				t.Fatalf("dialed %s (OnlyNamed %v)", a, onlyNamed)
			}
		}
		if r.Found {
			for _, a := range r.Answers {
				qtype := dns.TypeTXT
				if strings.EqualFold(typ, "CNAME") {
					qtype = dns.TypeCNAME
				}
				if a.Authoritative && !contains(a.Values, normalize(rec.Value, qtype), qtype) {
					t.Fatalf("found, but %s answered %v", a.Server, a.Values)
				}
			}
		}
	})
}

// Any DvAuthDomain and file name, put together as api does, or any URL:
// FileURL refuses it or gives the plain validation URL on a valid host.
func FuzzFileURL(f *testing.F) {
	for _, s := range [][2]string{
		{"example.com", "f.txt"}, {"127.0.0.1:8080", "f.txt"}, {"[::1]:8443", "f.txt"}, {"localhost", "a_b-c.txt"},
		{"host/internal/admin/delete?confirm=yes&x=", "f.txt"}, {"admin:secret@example.com", "f.txt"},
		{"example.com:8080", "f.txt"}, {"example.com", "../../admin"}, {"example.com", "%2e%2e%2fadmin"},
		{"example.com", "f.txt?x=1#y"}, {"EXAMPLE.com", ".htaccess"}, {"xn--fiqs8s.example", "F.TXT"},
	} {
		f.Add(s[0], s[1], "")
	}
	f.Add("", "", "https://example.com/.well-known/pki-validation/f.txt")
	f.Add("", "", "http://127.0.0.1:1/.well-known/pki-validation/f.txt#")
	f.Fuzz(func(t *testing.T, domain, file, raw string) {
		if raw == "" {
			raw = "http://" + domain + pkiPath + file
		}
		plain, err := FileURL(raw)
		if err != nil {
			return
		}
		u, err := url.Parse(plain)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
			u.ForceQuery || u.RawPath != "" {
			t.Fatalf("%q gave %q: %+v", raw, plain, u)
		}
		host := u.Hostname()
		if !api.IsLoopback(host) && (!dnsName(host) || u.Port() != "") {
			t.Fatalf("%q gave host %q port %q", raw, host, u.Port())
		}
		name, ok := strings.CutPrefix(u.Path, pkiPath)
		if !ok || !fileName(name) {
			t.Fatalf("%q gave path %q", raw, u.Path)
		}
		if again, err := FileURL(plain); err != nil || again != plain {
			t.Fatalf("%q gave %q, which gives %q, %v", raw, plain, again, err)
		}
		for _, c := range []byte(plain) {
			if c <= ' ' || c >= 0x7f {
				t.Fatalf("%q gave %q", raw, plain)
			}
		}
	})
}
