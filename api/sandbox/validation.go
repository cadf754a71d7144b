package sandbox

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/csr"
	"github.com/certwiz/certwiz/api/dnscheck"
)

// The LocalCheck values the sandbox answers (lifecycle.md).
const (
	localPassed       = 1
	localTXTMissing   = -1
	localTXTOther     = -2
	localFileMissing  = -4
	localFileOther    = -5
	localCNAMEMissing = -6
	localCNAMEOther   = -7
)

// The CaCheck values.
const (
	caPassed  = 2
	caPending = -1
)

// schedulePublish sets when a certificate committed at t shows its records:
// after the publish delay, at once for DNS_AUTO (Tencent adds those), never
// with NoPublish.
func (s *Server) schedulePublish(c *cert, t time.Time) {
	switch {
	case s.opts.NoPublish:
		c.publishAt = time.Time{}
	case c.VerifyType == "DNS_AUTO":
		c.publishAt = t
	default:
		c.publishAt = t.Add(s.opts.PublishDelay)
	}
}

// publishedLocked lists the records published by now. The caller holds s.mu.
func (s *Server) publishedLocked(now time.Time) []dvRecord {
	var out []dvRecord
	for _, c := range s.certs {
		if c.orderID != "" && !c.publishAt.IsZero() && !now.Before(c.publishAt) {
			out = append(out, c.records()...)
		}
	}
	return out
}

// zonesLocked are the zones the sandbox's DNS server is authoritative for:
// those of every name of its certificates. The caller holds s.mu.
func (s *Server) zonesLocked() map[string]bool {
	zones := map[string]bool{}
	add := func(n string) {
		if z := zoneOf(n); z != "" {
			zones[z] = true
		}
	}
	for _, c := range s.certs {
		if c.Domain != "" {
			add(c.Domain)
		}
		for _, n := range c.SubjectAltName {
			add(n)
		}
		for _, n := range c.names() {
			add(n)
		}
	}
	return zones
}

// advanceLocked issues a certificate whose CA check passed once its issue
// time has come. The caller holds s.mu.
func (s *Server) advanceLocked(c *cert) {
	if c.issueAt.IsZero() || (c.Status != 0 && c.Status != 4) || s.opts.Now().Before(c.issueAt) {
		return
	}
	begin := c.issueAt.In(beijing).Truncate(time.Second)
	validity := c.validity
	if validity == 0 {
		validity = 365 * 24 * time.Hour
	}
	c.CertBeginTime = begin.Format(timeLayout)
	c.CertEndTime = begin.Add(validity - time.Second).Format(timeLayout)
	c.Status, c.StatusMsg = 1, ""
	if names := c.names(); len(names) > 0 {
		c.SubjectAltName = names
	}
	if err := s.materializeLocked(c); err != nil {
		// A CSR the CA cannot use fails the review, as at a real CA.
		s.logf("%s review failed: %v", c.ID, err)
		c.Status, c.CertBeginTime, c.CertEndTime = 2, "", ""
		return
	}
	s.logf("%s issued", c.ID)
}

// materializeLocked signs the leaf of an issued certificate the first time
// it is needed (seeded issued certificates included). The caller holds s.mu.
func (s *Server) materializeLocked(c *cert) error {
	if c.issued != nil {
		return nil
	}
	ca, err := sandboxCA()
	if err != nil {
		return err
	}
	begin, err1 := time.ParseInLocation(timeLayout, c.CertBeginTime, beijing)
	end, err2 := time.ParseInLocation(timeLayout, c.CertEndTime, beijing)
	if err1 != nil || err2 != nil {
		now := s.opts.Now()
		begin, end = now, now.Add(365*24*time.Hour)
	}
	names := c.names()
	if len(names) == 0 {
		names = c.SubjectAltName
	}
	if len(names) == 0 && c.Domain != "" {
		names = []string{c.Domain}
	}
	if c.UserKey && c.userKey == "" && len(names) > 0 {
		// The user made the key and its CSR before the sandbox started:
		// make them now, keep the key (Server.UserKey), submit the CSR.
		gen, err := csr.Generate(csr.ECDSAP256, csr.Subject{CommonName: names[0]}, names[1:], nil)
		if err != nil {
			return fmt.Errorf("sandbox: the user's key of %s: %w", c.ID, err)
		}
		c.userKey = string(gen.KeyPEM)
		c.submitted["CsrType"], c.submitted["CsrContent"] = "parse", string(gen.CSRPEM)
	}
	iss, err := ca.issue(c.submitted, names, begin, end)
	if err != nil {
		return err
	}
	c.issued = &iss
	return nil
}

// local is the sandbox's look at one record, in the service's terms.
type local struct {
	code   int
	reason string
	values []string
}

// lookupOptions says where the sandbox looks records up: Options.Lookup,
// else its own servers; ok is false when there is nowhere safe to look
// (a sandbox served without Start or Serve has no DNS or HTTP server, and
// it never asks the system's resolver).
func (s *Server) lookupOptions() (dnscheck.Options, bool) {
	if s.opts.Lookup != nil {
		return *s.opts.Lookup, true
	}
	s.mu.Lock()
	started := s.svc != nil
	s.mu.Unlock()
	if !started {
		return dnscheck.Options{}, false
	}
	return s.Lookup(), true
}

