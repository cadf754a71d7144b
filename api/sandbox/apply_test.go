package sandbox

// ApplyCertificate and the seeds dated from the sandbox's start, against
// the sandbox over loopback (signed requests, and the api client where it
// reads answers).

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

// applyBody is a renewal of the free certificate behind an apply test ID.
func applyBody(id string) string {
	return fmt.Sprintf(`{"DvAuthMethod":"DNS","DomainName":%q,"OldCertificateId":%q,"PackageType":"83"}`, ApplyDomain(id), id)
}

// beijingDay is a day's date in Beijing time, plus days.
func beijingDay(t time.Time, days int) string {
	y, m, d := t.In(api.Beijing).Date()
	return time.Date(y, m, d+days, 0, 0, 0, 0, api.Beijing).Format("2006-01-02")
}

func TestDatedSeeds(t *testing.T) {
	l := newLifecycle(t, Options{})
	if !l.sb.Started().Equal(l.now) {
		t.Fatalf("Started %s, want the clock at New %s", l.sb.Started(), l.now)
	}
	_, page := l.describe(`{"CertIds":["expfree1","exppaid1","exppaid2","longlive1","renpaid1"],"ExpirationSort":"ASC"}`)
	if got := ids(page); !slices.Equal(got, []string{"expfree1", "exppaid1", "exppaid2", "longlive1", "renpaid1"}) {
		t.Fatalf("by end date %v", got)
	}
	want := map[string]struct {
		days, valid                 int
		expiring, renewable         bool
		renewal, pkg, first, second string
	}{
		"expfree1":  {10, 90, true, true, "", "83", "free.example.com", ""},
		"exppaid1":  {20, 365, true, false, "renpaid1", "11", "shop.example.com", "www.shop.example.com"},
		"exppaid2":  {25, 365, true, true, "", "48", "pay.example.com", ""},
		"longlive1": {300, 365, false, false, "", "12", "*.example.com", "example.com"},
	}
	for _, c := range page {
		id := c["CertificateId"].(string)
		w, ok := want[id]
		if !ok {
			if id != "renpaid1" || c["Status"] != 5.0 || c["HasRenewOrder"] != nil || c["RenewAble"] != false || c["CertEndTime"] != nil || c["IsDv"] != true {
				t.Errorf("renpaid1 = %v", c)
			}
			continue
		}
		end, begin := beijingDay(l.now, w.days)+" 23:59:59", beijingDay(l.now, w.days-w.valid+1)+" 00:00:00"
		sans, _ := c["SubjectAltName"].([]any)
		if c["Status"] != 1.0 || c["CertEndTime"] != end || c["CertBeginTime"] != begin || c["IsExpiring"] != w.expiring ||
			c["RenewAble"] != w.renewable || c["PackageType"] != w.pkg || c["AllowDownload"] != true || c["Domain"] != w.first || len(sans) == 0 || sans[0] != w.first {
			t.Errorf("%s = %v; want ends %s, begins %s, %+v", id, c, end, begin, w)
		}
		if w.renewal == "" && c["HasRenewOrder"] != nil || w.renewal != "" && c["HasRenewOrder"] != w.renewal {
			t.Errorf("%s HasRenewOrder %v, want %q", id, c["HasRenewOrder"], w.renewal)
		}
		if w.second != "" && (len(sans) != 2 || sans[1] != w.second) {
			t.Errorf("%s names %v", id, sans)
		}
	}
	// The Renew filter: those that may be renewed now.
	_, page = l.describe(`{"Renew":1,"CertIds":["expfree1","exppaid1","exppaid2","longlive1"]}`)
	if got := ids(page); !slices.Equal(got, []string{"expfree1", "exppaid2"}) {
		t.Errorf("Renew:1 listed %v", got)
	}
	// The detail has RenewAble, and no HasRenewOrder (as in the SDK).
	d := l.ok(ActionDetail, `{"CertificateId":"exppaid1"}`)
	if _, ok := d["HasRenewOrder"]; ok || d["RenewAble"] != false {
		t.Errorf("detail %v", d)
	}
}

