package api_test

// ApplyCertificate and the renewal fields of a listed certificate, against
// the sandbox over loopback.

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
)

func TestApplyCertificateRenewsAFreeCertificate(t *testing.T) {
	sb, hits, url := startSandbox(t, sandbox.Options{})
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
	req := api.ApplyRequest{DomainName: " Free.Example.com. ", DvAuthMethod: "dns", OldCertificateId: "expfree1",
		CsrKeyPassword: "pw-s3cret-41", ContactEmail: "ops@example.com"}
	id, err := c.ApplyCertificate(t.Context(), req)
	if err != nil || id != "apply001" {
		t.Fatalf("apply: %q %v", id, err)
	}
	apps := sb.Applications()
	if len(apps) != 1 || len(sb.Calls(sandbox.ActionApply)) != 1 || hits.n.Load() != 1 {
		t.Fatalf("%d applications, %d calls, %d requests", len(apps), len(sb.Calls(sandbox.ActionApply)), hits.n.Load())
	}
	// What was sent: normalized, PackageType 83, the password (the sandbox
	// keeps only that there was one), nothing left at its zero value.
	p := apps[0].Params
	want := map[string]any{"DomainName": "free.example.com", "DvAuthMethod": "DNS", "OldCertificateId": "expfree1",
		"PackageType": "83", "CsrKeyPassword": "(hidden)", "ContactEmail": "ops@example.com"}
	if len(p) != len(want) {
		t.Fatalf("sent %v, want %v", p, want)
	}
	for k, v := range want {
		if p[k] != v {
			t.Fatalf("sent %s=%v, want %v (all: %v)", k, p[k], v, p)
		}
	}
	if s := fmt.Sprintf("%v %+v %s", req, req, req.CsrKeyPassword); strings.Contains(s, "pw-s3cret-41") {
		t.Fatalf("the key password prints: %s", s)
	}
	// Again while the first is in flight: the service's refusal, explained
	// for an application.
	_, err = c.ApplyCertificate(t.Context(), req)
	var e *api.Error
	if !errors.As(err, &e) || e.Code != "FailedOperation.InvalidCertificateStatusCode" || e.Action != api.ActionApply ||
		e.RequestId == "" || e.ExitCode() != api.ExitRejected || e.Guide().Title.EN != "Old certificate cannot be renewed now" {
		t.Fatalf("second apply: %v", err)
	}
	if !strings.Contains(e.Hint(api.English), "HasRenewOrder") || e.Hint(api.Chinese) == e.Hint(api.English) {
		t.Fatalf("hint %q", e.Hint(api.English))
	}
	// The old certificate, listed, names its renewal.
	page, err := c.DescribeCertificates(t.Context(), api.CertificateQuery{SearchKey: "expfree1"})
	if err != nil || len(page.Certificates) != 1 || page.Certificates[0].HasRenewOrder != id || page.Certificates[0].RenewAble {
		t.Fatalf("expfree1 listed %+v %v", page, err)
	}
}

