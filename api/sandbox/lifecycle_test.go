package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

// lifecycle is a sandbox on a loopback httptest server, with a clock the
// test holds still (so that every request falls in the same rolling
// second) and a rate high enough not to matter unless a test sets one.
type lifecycle struct {
	t   *testing.T
	sb  *Server
	url string
	now time.Time
}

func newLifecycle(t *testing.T, o Options) *lifecycle {
	t.Helper()
	l := &lifecycle{t: t, now: time.Now()}
	if o.Rate == 0 {
		o.Rate = 1_000_000
	}
	if o.Now == nil {
		o.Now = func() time.Time { return l.now }
	}
	l.sb = New(o)
	srv := httptest.NewServer(l.sb)
	t.Cleanup(srv.Close)
	l.url = srv.URL
	return l
}

// reply is one decoded answer: the Response object and the raw body.
type reply struct {
	status int
	resp   map[string]any
	raw    []byte
}

func (r reply) code() string {
	e, _ := r.resp["Error"].(map[string]any)
	c, _ := e["Code"].(string)
	return c
}

func (r reply) message() string {
	e, _ := r.resp["Error"].(map[string]any)
	m, _ := e["Message"].(string)
	return m
}

// call sends a request signed as api.md says to one action.
func (l *lifecycle) call(action, body string) reply {
	l.t.Helper()
	return l.callIn("", action, body)
}

// callIn is call with the common parameter Region (X-TC-Region) when not "".
func (l *lifecycle) callIn(region, action, body string) reply {
	l.t.Helper()
	s := newSigned(body)
	s.action = action
	req := s.request(l.t, l.url)
	if region != "" {
		req.Header.Set("X-TC-Region", region)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out struct{ Response map[string]any }
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		return reply{status: resp.StatusCode, raw: raw}
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		l.t.Fatalf("%s: answer is not JSON: %s", action, raw)
	}
	if id, _ := out.Response["RequestId"].(string); id == "" {
		l.t.Fatalf("%s: answer without RequestId: %s", action, raw)
	}
	return reply{status: resp.StatusCode, resp: out.Response, raw: raw}
}

// lost sends a request whose answer must never come: the error.
func (l *lifecycle) lost(action, body string) error {
	l.t.Helper()
	s := newSigned(body)
	s.action = action
	resp, err := http.DefaultClient.Do(s.request(l.t, l.url))
	if err == nil {
		resp.Body.Close()
	}
	return err
}

// ok is call that must succeed.
func (l *lifecycle) ok(action, body string) map[string]any {
	l.t.Helper()
	r := l.call(action, body)
	if r.status != 200 || r.code() != "" {
		l.t.Fatalf("%s %s: HTTP %d %s %s", action, body, r.status, r.code(), r.message())
	}
	return r.resp
}

func (l *lifecycle) describe(body string) (total int, certs []map[string]any) {
	l.t.Helper()
	resp := l.ok(ActionDescribe, body)
	n, _ := resp["TotalCount"].(float64)
	list, ok := resp["Certificates"].([]any)
	if !ok {
		l.t.Fatalf("Certificates is not an array: %v", resp["Certificates"])
	}
	for _, c := range list {
		certs = append(certs, c.(map[string]any))
	}
	return int(n), certs
}

func ids(certs []map[string]any) []string {
	var out []string
	for _, c := range certs {
		out = append(out, c["CertificateId"].(string))
	}
	return out
}

// dated reports a seed dated from the sandbox's start (ExpiresInDays).
func dated(id string) bool {
	for _, c := range Certificates {
		if c.ID == id {
			return c.ExpiresInDays != 0
		}
	}
	return false
}

// seeded counts the certificates a sandbox starts with.
func seeded() int {
	n := 0
	for _, c := range Certificates {
		if !c.Range {
			n++
		}
	}
	return n
}

const fullSubmit = `{"CertificateId":%q,"CsrType":"online","CertificateDomain":"www.example.com","DomainList":["www.example.com","example.com"],` +
	`"KeyPassword":"s3cret-pass","OrganizationName":"Example Technology Co., Ltd.","OrganizationCountry":"CN","AdminEmail":"admin@example.com"%s}`

func submitBody(id, extra string) string { return fmt.Sprintf(fullSubmit, id, extra) }

