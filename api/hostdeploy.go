package api

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The first-deployment actions: putting a certificate on Tencent Cloud
// resources (DeployCertificateInstance), its record, retry and rollback.
// Its records read as an update's (UpdateRecord).
const (
	ActionDeploy         = "DeployCertificateInstance"
	ActionDeployDetail   = "DescribeHostDeployRecordDetail"
	ActionDeployRetry    = "DeployCertificateRecordRetry"
	ActionDeployRollback = "DeployCertificateRecordRollback"
)

// maxDeployTargets bounds one DeployCertificateInstance's InstanceIdList.
const maxDeployTargets = 100

// deployFormat is how InstanceIdList names one resource of a type: parts
// separated by "|", as the SDK documents them, and which part is what
// (-1: none).
type deployFormat struct {
	parts    []string // the parts' names; the last may be optional (optional)
	optional bool
	regional bool // the request must name the common Region
	// Where the parts land in a binding (BoundResource): instance,
	// listener, a domain it serves; region: a part naming the region.
	instance, listener, domain, region int
	// checked: certwiz can tell from the bindings whether the resource
	// serves the certificate already.
	checked bool
}

// deployFormats are DeployCertificateInstance's resource types and their
// InstanceIdList entries (the SDK's DeployCertificateInstanceRequest).
var deployFormats = map[string]deployFormat{
	"clb":        {parts: []string{"LoadBalancerId", "ListenerId", "Domain"}, optional: true, regional: true, instance: 0, listener: 1, domain: 2, region: -1, checked: true},
	"cdn":        {parts: []string{"Domain", "on|off"}, instance: 0, listener: -1, domain: 0, region: -1, checked: true},
	"ddos":       {parts: []string{"InsId", "Domain", "VirtualPort"}, instance: 0, listener: -1, domain: 1, region: -1, checked: true},
	"live":       {parts: []string{"Domain"}, instance: -1, listener: -1, domain: 0, region: -1, checked: true},
	"vod":        {parts: []string{"Domain"}, instance: -1, listener: -1, domain: 0, region: -1, checked: true},
	"waf":        {parts: []string{"Domain"}, regional: true, instance: -1, listener: -1, domain: 0, region: -1, checked: true},
	"teo":        {parts: []string{"Domain"}, instance: -1, listener: -1, domain: 0, region: -1, checked: true},
	"apigateway": {parts: []string{"ServiceId", "Domain"}, regional: true, instance: 0, listener: -1, domain: 1, region: -1, checked: true},
	"cos":        {parts: []string{"Region", "Bucket", "Domain"}, regional: true, instance: 1, listener: -1, domain: 2, region: 0, checked: true},
	"tke":        {parts: []string{"ClusterId", "NameSpace", "SecretName"}, regional: true, instance: -1, listener: -1, domain: -1, region: -1},
	"tse":        {parts: []string{"GatewayId", "CertificateId"}, regional: true, instance: -1, listener: -1, domain: -1, region: -1},
	"tcb":        {parts: []string{"Type", "Region", "EnvId", "Domain"}, regional: true, instance: -1, listener: -1, domain: 3, region: 1},
	"mqtt":       {parts: []string{"InstanceId", "CertId"}, regional: true, instance: -1, listener: -1, domain: -1, region: -1},
	"gaap":       {parts: []string{"InstanceId", "ListenerId"}, instance: -1, listener: -1, domain: -1, region: -1},
}

// DeployTypes are the resource types DeployCertificateInstance takes, in
// the SDK's order.
var DeployTypes = []string{"clb", "cdn", "ddos", "live", "vod", "waf", "apigateway", "teo", "tke", "cos", "tse", "tcb", "mqtt", "gaap"}

// DeployRegional reports a type whose deployment names the common Region.
func DeployRegional(typ string) bool { return deployFormats[typ].regional }

// DeployFormat is a type's InstanceIdList entry for people, e.g.
// "LoadBalancerId|ListenerId[|Domain]".
func DeployFormat(typ string) string {
	f, ok := deployFormats[typ]
	if !ok {
		return ""
	}
	if typ == "cdn" {
		return "Domain|on or Domain|off" // the switch is one part, on or off
	}
	if f.optional {
		return strings.Join(f.parts[:len(f.parts)-1], "|") + "[|" + f.parts[len(f.parts)-1] + "]"
	}
	return strings.Join(f.parts, "|")
}

// DeployTarget is one resource to deploy a certificate to: its type, its
// InstanceIdList entry and, for the regional types, the request's Region.
type DeployTarget struct {
	Type   string `json:"type"`
	Entry  string `json:"target"`
	Region string `json:"region,omitempty"`
}

// part is the entry's i-th part ("" when absent or i < 0).
func (t DeployTarget) part(i int) string {
	parts := strings.Split(t.Entry, "|")
	if i < 0 || i >= len(parts) {
		return ""
	}
	return parts[i]
}

