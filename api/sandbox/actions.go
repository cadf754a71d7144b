package sandbox

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
)

// The actions the sandbox serves (X-TC-Action); any other is InvalidAction.
const (
	ActionSubmit   = "SubmitCertificateInformation"
	ActionDescribe = "DescribeCertificates"
	ActionDetail   = "DescribeCertificateDetail"
	ActionCommit   = "CommitCertificateInformation"
	ActionCheck    = "CheckCertificateDomainVerification"
	ActionComplete = "CompleteCertificate"
	ActionDownload = "DownloadCertificate"
	ActionApply    = "ApplyCertificate"
)

// Actions lists the actions the sandbox serves.
var Actions = []string{ActionSubmit, ActionDescribe, ActionDetail, ActionCommit, ActionCheck, ActionComplete, ActionDownload, ActionApply,
	ActionBindSync, ActionBindDetail, ActionUpdate, ActionUpdateDetail, ActionUpdateRetry, ActionUpdateRollback,
	ActionDeploy, ActionDeployDetail, ActionDeployRetry, ActionDeployRollback, ActionNotices}

// paramType is the JSON type a parameter must have.
type paramType int

const (
	typeString paramType = iota
	typeInt
	typeIntList
	typeStringList
	typeBool
	typeRegionList // [{ResourceType string, Regions [string]}]
	typeTagList    // [{TagKey string, TagValue string}]
)

func (t paramType) String() string {
	return [...]string{"a string", "an integer", "an array of integers", "an array of strings", "a boolean",
		"an array of {ResourceType, Regions}", "an array of {TagKey, TagValue}"}[t]
}

// actionParams are the documented request parameters of the actions other
// than SubmitCertificateInformation (whose parameters are api.Fields).
var actionParams = map[string]map[string]paramType{
	ActionDescribe: {
		"Offset": typeInt, "Limit": typeInt, "SearchKey": typeString, "CertificateStatus": typeIntList,
		"FilterSource": typeString, "ExpirationSort": typeString, "IsPendingIssue": typeInt,
		"CertIds": typeStringList, "FilterExpiring": typeInt, "CertificateType": typeString, "ProjectId": typeInt,
		"Renew": typeInt,
	},
	ActionDetail:   {"CertificateId": typeString},
	ActionCommit:   {"CertificateId": typeString, "VerifyType": typeString},
	ActionCheck:    {"CertificateId": typeString},
	ActionComplete: {"CertificateId": typeString},
	ActionDownload: {"CertificateId": typeString},
	// The SDK's ApplyCertificateRequest (ProjectId is a uint64 there).
	ActionApply: {
		"DvAuthMethod": typeString, "DomainName": typeString, "ProjectId": typeInt, "PackageType": typeString,
		"ContactEmail": typeString, "ContactPhone": typeString, "ValidityPeriod": typeString,
		"CsrEncryptAlgo": typeString, "CsrKeyParameter": typeString, "CsrKeyPassword": typeString,
		"Alias": typeString, "OldCertificateId": typeString, "PackageId": typeString,
		"DeleteDnsAutoRecord": typeBool, "DnsNames": typeStringList,
	},
	// The SDK's request types of the hosting actions: DescribeHostUpdateRecordDetail
	// and DescribeCertificateBindResourceTaskDetail take their numbers as
	// strings, the retry and rollback as integers.
	ActionBindSync:   {"CertificateIds": typeStringList, "IsCache": typeInt},
	ActionBindDetail: {"TaskId": typeString, "Limit": typeString, "Offset": typeString, "ResourceTypes": typeStringList, "Regions": typeStringList},
	ActionUpdate: {
		"OldCertificateId": typeString, "ResourceTypes": typeStringList, "CertificateId": typeString, "Regions": typeStringList,
		"ResourceTypesRegions": typeRegionList, "CertificatePublicKey": typeString, "CertificatePrivateKey": typeString,
		"ExpiringNotificationSwitch": typeInt, "Repeatable": typeBool, "AllowDownload": typeBool, "Tags": typeTagList, "ProjectId": typeInt,
	},
	ActionUpdateDetail:   {"DeployRecordId": typeString, "Limit": typeString, "Offset": typeString},
	ActionUpdateRetry:    {"DeployRecordId": typeInt, "DeployRecordDetailId": typeInt},
	ActionUpdateRollback: {"DeployRecordId": typeInt},
	ActionNotices:        {"CertificateIds": typeStringList, "SwitchStatus": typeInt},
	// DescribeHostDeployRecordDetail takes its page as integers (uint64 in
	// the SDK), unlike the update's detail.
	ActionDeploy:         {"CertificateId": typeString, "InstanceIdList": typeStringList, "ResourceType": typeString, "Status": typeInt, "IsCache": typeInt},
	ActionDeployDetail:   {"DeployRecordId": typeString, "Offset": typeInt, "Limit": typeInt},
	ActionDeployRetry:    {"DeployRecordId": typeInt, "DeployRecordDetailId": typeInt},
	ActionDeployRollback: {"DeployRecordId": typeInt},
}

