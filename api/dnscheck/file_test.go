package dnscheck

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
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
	to := map[string]string{
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
			a, ok := to[addr]
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
		switch r.URL.Path {
		case filePath:
			http.Redirect(w, r, "http://other.example"+filePath, http.StatusFound)
		case "/same":
			http.Redirect(w, r, "/ok", http.StatusFound)
		case "/ok":
			fmt.Fprint(w, "x")
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		}
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
	// On the same host a redirect is followed, a few times only.
	same := CheckFile(context.Background(), api.Record{Type: "FILE", Value: "x",
		URLs: []string{"http://example.com/same", "http://example.com/loop"}}, s.opts)
	if a := same.Answers[0]; !same.Found || a.Err != "" || len(a.Values) != 1 || a.Values[0] != "x" {
		t.Fatalf("same-host redirect: %+v", a)
	}
	if a := same.Answers[1]; !strings.Contains(a.Err, "redirects") {
		t.Fatalf("redirect loop: %+v, want it stopped", a)
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
