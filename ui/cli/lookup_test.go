package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
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
