package cli

// Issue 17, item 20: `status`'s report and its log lines, whatever the
// answer holds, never panic and never print a byte that acts on the
// terminal. Run: go test ./ui/cli -run '^$' -fuzz FuzzStatusReport

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/watch"
	"github.com/certwiz/certwiz/ui/safe"
)

func FuzzStatusReport(f *testing.F) {
	f.Add("www.example.com", "example.com", "_dnsauth.www", "v1", "2026-12-01 10:00:00", "", 0, true)
	f.Add("*.example.com", "example.com", "_dnsauth", "v2", " ", "PENDING-DCV", 5, false)
	f.Add("www"+evilText, evilText, "\t", evilText, "\r\u00852020-01-01 00:00:00", evilText, 1, true)
	f.Add("\xff", "\u202e", "\u2028", "@", "\xc3", "\x00", 2, false)
	f.Fuzz(func(t *testing.T, domain, zone, host, value, date, msg string, status int, failed bool) {
		status %= 32 // known statuses and unknown ones; the numbers themselves are api's fuzz
		d := api.CertificateDetail{Certificate: api.Certificate{CertificateId: "abcb1234", Domain: domain, Status: status, StatusMsg: msg,
			VerifyType: msg, DVAuthDeadline: date, CertBeginTime: date, CertEndTime: date, SubjectAltName: []string{"*." + zone, "www." + domain}}, OrderId: msg}
		s := watch.Snapshot{Detail: d, Issued: status == api.StatusIssued, Failed: failed, Why: api.Text{EN: date, ZH: date}}
		local := dnscheck.Result{Err: msg, Answers: []dnscheck.ServerAnswer{{Server: zone, Name: host, Values: []string{value, msg}, Err: msg}}}
		for _, typ := range []string{"TXT", "FILE", msg} {
			s.Records = append(s.Records, watch.RecordState{
				Record:  api.Record{Domain: domain, Type: typ, Zone: zone, Host: host, Name: host + "." + zone, FQDN: host + ".", Value: value, Path: "/" + host, URLs: []string{zone, host}},
				Local:   local,
				Tencent: &api.DomainCheck{Domain: domain, Reason: msg, Found: []string{value}, LocalCheck: status, CaCheck: status}})
		}
		for _, lang := range []string{api.English, api.Chinese} {
			o := &StatusOptions{Globals: &Globals{IO: IO{Out: io.Discard, tty: true, cols: 80}, Language: lang}}
			var b strings.Builder
			o.report(&b, s, time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC))
			for _, l := range append(strings.Split(b.String(), "\n"), o.changeLine(s)) {
				if !safe.Clean(l) {
					t.Fatalf("a line acts on the terminal: %q", l)
				}
			}
		}
	})
}
