package tlsverify

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"github.com/certwiz/certwiz/api/tlsverify/tlstest"
)

// pair is a certificate a test server presents, and its leaf's SHA-256.
type pair struct {
	cert tls.Certificate
	sum  [32]byte
}

func toPair(t *testing.T, chain, key string) pair {
	t.Helper()
	c, err := tls.X509KeyPair([]byte(chain), []byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return pair{c, sha256.Sum256(c.Certificate[0])}
}

// issued is a CA-signed certificate for names, with its chain.
func issued(t *testing.T, names ...string) pair {
	c := bundletest.Issue(t, nil, names...)
	return toPair(t, c.Leaf+c.Intermediate, c.Key)
}

// selfSigned is a certificate for names signed by its own key.
func selfSigned(t *testing.T, names ...string) pair {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	kd, _ := x509.MarshalPKCS8PrivateKey(k)
	return toPair(t, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd})))
}

// server is a TLS server on 127.0.0.1 presenting whatever is set, and
// remembering the SNI it was asked for.
type server struct {
	addr string
	cert atomic.Pointer[tls.Certificate]
	sni  atomic.Value
}

func serve(t *testing.T, p pair) *server {
	t.Helper()
	s := &server{}
	s.set(p)
	s.addr = tlstest.Serve(t, func(h *tls.ClientHelloInfo) (*tls.Certificate, error) {
		s.sni.Store(h.ServerName)
		return s.cert.Load(), nil
	})
	return s
}

func (s *server) set(p pair) { s.cert.Store(&p.cert) }

// clock is a test's time: Sleep moves it on at once and may act.
type clock struct {
	mu      sync.Mutex
	now     time.Time
	sleeps  int
	onSleep func(n int)
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.sleeps++
	n := c.sleeps
	c.mu.Unlock()
	if c.onSleep != nil {
		c.onSleep(n)
	}
	return ctx.Err()
}

func checker(c *clock) Checker { return Checker{Now: c.Now, Sleep: c.Sleep} }

// The server presents the certificate installed: one attempt, with the
// certificate's name as SNI.
func TestVerifyMatch(t *testing.T) {
	p := issued(t, "www.example.com", "example.com")
	s := serve(t, p)
	got := checker(&clock{now: time.Now()}).Verify(context.Background(), s.addr, "www.example.com", p.sum, time.Minute, 0)
	if !got.OK() || got.Attempts != 1 || got.Cert.SHA256 != p.sum || got.Err != nil {
		t.Fatalf("%+v", got)
	}
	if sni := s.sni.Load(); sni != "www.example.com" {
		t.Fatalf("SNI %v", sni)
	}
	if d := got.Describe("en"); !strings.HasPrefix(d, s.addr+": presents the new certificate — CN=www.example.com, issued by CN=Test Intermediate CA, valid until ") {
		t.Fatalf("%s", d)
	}
}

// The server takes a while to load the new certificate (a reload): it
// is asked again every interval until it does.
func TestVerifyWaitsForTheReload(t *testing.T) {
	old, fresh := issued(t, "www.example.com"), issued(t, "www.example.com")
	s := serve(t, old)
	c := &clock{now: time.Now()}
	c.onSleep = func(n int) {
		if n == 2 {
			s.set(fresh)
		}
	}
	got := checker(c).Verify(context.Background(), s.addr, "www.example.com", fresh.sum, time.Minute, 5*time.Second)
	if !got.OK() || got.Attempts != 3 {
		t.Fatalf("%+v", got)
	}
}