func TestApplyCertificateChecksBeforeSending(t *testing.T) {
	_, hits, url := startSandbox(t, sandbox.Options{})
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
	for _, tc := range []struct {
		req   api.ApplyRequest
		param string
		says  string
	}{
		{api.ApplyRequest{DvAuthMethod: api.MethodDNS}, "DomainName", "is missing"},
		{api.ApplyRequest{DomainName: "https://www.example.com", DvAuthMethod: api.MethodDNS}, "DomainName", "has a scheme"},
		{api.ApplyRequest{DomainName: "*.example.com", DvAuthMethod: api.MethodDNS}, "DomainName", "wildcard"},
		{api.ApplyRequest{DomainName: "10.0.0.1", DvAuthMethod: api.MethodDNS}, "DomainName", "IP address"},
		{api.ApplyRequest{DomainName: strings.Repeat("a", 60) + ".example.com", DvAuthMethod: api.MethodDNS}, "DomainName", "at most 64"},
		{api.ApplyRequest{DomainName: "www.example.com"}, "DvAuthMethod", "not a validation method"},
		{api.ApplyRequest{DomainName: "www.example.com", DvAuthMethod: "EMAIL"}, "DvAuthMethod", "DNS_AUTO, DNS, FILE"},
		{api.ApplyRequest{DomainName: "www.example.com", DvAuthMethod: api.MethodDNS, OldCertificateId: "abc 123"}, "OldCertificateId", "space"},
		{api.ApplyRequest{DomainName: "www.example.com", DvAuthMethod: api.MethodFile, DeleteDnsAutoRecord: true}, "DeleteDnsAutoRecord", "DNS_AUTO"},
		{api.ApplyRequest{DomainName: "www.example.com", DvAuthMethod: api.MethodDNS, ContactEmail: "nobody"}, "ContactEmail", ""},
		{api.ApplyRequest{DomainName: "www.example.com", DvAuthMethod: api.MethodDNS, CsrEncryptAlgo: "ecc"}, "CsrKeyParameter", "prime256v1"},
		{api.ApplyRequest{DomainName: "www.example.com", DvAuthMethod: api.MethodDNS, CsrEncryptAlgo: "DSA"}, "CsrEncryptAlgo", "RSA or ECC"},
		{api.ApplyRequest{DomainName: "www.example.com", DvAuthMethod: api.MethodDNS, Alias: "a\x1b[31mb"}, "Alias", "control"},
	} {
		_, err := c.ApplyCertificate(t.Context(), tc.req)
		var ps api.Problems
		if !errors.As(err, &ps) || len(ps.For(tc.param)) == 0 || !strings.Contains(ps.For(tc.param)[0].Message(api.English), tc.says) {
			t.Errorf("%+v: %v, want a problem of %s saying %q", tc.req, err, tc.param, tc.says)
			continue
		}
		if msg := ps.For(tc.param)[0].Message(api.English); !strings.HasPrefix(msg, tc.param+": ") {
			t.Errorf("message %q does not start with the parameter", msg)
		}
	}
	if n := hits.n.Load(); n != 0 {
		t.Fatalf("%d requests sent for refused input", n)
	}
	// An IDN goes as punycode; the refusal of the sandbox (not the old
	// certificate's domain) comes back as the service's.
	_, err := c.ApplyCertificate(t.Context(), api.ApplyRequest{DomainName: "Bücher.example.com", DvAuthMethod: api.MethodDNSAuto, DeleteDnsAutoRecord: true, OldCertificateId: "expfree1"})
	var e *api.Error
	if !errors.As(err, &e) || e.Code != "FailedOperation.InvalidParam" || !strings.Contains(e.Message, "xn--bcher-kva.example.com") {
		t.Fatalf("IDN: %v", err)
	}
	if e.Guide().Title.EN != "The service refused the application" {
		t.Fatalf("guide %+v", e.Guide())
	}
}

// An answer whose CertificateId is missing or not an ID is unreadable,
// and its text is not repeated.
func TestApplyCertificateRefusesABadAnswer(t *testing.T) {
	for _, answer := range []string{
		`{"Response":{"RequestId":"r-1"}}`,
		`{"Response":{"CertificateId":"","RequestId":"r-1"}}`,
		`{"Response":{"CertificateId":null,"RequestId":"r-1"}}`,
		`{"Response":{"CertificateId":"../../etc/evil","RequestId":"r-1"}}`,
		`{"Response":{"CertificateId":"abc\u001b[2Jdef","RequestId":"r-1"}}`,
		`{"Response":{"CertificateId":"` + strings.Repeat("a", 100) + `","RequestId":"r-1"}}`,
		`{"Response":{"CertificateId":12345678,"RequestId":"r-1"}}`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, answer)
		}))
		c := newClient(t, srv.URL, demoCreds(), api.Config{Timeout: 5 * time.Second})
		id, err := c.ApplyCertificate(t.Context(), api.ApplyRequest{DomainName: "www.example.com", DvAuthMethod: api.MethodDNS})
		srv.Close()
		var e *api.Error
		if id != "" || !errors.As(err, &e) || e.Code != api.CodeMalformed || e.Action != api.ActionApply || e.ExitCode() != api.ExitTransport {
			t.Errorf("%s: %q %v", answer, id, err)
			continue
		}
		for _, bit := range []string{"evil", "\x1b", "aaaaaaaaaa", "12345678"} {
			if strings.Contains(e.Error(), bit) {
				t.Errorf("%s: the error repeats the answer: %v", answer, e)
			}
		}
	}
}