// Issued seeds download as Tencent lays them out, for their names, with
// Tencent's key — but exppaid1, whose key the user made: the sandbox keeps
// it, and it is the leaf's.
func TestDatedSeedsDownload(t *testing.T) {
	r := start(t, Options{})
	for _, c := range []struct {
		id, folder string
		names      []string
		key        bool
	}{
		{"expfree1", "free.example.com", []string{"free.example.com"}, true},
		{"exppaid1", "shop.example.com", []string{"shop.example.com", "www.shop.example.com"}, false},
		{"exppaid2", "pay.example.com", []string{"pay.example.com"}, true},
		{"longlive1", "_.example.com", []string{"*.example.com", "example.com"}, true},
	} {
		files := r.download(c.id)
		bundle := files[c.folder+"_nginx/"+c.folder+"_bundle.crt"]
		if got := sans(t, bundle); !slices.Equal(got, c.names) {
			t.Errorf("%s: SANs %v, want %v", c.id, got, c.names)
		}
		st, _ := r.sb.Certificate(c.id)
		leaf := parseLeaf(t, bundle)
		if got := leaf.NotAfter.In(api.Beijing).Format(api.TimeLayout); got != st.CertEndTime {
			t.Errorf("%s: leaf ends %s, CertEndTime %s", c.id, got, st.CertEndTime)
		}
		key, hasKey := files[c.folder+"_nginx/"+c.folder+".key"]
		if hasKey != c.key {
			t.Errorf("%s: key in the archive %v, want %v", c.id, hasKey, c.key)
		}
		if hasKey && openssl(t, key, "pkey", "-pubout") != openssl(t, bundle, "x509", "-noout", "-pubkey") {
			t.Errorf("%s: the archive's key is not the leaf's", c.id)
		}
	}
	key, ok := r.sb.UserKey("exppaid1")
	if !ok || openssl(t, key, "pkey", "-pubout") != openssl(t, r.download("exppaid1")["shop.example.com_nginx/shop.example.com_bundle.crt"], "x509", "-noout", "-pubkey") {
		t.Fatal("the user's key of exppaid1 is not its leaf's")
	}
	if _, ok := r.sb.UserKey("expfree1"); ok {
		t.Fatal("expfree1's key is Tencent's, not the user's")
	}
	// The user's CSR is what was submitted; the detail has no key.
	d, err := r.client.DescribeCertificateDetail(t.Context(), "exppaid1")
	if err != nil || d.Submitted == nil || d.Submitted.CsrType != "parse" || !strings.Contains(d.Submitted.CsrContent, "CERTIFICATE REQUEST") || !d.PrivateKey.Empty() {
		t.Fatalf("exppaid1 detail %+v %v", d, err)
	}
}

