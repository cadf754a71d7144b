package api

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"os"
	"slices"
	"strings"
	"testing"
)

func exampleRequest(t testing.TB) Request {
	t.Helper()
	data, err := os.ReadFile("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	req, err := DecodeJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func params(ps Problems) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Param)
	}
	return out
}

func TestExampleIsComplete(t *testing.T) {
	if ps := Validate(exampleRequest(t), Complete); len(ps) != 0 {
		t.Fatal(ps)
	}
}

// Each validator: values it must accept and refuse.
func TestFieldRules(t *testing.T) {
	cases := []struct {
		param string
		good  []string
		bad   []string
	}{
		{"CertificateId", []string{"abcb1234", "A1b2"}, []string{"abc-1234", "abc 123", "证书"}},
		{"CsrType", []string{"online", "parse", "ONLINE"}, []string{"upload", "on line"}},
		{"CertificateDomain", []string{"www.example.com", "*.example.com", "例子.中国", "WWW.Example.COM", "a-b.example.co.uk", "example.com."},
			[]string{"https://example.com", "example.com:443", "192.168.1.1", "::1", "[::1]", "localhost", "*.*.example.com", "www.*.example.com", "a..example.com",
				"-a.example.com", "a_b.example.com", "example.123", "exa mple.com", "example.com/path", strings.Repeat("a", 64) + ".com", strings.Repeat("abcdefghi.", 26) + "com"}},
		{"OrganizationCountry", []string{"CN", "us", "GB"}, []string{"XX", "CHN", "China", "UK"}},
		{"PhoneAreaCode", []string{"0755", "010", "86"}, []string{"07a5", "+86", strings.Repeat("1", 9)}},
		{"PhoneNumber", []string{"86013388", "8601-3388", "8601 3388"}, []string{"8601x3388", "ext.12"}},
		{"AdminPhoneNum", []string{"12345678901", "+8613800138000", "138 0013 8000"}, []string{"1234", "+86+138", "13800l38000", "++8613800138000"}},
		{"AdminEmail", []string{"admin@example.com", "a.b+c@sub.example.cn"}, []string{"admin", "admin@", "@example.com", "Admin <admin@example.com>", "admin@localhost", "a@b@example.com", "admin@exa mple.com"}},
		{"PostalCode", []string{"518000", "SW1A 1AA", "12345-6789"}, []string{"518#000"}},
		{"OrganizationName", []string{"Example Co., Ltd.", "腾讯科技（深圳）有限公司"}, []string{"Line\nbreak", "Tab\there", "Bell\a", strings.Repeat("x", 201), "bad\xffutf8"}},
		{"VerifyType", []string{"DNS_AUTO", "DNS", "FILE", "dns"}, []string{"EMAIL", "HTTP"}},
		{"KeyPassword", []string{"s3cret pass"}, []string{"new\nline"}},
	}
	for _, c := range cases {
		for _, v := range c.good {
			var r Request
			_ = r.Set(c.param, v)
			if ps := Validate(r, Partial).For(c.param); len(ps) != 0 {
				t.Errorf("%s=%q refused: %v", c.param, v, ps)
			}
		}
		for _, v := range c.bad {
			var r Request
			_ = r.Set(c.param, v)
			ps := Validate(r, Partial).For(c.param)
			if len(ps) != 1 {
				t.Errorf("%s=%q: %d problems, want 1", c.param, v, len(ps))
				continue
			}
			p := ps[0]
			f, _ := Lookup(c.param)
			if p.Step != f.Step || p.What.EN == "" || p.What.ZH == "" || p.Fix.EN == "" || p.Fix.ZH == "" {
				t.Errorf("%s=%q: incomplete problem %+v", c.param, v, p)
			}
			if !strings.HasPrefix(p.Message(English), c.param+" (") || !strings.HasPrefix(p.Message(Chinese), c.param+"（") {
				t.Errorf("message does not name the parameter: %s", p.Message(English))
			}
		}
	}
}

