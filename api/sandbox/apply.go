package sandbox

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
)

// Application is one ApplyCertificate call the sandbox accepted, as it
// parsed it. A CsrKeyPassword is never kept: Params holds "(hidden)" in
// its place.
type Application struct {
	RequestId     string
	CertificateId string // the certificate it made
	Params        map[string]any
}

// Applications returns the ApplyCertificate calls the sandbox accepted,
// oldest first.
func (s *Server) Applications() []Application {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.applications)
	for i := range out {
		out[i].Params = cloneParams(out[i].Params)
	}
	return out
}

// renewWindow is how close to its end a free certificate may be renewed
// (the SDK: "证书有效期在30天内，且未过期").
const renewWindow = 30 * 24 * time.Hour

// freeValidity is a free certificate's validity: 3 months.
const freeValidity = 90 * 24 * time.Hour

// appliedID names the nth certificate ApplyCertificate makes: apply001…
func appliedID(n int) string { return fmt.Sprintf("apply%03d", n) }

// apply answers ApplyCertificate: a free DV certificate (TrustAsia C1 DV
// Free) for one name, awaiting domain validation as a committed one does
// — status 0 PENDING-DCV with its records (DNS or FILE), or with DNS_AUTO
// status 4, Tencent adding the record and the CA issuing it after
// IssueDelay by itself. With OldCertificateId it renews that free
// certificate, which must be issued, in its last 30 days, for the same
// name, and not already renewed (its HasRenewOrder then names the new one).
func (s *Server) apply(reqID string, p map[string]any) (map[string]any, *apiError) {
	method := stringParam(p, "DvAuthMethod")
	domain := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(stringParam(p, "DomainName")), "."))
	if e := checkApply(p, method, domain); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	var old *cert
	if oldID := stringParam(p, "OldCertificateId"); oldID != "" {
		var e *apiError
		if old, e = s.renewable(oldID, domain, now); e != nil {
			return nil, e
		}
	}
	if s.opts.FreeLimit > 0 && s.applied >= s.opts.FreeLimit {
		return nil, fail("FailedOperation.ExceedsFreeLimit", "The number of free certificates exceeds the limit (%d in this sandbox).", s.opts.FreeLimit)
	}
	s.applied++
	id := appliedID(s.applied)
	c := productTrustAsiaC1.on(Certificate{ID: id, About: "applied for with ApplyCertificate",
		Domain: domain, SubjectAltName: []string{domain}, Alias: stringParam(p, "Alias"), VerifyType: method,
		InsertTime: now.In(beijing).Format(timeLayout)})
	nc := &cert{Certificate: c, orderID: orderIDFor(id), validity: freeValidity,
		submitted: map[string]any{"CsrType": "online", "CertificateDomain": domain, "VerifyType": method}}
	for _, k := range []string{"CsrEncryptAlgo", "CsrKeyParameter", "ContactEmail"} {
		if v := stringParam(p, k); v != "" {
			nc.submitted[k] = v
		}
	}
	nc.DVAuthDeadline = now.In(beijing).Add(7 * 24 * time.Hour).Format(timeLayout)
	if method == string(api.MethodDNSAuto) {
		// Tencent adds the record and the CA checks it on its own.
		nc.Status, nc.caStarted, nc.issueAt = 4, true, now.Add(s.opts.IssueDelay)
	} else {
		nc.Status, nc.StatusMsg = 0, "PENDING-DCV"
	}
	s.schedulePublish(nc, now)
	s.certs[id] = nc
	if old != nil {
		old.HasRenewOrder = id
	}
	params := cloneParams(p)
	if _, ok := params["CsrKeyPassword"]; ok {
		params["CsrKeyPassword"] = "(hidden)"
	}
	s.applications = append(s.applications, Application{RequestId: reqID, CertificateId: id, Params: params})
	s.advanceLocked(nc)
	return map[string]any{"CertificateId": id}, nil
}

