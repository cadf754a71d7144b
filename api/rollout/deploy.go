package rollout

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
)

// A first deployment: a certificate put on resources that do not serve it
// yet (DeployCertificateInstance), planned as a rollout is: where it is
// served already (those targets are skipped), and whether it covers the
// name each target names.

// DeployTarget is one target of a deployment and the name it names that
// the certificate does not cover.
type DeployTarget struct {
	api.DeployTarget
	Uncovered []string `json:"uncovered,omitempty"`
}

// DeployPlan is what deploying Cert to the targets asked for would change.
type DeployPlan struct {
	Cert api.CertificateDetail
	// Targets are deployed to; Held serve the certificate already and are
	// skipped.
	Targets []DeployTarget
	Held    []DeployTarget
	// Failures: resource types Tencent could not look up.
	Failures []api.QueryFailure
	Refusals []Reason
}

// OK reports a plan that can go ahead: something to deploy, no refusal.
func (p DeployPlan) OK() bool { return len(p.Refusals) == 0 && len(p.Targets) > 0 }

// Requests are the deployments that carry the plan out: one per resource
// type, in the order the types first come.
func (p DeployPlan) Requests() []api.DeployRequest {
	var out []api.DeployRequest
	for _, t := range p.Targets {
		i := slices.IndexFunc(out, func(r api.DeployRequest) bool { return r.ResourceType == t.Type })
		if i < 0 {
			out = append(out, api.DeployRequest{CertificateId: p.Cert.CertificateId, ResourceType: t.Type, Region: t.Region})
			i = len(out) - 1
		}
		out[i].InstanceIdList = append(out[i].InstanceIdList, t.Entry)
	}
	return out
}

// MakeDeployPlan reads the certificate and where it is served (looked up
// with the interval and deadline of LookUp), and sorts the targets into
// those to deploy to and those that serve it already; a target naming a
// domain the certificate does not cover is refused. It only reads.
func MakeDeployPlan(ctx context.Context, c *api.Client, certID string, targets []api.DeployTarget, interval time.Duration, deadline time.Time) (DeployPlan, error) {
	var p DeployPlan
	var err error
	if p.Cert, err = c.DescribeCertificateDetail(ctx, certID); err != nil {
		return p, err
	}
	b, err := bound(ctx, c, certID, interval, deadline)
	if err != nil {
		return p, err
	}
	p.Failures = b.Failures
	for _, t := range targets {
		d := DeployTarget{DeployTarget: t}
		if n := t.Domain(); n != "" && !covered(p.Cert.Names(), n) {
			d.Uncovered = []string{n}
		}
		if slices.ContainsFunc(b.Resources, t.HeldBy) {
			p.Held = append(p.Held, d)
			continue
		}
		p.Targets = append(p.Targets, d)
	}
	p.Refusals = p.judge()
	return p, nil
}

// judge lists why the deployment cannot go ahead.
func (p DeployPlan) judge() []Reason {
	var out []Reason
	id := p.Cert.CertificateId
	if p.Cert.Status != api.StatusIssued {
		out = append(out, Reason{RefuseNotIssued, api.Text{
			EN: fmt.Sprintf("%s is not issued (%s): only an issued certificate can be deployed", id, p.Cert.Words(api.English)),
			ZH: fmt.Sprintf("%s 尚未签发（%s）：只有已签发的证书才能部署", id, p.Cert.Words(api.Chinese))}})
	}
	names := strings.Join(p.Cert.Names(), ", ")
	for _, t := range p.Targets {
		if len(t.Uncovered) > 0 {
			out = append(out, Reason{RefuseNotCovered, api.Text{
				EN: fmt.Sprintf("%s (%s) does not cover %s, which the %s target %s names", id, names, strings.Join(t.Uncovered, ", "), t.Type, t.Entry),
				ZH: fmt.Sprintf("%s（%s）不覆盖 %s，而 %s 目标 %s 使用该域名", id, names, strings.Join(t.Uncovered, ", "), t.Type, t.Entry)}})
		}
	}
	for _, fl := range p.Failures {
		if fl.Type != "" && !slices.ContainsFunc(p.Targets, func(t DeployTarget) bool {
			return t.Type == fl.Type && (fl.Region == "" || t.Region == "" || t.Region == fl.Region)
		}) {
			continue // no target of that type: it does not matter here
		}
		what := strings.TrimSpace(fl.Type + " " + fl.Region)
		if what == "" {
			what = "every type"
		}
		out = append(out, Reason{RefuseLookupFailed, api.Text{
			EN: fmt.Sprintf("Tencent could not look up where %s is served (%s): certwiz cannot tell which targets serve it already, so nothing is deployed; run it again", id, what),
			ZH: fmt.Sprintf("腾讯云无法查询 %s 的使用位置（%s）：certwiz 无法判断哪些目标已在使用它，因此不做部署；请重试", id, what)}})
	}
	return out
}