// Domain is the domain name the entry names, "" when it names none (a CLB
// listener without SNI, TKE…): certwiz can check coverage only then.
func (t DeployTarget) Domain() string { return t.part(deployFormats[t.Type].domain) }

// Checked reports a type whose bindings say whether a resource serves the
// certificate (see HeldBy).
func (t DeployTarget) Checked() bool { return deployFormats[t.Type].checked }

// HeldBy reports whether a resource serving the certificate (a binding)
// is this target: same type, region, instance, listener, and the domain
// among the names it serves. It is never true for a type whose bindings
// do not say (Checked false).
func (t DeployTarget) HeldBy(r BoundResource) bool {
	f := deployFormats[t.Type]
	if !f.checked || r.Type != t.Type || (t.Region != "" && r.Region != "" && r.Region != t.Region) {
		return false
	}
	if f.instance >= 0 && !strings.EqualFold(r.Instance, t.part(f.instance)) {
		return false
	}
	if f.listener >= 0 && r.Listener != t.part(f.listener) {
		return false
	}
	d := t.Domain()
	return d == "" || f.instance == f.domain || slices.ContainsFunc(r.Names, func(n string) bool { return strings.EqualFold(n, d) })
}

// ParseDeployTarget checks one InstanceIdList entry of a type (region:
// the request's Region) and returns the target, or the problems.
func ParseDeployTarget(typ, entry, region string) (DeployTarget, Problems) {
	f, ok := deployFormats[typ]
	if !ok {
		return DeployTarget{}, Problems{{Param: "ResourceType", What: Text{fmt.Sprintf("%q is not a resource type a certificate is deployed to", typ), fmt.Sprintf("%q 不是可部署证书的资源类型", typ)},
			Fix: Text{"Use: " + strings.Join(DeployTypes, ", "), "请使用：" + strings.Join(DeployTypes, ", ")}}}
	}
	t := DeployTarget{Type: typ, Entry: entry}
	if f.regional {
		t.Region = region
	}
	bad := func(en, zh string) (DeployTarget, Problems) {
		return DeployTarget{}, Problems{{Param: "InstanceIdList", What: Text{fmt.Sprintf("%s target %q %s", typ, entry, en), fmt.Sprintf("%s 目标 %q %s", typ, entry, zh)},
			Fix: Text{fmt.Sprintf("Write %s target as %s (parts separated by |)", article(typ), DeployFormat(typ)), fmt.Sprintf("%s 目标的格式为 %s（各部分以 | 分隔）", typ, DeployFormat(typ))}}}
	}
	parts := strings.Split(entry, "|")
	if n := len(parts); n > len(f.parts) || n < len(f.parts) && !(f.optional && n == len(f.parts)-1) {
		return bad(fmt.Sprintf("has %d part(s)", n), fmt.Sprintf("有 %d 个部分", n))
	}
	for i, p := range parts {
		name := f.parts[i]
		switch {
		case !plainToken(p):
			return bad(fmt.Sprintf("has an empty part or one with spaces or other characters (%s)", name), fmt.Sprintf("某部分（%s）为空或含空格等字符", name))
		case i == f.domain:
			if fl := checkDomain(strings.ToLower(p)); fl != nil {
				return bad(fmt.Sprintf("has a bad Domain: %s", fl.What.EN), "的 Domain 有误："+fl.What.ZH)
			}
		case i == f.region && f.regional && p != region:
			return bad(fmt.Sprintf("names region %s, not %s (the request's Region)", p, orNone(region)), fmt.Sprintf("指定的地域 %s 与请求的 Region（%s）不同", p, orNone(region)))
		case typ == "clb" && i == 0 && !strings.HasPrefix(p, "lb-"), typ == "clb" && i == 1 && !strings.HasPrefix(p, "lbl-"):
			return bad(fmt.Sprintf("has %s %q, which does not start with %s", name, p, map[int]string{0: "lb-", 1: "lbl-"}[i]),
				fmt.Sprintf("的 %s %q 不以 %s 开头", name, p, map[int]string{0: "lb-", 1: "lbl-"}[i]))
		case typ == "cdn" && i == 1 && p != "on" && p != "off":
			return bad("does not end in |on or |off (the domain's HTTPS billing switch)", "未以 |on 或 |off 结尾（该域名的 HTTPS 计费开关）")
		case typ == "ddos" && i == 2:
			if port, err := strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
				return bad("has a VirtualPort that is not a port (1 to 65535)", "的 VirtualPort 不是端口（1 到 65535）")
			}
		}
	}
	return t, nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// regionName reports a region name such as ap-guangzhou.
