package cli

import (
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/watch"
	"github.com/certwiz/certwiz/ui/termtext"
)

// verdictSnapshot holds a record of each verdict: found on Tencent's word
// (no local check could be made), another value, not found yet.
func verdictSnapshot() watch.Snapshot {
	d := api.CertificateDetail{Certificate: api.Certificate{CertificateId: "abcb1234", Domain: "www.example.com", Status: api.StatusReviewing, StatusMsg: "PENDING-DCV", VerifyType: "DNS"}}
	rec := func(name, value string) api.Record {
		return api.Record{Domain: name, Type: "TXT", Zone: "example.com", Host: "_dnsauth", Name: "_dnsauth." + name, FQDN: "_dnsauth." + name + ".", Value: value}
	}
	ns := func(vals ...string) []dnscheck.ServerAnswer {
		return []dnscheck.ServerAnswer{{Server: "127.0.0.1:53", Name: "ns1.example.com", Authoritative: true, Values: vals}}
	}
	return watch.Snapshot{Detail: d, Records: []watch.RecordState{
		{Record: rec("www.example.com", "v1"), Local: dnscheck.Result{Err: "the endpoint is on this machine"}, Tencent: &api.DomainCheck{LocalCheck: 1}},
		{Record: rec("example.com", "v2"), Local: dnscheck.Result{Answers: ns("stale")}, Tencent: &api.DomainCheck{LocalCheck: 1}},
		{Record: rec("api.example.com", "v3"), Local: dnscheck.Result{Answers: ns()}},
	}}
}

// status, text and JSON, shows each record's verdict and counts what the
// verdicts find — the verdict the wizard shows (termtext.VerdictLine).
func TestStatusShowsTheWatchVerdict(t *testing.T) {
	s := verdictSnapshot()
	o := &StatusOptions{Globals: &Globals{IO: IO{Out: io.Discard}, Language: api.English}}
	var b strings.Builder
	o.report(&b, s, time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC))
	for _, want := range []string{
		"(1 of 3 found so far)",
		"Verdict:              ✓ could not check: the endpoint is on this machine; Tencent's check found it",
		"Verdict:              ≠ ns1.example.com has another value: stale",
		"Verdict:              ✗ not found yet (1 asked)",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("lacks %q", want)
		}
	}
	for _, r := range s.Records {
		if !strings.Contains(b.String(), "Verdict:              "+termtext.VerdictLine(r.Verdict(), api.English)+"\n") {
			t.Errorf("the wizard's verdict %q is not status's", termtext.VerdictLine(r.Verdict(), api.English))
		}
	}
	if t.Failed() {
		t.Fatalf("report:\n%s", b.String())
	}
	var found []bool
	for _, r := range statusJSON(s, api.English).Records {
		found = append(found, r.Local.Found)
	}
	if !slices.Equal(found, []bool{true, false, false}) {
		t.Fatalf("JSON Found %v", found)
	}
}

// Tencent's answer older than this round's local check says so first.
func TestStatusSaysTencentsAnswerIsOlder(t *testing.T) {
	s := verdictSnapshot()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	s.TencentAt = now.Add(-2 * time.Minute)
	o := &StatusOptions{Globals: &Globals{IO: IO{Out: io.Discard}, Language: api.English}}
	var b strings.Builder
	o.report(&b, s, now)
	if !strings.Contains(b.String(), "Tencent's check:      older, asked 2m0s ago, before the local check: found and matching") {
		t.Fatalf("report:\n%s", b.String())
	}
}

// An issued round makes no local check: --json leaves Local out rather
// than saying every record was not found.
func TestStatusJSONLeavesLocalOutWhenNoCheckWasMade(t *testing.T) {
	s := verdictSnapshot()
	s.Issued = true
	for i := range s.Records {
		s.Records[i].Local = dnscheck.Result{}
	}
	data, err := json.Marshal(statusJSON(s, api.English))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), `"Local"`) || !strings.Contains(string(data), `"Issued":true`) {
		t.Fatalf("%s", data)
	}
}
