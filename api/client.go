package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
)

// The service and the actions certwiz calls.
const (
	Service         = "ssl"
	Version         = "2019-12-05"
	Action          = ActionSubmit // the action the product started from
	ActionSubmit    = "SubmitCertificateInformation"
	ActionList      = "DescribeCertificates"
	ActionDetail    = "DescribeCertificateDetail"
	ActionCommit    = "CommitCertificateInformation"
	DefaultEndpoint = "https://ssl.tencentcloudapi.com"
	DefaultRate     = 10 // requests per second per action, as the reference pages give
	DefaultTimeout  = 60 * time.Second
	DefaultRetries  = 3
)

// Config tunes a Client. Zero values take the defaults.
type Config struct {
	Endpoint   string        // URL; https, or http:// for a loopback host only
	Timeout    time.Duration // per submission, retries included
	Language   string        // en-US or zh-CN: the language of server messages
	Rate       int           // requests started per rolling second
	MaxRetries int           // retries on RequestLimitExceeded; -1 for none
	Transport  http.RoundTripper
	UserAgent  string // sent as X-TC-RequestClient, e.g. certwiz-1.0.0
}

// Endpoint is a parsed, checked --endpoint.
type Endpoint struct {
	Scheme string // "https" or "http"
	Host   string // host[:port], as signed and sent
}

func (e Endpoint) String() string { return e.Scheme + "://" + e.Host }

// Local reports an endpoint on this machine (the sandbox).
func (e Endpoint) Local() bool {
	host := e.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return IsLoopback(strings.Trim(host, "[]"))
}

// ParseEndpoint accepts "https://host[:port]", a bare host, or
// "http://host[:port]" when the host is loopback (the sandbox): keys must
// never cross a network in clear text.
func ParseEndpoint(s string) (Endpoint, error) {
	if s == "" {
		s = DefaultEndpoint
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return Endpoint{}, fmt.Errorf("endpoint %q: %w", s, err)
	}
	if u.Host == "" || u.Hostname() == "" {
		return Endpoint{}, fmt.Errorf("endpoint %q has no host", s)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil || u.Fragment != "" {
		return Endpoint{}, fmt.Errorf("endpoint %q: give only scheme, host and port (the API lives at /)", s)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return Endpoint{}, fmt.Errorf("endpoint %q: http:// is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https://", s)
		}
	default:
		return Endpoint{}, fmt.Errorf("endpoint %q: scheme must be https (or http for loopback)", s)
	}
	return Endpoint{Scheme: u.Scheme, Host: u.Host}, nil
}

// IsLoopback reports whether host names this machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Client submits certificate information through the SDK's common client,
// which signs (TC3-HMAC-SHA256), sends and retries on RequestLimitExceeded.
// certwiz adds pacing, the timeout as a context, and typed outcomes.
type Client struct {
	sdk      *common.Client
	endpoint Endpoint
	timeout  time.Duration
	creds    Credentials
}