// Limits of DescribeCertificates.
const (
	defaultLimit = 10
	maxLimit     = 1000
)

// verifyTypes are CommitCertificateInformation's VerifyType values.
var verifyTypes = []string{"DNS_AUTO", "DNS", "FILE"}

// decodeObject reads a body that must be one JSON object, numbers kept as
// json.Number.
func decodeObject(body []byte) (map[string]any, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return nil, fail("InvalidParameter", "The request body is not a JSON object.")
	}
	if dec.More() {
		return nil, fail("InvalidParameter", "The request body has data after the JSON object.")
	}
	return raw, nil
}

// parseAction reads an action's parameters: SubmitCertificateInformation
// by the catalogue (parseParams), the others by actionParams. Integers come
// back as int64, integer arrays as []int64, string arrays as []any.
func parseAction(action string, body []byte) (map[string]any, *apiError) {
	if action == ActionSubmit {
		return parseParams(body)
	}
	raw, aerr := decodeObject(body)
	if aerr != nil {
		return nil, aerr
	}
	spec := actionParams[action]
	for _, name := range slices.Sorted(maps.Keys(raw)) {
		t, ok := spec[name]
		if !ok {
			return nil, fail("UnknownParameter", "The parameter `%s` is not recognized by %s.", name, action)
		}
		v, ok := convert(t, raw[name])
		if !ok {
			return nil, fail("InvalidParameter", "The parameter `%s` must be %s.", name, t)
		}
		raw[name] = v
	}
	if err := checkValues(action, raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// convert checks a decoded JSON value against a type and converts numbers.
func convert(t paramType, v any) (any, bool) {
	switch t {
	case typeString:
		s, ok := v.(string)
		return s, ok
	case typeInt:
		return jsonInt(v)
	case typeBool:
		b, ok := v.(bool)
		return b, ok
	case typeIntList, typeStringList:
		items, ok := v.([]any)
		if !ok {
			return nil, false
		}
		if t == typeStringList {
			for _, it := range items {
				if _, ok := it.(string); !ok {
					return nil, false
				}
			}
			return items, true
		}
		out := make([]int64, 0, len(items))
		for _, it := range items {
			n, ok := jsonInt(it)
			if !ok {
				return nil, false
			}
			out = append(out, n)
		}
		return out, true
	case typeRegionList, typeTagList:
		return objectList(t, v)
	}
	return nil, false
}

// objectList checks an array of objects of ResourceTypesRegions or Tags:
// only their documented keys, each of its type.
func objectList(t paramType, v any) (any, bool) {
	items, ok := v.([]any)
	if !ok {
		return nil, false
	}
	keys := map[string]paramType{"ResourceType": typeString, "Regions": typeStringList}
	if t == typeTagList {
		keys = map[string]paramType{"TagKey": typeString, "TagValue": typeString}
	}
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return nil, false
		}
		for k, val := range m {
			kt, known := keys[k]
			if !known {
				return nil, false
			}
			if _, ok := convert(kt, val); !ok {
				return nil, false
			}
		}
	}
	return items, true
}

func jsonInt(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	return i, err == nil
}