func parseLeaf(t *testing.T, bundle []byte) *x509.Certificate {
	t.Helper()
	b, _ := pem.Decode(bundle)
	if b == nil {
		t.Fatal("no PEM in the bundle")
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A renewal of expfree1 by DNS: a free DV certificate awaiting validation
// with its record, issued once the record is found and the CA asked; the
// old certificate names it in HasRenewOrder, and a second application is
// refused while it is in flight and after.
func TestApplyRenewsThroughValidation(t *testing.T) {
	const issue = 300 * time.Millisecond
	var clock fakeClock
	clock.set(time.Now())
	r := start(t, Options{PublishDelay: -1, IssueDelay: issue, FrequentWindow: -1, Now: clock.now})
	body := `{"DvAuthMethod":"DNS","DomainName":"free.example.com","OldCertificateId":"expfree1","PackageType":"83","CsrKeyPassword":"pw-s3cret-77","Alias":"renewal"}`
	a := r.ok(ActionApply, body)
	id, _ := a["CertificateId"].(string)
	if id != "apply001" || a["RequestId"] == "" {
		t.Fatalf("apply %v", a)
	}
	if n := len(r.sb.Calls(ActionApply)); n != 1 {
		t.Fatalf("%d ApplyCertificate calls recorded", n)
	}
	apps := r.sb.Applications()
	if len(apps) != 1 || apps[0].CertificateId != id || apps[0].Params["CsrKeyPassword"] != "(hidden)" || apps[0].Params["OldCertificateId"] != "expfree1" {
		t.Fatalf("applications %+v", apps)
	}
	old, _ := r.sb.Certificate("expfree1")
	if old.HasRenewOrder != id || old.Status != 1 {
		t.Fatalf("expfree1 after the renewal: %+v", old)
	}
	d, err := r.client.DescribeCertificateDetail(t.Context(), id)
	if err != nil || d.Status != api.StatusReviewing || d.StatusMsg != "PENDING-DCV" || d.PackageType != "83" || !d.IsFree() ||
		d.Domain != "free.example.com" || d.VerifyType != "DNS" || d.OrderId == "" || d.DVAuthDeadline == "" || d.Alias != "renewal" {
		t.Fatalf("new certificate %+v %v", d, err)
	}
	if recs := d.Records(); len(recs) != 1 || recs[0].Type != "TXT" || recs[0].Name != "_dnsauth.free.example.com" {
		t.Fatalf("records %+v", recs)
	}
	// Again while it is in flight: refused, naming the renewal.
	if rr := r.call(ActionApply, body); rr.code() != "FailedOperation.InvalidCertificateStatusCode" || !strings.Contains(rr.message(), id) {
		t.Fatalf("second apply: %q %q", rr.code(), rr.message())
	}
	if _, err := r.client.CompleteCertificate(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	clock.advance(issue)
	d, err = r.client.DescribeCertificateDetail(t.Context(), id)
	if err != nil || d.Status != api.StatusIssued || d.PrivateKey.Empty() {
		t.Fatalf("not issued after the delay: %+v %v", d, err)
	}
	begin, _ := api.ParseTime(d.CertBeginTime)
	end, _ := api.ParseTime(d.CertEndTime)
	if end.Sub(begin) != 90*24*time.Hour-time.Second {
		t.Fatalf("valid %s to %s: want 3 months (90 days)", d.CertBeginTime, d.CertEndTime)
	}
	files := r.download(id)
	if got := sans(t, files["free.example.com_nginx/free.example.com_bundle.crt"]); !slices.Equal(got, []string{"free.example.com"}) {
		t.Fatalf("SANs %v", got)
	}
	if _, ok := files["free.example.com_nginx/free.example.com.key"]; !ok {
		t.Fatal("no key in the free certificate's archive")
	}
	// Renewed: refused again, and the password never reached the log.
	if rr := r.call(ActionApply, body); rr.code() != "FailedOperation.InvalidCertificateStatusCode" {
		t.Fatalf("apply after the renewal was issued: %q", rr.code())
	}
	if strings.Contains(r.log.String(), "pw-s3cret-77") {
		t.Fatal("the key password reached the log")
	}
	_, page := r.describe(`{"CertIds":["expfree1"]}`)
	if page[0]["HasRenewOrder"] != id || page[0]["RenewAble"] != false {
		t.Fatalf("expfree1 listed %v", page[0])
	}
}

// DNS_AUTO: Tencent adds the record and the CA issues after the delay,
// with no check, completion or record from the user.
func TestApplyDNSAutoIssuesByItself(t *testing.T) {
	const issue = 200 * time.Millisecond
	var clock fakeClock
	clock.set(time.Now())
	r := start(t, Options{NoPublish: true, IssueDelay: issue, Now: clock.now})
	a := r.ok(ActionApply, `{"DvAuthMethod":"DNS_AUTO","DomainName":"new.example.com","DeleteDnsAutoRecord":true,"CsrEncryptAlgo":"ECC","CsrKeyParameter":"prime256v1"}`)
	id := a["CertificateId"].(string)
	if st, _ := r.sb.Certificate(id); st.Status != 4 || st.VerifyType != "DNS_AUTO" {
		t.Fatalf("after apply %+v", st)
	}
	clock.advance(issue)
	st, _ := r.sb.Certificate(id)
	if st.Status != 1 || r.sb.Completions(id) != 0 {
		t.Fatalf("not issued by itself: %+v", st)
	}
	key := r.download(id)["new.example.com_nginx/new.example.com.key"]
	if out := openssl(t, key, "pkey", "-noout", "-text"); !strings.Contains(out, "prime256v1") && !strings.Contains(out, "P-256") {
		t.Fatalf("ECC asked for, key %s", out)
	}
}

func TestApplyRefusals(t *testing.T) {
	l := newLifecycle(t, Options{})
	for _, c := range []struct{ body, code, says string }{
		{`{"DomainName":"a.example.com"}`, "MissingParameter", "DvAuthMethod"},
		{`{"DvAuthMethod":"DNS"}`, "MissingParameter", "DomainName"},
		{`{"DvAuthMethod":"EMAIL","DomainName":"a.example.com"}`, "InvalidParameterValue", "DvAuthMethod"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","DeleteDnsAutoRecord":"yes"}`, "InvalidParameter", "DeleteDnsAutoRecord"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","DnsNames":"b.example.com"}`, "InvalidParameter", "DnsNames"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","IsDV":true}`, "UnknownParameter", "IsDV"},
		{`{"DvAuthMethod":"DNS","DomainName":"` + strings.Repeat("a", 60) + `.example.com"}`, "InvalidParameterValue.CertificateDomainMaxLengthInvalid", "64"},
		{`{"DvAuthMethod":"DNS","DomainName":"*.example.com"}`, "FailedOperation.InvalidParam", "wildcard"},
		{`{"DvAuthMethod":"DNS","DomainName":"https://a.example.com"}`, "FailedOperation.InvalidParam", "not a valid domain"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","PackageType":"2"}`, "FailedOperation.InvalidParam", "PackageType"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","ValidityPeriod":"12"}`, "FailedOperation.InvalidParam", "ValidityPeriod"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","CsrEncryptAlgo":"ECC"}`, "FailedOperation.InvalidParam", "prime256v1"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","CsrKeyParameter":"4096"}`, "FailedOperation.InvalidParam", "2048"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","DeleteDnsAutoRecord":true}`, "FailedOperation.InvalidParam", "DNS_AUTO"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","DnsNames":["b.example.com"]}`, "FailedOperation.InvalidParam", "DnsNames"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","PackageId":"p-1"}`, "InvalidParameter.PackageIdsInvalid", "package"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","ContactEmail":"not-an-address"}`, "InvalidParameterValue.CertificateEmailParseInvalid", "e-mail"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","OldCertificateId":"nosuch01"}`, "FailedOperation.CertificateNotFound", "nosuch01"},
		{`{"DvAuthMethod":"DNS","DomainName":"bank.example.com","OldCertificateId":"review01"}`, "FailedOperation.InvalidCertificateStatusCode", "status 0"},
		{`{"DvAuthMethod":"DNS","DomainName":"example.com","OldCertificateId":"longlive1"}`, "FailedOperation.InvalidParam", "paid"},
		{`{"DvAuthMethod":"DNS","DomainName":"pay.example.com","OldCertificateId":"exppaid2"}`, "FailedOperation.InvalidParam", "paid"},
		{`{"DvAuthMethod":"DNS","DomainName":"www.free.example.com","OldCertificateId":"expfree1"}`, "FailedOperation.InvalidParam", "differs"},
		{`{"DvAuthMethod":"DNS","DomainName":"a.example.com","OldCertificateId":"testApplyExceedsFreeLimit"}`, "FailedOperation.ExceedsFreeLimit", "limit"},
	} {
		r := l.call(ActionApply, c.body)
		if r.code() != c.code || !strings.Contains(r.message(), c.says) {
			t.Errorf("%s: %q %q, want %s naming %q", c.body, r.code(), r.message(), c.code, c.says)
		}
	}
	if n := len(l.sb.Applications()); n != 0 {
		t.Fatalf("%d applications accepted", n)
	}
	if st, _ := l.sb.Certificate("expfree1"); st.HasRenewOrder != "" {
		t.Fatalf("a refusal renewed expfree1: %+v", st)
	}
}