func TestDescribePagesOverMoreThanAThousand(t *testing.T) {
	l := newLifecycle(t, Options{ExtraCertificates: 1234})
	want := seeded() + 1234
	seen := map[string]bool{}
	last := "9999"
	for offset := 0; ; offset += 500 {
		total, page := l.describe(fmt.Sprintf(`{"Offset":%d,"Limit":500}`, offset))
		if total != want {
			t.Fatalf("TotalCount %d at offset %d, want %d", total, offset, want)
		}
		for _, c := range page {
			id, insert := c["CertificateId"].(string), c["InsertTime"].(string)
			if seen[id] {
				t.Fatalf("%s listed twice", id)
			}
			seen[id] = true
			if insert > last {
				t.Fatalf("%s (%s) after %s: not newest first", id, insert, last)
			}
			last = insert
		}
		if len(page) < 500 {
			if wantLen := want - offset; len(page) != wantLen {
				t.Fatalf("last page has %d, want %d", len(page), wantLen)
			}
			break
		}
	}
	if len(seen) != want || !seen["bulk00001"] || !seen["bulk01234"] || !seen["abcb1234"] {
		t.Fatalf("saw %d certificates, want %d with bulk00001, bulk01234 and abcb1234", len(seen), want)
	}
	if total, page := l.describe(`{"Offset":0,"Limit":1000}`); total != want || len(page) != 1000 {
		t.Fatalf("Limit 1000: total %d, %d listed", total, len(page))
	}
	if total, page := l.describe(`{}`); total != want || len(page) != 10 {
		t.Fatalf("default Limit: total %d, %d listed, want 10", total, len(page))
	}
	if total, page := l.describe(`{"Limit":0}`); total != want || len(page) != 0 {
		t.Fatalf("Limit 0: total %d, %d listed", total, len(page))
	}
	if total, page := l.describe(`{"Offset":5000,"Limit":10}`); total != want || len(page) != 0 {
		t.Fatalf("past the end: total %d, %d listed", total, len(page))
	}
	if r := l.call(ActionDescribe, `{"Limit":1001}`); r.code() != "InvalidParameterValue" {
		t.Fatalf("Limit 1001: %q", r.code())
	}
}

func TestDescribeNewestFirstWithNulls(t *testing.T) {
	l := newLifecycle(t, Options{})
	total, page := l.describe(`{"Limit":100}`)
	if total != seeded() || len(page) != total {
		t.Fatalf("total %d, %d listed, want %d", total, len(page), seeded())
	}
	got := ids(page)
	if got[0] != "dnsauto1" || got[1] != "dcvwait1" || got[len(got)-1] != "expired1" {
		t.Fatalf("order %v: want dnsauto1, dcvwait1 first and expired1 last", got)
	}
	byID := map[string]map[string]any{}
	for _, c := range page {
		byID[c["CertificateId"].(string)] = c
	}
	a := byID["abcb1234"]
	if a["StatusMsg"] != nil || a["CertEndTime"] != nil || a["Status"] != 5.0 || a["StatusName"] != "待提交资料" ||
		a["ProductZhName"] != "TrustAsia DV 多域名" || a["PackageType"] != "11" || a["IsDv"] != true {
		t.Fatalf("abcb1234 = %v", a)
	}
	if sans, _ := a["SubjectAltName"].([]any); len(sans) != 2 {
		t.Fatalf("abcb1234 SubjectAltName = %v", a["SubjectAltName"])
	}
	if d := byID["dcvwait1"]; d["StatusMsg"] != "PENDING-DCV" || d["DVAuthDeadline"] == nil || d["StatusName"] != "审核中" {
		t.Fatalf("dcvwait1 = %v", d)
	}
	if i := byID["issued01"]; i["CertBeginTime"] == nil || i["CertEndTime"] == nil || i["AllowDownload"] != true {
		t.Fatalf("issued01 = %v", i)
	}
	raw := l.call(ActionDescribe, `{"CertIds":["abcb1234"]}`).raw
	if !bytes.Contains(raw, []byte(`"StatusMsg":null`)) || !bytes.Contains(raw, []byte(`"CertEndTime":null`)) {
		t.Fatalf("no nulls in %s", raw)
	}
	// Every status of the road is there, with the service's words.
	for _, st := range []int{0, 1, 2, 3, 4, 5, 7, 8} {
		_, page := l.describe(fmt.Sprintf(`{"CertificateStatus":[%d],"Limit":100}`, st))
		if len(page) == 0 {
			t.Errorf("no certificate at status %d", st)
		}
		for _, c := range page {
			if c["Status"] != float64(st) || c["StatusName"] != StatusNames[st] {
				t.Errorf("status filter %d listed %v (%v)", st, c["CertificateId"], c["Status"])
			}
		}
	}
}

