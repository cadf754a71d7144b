// Package sandbox imitates the ssl endpoint, from the information to the
// issued certificate, for tests and for users trying certwiz without an
// account.
//
// It serves SubmitCertificateInformation, DescribeCertificates,
// DescribeCertificateDetail, CommitCertificateInformation,
// CheckCertificateDomainVerification, CompleteCertificate,
// DownloadCertificate and ApplyCertificate (free DV certificates, new or
// renewing one), and the hosting actions (hosting.go: which CLB listeners
// and CDN domains serve a certificate, replacing it there, deploying it to
// targets that serve none (hostdeploy.go), retrying and rolling back), over an in-memory set of certificates whose state
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
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/certwiz/certwiz/api"
)

// Submission is one accepted SubmitCertificateInformation call, as the
// sandbox parsed it.
type Submission struct {
	RequestId string
	Params    map[string]any
	Body      []byte
}

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

	start        time.Time     // Options.Now at New: the seeds' relative dates count from it
	applications []Application // accepted ApplyCertificate calls
	applied      int           // certificates ApplyCertificate made

	hosting     *hosting // resources bound to certificates, their updates
	updateCalls int      // accepted update, retry and rollback requests
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
	o.RolloutStep = orDefault(o.RolloutStep, DefaultRolloutStep)
	now := o.Now()
	s := &Server{opts: o, starts: map[string][]time.Time{}, calls: map[string][]time.Time{},
		certs: seed(o.ExtraCertificates, now), completions: map[string]int{}, start: now, hosting: newHosting()}
	for _, c := range s.certs {
		if c.orderID != "" {
			s.schedulePublish(c, now)
			c.caStarted = c.Status == 4 // DNS_AUTO: the CA checks by itself
		}
	}
	return s
}

// Started is the sandbox's start (Options.Now when New made it): seeds such
// as expfree1 are dated from it (Certificate.ExpiresInDays).
func (s *Server) Started() time.Time { return s.start }

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
	if faulty && !late && !f.Lost {
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
	case ActionApply:
		out, aerr = s.apply(reqID, params)
	case ActionBindSync:
		out, aerr = s.bindSync(params)
	case ActionBindDetail:
		out, aerr = s.bindDetail(params)
	case ActionUpdate:
		out, aerr = s.update(params)
	case ActionUpdateDetail:
		out, aerr = s.updateDetailAnswer(params)
	case ActionUpdateRetry:
		out, aerr = s.retry(params, false)
	case ActionUpdateRollback:
		out, aerr = s.rollback(params, false)
	case ActionNotices:
		out, aerr = s.notices(params)
	case ActionDeploy:
		out, aerr = s.deploy(params, r.Header.Get("X-TC-Region"))
	case ActionDeployDetail:
		out, aerr = s.recordAnswer(params, true)
	case ActionDeployRetry:
		out, aerr = s.retry(params, true)
	case ActionDeployRollback:
		out, aerr = s.rollback(params, true)
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
	if faulty && f.Lost && aerr == nil {
		// The action took effect; the answer is lost: the server closes
		// the connection without writing one.
		s.logf("%s %s %s answer lost", reqID, action, f.ID)
		panic(http.ErrAbortHandler)
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
	for _, k := range []string{"DomainName", "OldCertificateId", "TaskId", "DeployRecordId", "DeployRecordDetailId"} {
		if v, ok := params[k]; ok {
			return fmt.Sprint(v)
		}
	}
	if ids := asList(params["CertificateIds"]); len(ids) > 0 {
		return fmt.Sprint(ids)
	}
	return fmt.Sprintf("%d parameters", len(params))
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