func TestNormalization(t *testing.T) {
	var r Request
	for k, v := range map[string]string{
		"CertificateDomain":   "  例子.中国 ",
		"DomainList":          "WWW.Example.com, *.Bücher.example\nexample.com.",
		"OrganizationCountry": "cn",
		"CsrType":             "Online",
		"VerifyType":          "dns_auto",
		"AdminPhoneNum":       "+86 138-0013-8000",
		"KeyPassword":         " keep my spaces ",
	} {
		_ = r.Set(k, v)
	}
	n := r.Normalized()
	if n.CertificateDomain != "xn--fsqu00a.xn--fiqs8s" {
		t.Errorf("CertificateDomain = %q", n.CertificateDomain)
	}
	if !slices.Equal(n.DomainList, []string{"www.example.com", "*.xn--bcher-kva.example", "example.com"}) {
		t.Errorf("DomainList = %q", n.DomainList)
	}
	if n.OrganizationCountry != "CN" || n.CsrType != "online" || n.VerifyType != "DNS_AUTO" || n.AdminPhoneNum != "+8613800138000" {
		t.Errorf("normalized = %+v", n)
	}
	if n.KeyPassword != " keep my spaces " {
		t.Errorf("a secret was changed: %q", n.KeyPassword)
	}
}

func TestCompleteModeNamesEveryMissingParameter(t *testing.T) {
	ps := Validate(Request{CertificateId: "abcb1234"}, Complete)
	got := params(ps)
	want := []string{"CsrType", "CertificateDomain", "OrganizationName", "OrganizationDivision", "OrganizationAddress",
		"OrganizationCountry", "OrganizationRegion", "OrganizationCity", "PhoneAreaCode", "PhoneNumber",
		"AdminFirstName", "AdminLastName", "AdminPhoneNum", "AdminEmail", "AdminPosition",
		"ContactFirstName", "ContactLastName", "ContactEmail", "ContactNumber", "ContactPosition"}
	if !slices.Equal(got, want) {
		t.Fatalf("missing = %v\nwant %v", got, want)
	}
}

func TestPartialModeNeedsOnlyWhatIsAlwaysNeeded(t *testing.T) {
	if got := params(Validate(Request{}, Partial)); !slices.Equal(got, []string{"CertificateId", "CsrType", "CertificateDomain"}) {
		t.Fatalf("partial empty request: %v", got)
	}
	r := Request{CertificateId: "abcb1234", CsrType: "online", CertificateDomain: "www.example.com", OrganizationName: "Example"}
	if ps := Validate(r, Partial); len(ps) != 0 {
		t.Fatal(ps)
	}
}

func TestReportsEveryProblemAtOnce(t *testing.T) {
	r := exampleRequest(t)
	r.AdminEmail = "not-an-email"
	r.OrganizationCountry = "XX"
	r.VerifyType = "FILE"
	r.CertificateDomain = "*.example.com"
	r.CsrType = "parse"
	got := params(Validate(r, Complete))
	want := []string{"CsrContent", "AdminEmail", "OrganizationCountry", "VerifyType"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("problems = %v, want %v", got, want)
	}
}

func TestWildcardInDomainListRefusesFILE(t *testing.T) {
	r := exampleRequest(t)
	r.VerifyType = "FILE"
	r.DomainList = []string{"www.example.com", "*.img.example.com"}
	ps := Validate(r, Complete)
	if len(ps) != 1 || ps[0].Param != "VerifyType" || !strings.Contains(ps[0].What.EN, "*.img.example.com") {
		t.Fatal(ps)
	}
}

func TestDuplicateDomains(t *testing.T) {
	r := exampleRequest(t)
	r.DomainList = []string{"a.example.com", "A.example.com", "b.example.com"}
	ps := Validate(r, Complete)
	if len(ps) != 1 || ps[0].Param != "DomainList" || !strings.Contains(ps[0].What.EN, "twice") {
		t.Fatal(ps)
	}
}

func TestKeyPasswordOnlyWithOnline(t *testing.T) {
	r := exampleRequest(t)
	r.KeyPassword = "hunter2"
	if ps := Validate(r, Complete); len(ps) != 0 {
		t.Fatal(ps)
	}
	r.CsrType, r.CsrContent = "parse", fixtureCSR(t, "rsa2048.csr")
	r.DomainList = []string{"example.com"}
	ps := Validate(r, Complete)
	if len(ps) != 1 || ps[0].Param != "KeyPassword" {
		t.Fatal(ps)
	}
	for _, p := range ps {
		if strings.Contains(p.Message(English), "hunter2") {
			t.Fatal("a problem message shows the secret")
		}
	}
}