func regionName(s string) bool {
	return s != "" && len(s) <= 32 && strings.Contains(s, "-") &&
		!strings.ContainsFunc(s, func(c rune) bool { return !(c == '-' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') })
}

// DeployRequest is DeployCertificateInstance's request: put a certificate
// on resources of one type (in Region, for the regional types).
type DeployRequest struct {
	CertificateId  string
	ResourceType   string
	InstanceIdList []string
	Region         string
}

// Validate reports every problem of the request.
func (r DeployRequest) Validate() Problems {
	var ps Problems
	if fl := checkCertificateID(r.CertificateId); fl != nil || r.CertificateId == "" {
		ps = append(ps, certIDProblem("CertificateId", r.CertificateId, fl))
	}
	if _, ok := deployFormats[r.ResourceType]; !ok {
		_, p := ParseDeployTarget(r.ResourceType, "", "")
		return append(ps, p...)
	}
	if DeployRegional(r.ResourceType) && !regionName(r.Region) {
		ps = append(ps, Problem{Param: "Region", Missing: r.Region == "", What: Text{fmt.Sprintf("is missing or not a region name; %s needs one", r.ResourceType), fmt.Sprintf("未填写或不是地域名；%s 必须指定地域", r.ResourceType)},
			Fix: Text{"Name the resources' region, e.g. ap-guangzhou", "请填写资源所在地域，如 ap-guangzhou"}})
	}
	switch n := len(r.InstanceIdList); {
	case n == 0:
		ps = append(ps, Problem{Param: "InstanceIdList", Missing: true, What: Text{"is missing", "未填写"},
			Fix: Text{fmt.Sprintf("Name the resources, each as %s", DeployFormat(r.ResourceType)), fmt.Sprintf("请填写资源，格式为 %s", DeployFormat(r.ResourceType))}})
	case n > maxDeployTargets:
		ps = append(ps, Problem{Param: "InstanceIdList", What: Text{fmt.Sprintf("names %d resources, more than %d", n, maxDeployTargets), fmt.Sprintf("包含 %d 个资源，超过 %d 个", n, maxDeployTargets)},
			Fix: Text{"Deploy in several runs", "请分多次部署"}})
	}
	for i, e := range r.InstanceIdList {
		if slices.Contains(r.InstanceIdList[:i], e) {
			ps = append(ps, Problem{Param: "InstanceIdList", What: Text{fmt.Sprintf("names %q twice", e), fmt.Sprintf("重复包含 %q", e)}, Fix: Text{"Name each resource once", "每个资源只填写一次"}})
			continue
		}
		if _, p := ParseDeployTarget(r.ResourceType, e, r.Region); p != nil {
			ps = append(ps, p...)
		}
	}
	return ps
}

// DeployCertificateInstance asks Tencent to put a certificate on the
// resources named (one type). It changes live resources: the caller has
// asked first. The answer reads as UpdateStart: RecordID 0 = Tencent is
// still creating the task; Created false = a deployment of this
// certificate to this type already runs, and RecordID is that one.
func (c *Client) DeployCertificateInstance(ctx context.Context, r DeployRequest) (UpdateStart, error) {
	if ps := r.Validate(); len(ps) > 0 {
		return UpdateStart{}, ps
	}
	p := map[string]any{"CertificateId": r.CertificateId, "ResourceType": r.ResourceType, "InstanceIdList": r.InstanceIdList}
	region := ""
	if DeployRegional(r.ResourceType) {
		region = r.Region
	}
	return c.startTask(ctx, region, ActionDeploy, p)
}

// DeployRecordDetail reads a deployment record of resources of type typ
// (DescribeHostDeployRecordDetail, every page). to is the certificate it
// deploys: every resource must name it (CertId). For a rollback's record,
// from is the certificate taken off (every OldCertId) and to is "" (each
// resource gets back what it served). Both "": the first resource's CertId
// is taken as to.
func (c *Client) DeployRecordDetail(ctx context.Context, recordID uint64, typ, from, to string) (UpdateRecord, error) {
	return c.recordDetail(ctx, recordRead{action: ActionDeployDetail, id: recordID, from: from, to: to, typ: typ})
}

// RetryDeploy starts the failed resources of a deployment record again
// (DeployCertificateRecordRetry).
func (c *Client) RetryDeploy(ctx context.Context, recordID uint64) (string, error) {
	return c.retryRecord(ctx, ActionDeployRetry, "DeployRecordId", recordID)
}

// RetryDeployResource starts one failed resource of a deployment record
// again (DeployCertificateRecordRetry with DeployRecordDetailId).
func (c *Client) RetryDeployResource(ctx context.Context, detailID uint64) (string, error) {
	return c.retryRecord(ctx, ActionDeployRetry, "DeployRecordDetailId", detailID)
}

// RollbackDeploy gives the resources a finished deployment record changed
// back what they served before (DeployCertificateRecordRollback) and
// returns the rollback's own record.
func (c *Client) RollbackDeploy(ctx context.Context, recordID uint64) (uint64, error) {
	return c.rollbackRecord(ctx, ActionDeployRollback, recordID)
}

// article is a type's name after "a" or "an", as spoken: "an apigateway",
// "a clb".
func article(typ string) string {
	if typ != "" && strings.ContainsRune("aeiou", rune(typ[0])) {
		return "an " + typ
	}
	return "a " + typ
}
