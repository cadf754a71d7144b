package sandbox

// The hosting actions against the sandbox over loopback: where a
// certificate is used, replacing it there on the sandbox's clock, retry
// and rollback, with their refusals.

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// bindTask starts a bind sync task for one certificate: its TaskId.
func (l *lifecycle) bindTask(id string) string {
	l.t.Helper()
	r := l.ok(ActionBindSync, fmt.Sprintf(`{"CertificateIds":[%q],"IsCache":0}`, id))
	tasks, _ := r["CertTaskIds"].([]any)
	if len(tasks) != 1 {
		l.t.Fatalf("CertTaskIds %v", r["CertTaskIds"])
	}
	task := tasks[0].(map[string]any)
	if task["CertId"] != id || task["TaskId"] == "" {
		l.t.Fatalf("task %v", task)
	}
	return task["TaskId"].(string)
}

func TestBindSyncListsTheResourcesOfExppaid1(t *testing.T) {
	l := newLifecycle(t, Options{})
	task := l.bindTask("exppaid1")
	body := fmt.Sprintf(`{"TaskId":%q}`, task)
	if first := l.ok(ActionBindDetail, body); first["Status"] != 0.0 {
		t.Fatalf("first answer Status %v, want 0 (querying)", first["Status"])
	}
	d := l.ok(ActionBindDetail, body)
	if d["Status"] != 1.0 {
		t.Fatalf("Status %v", d["Status"])
	}
	for _, k := range bindTypes {
		if _, ok := d[k].([]any); !ok {
			t.Errorf("%s is %v, want a list", k, d[k])
		}
	}
	var got []string
	for _, region := range d["CLB"].([]any) {
		region := region.(map[string]any)
		for _, inst := range region["InstanceList"].([]any) {
			inst := inst.(map[string]any)
			for _, lis := range inst["Listeners"].([]any) {
				lis := lis.(map[string]any)
				var names []string
				for _, r := range lis["Rules"].([]any) {
					names = append(names, r.(map[string]any)["Domain"].(string))
				}
				got = append(got, fmt.Sprintf("clb %s %s %s %s", region["Region"], inst["LoadBalancerId"], lis["ListenerId"], strings.Join(names, ",")))
			}
		}
	}
	for _, group := range d["CDN"].([]any) {
		for _, inst := range group.(map[string]any)["InstanceList"].([]any) {
			inst := inst.(map[string]any)
			got = append(got, fmt.Sprintf("cdn %s %s", inst["Domain"], inst["CertId"]))
		}
	}
	want := []string{
		"clb ap-guangzhou lb-shop0gz1 lbl-https0gz shop.example.com,www.shop.example.com",
		"clb ap-shanghai lb-shop0sh1 lbl-https0sh www.shop.example.com",
		"cdn shop.example.com exppaid1",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("resources\n%q\nwant\n%q", got, want)
	}
	// Filters: the CDN only.
	d = l.ok(ActionBindDetail, fmt.Sprintf(`{"TaskId":%q,"ResourceTypes":["cdn"]}`, task))
	if len(d["CLB"].([]any)) != 0 || len(d["CDN"].([]any)) != 1 {
		t.Fatalf("cdn only: %v", d)
	}
}

func TestBindSyncRefusals(t *testing.T) {
	l := newLifecycle(t, Options{})
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("%q", "exppaid1")
	}
	for _, c := range []struct{ action, body, code string }{
		{ActionBindSync, `{"CertificateIds":[]}`, "MissingParameter"},
		{ActionBindSync, `{"CertificateIds":[` + strings.Join(many, ",") + `]}`, "FailedOperation.CertificateSyncTaskCertificateIdCountInvalid"},
		{ActionBindSync, `{"CertificateIds":["nosuch01"]}`, "FailedOperation.CertificateNotFound"},
		{ActionBindSync, `{"CertificateIds":["testRolloutNoRole"]}`, "FailedOperation.RoleNotFoundAuthorization"},
		{ActionBindSync, `{"CertificateIds":"exppaid1"}`, "InvalidParameter"},
		{ActionBindSync, `{"CertificateIds":["exppaid1"],"Force":1}`, "UnknownParameter"},
		{ActionBindDetail, `{"TaskId":"task-nosuch"}`, "FailedOperation.CertificateSyncTaskIdInvalid"},
		{ActionBindDetail, `{}`, "MissingParameter"},
		{ActionBindDetail, `{"TaskId":"x","Limit":10}`, "InvalidParameter"},
	} {
		if r := l.call(c.action, c.body); r.code() != c.code {
			t.Errorf("%s %s: %q (%s), want %s", c.action, c.body, r.code(), r.message(), c.code)
		}
	}
}