func TestDescribeFilters(t *testing.T) {
	l := newLifecycle(t, Options{})
	for _, c := range []struct {
		body string
		want []string
	}{
		{`{"CertificateStatus":[5]}`, []string{"abcb1234", "demo0001", "demo0002", "demo0003", "renpaid1"}},
		{`{"CertificateStatus":[1,3]}`, []string{"longlive1", "expfree1", "issued01", "exppaid2", "exppaid1", "expired1"}},
		{`{"SearchKey":"EXAMPLE.ORG"}`, []string{"demo0002"}},
		{`{"SearchKey":"官网"}`, []string{"abcb1234"}},
		{`{"SearchKey":"Demo000"}`, []string{"demo0001", "demo0002", "demo0003"}},
		{`{"SearchKey":"nothing-like-it"}`, nil},
		{`{"CertIds":["issued01","demo0042","nosuch01"]}`, []string{"demo0042", "issued01"}},
		{`{"CertificateStatus":[5],"Offset":1,"Limit":2}`, []string{"demo0001", "demo0002"}},
		{`{"ExpirationSort":"ASC","CertificateStatus":[1,3]}`, []string{"expired1", "issued01"}},
		{`{"ExpirationSort":"DESC","CertificateStatus":[1,3]}`, []string{"issued01", "expired1"}},
		{`{"FilterSource":"upload"}`, nil},
		{`{"IsPendingIssue":1}`, []string{"dnsauto1", "dcvwait1", "review01", "letter01"}},
	} {
		_, page := l.describe(c.body)
		got := ids(page)
		if strings.Contains(c.body, "ExpirationSort") {
			// Where the certificates dated from the start fall among fixed
			// end dates depends on the day: TestDatedSeeds orders them.
			got = slices.DeleteFunc(got, dated)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.body, got, c.want)
		}
	}
	// demo0042 was created when named: it now appears among those awaiting information.
	if total, _ := l.describe(`{"CertificateStatus":[5]}`); total != 6 {
		t.Errorf("status 5 total %d after demo0042 was named, want 6", total)
	}
}

func TestSubmitThenCommitMovesToPendingDCV(t *testing.T) {
	l := newLifecycle(t, Options{})
	d := l.ok(ActionDetail, `{"CertificateId":"abcb1234"}`)
	if d["SubmittedData"] != nil || d["OrderId"] != nil || d["DvAuthDetail"] != nil || d["Status"] != 5.0 {
		t.Fatalf("before submit: %v", d)
	}
	l.ok(ActionSubmit, `{"CertificateId":"abcb1234","CsrType":"online"}`)
	l.ok(ActionSubmit, submitBody("abcb1234", `,"VerifyType":"DNS"`))
	if n := len(l.sb.Submissions()); n != 2 {
		t.Fatalf("%d submissions recorded", n)
	}
	d = l.ok(ActionDetail, `{"CertificateId":"abcb1234"}`)
	sd, _ := d["SubmittedData"].(map[string]any)
	if d["Status"] != 5.0 || sd == nil || sd["CsrType"] != "online" || sd["KeyPassword"] != "s3cret-pass" ||
		sd["OrganizationName"] != "Example Technology Co., Ltd." || sd["VerifyType"] != "DNS" {
		t.Fatalf("after submit: %v", d)
	}
	if list, _ := sd["DomainList"].([]any); len(list) != 2 || list[1] != "example.com" {
		t.Fatalf("DomainList = %#v", sd["DomainList"])
	}
	if _, present := sd["PhoneNumber"]; !present || sd["PhoneNumber"] != nil {
		t.Fatalf("a parameter not submitted must be present as null: %v", sd)
	}
	if _, present := sd["CertificateId"]; present {
		t.Fatalf("SubmittedData carries CertificateId: %v", sd)
	}
	if _, present := sd["IsDV"]; present {
		t.Fatalf("SubmittedData carries IsDV though it was not submitted: %v", sd)
	}
	if n := len(sd); n != 25 {
		t.Fatalf("SubmittedData has %d names, want the 25 parameters besides CertificateId", n)
	}

	c := l.ok(ActionCommit, `{"CertificateId":"abcb1234"}`)
	order, _ := c["OrderId"].(string)
	if !regexp.MustCompile(`^CA\d{12}$`).MatchString(order) || c["Status"] != 0.0 {
		t.Fatalf("commit answered %v", c)
	}
	if order != orderIDFor("abcb1234") {
		t.Fatalf("OrderId %s is not stable", order)
	}
	d = l.ok(ActionDetail, `{"CertificateId":"abcb1234"}`)
	deadline := l.now.In(beijing).Add(7 * 24 * time.Hour).Format("2006-01-02 15:04:05")
	if d["Status"] != 0.0 || d["StatusMsg"] != "PENDING-DCV" || d["OrderId"] != order || d["VerifyType"] != "DNS" ||
		d["DVAuthDeadline"] != deadline || d["StatusName"] != "审核中" {
		t.Fatalf("after commit: %v (deadline want %s)", d, deadline)
	}
	st, ok := l.sb.Certificate("abcb1234")
	if !ok || st.Status != 0 || st.StatusMsg != "PENDING-DCV" || st.OrderId != order || st.VerifyType != "DNS" ||
		st.SubmittedData["KeyPassword"] != "s3cret-pass" {
		t.Fatalf("state %+v", st)
	}
	st.SubmittedData["CsrType"] = "changed"
	if again, _ := l.sb.Certificate("abcb1234"); again.SubmittedData["CsrType"] != "online" {
		t.Fatal("Certificate returned the sandbox's own map, not a copy")
	}
	// The door is one-way: no more submits or commits.
	if r := l.call(ActionSubmit, `{"CertificateId":"abcb1234"}`); r.code() != "FailedOperation.InvalidCertificateStatusCode" {
		t.Fatalf("submit after commit: %q", r.code())
	}
	if r := l.call(ActionCommit, `{"CertificateId":"abcb1234"}`); r.code() != "FailedOperation.InvalidCertificateStatusCode" || !strings.Contains(r.message(), "status 0") {
		t.Fatalf("commit twice: %q %q", r.code(), r.message())
	}
	// Listed as committed too.
	if _, page := l.describe(`{"CertIds":["abcb1234"]}`); len(page) != 1 || page[0]["StatusMsg"] != "PENDING-DCV" {
		t.Fatalf("listed as %v", page)
	}
}

