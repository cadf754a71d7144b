package api_test

// The validation road's answers, from an endpoint on loopback shaped like
// the service's (the sandbox does not issue yet): records in every form,
// the checks in words, the archive, and the private key kept unprintable.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

func answering(t *testing.T, answers map[string]string) *api.Client {
	t.Helper()
	url := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := answers[r.Header.Get("X-TC-Action")]
		if !ok {
			body = `{"Response":{"Error":{"Code":"InvalidAction","Message":"no"},"RequestId":"x"}}`
		}
		io.WriteString(w, body)
	}))
	return newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second, Rate: 1000})
}

func TestRecordsInEveryForm(t *testing.T) {
	c := answering(t, map[string]string{api.ActionDetail: `{"Response":{"CertificateId":"abcb1234","Status":0,"StatusMsg":"PENDING-DCV",
		"CertificatePrivateKey":"-----BEGIN PRIVATE KEY-----\nMIIsecret\n-----END PRIVATE KEY-----\n",
		"DvAuthDetail":{"DvAuthKey":"_dnsauth.www","DvAuthValue":"v1","DvAuthDomain":"example.com","DvAuths":[
			{"DvAuthKey":"_dnsauth.www","DvAuthValue":"v1","DvAuthDomain":"example.com","DvAuthSubDomain":"_dnsauth.www","DvAuthVerifyType":"TXT"},
			{"DvAuthKey":"_dnsauth","DvAuthValue":"v2","DvAuthDomain":"example.com","DvAuthSubDomain":"_dnsauth","DvAuthVerifyType":"CNAME"},
			{"DvAuthKey":"fileauth.txt","DvAuthValue":"content-3","DvAuthDomain":"shop.example.com","DvAuthPath":"/.well-known/pki-validation","DvAuthVerifyType":"FILE"}]},
		"RequestId":"r1"}}`})
	d, err := c.DescribeCertificateDetail(t.Context(), "abcb1234")
	if err != nil {
		t.Fatal(err)
	}
	rs := d.Records()
	if len(rs) != 3 {
		t.Fatalf("records %+v", rs)
	}
	if r := rs[0]; r.Type != "TXT" || r.Host != "_dnsauth.www" || r.Name != "_dnsauth.www.example.com" || r.FQDN != "_dnsauth.www.example.com." || r.Value != "v1" {
		t.Errorf("TXT %+v", r)
	}
	if r := rs[1]; r.Type != "CNAME" || r.Host != "_dnsauth" || r.FQDN != "_dnsauth.example.com." {
		t.Errorf("CNAME %+v", r)
	}
	if r := rs[2]; r.Type != "FILE" || r.Path != "/.well-known/pki-validation/fileauth.txt" || r.Value != "content-3" ||
		strings.Join(r.URLs, " ") != "http://shop.example.com/.well-known/pki-validation/fileauth.txt https://shop.example.com/.well-known/pki-validation/fileauth.txt" {
		t.Errorf("FILE %+v", r)
	}
	// Domain is the name each record proves, as Tencent's check names it.
	if rs[0].Domain != "www.example.com" || rs[1].Domain != "example.com" || rs[2].Domain != "shop.example.com" {
		t.Errorf("domains %q %q %q", rs[0].Domain, rs[1].Domain, rs[2].Domain)
	}
	// The key Tencent holds can only go to a file the user asked for.
	for _, out := range []string{fmt.Sprint(d), fmt.Sprintf("%+v", d), fmt.Sprintf("%#v", d.PrivateKey)} {
		if strings.Contains(out, "MIIsecret") {
			t.Fatalf("printed: %s", out)
		}
	}
	if b, _ := json.Marshal(d); strings.Contains(string(b), "MIIsecret") {
		t.Fatalf("marshalled: %s", b)
	}
	path := filepath.Join(t.TempDir(), "key.pem")
	if err := d.PrivateKey.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %o", fi.Mode().Perm())
	}
	if err := d.PrivateKey.WriteFile(path); err == nil {
		t.Fatal("an existing key file was replaced")
	}
}

func TestSingleRecordAtTheTop(t *testing.T) {
	c := answering(t, map[string]string{api.ActionDetail: `{"Response":{"CertificateId":"a","DvAuthDetail":{"DvAuthKey":"_dnsauth.www.example.com","DvAuthValue":"v","DvAuthDomain":"example.com","DvAuths":null},"RequestId":"r"}}`})
	d, err := c.DescribeCertificateDetail(t.Context(), "a")
	if err != nil {
		t.Fatal(err)
	}
	if rs := d.Records(); len(rs) != 1 || rs[0].Host != "_dnsauth.www" || rs[0].Type != "TXT" {
		t.Fatalf("%+v", rs)
	}
}

func TestCheckCompleteDownload(t *testing.T) {
	zip := []byte("PK\x03\x04 an archive")
	c := answering(t, map[string]string{
		api.ActionCheck:    `{"Response":{"VerificationResults":[{"Domain":"www.example.com","VerifyType":"DNS","LocalCheck":-2,"LocalCheckFailReason":"value differs","CheckValue":["old"],"CaCheck":-1,"Frequently":false,"Issued":false}],"RequestId":"r2"}}`,
		api.ActionComplete: `{"Response":{"CertificateId":"abcb1234","RequestId":"r3"}}`,
		api.ActionDownload: `{"Response":{"Content":"` + base64.StdEncoding.EncodeToString(zip) + `","ContentType":"application/zip","RequestId":"r4"}}`,
	})
	checks, id, err := c.CheckDomainVerification(t.Context(), "abcb1234")
	if err != nil || id != "r2" || len(checks) != 1 || checks[0].LocalCheck != -2 || checks[0].Found[0] != "old" ||
		api.LocalCheckText(checks[0].LocalCheck).EN != "TXT record found with another value" {
		t.Fatalf("check %+v %s %v", checks, id, err)
	}
	if id, err := c.CompleteCertificate(t.Context(), "abcb1234"); err != nil || id != "r3" {
		t.Fatalf("complete %s %v", id, err)
	}
	got, _, err := c.DownloadCertificate(t.Context(), "abcb1234")
	if err != nil || string(got) != string(zip) {
		t.Fatalf("download %q %v", got, err)
	}
	for code := range map[int]bool{1: true, -1: true, -4: true, -7: true, -10: true} {
		if tx := api.LocalCheckText(code); tx.EN == "" || tx.ZH == "" {
			t.Errorf("LocalCheck %d unexplained", code)
		}
	}
}

// Issue 17, item 5: the key Tencent made prints as hidden in every verb
// and in any struct holding it (%d printed the PEM before).
func TestSecretIsHiddenInEveryVerb(t *testing.T) {
	c := answering(t, map[string]string{api.ActionDetail: `{"Response":{"CertificatePrivateKey":"-----BEGIN PRIVATE KEY-----\nMIIsecret\n-----END PRIVATE KEY-----\n","CertificateId":"abcb1234","RequestId":"r1"}}`})
	d, err := c.DescribeCertificateDetail(t.Context(), "abcb1234")
	if err != nil || d.PrivateKey.Empty() {
		t.Fatalf("%v, key read: %v", err, !d.PrivateKey.Empty())
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
		for _, v := range []any{d, d.PrivateKey, &d.PrivateKey, []any{d}} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, "MIIsecret") || strings.Contains(out, "PRIVATE KEY") || strings.Contains(out, "4d4949736563726574") {
				t.Fatalf("%s printed the key: %s", verb, out)
			}
		}
	}
}