// updateRecord follows UpdateCertificateInstance: 0 once, then the ID.
func (l *lifecycle) update(body string) int64 {
	l.t.Helper()
	first := l.ok(ActionUpdate, body)
	if first["DeployRecordId"] != 0.0 || first["DeployStatus"] != 1.0 {
		l.t.Fatalf("first answer %v, want DeployRecordId 0 (still creating)", first)
	}
	r := l.ok(ActionUpdate, body)
	id, _ := r["DeployRecordId"].(float64)
	if id <= 0 || r["DeployStatus"] != 1.0 {
		l.t.Fatalf("second answer %v", r)
	}
	return int64(id)
}

// statuses are a record's resources: "type instance status".
func (l *lifecycle) statuses(id int64) (map[string]float64, []string) {
	l.t.Helper()
	d := l.ok(ActionUpdateDetail, fmt.Sprintf(`{"DeployRecordId":"%d","Limit":"200"}`, id))
	counts := map[string]float64{}
	for _, k := range []string{"SuccessTotalCount", "FailedTotalCount", "RunningTotalCount", "PendingTotalCount", "TotalCount"} {
		counts[k], _ = d[k].(float64)
	}
	var list []string
	for _, g := range d["RecordDetailList"].([]any) {
		g := g.(map[string]any)
		for _, it := range g["List"].([]any) {
			it := it.(map[string]any)
			s := fmt.Sprintf("%s %s %v", g["ResourceType"], it["InstanceId"], it["Status"])
			if msg, _ := it["ErrorMsg"].(string); msg != "" {
				s += " " + msg
			}
			list = append(list, s)
		}
	}
	return counts, list
}

const exppaid1Update = `{"OldCertificateId":"exppaid1","CertificateId":"renpaid1","ResourceTypes":["clb","cdn"],` +
	`"ResourceTypesRegions":[{"ResourceType":"clb","Regions":["ap-guangzhou","ap-shanghai"]}]}`

func TestUpdateMovesPendingRunningSuccess(t *testing.T) {
	l := newLifecycle(t, Options{})
	// renpaid1 is not issued: refused, nothing started.
	if r := l.call(ActionUpdate, exppaid1Update); r.code() != "FailedOperation.CertificateNotAvailable" {
		t.Fatalf("update to renpaid1 at status 5: %s %s", r.code(), r.message())
	}
	wild := `{"OldCertificateId":"exppaid1","CertificateId":"longlive1","ResourceTypes":["cdn"]}`
	id := l.update(wild)
	counts, list := l.statuses(id)
	if counts["PendingTotalCount"] != 1 || !slices.Equal(list, []string{"cdn shop.example.com 0"}) {
		t.Fatalf("at once: %v %q", counts, list)
	}
	// While it runs, another update names the same record (DeployStatus 0).
	r := l.ok(ActionUpdate, wild)
	if r["DeployRecordId"] != float64(id) || r["DeployStatus"] != 0.0 {
		t.Fatalf("while running: %v", r)
	}
	l.now = l.now.Add(DefaultRolloutStep)
	if counts, list = l.statuses(id); counts["RunningTotalCount"] != 1 || list[0] != "cdn shop.example.com 3" {
		t.Fatalf("after one step: %v %q", counts, list)
	}
	l.now = l.now.Add(DefaultRolloutStep)
	if counts, list = l.statuses(id); counts["SuccessTotalCount"] != 1 || list[0] != "cdn shop.example.com 1" {
		t.Fatalf("after two steps: %v %q", counts, list)
	}
	// The CDN domain serves longlive1 now; the listeners still exppaid1.
	if b := l.sb.BoundTo("longlive1"); len(b) != 1 || b[0].InstanceID != "shop.example.com" {
		t.Fatalf("bound to longlive1: %+v", b)
	}
	if b := l.sb.BoundTo("exppaid1"); len(b) != 2 {
		t.Fatalf("bound to exppaid1: %+v", b)
	}
	// The listeners serve www.shop.example.com, which *.example.com does
	// not cover: both fail.
	id = l.update(`{"OldCertificateId":"exppaid1","CertificateId":"longlive1","ResourceTypes":["clb"],"ResourceTypesRegions":[{"ResourceType":"clb","Regions":["ap-guangzhou","ap-shanghai"]}]}`)
	l.now = l.now.Add(2 * DefaultRolloutStep)
	counts, list = l.statuses(id)
	if counts["FailedTotalCount"] != 2 || !strings.Contains(list[0], "does not cover the domain www.shop.example.com") {
		t.Fatalf("uncovered: %v %q", counts, list)
	}
	if l.sb.UpdateCalls() != 4 { // the answer naming the running record changes nothing
		t.Fatalf("%d update calls", l.sb.UpdateCalls())
	}
}