func TestCommitOutcomes(t *testing.T) {
	l := newLifecycle(t, Options{})
	for _, c := range []struct {
		id, submitExtra, commitExtra string
		status                       float64
		statusMsg                    any
		verify                       string
	}{
		{"demo0042", "", `,"VerifyType":"DNS_AUTO"`, 4, nil, "DNS_AUTO"},
		{"demo0043", `,"VerifyType":"FILE"`, "", 0, "PENDING-DCV", "FILE"}, // the submitted VerifyType
		{"demo0044", "", "", 0, "PENDING-DCV", "DNS"},                      // none: DNS
		{"demo0045", `,"VerifyType":"FILE"`, `,"VerifyType":"DNS"`, 0, "PENDING-DCV", "DNS"},
		{"demo0001", "", `,"VerifyType":"DNS"`, 8, nil, "DNS"}, // OV: confirmation letter
		{"demo0002", "", `,"VerifyType":"DNS_AUTO"`, 8, nil, "DNS_AUTO"},
	} {
		l.ok(ActionSubmit, submitBody(c.id, c.submitExtra))
		r := l.ok(ActionCommit, fmt.Sprintf(`{"CertificateId":%q%s}`, c.id, c.commitExtra))
		d := l.ok(ActionDetail, fmt.Sprintf(`{"CertificateId":%q}`, c.id))
		if r["Status"] != c.status || d["Status"] != c.status || d["StatusMsg"] != c.statusMsg || d["VerifyType"] != c.verify || d["OrderId"] != r["OrderId"] {
			t.Errorf("%s: commit %v, detail status %v %v %v, want %v %v %s", c.id, r, d["Status"], d["StatusMsg"], d["VerifyType"], c.status, c.statusMsg, c.verify)
		}
		if d["StatusName"] != StatusNames[int(c.status)] {
			t.Errorf("%s: StatusName %v", c.id, d["StatusName"])
		}
	}
}

func TestCommitRefusals(t *testing.T) {
	l := newLifecycle(t, Options{})
	for _, c := range Certificates {
		if c.Range || c.Status == 5 {
			continue
		}
		r := l.call(ActionCommit, fmt.Sprintf(`{"CertificateId":%q}`, c.ID))
		if r.code() != "FailedOperation.InvalidCertificateStatusCode" || !strings.Contains(r.message(), fmt.Sprintf("status %d", c.Status)) {
			t.Errorf("%s at %d: %q %q", c.ID, c.Status, r.code(), r.message())
		}
	}
	if r := l.call(ActionCommit, `{"CertificateId":"nosuch01"}`); r.code() != "FailedOperation.CertificateNotFound" {
		t.Errorf("unknown: %q", r.code())
	}
	if r := l.call(ActionCommit, `{"CertificateId":"demo0002"}`); r.code() != "FailedOperation.InvalidParam" || !strings.Contains(r.message(), "not been submitted") {
		t.Errorf("before submit: %q %q", r.code(), r.message())
	}
	l.ok(ActionSubmit, `{"CertificateId":"demo0003","CertificateDomain":"*.example.net"}`)
	if r := l.call(ActionCommit, `{"CertificateId":"demo0003","VerifyType":"FILE"}`); r.code() != "FailedOperation.InvalidParam" || !strings.Contains(r.message(), "wildcard") {
		t.Errorf("FILE on a wildcard: %q %q", r.code(), r.message())
	}
	if st, _ := l.sb.Certificate("demo0003"); st.Status != 5 || st.OrderId != "" {
		t.Errorf("a refused commit changed the state: %+v", st)
	}
	// free0001 (13) takes information but cannot be committed by this action.
	l.ok(ActionSubmit, `{"CertificateId":"free0001","CsrType":"online"}`)
	if r := l.call(ActionCommit, `{"CertificateId":"free0001"}`); r.code() != "FailedOperation.InvalidCertificateStatusCode" {
		t.Errorf("free certificate: %q", r.code())
	}
}

