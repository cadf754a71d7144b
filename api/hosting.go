package api

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The hosting actions: which Tencent Cloud resources (CLB listeners, CDN
// domains…) serve a certificate, and replacing it there by another.
const (
	ActionBindSync       = "CreateCertificateBindResourceSyncTask"
	ActionBindDetail     = "DescribeCertificateBindResourceTaskDetail"
	ActionUpdate         = "UpdateCertificateInstance"
	ActionUpdateDetail   = "DescribeHostUpdateRecordDetail"
	ActionUpdateRetry    = "UpdateCertificateRecordRetry"
	ActionUpdateRollback = "UpdateCertificateRecordRollback"
	// ActionNotices turns certificates' expiry notices off or on.
	ActionNotices = "ModifyCertificatesExpiringNotificationSwitch"
)

// BoundResource is one resource serving a certificate. Its strings come
// from the answer: pass them through ui/safe before a terminal.
type BoundResource struct {
	Type         string   `json:"type"`   // clb, cdn, waf… as UpdateCertificateInstance names the types
	Region       string   `json:"region"` // "" for types without regions
	Instance     string   `json:"instance"`
	InstanceName string   `json:"instanceName,omitempty"`
	Listener     string   `json:"listener,omitempty"` // CLB
	ListenerName string   `json:"listenerName,omitempty"`
	Names        []string `json:"names"` // the domain names it serves
}

// QueryFailure is a resource type (and region) whose query failed at
// Tencent; Message is the service's text.
type QueryFailure struct {
	Type    string `json:"type"`
	Region  string `json:"region,omitempty"`
	Message string `json:"message"`
}

// Bindings is one answer of a bind sync task.
type Bindings struct {
	// Status: 0 still querying, 1 done, 2 the query failed.
	Status    int             `json:"status"`
	CacheTime string          `json:"cacheTime,omitempty"`
	Resources []BoundResource `json:"resources"`
	Failures  []QueryFailure  `json:"failures,omitempty"`
}

// Bind sync task statuses.
const (
	BindQuerying = 0
	BindDone     = 1
	BindFailed   = 2
)

// StartBindingsQuery starts Tencent's query of the resources bound to a
// certificate (CreateCertificateBindResourceSyncTask, not from its cache)
// and returns the task's ID, for BindingsQuery. The call only reads.
func (c *Client) StartBindingsQuery(ctx context.Context, certID string) (string, error) {
	if fl := checkCertificateID(certID); fl != nil || certID == "" {
		return "", Problems{certIDProblem("CertificateIds", certID, fl)}
	}
	var out struct {
		CertTaskIds []struct {
			CertId string `json:"CertId"`
			TaskId string `json:"TaskId"`
		} `json:"CertTaskIds"`
	}
	rid, err := c.call(ctx, ActionBindSync, map[string]any{"CertificateIds": []string{certID}, "IsCache": 0}, &out)
	if err != nil {
		return "", err
	}
	if len(out.CertTaskIds) != 1 {
		return "", &Error{Code: CodeMalformed, Action: ActionBindSync, RequestId: rid,
			Message: fmt.Sprintf("the answer has %d tasks, not one for the one certificate asked for", len(out.CertTaskIds))}
	}
	task := out.CertTaskIds[0]
	if err := otherCertificate(ActionBindSync, rid, certID, task.CertId); err != nil {
		return "", err
	}
	if !plainToken(task.TaskId) {
		return "", &Error{Code: CodeMalformed, Action: ActionBindSync, RequestId: rid,
			Message: "the answer's TaskId is missing or not a task ID (" + fmt.Sprintf("%d bytes", len(task.TaskId)) + ", not shown)"}
	}
	return task.TaskId, nil
}

// plainToken reports an ID read from an answer that can be sent back and
// shown: 1 to 128 printable ASCII characters without spaces.
func plainToken(s string) bool {
	return s != "" && len(s) <= 128 && !strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r > '~' })
}

