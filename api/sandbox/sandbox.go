// Package sandbox imitates the ssl endpoint's SubmitCertificateInformation
// for tests and for users trying certwiz without an account. It verifies
// TC3 signatures with its own verifier, answers in the service's JSON
// shapes (always with a RequestId), and has test certificate IDs that
// trigger every business error and transport fault.
package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/certwiz/certwiz/api"
)

// The demo key the sandbox accepts unless its environment names another.
// It is public on purpose: it only opens the sandbox.
const (
	DemoSecretID  = "AKIDcertwizSandboxDemoKey0000000DEMO"
	DemoSecretKey = "certwiz-sandbox-demo-secret-key"
)

// MaxSkew is how far a request's timestamp may be from the server clock.
const MaxSkew = 300 * time.Second

// maxBody is the largest request body accepted.
const maxBody = 1 << 20

// Certificate is one certificate the sandbox knows.
type Certificate struct {
	ID     string
	Status int    // DescribeCertificateDetail status code
	About  string // for people reading `certwiz sandbox`
}

// Certificates the sandbox knows; any other ID is CertificateNotFound.
var Certificates = []Certificate{
	{"abcb1234", 5, "the reference example: enterprise certificate awaiting information"},
	{"demo0001", 5, "OV certificate awaiting information"},
	{"demo0002", 5, "multi-domain certificate awaiting information"},
	{"demo0003", 13, "DV certificate awaiting information"},
	{"demo0004…demo9999", 5, "more certificates awaiting information, for batches"},
	{"issued01", 1, "already issued: InvalidCertificateStatusCode"},
	{"review01", 0, "under review: InvalidCertificateStatusCode"},
}

// Fault is a documented test ID that makes the sandbox fail in one way.
type Fault struct {
	ID      string
	Code    string // service error code; "" for a transport fault
	Message string
	Status  int  // HTTP status of a transport fault
	Garbled bool // answer with a body that is not JSON
	Slow    bool // answer only after Options.SlowDelay
}

// Faults lists the test IDs: one per business error of api.md, plus
// transport faults, so every error screen can be shown and tested.
var Faults = []Fault{
	{ID: "testAuthError", Code: "FailedOperation.AuthError", Message: "You are not authorized to perform this operation: CAM denied ssl:SubmitCertificateInformation."},
	{ID: "testExceedsFreeLimit", Code: "FailedOperation.ExceedsFreeLimit", Message: "The number of free certificates exceeds the limit."},
	{ID: "testInvalidStatus", Code: "FailedOperation.InvalidCertificateStatusCode", Message: "The certificate status does not allow this operation."},
	{ID: "testInvalidParam", Code: "FailedOperation.InvalidParam", Message: "Invalid parameter: OrganizationAddress."},
	{ID: "testNoProjectPermission", Code: "FailedOperation.NoProjectPermission", Message: "You have no permission for this project."},
	{ID: "testNoRealNameAuth", Code: "FailedOperation.NoRealNameAuth", Message: "The account has not completed real-name verification."},
	{ID: "testInternalError", Code: "InternalError", Message: "Internal error."},
	{ID: "testContactEmailEmpty", Code: "FailedOperation.CertificateInfoSubmitContactEmailEmpty", Message: "The contact e-mail cannot be empty."},
	{ID: "testDomainInvalid", Code: "FailedOperation.CertificateInfoSubmitDomainInvalid", Message: "Invalid domain: %s."},
	{ID: "testSubmitStatusInvalid", Code: "FailedOperation.CertificateInfoSubmitStatusInvalid", Message: "The certificate status does not allow submitting information."},
	{ID: "testCertificateInvalid", Code: "FailedOperation.CertificateInvalid", Message: "The certificate is invalid."},
	{ID: "testNotFoundOrAudited", Code: "FailedOperation.CertificateNotFoundOrAudited", Message: "The certificate does not exist or has been reviewed."},
	{ID: "testIllegalManager", Code: "FailedOperation.IllegalManagerStatus", Message: "The manager status is invalid."},
	{ID: "testCANetworkError", Code: "FailedOperation.NetworkError", Message: "The CA system is busy, please try again later."},
	{ID: "testBackendError", Code: "InternalError.BackendResponseError", Message: "Backend response error."},
	{ID: "testRateLimitExceeded", Code: "LimitExceeded.RateLimitExceeded", Message: "The request rate exceeds the limit."},
	{ID: "testUnauthorized", Code: "UnauthorizedOperation", Message: "Unauthorized operation."},
	{ID: "testRequestLimit", Code: "RequestLimitExceeded", Message: "Your current request rate has exceeded the limit."},
	{ID: "testHTTP500", Status: http.StatusInternalServerError, Message: "HTTP 500 with a plain-text body"},
	{ID: "testGarbled", Garbled: true, Message: "HTTP 200 with a body that is not JSON"},
	{ID: "testSlow", Slow: true, Message: "answers only after the slow delay (default 30s)"},
}