func TestDetailKnowsEveryCertificate(t *testing.T) {
	l := newLifecycle(t, Options{})
	for _, c := range Certificates {
		if c.Range {
			continue
		}
		d := l.ok(ActionDetail, fmt.Sprintf(`{"CertificateId":%q}`, c.ID))
		if d["CertificateId"] != c.ID || d["Status"] != float64(c.Status) || d["ProductZhName"] != c.ProductZhName {
			t.Errorf("%s: %v", c.ID, d)
		}
		if committed(c.Status) != (d["OrderId"] != nil) || committed(c.Status) != (d["SubmittedData"] != nil) {
			t.Errorf("%s at %d: OrderId %v, SubmittedData %v", c.ID, c.Status, d["OrderId"], d["SubmittedData"] != nil)
		}
	}
	d := l.ok(ActionDetail, `{"CertificateId":"demo9999"}`)
	if d["Status"] != 5.0 || d["Domain"] != nil || d["SubjectAltName"] != nil {
		t.Errorf("stock demo9999: %v", d)
	}
	for _, id := range []string{"demo0000", "demo10000", "nosuch01", "testHTTP500x"} {
		if r := l.call(ActionDetail, fmt.Sprintf(`{"CertificateId":%q}`, id)); r.code() != "FailedOperation.CertificateNotFound" {
			t.Errorf("%s: %q", id, r.code())
		}
	}
	// A submit fault's ID is a certificate awaiting information for the
	// other actions, so the wizard's ID check lets it through to the submit.
	if d := l.ok(ActionDetail, `{"CertificateId":"testAuthError"}`); d["Status"] != 5.0 {
		t.Errorf("testAuthError on detail: %v", d)
	}
}

