package watch_test

import (
	"slices"
	"testing"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/watch"
)

// One verdict per record, from the local check and Tencent's answer; a
// snapshot counts what the verdicts find.
func TestVerdict(t *testing.T) {
	txt := api.Record{Type: "TXT", Value: "tok"}
	cname := api.Record{Type: "CNAME", Value: "Target.Example.com."}
	file := api.Record{Type: "FILE", Value: "tok-file"}
	auth := func(name string, vals ...string) dnscheck.ServerAnswer {
		return dnscheck.ServerAnswer{Server: name + ":53", Name: name, Authoritative: true, Values: vals}
	}
	resolver := dnscheck.ServerAnswer{Server: "127.0.0.1:53", Values: []string{"stale"}}
	passed := &api.DomainCheck{LocalCheck: 1}
	notYet := &api.DomainCheck{LocalCheck: -1}
	for _, c := range []struct {
		name   string
		r      watch.RecordState
		want   watch.Outcome
		reason string
	}{
		{"every server has it", watch.RecordState{Record: txt, Local: dnscheck.Result{Found: true,
			Answers: []dnscheck.ServerAnswer{auth("ns1", "tok"), auth("ns2", "other", "tok"), resolver}}},
			watch.Found, "found at ns1, ns2"},
		{"a CNAME in another case", watch.RecordState{Record: cname, Local: dnscheck.Result{Found: true,
			Answers: []dnscheck.ServerAnswer{auth("ns1", "target.example.com")}}},
			watch.Found, "found at ns1"},
		{"the URL that serves it", watch.RecordState{Record: file, Local: dnscheck.Result{Found: true, Answers: []dnscheck.ServerAnswer{
			{Server: "http://x/f", Status: 200, Values: []string{"tok-file"}}, {Server: "https://x/f", Status: 200, Values: []string{"a page"}}}}},
			watch.Found, "found at http://x/f"},
		{"no check, Tencent found it", watch.RecordState{Record: txt, Local: dnscheck.Result{Err: "no DNS server"}, Tencent: passed},
			watch.Found, "could not check: no DNS server; Tencent's check found it"},
		{"no check, Tencent not yet", watch.RecordState{Record: txt, Local: dnscheck.Result{Err: "no DNS server"}, Tencent: notYet},
			watch.Other, "could not check: no DNS server"},
		{"another value", watch.RecordState{Record: txt, Local: dnscheck.Result{
			Answers: []dnscheck.ServerAnswer{auth("ns1", "tok"), auth("ns2", "old")}}},
			watch.Other, "ns2 has another value: old"},
		{"one server has it, one not yet", watch.RecordState{Record: txt, Local: dnscheck.Result{
			Answers: []dnscheck.ServerAnswer{auth("ns1", "tok"), auth("ns2")}}, Tencent: passed},
			watch.NotFound, "not found yet (2 asked)"},
		{"not made", watch.RecordState{Record: txt}, watch.NotFound, "not found yet (0 asked)"},
		// A walk: FILE under an endpoint on this machine, every fetch refused
		// (loopback only) — no check was made, Tencent's finding stands in.
		{"no URL reachable, Tencent found it", watch.RecordState{Record: file, Local: dnscheck.Result{Answers: []dnscheck.ServerAnswer{
			{Server: "http://x/f", Err: "loopback only"}, {Server: "https://x/f", Err: "loopback only"}}}, Tencent: passed},
			watch.Found, "could not check: loopback only; Tencent's check found it"},
		{"no URL reachable, Tencent not yet", watch.RecordState{Record: file, Local: dnscheck.Result{Answers: []dnscheck.ServerAnswer{
			{Server: "http://x/f", Err: "loopback only"}}}, Tencent: notYet},
			watch.Other, "could not check: loopback only"},
	} {
		v := c.r.Verdict()
		if v.Outcome != c.want || v.Reason().EN != c.reason || v.Reason().ZH == "" {
			t.Errorf("%s: %v %q, want %v %q", c.name, v.Outcome, v.Reason().EN, c.want, c.reason)
		}
		s := watch.Snapshot{Records: []watch.RecordState{c.r}}
		if (s.Found() == 1) != (c.want == watch.Found) {
			t.Errorf("%s: the snapshot counts %d found, the verdict says %v", c.name, s.Found(), v.Outcome)
		}
	}
	// Each server's answer is judged by the rule the local check counts.
	r := watch.RecordState{Record: file}
	got := []bool{r.Holds(dnscheck.ServerAnswer{Status: 200, Values: []string{"tok-file"}}),
		r.Holds(dnscheck.ServerAnswer{Status: 404, Values: []string{"tok-file"}}),
		r.Holds(dnscheck.ServerAnswer{Status: 200, Values: []string{"tok-file"}, Err: "redirect refused"})}
	if !slices.Equal(got, []bool{true, false, false}) {
		t.Errorf("FILE answers held: %v", got)
	}
}
