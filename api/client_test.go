package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
)

// counting wraps the sandbox to count the HTTP requests that reach it.
type counting struct {
	h http.Handler
	n atomic.Int32
}

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.h.ServeHTTP(w, r)
}

func startSandbox(t *testing.T, o sandbox.Options) (*sandbox.Server, *counting, string) {
	t.Helper()
	sb := sandbox.New(o)
	c := &counting{h: sb}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return sb, c, srv.URL
}

func demoCreds() api.Credentials {
	return api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "test")
}

func newClient(t *testing.T, url string, creds api.Credentials, cfg api.Config) *api.Client {
	t.Helper()
	cfg.Endpoint = url
	c, err := api.NewClient(creds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func example(t *testing.T) api.Request {
	t.Helper()
	data, err := os.ReadFile("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	req, err := api.DecodeJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestSubmitSendsExactlyTheParameters(t *testing.T) {
	sb, _, url := startSandbox(t, sandbox.Options{})
	res, err := newClient(t, url, demoCreds(), api.Config{}).Submit(context.Background(), example(t))
	if err != nil {
		t.Fatal(err)
	}
	subs := sb.Submissions()
	if res.CertificateId != "abcb1234" || len(subs) != 1 || subs[0].RequestId != res.RequestId {
		t.Fatalf("result %+v, submissions %+v", res, subs)
	}
	var want, got map[string]any
	data, _ := os.ReadFile("testdata/example.json")
	_ = json.Unmarshal(data, &want)
	_ = json.Unmarshal(subs[0].Body, &got)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("sent %v\nwant %v", got, want)
	}
}

// Every business error and transport fault of the sandbox reaches the
// caller as the right code, exit class, RequestId and guide.
func TestSubmitOutcomes(t *testing.T) {
	_, _, url := startSandbox(t, sandbox.Options{SlowDelay: 5 * time.Second, Rate: 100})
	cases := map[string]struct {
		code    string
		exit    int
		service bool
	}{
		"testAuthError":           {"FailedOperation.AuthError", api.ExitAuth, true},
		"testExceedsFreeLimit":    {"FailedOperation.ExceedsFreeLimit", api.ExitRejected, true},
		"testInvalidStatus":       {"FailedOperation.InvalidCertificateStatusCode", api.ExitRejected, true},
		"testInvalidParam":        {"FailedOperation.InvalidParam", api.ExitRejected, true},
		"testNoProjectPermission": {"FailedOperation.NoProjectPermission", api.ExitAuth, true},
		"testNoRealNameAuth":      {"FailedOperation.NoRealNameAuth", api.ExitRejected, true},
		"testInternalError":       {"InternalError", api.ExitTransport, true},
		"testContactEmailEmpty":   {"FailedOperation.CertificateInfoSubmitContactEmailEmpty", api.ExitRejected, true},
		"testDomainInvalid":       {"FailedOperation.CertificateInfoSubmitDomainInvalid", api.ExitRejected, true},
		"testSubmitStatusInvalid": {"FailedOperation.CertificateInfoSubmitStatusInvalid", api.ExitRejected, true},
		"testCertificateInvalid":  {"FailedOperation.CertificateInvalid", api.ExitRejected, true},
		"testNotFoundOrAudited":   {"FailedOperation.CertificateNotFoundOrAudited", api.ExitRejected, true},
		"testIllegalManager":      {"FailedOperation.IllegalManagerStatus", api.ExitRejected, true},
		"testCANetworkError":      {"FailedOperation.NetworkError", api.ExitRejected, true},
		"testBackendError":        {"InternalError.BackendResponseError", api.ExitTransport, true},
		"testRateLimitExceeded":   {"LimitExceeded.RateLimitExceeded", api.ExitTransport, true},
		"testUnauthorized":        {"UnauthorizedOperation", api.ExitAuth, true},
		"zzzz9999":                {"FailedOperation.CertificateNotFound", api.ExitRejected, true},
		"issued01":                {"FailedOperation.InvalidCertificateStatusCode", api.ExitRejected, true},
		"testHTTP500":             {api.CodeHTTPStatus, api.ExitTransport, false},
		"testGarbled":             {api.CodeMalformed, api.ExitTransport, false},
		"testSlow":                {api.CodeTimeout, api.ExitTransport, false},
	}
	client := newClient(t, url, demoCreds(), api.Config{Timeout: 300 * time.Millisecond, Rate: 100})
	for id, want := range cases {
		t.Run(id, func(t *testing.T) {
			req := example(t)
			req.CertificateId = id
			_, err := client.Submit(context.Background(), req)
			var e *api.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v", err)
			}
			if e.Code != want.code || e.ExitCode() != want.exit || e.Service != want.service {
				t.Fatalf("got %s exit %d service %v, want %+v", e.Code, e.ExitCode(), e.Service, want)
			}
			if want.service && e.RequestId == "" {
				t.Fatal("no RequestId")
			}
			gd := e.Guide()
			if gd.Title.EN == "" || gd.Title.ZH == "" || e.Hint(api.English) == "" || e.Hint(api.Chinese) == "" {
				t.Fatalf("no guidance for %s", e.Code)
			}
		})
	}
}

func TestWrongSecretKeyIsSignatureFailure(t *testing.T) {
	_, _, url := startSandbox(t, sandbox.Options{})
	creds := api.StaticCredentials(sandbox.DemoSecretID, "wrong-key", "", "test")
	_, err := newClient(t, url, creds, api.Config{}).Submit(context.Background(), example(t))
	var e *api.Error
	if !errors.As(err, &e) || e.Code != "AuthFailure.SignatureFailure" || e.ExitCode() != api.ExitAuth || e.RequestId == "" {
		t.Fatalf("err = %v", err)
	}
}

func TestSignatureExpireMeasuresClockSkew(t *testing.T) {
	_, _, url := startSandbox(t, sandbox.Options{Now: func() time.Time { return time.Now().Add(-time.Hour) }})
	_, err := newClient(t, url, demoCreds(), api.Config{}).Submit(context.Background(), example(t))
	var e *api.Error
	if !errors.As(err, &e) || e.Code != "AuthFailure.SignatureExpire" || !e.SkewKnown {
		t.Fatalf("err = %v", err)
	}
	if e.Skew < 59*time.Minute || e.Skew > 61*time.Minute {
		t.Fatalf("skew = %s, want about 1h", e.Skew)
	}
	if h := e.Hint(api.English); !strings.Contains(h, "ahead of the server's") || !strings.Contains(h, "1h0m") {
		t.Fatalf("hint = %q", h)
	}
}

func TestRequestLimitIsRetriedThenReported(t *testing.T) {
	_, count, url := startSandbox(t, sandbox.Options{})
	req := example(t)
	req.CertificateId = "testRequestLimit"
	_, err := newClient(t, url, demoCreds(), api.Config{MaxRetries: 2}).Submit(context.Background(), req)
	var e *api.Error
	if !errors.As(err, &e) || e.Code != "RequestLimitExceeded" || e.ExitCode() != api.ExitTransport {
		t.Fatalf("err = %v", err)
	}
	if n := count.n.Load(); n != 3 {
		t.Fatalf("%d requests reached the sandbox, want 1 + 2 retries", n)
	}
}

func TestRequestLimitRetrySucceeds(t *testing.T) {
	// The sandbox allows one request a second; the client's second request
	// meets RequestLimitExceeded and succeeds on a retry after backoff.
	_, count, url := startSandbox(t, sandbox.Options{Rate: 1})
	client := newClient(t, url, demoCreds(), api.Config{})
	for i := range 2 {
		if _, err := client.Submit(context.Background(), example(t)); err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
	}
	if n := count.n.Load(); n < 3 {
		t.Fatalf("%d requests: the second submission was not retried", n)
	}
}

func TestCancelStopsASubmission(t *testing.T) {
	_, _, url := startSandbox(t, sandbox.Options{SlowDelay: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	req := example(t)
	req.CertificateId = "testSlow"
	_, err := newClient(t, url, demoCreds(), api.Config{}).Submit(ctx, req)
	var e *api.Error
	if !errors.As(err, &e) || e.Code != api.CodeCanceled || e.ExitCode() != api.ExitInterrupted {
		t.Fatalf("err = %v", err)
	}
}

func TestUnreachableEndpointIsNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	_, err := newClient(t, url, demoCreds(), api.Config{}).Submit(context.Background(), example(t))
	var e *api.Error
	if !errors.As(err, &e) || e.Code != api.CodeNetwork || e.ExitCode() != api.ExitTransport {
		t.Fatalf("err = %v", err)
	}
}

func TestSessionTokenIsSent(t *testing.T) {
	_, _, url := startSandbox(t, sandbox.Options{SecretID: "AKIDtmp", SecretKey: "tmpkey", Token: "tok123"})
	creds := api.StaticCredentials("AKIDtmp", "tmpkey", "tok123", "test")
	if _, err := newClient(t, url, creds, api.Config{}).Submit(context.Background(), example(t)); err != nil {
		t.Fatal(err)
	}
}

func TestDryRunSendsNothingAndHidesSecrets(t *testing.T) {
	_, count, url := startSandbox(t, sandbox.Options{})
	creds := api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "session-token-xyz", "test")
	p, err := newClient(t, url, creds, api.Config{Language: "zh-CN"}).DryRun(example(t))
	if err != nil {
		t.Fatal(err)
	}
	if count.n.Load() != 0 {
		t.Fatal("a dry run reached the endpoint")
	}
	auth := p.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "TC3-HMAC-SHA256 Credential=****DEMO/") || !strings.HasSuffix(auth, "/ssl/tc3_request") || strings.Contains(auth, "Signature") {
		t.Fatalf("Authorization = %q", auth)
	}
	all := auth + p.Header.Get("X-TC-Token") + string(p.Body)
	for _, secret := range []string{sandbox.DemoSecretKey, "session-token-xyz", sandbox.DemoSecretID} {
		if strings.Contains(all, secret) {
			t.Fatalf("dry run shows %q", secret)
		}
	}
	if p.Header.Get("X-TC-Action") != api.Action || p.Header.Get("X-TC-Version") != api.Version || p.Header.Get("X-TC-Language") != "zh-CN" || p.Header.Get("X-TC-Region") != "" {
		t.Fatalf("headers = %v", p.Header)
	}
	var body map[string]any
	if err := json.Unmarshal(p.Body, &body); err != nil || body["CertificateId"] != "abcb1234" {
		t.Fatalf("body = %s", p.Body)
	}
}

func TestParseEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"":                                "https://ssl.tencentcloudapi.com",
		"ssl.intl.tencentcloudapi.com":    "https://ssl.intl.tencentcloudapi.com",
		"http://127.0.0.1:8417":           "http://127.0.0.1:8417",
		"http://localhost":                "http://localhost",
		"http://[::1]:9000/":              "http://[::1]:9000",
		"https://ssl.tencentcloudapi.com": "https://ssl.tencentcloudapi.com",
	} {
		ep, err := api.ParseEndpoint(in)
		if err != nil || ep.String() != want {
			t.Errorf("ParseEndpoint(%q) = %v, %v; want %s", in, ep, err, want)
		}
	}
	for _, bad := range []string{"http://ssl.tencentcloudapi.com", "http://10.0.0.1", "ftp://x", "https://ssl.tencentcloudapi.com/v3", "https://"} {
		if _, err := api.ParseEndpoint(bad); err == nil {
			t.Errorf("ParseEndpoint(%q) accepted", bad)
		}
	}
}

// The slots, on the test's clock: callers that start on time and callers
// that come late alike never get rate+1 slots within a second.
func TestPacerNeverExceedsRateInAnySecond(t *testing.T) {
	const rate = 10
	for _, late := range []time.Duration{0, 7 * time.Millisecond, 300 * time.Millisecond} {
		p := api.NewPacer(rate)
		now := time.Unix(1_700_000_000, 0)
		var starts []time.Time
		for i := range 3*rate + 5 {
			slot := p.Reserve(now)
			if slot.Before(now) {
				t.Fatalf("slot %d before its caller came", i)
			}
			starts = append(starts, slot)
			now = slot.Add(late * time.Duration(i%3)) // the next caller comes when this one started, or later
		}
		for i := rate; i < len(starts); i++ {
			if gap := starts[i].Sub(starts[i-rate]); gap < time.Second {
				t.Fatalf("late %s: slots %d and %d are %s apart: %d requests in under a second", late, i-rate, i, gap, rate+1)
			}
		}
	}
}

func TestPacerWaitHonoursCancel(t *testing.T) {
	p := api.NewPacer(1)
	_ = p.Wait(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// A waiter that came first is served first, however many come after it:
// each reserves its slot when it comes, so none is overtaken again and
// again until its deadline.
func TestPacerServesInArrivalOrder(t *testing.T) {
	p := api.NewPacer(5)
	now := time.Unix(1_700_000_000, 0)
	for range 5 {
		p.Reserve(now) // the window is full
	}
	first := p.Reserve(now.Add(time.Millisecond))
	for i := range 20 {
		if later := p.Reserve(now.Add(2 * time.Millisecond)); !later.After(first) {
			t.Fatalf("later waiter %d got %s, not after the first's %s", i, later, first)
		}
	}
}