func certIDProblem(param, id string, fl *flaw) Problem {
	if fl == nil {
		return Problem{Param: param, Missing: true, What: Text{"is missing", "未填写"},
			Fix: Text{"Give the certificate's ID, e.g. abcb1234 (certwiz certs lists them)", "请填写证书 ID，如 abcb1234（certwiz certs 可列出）"}}
	}
	return Problem{Param: param, What: fl.What, Fix: fl.Fix}
}

// bindGroup is one entry of a type's list in the task's answer: a region
// (or the whole type) and its instances. Every type but CLB has flat
// instances with a CertId and a name field.
type bindGroup struct {
	Region       string         `json:"Region"`
	Error        string         `json:"Error"`
	InstanceList []bindInstance `json:"InstanceList"`
}

type bindInstance struct {
	CertId string `json:"CertId"`
	// The instance: the first of these the type has.
	InstanceId  string `json:"InstanceId"`
	ServiceId   string `json:"ServiceId"`
	ClusterId   string `json:"ClusterId"`
	Bucket      string `json:"Bucket"`
	ServiceName string `json:"ServiceName"`
	// The names: Domain (CDN, WAF, Live, VOD, API Gateway…) or Host (TEO).
	Domain string `json:"Domain"`
	Host   string `json:"Host"`
	// CLB.
	LoadBalancerId   string        `json:"LoadBalancerId"`
	LoadBalancerName string        `json:"LoadBalancerName"`
	Listeners        []clbListener `json:"Listeners"`
}

type clbCert struct {
	CertId   string   `json:"CertId"`
	DnsNames []string `json:"DnsNames"`
}

type clbListener struct {
	ListenerId   string   `json:"ListenerId"`
	ListenerName string   `json:"ListenerName"`
	Certificate  *clbCert `json:"Certificate"`
	Rules        []struct {
		Domain      string   `json:"Domain"`
		Certificate *clbCert `json:"Certificate"`
	} `json:"Rules"`
}

// bindTypeKeys are the answer's lists, by the type names
// UpdateCertificateInstance takes.
var bindTypeKeys = []struct{ key, typ string }{
	{"CLB", "clb"}, {"CDN", "cdn"}, {"WAF", "waf"}, {"DDOS", "ddos"}, {"LIVE", "live"}, {"VOD", "vod"},
	{"TKE", "tke"}, {"APIGATEWAY", "apigateway"}, {"TCB", "tcb"}, {"TEO", "teo"}, {"TSE", "tse"},
	{"COS", "cos"}, {"TDMQ", "tdmq"}, {"MQTT", "mqtt"}, {"GAAP", "gaap"}, {"SCF", "scf"},
}

// BindingsQuery reads a bind sync task of certID: Status BindQuerying
// while Tencent still looks (ask again later), then the resources. A
// resource serving another certificate than certID makes the answer
// unreadable: it is no answer about certID.
func (c *Client) BindingsQuery(ctx context.Context, certID, taskID string) (Bindings, error) {
	if !plainToken(taskID) {
		return Bindings{}, Problems{{Param: "TaskId", What: Text{"is not a task ID", "不是任务 ID"},
			Fix: Text{"Use the ID StartBindingsQuery returned", "请使用 StartBindingsQuery 返回的任务 ID"}}}
	}
	raw := map[string]json.RawMessage{}
	rid, err := c.call(ctx, ActionBindDetail, map[string]any{"TaskId": taskID}, &raw)
	if err != nil {
		return Bindings{}, err
	}
	var out struct {
		Status    *int    `json:"Status"`
		CacheTime *string `json:"CacheTime"`
	}
	if err := json.Unmarshal(mustObject(raw), &out); err != nil || out.Status == nil || *out.Status < 0 || *out.Status > 2 {
		return Bindings{}, &Error{Code: CodeMalformed, Action: ActionBindDetail, RequestId: rid, Message: "the answer's Status is missing or not 0, 1 or 2"}
	}
	b := Bindings{Status: *out.Status}
	if out.CacheTime != nil {
		b.CacheTime = *out.CacheTime
	}
	if b.Status != BindDone {
		return b, nil
	}
	for _, k := range bindTypeKeys {
		var groups []bindGroup
		if v, ok := raw[k.key]; ok {
			if err := json.Unmarshal(v, &groups); err != nil {
				return Bindings{}, &Error{Code: CodeMalformed, Action: ActionBindDetail, RequestId: rid,
					Message: fmt.Sprintf("the answer's %s list is not as documented", k.key)}
			}
		}
		for _, g := range groups {
			if g.Error != "" {
				b.Failures = append(b.Failures, QueryFailure{Type: k.typ, Region: g.Region, Message: g.Error})
			}
			for _, in := range g.InstanceList {
				rs, named := in.resources(k.typ, g.Region, certID)
				if err := otherCertificate(ActionBindDetail, rid, certID, named); err != nil {
					return Bindings{}, err
				}
				b.Resources = append(b.Resources, rs...)
			}
		}
	}
	return b, nil
}