// look checks every record where certwiz's local check does (dnscheck), at
// once. It must be called without s.mu: the sandbox's own DNS and HTTP
// servers take it to answer.
func (s *Server) look(ctx context.Context, recs []dvRecord) []local {
	o, ok := s.lookupOptions()
	out := make([]local, len(recs))
	var wg sync.WaitGroup
	for i, r := range recs {
		missing := localTXTMissing
		if r.Type == "FILE" {
			missing = localFileMissing
		}
		switch {
		case !ok:
			out[i] = local{code: missing, reason: "not looked up: the sandbox's DNS and HTTP servers are not running"}
			continue
		case r.Type == "FILE" && o.Dial == nil:
			out[i] = local{code: missing, reason: "not fetched: the sandbox only fetches through its own dialer"}
			continue
		case r.Type != "FILE" && o.Resolver == "" && len(o.Nameservers) == 0:
			out[i] = local{code: missing, reason: "not looked up: the sandbox never asks the system's resolver"}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = lookOne(ctx, r, o)
		}()
	}
	wg.Wait()
	return out
}

// apiRecord is a record as api (and so dnscheck) describes it.
func (r dvRecord) apiRecord() api.Record {
	if r.Type == "FILE" {
		return api.Record{Type: "FILE", Zone: r.Zone, Value: r.Value, Path: r.path(),
			URLs: []string{"http://" + r.Zone + r.path(), "https://" + r.Zone + r.path()}}
	}
	name := r.Sub + "." + r.Zone
	return api.Record{Type: r.Type, Zone: r.Zone, Host: r.Sub, Name: name, FQDN: name + ".", Value: r.Value}
}

func lookOne(ctx context.Context, r dvRecord, o dnscheck.Options) local {
	rec := r.apiRecord()
	if r.Type == "FILE" {
		res := dnscheck.CheckFile(ctx, rec, o)
		var l local
		for _, a := range res.Answers {
			if a.Status == 200 && a.Err == "" {
				l.values = append(l.values, a.Values...)
			}
		}
		switch {
		case res.Found:
			l.code = localPassed
		case len(l.values) > 0:
			l.code, l.reason = localFileOther, "the file at "+strings.Join(res.Servers, " or ")+" has other content"
		default:
			l.code, l.reason = localFileMissing, "no file at "+strings.Join(res.Servers, " or ")+firstErr(res)
		}
		return l
	}
	res := dnscheck.Check(ctx, rec, o)
	var l local
	for _, a := range res.Answers {
		if !a.Authoritative {
			continue
		}
		for _, v := range a.Values {
			if !slices.Contains(l.values, v) {
				l.values = append(l.values, v)
			}
		}
	}
	missing, other := localTXTMissing, localTXTOther
	if r.Type == "CNAME" {
		missing, other = localCNAMEMissing, localCNAMEOther
	}
	switch {
	case res.Found:
		l.code = localPassed
	case len(l.values) > 0:
		l.code, l.reason = other, fmt.Sprintf("%s %s has another value", r.Type, rec.Name)
	default:
		l.code, l.reason = missing, fmt.Sprintf("no %s record %s at %s%s", r.Type, rec.Name, strings.Join(res.Servers, ", "), firstErr(res))
	}
	return l
}

// firstErr says why a look-up failed, when one did.
func firstErr(res dnscheck.Result) string {
	if res.Err != "" {
		return " (" + res.Err + ")"
	}
	for _, a := range res.Answers {
		if a.Err != "" {
			return " (" + a.Err + ")"
		}
	}
	return ""
}

// caCheckLocked is the CA looking at the records: when every one was found,
// the certificate is issued after IssueDelay. The caller holds s.mu.
func (s *Server) caCheckLocked(c *cert, found []local) {
	if !c.caStarted || !c.issueAt.IsZero() || (c.Status != 0 && c.Status != 4) || len(found) == 0 {
		return
	}
	for _, l := range found {
		if l.code != localPassed {
			return
		}
	}
	c.issueAt = s.opts.Now().Add(s.opts.IssueDelay)
	s.logf("%s CA check passed: issued at %s", c.ID, c.issueAt.Format(time.TimeOnly))
	s.advanceLocked(c)
}

// verifiable reports whether Check is allowed: awaiting domain validation,
// DNS_AUTO, or issued.
func verifiable(c *cert) bool {
	return c.Status == 0 && c.StatusMsg == "PENDING-DCV" || c.Status == 4 || c.Status == 1
}

