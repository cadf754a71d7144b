package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// signed builds a request to srv signed the way api.md describes, so tests
// can tamper with any part of it before or after signing.
type signed struct {
	body        string
	ts          int64
	secretID    string
	secretKey   string
	action      string
	version     string
	contentType string
	signHost    string // host to sign; "" = the server's
	service     string // "" = ssl
}

func newSigned(body string) signed {
	return signed{body: body, ts: time.Now().Unix(), secretID: DemoSecretID, secretKey: DemoSecretKey,
		action: "SubmitCertificateInformation", version: "2019-12-05", contentType: "application/json"}
}

func (s signed) request(t *testing.T, srvURL string) *http.Request {
	t.Helper()
	u, _ := url.Parse(srvURL)
	host := s.signHost
	if host == "" {
		host = u.Host
	}
	canonical := "POST\n/\n\ncontent-type:" + s.contentType + "\nhost:" + host + "\n\ncontent-type;host\n" + sha256Hex([]byte(s.body))
	date := time.Unix(s.ts, 0).UTC().Format("2006-01-02")
	service := s.service
	if service == "" {
		service = "ssl"
	}
	sig := Signature(s.secretKey, service, s.ts, canonical)
	r, err := http.NewRequest(http.MethodPost, srvURL+"/", bytes.NewReader([]byte(s.body)))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", s.contentType)
	r.Header.Set("X-TC-Action", s.action)
	r.Header.Set("X-TC-Version", s.version)
	r.Header.Set("X-TC-Timestamp", strconv.FormatInt(s.ts, 10))
	r.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential="+s.secretID+"/"+date+"/"+service+"/tc3_request, SignedHeaders=content-type;host, Signature="+sig)
	return r
}

type answer struct {
	Response struct {
		CertificateId string
		RequestId     string
		Error         *struct{ Code, Message string }
	}
}

func do(t *testing.T, r *http.Request) (int, answer) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var a answer
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatalf("answer is not JSON: %s", data)
	}
	if a.Response.RequestId == "" {
		t.Fatalf("answer has no RequestId: %s", data)
	}
	return resp.StatusCode, a
}

func code(a answer) string {
	if a.Response.Error == nil {
		return ""
	}
	return a.Response.Error.Code
}

const okBody = `{"CertificateId":"abcb1234","CsrType":"online","DomainList":["a.example.com"]}`

func TestSandboxAcceptsSignedRequestAndRecordsIt(t *testing.T) {
	sb := New(Options{})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	status, a := do(t, newSigned(okBody).request(t, srv.URL))
	if status != 200 || code(a) != "" || a.Response.CertificateId != "abcb1234" {
		t.Fatalf("status %d, answer %+v", status, a)
	}
	subs := sb.Submissions()
	if len(subs) != 1 || string(subs[0].Body) != okBody || subs[0].RequestId != a.Response.RequestId {
		t.Fatalf("submissions = %+v", subs)
	}
}

