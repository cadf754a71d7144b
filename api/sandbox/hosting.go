package sandbox

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
)

// The Tencent Cloud resources a certificate is bound to ("certificate
// hosting"): where it is used, and replacing it there by another.
const (
	ActionBindSync       = api.ActionBindSync
	ActionBindDetail     = api.ActionBindDetail
	ActionUpdate         = api.ActionUpdate
	ActionUpdateDetail   = api.ActionUpdateDetail
	ActionUpdateRetry    = api.ActionUpdateRetry
	ActionUpdateRollback = api.ActionUpdateRollback
	ActionNotices        = api.ActionNotices
)

// The rollout test IDs: issued certificates bound to resources whose
// updates misbehave.
const (
	// RolloutPartial (part.example.com) is on two CLB listeners; updating
	// the second fails with FailedOperation.CertificateNotDeployInstance.
	RolloutPartial = "testRolloutPartial"
	// RolloutBusy (busy.example.com) is on one CLB listener that answers
	// "resource in operating" to its first update; a retry succeeds.
	RolloutBusy = "testRolloutBusy"
	// RolloutNoRole: the SSL service role is not authorized, so listing
	// its resources and updating them answer
	// FailedOperation.RoleNotFoundAuthorization.
	RolloutNoRole = "testRolloutNoRole"
)

// The types UpdateCertificateInstance takes (the SDK's list, lower case)
// and those that must name their regions: api.HostingTypes and
// api.RegionalTypes.

// bindTypes are the lists DescribeCertificateBindResourceTaskDetail
// answers, one per resource type (the SDK's field names).
var bindTypes = []string{"CLB", "CDN", "WAF", "DDOS", "LIVE", "VOD", "TKE", "APIGATEWAY", "TCB", "TEO", "TSE", "COS", "TDMQ", "MQTT", "GAAP", "SCF"}

// Binding is one resource serving a certificate: a CLB listener (Region,
// InstanceID lb-…, ListenerID lbl-…) or a CDN domain (InstanceID is the
// domain).
type Binding struct {
	Type         string // clb, cdn
	Region       string // clb only
	InstanceID   string
	InstanceName string
	ListenerID   string // clb only
	ListenerName string
	Domains      []string // the names it serves
	CertID       string   // the certificate it serves now
}

// Bindings are the resources the sandbox starts with.
var Bindings = []Binding{
	{Type: "clb", Region: "ap-guangzhou", InstanceID: "lb-shop0gz1", InstanceName: "shop-gz", ListenerID: "lbl-https0gz", ListenerName: "https-443",
		Domains: []string{"shop.example.com", "www.shop.example.com"}, CertID: "exppaid1"},
	{Type: "clb", Region: "ap-shanghai", InstanceID: "lb-shop0sh1", InstanceName: "shop-sh", ListenerID: "lbl-https0sh", ListenerName: "https-443",
		Domains: []string{"www.shop.example.com"}, CertID: "exppaid1"},
	{Type: "cdn", InstanceID: "shop.example.com", Domains: []string{"shop.example.com"}, CertID: "exppaid1"},
	{Type: "cdn", InstanceID: "free.example.com", Domains: []string{"free.example.com"}, CertID: "expfree1"},
	{Type: "clb", Region: "ap-guangzhou", InstanceID: "lb-part0001", InstanceName: "part-a", ListenerID: "lbl-part0001", ListenerName: "https-443",
		Domains: []string{"part.example.com"}, CertID: RolloutPartial},
	{Type: "clb", Region: "ap-guangzhou", InstanceID: "lb-part0002", InstanceName: "part-b", ListenerID: "lbl-part0002", ListenerName: "https-8443",
		Domains: []string{"part.example.com"}, CertID: RolloutPartial},
	{Type: "clb", Region: "ap-beijing", InstanceID: "lb-busy0001", InstanceName: "busy", ListenerID: "lbl-busy0001", ListenerName: "https-443",
		Domains: []string{"busy.example.com"}, CertID: RolloutBusy},
	{Type: "cdn", InstanceID: "norole.example.com", Domains: []string{"norole.example.com"}, CertID: RolloutNoRole},
	// Free targets for DeployCertificateInstance (certwiz deploy): they
	// serve no certificate (CertID ""). A listener without domains has SNI
	// off (its target is lb-…|lbl-…), one with domains has it on
	// (lb-…|lbl-…|domain); deploying to lb-fail0001 fails
	// (CertificateNotDeployInstance).
	{Type: "clb", Region: "ap-guangzhou", InstanceID: "lb-new00001", InstanceName: "new-gz", ListenerID: "lbl-new00001", ListenerName: "https-443"},
	{Type: "clb", Region: "ap-guangzhou", InstanceID: "lb-new00001", InstanceName: "new-gz", ListenerID: "lbl-new00002", ListenerName: "https-8443",
		Domains: []string{"new.example.com"}},
	{Type: "cdn", InstanceID: "new.example.com", Domains: []string{"new.example.com"}},
	{Type: "clb", Region: "ap-guangzhou", InstanceID: FailTarget, InstanceName: "fail-gz", ListenerID: "lbl-fail0001", ListenerName: "https-443"},
}