// Options configure a sandbox. Zero values take the defaults.
type Options struct {
	SecretID  string        // default DemoSecretID
	SecretKey string        // default DemoSecretKey
	Token     string        // when set, X-TC-Token must equal it
	Rate      int           // requests per rolling second before RequestLimitExceeded (default 20)
	SlowDelay time.Duration // how long testSlow waits (default 30s)
	Now       func() time.Time
	Log       io.Writer     // one line per request; nil for none
	RequestID func() string // makes RequestIds; default random UUIDs (tests fix them)
}

// OptionsFromEnv takes the key from TENCENTCLOUD_SECRET_ID / _SECRET_KEY
// (and _SESSION_TOKEN) when both are set.
func OptionsFromEnv() Options {
	var o Options
	id, key := os.Getenv(api.EnvSecretID), os.Getenv(api.EnvSecretKey)
	if id != "" && key != "" {
		o.SecretID, o.SecretKey, o.Token = id, key, os.Getenv(api.EnvSessionToken)
	}
	return o
}

// Submission is one accepted call, as the sandbox parsed it.
type Submission struct {
	RequestId string
	Params    map[string]any
	Body      []byte
}

// Server is the sandbox endpoint; it is an http.Handler.
type Server struct {
	opts        Options
	mu          sync.Mutex
	starts      []time.Time
	submissions []Submission
	refused     int // requests refused for the rate
}

// RateRefusals counts the requests refused with RequestLimitExceeded for the rate.
func (s *Server) RateRefusals() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// New returns a sandbox.
func New(o Options) *Server {
	if o.SecretID == "" || o.SecretKey == "" {
		o.SecretID, o.SecretKey = DemoSecretID, DemoSecretKey
	}
	if o.Rate <= 0 {
		o.Rate = api.DefaultRate
	}
	if o.SlowDelay <= 0 {
		o.SlowDelay = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RequestID == nil {
		o.RequestID = newRequestID
	}
	return &Server{opts: o}
}

// SecretID is the key ID the sandbox accepts.
func (s *Server) SecretID() string { return s.opts.SecretID }

// Submissions returns the calls the sandbox accepted, oldest first.
func (s *Server) Submissions() []Submission {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.submissions)
}

// apiError is an answer in the service's error shape.
type apiError struct {
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func fail(code, format string, args ...any) *apiError {
	return &apiError{Code: code, Message: fmt.Sprintf(format, args...)}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := s.opts.RequestID()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		s.answer(w, reqID, fail("InvalidParameter", "cannot read the request body: %v", err))
		return
	}
	params, aerr := s.check(r, body)
	if aerr != nil {
		s.answer(w, reqID, aerr)
		return
	}
	id, _ := params["CertificateId"].(string)
	if f, ok := faultFor(id); ok {
		s.fault(w, r, reqID, f, params)
		return
	}
	cert, ok := certificateFor(id)
	switch {
	case !ok:
		s.answer(w, reqID, fail("FailedOperation.CertificateNotFound", "The certificate %s does not exist.", id))
		return
	case cert.Status != 5 && cert.Status != 13:
		s.answer(w, reqID, fail("FailedOperation.InvalidCertificateStatusCode", "The certificate %s has status %d; information can only be submitted while it awaits information.", id, cert.Status))
		return
	}
	s.mu.Lock()
	s.submissions = append(s.submissions, Submission{RequestId: reqID, Params: params, Body: body})
	s.mu.Unlock()
	s.logf("%s %s ok", reqID, id)
	s.writeJSON(w, map[string]any{"Response": map[string]any{"CertificateId": id, "RequestId": reqID}})
}