// resources are the resources of one instance that serve certID, and the
// certificate the instance names when none does ("" = certID).
func (in bindInstance) resources(typ, region, certID string) ([]BoundResource, string) {
	if typ != "clb" {
		id := firstOf(in.InstanceId, in.ServiceId, in.ClusterId, in.Bucket, in.Domain, in.Host)
		named := in.CertId
		if named == "" {
			named = certID
		}
		var names []string
		for _, n := range []string{in.Domain, in.Host} {
			if n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		if named != certID {
			return nil, named
		}
		return []BoundResource{{Type: typ, Region: region, Instance: id, InstanceName: in.ServiceName, Names: names}}, certID
	}
	var out []BoundResource
	other := ""
	for _, l := range in.Listeners {
		serves := l.Certificate != nil && l.Certificate.CertId == certID
		var names []string
		for _, r := range l.Rules {
			if r.Domain == "" || slices.Contains(names, r.Domain) {
				continue
			}
			if r.Certificate == nil || r.Certificate.CertId == "" || r.Certificate.CertId == certID {
				names = append(names, r.Domain)
				serves = serves || (r.Certificate != nil && r.Certificate.CertId == certID)
			}
		}
		if !serves {
			if l.Certificate != nil && l.Certificate.CertId != "" {
				other = l.Certificate.CertId
			}
			continue
		}
		if len(names) == 0 && l.Certificate != nil {
			names = slices.Clone(l.Certificate.DnsNames) // no rules: the listener serves the certificate's names
		}
		out = append(out, BoundResource{Type: typ, Region: region, Instance: in.LoadBalancerId, InstanceName: in.LoadBalancerName,
			Listener: l.ListenerId, ListenerName: l.ListenerName, Names: names})
	}
	if len(out) == 0 && other != "" {
		return nil, other
	}
	return out, certID
}

func firstOf(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// UpdateRequest is UpdateCertificateInstance's request: put NEW where OLD
// is, on the resource types named, in their regions.
type UpdateRequest struct {
	OldCertificateId string
	CertificateId    string
	// Types are the resource types to update (clb, cdn…); Regions names
	// the regions of the regional ones (clb, waf, tke…), which must have one.
	Types   []string
	Regions map[string][]string
	// SilenceOld turns off OLD's expiry notices (ExpiringNotificationSwitch 1).
	SilenceOld bool
}

// RegionalTypes are the resource types that must name their regions.
var RegionalTypes = []string{"clb", "tke", "apigateway", "waf", "tcb", "tse", "cos", "mqtt", "scf", "tdmq"}

// HostingTypes are the resource types UpdateCertificateInstance takes.
var HostingTypes = []string{"clb", "cdn", "waf", "live", "ddos", "teo", "apigateway", "vod", "tke", "tcb", "tse", "cos", "mqtt", "scf", "tdmq", "gaap"}

// Validate reports every problem of the request.
func (r UpdateRequest) Validate() Problems {
	var ps Problems
	for _, p := range []struct{ name, id string }{{"OldCertificateId", r.OldCertificateId}, {"CertificateId", r.CertificateId}} {
		if fl := checkCertificateID(p.id); fl != nil || p.id == "" {
			ps = append(ps, certIDProblem(p.name, p.id, fl))
		}
	}
	if r.OldCertificateId != "" && r.OldCertificateId == r.CertificateId {
		ps = append(ps, Problem{Param: "CertificateId", What: Text{"is the old certificate itself", "与旧证书相同"},
			Fix: Text{"Name the new certificate that replaces the old one", "请填写用于替换旧证书的新证书 ID"}})
	}
	if len(r.Types) == 0 {
		ps = append(ps, Problem{Param: "ResourceTypes", Missing: true, What: Text{"is missing", "未填写"},
			Fix: Text{"Name the resource types to update, e.g. clb,cdn", "请填写要更新的资源类型，如 clb,cdn"}})
	}
	for _, t := range r.Types {
		switch {
		case !slices.Contains(HostingTypes, t):
			ps = append(ps, Problem{Param: "ResourceTypes", What: Text{fmt.Sprintf("%q is not a resource type", t), fmt.Sprintf("%q 不是资源类型", t)},
				Fix: Text{"Use: " + strings.Join(HostingTypes, ", "), "请使用：" + strings.Join(HostingTypes, ", ")}})
		case slices.Contains(RegionalTypes, t) && len(r.Regions[t]) == 0:
			ps = append(ps, Problem{Param: "ResourceTypesRegions", What: Text{fmt.Sprintf("names no region for %s", t), fmt.Sprintf("未给出 %s 的地域", t)},
				Fix: Text{"Name the regions of " + t + ", e.g. ap-guangzhou (certwiz bindings ID lists them)", "请给出 " + t + " 的地域，如 ap-guangzhou（certwiz bindings ID 可列出）"}})
		}
	}
	for t, regions := range r.Regions {
		for _, region := range regions {
			if !plainToken(region) {
				ps = append(ps, Problem{Param: "ResourceTypesRegions", What: Text{fmt.Sprintf("a region of %s is not a region name", t), fmt.Sprintf("%s 的某个地域不是地域名", t)},
					Fix: Text{"Use region names such as ap-guangzhou", "请使用 ap-guangzhou 这样的地域名"}})
			}
		}
	}
	return ps
}

// UpdateStart is UpdateCertificateInstance's answer.
type UpdateStart struct {
	// RecordID is the update's record; 0 = Tencent is still creating the
	// task: call again (paced) until it is not.
	RecordID uint64
	// Created: a new task was made (DeployStatus 1); false = one already
	// runs for OLD, and RecordID is that one.
	Created   bool
	RequestId string
}

// UpdateCertificateInstance asks Tencent to replace OLD by NEW on the
// resources of the types named. It changes live resources: the caller has
// asked first. See UpdateStart for the answer 0.
func (c *Client) UpdateCertificateInstance(ctx context.Context, r UpdateRequest) (UpdateStart, error) {
	if ps := r.Validate(); len(ps) > 0 {
		return UpdateStart{}, ps
	}
	p := map[string]any{"OldCertificateId": r.OldCertificateId, "CertificateId": r.CertificateId, "ResourceTypes": r.Types}
	var regions []map[string]any
	for _, t := range r.Types {
		if rs := r.Regions[t]; slices.Contains(RegionalTypes, t) && len(rs) > 0 {
			regions = append(regions, map[string]any{"ResourceType": t, "Regions": rs})
		}
	}
	if len(regions) > 0 {
		p["ResourceTypesRegions"] = regions
	}
	if r.SilenceOld {
		p["ExpiringNotificationSwitch"] = 1
	}
	return c.startTask(ctx, "", ActionUpdate, p)
}

// startTask sends the action that starts an update or a deployment and
// reads its answer: DeployRecordId (0 = still creating) and DeployStatus
// (1 created, 0 one already runs).
func (c *Client) startTask(ctx context.Context, region, action string, p map[string]any) (UpdateStart, error) {
	var out struct {
		DeployRecordId *uint64 `json:"DeployRecordId"`
		DeployStatus   *int64  `json:"DeployStatus"`
	}
	rid, err := c.callIn(ctx, region, action, p, &out)
	if err != nil {
		return UpdateStart{}, err
	}
	if out.DeployRecordId == nil || out.DeployStatus == nil || (*out.DeployStatus != 0 && *out.DeployStatus != 1) {
		return UpdateStart{}, &Error{Code: CodeMalformed, Action: action, RequestId: rid, Message: "the answer's DeployRecordId or DeployStatus is missing or not as documented"}
	}
	return UpdateStart{RecordID: *out.DeployRecordId, Created: *out.DeployStatus == 1, RequestId: rid}, nil
}

// Update statuses of a resource in a record.
const (
	UpdatePending        = 0
	UpdateSuccess        = 1
	UpdateFailed         = 2
	UpdateRunning        = 3
	UpdateRolledBack     = 4
	UpdateRollbackFailed = 5
	UpdateNoResource     = 6
)

// UpdatedResource is one resource of an update record. Its strings come
// from the answer: pass them through ui/safe before a terminal.
type UpdatedResource struct {
	DetailID uint64 `json:"detailId"`
	BoundResource
	OldCertID string `json:"oldCertId"`
	CertID    string `json:"certId"`
	Status    int    `json:"status"`
	Error     string `json:"error,omitempty"` // the service's ErrorMsg
}

// UpdateRecord is the state of an update record.
type UpdateRecord struct {
	ID uint64 `json:"id"`
	// From and To: the certificate the record replaces and the one it puts
	// in place ("" when it has no resource and they were not known).
	From      string            `json:"from,omitempty"`
	To        string            `json:"to,omitempty"`
	Resources []UpdatedResource `json:"resources"`
	Success   int               `json:"success"`
	Failed    int               `json:"failed"`
	Running   int               `json:"running"`
	Pending   int               `json:"pending"`
}

// Done reports a record with nothing pending or running.
func (r UpdateRecord) Done() bool { return r.Running == 0 && r.Pending == 0 }

// maxRecordPages bounds the pages of one record read (200 resources each).
const maxRecordPages = 50

// UpdateRecordDetail reads an update record, every page: its resources and
// counts. from and to are the certificates the record replaces (for a
// rollback's record, NEW and OLD): a resource naming others makes the
// answer unreadable — it is about another record. When both are "" (a
// record followed again without knowing them), the first resource's pair
// is taken and every other must name the same; the record's From and To
// say which.
func (c *Client) UpdateRecordDetail(ctx context.Context, recordID uint64, from, to string) (UpdateRecord, error) {
	return c.recordDetail(ctx, recordRead{action: ActionUpdateDetail, id: recordID, from: from, to: to, learnFrom: true})
}

// recordRead is one read of a record: an update's
// (DescribeHostUpdateRecordDetail, resources grouped by type) or a
// deployment's (DescribeHostDeployRecordDetail, one flat list of one type).
type recordRead struct {
	action   string
	id       uint64
	from, to string
	// learnFrom: with from and to both "", the first resource's OldCertId
	// is taken as from too (an update replaces one certificate; a
	// deployment's resources held whatever they held).
	learnFrom bool
	typ       string // a deployment's resource type (its answer does not name it)
}

// recordItem is one resource of a record, in either answer.
type recordItem struct {
	Id           uint64   `json:"Id"`
	CertId       string   `json:"CertId"`
	OldCertId    string   `json:"OldCertId"`
	Domains      []string `json:"Domains"`
	ResourceType string   `json:"ResourceType"`
	Region       *string  `json:"Region"`
	Status       *int     `json:"Status"`
	ErrorMsg     *string  `json:"ErrorMsg"`
	InstanceId   *string  `json:"InstanceId"`
	InstanceName *string  `json:"InstanceName"`
	ListenerId   *string  `json:"ListenerId"`
	ListenerName *string  `json:"ListenerName"`
	// A deployment's resources of other types than CLB and CDN.
	Bucket *string `json:"Bucket"`
	EnvId  *string `json:"EnvId"`
}

// recordDetail reads a record, every page (see UpdateRecordDetail): from
// and to, when not "", are the certificates every resource's OldCertId and
// CertId must name.
func (c *Client) recordDetail(ctx context.Context, q recordRead) (UpdateRecord, error) {
	if q.id == 0 {
		return UpdateRecord{}, Problems{{Param: "DeployRecordId", Missing: true, What: Text{"is missing", "未填写"},
			Fix: Text{"Give the record ID the update or deployment answered", "请填写更新或部署返回的记录 ID"}}}
	}
	rec := UpdateRecord{ID: q.id}
	from, to := q.from, q.to
	learn := from == "" && to == ""
	for page := 0; page < maxRecordPages; page++ {
		var out struct {
			TotalCount        *int64 `json:"TotalCount"`
			SuccessTotalCount int64  `json:"SuccessTotalCount"`
			FailedTotalCount  int64  `json:"FailedTotalCount"`
			RunningTotalCount int64  `json:"RunningTotalCount"`
			PendingTotalCount int64  `json:"PendingTotalCount"`
			RecordDetailList  []struct {
				ResourceType string       `json:"ResourceType"`
				List         []recordItem `json:"List"`
			} `json:"RecordDetailList"`
			DeployRecordDetailList []recordItem `json:"DeployRecordDetailList"`
		}
		p := map[string]any{"DeployRecordId": strconv.FormatUint(q.id, 10), "Limit": "200", "Offset": strconv.Itoa(page * 200)}
		if q.action == ActionDeployDetail {
			// The deployment's detail takes its page as numbers.
			p["Limit"], p["Offset"] = 200, page*200
		}
		rid, err := c.call(ctx, q.action, p, &out)
		if err != nil {
			return UpdateRecord{}, err
		}
		if out.TotalCount == nil || *out.TotalCount < 0 {
			return UpdateRecord{}, &Error{Code: CodeMalformed, Action: q.action, RequestId: rid, Message: "the answer's TotalCount is missing or negative"}
		}
		rec.Success, rec.Failed = int(out.SuccessTotalCount), int(out.FailedTotalCount)
		rec.Running, rec.Pending = int(out.RunningTotalCount), int(out.PendingTotalCount)
		items := out.DeployRecordDetailList
		types := slices.Repeat([]string{q.typ}, len(items))
		for _, g := range out.RecordDetailList {
			for _, d := range g.List {
				items = append(items, d)
				types = append(types, firstOf(d.ResourceType, g.ResourceType))
			}
		}
		for i, d := range items {
			if learn {
				learn = false
				if !plainToken(d.CertId) || (q.learnFrom && !plainToken(d.OldCertId)) {
					return UpdateRecord{}, &Error{Code: CodeMalformed, Action: q.action, RequestId: rid, Message: "a resource's CertId or OldCertId is missing or not a certificate ID"}
				}
				to = d.CertId
				if q.learnFrom {
					from = d.OldCertId
				}
			}
			if to != "" {
				if err := otherCertificate(q.action, rid, to, d.CertId); err != nil {
					return UpdateRecord{}, err
				}
			}
			if from != "" {
				if err := otherCertificate(q.action, rid, from, d.OldCertId); err != nil {
					return UpdateRecord{}, err
				}
			}
			if d.Status == nil || *d.Status < UpdatePending || *d.Status > UpdateNoResource {
				return UpdateRecord{}, &Error{Code: CodeMalformed, Action: q.action, RequestId: rid, Message: "a resource's Status is missing or not 0 to 6"}
			}
			rec.Resources = append(rec.Resources, UpdatedResource{DetailID: d.Id, OldCertID: d.OldCertId, CertID: d.CertId, Status: *d.Status,
				Error: deref(d.ErrorMsg), BoundResource: BoundResource{Type: types[i], Region: deref(d.Region), Instance: firstOf(deref(d.InstanceId), deref(d.Bucket), deref(d.EnvId)),
					InstanceName: deref(d.InstanceName), Listener: deref(d.ListenerId), ListenerName: deref(d.ListenerName), Names: d.Domains}})
		}
		if len(items) == 0 || len(rec.Resources) >= int(*out.TotalCount) {
			break
		}
	}
	rec.From, rec.To = from, to
	return rec, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// RetryUpdate starts the failed resources of a record again
// (UpdateCertificateRecordRetry); follow it with UpdateRecordDetail.
func (c *Client) RetryUpdate(ctx context.Context, recordID uint64) (string, error) {
	return c.retryRecord(ctx, ActionUpdateRetry, "DeployRecordId", recordID)
}

// RetryUpdateResource starts one failed resource of a record again
// (UpdateCertificateRecordRetry with DeployRecordDetailId): a CLB listener
// that was busy with another change, say.
func (c *Client) RetryUpdateResource(ctx context.Context, detailID uint64) (string, error) {
	return c.retryRecord(ctx, ActionUpdateRetry, "DeployRecordDetailId", detailID)
}

// retryRecord sends a retry of a record (param DeployRecordId) or of one
// of its resources (DeployRecordDetailId).
func (c *Client) retryRecord(ctx context.Context, action, param string, id uint64) (string, error) {
	if id == 0 {
		fix := Text{"Give the record ID the update or deployment answered", "请填写更新或部署返回的记录 ID"}
		if param == "DeployRecordDetailId" {
			fix = Text{"Give the resource's ID in the record", "请填写记录中该资源的 ID"}
		}
		return "", Problems{{Param: param, Missing: true, What: Text{"is missing", "未填写"}, Fix: fix}}
	}
	return c.call(ctx, action, map[string]any{param: id}, nil)
}

// RollbackUpdate puts the old certificate back on the resources a finished
// record changed (UpdateCertificateRecordRollback) and returns the
// rollback's own record, which replaces NEW by OLD.
func (c *Client) RollbackUpdate(ctx context.Context, recordID uint64) (uint64, error) {
	return c.rollbackRecord(ctx, ActionUpdateRollback, recordID)
}

// rollbackRecord sends a rollback of a finished record and returns the
// rollback's own record.
func (c *Client) rollbackRecord(ctx context.Context, action string, recordID uint64) (uint64, error) {
	if recordID == 0 {
		return 0, Problems{{Param: "DeployRecordId", Missing: true, What: Text{"is missing", "未填写"}, Fix: Text{"Give the record ID the update or deployment answered", "请填写更新或部署返回的记录 ID"}}}
	}
	var out struct {
		DeployRecordId *uint64 `json:"DeployRecordId"`
	}
	rid, err := c.call(ctx, action, map[string]any{"DeployRecordId": recordID}, &out)
	if err != nil {
		return 0, err
	}
	if out.DeployRecordId == nil || *out.DeployRecordId == 0 || *out.DeployRecordId == recordID {
		return 0, &Error{Code: CodeMalformed, Action: action, RequestId: rid, Message: "the answer's DeployRecordId is missing or not a new record"}
	}
	return *out.DeployRecordId, nil
}

// mustObject re-encodes the answer's fields (they were one object).
func mustObject(raw map[string]json.RawMessage) []byte {
	b, _ := json.Marshal(raw)
	return b
}

// SetExpiryNotices turns a certificate's expiry notices off (on false) or
// on again (ModifyCertificatesExpiringNotificationSwitch). It deletes
// nothing; the answer must name the certificate asked about.
func (c *Client) SetExpiryNotices(ctx context.Context, certID string, on bool) error {
	if fl := checkCertificateID(certID); fl != nil || certID == "" {
		return Problems{certIDProblem("CertificateIds", certID, fl)}
	}
	sw := 1 // 1: ignore the notices
	if on {
		sw = 0
	}
	var out struct {
		CertificateIds []string `json:"CertificateIds"`
	}
	rid, err := c.call(ctx, ActionNotices, map[string]any{"CertificateIds": []string{certID}, "SwitchStatus": sw}, &out)
	if err != nil {
		return err
	}
	if len(out.CertificateIds) != 1 {
		return &Error{Code: CodeMalformed, Action: ActionNotices, RequestId: rid,
			Message: fmt.Sprintf("the answer names %d certificates, not the one asked about", len(out.CertificateIds))}
	}
	return otherCertificate(ActionNotices, rid, certID, out.CertificateIds[0])
}