// FailTarget is the CLB instance (ap-guangzhou, listener lbl-fail0001)
// that every deployment to fails: the certificate cannot be deployed there.
const FailTarget = "lb-fail0001"

// DefaultRolloutStep is how long an update's resource stays pending, then
// running, before it ends (Options.RolloutStep).
const DefaultRolloutStep = 2 * time.Second

// Update statuses of DescribeHostUpdateRecordDetail.
const (
	updatePending    = 0
	updateSuccess    = 1
	updateFailed     = 2
	updateRunning    = 3
	updateRolledBack = 4
)

// maxSyncIDs is how many certificates one bind sync task takes.
const maxSyncIDs = 100

type binding struct {
	Binding
	busy bool // answers "resource in operating" to its next update
}

type syncTask struct {
	certID string
	polls  int // detail answers so far: the first says "still querying"
}

// updateDetail is one resource of an update record.
type updateDetail struct {
	id       int64
	b        *binding
	from, to string // the certificate replaced and the one put in place
	start    time.Time
	status   int
	errMsg   string
	undo     *updateDetail // a rollback's detail: the one it undoes
}

// updateRecord is an update's record, or a first deployment's (deploy:
// DeployCertificateInstance's, of resources of type typ; old is "").
type updateRecord struct {
	id       int64
	old, new string
	rollback bool
	deploy   bool
	typ      string
	details  []*updateDetail
}

// hosting is the sandbox's state of resources and their updates.
type hosting struct {
	bindings []*binding
	tasks    map[string]*syncTask
	records  []*updateRecord
	creating map[string]bool // OLD → an update answered "still creating" once
	nextID   int64
	silenced map[string]bool // certificates whose expiry notices are off
}

func newHosting() *hosting {
	h := &hosting{tasks: map[string]*syncTask{}, creating: map[string]bool{}, nextID: 1000, silenced: map[string]bool{}}
	for _, b := range Bindings {
		b.Domains = slices.Clone(b.Domains)
		h.bindings = append(h.bindings, &binding{Binding: b, busy: b.CertID == RolloutBusy})
	}
	return h
}

// BoundTo returns the resources that serve a certificate now.
func (s *Server) BoundTo(id string) []Binding {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceUpdates()
	var out []Binding
	for _, b := range s.hosting.bindings {
		if b.CertID == id {
			c := b.Binding
			c.Domains = slices.Clone(c.Domains)
			out = append(out, c)
		}
	}
	return out
}

// UpdateCalls counts the UpdateCertificateInstance and
// DeployCertificateInstance, retry and rollback requests the sandbox
// accepted: the requests that change resources.
func (s *Server) UpdateCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updateCalls
}