// A server that keeps presenting the old certificate: asked until the
// wait ends (at 0, 10, 20 and 30 s of a 30 s wait), then reported with
// what it presents.
func TestVerifyGivesUpWhenTheWaitEnds(t *testing.T) {
	old, fresh := issued(t, "www.example.com"), issued(t, "www.example.com")
	s := serve(t, old)
	got := checker(&clock{now: time.Now()}).Verify(context.Background(), s.addr, "www.example.com", fresh.sum, 30*time.Second, 10*time.Second)
	if got.Outcome != OtherCertificate || got.Attempts != 4 || got.Cert.SHA256 != old.sum {
		t.Fatalf("%+v", got)
	}
	d := got.Describe("zh-CN")
	if !strings.Contains(d, "使用的是另一张证书 —— CN=www.example.com，签发者 CN=Test Intermediate CA，有效期至 ") || !strings.Contains(d, "SHA-256 "+got.Cert.SHA256Prefix()+"…") {
		t.Fatalf("%s", d)
	}
}

// Each way a target can fail is told apart: what it presented, or why
// there was nothing to compare.
func TestVerifyTellsEachFault(t *testing.T) {
	want := issued(t, "www.example.com").sum
	now := time.Now()

	refusedAddr := func() string {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		ln.Close()
		return ln.Addr().String()
	}()
	silent := tlstest.Listen(t, func(c net.Conn) { c.Read(make([]byte, 1<<16)); c.Read(make([]byte, 1)) }) // never answers
	plain := tlstest.Listen(t, func(c net.Conn) { c.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n")) })   // not TLS

	dialErr := func(err error) func(context.Context, string, string) (net.Conn, error) {
		return func(context.Context, string, string) (net.Conn, error) { return nil, err }
	}
	for name, c := range map[string]struct {
		addr string
		ck   Checker
		want Outcome
		says string
	}{
		"self-signed":    {serve(t, selfSigned(t, "www.example.com")).addr, Checker{}, SelfSigned, "presents a self-signed certificate — CN=www.example.com, issued by CN=www.example.com"},
		"another domain": {serve(t, issued(t, "evil.example.net")).addr, Checker{}, WrongName, "presents a certificate for another name — CN=evil.example.net"},
		"both":           {serve(t, selfSigned(t, "evil.example.net")).addr, Checker{}, WrongName, "presents a certificate for another name; presents a self-signed certificate — CN=evil.example.net"},
		"expired":        {serve(t, issued(t, "www.example.com")).addr, Checker{Now: func() time.Time { return now.AddDate(1, 0, 0) }}, Expired, "presents an expired certificate — CN=www.example.com"},
		"refused":        {refusedAddr, Checker{}, Refused, "refused the connection: dial tcp " + refusedAddr},
		"silent":         {silent, Checker{AttemptTimeout: 200 * time.Millisecond}, TimedOut, "did not answer in time"},
		"not TLS":        {plain, Checker{}, HandshakeFailed, "failed the TLS handshake: tls: first record does not look like a TLS handshake"},
		"no address":     {"nowhere.example.com:443", Checker{Dial: dialErr(&net.DNSError{Err: "no such host", Name: "nowhere.example.com", IsNotFound: true})}, NoAddress, "has no address: the name does not resolve: lookup nowhere.example.com: no such host"},
		"unreachable":    {"192.0.2.1:443", Checker{Dial: dialErr(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ENETUNREACH})}, Unreachable, "could not be reached: dial tcp: network is unreachable"},
	} {
		got := c.ck.Verify(context.Background(), c.addr, "www.example.com", want, 0, 0)
		if got.Outcome != c.want || got.Attempts != 1 || !strings.Contains(got.Describe("en"), c.says) {
			t.Errorf("%s: %v: %s", name, got.Outcome, got.Describe("en"))
		}
	}
}

// ParseTarget takes a DNS name, an IPv4 or a bracketed IPv6 address and
// a port 1..65535, and names the part it refuses.
func TestParseTarget(t *testing.T) {
	for in, want := range map[string]Target{
		"www.example.com:443":  {"www.example.com", 443},
		"localhost:8443":       {"localhost", 8443},
		"127.0.0.1:1":          {"127.0.0.1", 1},
		"[::1]:443":            {"::1", 443},
		"[2001:db8::1]:65535":  {"2001:db8::1", 65535},
		"xn--bcher-kva.ch:443": {"xn--bcher-kva.ch", 443},
	} {
		got, err := ParseTarget(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("%s: %+v %v", in, got, err)
		}
	}
	for in, says := range map[string]string{
		"www.example.com":             `"www.example.com" is not HOST:PORT`,
		"::1:443":                     `"::1:443" is not HOST:PORT`,
		"https://www.example.com:443": `is not HOST:PORT`,
		"www.example.com:0":           `port "0" is not a number from 1 to 65535`,
		"www.example.com:65536":       `port "65536"`,
		"www.example.com:+443":        `port "+443"`,
		"www.example.com:https":       `port "https"`,
		":443":                        `host "" is neither a DNS name`,
		"*.example.com:443":           `host "*.example.com" is neither`,
		"-bad.example.com:443":        `host "-bad.example.com"`,
		"a..b:443":                    `host "a..b"`,
		"exa mple.com:443":            `host "exa mple.com"`,
		"[fe80::1%eth0]:443":          `host "fe80::1%eth0"`,
		"\x1b[31mred:443":             `"\x1b[31mred:443" is not HOST:PORT`,
	} {
		if _, err := ParseTarget(in); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// A bad target or SNI is reported without a connection.
func TestVerifyBadTarget(t *testing.T) {
	ck := Checker{Dial: func(context.Context, string, string) (net.Conn, error) {
		t.Fatal("dialled")
		return nil, nil
	}}
	for target, sni := range map[string]string{"www.example.com": "www.example.com", "127.0.0.1:443": "*.example.com", "[::1]:443": "127.0.0.1"} {
		got := ck.Verify(context.Background(), target, sni, [32]byte{}, time.Minute, 0)
		if got.Outcome != BadTarget || got.Attempts != 0 || got.Err == nil || !strings.HasPrefix(got.Describe("en"), target+": cannot be checked: ") {
			t.Errorf("%s %s: %+v", target, sni, got)
		}
	}
}

// The caller's context ending stops the waiting.
func TestVerifyStopsWithItsContext(t *testing.T) {
	old := issued(t, "www.example.com")
	s := serve(t, old)
	ctx, cancel := context.WithCancel(context.Background())
	c := &clock{now: time.Now(), onSleep: func(int) { cancel() }}
	got := checker(c).Verify(ctx, s.addr, "www.example.com", [32]byte{}, time.Hour, time.Second)
	if got.Outcome != OtherCertificate || got.Attempts != 1 {
		t.Fatalf("%+v", got)
	}
}

func TestSNI(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  string
	}{
		{[]string{"www.example.com", "example.com"}, "www.example.com"},
		{[]string{"*.example.com", "example.com"}, "example.com"},
		{[]string{"*.example.com"}, "certwiz-verify.example.com"},
		{nil, ""},
	} {
		if got := SNI(c.names); got != c.want {
			t.Errorf("%q: %q", c.names, got)
		}
	}
	if err := checkSNI("certwiz-verify.example.com"); err != nil {
		t.Errorf("the SNI made for a wildcard is refused: %v", err)
	}
}

// The wait is used to its end: with a 4 s wait and a 5 s interval there is
// a last attempt at 4 s (a reload taking a second must not roll back).
func TestVerifyTriesAgainAtTheEndOfTheWait(t *testing.T) {
	now := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	var at []time.Duration
	start := now
	c := Checker{
		Now:   func() time.Time { return now },
		Sleep: func(_ context.Context, d time.Duration) error { now = now.Add(d); return nil },
		Dial: func(context.Context, string, string) (net.Conn, error) {
			at = append(at, now.Sub(start))
			return nil, syscall.ECONNREFUSED
		},
	}
	s := c.Verify(context.Background(), "127.0.0.1:8443", "www.example.com", [32]byte{}, 4*time.Second, 5*time.Second)
	if s.OK() || len(at) != 2 || at[1] != 4*time.Second {
		t.Fatalf("attempts at %v, outcome %v", at, s.Outcome)
	}
}