func fixtureCSR(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The CSR fixtures in testdata were made by openssl, an independent source.
func TestCSRRules(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "www.example.com"}}, key)
	tampered := append([]byte(nil), der...)
	tampered[len(tampered)-5] ^= 0xff
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	pemOf := func(typ string, b []byte) string { return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b})) }

	cases := []struct {
		name, csr, domain, want string
	}{
		{"openssl RSA 2048", fixtureCSR(t, "rsa2048.csr"), "www.example.com", ""},
		{"openssl P-256 wildcard", fixtureCSR(t, "p256-wildcard.csr"), "*.example.com", ""},
		{"Go P-256", pemOf("CERTIFICATE REQUEST", der), "www.example.com", ""},
		{"CRLF line ends", strings.ReplaceAll(fixtureCSR(t, "rsa2048.csr"), "\n", "\r\n"), "www.example.com", ""},
		{"weak RSA 1024", fixtureCSR(t, "rsa1024.csr"), "www.example.com", "weak 1024-bit"},
		{"P-521", fixtureCSR(t, "p521.csr"), "www.example.com", "P-521"},
		{"Ed25519", fixtureCSR(t, "ed25519.csr"), "www.example.com", "Ed25519"},
		{"signature broken", pemOf("CERTIFICATE REQUEST", tampered), "www.example.com", "signature"},
		{"not PEM", "hello", "www.example.com", "neither PEM nor DER"},
		{"a private key", pemOf("PRIVATE KEY", keyDER), "www.example.com", "never send a private key"},
		{"two blocks", fixtureCSR(t, "rsa2048.csr") + fixtureCSR(t, "rsa2048.csr"), "www.example.com", "more than one"},
		{"CN differs", fixtureCSR(t, "rsa2048.csr"), "shop.example.com", "differs from CertificateDomain"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Request{CertificateId: "abcb1234", CsrType: "parse", CsrContent: c.csr, CertificateDomain: c.domain}
			ps := Validate(r, Partial)
			if c.want == "" {
				if len(ps) != 0 {
					t.Fatal(ps)
				}
				return
			}
			if len(ps) != 1 || ps[0].Param != "CsrContent" || !strings.Contains(ps[0].What.EN, c.want) {
				t.Fatalf("problems %v, want one CsrContent problem containing %q", ps, c.want)
			}
		})
	}
}

func TestParseWithoutCSR(t *testing.T) {
	r := exampleRequest(t)
	r.CsrType = "parse"
	if got := params(Validate(r, Partial)); !slices.Equal(got, []string{"CsrContent"}) {
		t.Fatalf("problems = %v", got)
	}
}

func TestDomainListMustBeSANsOfTheCSR(t *testing.T) {
	r := exampleRequest(t)
	r.CsrType, r.CsrContent = "parse", fixtureCSR(t, "rsa2048.csr")
	r.DomainList = []string{"example.com", "shop.example.com"}
	ps := Validate(r, Complete)
	if len(ps) != 1 || ps[0].Param != "DomainList" || !strings.Contains(ps[0].What.EN, "shop.example.com") {
		t.Fatal(ps)
	}
}