// Renewals only in the last 30 days, before the end. The sandbox starts
// as if it were another day (expfree1 ends 10 days after the start), then
// its clock is the real one, which signatures need.
func TestApplyRenewalWindow(t *testing.T) {
	free := `{"DvAuthMethod":"FILE","DomainName":"free.example.com","OldCertificateId":"expfree1"}`
	for _, c := range []struct {
		shift      time.Duration // the start from now
		code, says string
	}{
		{21 * 24 * time.Hour, "FailedOperation.InvalidCertificateStatusCode", "last 30 days"}, // 31 days left
		{-11 * 24 * time.Hour, "FailedOperation.InvalidCertificateStatusCode", "expired"},     // ended yesterday
		{-9 * 24 * time.Hour, "", ""}, // one day left
	} {
		var clock fakeClock
		clock.set(time.Now().Add(c.shift))
		l := newLifecycle(t, Options{Now: clock.now})
		clock.set(time.Now())
		r := l.call(ActionApply, free)
		if r.code() != c.code || !strings.Contains(r.message(), c.says) {
			t.Errorf("started %s from now: %q %q, want %q naming %q", c.shift, r.code(), r.message(), c.code, c.says)
		}
		if c.code == "" && r.resp["CertificateId"] != "apply001" {
			t.Errorf("started %s from now: %v", c.shift, r.resp)
		}
	}
}

func TestApplyFreeLimit(t *testing.T) {
	l := newLifecycle(t, Options{FreeLimit: 2})
	for i, d := range []string{"a.example.com", "b.example.com", "c.example.com"} {
		r := l.call(ActionApply, fmt.Sprintf(`{"DvAuthMethod":"FILE","DomainName":%q}`, d))
		if i < 2 && r.code() != "" || i == 2 && r.code() != "FailedOperation.ExceedsFreeLimit" {
			t.Fatalf("application %d: %q", i+1, r.code())
		}
	}
	if n := len(l.sb.Calls(ActionApply)); n != 3 {
		t.Fatalf("%d calls recorded", n)
	}
}