func TestUpdatePartialThenRollback(t *testing.T) {
	l := newLifecycle(t, Options{RolloutStep: -1})
	id := l.update(`{"OldCertificateId":"testRolloutPartial","CertificateId":"longlive1","ResourceTypes":["clb"],"ResourceTypesRegions":[{"ResourceType":"clb","Regions":["ap-guangzhou"]}]}`)
	counts, list := l.statuses(id)
	if counts["SuccessTotalCount"] != 1 || counts["FailedTotalCount"] != 1 || !strings.Contains(list[1], "lb-part0002 2 FailedOperation.CertificateNotDeployInstance") {
		t.Fatalf("partial: %v %q", counts, list)
	}
	// A retry fails again; the rollback undoes the listener that changed.
	l.ok(ActionUpdateRetry, fmt.Sprintf(`{"DeployRecordId":%d}`, id))
	if counts, _ = l.statuses(id); counts["FailedTotalCount"] != 1 {
		t.Fatalf("after retry %v", counts)
	}
	r := l.ok(ActionUpdateRollback, fmt.Sprintf(`{"DeployRecordId":%d}`, id))
	back := int64(r["DeployRecordId"].(float64))
	if counts, list = l.statuses(back); counts["SuccessTotalCount"] != 1 || !slices.Equal(list, []string{"clb lb-part0001 1"}) {
		t.Fatalf("rollback record %v %q", counts, list)
	}
	if _, list = l.statuses(id); !strings.HasPrefix(list[0], "clb lb-part0001 4") {
		t.Fatalf("original after rollback %q", list)
	}
	if b := l.sb.BoundTo(RolloutPartial); len(b) != 2 {
		t.Fatalf("bound to testRolloutPartial after the rollback: %+v", b)
	}
	// Nothing left to roll back or retry in the rollback's record.
	if r := l.call(ActionUpdateRollback, fmt.Sprintf(`{"DeployRecordId":%d}`, id)); r.code() != "FailedOperation.CertificateDeployRollbackStatusInvalid" {
		t.Fatalf("second rollback %s", r.code())
	}
	if r := l.call(ActionUpdateRetry, fmt.Sprintf(`{"DeployRecordId":%d}`, back)); r.code() != "FailedOperation.CertificateDeployRetryStatusInvalid" {
		t.Fatalf("retry of a success %s", r.code())
	}
}

func TestUpdateBusyOnceThenRetrySucceeds(t *testing.T) {
	l := newLifecycle(t, Options{RolloutStep: -1})
	id := l.update(`{"OldCertificateId":"testRolloutBusy","CertificateId":"longlive1","ResourceTypes":["clb"],"ResourceTypesRegions":[{"ResourceType":"clb","Regions":["ap-beijing"]}]}`)
	if _, list := l.statuses(id); len(list) != 1 || !strings.Contains(list[0], "lb-busy0001 2 ") || !strings.Contains(list[0], "resource in operating") {
		t.Fatalf("busy: %q", list)
	}
	l.ok(ActionUpdateRetry, fmt.Sprintf(`{"DeployRecordId":%d}`, id))
	if counts, _ := l.statuses(id); counts["SuccessTotalCount"] != 1 {
		t.Fatalf("after retry %v", counts)
	}
}

