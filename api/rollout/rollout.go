// Package rollout replaces a certificate by another on the Tencent Cloud
// resources that serve it (CLB listeners, CDN domains…), as a careful
// operator would: the plan first (where OLD is bound, and whether NEW
// covers every name each resource serves), then the update, its record
// followed until no resource is pending or running, and on failure a
// retry or a rollback. It also puts a certificate on resources that do
// not serve it yet (deploy.go: the first deployment, planned the same way,
// its records followed by the same Runner). It knows nothing of terminals
// or disk: callers show what it says and record what it did.
package rollout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle"
)

// DefaultInterval paces the reads of a task or a record: Tencent moves
// them on in seconds, and each read is one request.
const DefaultInterval = 2 * time.Second

// ErrStillLooking: Tencent was still looking up the resources at the
// deadline.
var ErrStillLooking = errors.New("rollout: the lookup of the bound resources is still running")

// LookUp asks Tencent which resources serve id (a bind sync task, not its
// cache) and reads the task every interval until it is done, or until
// the deadline (ErrStillLooking). It only reads.
func LookUp(ctx context.Context, c *api.Client, id string, interval time.Duration, deadline time.Time) (api.Bindings, error) {
	task, err := c.StartBindingsQuery(ctx, id)
	if err != nil {
		return api.Bindings{}, err
	}
	if interval <= 0 {
		interval = DefaultInterval
	}
	for {
		b, err := c.BindingsQuery(ctx, id, task)
		if err != nil || b.Status != api.BindQuerying {
			return b, err
		}
		if err := ctx.Err(); err != nil {
			return b, err
		}
		wait := min(interval, time.Until(deadline))
		if wait <= 0 {
			return b, ErrStillLooking
		}
		if err := Sleep(ctx, wait); err != nil {
			return b, err
		}
	}
}

// bound is LookUp for a plan: a lookup that failed as a whole is one more
// failure (the list may be short).
func bound(ctx context.Context, c *api.Client, id string, interval time.Duration, deadline time.Time) (api.Bindings, error) {
	b, err := LookUp(ctx, c, id, interval, deadline)
	if err == nil && b.Status == api.BindFailed {
		b.Failures = append(b.Failures, api.QueryFailure{Message: "the lookup failed as a whole"})
	}
	return b, err
}

// Sleep waits d, or less when ctx ends (its error then).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// Filter narrows a plan: only these resource types, only these regions
// (of the regional types); empty = every one bound.
type Filter struct {
	Types   []string
	Regions []string
}

// Target is one resource serving OLD, and the names it serves that NEW
// does not cover (RFC 6125 wildcards).
type Target struct {
	api.BoundResource
	Uncovered []string `json:"uncovered,omitempty"`
}

// Reason is why a plan cannot go ahead.
type Reason struct {
	Code string   `json:"code"` // not-issued, not-covered, expires-first, lookup-failed, no-names
	Text api.Text `json:"-"`
}

// Refusal codes.
const (
	RefuseNotIssued    = "not-issued"
	RefuseNotCovered   = "not-covered"
	RefuseExpiresFirst = "expires-first"
	RefuseLookupFailed = "lookup-failed"
	RefuseNoNames      = "no-names"
	RefuseUnmatched    = "filter-unmatched" // a --types or --regions value no bound resource has
)

// Plan is what replacing Old by New would change.
type Plan struct {
	Old, New api.CertificateDetail
	Targets  []Target
	// Skipped are resources of OLD the filter leaves out.
	Skipped []api.BoundResource
	// Failures: resource types Tencent could not look up.
	Failures []api.QueryFailure
	Refusals []Reason
}

// OK reports a plan that can go ahead: something to replace, no refusal.
func (p Plan) OK() bool { return len(p.Refusals) == 0 && len(p.Targets) > 0 }

