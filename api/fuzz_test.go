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
	"github.com/certwiz/certwiz/api/rollout"
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

// fuzzAnswers seeds f with the hostile cases of issue 17 (fields added to
// each) and the action's own bodies, then has try call the action on a
// client answering each input: its error is checked, and so is what it
// shows of a success.
func fuzzAnswers(f *testing.F, fields, bodies []string, try func(t *testing.T, c *api.Client, requests *int) (shown string, err error)) {
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
	for _, b := range append(bodies, `{"Response":null}`, `null`, "-----BEGIN PRIVATE KEY-----\n"+fuzzKey) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var n int
		shown, err := try(t, fuzzClient(t, body, &n), &n)
		if err != nil {
			failed(t, body, err)
		}
		noSecret(t, body, "the result", shown)
	})
}

func FuzzDetailAnswer(f *testing.F) {
	fuzzAnswers(f, []string{`"SubjectAltName":"www.example.com"`}, nil, func(t *testing.T, c *api.Client, _ *int) (string, error) {
		d, err := c.DescribeCertificateDetail(t.Context(), "abcb1234")
		if err != nil {
			return "", err
		}
		if d.CertificateId != "abcb1234" || d.RequestId == "" {
			t.Fatalf("a success about %q, RequestId %q", d.CertificateId, d.RequestId)
		}
		what, date := d.KeyDate()
		b, _ := json.Marshal(d)
		return fmt.Sprintf("%v %+v %#v %s %s %s %s %v %v %s", d, d, d, d.Words(api.English), d.Words(api.Chinese), what.EN, date, d.Names(), d.Records(), b), nil
	})
}

func FuzzCertificatesAnswer(f *testing.F) {
	bodies := []string{
		`{"Response":{"TotalCount":9223372036854775807,"Certificates":[{"CertificateId":"a","Status":-9223372036854775808},{"CertificateId":"b","InsertTime":"\t","DVAuthDeadline":" "}],"RequestId":"r"}}`,
		`{"Response":{"TotalCount":-1,"Certificates":[{"CertificateId":"a"},{"CertificateId":"a"}],"RequestId":"r"}}`,
		`{"Response":{"TotalCount":3,"Certificates":[{"CertificateId":"a","IsDv":"true","CertificatePrivateKey":"` + fuzzKey + `"}],"RequestId":"r"}}`,
		`{"Response":{"TotalCount":"3","Certificates":null,"RequestId":"r"}}`,
		`{"Response":{"TotalCount":1,"Certificates":{},"RequestId":"r"}}`,
	}
	fuzzAnswers(f, []string{`"TotalCount":1e400`}, bodies, func(t *testing.T, c *api.Client, requests *int) (string, error) {
		// Every page is the same answer: the walk stops at the first
		// short page or the second, which repeats the first.
		all, _, err := c.ListCertificates(t.Context(), api.CertificateQuery{}, 2)
		if *requests > 2 {
			t.Fatalf("%d pages of one answer", *requests)
		}
		var shown strings.Builder
		seen := map[string]bool{}
		for _, c := range all {
			if seen[c.CertificateId] {
				t.Fatalf("%q listed twice", c.CertificateId)
			}
			seen[c.CertificateId] = true
			what, date := c.KeyDate()
			fmt.Fprintf(&shown, "%+v %s %s %s %s %v\n", c, c.Words(api.English), c.Words(api.Chinese), what.ZH, date, c.Names())
		}
		return shown.String(), err
	})
}