// renewable finds the certificate an application renews and checks it may
// be renewed now, for this domain. The caller holds s.mu.
func (s *Server) renewable(id, domain string, now time.Time) (*cert, *apiError) {
	old, e := s.certAt(id, func(c *cert) bool { return c.Status == 1 }, "only an issued free certificate in its last 30 days can be renewed")
	if e != nil {
		return nil, e
	}
	if !api.IsFreePackage(old.PackageType) {
		return nil, fail("FailedOperation.InvalidParam", "The certificate %s is a paid certificate (PackageType %s): ApplyCertificate renews free certificates only.", id, old.PackageType)
	}
	end, ok := api.ParseTime(old.CertEndTime)
	switch {
	case !ok || !now.Before(end):
		return nil, fail("FailedOperation.InvalidCertificateStatusCode", "The certificate %s has expired: it can no longer be renewed; apply without OldCertificateId.", id)
	case end.Sub(now) > renewWindow:
		return nil, fail("FailedOperation.InvalidCertificateStatusCode", "The certificate %s ends %s: it can be renewed only within its last 30 days.", id, old.CertEndTime)
	case !strings.EqualFold(old.Domain, domain):
		return nil, fail("FailedOperation.InvalidParam", "The domain %s differs from %s, the domain of certificate %s: a renewal keeps the domain.", domain, old.Domain, id)
	}
	if r, ok := s.certs[old.HasRenewOrder]; ok && old.HasRenewOrder != "" {
		s.advanceLocked(r)
		if r.Status == 0 || r.Status == 1 || r.Status == 4 {
			return nil, fail("FailedOperation.InvalidCertificateStatusCode", "The certificate %s already has a renewal, certificate %s (status %d, %s): it cannot be renewed twice.", id, r.ID, r.Status, StatusNames[r.Status])
		}
	}
	return old, nil
}

// checkApply checks what ApplyCertificate takes before any certificate is
// looked at: one DNS name (no wildcard, at most 64 characters) and the
// free product's options.
func checkApply(p map[string]any, method, domain string) *apiError {
	switch {
	case utf8Len(domain) > api.MaxFreeDomain:
		return fail("InvalidParameterValue.CertificateDomainMaxLengthInvalid", "The domain is too long: a certificate domain cannot exceed %d characters.", api.MaxFreeDomain)
	case strings.HasPrefix(domain, "*."):
		return fail("FailedOperation.InvalidParam", "The domain %s is a wildcard: free certificates cover one name.", domain)
	case !dnsName(domain):
		return fail("FailedOperation.InvalidParam", "The domain %q is not a valid domain name.", domain)
	}
	if v, ok := p["PackageType"].(string); ok && v != api.PackageFreeDV {
		return fail("FailedOperation.InvalidParam", "PackageType %q is not offered: only %s (TrustAsia C1 DV Free).", v, api.PackageFreeDV)
	}
	if v, ok := p["ValidityPeriod"].(string); ok && v != "3" {
		return fail("FailedOperation.InvalidParam", "ValidityPeriod %q is not offered: free certificates are valid 3 months.", v)
	}
	algo, param := stringParam(p, "CsrEncryptAlgo"), stringParam(p, "CsrKeyParameter")
	switch {
	case algo != "" && algo != "RSA" && algo != "ECC":
		return fail("FailedOperation.InvalidParam", "CsrEncryptAlgo %q is not offered: use RSA or ECC.", algo)
	case algo == "ECC" && param != "prime256v1":
		return fail("FailedOperation.InvalidParam", "CsrKeyParameter %q is not offered with ECC: use prime256v1.", param)
	case algo != "ECC" && param != "" && param != "2048":
		return fail("FailedOperation.InvalidParam", "CsrKeyParameter %q is not offered with RSA: use 2048.", param)
	}
	if v, _ := p["DeleteDnsAutoRecord"].(bool); v && method != string(api.MethodDNSAuto) {
		return fail("FailedOperation.InvalidParam", "DeleteDnsAutoRecord applies to DNS_AUTO validation only, not %s.", method)
	}
	if names, _ := p["DnsNames"].([]any); len(names) > 0 {
		return fail("FailedOperation.InvalidParam", "DnsNames is not supported yet: a free certificate covers one name.")
	}
	if v := stringParam(p, "PackageId"); v != "" {
		return fail("InvalidParameter.PackageIdsInvalid", "The package ID list is invalid: free certificate packages are no longer offered.")
	}
	if v := stringParam(p, "ContactEmail"); v != "" {
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v || !strings.Contains(v, "@") {
			return fail("InvalidParameterValue.CertificateEmailParseInvalid", "The e-mail address is malformed, please enter it again.")
		}
	}
	if v := stringParam(p, "ContactPhone"); v != "" && strings.Trim(strings.TrimPrefix(v, "+"), "0123456789") != "" {
		return fail("FailedOperation.InvalidParam", "ContactPhone must be digits.")
	}
	return nil
}

func utf8Len(s string) int { return len([]rune(s)) }

// dnsName is the service's test of a domain: labels of letters, digits and
// hyphens (not at either end), 1 to 63 long, at least two, the last not
// all digits.
func dnsName(name string) bool {
	labels := strings.Split(name, ".")
	if len(labels) < 2 || len(name) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return false
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}
