package dnscheck

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

// site serves handler on 127.0.0.1 over http and https, and a second,
// other host; the options' dialer sends example.com and other.example
// there and refuses any other address, so nothing leaves the machine.
type site struct {
	opts       Options
	to         map[string]string // where the dialer sends host:port
	otherHits  atomic.Int32
	plain, tls *httptest.Server
}

func newSite(t *testing.T, handler http.HandlerFunc) *site {
	t.Helper()
	s := &site{}
	s.plain = httptest.NewServer(handler)
	s.tls = httptest.NewTLSServer(handler) // its certificate names example.com
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.otherHits.Add(1)
		fmt.Fprint(w, "tok-file")
	}))
	t.Cleanup(func() { s.plain.Close(); s.tls.Close(); other.Close() })
	s.to = map[string]string{
		"example.com:80":   s.plain.Listener.Addr().String(),
		"example.com:443":  s.tls.Listener.Addr().String(),
		"other.example:80": other.Listener.Addr().String(),
	}
	roots := x509.NewCertPool()
	roots.AddCert(s.tls.Certificate())
	s.opts = Options{
		Resolver: "127.0.0.1:1", // never asked by CheckFile
		Timeout:  2 * time.Second,
		RootCAs:  roots,
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			a, ok := s.to[addr]
			if !ok {
				return nil, fmt.Errorf("test dialer: %s is not a test server", addr)
			}
			var d net.Dialer
			return d.DialContext(ctx, network, a)
		},
	}
	return s
}

const filePath = "/.well-known/pki-validation/fileauth.txt"

var fileRecord = api.Record{Type: "FILE", Zone: "example.com", Path: filePath, Value: "tok-file",
	URLs: []string{"http://example.com" + filePath, "https://example.com" + filePath}}

func TestCheckFileFound(t *testing.T) {
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != filePath {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "tok-file\r\n")
	})
	r := CheckFile(context.Background(), fileRecord, s.opts)
	if !r.Found || len(r.Answers) != 2 || len(r.Servers) != 2 {
		t.Fatalf("not found: %+v", r)
	}
	for _, a := range r.Answers {
		if a.Status != 200 || a.Err != "" || len(a.Values) != 1 || a.Values[0] != "tok-file" {
			t.Fatalf("%s answered %+v", a.Server, a)
		}
	}
}

func TestCheckFileWrongContent(t *testing.T) {
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "tok-old") })
	r := CheckFile(context.Background(), fileRecord, s.opts)
	if r.Found {
		t.Fatalf("found with other content: %+v", r)
	}
	if a := r.Answers[0]; len(a.Values) != 1 || a.Values[0] != "tok-old" {
		t.Fatalf("answer %+v, want the content served", a)
	}
}

func TestCheckFileRedirects(t *testing.T) {
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://other.example"+filePath, http.StatusFound)
	})
	r := CheckFile(context.Background(), fileRecord, s.opts)
	if r.Found || s.otherHits.Load() != 0 {
		t.Fatalf("redirect to another host followed (%d requests there): %+v", s.otherHits.Load(), r)
	}
	for _, a := range r.Answers {
		if !strings.Contains(a.Err, "another host") || !strings.Contains(a.Err, "other.example") {
			t.Fatalf("%s: %+v, want the other host named", a.Server, a)
		}
	}
}