// NewClient builds a client for the given credentials.
func NewClient(creds Credentials, cfg Config) (*Client, error) {
	ep, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if creds.cred == nil {
		return nil, &Error{Code: CodeCredentials, Message: "no credentials given"}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Rate <= 0 {
		cfg.Rate = DefaultRate
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = ep.Host
	cpf.HttpProfile.Scheme = strings.ToUpper(ep.Scheme)
	// The context enforces the real timeout; this is the SDK's backstop.
	cpf.HttpProfile.ReqTimeout = int(math.Ceil(cfg.Timeout.Seconds())) + 1
	cpf.Language = NormalizeLanguage(cfg.Language)
	cpf.RateLimitExceededMaxRetries = cfg.MaxRetries
	cpf.RateLimitExceededRetryDuration = backoff

	base := cfg.Transport
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	sdk := common.NewCommonClient(creds.cred, "", cpf).
		WithHttpTransport(&pacedTransport{base: base, pacer: NewPacer(cfg.Rate)})
	if cfg.UserAgent != "" {
		sdk.WithRequestClient(requestClient(cfg.UserAgent))
	}
	return &Client{sdk: sdk, endpoint: ep, timeout: cfg.Timeout, creds: creds}, nil
}

// Endpoint is where the client sends.
func (c *Client) Endpoint() Endpoint { return c.endpoint }

// requestClient keeps only the characters the SDK allows in X-TC-RequestClient.
func requestClient(s string) string {
	return strings.Map(func(r rune) rune {
		if isAlnum(r) || strings.ContainsRune("-_ ,;.", r) {
			return r
		}
		return '-'
	}, s)
}

// backoff waits 0.5 s, 1 s, 2 s… (at most 8 s) between rate-limit retries.
func backoff(i int) time.Duration {
	return min(500*time.Millisecond<<i, 8*time.Second)
}

// Preview is what a submission would send: endpoint, headers and body.
type Preview struct {
	Endpoint Endpoint
	Header   http.Header // Authorization reduced to its credential scope
	Body     []byte
}

// DryRun signs the request exactly as Submit would and captures it at the
// transport, so nothing leaves the process.
func (c *Client) DryRun(req Request) (Preview, error) {
	ex := &exchange{dryRun: true}
	err := c.sendAction(withExchange(context.Background(), ex), "", ActionSubmit, req.Params())
	if ex.request == nil {
		return Preview{}, fmt.Errorf("dry run: %w", err)
	}
	h := ex.request.Header.Clone()
	h.Set("Host", ex.request.Host)
	if auth := h.Get("Authorization"); auth != "" {
		h.Set("Authorization", credentialScope(auth))
	}
	if h.Get("X-TC-Token") != "" {
		h.Set("X-TC-Token", "(hidden)")
	}
	return Preview{Endpoint: c.endpoint, Header: h, Body: ex.body}, nil
}

// credentialScope keeps "TC3-HMAC-SHA256 Credential=AKID…/date/ssl/tc3_request"
// with the SecretId masked, and drops the signature.
func credentialScope(auth string) string {
	alg, rest, _ := strings.Cut(auth, " ")
	cred, _, _ := strings.Cut(rest, ",")
	scope := strings.TrimPrefix(cred, "Credential=")
	id, tail, _ := strings.Cut(scope, "/")
	return alg + " Credential=" + MaskSecretID(id) + "/" + tail
}

// exchange records what the transport saw of one submission.
type exchange struct {
	dryRun  bool
	request *http.Request
	body    []byte // request body on a dry run, response body otherwise
	status  int
	date    string
}

type exchangeKey struct{}

type stopKey struct{}

// StopStarting returns ctx, whose requests are not cancelled by stop, but
// which start no new request once stop is done: a batch's ctrl+c stops the
// queue while requests already on the wire finish and are recorded. A
// request refused this way fails with CodeCanceled and was never sent.
func StopStarting(ctx, stop context.Context) context.Context {
	return context.WithValue(context.WithoutCancel(ctx), stopKey{}, stop)
}

func withExchange(ctx context.Context, ex *exchange) context.Context {
	return context.WithValue(ctx, exchangeKey{}, ex)
}

// pacedTransport paces every request and records the answer's status and
// Date header (to measure clock skew on AuthFailure.SignatureExpire).
type pacedTransport struct {
	base  http.RoundTripper
	pacer *Pacer
}

func (t *pacedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ex, _ := r.Context().Value(exchangeKey{}).(*exchange)
	if ex != nil && ex.dryRun {
		ex.request = r
		if r.Body != nil {
			ex.body, _ = io.ReadAll(r.Body)
		}
		return nil, errDryRun
	}
	waitCtx := r.Context()
	if stop, ok := r.Context().Value(stopKey{}).(context.Context); ok {
		var cancel context.CancelFunc
		waitCtx, cancel = context.WithCancel(waitCtx)
		defer cancel()
		defer context.AfterFunc(stop, cancel)()
	}
	if err := t.pacer.Wait(waitCtx); err != nil {
		return nil, err
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	// A redirect is never followed: it would re-send the signed body (and
	// its personal data) to wherever the answer points. The client gives
	// up, naming the status and the Location.
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		loc := resp.Header.Get("Location")
		resp.Body.Close()
		if ex != nil {
			ex.status = resp.StatusCode
		}
		return nil, &redirectError{status: resp.StatusCode, location: loc}
	}
	if ex == nil {
		return resp, nil
	}
	ex.status, ex.date = resp.StatusCode, resp.Header.Get("Date")
	// Keep a copy of the body for messages; the SDK reads the original.
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	ex.body = body
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return nil, rerr
	}
	return resp, nil
}

var errDryRun = errors.New("dry run: not sent")

// redirectError is a 3xx answer, refused.
type redirectError struct {
	status   int
	location string
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("the endpoint answered HTTP %d, a redirect to %q; certwiz never follows redirects (check --endpoint and any proxy)", e.status, e.location)
}

// errSDKPanic: the SDK broke on an answer; the request may have arrived.
var errSDKPanic = errors.New("the SDK failed on the answer")

// classify turns whatever the SDK returned into an *Error.
func (c *Client) classify(ctx context.Context, ex *exchange, err error) *Error {
	switch {
	case errors.Is(err, context.Canceled):
		return &Error{Code: CodeCanceled, Message: "cancelled before an answer arrived", Err: err}
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || isTimeout(err):
		return &Error{Code: CodeTimeout, Message: fmt.Sprintf("no answer from %s within %s", c.endpoint, c.timeout), Err: err}
	}
	var re *redirectError
	if errors.As(err, &re) {
		return &Error{Code: CodeHTTPStatus, Status: re.status, Message: re.Error(), Err: err}
	}
	if errors.Is(err, errSDKPanic) {
		return &Error{Code: CodeMalformed, Message: err.Error() + " (" + sized(ex.body) + ")", Err: err}
	}
	if ex.status != 0 && ex.status != http.StatusOK {
		// Not wrapped: the SDK's error quotes the body.
		return httpError(ex)
	}
	var sdkErr *tcerr.TencentCloudSDKError
	if !errors.As(err, &sdkErr) {
		return &Error{Code: CodeNetwork, Message: err.Error(), Err: err}
	}
	// An SDK error with a RequestId came in the server's answer: even a code
	// in the SDK's own ClientError namespace is then the server's word.
	switch code := sdkErr.Code; {
	case sdkErr.RequestId != "":
	case code == "ClientError.NetworkError":
		msg := sdkErr.Message
		if cause := errors.Unwrap(sdkErr); cause != nil {
			msg = cause.Error()
		}
		return &Error{Code: CodeNetwork, Message: msg, Err: err}
	case code == "ClientError.ParseJsonError" || code == "ClientError.IOError":
		// Not wrapped: the SDK's error quotes the body.
		return &Error{Code: CodeMalformed, Message: "the answer is not the API's JSON (" + sized(ex.body) + ")"}
	case code == CodeCredentials:
		return &Error{Code: CodeCredentials, Message: sdkErr.Message, Err: err}
	case strings.HasPrefix(code, "ClientError."):
		return &Error{Code: code, Message: sdkErr.Message, Err: err}
	}
	e := &Error{Service: true, Code: sdkErr.Code, Message: sdkErr.Message, RequestId: sdkErr.RequestId}
	if e.Code == "AuthFailure.SignatureExpire" {
		if server, perr := http.ParseTime(ex.date); perr == nil {
			e.Skew, e.SkewKnown = time.Now().Sub(server).Round(time.Second), true
		}
	}
	return e
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Error is every failed outcome: a service answer (Service set, with the
// RequestId) or a failure before one (transport, credentials, cancel).
type Error struct {
	Action    string // the action that failed, e.g. CommitCertificateInformation
	Code      string
	Message   string // the server's message, or what went wrong locally
	RequestId string
	Service   bool          // the service answered with this code
	Status    int           // HTTP status, when it was not 200
	Skew      time.Duration // local clock minus server clock (SignatureExpire)
	SkewKnown bool
	Err       error
}

func (e *Error) Error() string {
	s := e.Code + ": " + e.Message
	if e.RequestId != "" {
		s += " (RequestId " + e.RequestId + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Guide explains the error's code, as it reads for the action that failed.
// A code in certwiz's own ClientError namespace that came in the server's
// answer is the server's, not a failure certwiz saw: it is explained as such.
func (e *Error) Guide() Guide {
	if e.Service && strings.HasPrefix(e.Code, "ClientError.") {
		return Guide{Code: e.Code, Exit: ExitTransport,
			Title:   Text{"The server answered with a client error code", "服务端返回了客户端错误码"},
			Meaning: Text{"The endpoint's answer carries " + e.Code + ", a code the SDK uses for its own failures; the server sent it.", "接入点的应答中带有 " + e.Code + "，这是 SDK 自身错误所用的错误码，由服务端发送。"},
			Action:  Text{"Check --endpoint and any proxy in between; if it persists, contact support with the RequestId.", "请检查 --endpoint 以及中间的代理；如仍出现，请带上 RequestId 联系技术支持。"}}
	}
	gd, _ := ExplainFor(e.Action, e.Code)
	return gd
}

// ExitCode is the exit code of ux.md for this outcome.
func (e *Error) ExitCode() int { return e.Guide().Exit }

// Hint says what to do, with the measured clock skew when there is one.
func (e *Error) Hint(lang string) string {
	hint := e.Guide().Action.In(lang)
	if e.SkewKnown {
		d := e.Skew
		dir := Text{"ahead of", "快"}
		if d < 0 {
			d, dir = -d, Text{"behind", "慢"}
		}
		if IsChinese(lang) {
			return fmt.Sprintf("本机时间比服务器%s %s。%s", dir.ZH, d, hint)
		}
		return fmt.Sprintf("This machine's clock is %s %s the server's. %s", d, dir.EN, hint)
	}
	return hint
}
