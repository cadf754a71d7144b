// Package sandbox imitates the ssl endpoint for tests and for users trying
// certwiz without an account, from the information to the issued
// certificate: SubmitCertificateInformation, DescribeCertificates,
// DescribeCertificateDetail, CommitCertificateInformation,
// CheckCertificateDomainVerification, CompleteCertificate and
// DownloadCertificate, over an in-memory set of certificates whose state
// the calls change (per process; nothing is saved). It verifies TC3
// signatures with its own verifier, answers in the service's JSON shapes
// (always with a RequestId, fields without a value as null), limits each
// action's rate, and has test certificate IDs that trigger every business
// error and transport fault of each action, and hostile archives.
//
// After a commit it makes validation records per name as the service does
// (TXT _dnsauth[.sub] in the name's zone, or a FILE under
// /.well-known/pki-validation/). Start and Serve also run, on loopback, a
// DNS server authoritative for the sandbox's zones and an HTTP and an
// HTTPS server for its sites, which publish each record PublishDelay
// (default 20 s) after the commit: the demo's stand-in for the user
// creating it. The sandbox's own check looks records up where certwiz's
// local check does (dnscheck, with Lookup), so both agree; CompleteCertificate
// lets the CA check, and once every record is found an in-memory sandbox CA
// issues a certificate for the submitted CSR (or a key it generates for
// CsrType online), downloaded as a ZIP laid out like Tencent's. Nothing it
// does sends a packet beyond loopback.
package sandbox

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
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
	"github.com/certwiz/certwiz/api/dnscheck"
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

// Fault is a documented test ID that makes the sandbox fail in one way.
type Fault struct {
	ID string
	// Action is the action the fault fires on; "" = every action that
	// names the ID (as CertificateId, or for DescribeCertificates as
	// SearchKey or in CertIds). A fault on DescribeCertificateDetail or
	// CommitCertificateInformation belongs to a certificate awaiting
	// information that can be submitted normally first.
	Action  string
	Code    string // service error code; "" for a transport fault
	Message string
	Status  int  // HTTP status of a transport fault
	Garbled bool // answer with a body that is not JSON
	// Slow answers only after Options.SlowDelay. With an Action set, the
	// action itself takes effect at once: only its answer is late.
	Slow bool
	// Archive: DownloadCertificate succeeds with this hostile archive
	// ("zip-slip", "bomb", "wrong-leaf", "bad-layout"); the ID is an
	// issued certificate.
	Archive string
}