// checkValues checks what the types alone do not: required parameters and
// allowed values.
func checkValues(action string, p map[string]any) *apiError {
	switch action {
	case ActionDetail, ActionCommit, ActionCheck, ActionComplete, ActionDownload:
		if id, _ := p["CertificateId"].(string); id == "" {
			return fail("MissingParameter", "The request is missing a required parameter `CertificateId`.")
		}
		if v, ok := p["VerifyType"].(string); ok && !slices.Contains(verifyTypes, v) {
			return fail("InvalidParameterValue", "The value `%s` of parameter `VerifyType` is invalid: use DNS_AUTO, DNS or FILE.", v)
		}
	case ActionApply:
		for _, name := range []string{"DvAuthMethod", "DomainName"} {
			if v, _ := p[name].(string); v == "" {
				return fail("MissingParameter", "The request is missing a required parameter `%s`.", name)
			}
		}
		if v, _ := p["DvAuthMethod"].(string); !slices.Contains(verifyTypes, v) {
			return fail("InvalidParameterValue", "The value `%s` of parameter `DvAuthMethod` is invalid: use DNS_AUTO, DNS or FILE.", v)
		}
		if n, ok := p["ProjectId"].(int64); ok && n < 0 {
			return fail("InvalidParameterValue", "The value `%d` of parameter `ProjectId` is invalid: it cannot be negative.", n)
		}
	case ActionBindDetail, ActionUpdateDetail, ActionDeployDetail, ActionDeploy:
		name := map[string]string{ActionBindDetail: "TaskId", ActionUpdateDetail: "DeployRecordId", ActionDeployDetail: "DeployRecordId", ActionDeploy: "CertificateId"}[action]
		if v, _ := p[name].(string); v == "" {
			return fail("MissingParameter", "The request is missing a required parameter `%s`.", name)
		}
	case ActionUpdate:
		if v, _ := p["OldCertificateId"].(string); v == "" {
			return fail("MissingParameter", "The request is missing a required parameter `OldCertificateId`.")
		}
		if len(asList(p["ResourceTypes"])) == 0 {
			return fail("MissingParameter", "The request is missing a required parameter `ResourceTypes`.")
		}
	case ActionDescribe:
		if n, ok := p["Offset"].(int64); ok && n < 0 {
			return fail("InvalidParameterValue", "The value `%d` of parameter `Offset` is invalid: it cannot be negative.", n)
		}
		if n, ok := p["Limit"].(int64); ok && (n < 0 || n > maxLimit) {
			return fail("InvalidParameterValue", "The value `%d` of parameter `Limit` is invalid: it must be between 0 and %d.", n, maxLimit)
		}
		if v, ok := p["FilterSource"].(string); ok && v != "buy" && v != "upload" {
			return fail("InvalidParameterValue", "The value `%s` of parameter `FilterSource` is invalid: use buy or upload.", v)
		}
		if v, ok := p["CertificateType"].(string); ok && v != "SVR" && v != "CA" {
			return fail("InvalidParameterValue", "The value `%s` of parameter `CertificateType` is invalid: use SVR or CA.", v)
		}
	}
	return nil
}

// null is how the service sends a field without a value.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// fields are a certificate's fields as DescribeCertificates lists them.
func (c *cert) fields(now time.Time) map[string]any {
	var sans any
	if len(c.SubjectAltName) > 0 {
		sans = slices.Clone(c.SubjectAltName)
	}
	var certSANs any
	if c.CertBeginTime != "" {
		certSANs = sans
	}
	return map[string]any{
		"CertificateId":         c.ID,
		"Domain":                null(c.Domain),
		"Alias":                 null(c.Alias),
		"ProductZhName":         c.ProductZhName,
		"PackageType":           c.PackageType,
		"PackageTypeName":       c.PackageTypeName,
		"CertificateType":       "SVR",
		"Status":                c.Status,
		"StatusName":            StatusNames[c.Status],
		"StatusMsg":             null(c.StatusMsg),
		"VerifyType":            null(c.VerifyType),
		"InsertTime":            c.InsertTime,
		"CertBeginTime":         null(c.CertBeginTime),
		"CertEndTime":           null(c.CertEndTime),
		"SubjectAltName":        sans,
		"CertSANs":              certSANs,
		"IsDv":                  c.IsDV,
		"IsWildcard":            c.IsWildcard,
		"DVAuthDeadline":        null(c.DVAuthDeadline),
		"AwaitingValidationMsg": nil,
		"AllowDownload":         c.Status == 1,
		"IsExpiring":            c.expiring(now),
		"RenewAble":             c.renewAble(now),
		"HasRenewOrder":         null(c.HasRenewOrder),
		"ProjectId":             "0",
		"ProjectInfo":           nil,
	}
}

// expiring reports an issued certificate ending within 30 days.
func (c *cert) expiring(now time.Time) bool {
	if c.Status != 1 || c.CertEndTime == "" {
		return false
	}
	end, err := time.ParseInLocation(timeLayout, c.CertEndTime, beijing)
	return err == nil && end.Sub(now) < 30*24*time.Hour
}

// renewAble reports an issued certificate in its last 30 days, not yet
// ended, with no renewal ordered.
func (c *cert) renewAble(now time.Time) bool {
	end, err := time.ParseInLocation(timeLayout, c.CertEndTime, beijing)
	return c.expiring(now) && err == nil && now.Before(end) && c.HasRenewOrder == ""
}