// check runs every check of the real endpoint, in its order: method, rate,
// size, content type, action, version, timestamp, Authorization, key,
// signature, token, then the parameters. It returns the parameters.
func (s *Server) check(r *http.Request, body []byte) (map[string]any, *apiError) {
	if r.Method != http.MethodPost {
		return nil, fail("UnsupportedProtocol", "The sandbox accepts POST requests with a JSON body only, not %s.", r.Method)
	}
	if !s.allow() {
		return nil, fail("RequestLimitExceeded", "Your current request rate has exceeded the limit of %d per second.", s.opts.Rate)
	}
	if len(body) > maxBody {
		return nil, fail("RequestSizeLimitExceeded", "The request body exceeds %d bytes.", maxBody)
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return nil, fail("InvalidParameter", "Content-Type %q is not supported: use application/json.", r.Header.Get("Content-Type"))
	}
	switch action := r.Header.Get("X-TC-Action"); {
	case action == "":
		return nil, fail("MissingParameter", "The request is missing the X-TC-Action header.")
	case action != api.Action:
		return nil, fail("InvalidAction", "The action %q is not found; the sandbox serves %s only.", action, api.Action)
	}
	switch v := r.Header.Get("X-TC-Version"); {
	case v == "":
		return nil, fail("MissingParameter", "The request is missing the X-TC-Version header.")
	case v != api.Version:
		return nil, fail("NoSuchVersion", "The API version %q does not exist; use %s.", v, api.Version)
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return nil, fail("MissingParameter", "X-TC-Timestamp is missing or not a Unix time.")
	}
	now := s.opts.Now()
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return nil, fail("AuthFailure.SignatureExpire", "Signature expired. Timestamp %d is %s from the server time %d; the limit is 300 seconds.", ts, d.Round(time.Second), now.Unix())
	}
	auth, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return nil, fail("AuthFailure.InvalidAuthorization", "The Authorization header is invalid: %v.", err)
	}
	if auth.SecretID != s.opts.SecretID {
		return nil, fail("AuthFailure.SecretIdNotFound", "The SecretId is not found; check it is correct and has no surrounding spaces.")
	}
	wantDate := time.Unix(ts, 0).UTC().Format("2006-01-02")
	if !serviceOK(auth.Service, r.Host) || auth.Date != wantDate || !slices.Contains(auth.SignedHeaders, "content-type") || !slices.Contains(auth.SignedHeaders, "host") {
		return nil, fail("AuthFailure.SignatureFailure", "The credential scope %s/%s does not match the request (want %s/%s, content-type and host signed).", auth.Date, auth.Service, wantDate, api.Service)
	}
	if !s.signatureMatches(r, auth, ts, body) {
		return nil, fail("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.")
	}
	if s.opts.Token != "" && r.Header.Get("X-TC-Token") != s.opts.Token {
		return nil, fail("AuthFailure.TokenFailure", "The session token is invalid or expired.")
	}
	return parseParams(body)
}

// serviceOK accepts the scope's service: "ssl", or — on a loopback sandbox
// only — the first label of the host, which is what Tencent's Node.js SDK
// derives from an endpoint such as 127.0.0.1:8417 ("127"). The signature
// must still verify with it; the real endpoint never sees such a host.
func serviceOK(service, host string) bool {
	if service == api.Service {
		return true
	}
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	first, _, _ := strings.Cut(h, ".")
	return api.IsLoopback(h) && service == first
}

// signatureMatches checks the signature over the Host header as received.
// The Go SDK signs host[:port] as sent, while the Node.js SDK signs the host
// name without its port; against the real endpoint (port 443, never written)
// both are the same, so on a sandbox port either form is accepted.
func (s *Server) signatureMatches(r *http.Request, auth Authorization, ts int64, body []byte) bool {
	hosts := []string{r.Host}
	if h, _, err := net.SplitHostPort(r.Host); err == nil {
		hosts = append(hosts, h)
	}
	for _, host := range hosts {
		header := func(name string) string {
			if name == "host" {
				return host
			}
			return r.Header.Get(name)
		}
		want := Signature(s.opts.SecretKey, auth.Service, ts, CanonicalRequest(header, auth.SignedHeaders, body))
		if hmac.Equal([]byte(want), []byte(auth.Signature)) {
			return true
		}
	}
	return false
}