// A redirect is followed only from http to https on the same host and
// path (any port only on loopback): to another port, path or scheme, or
// with credentials, nothing more is requested.
func TestCheckFileRedirectsOnlyToHTTPS(t *testing.T) {
	const dir = "/.well-known/pki-validation/"
	var mu sync.Mutex
	hits := map[string]int{} // "http /path" or "https /path"
	var s *site
	s = newSite(t, func(w http.ResponseWriter, r *http.Request) {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		mu.Lock()
		hits[scheme+" "+r.URL.Path]++
		mu.Unlock()
		if scheme == "https" {
			if r.URL.Path == dir+"down.txt" {
				http.Redirect(w, r, "http://example.com"+r.URL.Path, http.StatusFound)
				return
			}
			fmt.Fprint(w, "tok-file")
			return
		}
		target := map[string]string{
			"up.txt":   "https://example.com" + dir + "up.txt",
			"loop.txt": s.tls.URL + dir + "loop.txt",
			"port.txt": "https://example.com:8443" + dir + "port.txt",
			"path.txt": "https://example.com" + dir + "other.txt",
			"same.txt": "http://example.com/internal/admin",
			"user.txt": "https://u:p@example.com" + dir + "user.txt",
		}[strings.TrimPrefix(r.URL.Path, dir)]
		http.Redirect(w, r, target, http.StatusFound)
	})
	s.to["example.com:8443"] = s.tls.Listener.Addr().String()
	s.to[s.plain.Listener.Addr().String()] = s.plain.Listener.Addr().String()
	s.to[s.tls.Listener.Addr().String()] = s.tls.Listener.Addr().String()

	check := func(url string) ServerAnswer {
		t.Helper()
		r := CheckFile(context.Background(), api.Record{Type: "FILE", Value: "tok-file", URLs: []string{url}}, s.opts)
		return r.Answers[0]
	}
	for _, url := range []string{"http://example.com" + dir + "up.txt", s.plain.URL + dir + "loop.txt"} {
		if a := check(url); a.Err != "" || a.Status != 200 || len(a.Values) != 1 || a.Values[0] != "tok-file" {
			t.Errorf("%s: %+v, want the https file", url, a)
		}
	}
	for _, c := range []struct{ file, want string }{
		{"port.txt", "validation URL"}, {"path.txt", "same path"}, {"same.txt", "only from http to https"},
		{"user.txt", "user information"}, {"down.txt", "only from http to https"},
	} {
		url := "http://example.com" + dir + c.file
		if c.file == "down.txt" {
			url = "https://example.com" + dir + c.file
		}
		if a := check(url); a.Err == "" || !strings.Contains(a.Err, c.want) || len(a.Values) != 0 {
			t.Errorf("%s: %+v, want refused (%s)", c.file, a, c.want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, k := range []string{"https " + dir + "port.txt", "https " + dir + "other.txt", "http /internal/admin", "https " + dir + "user.txt", "http " + dir + "down.txt"} {
		if hits[k] != 0 {
			t.Errorf("%d requests for %s after a refused redirect", hits[k], k)
		}
	}
}

// A record whose DvAuthDomain or file name carries more than a host — a
// path, a query, credentials, a port — is not fetched at all: no request
// reaches the site.
func TestCheckFileFetchesOnlyValidationURLs(t *testing.T) {
	var hits atomic.Int32
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "tok-file")
	})
	loop := s.plain.Listener.Addr().String()
	s.to[loop] = loop
	// As api builds a FILE record from the answer's DvAuthDomain and DvAuthKey.
	rec := func(domain, file string) api.Record {
		path := "/.well-known/pki-validation/" + file
		return api.Record{Type: "FILE", Zone: domain, Path: path, Value: "tok-file",
			URLs: []string{"http://" + domain + path, "https://" + domain + path}}
	}
	for _, c := range []struct{ domain, file string }{
		{"example.com/internal/admin/delete?confirm=yes&x=", "f.txt"},
		{loop + "/internal/admin/delete?confirm=yes&x=", "f.txt"},
		{"admin:secret@example.com", "f.txt"},
		{"admin:secret@" + loop, "f.txt"},
		{"example.com:8080", "f.txt"},
		{"example.com#", "f.txt"},
		{"example", "f.txt"},
		{"10.0.0.1", "f.txt"},
		{"exa_mple.com", "f.txt"},
		{"example.com", "../../internal/admin"},
		{"example.com", "%2e%2e%2finternal"},
		{"example.com", "f.txt?x=1"},
		{"example.com", ".htpasswd"},
		{"example.com", ""},
		{loop, "f.txt/../../admin"},
	} {
		r := CheckFile(context.Background(), rec(c.domain, c.file), s.opts)
		if r.Found || len(r.Answers) != 2 {
			t.Fatalf("%q %q: %+v", c.domain, c.file, r)
		}
		for _, a := range r.Answers {
			if !strings.Contains(a.Err, "not a validation URL") {
				t.Errorf("%q %q: %s answered %+v, want refused", c.domain, c.file, a.Server, a)
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("%d requests reached the site", n)
	}
	// The plain forms are fetched: a DNS name, and loopback on any port.
	for _, domain := range []string{"example.com", loop} {
		if r := CheckFile(context.Background(), rec(domain, "f.txt"), s.opts); !r.Found {
			t.Errorf("%s: %+v", domain, r)
		}
	}
}

func TestCheckFileTooLarge(t *testing.T) {
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "tok-file"+strings.Repeat(" ", 16<<10))
	})
	r := CheckFile(context.Background(), fileRecord, s.opts)
	if r.Found {
		t.Fatalf("found in a body over 16 KB: %+v", r)
	}
	if a := r.Answers[0]; !strings.Contains(a.Err, "refused") || len(a.Values) != 0 {
		t.Fatalf("answer %+v, want refused", a)
	}
}