func noRole() *apiError {
	return fail("FailedOperation.RoleNotFoundAuthorization", "The role does not exist, please go to authorize: the SSL certificate service role (SSL_QCSLinkedRoleInReplaceLoadCertificate) has not been authorized.")
}

// bindSync answers CreateCertificateBindResourceSyncTask: one task per
// certificate.
func (s *Server) bindSync(p map[string]any) (map[string]any, *apiError) {
	ids := asList(p["CertificateIds"])
	switch {
	case len(ids) == 0:
		return nil, fail("MissingParameter", "The request is missing a required parameter `CertificateIds`.")
	case len(ids) > maxSyncIDs:
		return nil, fail("FailedOperation.CertificateSyncTaskCertificateIdCountInvalid", "The certificate operation parameter is invalid: more than %d certificate IDs.", maxSyncIDs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []any
	for _, v := range ids {
		id, _ := v.(string)
		if id == RolloutNoRole {
			return nil, noRole()
		}
		if _, ok := s.lookup(id); !ok {
			return nil, fail("FailedOperation.CertificateNotFound", "The certificate %s does not exist.", id)
		}
		task := fmt.Sprintf("task-%08x", hash32(id+strconv.Itoa(len(s.hosting.tasks))))
		s.hosting.tasks[task] = &syncTask{certID: id}
		out = append(out, map[string]any{"CertId": id, "TaskId": task})
	}
	return map[string]any{"CertTaskIds": out}, nil
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// bindDetail answers DescribeCertificateBindResourceTaskDetail: Status 0
// (still querying) the first time, then 1 with the resources per type.
func (s *Server) bindDetail(p map[string]any) (map[string]any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	task, ok := s.hosting.tasks[stringParam(p, "TaskId")]
	if !ok {
		return nil, fail("FailedOperation.CertificateSyncTaskIdInvalid", "The task ID of the certificate's cloud resources query is invalid.")
	}
	out := map[string]any{"Status": 0, "CacheTime": nil}
	for _, t := range bindTypes {
		out[t] = []any{}
	}
	task.polls++
	if task.polls == 1 {
		return out, nil
	}
	s.advanceUpdates()
	out["Status"] = 1
	out["CacheTime"] = s.opts.Now().In(beijing).Format(timeLayout)
	types, regions := asList(p["ResourceTypes"]), asList(p["Regions"])
	want := func(b *binding) bool {
		return b.CertID == task.certID && (len(types) == 0 || slices.Contains(types, any(b.Type))) &&
			(len(regions) == 0 || b.Region == "" || slices.Contains(regions, any(b.Region)))
	}
	var cdn []any
	clb := map[string][]any{}
	var order []string
	for _, b := range s.hosting.bindings {
		if !want(b) {
			continue
		}
		switch b.Type {
		case "cdn":
			cdn = append(cdn, map[string]any{"Domain": b.InstanceID, "CertId": b.CertID, "Status": "online", "HttpsBillingSwitch": "on"})
		case "clb":
			if _, ok := clb[b.Region]; !ok {
				order = append(order, b.Region)
			}
			clb[b.Region] = append(clb[b.Region], s.clbInstance(b))
		}
	}
	var clbOut []any
	for _, r := range order {
		clbOut = append(clbOut, map[string]any{"Region": r, "InstanceList": clb[r], "TotalCount": len(clb[r]), "Error": ""})
	}
	if len(clbOut) > 0 {
		out["CLB"] = clbOut
	}
	if len(cdn) > 0 {
		out["CDN"] = []any{map[string]any{"TotalCount": len(cdn), "InstanceList": cdn, "Error": ""}}
	}
	return out, nil
}

// clbInstance is a CLB instance with the one listener of a binding, its
// rules naming the domains it serves. s.mu held.
func (s *Server) clbInstance(b *binding) map[string]any {
	var names []any
	if c, ok := s.lookup(b.CertID); ok {
		for _, n := range c.SubjectAltName {
			names = append(names, n)
		}
	}
	certificate := map[string]any{"CertId": b.CertID, "DnsNames": names, "CertCaId": "", "SSLMode": "UNIDIRECTIONAL"}
	var rules []any
	for i, d := range b.Domains {
		rules = append(rules, map[string]any{"LocationId": fmt.Sprintf("loc-%s-%d", strings.TrimPrefix(b.ListenerID, "lbl-"), i+1),
			"Domain": d, "IsMatch": true, "Certificate": certificate, "NoMatchDomains": []any{}, "Url": "/"})
	}
	return map[string]any{"LoadBalancerId": b.InstanceID, "LoadBalancerName": b.InstanceName, "Forward": 1,
		"Listeners": []any{map[string]any{"ListenerId": b.ListenerID, "ListenerName": b.ListenerName, "SniSwitch": 1,
			"Protocol": "HTTPS", "Certificate": certificate, "Rules": rules, "NoMatchDomains": []any{}}}}
}

// update answers UpdateCertificateInstance: the first call for OLD answers
// DeployRecordId 0 (the task is still being created), the next the
// record's ID with DeployStatus 1; while a record of OLD runs, its ID with
// DeployStatus 0.
func (s *Server) update(p map[string]any) (map[string]any, *apiError) {
	oldID, newID := stringParam(p, "OldCertificateId"), stringParam(p, "CertificateId")
	if stringParam(p, "CertificatePublicKey") != "" || stringParam(p, "CertificatePrivateKey") != "" {
		return nil, fail("FailedOperation.InvalidParam", "The sandbox replaces certificates by CertificateId only; it does not take uploaded keys.")
	}
	if newID == "" {
		return nil, fail("MissingParameter", "The request is missing a required parameter `CertificateId`.")
	}
	types := asList(p["ResourceTypes"])
	regions := map[string][]any{}
	for _, v := range asList(p["ResourceTypesRegions"]) {
		m, _ := v.(map[string]any)
		t, _ := m["ResourceType"].(string)
		regions[t] = asList(m["Regions"])
	}
	for _, t := range types {
		t, _ := t.(string)
		if !slices.Contains(api.HostingTypes, t) {
			return nil, fail("FailedOperation.CertificateHostResourceTypeInvalid", "The cloud resource type %q is invalid.", t)
		}
		if slices.Contains(api.RegionalTypes, t) && len(regions[t]) == 0 {
			return nil, fail("InvalidParameter", "ResourceTypesRegions must name the regions of the resource type %s.", t)
		}
	}
	if oldID == RolloutNoRole || newID == RolloutNoRole {
		return nil, noRole()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceUpdates()
	if _, e := s.certAt(oldID, nil, ""); e != nil {
		return nil, e
	}
	next, e := s.certAt(newID, func(c *cert) bool { return c.Status == 1 }, "only an issued certificate can be deployed")
	if e != nil {
		return nil, fail("FailedOperation.CertificateNotAvailable", "The certificate is not available, please check and try again: %s", e.Message)
	}
	for _, r := range s.hosting.records {
		if r.old == oldID && !r.rollback && r.running() {
			return map[string]any{"DeployRecordId": r.id, "DeployStatus": 0, "UpdateSyncProgress": nil}, nil
		}
	}
	var picked []*binding
	for _, b := range s.hosting.bindings {
		if b.CertID == oldID && slices.Contains(types, any(b.Type)) && (b.Region == "" || slices.Contains(regions[b.Type], any(b.Region))) {
			picked = append(picked, b)
		}
	}
	if len(picked) == 0 {
		return nil, fail("FailedOperation.CertificateDeployInstanceEmpty", "The selected cloud resources have no instance, so nothing can be updated; please check and try again.")
	}
	s.updateCalls++
	if !s.hosting.creating[oldID] {
		s.hosting.creating[oldID] = true
		var progress []any
		for _, t := range types {
			progress = append(progress, map[string]any{"ResourceType": t, "Status": 3, "UpdateSyncProgressRegions": []any{}})
		}
		return map[string]any{"DeployRecordId": 0, "DeployStatus": 1, "UpdateSyncProgress": progress}, nil
	}
	delete(s.hosting.creating, oldID)
	now := s.opts.Now()
	r := &updateRecord{id: s.hosting.newID(), old: oldID, new: newID}
	for _, b := range picked {
		d := &updateDetail{id: s.hosting.newID(), b: b, from: oldID, to: newID, start: now}
		switch {
		case b.busy:
			b.busy = false
			d.errMsg = "[CLB] resource in operating: the load balancer is being changed by another task, please retry later."
		case b.InstanceID == "lb-part0002":
			d.errMsg = "FailedOperation.CertificateNotDeployInstance: the certificate cannot be deployed to this instance (listener lbl-part0002)."
		default:
			for _, name := range b.Domains {
				if !coveredBy(name, next.SubjectAltName) {
					d.errMsg = fmt.Sprintf("The certificate %s does not cover the domain %s served by this resource.", newID, name)
					break
				}
			}
		}
		r.details = append(r.details, d)
	}
	s.hosting.records = append(s.hosting.records, r)
	s.advanceUpdates()
	return map[string]any{"DeployRecordId": r.id, "DeployStatus": 1, "UpdateSyncProgress": nil}, nil
}

func (h *hosting) newID() int64 {
	h.nextID++
	return h.nextID
}

// coveredBy reports whether one of a certificate's names covers a name: the
// same, or a wildcard for exactly one more label (RFC 6125).
func coveredBy(name string, names []string) bool {
	name = strings.ToLower(name)
	for _, n := range names {
		n = strings.ToLower(n)
		if n == name {
			return true
		}
		if rest, ok := strings.CutPrefix(n, "*."); ok {
			if _, parent, ok := strings.Cut(name, "."); ok && parent == rest {
				return true
			}
		}
	}
	return false
}

func (r *updateRecord) running() bool {
	for _, d := range r.details {
		if d.status == updatePending || d.status == updateRunning {
			return true
		}
	}
	return false
}

// advanceUpdates moves each unfinished resource on the sandbox's clock:
// pending for one RolloutStep, running for another, then ended — the
// resource then serves the new certificate, or the record says why not.
// s.mu held.
func (s *Server) advanceUpdates() {
	now := s.opts.Now()
	step := s.opts.RolloutStep
	for _, r := range s.hosting.records {
		for _, d := range r.details {
			if d.status != updatePending && d.status != updateRunning {
				continue
			}
			switch {
			case now.Before(d.start.Add(step)):
				d.status = updatePending
			case now.Before(d.start.Add(2 * step)):
				d.status = updateRunning
			case d.errMsg != "":
				d.status = updateFailed
			default:
				d.status = updateSuccess
				d.b.CertID = d.to
				if d.undo != nil {
					d.undo.status = updateRolledBack
				}
			}
		}
	}
}

// record finds an update record (deploy: a deployment's) by its ID. s.mu
// held.
func (s *Server) record(id int64, deploy bool) (*updateRecord, *apiError) {
	for _, r := range s.hosting.records {
		if r.id == id && r.deploy == deploy {
			return r, nil
		}
	}
	return nil, fail("FailedOperation.CertificateDeployNotExist", "The certificate deployment record %d does not exist.", id)
}

// updateDetailAnswer answers DescribeHostUpdateRecordDetail: the record's
// resources grouped by type, paged by Offset and Limit (≤ 200), and the
// counts of each state.
func (s *Server) updateDetailAnswer(p map[string]any) (map[string]any, *apiError) {
	return s.recordAnswer(p, false)
}

// recordAnswer answers an update's record (deploy false) or a
// deployment's (DescribeHostDeployRecordDetail: one flat
// DeployRecordDetailList, its resources without ResourceType).
func (s *Server) recordAnswer(p map[string]any, deploy bool) (map[string]any, *apiError) {
	id, err := strconv.ParseInt(stringParam(p, "DeployRecordId"), 10, 64)
	if err != nil {
		return nil, fail("InvalidParameterValue", "The value of parameter `DeployRecordId` must be a record ID (digits).")
	}
	limit, e := pageParam(p, "Limit", 10)
	if e == nil && (limit < 0 || limit > 200) {
		e = fail("InvalidParameterValue", "The value `%d` of parameter `Limit` is invalid: it must be between 0 and 200.", limit)
	}
	if e != nil {
		return nil, e
	}
	offset, e := pageParam(p, "Offset", 0)
	if e == nil && offset < 0 {
		e = fail("InvalidParameterValue", "The value `%d` of parameter `Offset` is invalid.", offset)
	}
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceUpdates()
	r, e := s.record(id, deploy)
	if e != nil {
		return nil, e
	}
	counts := map[int]int{}
	for _, d := range r.details {
		counts[d.status]++
	}
	page := r.details[min(offset, len(r.details)):min(offset+limit, len(r.details))]
	at := s.opts.Now().In(beijing).Format(timeLayout)
	out := map[string]any{"TotalCount": len(r.details), "SuccessTotalCount": counts[updateSuccess], "FailedTotalCount": counts[updateFailed],
		"RunningTotalCount": counts[updateRunning], "PendingTotalCount": counts[updatePending]}
	list := []any{}
	if deploy {
		for _, d := range page {
			m := d.answer(at)
			delete(m, "ResourceType")
			list = append(list, m)
		}
		out["DeployRecordDetailList"] = list
		return out, nil
	}
	byType := map[string]map[string]any{}
	for _, d := range page {
		g, ok := byType[d.b.Type]
		if !ok {
			g = map[string]any{"ResourceType": d.b.Type, "List": []any{}, "TotalCount": 0}
			byType[d.b.Type] = g
			list = append(list, g)
		}
		g["List"] = append(g["List"].([]any), d.answer(at))
		g["TotalCount"] = g["TotalCount"].(int) + 1
	}
	out["RecordDetailList"] = list
	return out, nil
}

// pageParam reads Limit or Offset: a string of digits (the update's
// detail) or an integer (the deployment's), def when absent.
func pageParam(p map[string]any, name string, def int) (int, *apiError) {
	switch v := p[name].(type) {
	case string:
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, fail("InvalidParameterValue", "The value `%s` of parameter `%s` is invalid.", v, name)
		}
		return n, nil
	case int64:
		return int(v), nil
	}
	return def, nil
}

func (d *updateDetail) answer(at string) map[string]any {
	domains := make([]any, 0, len(d.b.Domains))
	for _, n := range d.b.Domains {
		domains = append(domains, n)
	}
	m := map[string]any{"Id": d.id, "CertId": null(d.to), "OldCertId": null(d.from), "Domains": domains, "ResourceType": d.b.Type,
		"Region": null(d.b.Region), "Status": d.status, "ErrorMsg": nil, "CreateTime": d.start.In(beijing).Format(timeLayout), "UpdateTime": at,
		"InstanceId": d.b.InstanceID, "InstanceName": null(d.b.InstanceName), "ListenerId": null(d.b.ListenerID),
		"ListenerName": null(d.b.ListenerName), "Protocol": "HTTPS", "SniSwitch": nil, "Bucket": nil, "Port": 443,
		"Namespace": nil, "SecretName": nil, "EnvId": "", "TCBType": "", "Url": "", "Algorithm": "RSA 2048", "OldAlgorithm": "RSA 2048",
		"InstanceStatus": "1", "ListenerStatus": "1"}
	if d.status == updateFailed {
		m["ErrorMsg"] = d.errMsg
	}
	if d.b.Type == "clb" {
		m["SniSwitch"] = 1
	}
	return m
}

// retry answers UpdateCertificateRecordRetry (deploy:
// DeployCertificateRecordRetry): the record's failed resources (or the one
// named by DeployRecordDetailId) start again.
func (s *Server) retry(p map[string]any, deploy bool) (map[string]any, *apiError) {
	recID, hasRec := p["DeployRecordId"].(int64)
	detID, hasDet := p["DeployRecordDetailId"].(int64)
	if !hasRec && !hasDet {
		return nil, fail("MissingParameter", "The request is missing a required parameter: `DeployRecordId` or `DeployRecordDetailId`.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceUpdates()
	var failed []*updateDetail
	found := false
	for _, r := range s.hosting.records {
		if hasRec && r.id != recID || r.deploy != deploy {
			continue
		}
		for _, d := range r.details {
			if hasDet && d.id != detID {
				continue
			}
			found = true
			if d.status == updateFailed {
				failed = append(failed, d)
			}
		}
	}
	if !found {
		return nil, fail("FailedOperation.CertificateDeployNotExist", "The certificate deployment record does not exist.")
	}
	if len(failed) == 0 {
		return nil, fail("FailedOperation.CertificateDeployRetryStatusInvalid", "The record must have failed for this operation.")
	}
	s.updateCalls++
	for _, d := range failed {
		d.status, d.start = updatePending, s.opts.Now()
		if strings.Contains(d.errMsg, "resource in operating") {
			d.errMsg = "" // the other task is over now
		}
	}
	return map[string]any{}, nil
}

// rollback answers UpdateCertificateRecordRollback (deploy:
// DeployCertificateRecordRollback): a new record that gives the resources
// the record changed what they served before — the old certificate, or
// none for a target a deployment bound first.
func (s *Server) rollback(p map[string]any, deploy bool) (map[string]any, *apiError) {
	id, ok := p["DeployRecordId"].(int64)
	if !ok {
		return nil, fail("MissingParameter", "The request is missing a required parameter `DeployRecordId`.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceUpdates()
	r, e := s.record(id, deploy)
	switch {
	case e != nil:
		return nil, e
	case r.running():
		return nil, fail("FailedOperation.CertificateDeployDetailRollbackStatusInvalid", "The record must be finished for this operation.")
	}
	back := &updateRecord{id: s.hosting.newID(), old: r.new, new: r.old, rollback: true, deploy: r.deploy, typ: r.typ}
	for _, d := range r.details {
		if d.status == updateSuccess {
			back.details = append(back.details, &updateDetail{id: s.hosting.newID(), b: d.b, from: d.to, to: d.from, start: s.opts.Now(), undo: d})
		}
	}
	if len(back.details) == 0 {
		return nil, fail("FailedOperation.CertificateDeployRollbackStatusInvalid", "There must be a successfully deployed resource to roll back.")
	}
	s.updateCalls++
	s.hosting.records = append(s.hosting.records, back)
	s.advanceUpdates()
	return map[string]any{"DeployRecordId": back.id}, nil
}

// maxNoticeIDs is how many certificates one notices switch takes.
const maxNoticeIDs = 50

// notices answers ModifyCertificatesExpiringNotificationSwitch: the
// certificates' expiry notices off (SwitchStatus 1) or on (0).
func (s *Server) notices(p map[string]any) (map[string]any, *apiError) {
	ids := asList(p["CertificateIds"])
	sw, ok := p["SwitchStatus"].(int64)
	switch {
	case len(ids) == 0:
		return nil, fail("MissingParameter", "The request is missing a required parameter `CertificateIds`.")
	case len(ids) > maxNoticeIDs:
		return nil, fail("InvalidParameter", "At most %d certificate IDs.", maxNoticeIDs)
	case !ok || sw < 0 || sw > 1:
		return nil, fail("InvalidParameterValue", "The value of parameter `SwitchStatus` must be 0 or 1.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range ids {
		id, _ := v.(string)
		if _, ok := s.lookup(id); !ok {
			return nil, fail("FailedOperation.CertificateNotFound", "The certificate %s does not exist.", id)
		}
	}
	for _, v := range ids {
		s.hosting.silenced[v.(string)] = sw == 1
	}
	return map[string]any{"CertificateIds": ids}, nil
}

// NoticesOff reports whether a certificate's expiry notices were turned off.
func (s *Server) NoticesOff(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hosting.silenced[id]
}