func TestFaultIDsFireOnTheirActionOnly(t *testing.T) {
	l := newLifecycle(t, Options{SlowDelay: 50 * time.Millisecond})
	for _, f := range Faults {
		if f.Lost {
			t.Run(f.ID, func(t *testing.T) {
				if f.Action == ActionCommit {
					l.ok(ActionSubmit, submitBody(f.ID, ""))
				}
				body := map[string]string{ActionSubmit: submitBody(f.ID, ""), ActionCommit: fmt.Sprintf(`{"CertificateId":%q}`, f.ID),
					ActionApply: applyBody(f.ID)}[f.Action]
				if err := l.lost(f.Action, body); err == nil {
					t.Fatal("an answer came")
				}
				// The action took effect all the same.
				st, _ := l.sb.Certificate(f.ID)
				if f.Action == ActionCommit && st.Status != 0 || f.Action == ActionSubmit && st.SubmittedData["CertificateDomain"] == nil ||
					f.Action == ActionApply && st.HasRenewOrder == "" {
					t.Fatalf("not applied: %+v", st)
				}
			})
			continue
		}
		switch f.Action {
		case ActionCommit:
			t.Run(f.ID, func(t *testing.T) {
				l.ok(ActionSubmit, submitBody(f.ID, "")) // submittable: only the commit fails
				l.ok(ActionDetail, fmt.Sprintf(`{"CertificateId":%q}`, f.ID))
				begin := time.Now()
				r := l.call(ActionCommit, fmt.Sprintf(`{"CertificateId":%q}`, f.ID))
				st, _ := l.sb.Certificate(f.ID)
				switch {
				case f.Code != "":
					if r.code() != f.Code || st.Status != 5 {
						t.Fatalf("commit: %q (status now %d), want %s", r.code(), st.Status, f.Code)
					}
				case f.Status != 0:
					if r.status != f.Status || st.Status != 5 {
						t.Fatalf("commit: HTTP %d (status now %d)", r.status, st.Status)
					}
				case f.Slow:
					if r.code() != "" || time.Since(begin) < 50*time.Millisecond || st.Status != 0 {
						t.Fatalf("slow commit: %q after %s, status %d", r.code(), time.Since(begin), st.Status)
					}
				}
			})
		case ActionDetail:
			t.Run(f.ID, func(t *testing.T) {
				l.ok(ActionSubmit, submitBody(f.ID, ""))
				if r := l.call(ActionDetail, fmt.Sprintf(`{"CertificateId":%q}`, f.ID)); r.code() != f.Code {
					t.Fatalf("detail: %q, want %s", r.code(), f.Code)
				}
				l.ok(ActionCommit, fmt.Sprintf(`{"CertificateId":%q}`, f.ID))
			})
		case ActionCheck, ActionComplete, ActionDownload:
			t.Run(f.ID, func(t *testing.T) {
				id := fmt.Sprintf(`{"CertificateId":%q}`, f.ID)
				if f.Archive != "" {
					// An issued certificate whose archive is hostile.
					if d := l.ok(ActionDetail, id); d["Status"] != 1.0 {
						t.Fatalf("detail: %v", d["Status"])
					}
					r := l.ok(f.Action, id)
					if r["ContentType"] != "application/zip" || r["Content"] == "" {
						t.Fatalf("download: %v", r)
					}
					return
				}
				// A certificate that can be submitted and sent to the CA:
				// only its own action fails.
				l.ok(ActionSubmit, submitBody(f.ID, ""))
				l.ok(ActionCommit, id)
				if r := l.call(f.Action, id); r.code() != f.Code {
					t.Fatalf("%s: %q, want %s", f.Action, r.code(), f.Code)
				}
				l.ok(ActionDetail, id)
			})
		case ActionApply:
			t.Run(f.ID, func(t *testing.T) {
				begin := time.Now()
				r := l.call(ActionApply, applyBody(f.ID))
				st, _ := l.sb.Certificate(f.ID)
				if f.Slow {
					// The renewal is made at once; only the answer is late.
					if r.code() != "" || time.Since(begin) < 50*time.Millisecond || st.HasRenewOrder != r.resp["CertificateId"] {
						t.Fatalf("slow apply: %q after %s, renewal %q", r.code(), time.Since(begin), st.HasRenewOrder)
					}
					return
				}
				if r.code() != f.Code || st.HasRenewOrder != "" || st.Status != 1 {
					t.Fatalf("apply: %q (renewal %q), want %s", r.code(), st.HasRenewOrder, f.Code)
				}
				// Not on the other actions: an issued certificate.
				if r := l.call(ActionSubmit, fmt.Sprintf(`{"CertificateId":%q}`, f.ID)); r.code() != "FailedOperation.InvalidCertificateStatusCode" {
					t.Fatalf("submit: %q", r.code())
				}
			})
		case ActionDescribe:
			t.Run(f.ID, func(t *testing.T) {
				for _, body := range []string{`{"SearchKey":%q}`, `{"CertIds":["abcb1234",%q]}`} {
					if r := l.call(ActionDescribe, fmt.Sprintf(body, f.ID)); r.code() != f.Code {
						t.Fatalf("%s: %q, want %s", body, r.code(), f.Code)
					}
				}
				if r := l.call(ActionDetail, fmt.Sprintf(`{"CertificateId":%q}`, f.ID)); r.code() != "" {
					t.Fatalf("detail: %q", r.code())
				}
			})
		case ActionSubmit:
			t.Run(f.ID, func(t *testing.T) {
				r := l.call(ActionSubmit, fmt.Sprintf(`{"CertificateId":%q}`, f.ID))
				if r.code() != f.Code {
					t.Fatalf("submit: %q, want %s", r.code(), f.Code)
				}
				// Not on the other actions: there the ID is a certificate
				// awaiting information, never submitted (the submit failed).
				if r := l.call(ActionDetail, fmt.Sprintf(`{"CertificateId":%q}`, f.ID)); r.code() != "" {
					t.Fatalf("detail: %q", r.code())
				}
				if r := l.call(ActionCommit, fmt.Sprintf(`{"CertificateId":%q}`, f.ID)); r.code() != "FailedOperation.InvalidParam" {
					t.Fatalf("commit: %q", r.code())
				}
			})
		case "":
			t.Run(f.ID, func(t *testing.T) {
				if f.Slow {
					return // the slow answer of every action is the same code path
				}
				for _, a := range []struct{ action, body string }{
					{ActionSubmit, `{"CertificateId":%q}`}, {ActionDetail, `{"CertificateId":%q}`},
					{ActionCommit, `{"CertificateId":%q}`}, {ActionDescribe, `{"SearchKey":%q}`},
				} {
					r := l.call(a.action, fmt.Sprintf(a.body, f.ID))
					if f.Status != 0 && r.status != f.Status || f.Garbled && (r.status != 200 || r.resp != nil) {
						t.Fatalf("%s: HTTP %d %s", a.action, r.status, r.raw)
					}
				}
			})
		default:
			t.Errorf("%s: unknown action %q", f.ID, f.Action)
		}
	}
}

