package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/watch"
	"github.com/certwiz/certwiz/ui/termtext"
)

// The validation screen and its accessible lines show the watch's verdict
// of each record: found on Tencent's word where no local check could be
// made, as the count and status say; another value; not yet.
func TestScreensShowTheWatchVerdict(t *testing.T) {
	rec := func(name string) api.Record {
		return api.Record{Domain: name, Type: "TXT", Zone: "example.com", Host: "_dnsauth", Name: "_dnsauth." + name, FQDN: "_dnsauth." + name + ".", Value: "v-" + name}
	}
	ns := []dnscheck.ServerAnswer{{Server: "127.0.0.1:53", Authoritative: true, Values: []string{"stale"}}}
	snap := watch.Snapshot{Detail: api.CertificateDetail{Certificate: api.Certificate{CertificateId: "abcb1234", Domain: "www.example.com", StatusMsg: "PENDING-DCV"}},
		NextLocal: time.Now().Add(time.Minute), Records: []watch.RecordState{
			{Record: rec("www.example.com"), Local: dnscheck.Result{Err: "no DNS server"}, Tencent: &api.DomainCheck{LocalCheck: 1}},
			{Record: rec("example.com"), Local: dnscheck.Result{Answers: ns}},
			{Record: rec("api.example.com"), Local: dnscheck.Result{Answers: ns[:0]}},
		}}
	want := []string{"✓ could not check: no DNS server; Tencent's check found it", "≠ 127.0.0.1:53 has another value: stale", "✗ not found yet (0 asked)"}
	s := &session{opts: Options{Now: time.Now}, lang: api.English}
	sc := newValidation(s, "abcb1234")
	sc.take(snap)
	sc.Resize(200, 200)
	view, plain := sc.View(), plainSnapshot(snap, api.English)
	for i, r := range snap.Records {
		if line := termtext.VerdictLine(r.Verdict(), api.English); line != want[i] {
			t.Errorf("record %d: verdict %q, want %q", i+1, line, want[i])
		}
		if !strings.Contains(view, want[i]) || !strings.Contains(plain, want[i]) {
			t.Errorf("record %d: %q not shown", i+1, want[i])
		}
	}
	if t.Failed() {
		t.Fatalf("screen:\n%s\naccessible:\n%s", view, plain)
	}
}