func TestDecodeJSON(t *testing.T) {
	req, err := DecodeJSON([]byte(`{"CertificateId":"abcb1234","DomainList":"a.example.com,b.example.com"}`))
	if err != nil || !slices.Equal(req.DomainList, []string{"a.example.com", "b.example.com"}) {
		t.Fatalf("%+v %v", req, err)
	}
	for body, want := range map[string]string{
		`{"OrganisationName":"x"}`: "did you mean OrganizationName",
		`{"CertificateId":123}`:    "CertificateId must be a string",
		`{"DomainList":[1]}`:       "DomainList must be an array of strings",
		`[1,2]`:                    "not a JSON object",
	} {
		if _, err := DecodeJSON([]byte(body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("DecodeJSON(%s) = %v, want %q", body, err, want)
		}
	}
}

func TestParamsOmitEmptyAndKeepDomainListAnArray(t *testing.T) {
	r := Request{CertificateId: "abcb1234", DomainList: []string{"a.example.com"}}
	p := r.Params()
	if len(p) != 2 || p["CertificateId"] != "abcb1234" || !slices.Equal(p["DomainList"].([]string), []string{"a.example.com"}) {
		t.Fatalf("params = %v", p)
	}
}

func FuzzValidate(f *testing.F) {
	f.Add("abcb1234", "parse", "www.example.com", "a.example.com,b.example.com", "CN", "admin@example.com", "+8613800138000", "FILE", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----")
	f.Add("", "online", "*.例子.中国", "*.x", "cn", "a@b", "1", "DNS", "")
	f.Fuzz(func(t *testing.T, id, csrType, domain, list, country, email, phone, verify, csr string) {
		r := Request{CertificateId: id, CsrType: csrType, CertificateDomain: domain, OrganizationCountry: country,
			AdminEmail: email, AdminPhoneNum: phone, VerifyType: verify, CsrContent: csr}
		_ = r.Set("DomainList", list)
		for _, mode := range []Mode{Complete, Partial} {
			ps := Validate(r, mode)
			for _, p := range ps {
				if _, ok := Lookup(p.Param); !ok || p.What.EN == "" || p.Fix.ZH == "" {
					t.Fatalf("bad problem %+v", p)
				}
			}
		}
		// Normalizing twice changes nothing, and a normalized request
		// validates the same as the original.
		n := r.Normalized()
		if n2 := n.Normalized(); !slices.Equal(n2.DomainList, n.DomainList) || n2.CertificateDomain != n.CertificateDomain {
			t.Fatalf("normalization is not idempotent: %q → %q", n.CertificateDomain, n2.CertificateDomain)
		}
		if a, b := len(Validate(r, Partial)), len(Validate(n, Partial)); a != b {
			t.Fatalf("%d problems before normalizing, %d after", a, b)
		}
	})
}

// Issue 12: invisible characters and bad punycode are refused, look-alike
// scripts are named.
func TestInvisibleCharactersPunycodeAndLookalikes(t *testing.T) {
	for _, v := range []string{"Acme\u202eCo", "Acme\u200bCo", "Acme\ufeff", "Acme\u2028Co", "Acme\u2066Co"} {
		r := Request{CertificateId: "abcb1234", CsrType: "online", CertificateDomain: "www.example.com", OrganizationName: v}
		ps := Validate(r, Partial).For("OrganizationName")
		if len(ps) == 0 || !strings.Contains(ps[0].What.EN, "invisible formatting character") {
			t.Errorf("%q accepted: %v", v, ps)
		}
	}
	r := Request{CertificateId: "abcb1234", CsrType: "online", CertificateDomain: "xn--zz.example.com"}
	if ps := Validate(r, Partial).For("CertificateDomain"); len(ps) == 0 || !strings.Contains(ps[0].What.EN, "invalid punycode label (xn--zz)") {
		t.Errorf("xn--zz accepted: %v", ps)
	}
	r.CertificateDomain = "xn--bcher-kva.example.com"
	if ps := Validate(r, Partial).For("CertificateDomain"); len(ps) != 0 {
		t.Errorf("valid punycode refused: %v", ps)
	}
	w := Warnings(Request{CertificateDomain: "www.\u0430pple.com", DomainList: []string{"example.com"}})
	if len(w) != 1 || w[0].Param != "CertificateDomain" || !strings.Contains(w[0].Text.EN, "U+0430, Cyrillic") {
		t.Fatalf("lookalikes %v", w)
	}
	if w := Warnings(Request{CertificateDomain: "xn--bcher-kva.example.com"}); len(w) != 0 {
		t.Fatalf("bücher is one script: %v", w)
	}
}

// An e-mail address whose top-level domain does not exist is a warning
// (with the likely fix when it is a common slip), never a refusal.
func TestEmailTLDTyposWarnNeverRefuse(t *testing.T) {
	r := Request{AdminEmail: "admin@exexample.con", ContactEmail: "ops@example.xyzzy"}
	w := Warnings(r)
	if len(w) != 2 || w[0].Param != "AdminEmail" || !strings.Contains(w[0].Text.EN, "did you mean .com?") ||
		w[1].Param != "ContactEmail" || !strings.Contains(w[1].Text.EN, ".xyzzy, which is not a top-level domain") || !strings.Contains(w[1].Text.ZH, "不是顶级域名") {
		t.Fatalf("warnings %+v", w)
	}
	if ps := Validate(r, Partial); len(ps.For("AdminEmail"))+len(ps.For("ContactEmail")) != 0 {
		t.Fatalf("refused: %v", ps)
	}
	for _, ok := range []string{"a@example.com", "a@example.cn", "a@mail.example.co.uk", "a@example.io", "a@xn--fiqs8s", "a@example.museum", "a@EXAMPLE.COM."} {
		if w := Warnings(Request{AdminEmail: ok}); len(w) != 0 {
			t.Errorf("%s warned: %v", ok, w)
		}
	}
}