// Request is the update that carries the plan out: its types and, for the
// regional ones, their regions, explicitly.
func (p Plan) Request() api.UpdateRequest {
	r := api.UpdateRequest{OldCertificateId: p.Old.CertificateId, CertificateId: p.New.CertificateId, Regions: map[string][]string{}}
	for _, t := range p.Targets {
		if !slices.Contains(r.Types, t.Type) {
			r.Types = append(r.Types, t.Type)
		}
		if t.Region != "" && slices.Contains(api.RegionalTypes, t.Type) && !slices.Contains(r.Regions[t.Type], t.Region) {
			r.Regions[t.Type] = append(r.Regions[t.Type], t.Region)
		}
	}
	return r
}

// MakePlan reads OLD and NEW and OLD's bindings (looked up with the
// interval and deadline of LookUp) and says, for each resource the filter
// keeps, whether NEW covers it. It only reads.
func MakePlan(ctx context.Context, c *api.Client, oldID, newID string, f Filter, interval time.Duration, deadline time.Time) (Plan, error) {
	var p Plan
	var err error
	if p.Old, err = c.DescribeCertificateDetail(ctx, oldID); err != nil {
		return p, err
	}
	if p.New, err = c.DescribeCertificateDetail(ctx, newID); err != nil {
		return p, err
	}
	b, err := bound(ctx, c, oldID, interval, deadline)
	if err != nil {
		return p, err
	}
	p.Failures = b.Failures
	for _, r := range b.Resources {
		if !f.keeps(r) {
			p.Skipped = append(p.Skipped, r)
			continue
		}
		t := Target{BoundResource: r}
		for _, n := range r.Names {
			if !covered(p.New.Names(), n) {
				t.Uncovered = append(t.Uncovered, n)
			}
		}
		p.Targets = append(p.Targets, t)
	}
	p.Refusals = append(f.unmatched(b.Resources), p.judge(f)...)
	return p, nil
}

// keeps reports a resource the filter keeps. Regions narrow everything:
// a resource without one (a CDN domain) is kept under --regions only when
// its type is named too.
func (f Filter) keeps(r api.BoundResource) bool {
	if len(f.Types) > 0 && !slices.Contains(f.Types, r.Type) {
		return false
	}
	if len(f.Regions) == 0 {
		return true
	}
	if r.Region == "" {
		return slices.Contains(f.Types, r.Type)
	}
	return slices.Contains(f.Regions, r.Region)
}

// unmatched are the filter's types and regions no bound resource has: a
// typo, or a resource that is not there — either way not what was meant.
func (f Filter) unmatched(bound []api.BoundResource) []Reason {
	var out []Reason
	var types, regions []string
	for _, r := range bound {
		if !slices.Contains(types, r.Type) {
			types = append(types, r.Type)
		}
		if r.Region != "" && !slices.Contains(regions, r.Region) {
			regions = append(regions, r.Region)
		}
	}
	list := func(vs []string) string {
		if len(vs) == 0 {
			return "none"
		}
		return strings.Join(vs, ", ")
	}
	for _, t := range f.Types {
		if !slices.Contains(types, t) {
			out = append(out, Reason{RefuseUnmatched, api.Text{
				EN: fmt.Sprintf("--types %s: no %s resource serves the certificate (the types bound: %s)", t, t, list(types)),
				ZH: fmt.Sprintf("--types %s：没有 %s 资源使用该证书（已绑定的类型：%s）", t, t, list(types))}})
		}
	}
	for _, r := range f.Regions {
		if !slices.Contains(regions, r) {
			out = append(out, Reason{RefuseUnmatched, api.Text{
				EN: fmt.Sprintf("--regions %s: no resource in %s serves the certificate (the regions bound: %s)", r, r, list(regions)),
				ZH: fmt.Sprintf("--regions %s：%s 没有资源使用该证书（已绑定的地域：%s）", r, r, list(regions))}})
		}
	}
	return out
}

func covered(certNames []string, name string) bool {
	return slices.ContainsFunc(certNames, func(c string) bool { return bundle.Covers(c, name) })
}