func TestUpdateRefusals(t *testing.T) {
	l := newLifecycle(t, Options{})
	regions := `,"ResourceTypesRegions":[{"ResourceType":"clb","Regions":["ap-guangzhou"]}]`
	for _, c := range []struct{ action, body, code string }{
		{ActionUpdate, `{"CertificateId":"longlive1","ResourceTypes":["cdn"]}`, "MissingParameter"},
		{ActionUpdate, `{"OldCertificateId":"exppaid1","CertificateId":"longlive1"}`, "MissingParameter"},
		{ActionUpdate, `{"OldCertificateId":"exppaid1","CertificateId":"longlive1","ResourceTypes":["clb"]}`, "InvalidParameter"},
		{ActionUpdate, `{"OldCertificateId":"exppaid1","CertificateId":"longlive1","ResourceTypes":["ftp"]}`, "FailedOperation.CertificateHostResourceTypeInvalid"},
		{ActionUpdate, `{"OldCertificateId":"exppaid1","CertificateId":"longlive1","ResourceTypes":["clb"],"ResourceTypesRegions":[{"ResourceType":"clb","Regions":"ap-guangzhou"}]}`, "InvalidParameter"},
		{ActionUpdate, `{"OldCertificateId":"exppaid1","CertificateId":"longlive1","ResourceTypes":["clb"],"ResourceTypesRegions":[{"Type":"clb"}]}`, "InvalidParameter"},
		{ActionUpdate, `{"OldCertificateId":"exppaid1","CertificateId":"longlive1","ResourceTypes":["waf"],"ResourceTypesRegions":[{"ResourceType":"waf","Regions":["ap-guangzhou"]}]}`, "FailedOperation.CertificateDeployInstanceEmpty"},
		{ActionUpdate, `{"OldCertificateId":"testRolloutNoRole","CertificateId":"longlive1","ResourceTypes":["cdn"]}`, "FailedOperation.RoleNotFoundAuthorization"},
		{ActionUpdate, `{"OldCertificateId":"nosuch01","CertificateId":"longlive1","ResourceTypes":["clb"]` + regions + `}`, "FailedOperation.CertificateNotFound"},
		{ActionUpdate, `{"OldCertificateId":"exppaid1","CertificateId":"longlive1","ResourceTypes":["cdn"],"CertificatePublicKey":"x"}`, "FailedOperation.InvalidParam"},
		{ActionUpdateDetail, `{"DeployRecordId":"abc"}`, "InvalidParameterValue"},
		{ActionUpdateDetail, `{"DeployRecordId":"99"}`, "FailedOperation.CertificateDeployNotExist"},
		{ActionUpdateDetail, `{"DeployRecordId":99}`, "InvalidParameter"},
		{ActionUpdateDetail, `{"DeployRecordId":"99","Limit":"201"}`, "InvalidParameterValue"},
		{ActionUpdateRetry, `{}`, "MissingParameter"},
		{ActionUpdateRetry, `{"DeployRecordId":"1"}`, "InvalidParameter"},
		{ActionUpdateRetry, `{"DeployRecordId":99}`, "FailedOperation.CertificateDeployNotExist"},
		{ActionUpdateRollback, `{"DeployRecordId":99}`, "FailedOperation.CertificateDeployNotExist"},
	} {
		if r := l.call(c.action, c.body); r.code() != c.code {
			t.Errorf("%s %s: %q (%s), want %s", c.action, c.body, r.code(), r.message(), c.code)
		}
	}
	if l.sb.UpdateCalls() != 0 {
		t.Fatalf("refusals counted %d update calls", l.sb.UpdateCalls())
	}
	// Rolling back a record still running is refused.
	id := l.update(`{"OldCertificateId":"exppaid1","CertificateId":"longlive1","ResourceTypes":["cdn"]}`)
	if r := l.call(ActionUpdateRollback, fmt.Sprintf(`{"DeployRecordId":%d}`, id)); r.code() != "FailedOperation.CertificateDeployDetailRollbackStatusInvalid" {
		t.Fatalf("rollback while running: %s", r.code())
	}
}

func TestHostingActionsAreRateLimited(t *testing.T) {
	l := newLifecycle(t, Options{Rate: 10})
	for i := range 11 {
		r := l.call(ActionUpdateDetail, `{"DeployRecordId":"99"}`)
		want := "FailedOperation.CertificateDeployNotExist"
		if i == 10 {
			want = "RequestLimitExceeded"
		}
		if r.code() != want {
			t.Fatalf("call %d: %s", i+1, r.code())
		}
	}
	// Each action counts on its own.
	if r := l.call(ActionBindDetail, `{"TaskId":"x"}`); r.code() != "FailedOperation.CertificateSyncTaskIdInvalid" {
		t.Fatalf("another action: %s", r.code())
	}
	l.now = l.now.Add(time.Second)
	if r := l.call(ActionUpdateDetail, `{"DeployRecordId":"99"}`); r.code() != "FailedOperation.CertificateDeployNotExist" {
		t.Fatalf("a second later: %s", r.code())
	}
}