func FuzzCheckAnswer(f *testing.F) {
	bodies := []string{
		`{"Response":{"VerificationResults":[{"Domain":"www.example.com","LocalCheck":-9223372036854775808,"CaCheck":9223372036854775807,"Issued":true,"Frequently":"yes"}],"RequestId":"r"}}`,
		`{"Response":{"VerificationResults":[{"Domain":" ","CheckValue":"x","LocalCheck":1}],"CertificatePrivateKey":"` + fuzzKey + `","RequestId":"r"}}`,
		`{"Response":{"VerificationResults":null,"RequestId":"r"}}`,
	}
	fuzzAnswers(f, []string{`"VerificationResults":[{"LocalCheck":"1"}]`}, bodies, func(t *testing.T, c *api.Client, _ *int) (string, error) {
		checks, id, err := c.CheckDomainVerification(t.Context(), "abcb1234")
		if err != nil {
			return "", err
		}
		if id == "" {
			t.Fatal("a success without a RequestId")
		}
		var shown strings.Builder
		for _, c := range checks {
			fmt.Fprintf(&shown, "%+v %s %s\n", c, api.LocalCheckText(c.LocalCheck).EN, api.LocalCheckText(c.CaCheck).ZH)
		}
		return shown.String(), nil
	})
}

func FuzzDownloadAnswer(f *testing.F) {
	bodies := []string{
		`{"Response":{"Content":"` + fuzzArchive + `","ContentType":"application/zip","RequestId":"r"}}`,
		`{"Response":{"Content":"` + fuzzArchive + `","ContentType":7,"RequestId":"r"}}`,
		`{"Response":{"ContentType":"application/zip","Content":"` + fuzzArchive + `!!","RequestId":"r"}}`,
		`{"Response":{"Content":"","RequestId":"r"}}`,
		`{"Response":{"Content":"` + fuzzArchive + `","CertificateId":"other999"}}`,
	}
	fuzzAnswers(f, []string{`"Content":["` + fuzzArchive + `"]`}, bodies, func(t *testing.T, c *api.Client, _ *int) (string, error) {
		zip, _, err := c.DownloadCertificate(t.Context(), "abcb1234")
		if err == nil && len(zip) == 0 {
			t.Fatal("a success with no archive")
		}
		return "", err
	})
}

// FuzzUpdateRecordAnswer: an update record's answer, whatever it holds,
// is read without a panic, never as a success about other certificates or
// with a status outside 0–6, and what certwiz says of it (words, reasons)
// echoes no secret.
func FuzzUpdateRecordAnswer(f *testing.F) {
	bodies := []string{
		`{"Response":{"TotalCount":2,"SuccessTotalCount":1,"FailedTotalCount":1,"RecordDetailList":[{"ResourceType":"clb","List":[{"Id":1,"CertId":"new00001","OldCertId":"old00001","Status":1,"Domains":["a.example.com"]},{"Id":2,"CertId":"new00001","OldCertId":"old00001","Status":2,"ErrorMsg":"resource in operating \u001b[2J"}]}],"RequestId":"r"}}`,
		`{"Response":{"TotalCount":1,"RecordDetailList":[{"ResourceType":"cdn","List":[{"Id":1,"CertId":"new00001","OldCertId":"other999","Status":9}]}],"RequestId":"r"}}`,
		`{"Response":{"TotalCount":9223372036854775807,"RecordDetailList":[],"RequestId":"r"}}`,
		`{"Response":{"TotalCount":-1,"RecordDetailList":null,"RequestId":"r"}}`,
	}
	fuzzAnswers(f, []string{`"TotalCount":1,"RecordDetailList":[{"List":[{"Status":"1"}]}]`}, bodies, func(t *testing.T, c *api.Client, _ *int) (string, error) {
		rec, err := c.UpdateRecordDetail(t.Context(), 7, "", "")
		if err != nil {
			return "", err
		}
		var shown strings.Builder
		for _, res := range rec.Resources {
			if res.Status < api.UpdatePending || res.Status > api.UpdateNoResource || res.CertID != rec.To || res.OldCertID != rec.From {
				t.Fatalf("a resource read as %+v of a record %s → %s", res, rec.From, rec.To)
			}
			words, _ := rollout.Why(res)
			fmt.Fprintf(&shown, "%+v %s %s %s\n", res, words.EN, rollout.StatusWord(res.Status).ZH, rollout.Where(res.BoundResource))
		}
		return shown.String(), nil
	})
}