// Faults lists the test IDs: one per business error of api.md and
// lifecycle.md for each action, plus transport faults, so every error
// screen can be shown and tested.
var Faults = []Fault{
	{ID: "testAuthError", Action: ActionSubmit, Code: "FailedOperation.AuthError", Message: "You are not authorized to perform this operation: CAM denied ssl:SubmitCertificateInformation."},
	{ID: "testExceedsFreeLimit", Action: ActionSubmit, Code: "FailedOperation.ExceedsFreeLimit", Message: "The number of free certificates exceeds the limit."},
	{ID: "testInvalidStatus", Action: ActionSubmit, Code: "FailedOperation.InvalidCertificateStatusCode", Message: "The certificate status does not allow this operation."},
	{ID: "testInvalidParam", Action: ActionSubmit, Code: "FailedOperation.InvalidParam", Message: "Invalid parameter: OrganizationAddress."},
	{ID: "testNoProjectPermission", Action: ActionSubmit, Code: "FailedOperation.NoProjectPermission", Message: "You have no permission for this project."},
	{ID: "testNoRealNameAuth", Action: ActionSubmit, Code: "FailedOperation.NoRealNameAuth", Message: "The account has not completed real-name verification."},
	{ID: "testInternalError", Action: ActionSubmit, Code: "InternalError", Message: "Internal error."},
	{ID: "testContactEmailEmpty", Action: ActionSubmit, Code: "FailedOperation.CertificateInfoSubmitContactEmailEmpty", Message: "The contact e-mail cannot be empty."},
	{ID: "testDomainInvalid", Action: ActionSubmit, Code: "FailedOperation.CertificateInfoSubmitDomainInvalid", Message: "Invalid domain: %s."},
	{ID: "testSubmitStatusInvalid", Action: ActionSubmit, Code: "FailedOperation.CertificateInfoSubmitStatusInvalid", Message: "The certificate status does not allow submitting information."},
	{ID: "testCertificateInvalid", Action: ActionSubmit, Code: "FailedOperation.CertificateInvalid", Message: "The certificate is invalid."},
	{ID: "testNotFoundOrAudited", Action: ActionSubmit, Code: "FailedOperation.CertificateNotFoundOrAudited", Message: "The certificate does not exist or has been reviewed."},
	{ID: "testIllegalManager", Action: ActionSubmit, Code: "FailedOperation.IllegalManagerStatus", Message: "The manager status is invalid."},
	{ID: "testCANetworkError", Action: ActionSubmit, Code: "FailedOperation.NetworkError", Message: "The CA system is busy, please try again later."},
	{ID: "testBackendError", Action: ActionSubmit, Code: "InternalError.BackendResponseError", Message: "Backend response error."},
	{ID: "testRateLimitExceeded", Action: ActionSubmit, Code: "LimitExceeded.RateLimitExceeded", Message: "The request rate exceeds the limit."},
	{ID: "testUnauthorized", Action: ActionSubmit, Code: "UnauthorizedOperation", Message: "Unauthorized operation."},
	{ID: "testRequestLimit", Action: ActionSubmit, Code: "RequestLimitExceeded", Message: "Your current request rate has exceeded the limit."},
	{ID: "testHTTP500", Status: http.StatusInternalServerError, Message: "HTTP 500 with a plain-text body"},
	{ID: "testGarbled", Garbled: true, Message: "HTTP 200 with a body that is not JSON"},
	{ID: "testSlow", Slow: true, Message: "answers only after the slow delay (default 30s)"},

	{ID: "testCommitAuthError", Action: ActionCommit, Code: "FailedOperation.AuthError", Message: "You are not authorized to perform this operation: CAM denied ssl:CommitCertificateInformation."},
	{ID: "testCommitCertificateInvalid", Action: ActionCommit, Code: "FailedOperation.CertificateInvalid", Message: "The certificate is invalid."},
	{ID: "testCommitNotFound", Action: ActionCommit, Code: "FailedOperation.CertificateNotFound", Message: "The certificate does not exist."},
	{ID: "testCommitInvalidStatus", Action: ActionCommit, Code: "FailedOperation.InvalidCertificateStatusCode", Message: "The certificate status does not allow this operation."},
	{ID: "testCommitInvalidParam", Action: ActionCommit, Code: "FailedOperation.InvalidParam", Message: "Invalid parameter: the submitted information is incomplete."},
	{ID: "testCommitNetworkError", Action: ActionCommit, Code: "FailedOperation.NetworkError", Message: "The CA system is busy, please try again later."},
	{ID: "testCommitNoProject", Action: ActionCommit, Code: "FailedOperation.NoProjectPermission", Message: "You have no permission for this project."},
	{ID: "testCommitNoRealName", Action: ActionCommit, Code: "FailedOperation.NoRealNameAuth", Message: "The account has not completed real-name verification."},
	{ID: "testCommitInternal", Action: ActionCommit, Code: "InternalError", Message: "Internal error."},
	{ID: "testCommitBackend", Action: ActionCommit, Code: "InternalError.BackendResponseError", Message: "Backend response error."},
	{ID: "testCommitHTTP500", Action: ActionCommit, Status: http.StatusInternalServerError, Message: "commit answers HTTP 500 with a plain-text body; nothing is committed"},
	{ID: "testCommitSlow", Action: ActionCommit, Slow: true, Message: "commit takes effect at once but answers only after the slow delay (default 30s)"},

	{ID: "testDetailAuthError", Action: ActionDetail, Code: "FailedOperation.AuthError", Message: "You are not authorized to perform this operation: CAM denied ssl:DescribeCertificateDetail."},
	{ID: "testDetailInternal", Action: ActionDetail, Code: "InternalError", Message: "Internal error."},

	{ID: "testDescribeAuthError", Action: ActionDescribe, Code: "FailedOperation.AuthError", Message: "You are not authorized to perform this operation: CAM denied ssl:DescribeCertificates."},
	{ID: "testDescribeInternal", Action: ActionDescribe, Code: "InternalError", Message: "Internal error."},

	{ID: "testCheckFailed", Action: ActionCheck, Code: "FailedOperation", Message: "Operation failed."},
	{ID: "testCheckCannotGetOrder", Action: ActionCheck, Code: "FailedOperation.CannotGetOrder", Message: "Failed to get the CA order."},
	{ID: "testCheckNotFound", Action: ActionCheck, Code: "FailedOperation.CertificateNotFound", Message: "The certificate does not exist."},
	{ID: "testCheckNotAllowVerify", Action: ActionCheck, Code: "FailedOperation.CertificateStatusNotAllowVerify", Message: "The certificate status does not allow checking domain validation."},
	{ID: "testCheckInvalidParam", Action: ActionCheck, Code: "FailedOperation.InvalidParam", Message: "Invalid parameter."},

	{ID: "testCompleteFailed", Action: ActionComplete, Code: "FailedOperation", Message: "Operation failed."},
	{ID: "testCompleteNotFoundOrAudited", Action: ActionComplete, Code: "FailedOperation.CertificateNotFoundOrAudited", Message: "The certificate does not exist or has been reviewed."},
	{ID: "testCompleteInvalidParam", Action: ActionComplete, Code: "FailedOperation.InvalidParam", Message: "Invalid parameter."},
	{ID: "testCompleteInternal", Action: ActionComplete, Code: "InternalError", Message: "Internal error."},

	{ID: "testDownloadCertificateInvalid", Action: ActionDownload, Code: "FailedOperation.CertificateInvalid", Message: "The certificate is invalid."},
	{ID: "testDownloadNotFound", Action: ActionDownload, Code: "FailedOperation.CertificateNotFound", Message: "The certificate does not exist."},
	{ID: "testDownloadInvalidStatus", Action: ActionDownload, Code: "FailedOperation.InvalidCertificateStatusCode", Message: "The certificate status does not allow this operation."},
	{ID: "testDownloadCannotGetOrder", Action: ActionDownload, Code: "FailedOperation.CannotGetOrder", Message: "Failed to get the CA order."},
	{ID: "testDownloadNoProject", Action: ActionDownload, Code: "FailedOperation.NoProjectPermission", Message: "You have no permission for this project."},
	{ID: "testDownloadNotAllow", Action: ActionDownload, Code: "FailedOperation.CertificateNotAllowDownload", Message: "The certificate is not allowed to be downloaded."},
	{ID: "testDownloadInternal", Action: ActionDownload, Code: "InternalError", Message: "Internal error."},
	{ID: "testDownloadZipSlip", Action: ActionDownload, Archive: archiveZipSlip, Message: "issued; its archive has entries ../evil.txt and /abs.txt"},
	{ID: "testDownloadBomb", Action: ActionDownload, Archive: archiveBomb, Message: "issued; its archive has one entry that inflates to 100 MB"},
	{ID: "testDownloadWrongLeaf", Action: ActionDownload, Archive: archiveWrongLeaf, Message: "issued; its archive holds a certificate for evil.attacker.test, not the order's hostile.example.com"},
	{ID: "testDownloadBadLayout", Action: ActionDownload, Archive: archiveBadLayout, Message: "issued; its archive holds names beside Tencent's layout: a file named like an nginx directive, .ssh/authorized_keys, .bashrc"},
}