// The listed certificates carry what a renewal needs, read from the
// sandbox's dated seeds on its own clock.
func TestCertificateRenewalFields(t *testing.T) {
	sb, _, url := startSandbox(t, sandbox.Options{})
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
	all, _, err := c.ListCertificates(t.Context(), api.CertificateQuery{Statuses: []int{api.StatusIssued}}, 100)
	if err != nil {
		t.Fatal(err)
	}
	now := sb.Started()
	got := map[string]api.Certificate{}
	for _, cert := range all {
		got[cert.CertificateId] = cert
	}
	for id, w := range map[string]struct {
		days                      int
		free, expiring, renewable bool
		renewal                   string
	}{
		"expfree1":  {10, true, true, true, ""},
		"exppaid1":  {20, false, true, false, "renpaid1"},
		"exppaid2":  {25, false, true, true, ""},
		"longlive1": {300, false, false, false, ""},
	} {
		cert := got[id]
		days, ok := cert.DaysLeft(now)
		end, endOK := cert.EndTime()
		if !ok || days != w.days || cert.IsFree() != w.free || cert.IsExpiring != w.expiring || cert.RenewAble != w.renewable ||
			cert.HasRenewOrder != w.renewal || !endOK || end.Location() != api.Beijing || end.Format(api.TimeLayout) != cert.CertEndTime {
			t.Errorf("%s: %d days (%v), %+v; want %+v", id, days, ok, cert, w)
		}
	}
	if got["expfree1"].PackageType != api.PackageFreeDV {
		t.Errorf("expfree1 PackageType %q", got["expfree1"].PackageType)
	}
}

func TestDaysLeftCountsBeijingDays(t *testing.T) {
	cert := api.Certificate{CertEndTime: "2026-12-12 23:59:59"}
	for _, c := range []struct {
		now  time.Time
		want int
	}{
		{time.Date(2026, 12, 2, 0, 0, 0, 0, api.Beijing), 10},
		{time.Date(2026, 12, 2, 23, 59, 0, 0, api.Beijing), 10},
		{time.Date(2026, 12, 1, 16, 30, 0, 0, time.UTC), 10}, // 00:30 on the 2nd in Beijing
		{time.Date(2026, 12, 2, 15, 59, 0, 0, time.UTC), 10}, // 23:59 on the 2nd in Beijing
		{time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC), 9},   // the 3rd in Beijing
		{time.Date(2026, 12, 12, 12, 0, 0, 0, api.Beijing), 0},
		{time.Date(2026, 12, 12, 23, 59, 59, 0, api.Beijing), -1}, // its end
		{time.Date(2026, 12, 14, 8, 0, 0, 0, api.Beijing), -2},
		{time.Date(2027, 12, 12, 0, 0, 0, 0, api.Beijing), -365},
	} {
		if got, ok := cert.DaysLeft(c.now); !ok || got != c.want {
			t.Errorf("at %s: %d (%v), want %d", c.now, got, ok, c.want)
		}
	}
	for _, end := range []string{"", "2026-12-12", "2026-12-12T23:59:59Z", "tomorrow"} {
		if _, ok := (api.Certificate{CertEndTime: end}).DaysLeft(time.Now()); ok {
			t.Errorf("%q read as a time", end)
		}
	}
	for pkg, free := range map[string]bool{"83": true, "2": true, " 83 ": true, "48": false, "": false, "830": false} {
		if (api.Certificate{PackageType: pkg}).IsFree() != free {
			t.Errorf("PackageType %q free: want %v", pkg, free)
		}
	}
}