func TestSandboxRefusals(t *testing.T) {
	// More requests than the default rate of one action, sent at once:
	// this test is about the other refusals.
	srv := httptest.NewServer(New(Options{Rate: 100}))
	defer srv.Close()
	hourAgo := time.Now().Add(-time.Hour).Unix()
	cases := []struct {
		name string
		req  func() *http.Request
		want string
	}{
		{"body changed after signing", func() *http.Request {
			r := newSigned(okBody).request(t, srv.URL)
			r.Body = io.NopCloser(bytes.NewReader([]byte(`{"CertificateId":"abcb1234","CsrType":"parse"}`)))
			r.ContentLength = -1
			return r
		}, "AuthFailure.SignatureFailure"},
		{"an hour old", func() *http.Request { s := newSigned(okBody); s.ts = hourAgo; return s.request(t, srv.URL) }, "AuthFailure.SignatureExpire"},
		{"wrong key", func() *http.Request { s := newSigned(okBody); s.secretKey = "other"; return s.request(t, srv.URL) }, "AuthFailure.SignatureFailure"},
		{"unknown SecretId", func() *http.Request { s := newSigned(okBody); s.secretID = "AKIDnobody"; return s.request(t, srv.URL) }, "AuthFailure.SecretIdNotFound"},
		{"host signed differs from Host sent", func() *http.Request {
			s := newSigned(okBody)
			s.signHost = "ssl.tencentcloudapi.com"
			return s.request(t, srv.URL)
		}, "AuthFailure.SignatureFailure"},
		{"malformed Authorization", func() *http.Request {
			r := newSigned(okBody).request(t, srv.URL)
			r.Header.Set("Authorization", "TC3-HMAC-SHA256 nonsense")
			return r
		}, "AuthFailure.InvalidAuthorization"},
		{"wrong action", func() *http.Request {
			s := newSigned(okBody)
			s.action = "DescribeDownloadCertificateUrl" // a real action the sandbox does not serve
			return s.request(t, srv.URL)
		}, "InvalidAction"},
		{"wrong version", func() *http.Request { s := newSigned(okBody); s.version = "2018-01-01"; return s.request(t, srv.URL) }, "NoSuchVersion"},
		{"wrong content type", func() *http.Request {
			s := newSigned(okBody)
			s.contentType = "text/plain"
			return s.request(t, srv.URL)
		}, "InvalidParameter"},
		{"unknown parameter", func() *http.Request {
			return newSigned(`{"CertificateId":"abcb1234","OrganisationName":"x"}`).request(t, srv.URL)
		}, "UnknownParameter"},
		{"missing CertificateId", func() *http.Request { return newSigned(`{"CsrType":"online"}`).request(t, srv.URL) }, "MissingParameter"},
		{"DomainList not an array", func() *http.Request {
			return newSigned(`{"CertificateId":"abcb1234","DomainList":"a.example.com"}`).request(t, srv.URL)
		}, "InvalidParameter"},
		{"bad VerifyType", func() *http.Request {
			return newSigned(`{"CertificateId":"abcb1234","VerifyType":"EMAIL"}`).request(t, srv.URL)
		}, "InvalidParameterValue"},
		{"unknown certificate", func() *http.Request { return newSigned(`{"CertificateId":"zzzz9999"}`).request(t, srv.URL) }, "FailedOperation.CertificateNotFound"},
		{"issued certificate", func() *http.Request { return newSigned(`{"CertificateId":"issued01"}`).request(t, srv.URL) }, "FailedOperation.InvalidCertificateStatusCode"},
		{"another service in the scope", func() *http.Request { s := newSigned(okBody); s.service = "cvm"; return s.request(t, srv.URL) }, "AuthFailure.SignatureFailure"},
		{"GET", func() *http.Request { r, _ := http.NewRequest(http.MethodGet, srv.URL+"/", nil); return r }, "UnsupportedProtocol"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, a := do(t, c.req())
			if status != 200 || code(a) != c.want {
				t.Fatalf("status %d code %q (%v), want 200 %q", status, code(a), a.Response.Error, c.want)
			}
		})
	}
}

func TestSandboxRateLimit(t *testing.T) {
	srv := httptest.NewServer(New(Options{Rate: 3}))
	defer srv.Close()
	var codes []string
	for range 5 {
		_, a := do(t, newSigned(okBody).request(t, srv.URL))
		codes = append(codes, code(a))
	}
	want := []string{"", "", "", "RequestLimitExceeded", "RequestLimitExceeded"}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("codes = %q, want %q", codes, want)
		}
	}
}

func TestSandboxTokenIsChecked(t *testing.T) {
	srv := httptest.NewServer(New(Options{SecretID: "AKIDtemp", SecretKey: "k", Token: "tok"}))
	defer srv.Close()
	s := newSigned(okBody)
	s.secretID, s.secretKey = "AKIDtemp", "k"
	r := s.request(t, srv.URL)
	if _, a := do(t, r); code(a) != "AuthFailure.TokenFailure" {
		t.Fatalf("no token: code %q", code(a))
	}
	r = s.request(t, srv.URL)
	r.Header.Set("X-TC-Token", "tok")
	if _, a := do(t, r); code(a) != "" {
		t.Fatalf("with token: code %q", code(a))
	}
}

