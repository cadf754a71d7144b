package sandbox

import (
	"slices"

	"github.com/certwiz/certwiz/api"
)

// The first deployment of a certificate to resources (certificate
// hosting): DeployCertificateInstance, its record, retry and rollback. Its
// records move on the sandbox's clock as updates do (advanceUpdates).
const (
	ActionDeploy         = api.ActionDeploy
	ActionDeployDetail   = api.ActionDeployDetail
	ActionDeployRetry    = api.ActionDeployRetry
	ActionDeployRollback = api.ActionDeployRollback
)

// deploy answers DeployCertificateInstance as the SDK documents it: the
// resource type defaults to clb; the regional types need the common Region
// (X-TC-Region, InvalidParameter.RegionNotEmpty); each InstanceIdList entry
// in its type's form (FailedOperation.CertificateDeployInstanceFormatError)
// naming a resource of the sandbox in that region. The task is not made
// (FailedOperation.CertificateNotDeployInstance) when a resource serves the
// certificate already, or serves a name it does not cover. One task per
// certificate and type at a time: while one runs, its ID with DeployStatus
// 0; while a rollback or update of the certificate runs on that type,
// FailedOperation.CertificateDeployHasPendingRecord.
func (s *Server) deploy(p map[string]any, region string) (map[string]any, *apiError) {
	certID, typ := stringParam(p, "CertificateId"), stringParam(p, "ResourceType")
	if typ == "" {
		typ = "clb"
	}
	if !slices.Contains(api.DeployTypes, typ) {
		return nil, fail("FailedOperation.CertificateHostResourceTypeInvalid", "The cloud resource type %q is invalid.", typ)
	}
	if api.DeployRegional(typ) && region == "" {
		return nil, fail("InvalidParameter.RegionNotEmpty", "The common parameter Region is required for the resource type %s.", typ)
	}
	entries := asList(p["InstanceIdList"])
	if len(entries) == 0 {
		return nil, fail("MissingParameter", "The request is missing a required parameter `InstanceIdList`.")
	}
	if certID == RolloutNoRole {
		return nil, noRole()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceUpdates()
	c, e := s.certAt(certID, func(c *cert) bool { return c.Status == 1 }, "only an issued certificate can be deployed")
	if e != nil {
		if e.Code == "FailedOperation.CertificateNotFound" {
			return nil, e
		}
		return nil, fail("FailedOperation.CertificateNotAvailable", "The certificate is not available, please check and try again: %s", e.Message)
	}
	for _, r := range s.hosting.records {
		switch {
		case !r.running():
		case r.deploy && !r.rollback && r.new == certID && r.typ == typ:
			return map[string]any{"DeployRecordId": r.id, "DeployStatus": 0}, nil
		case (r.new == certID || r.old == certID) && slices.ContainsFunc(r.details, func(d *updateDetail) bool { return d.b.Type == typ }):
			return nil, fail("FailedOperation.CertificateDeployHasPendingRecord", "The certificate has a deployment task in progress (record %d); please retry after it is finished.", r.id)
		}
	}
	var picked []*binding
	for _, v := range entries {
		entry, _ := v.(string)
		t, ps := api.ParseDeployTarget(typ, entry, region)
		if ps != nil {
			return nil, fail("FailedOperation.CertificateDeployInstanceFormatError", "The deployment format is wrong: %s.", ps[0].What.EN)
		}
		b := s.target(t)
		if b == nil {
			return nil, fail("FailedOperation.CertificateNotDeployInstance", "The certificate cannot be deployed to the instance list: %s %s was not found in %s.", typ, entry, orWhere(region))
		}
		sni := len(b.Domains) > 0
		if typ == "clb" && sni != (t.Domain() != "") {
			return nil, fail("FailedOperation.CertificateDeployInstanceFormatError",
				"The deployment format is wrong: listener %s has SNI %s, so its entry is %s.", b.ListenerID, map[bool]string{true: "on", false: "off"}[sni],
				map[bool]string{true: "LoadBalancerId|ListenerId|Domain", false: "LoadBalancerId|ListenerId"}[sni])
		}
		if d := t.Domain(); typ == "clb" && d != "" && !slices.Contains(b.Domains, d) {
			return nil, fail("FailedOperation.CertificateNotDeployInstance", "The certificate cannot be deployed to the instance list: listener %s has no rule for %s.", b.ListenerID, d)
		}
		if b.CertID == certID {
			return nil, fail("FailedOperation.CertificateNotDeployInstance", "The certificate cannot be deployed to the instance list: %s %s serves the certificate %s already.", typ, entry, certID)
		}
		names := b.Domains
		if d := t.Domain(); d != "" {
			names = []string{d}
		}
		for _, n := range names {
			if !coveredBy(n, c.SubjectAltName) {
				return nil, fail("FailedOperation.CertificateNotDeployInstance", "The certificate cannot be deployed to the instance list: %s does not match the domain %s of %s %s.", certID, n, typ, entry)
			}
		}
		if !slices.Contains(picked, b) {
			picked = append(picked, b)
		}
	}
	s.updateCalls++
	now := s.opts.Now()
	r := &updateRecord{id: s.hosting.newID(), new: certID, deploy: true, typ: typ}
	for _, b := range picked {
		d := &updateDetail{id: s.hosting.newID(), b: b, from: b.CertID, to: certID, start: now}
		if b.InstanceID == FailTarget {
			d.errMsg = "FailedOperation.CertificateNotDeployInstance: the certificate cannot be deployed to this instance (listener " + b.ListenerID + " is being changed by its owner)."
		}
		r.details = append(r.details, d)
	}
	s.hosting.records = append(s.hosting.records, r)
	s.advanceUpdates()
	return map[string]any{"DeployRecordId": r.id, "DeployStatus": 1}, nil
}

func orWhere(region string) string {
	if region == "" {
		return "the account"
	}
	return region
}

// target finds the sandbox resource a deployment target names: a CLB
// listener (in the request's region) or a CDN domain. s.mu held.
func (s *Server) target(t api.DeployTarget) *binding {
	for _, b := range s.hosting.bindings {
		switch {
		case b.Type != t.Type:
		case b.Type == "clb" && b.Region == t.Region && b.InstanceID+"|"+b.ListenerID == trimDomain(t):
			return b
		case b.Type == "cdn" && t.Domain() == b.InstanceID:
			return b
		}
	}
	return nil
}

// trimDomain is a CLB entry without its domain: LoadBalancerId|ListenerId.
func trimDomain(t api.DeployTarget) string {
	if d := t.Domain(); d != "" {
		return t.Entry[:len(t.Entry)-len(d)-1]
	}
	return t.Entry
}