func TestEveryCommitErrorHasATestID(t *testing.T) {
	// lifecycle.md's list for CommitCertificateInformation.
	want := []string{"FailedOperation.AuthError", "FailedOperation.CertificateInvalid", "FailedOperation.CertificateNotFound",
		"FailedOperation.InvalidCertificateStatusCode", "FailedOperation.InvalidParam", "FailedOperation.NetworkError",
		"FailedOperation.NoProjectPermission", "FailedOperation.NoRealNameAuth", "InternalError", "InternalError.BackendResponseError"}
	var got []string
	for _, f := range FaultsFor(ActionCommit) {
		if f.Code != "" && f.Action == ActionCommit {
			got = append(got, f.Code)
		}
	}
	for _, code := range want {
		if !slices.Contains(got, code) {
			t.Errorf("no commit test ID for %s", code)
		}
	}
	for _, f := range FaultsFor(ActionSubmit) {
		if f.Action != "" && f.Action != ActionSubmit {
			t.Errorf("FaultsFor(submit) has %s (%s)", f.ID, f.Action)
		}
	}
	seen := map[string]bool{}
	for _, f := range Faults {
		if seen[f.ID] {
			t.Errorf("fault ID %s twice", f.ID)
		}
		seen[f.ID] = true
	}
	for _, c := range Certificates {
		if seen[c.ID] {
			t.Errorf("%s is both a certificate and a fault", c.ID)
		}
	}
}

func TestRateIsPerAction(t *testing.T) {
	l := newLifecycle(t, Options{Rate: 10})
	bodies := map[string]string{
		ActionSubmit:   `{"CertificateId":"demo0100","CsrType":"online"}`,
		ActionDescribe: `{"Limit":1}`,
		ActionDetail:   `{"CertificateId":"abcb1234"}`,
		ActionCommit:   `{"CertificateId":"nosuch01"}`,
		ActionCheck:    `{"CertificateId":"nosuch01"}`,
		ActionComplete: `{"CertificateId":"nosuch01"}`,
		ActionDownload: `{"CertificateId":"nosuch01"}`,
	}
	// Ten of each action in the same second: all pass the rate.
	for range 10 {
		for _, a := range Actions {
			if r := l.call(a, bodies[a]); r.code() == "RequestLimitExceeded" {
				t.Fatalf("%s refused within its rate", a)
			}
		}
	}
	// The eleventh of each is refused.
	for _, a := range Actions {
		if r := l.call(a, bodies[a]); r.code() != "RequestLimitExceeded" || !strings.Contains(r.message(), a) {
			t.Fatalf("11th %s: %q %q", a, r.code(), r.message())
		}
		if n := len(l.sb.Calls(a)); n != 11 {
			t.Fatalf("Calls(%s) has %d starts, want 11", a, n)
		}
	}
	if n := l.sb.RateRefusals(); n != len(Actions) {
		t.Fatalf("RateRefusals = %d, want %d", n, len(Actions))
	}
	// A second later, each action may start again.
	l.now = l.now.Add(time.Second)
	for _, a := range Actions {
		if r := l.call(a, bodies[a]); r.code() == "RequestLimitExceeded" {
			t.Fatalf("%s refused a second later", a)
		}
	}
	if got := l.sb.Calls(ActionSubmit); !got[len(got)-1].Equal(l.now) {
		t.Fatalf("Calls does not end with the last start: %v", got[len(got)-1])
	}
}

func TestDefaultRateIsTheAPIs(t *testing.T) {
	// A real clock: the requests go out back to back, well within a second.
	sb := New(Options{})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	var codes []string
	for range api.DefaultRate + 1 {
		s := newSigned(`{"CertificateId":"abcb1234"}`)
		s.action = ActionDetail
		_, a := do(t, s.request(t, srv.URL))
		codes = append(codes, code(a))
	}
	if slices.Index(codes, "RequestLimitExceeded") != api.DefaultRate {
		t.Fatalf("codes %q: want the %dth refused", codes, api.DefaultRate+1)
	}
}