func TestSandboxDomainInvalidNamesTheDomain(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	_, a := do(t, newSigned(`{"CertificateId":"testDomainInvalid","CertificateDomain":"bad.example.com"}`).request(t, srv.URL))
	if code(a) != "FailedOperation.CertificateInfoSubmitDomainInvalid" || !bytes.Contains([]byte(a.Response.Error.Message), []byte("bad.example.com")) {
		t.Fatalf("answer %+v", a.Response.Error)
	}
}

func FuzzParseParams(f *testing.F) {
	for _, s := range []string{okBody, `{}`, `[]`, `null`, `{"CertificateId":1}`, `{"DomainList":[1,"a"]}`, `{"CertificateId":"a"} {}`, `{"CsrType":"parse","CertificateId":"x"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		params, err := parseParams(body)
		if (params == nil) == (err == nil) {
			t.Fatalf("parseParams(%q) = %v, %v: want exactly one", body, params, err)
		}
		if err == nil {
			if id, _ := params["CertificateId"].(string); id == "" {
				t.Fatalf("accepted a body without CertificateId: %q", body)
			}
		}
	})
}

func FuzzSandboxRequest(f *testing.F) {
	f.Add([]byte(okBody), "application/json", "SubmitCertificateInformation", int64(0))
	f.Add([]byte(`{"CertificateId":"testSlow"}`), "application/json; charset=utf-8", "x", int64(-4000))
	f.Fuzz(func(t *testing.T, body []byte, ct, action string, skew int64) {
		sb := New(Options{SlowDelay: time.Millisecond})
		s := newSigned(string(body))
		s.contentType, s.action, s.ts = ct, action, time.Now().Unix()+skew
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:1/", bytes.NewReader(body))
		signedReq := s.request(t, "http://127.0.0.1:1")
		r.Header = signedReq.Header
		w := httptest.NewRecorder()
		sb.ServeHTTP(w, r)
		if w.Code == 200 && w.Header().Get("Content-Type") == "application/json" {
			var a answer
			if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || a.Response.RequestId == "" {
				t.Fatalf("answer without RequestId: %s", w.Body.Bytes())
			}
		}
	})
}

func TestServiceOfTheScope(t *testing.T) {
	for _, c := range []struct {
		service, host string
		ok            bool
	}{
		{"ssl", "ssl.tencentcloudapi.com", true},
		{"ssl", "127.0.0.1:8417", true},
		{"127", "127.0.0.1:8417", true}, // Tencent's Node.js SDK pointed at a loopback sandbox
		{"localhost", "localhost:8417", true},
		{"cvm", "127.0.0.1:8417", false},
		{"ssl2", "ssl2.example.com", false}, // only loopback hosts get the Node.js SDK's reading
		{"cvm", "cvm.tencentcloudapi.com", false},
	} {
		if got := serviceOK(c.service, c.host); got != c.ok {
			t.Errorf("serviceOK(%q, %q) = %v", c.service, c.host, got)
		}
	}
}

// A certificate waiting for validation is never past its deadline because
// the calendar moved on: seeded deadlines keep their distance from the
// sandbox's start.
func TestSeededDeadlinesFollowTheClock(t *testing.T) {
	later := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	s := New(Options{Now: func() time.Time { return later }})
	for _, id := range []string{"dcvwait1", "dnsauto1", "letter01"} {
		st, _ := s.Certificate(id)
		d, err := time.ParseInLocation("2006-01-02 15:04:05", st.DVAuthDeadline, beijing)
		if err != nil || !d.After(later) || d.After(later.Add(8*24*time.Hour)) {
			t.Errorf("%s: deadline %q on %s", id, st.DVAuthDeadline, later)
		}
	}
}