// wildcard reports whether any of the certificate's names is a wildcard.
func (c *cert) wildcard() bool {
	if c.IsWildcard || strings.HasPrefix(c.Domain, "*.") {
		return true
	}
	for _, n := range c.SubjectAltName {
		if strings.HasPrefix(n, "*.") {
			return true
		}
	}
	return false
}

// submit records a SubmitCertificateInformation call: the parameters are
// merged into the certificate's submitted information (the status stays).
func (s *Server) submit(reqID string, p map[string]any, body []byte) (map[string]any, *apiError) {
	id, _ := p["CertificateId"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.certAt(id, func(c *cert) bool { return c.Status == 5 || c.Status == 13 }, "information can only be submitted while it awaits information")
	if e != nil {
		return nil, e
	}
	s.submissions = append(s.submissions, Submission{RequestId: reqID, Params: p, Body: body})
	if c.submitted == nil {
		c.submitted = map[string]any{}
	}
	for k, v := range cloneParams(p) {
		if k != "CertificateId" {
			c.submitted[k] = v
		}
	}
	if d, _ := c.submitted["CertificateDomain"].(string); d != "" {
		names := []string{d}
		list, _ := c.submitted["DomainList"].([]any)
		for _, n := range list {
			if n, _ := n.(string); n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		c.Domain, c.SubjectAltName = d, names
		c.IsWildcard = false
		c.IsWildcard = c.wildcard()
	}
	if v, _ := c.submitted["VerifyType"].(string); v != "" {
		c.VerifyType = v
	}
	return map[string]any{"CertificateId": id}, nil
}

// certAt finds the certificate an action names (s.mu held) and checks it
// is at a status the action takes (at, nil for any; needs says which).
func (s *Server) certAt(id string, at func(*cert) bool, needs string) (*cert, *apiError) {
	c, ok := s.lookup(id)
	switch {
	case !ok:
		return nil, fail("FailedOperation.CertificateNotFound", "The certificate %s does not exist.", id)
	case at != nil && !at(c):
		return nil, fail("FailedOperation.InvalidCertificateStatusCode", "The certificate %s has status %d (%s); %s.", id, c.Status, StatusNames[c.Status], needs)
	}
	return c, nil
}

// commit sends the order to the (imitation) CA: only at status 5 and only
// after a submit. An OV/EV product then awaits its confirmation letter (8),
// DNS_AUTO has its record added (4), anything else waits for domain
// validation (0, PENDING-DCV); the deadline is 7 days away.
func (s *Server) commit(p map[string]any) (map[string]any, *apiError) {
	id, _ := p["CertificateId"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.certAt(id, func(c *cert) bool { return c.Status == 5 }, "only a paid certificate awaiting information (status 5) can be committed")
	switch {
	case e != nil:
		return nil, e
	case c.submitted == nil:
		return nil, fail("FailedOperation.InvalidParam", "The information of certificate %s has not been submitted: call SubmitCertificateInformation before committing.", id)
	}
	verify, _ := p["VerifyType"].(string)
	if verify == "" {
		verify, _ = c.submitted["VerifyType"].(string)
	}
	if verify == "" {
		verify = "DNS"
	}
	if verify == "FILE" && c.wildcard() {
		return nil, fail("FailedOperation.InvalidParam", "The certificate %s has a wildcard name: FILE validation is not allowed, use DNS or DNS_AUTO.", id)
	}
	c.VerifyType = verify
	c.orderID = orderIDFor(id)
	now := s.opts.Now()
	c.DVAuthDeadline = now.In(beijing).Add(7 * 24 * time.Hour).Format(timeLayout)
	switch {
	case !c.IsDV:
		c.Status, c.StatusMsg = 8, ""
	case verify == "DNS_AUTO":
		c.Status, c.StatusMsg = 4, ""
		c.caStarted = true // Tencent adds the record and the CA checks it
	default:
		c.Status, c.StatusMsg = 0, "PENDING-DCV"
	}
	// The records appear after the delay: the demo's stand-in for the user
	// creating them.
	s.schedulePublish(c, now)
	return map[string]any{"OrderId": c.orderID, "Status": c.Status}, nil
}

// detail answers one certificate in full. SubmittedData carries every
// documented parameter name but CertificateId (null when not submitted),
// KeyPassword included as the service does: hiding it is the client's job.
func (s *Server) detail(p map[string]any) (map[string]any, *apiError) {
	id, _ := p["CertificateId"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.certAt(id, nil, "")
	if e != nil {
		return nil, e
	}
	if c.Status == 1 {
		// Before SubmittedData: a user's key makes its CSR then.
		_ = s.materializeLocked(c)
	}
	out := c.fields(s.opts.Now())
	delete(out, "HasRenewOrder") // DescribeCertificates only, as in the SDK
	out["OrderId"] = null(c.orderID)
	out["SubmittedData"] = nil
	if c.submitted != nil {
		sd := map[string]any{}
		for _, f := range api.Fields {
			// The documented parameters, null when not submitted; IsDV,
			// newer than SubmittedData, only when it was.
			if f.Name != "CertificateId" && f.Kind != api.KindBool {
				sd[f.Name] = nil
			}
		}
		for k, v := range cloneParams(c.submitted) {
			sd[k] = v
		}
		out["SubmittedData"] = sd
	}
	out["DvAuthDetail"] = nil
	if c.orderID != "" {
		out["DvAuthDetail"] = c.dvAuthDetail()
	}
	out["CertificatePrivateKey"] = nil
	out["CertificatePublicKey"] = nil
	if c.Status == 1 && s.materializeLocked(c) == nil {
		out["CertificatePublicKey"] = c.issued.leafPEM
		// The key only when the sandbox generated it (CsrType online).
		out["CertificatePrivateKey"] = null(c.issued.keyPEM)
	}
	return out, nil
}

// describe lists certificates: filtered, newest InsertTime first (or by
// CertEndTime with ExpirationSort), then paged; TotalCount counts them
// before paging.
func (s *Server) describe(p map[string]any) (map[string]any, *apiError) {
	offset, _ := p["Offset"].(int64)
	limit, given := p["Limit"].(int64)
	if !given {
		limit = defaultLimit
	}
	statuses, _ := p["CertificateStatus"].([]int64)
	search := strings.ToLower(stringParam(p, "SearchKey"))
	ids, _ := p["CertIds"].([]any)
	source, ctype, sortBy := stringParam(p, "FilterSource"), stringParam(p, "CertificateType"), stringParam(p, "ExpirationSort")
	pending, _ := p["IsPendingIssue"].(int64)
	expiringOnly, _ := p["FilterExpiring"].(int64)
	renewOnly, _ := p["Renew"].(int64)
	project, hasProject := p["ProjectId"].(int64)

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	want := map[string]bool{}
	for _, id := range ids {
		id, _ := id.(string)
		want[id] = true
		s.lookup(id) // a stock certificate named here exists from now on
	}
	var list []*cert
	for _, c := range s.certs {
		s.advanceLocked(c)
		switch {
		case len(statuses) > 0 && !slices.Contains(statuses, int64(c.Status)),
			len(ids) > 0 && !want[c.ID],
			search != "" && !strings.Contains(strings.ToLower(c.ID), search) &&
				!strings.Contains(strings.ToLower(c.Alias), search) && !strings.Contains(strings.ToLower(c.Domain), search),
			source == "upload", // every sandbox certificate was bought
			ctype == "CA",      // and is a server certificate
			hasProject && project != 0,
			pending == 1 && c.Status != 0 && c.Status != 4 && c.Status != 8,
			expiringOnly == 1 && !c.expiring(now),
			renewOnly == 1 && !c.renewAble(now):
			continue
		}
		list = append(list, c)
	}
	newestFirst := func(a, b *cert) int {
		if n := strings.Compare(b.InsertTime, a.InsertTime); n != 0 {
			return n
		}
		return strings.Compare(a.ID, b.ID)
	}
	slices.SortFunc(list, func(a, b *cert) int {
		if sortBy == "ASC" || sortBy == "DESC" {
			switch {
			case a.CertEndTime == "" && b.CertEndTime != "":
				return 1
			case a.CertEndTime != "" && b.CertEndTime == "":
				return -1
			case a.CertEndTime != b.CertEndTime:
				n := strings.Compare(a.CertEndTime, b.CertEndTime)
				if sortBy == "DESC" {
					n = -n
				}
				return n
			}
		}
		return newestFirst(a, b)
	})
	total := len(list)
	start := min(int(min(offset, int64(total))), total)
	end := min(start+int(limit), total)
	page := make([]any, 0, end-start)
	for _, c := range list[start:end] {
		page = append(page, c.fields(now))
	}
	return map[string]any{"TotalCount": total, "Certificates": page}, nil
}

func stringParam(p map[string]any, name string) string {
	s, _ := p[name].(string)
	return s
}