// parseParams reads the JSON body as the service does: an object whose keys
// are this action's parameters, strings except DomainList (array of strings),
// with CertificateId present.
func parseParams(body []byte) (map[string]any, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return nil, fail("InvalidParameter", "The request body is not a JSON object.")
	}
	if dec.More() {
		return nil, fail("InvalidParameter", "The request body has data after the JSON object.")
	}
	for name, v := range raw {
		f, ok := api.Lookup(name)
		if !ok {
			return nil, fail("UnknownParameter", "The parameter `%s` is not recognized.", name)
		}
		if f.Kind == api.KindList {
			items, ok := v.([]any)
			if !ok {
				return nil, fail("InvalidParameter", "The parameter `%s` must be an array of strings.", name)
			}
			for _, it := range items {
				if _, ok := it.(string); !ok {
					return nil, fail("InvalidParameter", "The parameter `%s` must be an array of strings.", name)
				}
			}
			continue
		}
		str, ok := v.(string)
		if !ok {
			return nil, fail("InvalidParameter", "The parameter `%s` must be a string.", name)
		}
		if f.Kind == api.KindChoice && !choiceOK(f, str) {
			return nil, fail("InvalidParameterValue", "The value `%s` of parameter `%s` is invalid.", str, name)
		}
	}
	if id, _ := raw["CertificateId"].(string); id == "" {
		return nil, fail("MissingParameter", "The request is missing a required parameter `CertificateId`.")
	}
	return raw, nil
}

func choiceOK(f api.Field, v string) bool {
	for _, c := range f.Choices {
		if c.Value == v {
			return true
		}
	}
	return false
}

// allow records a request start and reports whether it is within the rate.
func (s *Server) allow() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	cut := 0
	for cut < len(s.starts) && now.Sub(s.starts[cut]) >= time.Second {
		cut++
	}
	s.starts = append(s.starts[cut:], now)
	if len(s.starts) > s.opts.Rate {
		s.refused++
		return false
	}
	return true
}

func faultFor(id string) (Fault, bool) {
	for _, f := range Faults {
		if f.ID == id {
			return f, true
		}
	}
	return Fault{}, false
}

func certificateFor(id string) (Certificate, bool) {
	for _, c := range Certificates {
		if c.ID == id {
			return c, true
		}
	}
	// demo0004 … demo9999: a stock of certificates awaiting information, for batches.
	if n, ok := strings.CutPrefix(id, "demo"); ok && len(n) == 4 && strings.Trim(n, "0123456789") == "" && n != "0000" {
		return Certificate{ID: id, Status: 5, About: "batch demo certificate awaiting information"}, true
	}
	return Certificate{}, false
}

func (s *Server) fault(w http.ResponseWriter, r *http.Request, reqID string, f Fault, params map[string]any) {
	switch {
	case f.Status != 0:
		s.logf("%s %s HTTP %d", reqID, f.ID, f.Status)
		http.Error(w, "upstream failure (sandbox fault "+f.ID+")", f.Status)
	case f.Garbled:
		s.logf("%s %s garbled answer", reqID, f.ID)
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>502 Bad Gateway (sandbox fault "+f.ID+")</body></html>")
	case f.Slow:
		s.logf("%s %s slow answer", reqID, f.ID)
		t := time.NewTimer(s.opts.SlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
			s.answer(w, reqID, fail("InternalError", "The sandbox answered slowly on purpose (%s).", f.ID))
		case <-r.Context().Done():
		}
	default:
		msg := f.Message
		if f.Code == "FailedOperation.CertificateInfoSubmitDomainInvalid" {
			domain, _ := params["CertificateDomain"].(string)
			msg = fmt.Sprintf(msg, domain)
		}
		s.answer(w, reqID, &apiError{Code: f.Code, Message: msg})
	}
}

func (s *Server) answer(w http.ResponseWriter, reqID string, e *apiError) {
	s.logf("%s %s", reqID, e.Code)
	s.writeJSON(w, map[string]any{"Response": map[string]any{
		"Error":     map[string]string{"Code": e.Code, "Message": e.Message},
		"RequestId": reqID,
	}})
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "%s sandbox: "+format+"\n", append([]any{time.Now().Format(time.TimeOnly)}, args...)...)
	}
}

// writeJSON answers with HTTP 200, as the service does even for errors, and
// a Date from the sandbox's clock so clients can measure their skew.
func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Date", s.opts.Now().UTC().Format(http.TimeFormat))
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(v)
}

// newRequestID returns a random UUID-shaped ID like the service's.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Serve runs the sandbox on addr until ctx ends; ready gets the bound address.
func Serve(ctx context.Context, addr string, s *Server, ready func(addr string)) error {
	srv := &http.Server{Addr: addr, Handler: s, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sandbox listen on %s: %w", addr, err)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	case err := <-errc:
		return fmt.Errorf("sandbox serve: %w", err)
	}
}

// Start serves s on a free loopback port in the background, for the
// in-process sandbox of `certwiz --sandbox`. stop shuts it down.
func Start(s *Server) (endpoint string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("start sandbox: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}