// judge lists why the plan cannot go ahead.
func (p Plan) judge(f Filter) []Reason {
	var out []Reason
	newID, oldID := p.New.CertificateId, p.Old.CertificateId
	if p.New.Status != api.StatusIssued {
		out = append(out, Reason{RefuseNotIssued, api.Text{
			EN: fmt.Sprintf("%s is not issued (%s): only an issued certificate can replace another", newID, p.New.Words(api.English)),
			ZH: fmt.Sprintf("%s 尚未签发（%s）：只有已签发的证书才能替换其他证书", newID, p.New.Words(api.Chinese))}})
	}
	for _, t := range p.Targets {
		switch {
		case len(t.Names) == 0:
			out = append(out, Reason{RefuseNoNames, api.Text{
				EN: fmt.Sprintf("%s %s names no domain it serves, so certwiz cannot check that %s covers it: check it in the console, or leave %s out with --types", t.Type, where(t.BoundResource), newID, t.Type),
				ZH: fmt.Sprintf("%s %s 未给出所服务的域名，certwiz 无法确认 %s 是否覆盖：请在控制台核对，或用 --types 排除 %s", t.Type, where(t.BoundResource), newID, t.Type)}})
		case len(t.Uncovered) > 0:
			names := strings.Join(p.New.Names(), ", ")
			out = append(out, Reason{RefuseNotCovered, api.Text{
				EN: fmt.Sprintf("%s (%s) does not cover %s, which %s %s serves", newID, names, strings.Join(t.Uncovered, ", "), t.Type, where(t.BoundResource)),
				ZH: fmt.Sprintf("%s（%s）不覆盖 %s，而 %s %s 正在使用该域名", newID, names, strings.Join(t.Uncovered, ", "), t.Type, where(t.BoundResource))}})
		}
	}
	oldEnd, okOld := p.Old.EndTime()
	newEnd, okNew := p.New.EndTime()
	switch {
	case p.New.Status != api.StatusIssued:
	case !okNew:
		out = append(out, Reason{RefuseExpiresFirst, api.Text{
			EN: fmt.Sprintf("certwiz cannot tell when %s expires (its end date is missing or unreadable)", newID),
			ZH: fmt.Sprintf("certwiz 无法确定 %s 的到期时间（到期日缺失或无法读取）", newID)}})
	case okOld && newEnd.Before(oldEnd):
		out = append(out, Reason{RefuseExpiresFirst, api.Text{
			EN: fmt.Sprintf("%s expires %s, before %s (%s): the resources would be served by the certificate that ends first", newID, day(newEnd), oldID, day(oldEnd)),
			ZH: fmt.Sprintf("%s 于 %s 到期，早于 %s（%s）：资源将改用更早到期的证书", newID, day(newEnd), oldID, day(oldEnd))}})
	}
	for _, fl := range p.Failures {
		if (fl.Type != "" && len(f.Types) > 0 && !slices.Contains(f.Types, fl.Type)) ||
			(fl.Region != "" && len(f.Regions) > 0 && !slices.Contains(f.Regions, fl.Region)) {
			continue // left out by the filter: it does not matter here
		}
		what := strings.TrimSpace(fl.Type + " " + fl.Region)
		if what == "" {
			what = "every type"
		}
		out = append(out, Reason{RefuseLookupFailed, api.Text{
			EN: fmt.Sprintf("Tencent could not look up %s: the list of resources may be short, so nothing is replaced; run it again, or leave that type out with --types", what),
			ZH: fmt.Sprintf("腾讯云无法查询 %s：资源列表可能不全，因此不做替换；请重试，或用 --types 排除该类型", what)}})
	}
	return out
}

// where names a resource for people: its region and instance (listener).
func where(r api.BoundResource) string {
	s := r.Instance
	if r.Listener != "" {
		s += "/" + r.Listener
	}
	if r.Region != "" {
		s = r.Region + " " + s
	}
	return s
}

// Where names a resource for people: type, region, instance/listener.
func Where(r api.BoundResource) string { return r.Type + " " + where(r) }

func day(t time.Time) string { return t.In(api.Beijing).Format("2006-01-02") }
