package api_test

// Issue 17, item 20: every action's answer, as anything an endpoint may
// send. Nothing panics, every failure is a typed *api.Error, a success is
// about the certificate asked for, and no error (nor the printed or
// marshalled result) carries a secret the answer held in its secret field.

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

// The secrets the seeds carry: the key Tencent made, the key password
// SubmittedData repeats, and (for a download) the archive's content.
const (
	fuzzKey      = "MIIfuzzPRIVATEkeyMATERIAL"
	fuzzPassword = "hunter2fuzzPASSWORD"
)

var fuzzArchive = base64.StdEncoding.EncodeToString([]byte("PK\x03\x04 " + fuzzKey))

// fuzzClient answers every request with 200 and body, without a socket.
func fuzzClient(t *testing.T, body string, requests *int) *api.Client {
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		*requests++
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})
	c, err := api.NewClient(demoCreds(), api.Config{Endpoint: "http://127.0.0.1:9", Timeout: 2 * time.Second, Transport: rt, MaxRetries: -1, Rate: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// onlyIn reports whether every occurrence of secret in body lies in the
// string value of field (so that it can reach no other field): only then
// may the checks below expect to see it nowhere.
func onlyIn(body, field, secret string) bool {
	rest := body
	for {
		i := strings.Index(rest, secret)
		if i < 0 {
			return true
		}
		open := `"` + field + `":"`
		j := strings.LastIndex(rest[:i], open)
		if j < 0 || strings.ContainsAny(rest[j+len(open):i], `"\`) {
			return false
		}
		rest = rest[i+len(secret):]
	}
}

// noSecret fails when out shows a secret the body kept in its field.
func noSecret(t *testing.T, body, what, out string) {
	t.Helper()
	for _, s := range []struct{ field, secret string }{{"CertificatePrivateKey", fuzzKey}, {"KeyPassword", fuzzPassword}, {"Content", fuzzArchive}} {
		if onlyIn(body, s.field, s.secret) && strings.Contains(out, s.secret) {
			t.Fatalf("%s shows the %s:\n%s", what, s.field, out)
		}
	}
}

// failed checks a failure: typed, and without the answer's secrets.
func failed(t *testing.T, body string, err error) {
	t.Helper()
	var e *api.Error
	if !errors.As(err, &e) {
		t.Fatalf("untyped error %v", err)
	}
	noSecret(t, body, "the error", fmt.Sprintf("%v %+v %#v %s", err, err, e, e.Hint(api.English)))
}

// The hostile cases of issue 17, as seeds for every action.
func hostileSeeds(f *testing.F, fields ...string) {
	secrets := `"CertificatePrivateKey":"-----BEGIN PRIVATE KEY-----\n` + fuzzKey + `\n-----END PRIVATE KEY-----\n","SubmittedData":{"KeyPassword":"` + fuzzPassword + `","CsrType":"online"}`
	for _, extra := range append([]string{
		`"Status":-9223372036854775808`,
		`"Status":9223372036854775807,"StatusMsg":"PENDING-DCV"`,
		`"Status":1e400`,
		`"CertificateId":"other999"`,
		`"CertificateId":"abcb1234"`,
		`"CertificateId":7`,
		`"IsDv":"true"`,
		`"DVAuthDeadline":" ","InsertTime":"\t","CertEndTime":"\n","Status":0,"StatusMsg":"PENDING-DCV"`,
		`"DvAuthDetail":{"DvAuths":[{"DvAuthKey":7}]}`,
		`"DvAuthDetail":{"DvAuthKey":"_dnsauth","DvAuthValue":"\u001b]0;x\u0007","DvAuthDomain":"../../etc","DvAuthVerifyType":"FILE"}`,
		`"Error":{}`,
		`"Error":{"Code":"FailedOperation.CertificateNotFound","Message":"no"}`,
	}, fields...) {
		f.Add(`{"Response":{` + secrets + `,` + extra + `,"RequestId":"r1"}}`)
		f.Add(`{"Response":{` + extra + `,` + secrets + `}}`) // no RequestId
	}
	f.Add(`{"Response":null}`)
	f.Add(`null`)
	f.Add("-----BEGIN PRIVATE KEY-----\n" + fuzzKey)
}

func FuzzDetailAnswer(f *testing.F) {
	hostileSeeds(f, `"SubjectAltName":"www.example.com"`)
	f.Fuzz(func(t *testing.T, body string) {
		var n int
		d, err := fuzzClient(t, body, &n).DescribeCertificateDetail(t.Context(), "abcb1234")
		if err != nil {
			failed(t, body, err)
			return
		}
		if d.CertificateId != "abcb1234" || d.RequestId == "" {
			t.Fatalf("a success about %q, RequestId %q", d.CertificateId, d.RequestId)
		}
		what, date := d.KeyDate()
		out := fmt.Sprintf("%v %+v %#v %s %s %s %s %v %v", d, d, d, d.Words(api.English), d.Words(api.Chinese), what.EN, date, d.Names(), d.Records())
		if b, err := json.Marshal(d); err == nil {
			out += string(b)
		}
		noSecret(t, body, "the detail", out)
	})
}

func FuzzCertificatesAnswer(f *testing.F) {
	for _, seed := range []string{
		`{"Response":{"TotalCount":9223372036854775807,"Certificates":[{"CertificateId":"a","Status":-9223372036854775808},{"CertificateId":"b","InsertTime":"\t","DVAuthDeadline":" "}],"RequestId":"r"}}`,
		`{"Response":{"TotalCount":-1,"Certificates":[{"CertificateId":"a"},{"CertificateId":"a"}],"RequestId":"r"}}`,
		`{"Response":{"TotalCount":3,"Certificates":[{"CertificateId":"a","IsDv":"true","CertificatePrivateKey":"` + fuzzKey + `"}],"RequestId":"r"}}`,
		`{"Response":{"TotalCount":"3","Certificates":null,"RequestId":"r"}}`,
		`{"Response":{"TotalCount":1,"Certificates":{},"RequestId":"r"}}`,
	} {
		f.Add(seed)
	}
	hostileSeeds(f, `"TotalCount":1e400`)
	f.Fuzz(func(t *testing.T, body string) {
		var n int
		// Every page is the same answer: the walk stops at the first
		// short page or the second, which repeats the first.
		all, _, err := fuzzClient(t, body, &n).ListCertificates(t.Context(), api.CertificateQuery{}, 2)
		if n > 2 {
			t.Fatalf("%d pages of one answer", n)
		}
		if err != nil {
			failed(t, body, err)
		}
		seen := map[string]bool{}
		for _, c := range all {
			if seen[c.CertificateId] {
				t.Fatalf("%q listed twice", c.CertificateId)
			}
			seen[c.CertificateId] = true
			what, date := c.KeyDate()
			noSecret(t, body, "a certificate", fmt.Sprintf("%+v %s %s %s %s %v", c, c.Words(api.English), c.Words(api.Chinese), what.ZH, date, c.Names()))
		}
	})
}

func FuzzCheckAnswer(f *testing.F) {
	for _, seed := range []string{
		`{"Response":{"VerificationResults":[{"Domain":"www.example.com","LocalCheck":-9223372036854775808,"CaCheck":9223372036854775807,"Issued":true,"Frequently":"yes"}],"RequestId":"r"}}`,
		`{"Response":{"VerificationResults":[{"Domain":" ","CheckValue":"x","LocalCheck":1}],"CertificatePrivateKey":"` + fuzzKey + `","RequestId":"r"}}`,
		`{"Response":{"VerificationResults":null,"RequestId":"r"}}`,
	} {
		f.Add(seed)
	}
	hostileSeeds(f, `"VerificationResults":[{"LocalCheck":"1"}]`)
	f.Fuzz(func(t *testing.T, body string) {
		var n int
		checks, id, err := fuzzClient(t, body, &n).CheckDomainVerification(t.Context(), "abcb1234")
		if err != nil {
			failed(t, body, err)
			return
		}
		if id == "" {
			t.Fatal("a success without a RequestId")
		}
		for _, c := range checks {
			noSecret(t, body, "a check", fmt.Sprintf("%+v %s %s", c, api.LocalCheckText(c.LocalCheck).EN, api.LocalCheckText(c.CaCheck).ZH))
		}
	})
}

func FuzzDownloadAnswer(f *testing.F) {
	for _, seed := range []string{
		`{"Response":{"Content":"` + fuzzArchive + `","ContentType":"application/zip","RequestId":"r"}}`,
		`{"Response":{"Content":"` + fuzzArchive + `","ContentType":7,"RequestId":"r"}}`,
		`{"Response":{"ContentType":"application/zip","Content":"` + fuzzArchive + `!!","RequestId":"r"}}`,
		`{"Response":{"Content":"","RequestId":"r"}}`,
		`{"Response":{"Content":"` + fuzzArchive + `","CertificateId":"other999"}}`,
	} {
		f.Add(seed)
	}
	hostileSeeds(f, `"Content":["`+fuzzArchive+`"]`)
	f.Fuzz(func(t *testing.T, body string) {
		var n int
		zip, _, err := fuzzClient(t, body, &n).DownloadCertificate(t.Context(), "abcb1234")
		if err != nil {
			failed(t, body, err)
			return
		}
		if len(zip) == 0 {
			t.Fatal("a success with no archive")
		}
	})
}