// checkDomains answers CheckCertificateDomainVerification: one result per
// name, from a fresh look-up of every record (and, once the CA was asked,
// the CA's check), or — when asked again within FrequentWindow — every
// result Frequently with no progress.
func (s *Server) checkDomains(ctx context.Context, p map[string]any) (map[string]any, *apiError) {
	id, _ := p["CertificateId"].(string)
	s.mu.Lock()
	c, ok := s.lookup(id)
	switch {
	case !ok:
		s.mu.Unlock()
		return nil, fail("FailedOperation.CertificateNotFound", "The certificate %s does not exist.", id)
	case !verifiable(c):
		s.mu.Unlock()
		return nil, fail("FailedOperation.CertificateStatusNotAllowVerify", "The certificate %s has status %d (%s); domain validation can only be checked while it awaits validation.", id, c.Status, StatusNames[c.Status])
	}
	recs := c.records()
	now := s.opts.Now()
	if c.Status == 1 {
		out := results(c, recs, nil, false)
		s.mu.Unlock()
		return out, nil
	}
	if s.opts.FrequentWindow > 0 && !c.lastCheck.IsZero() && now.Sub(c.lastCheck) < s.opts.FrequentWindow {
		c.frequently++
		out := results(c, recs, nil, true)
		s.mu.Unlock()
		return out, nil
	}
	c.lastCheck = now
	s.mu.Unlock()

	found := s.look(ctx, recs)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.caCheckLocked(c, found)
	s.advanceLocked(c)
	return results(c, recs, found, false), nil
}

// results lays the check out as the service does.
func results(c *cert, recs []dvRecord, found []local, frequently bool) map[string]any {
	list := make([]any, 0, len(recs))
	ca := caPending
	if c.Status == 1 || !c.issueAt.IsZero() {
		ca = caPassed
	}
	for i, r := range recs {
		var l local
		switch {
		case c.Status == 1:
			l = local{code: localPassed, values: []string{r.Value}}
		case frequently:
			l = local{code: localTXTMissing, reason: "checked too often: wait a few seconds before checking again"}
		case i < len(found):
			l = found[i]
		}
		values := l.values
		if values == nil {
			values = []string{}
		}
		list = append(list, map[string]any{
			"Domain":               r.Domain,
			"VerifyType":           c.VerifyType,
			"LocalCheck":           l.code,
			"LocalCheckFailReason": null(l.reason),
			"CheckValue":           values,
			"CaCheck":              ca,
			"Frequently":           frequently,
			"Issued":               c.Status == 1,
		})
	}
	return map[string]any{"VerificationResults": list}
}

// complete answers CompleteCertificate: the CA checks every record now
// (and again on every later Check), at status 0 PENDING-DCV or 4 only.
func (s *Server) complete(ctx context.Context, p map[string]any) (map[string]any, *apiError) {
	id, _ := p["CertificateId"].(string)
	s.mu.Lock()
	s.completions[id]++
	c, ok := s.lookup(id)
	if !ok || !(c.Status == 0 && c.StatusMsg == "PENDING-DCV" || c.Status == 4) {
		s.mu.Unlock()
		if !ok {
			return nil, fail("FailedOperation.CertificateNotFoundOrAudited", "The certificate %s does not exist.", id)
		}
		return nil, fail("FailedOperation.CertificateNotFoundOrAudited", "The certificate %s has status %d (%s): it is not waiting for domain validation.", id, c.Status, StatusNames[c.Status])
	}
	c.caStarted = true
	recs := c.records()
	s.mu.Unlock()

	found := s.look(ctx, recs)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.caCheckLocked(c, found)
	return map[string]any{"CertificateId": id}, nil
}

// download answers DownloadCertificate: an issued certificate's archive,
// laid out like Tencent's.
func (s *Server) download(p map[string]any) (map[string]any, *apiError) {
	id, _ := p["CertificateId"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.certAt(id, func(c *cert) bool { return c.Status == 1 }, "only an issued certificate can be downloaded")
	if e != nil {
		return nil, e
	}
	if err := s.materializeLocked(c); err != nil {
		return nil, fail("InternalError", "The sandbox could not issue %s: %v.", id, err)
	}
	ca, err := sandboxCA()
	if err != nil {
		return nil, fail("InternalError", "The sandbox CA is not available: %v.", err)
	}
	zip, err := tencentZip(c.Domain, c.issued, ca.interPEM)
	if err != nil {
		return nil, fail("InternalError", "The sandbox could not pack %s: %v.", id, err)
	}
	return map[string]any{"Content": base64.StdEncoding.EncodeToString(zip), "ContentType": "application/zip"}, nil
}

// UserKey returns the private key (PEM) of an issued seeded certificate
// whose key the user generated (Certificate.UserKey, e.g. exppaid1): its
// archive holds none, and tests that install it need it. False for any
// other certificate, or when its leaf cannot be made.
func (s *Server) UserKey(id string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.lookup(id)
	if !ok || !c.UserKey || c.Status != 1 || s.materializeLocked(c) != nil || c.userKey == "" {
		return nil, false
	}
	return []byte(c.userKey), true
}

// FrequentlyAnswers counts the Check answers about a certificate refused as
// too frequent.
func (s *Server) FrequentlyAnswers(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.certs[id]; ok {
		return c.frequently
	}
	return 0
}

// Completions counts the CompleteCertificate calls naming a certificate
// that reached the action (refused ones included, test-ID faults not).
func (s *Server) Completions(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.completions[id]
}