// FaultsFor returns the faults that fire on an action (its own and those
// of every action), in the order of Faults.
func FaultsFor(action string) []Fault {
	var out []Fault
	for _, f := range Faults {
		if f.Action == "" || f.Action == action {
			out = append(out, f)
		}
	}
	return out
}

// Options configure a sandbox. Zero values take the defaults.
type Options struct {
	SecretID  string // default DemoSecretID
	SecretKey string // default DemoSecretKey
	Token     string // when set, X-TC-Token must equal it
	// Rate is how many requests of one action may start in any rolling
	// second before RequestLimitExceeded; each action counts on its own, as
	// the service does (default api.DefaultRate).
	Rate      int
	SlowDelay time.Duration // how long the slow faults wait (default 30s)
	Now       func() time.Time
	Log       io.Writer     // one line per request; nil for none
	RequestID func() string // makes RequestIds; default random UUIDs (tests fix them)
	// ExtraCertificates adds that many DV certificates awaiting
	// information, bulk00001, bulk00002…, ordered a minute apart, so that
	// listing them takes several pages.
	ExtraCertificates int

	// PublishDelay: a committed certificate's records appear on the
	// sandbox's DNS and HTTP servers this long after the commit (seeded
	// committed certificates: after New); default 20s, negative = at once.
	PublishDelay time.Duration
	// NoPublish: never publish (tests add records to servers of their own).
	NoPublish bool
	// Lookup is where the sandbox's own check and the CA's look records up;
	// nil = its own servers (Lookup), once started.
	Lookup *dnscheck.Options
	// FrequentWindow: a second Check of one certificate within it answers
	// Frequently; default 5s, negative = never (tests that check in quick
	// succession, so the answer never hangs on how fast the machine is).
	FrequentWindow time.Duration
	// IssueDelay: from a successful CA check to issuance; default 3s,
	// negative = at once.
	IssueDelay time.Duration
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

// Submission is one accepted SubmitCertificateInformation call, as the
// sandbox parsed it.
type Submission struct {
	RequestId string
	Params    map[string]any
	Body      []byte
}

// maxCalls is how many request starts Calls keeps per action.
const maxCalls = 100_000

// Server is the sandbox endpoint; it is an http.Handler.
type Server struct {
	opts        Options
	mu          sync.Mutex
	starts      map[string][]time.Time // per action, those of the last second
	calls       map[string][]time.Time // per action, every start (the last maxCalls)
	certs       map[string]*cert
	submissions []Submission
	refused     int            // requests refused for the rate
	completions map[string]int // CompleteCertificate calls per certificate ID
	svc         *services      // the validation servers, once started
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
	o.PublishDelay = orDefault(o.PublishDelay, DefaultPublishDelay)
	o.IssueDelay = orDefault(o.IssueDelay, DefaultIssueDelay)
	o.FrequentWindow = orDefault(o.FrequentWindow, DefaultFrequentWindow)
	s := &Server{opts: o, starts: map[string][]time.Time{}, calls: map[string][]time.Time{},
		certs: seed(o.ExtraCertificates, o.Now()), completions: map[string]int{}}
	now := o.Now()
	for _, c := range s.certs {
		if c.orderID != "" {
			s.schedulePublish(c, now)
			c.caStarted = c.Status == 4 // DNS_AUTO: the CA checks by itself
		}
	}
	return s
}

// orDefault: zero takes the default, negative means none.
func orDefault(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

// Calls returns when each request naming an action (X-TC-Action) started,
// oldest first, refused ones included: what the rate limit counts. It keeps
// the last 100 000 per action; Calls("") has the requests that named no
// action the sandbox serves.
func (s *Server) Calls(action string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls[action])
}

// SecretID is the key ID the sandbox accepts.
func (s *Server) SecretID() string { return s.opts.SecretID }

// Submissions returns the SubmitCertificateInformation calls the sandbox
// accepted, oldest first.
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
	action, params, aerr := s.check(r, body)
	if aerr != nil {
		s.answer(w, reqID, aerr)
		return
	}
	f, faulty := faultFor(action, params)
	late := faulty && f.Slow && f.Action != ""
	if faulty && !late {
		s.fault(w, r, reqID, f, params)
		return
	}
	var out map[string]any
	switch action {
	case ActionSubmit:
		out, aerr = s.submit(reqID, params, body)
	case ActionDescribe:
		out, aerr = s.describe(params)
	case ActionDetail:
		out, aerr = s.detail(params)
	case ActionCommit:
		out, aerr = s.commit(params)
	case ActionCheck:
		out, aerr = s.checkDomains(r.Context(), params)
	case ActionComplete:
		out, aerr = s.complete(r.Context(), params)
	case ActionDownload:
		out, aerr = s.download(params)
	}
	if late {
		s.logf("%s %s %s slow answer", reqID, action, f.ID)
		t := time.NewTimer(s.opts.SlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	if aerr != nil {
		s.answer(w, reqID, aerr)
		return
	}
	s.logf("%s %s %s ok", reqID, action, subject(action, params))
	out["RequestId"] = reqID
	s.writeJSON(w, map[string]any{"Response": out})
}

// subject names what a request is about, for the log.
func subject(action string, params map[string]any) string {
	if id, ok := params["CertificateId"].(string); ok {
		return id
	}
	return fmt.Sprintf("%d parameters", len(params))
}

// check runs every check of the real endpoint, in its order: method, rate
// (per action), size, content type, action, version, timestamp,
// Authorization, key, signature, token, then the action's parameters. It
// returns the action and its parameters.
func (s *Server) check(r *http.Request, body []byte) (string, map[string]any, *apiError) {
	if r.Method != http.MethodPost {
		return "", nil, fail("UnsupportedProtocol", "The sandbox accepts POST requests with a JSON body only, not %s.", r.Method)
	}
	action := r.Header.Get("X-TC-Action")
	if !s.allow(action) {
		return "", nil, fail("RequestLimitExceeded", "Your current request rate has exceeded the limit of %d per second for %s.", s.opts.Rate, action)
	}
	if len(body) > maxBody {
		return "", nil, fail("RequestSizeLimitExceeded", "The request body exceeds %d bytes.", maxBody)
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return "", nil, fail("InvalidParameter", "Content-Type %q is not supported: use application/json.", r.Header.Get("Content-Type"))
	}
	switch {
	case action == "":
		return "", nil, fail("MissingParameter", "The request is missing the X-TC-Action header.")
	case !slices.Contains(Actions, action):
		return "", nil, fail("InvalidAction", "The action %q is not found; the sandbox serves %s.", action, strings.Join(Actions, ", "))
	}
	switch v := r.Header.Get("X-TC-Version"); {
	case v == "":
		return "", nil, fail("MissingParameter", "The request is missing the X-TC-Version header.")
	case v != api.Version:
		return "", nil, fail("NoSuchVersion", "The API version %q does not exist; use %s.", v, api.Version)
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return "", nil, fail("MissingParameter", "X-TC-Timestamp is missing or not a Unix time.")
	}
	now := s.opts.Now()
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return "", nil, fail("AuthFailure.SignatureExpire", "Signature expired. Timestamp %d is %s from the server time %d; the limit is 300 seconds.", ts, d.Round(time.Second), now.Unix())
	}
	auth, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return "", nil, fail("AuthFailure.InvalidAuthorization", "The Authorization header is invalid: %v.", err)
	}
	if auth.SecretID != s.opts.SecretID {
		return "", nil, fail("AuthFailure.SecretIdNotFound", "The SecretId is not found; check it is correct and has no surrounding spaces.")
	}
	wantDate := time.Unix(ts, 0).UTC().Format("2006-01-02")
	if !serviceOK(auth.Service, r.Host) || auth.Date != wantDate || !slices.Contains(auth.SignedHeaders, "content-type") || !slices.Contains(auth.SignedHeaders, "host") {
		return "", nil, fail("AuthFailure.SignatureFailure", "The credential scope %s/%s does not match the request (want %s/%s, content-type and host signed).", auth.Date, auth.Service, wantDate, api.Service)
	}
	if !s.signatureMatches(r, auth, ts, body) {
		return "", nil, fail("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.")
	}
	if s.opts.Token != "" && r.Header.Get("X-TC-Token") != s.opts.Token {
		return "", nil, fail("AuthFailure.TokenFailure", "The session token is invalid or expired.")
	}
	params, aerr := parseAction(action, body)
	return action, params, aerr
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

// parseParams reads SubmitCertificateInformation's JSON body as the
// service does: an object whose keys are the catalogue's parameters
// (api.Fields), strings except DomainList (array of strings) and IsDV
// (boolean), with CertificateId present.
func parseParams(body []byte) (map[string]any, *apiError) {
	raw, aerr := decodeObject(body)
	if aerr != nil {
		return nil, aerr
	}
	for _, name := range slices.Sorted(maps.Keys(raw)) {
		v := raw[name]
		f, ok := api.Lookup(name)
		if !ok {
			return nil, fail("UnknownParameter", "The parameter `%s` is not recognized.", name)
		}
		if f.Kind == api.KindBool { // IsDV
			if _, ok := v.(bool); !ok {
				return nil, fail("InvalidParameter", "The parameter `%s` must be a boolean.", name)
			}
			continue
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

// allow records a start of an action's request and reports whether it is
// within the action's rate. Requests naming no action the sandbox serves
// share one count, under "".
func (s *Server) allow(action string) bool {
	if !slices.Contains(Actions, action) {
		action = ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	calls := append(s.calls[action], now)
	if len(calls) > maxCalls {
		calls = slices.Delete(calls, 0, len(calls)-maxCalls)
	}
	s.calls[action] = calls
	starts := s.starts[action]
	cut := 0
	for cut < len(starts) && now.Sub(starts[cut]) >= time.Second {
		cut++
	}
	starts = append(starts[cut:], now)
	s.starts[action] = starts
	if len(starts) > s.opts.Rate {
		s.refused++
		return false
	}
	return true
}

// faultByID finds the fault of a test ID.
func faultByID(id string) (Fault, bool) {
	for _, f := range Faults {
		if f.ID == id {
			return f, true
		}
	}
	return Fault{}, false
}

// faultFor finds the fault a request triggers: one of its action (or of
// every action) named by its CertificateId, or for DescribeCertificates by
// its SearchKey or one of its CertIds.
func faultFor(action string, params map[string]any) (Fault, bool) {
	names := []any{params["CertificateId"]}
	if action == ActionDescribe {
		names = append([]any{params["SearchKey"]}, asList(params["CertIds"])...)
	}
	for _, n := range names {
		id, _ := n.(string)
		if f, ok := faultByID(id); ok && id != "" && (f.Action == "" || f.Action == action) {
			return f, true
		}
	}
	return Fault{}, false
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func (s *Server) fault(w http.ResponseWriter, r *http.Request, reqID string, f Fault, params map[string]any) {
	switch {
	case f.Status != 0:
		s.logf("%s %s HTTP %d", reqID, f.ID, f.Status)
		http.Error(w, "upstream failure (sandbox fault "+f.ID+")", f.Status)
	case f.Archive != "":
		zip, err := hostileZip(f.Archive)
		if err != nil {
			s.answer(w, reqID, fail("InternalError", "The sandbox could not build %s's archive: %v.", f.ID, err))
			return
		}
		s.logf("%s %s hostile archive (%s)", reqID, f.ID, f.Archive)
		s.writeJSON(w, map[string]any{"Response": map[string]any{
			"Content": base64.StdEncoding.EncodeToString(zip), "ContentType": "application/zip", "RequestId": reqID,
		}})
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

// Serve runs the sandbox on addr until ctx ends, with its validation
// servers (DNS, HTTP, HTTPS) on free ports of the same loopback host
// (127.0.0.1 when addr is not on loopback); ready gets the bound address,
// and s.Addrs and s.Lookup are set by then.
func Serve(ctx context.Context, addr string, s *Server, ready func(addr string)) error {
	srv := &http.Server{Addr: addr, Handler: s, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sandbox listen on %s: %w", addr, err)
	}
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	if err := s.startServices(host); err != nil {
		ln.Close()
		return err
	}
	defer s.stopServices()
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
// in-process sandbox of `certwiz --sandbox`, with its validation servers
// (s.Addrs, s.Lookup). stop shuts them all down.
func Start(s *Server) (endpoint string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("start sandbox: %w", err)
	}
	if err := s.startServices("127.0.0.1"); err != nil {
		ln.Close()
		return "", nil, fmt.Errorf("start sandbox: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close(); s.stopServices() }, nil
}