func TestParametersPerAction(t *testing.T) {
	l := newLifecycle(t, Options{})
	for _, c := range []struct{ action, body, want string }{
		{ActionDescribe, `{"Offset":0,"Limit":5,"SearchKey":"x","CertificateStatus":[5],"FilterSource":"buy","ExpirationSort":"ASC",` +
			`"IsPendingIssue":0,"CertIds":["abcb1234"],"FilterExpiring":0,"CertificateType":"SVR","ProjectId":0}`, ""},
		{ActionDescribe, `{"Foo":1}`, "UnknownParameter"},
		{ActionDescribe, `{"CertificateId":"abcb1234"}`, "UnknownParameter"},
		{ActionDescribe, `{"Limit":"10"}`, "InvalidParameter"},
		{ActionDescribe, `{"Offset":1.5}`, "InvalidParameter"},
		{ActionDescribe, `{"Offset":null}`, "InvalidParameter"},
		{ActionDescribe, `{"CertificateStatus":5}`, "InvalidParameter"},
		{ActionDescribe, `{"CertificateStatus":[5,"1"]}`, "InvalidParameter"},
		{ActionDescribe, `{"CertIds":[1]}`, "InvalidParameter"},
		{ActionDescribe, `{"CertIds":"abcb1234"}`, "InvalidParameter"},
		{ActionDescribe, `{"SearchKey":5}`, "InvalidParameter"},
		{ActionDescribe, `{"IsPendingIssue":true}`, "InvalidParameter"},
		{ActionDescribe, `{"Offset":-1}`, "InvalidParameterValue"},
		{ActionDescribe, `{"Limit":-1}`, "InvalidParameterValue"},
		{ActionDescribe, `{"FilterSource":"stolen"}`, "InvalidParameterValue"},
		{ActionDescribe, `{"CertificateType":"EV"}`, "InvalidParameterValue"},
		{ActionDescribe, `[]`, "InvalidParameter"},
		{ActionDetail, `{"CertificateId":"abcb1234","VerifyType":"DNS"}`, "UnknownParameter"},
		{ActionDetail, `{"CertificateId":1}`, "InvalidParameter"},
		{ActionDetail, `{"CertificateId":""}`, "MissingParameter"},
		{ActionDetail, `{}`, "MissingParameter"},
		{ActionCommit, `{"CertificateId":"abcb1234","Foo":"x"}`, "UnknownParameter"},
		{ActionCommit, `{"CertificateId":"abcb1234","DeleteDnsAutoRecord":0}`, "UnknownParameter"}, // the newer action's
		{ActionCommit, `{"CertificateId":["abcb1234"]}`, "InvalidParameter"},
		{ActionCommit, `{"CertificateId":"abcb1234","VerifyType":1}`, "InvalidParameter"},
		{ActionCommit, `{"CertificateId":"abcb1234","VerifyType":"EMAIL"}`, "InvalidParameterValue"},
		{ActionCommit, `{"VerifyType":"DNS"}`, "MissingParameter"},
		{ActionSubmit, `{"CertificateId":"demo0200","IsDV":true}`, ""},
		{ActionSubmit, `{"CertificateId":"demo0201","IsDV":false,"CsrType":"online"}`, ""},
		{ActionSubmit, `{"CertificateId":"demo0202","IsDV":"true"}`, "InvalidParameter"},
		{ActionSubmit, `{"CertificateId":"demo0203","IsDV":1}`, "InvalidParameter"},
		{ActionSubmit, `{"CertificateId":"demo0204","IsDv":true}`, "UnknownParameter"},
		{ActionSubmit, `{"CertificateId":"demo0205","Offset":0}`, "UnknownParameter"},
	} {
		if r := l.call(c.action, c.body); r.code() != c.want {
			t.Errorf("%s %s: %q (%s), want %q", c.action, c.body, r.code(), r.message(), c.want)
		}
	}
	if st, _ := l.sb.Certificate("demo0200"); st.SubmittedData["IsDV"] != true {
		t.Errorf("IsDV not stored: %+v", st)
	}
	if sd, _ := l.ok(ActionDetail, `{"CertificateId":"demo0201"}`)["SubmittedData"].(map[string]any); sd["IsDV"] != false {
		t.Errorf("IsDV not in SubmittedData once submitted: %v", sd)
	}
}

func TestCertificatesListIsTheRegistry(t *testing.T) {
	sb := New(Options{})
	for _, c := range Certificates {
		if c.Range {
			for _, id := range []string{"demo0004", "demo9999"} {
				if st, ok := sb.Certificate(id); !ok || st.Status != c.Status {
					t.Errorf("%s (%s): %+v %v", id, c.ID, st, ok)
				}
			}
			continue
		}
		st, ok := sb.Certificate(c.ID)
		if !ok || st.Status != c.Status || st.StatusMsg != c.StatusMsg || st.Domain != c.Domain {
			t.Errorf("%s: %+v %v", c.ID, st, ok)
		}
		if c.About == "" || c.ProductZhName == "" || c.PackageType == "" || c.InsertTime == "" || StatusNames[c.Status] == "" {
			t.Errorf("%s lacks seed data: %+v", c.ID, c)
		}
		if _, err := time.Parse(timeLayout, c.InsertTime); err != nil {
			t.Errorf("%s InsertTime: %v", c.ID, err)
		}
	}
	if _, ok := sb.Certificate("nosuch01"); ok {
		t.Error("nosuch01 exists")
	}
}

func FuzzParseAction(f *testing.F) {
	for _, s := range []string{`{}`, `{"Limit":1001}`, `{"CertificateId":"a","VerifyType":"DNS"}`, `{"CertIds":[1]}`, `{"Offset":1e3}`, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, a := range Actions {
			p, err := parseAction(a, []byte(body))
			if (p == nil) == (err == nil) {
				t.Fatalf("%s %q: %v, %v: want exactly one", a, body, p, err)
			}
		}
	})
}
