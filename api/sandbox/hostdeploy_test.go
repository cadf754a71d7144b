package sandbox

// The first deployment (DeployCertificateInstance) against the sandbox
// over loopback: its record on the sandbox's clock, refusals, one task per
// certificate and type, retry and rollback to what the targets served.

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// deployed starts a deployment that must be made (DeployStatus 1): its ID.
func (l *lifecycle) deployed(region, body string) int64 {
	l.t.Helper()
	r := l.callIn(region, ActionDeploy, body)
	id, _ := r.resp["DeployRecordId"].(float64)
	if r.code() != "" || id <= 0 || r.resp["DeployStatus"] != 1.0 {
		l.t.Fatalf("deploy %s: %s %s %v", body, r.code(), r.message(), r.resp)
	}
	return int64(id)
}

// deployStatuses are a deployment record's resources: "instance listener
// status certId oldCertId [error]".
func (l *lifecycle) deployStatuses(id int64) (map[string]float64, []string) {
	l.t.Helper()
	d := l.ok(ActionDeployDetail, fmt.Sprintf(`{"DeployRecordId":"%d","Limit":200,"Offset":0}`, id))
	counts := map[string]float64{}
	for _, k := range []string{"SuccessTotalCount", "FailedTotalCount", "RunningTotalCount", "PendingTotalCount", "TotalCount"} {
		counts[k], _ = d[k].(float64)
	}
	if _, grouped := d["RecordDetailList"]; grouped {
		l.t.Fatalf("a deployment's detail has RecordDetailList: %v", d)
	}
	var list []string
	for _, it := range d["DeployRecordDetailList"].([]any) {
		it := it.(map[string]any)
		if _, typed := it["ResourceType"]; typed {
			l.t.Fatalf("DeployRecordDetail has no ResourceType: %v", it)
		}
		s := fmt.Sprintf("%s %v %v %v %v", it["InstanceId"], it["ListenerId"], it["Status"], it["CertId"], it["OldCertId"])
		if msg, _ := it["ErrorMsg"].(string); msg != "" {
			s += " " + msg
		}
		list = append(list, s)
	}
	return counts, list
}

const newTargets = `{"CertificateId":"longlive1","ResourceType":"clb","InstanceIdList":["lb-new00001|lbl-new00001","lb-new00001|lbl-new00002|new.example.com"]}`

func TestDeployMovesPendingRunningSuccess(t *testing.T) {
	l := newLifecycle(t, Options{})
	id := l.deployed("ap-guangzhou", newTargets)
	counts, list := l.deployStatuses(id)
	want := []string{"lb-new00001 lbl-new00001 0 longlive1 <nil>", "lb-new00001 lbl-new00002 0 longlive1 <nil>"}
	if counts["PendingTotalCount"] != 2 || !slices.Equal(list, want) {
		t.Fatalf("at once: %v %q", counts, list)
	}
	// One task per certificate and type: while it runs, its ID (DeployStatus 0).
	r := l.callIn("ap-guangzhou", ActionDeploy, `{"CertificateId":"longlive1","InstanceIdList":["lb-fail0001|lbl-fail0001"]}`)
	if r.resp["DeployRecordId"] != float64(id) || r.resp["DeployStatus"] != 0.0 {
		t.Fatalf("while running: %s %v", r.code(), r.resp)
	}
	// Another type is another task.
	cdn := l.deployed("", `{"CertificateId":"longlive1","ResourceType":"cdn","InstanceIdList":["new.example.com|off"]}`)
	l.now = l.now.Add(DefaultRolloutStep)
	if counts, _ = l.deployStatuses(id); counts["RunningTotalCount"] != 2 {
		t.Fatalf("after one step: %v", counts)
	}
	l.now = l.now.Add(DefaultRolloutStep)
	if counts, _ = l.deployStatuses(id); counts["SuccessTotalCount"] != 2 {
		t.Fatalf("after two steps: %v", counts)
	}
	if counts, _ = l.deployStatuses(cdn); counts["SuccessTotalCount"] != 1 {
		t.Fatalf("cdn: %v", counts)
	}
	var got []string
	for _, b := range l.sb.BoundTo("longlive1") {
		got = append(got, b.Type+" "+b.InstanceID+" "+b.ListenerID)
	}
	if !slices.Equal(got, []string{"clb lb-new00001 lbl-new00001", "clb lb-new00001 lbl-new00002", "cdn new.example.com "}) {
		t.Fatalf("bound to longlive1: %q", got)
	}
	// The bindings say so.
	task := l.bindTask("longlive1")
	l.ok(ActionBindDetail, fmt.Sprintf(`{"TaskId":%q}`, task))
	d := l.ok(ActionBindDetail, fmt.Sprintf(`{"TaskId":%q}`, task))
	if len(d["CLB"].([]any)) != 1 || len(d["CDN"].([]any)) != 1 {
		t.Fatalf("bindings %v", d)
	}
	// Now they hold it: a deployment to any of them is refused, as Tencent does.
	if r := l.callIn("ap-guangzhou", ActionDeploy, newTargets); r.code() != "FailedOperation.CertificateNotDeployInstance" || !strings.Contains(r.message(), "already") {
		t.Fatalf("again: %s %s", r.code(), r.message())
	}
	if l.sb.UpdateCalls() != 2 { // the answer naming the running record changes nothing
		t.Fatalf("%d changing calls", l.sb.UpdateCalls())
	}
}

func TestDeployFailureRetryAndRollbackRestoreWhatWasServed(t *testing.T) {
	l := newLifecycle(t, Options{RolloutStep: -1})
	// free.example.com served expfree1; lb-fail0001 served nothing and fails.
	id := l.deployed("ap-guangzhou", `{"CertificateId":"longlive1","InstanceIdList":["lb-new00001|lbl-new00001","lb-fail0001|lbl-fail0001"]}`)
	counts, list := l.deployStatuses(id)
	if counts["SuccessTotalCount"] != 1 || counts["FailedTotalCount"] != 1 || !strings.Contains(list[1], "lb-fail0001 lbl-fail0001 2 longlive1 <nil> FailedOperation.CertificateNotDeployInstance") {
		t.Fatalf("partial: %v %q", counts, list)
	}
	// The update's actions do not know a deployment's record.
	if r := l.call(ActionUpdateRetry, fmt.Sprintf(`{"DeployRecordId":%d}`, id)); r.code() != "FailedOperation.CertificateDeployNotExist" {
		t.Fatalf("update retry of a deployment: %s", r.code())
	}
	l.ok(ActionDeployRetry, fmt.Sprintf(`{"DeployRecordId":%d}`, id))
	if counts, _ = l.deployStatuses(id); counts["FailedTotalCount"] != 1 {
		t.Fatalf("after retry %v", counts)
	}
	cdn := l.deployed("", `{"CertificateId":"longlive1","ResourceType":"cdn","InstanceIdList":["free.example.com|on"]}`)
	if _, list = l.deployStatuses(cdn); !slices.Equal(list, []string{"free.example.com <nil> 1 longlive1 expfree1"}) {
		t.Fatalf("cdn over expfree1: %q", list)
	}
	// Rollbacks: the listener serves nothing again, the domain expfree1.
	for _, rec := range []int64{id, cdn} {
		r := l.ok(ActionDeployRollback, fmt.Sprintf(`{"DeployRecordId":%d}`, rec))
		back := int64(r["DeployRecordId"].(float64))
		if counts, _ := l.deployStatuses(back); counts["SuccessTotalCount"] != 1 {
			t.Fatalf("rollback of %d: %v", rec, counts)
		}
	}
	if _, list = l.deployStatuses(id); !strings.HasPrefix(list[0], "lb-new00001 lbl-new00001 4 ") {
		t.Fatalf("original after rollback %q", list)
	}
	if b := l.sb.BoundTo("longlive1"); len(b) != 0 {
		t.Fatalf("longlive1 still on %+v", b)
	}
	if b := l.sb.BoundTo("expfree1"); len(b) != 1 || b[0].InstanceID != "free.example.com" {
		t.Fatalf("expfree1 on %+v", b)
	}
	if r := l.call(ActionDeployRollback, fmt.Sprintf(`{"DeployRecordId":%d}`, id)); r.code() != "FailedOperation.CertificateDeployRollbackStatusInvalid" {
		t.Fatalf("second rollback %s", r.code())
	}
}

func TestDeployRefusals(t *testing.T) {
	l := newLifecycle(t, Options{})
	gz := "ap-guangzhou"
	for _, c := range []struct{ region, action, body, code string }{
		{gz, ActionDeploy, `{"ResourceType":"clb","InstanceIdList":["lb-new00001|lbl-new00001"]}`, "MissingParameter"},
		{gz, ActionDeploy, `{"CertificateId":"longlive1"}`, "MissingParameter"},
		{"", ActionDeploy, `{"CertificateId":"longlive1","InstanceIdList":["lb-new00001|lbl-new00001"]}`, "InvalidParameter.RegionNotEmpty"},
		{gz, ActionDeploy, `{"CertificateId":"longlive1","ResourceType":"ftp","InstanceIdList":["x"]}`, "FailedOperation.CertificateHostResourceTypeInvalid"},
		{gz, ActionDeploy, `{"CertificateId":"longlive1","InstanceIdList":["lbl-new00001"]}`, "FailedOperation.CertificateDeployInstanceFormatError"},
		{"", ActionDeploy, `{"CertificateId":"longlive1","ResourceType":"cdn","InstanceIdList":["new.example.com"]}`, "FailedOperation.CertificateDeployInstanceFormatError"},
		// SNI on needs the domain; SNI off takes none.
		{gz, ActionDeploy, `{"CertificateId":"longlive1","InstanceIdList":["lb-new00001|lbl-new00002"]}`, "FailedOperation.CertificateDeployInstanceFormatError"},
		{gz, ActionDeploy, `{"CertificateId":"longlive1","InstanceIdList":["lb-new00001|lbl-new00001|new.example.com"]}`, "FailedOperation.CertificateDeployInstanceFormatError"},
		{"ap-shanghai", ActionDeploy, `{"CertificateId":"longlive1","InstanceIdList":["lb-new00001|lbl-new00001"]}`, "FailedOperation.CertificateNotDeployInstance"},
		// A name the certificate does not cover, one the listener has no rule for.
		{"", ActionDeploy, `{"CertificateId":"expfree1","ResourceType":"cdn","InstanceIdList":["new.example.com|off"]}`, "FailedOperation.CertificateNotDeployInstance"},
		{gz, ActionDeploy, `{"CertificateId":"longlive1","InstanceIdList":["lb-new00001|lbl-new00002|www.example.com"]}`, "FailedOperation.CertificateNotDeployInstance"},
		// Already there.
		{"", ActionDeploy, `{"CertificateId":"expfree1","ResourceType":"cdn","InstanceIdList":["free.example.com|off"]}`, "FailedOperation.CertificateNotDeployInstance"},
		{"", ActionDeploy, `{"CertificateId":"renpaid1","ResourceType":"cdn","InstanceIdList":["shop.example.com|off"]}`, "FailedOperation.CertificateNotAvailable"},
		{"", ActionDeploy, `{"CertificateId":"nosuch01","ResourceType":"cdn","InstanceIdList":["shop.example.com|off"]}`, "FailedOperation.CertificateNotFound"},
		{"", ActionDeploy, `{"CertificateId":"testRolloutNoRole","ResourceType":"cdn","InstanceIdList":["new.example.com|off"]}`, "FailedOperation.RoleNotFoundAuthorization"},
		{"", ActionDeployDetail, `{"DeployRecordId":"99","Limit":"200"}`, "InvalidParameter"},
		{"", ActionDeployDetail, `{"DeployRecordId":"99","Limit":201}`, "InvalidParameterValue"},
		{"", ActionDeployDetail, `{"DeployRecordId":"99"}`, "FailedOperation.CertificateDeployNotExist"},
		{"", ActionDeployRetry, `{}`, "MissingParameter"},
		{"", ActionDeployRetry, `{"DeployRecordId":99}`, "FailedOperation.CertificateDeployNotExist"},
		{"", ActionDeployRollback, `{"DeployRecordId":99}`, "FailedOperation.CertificateDeployNotExist"},
	} {
		if r := l.callIn(c.region, c.action, c.body); r.code() != c.code {
			t.Errorf("%s %s %s: %q (%s), want %s", c.region, c.action, c.body, r.code(), r.message(), c.code)
		}
	}
	if l.sb.UpdateCalls() != 0 {
		t.Fatalf("refusals counted %d changing calls", l.sb.UpdateCalls())
	}
	// An update record of the certificate running on CDN holds the type.
	id := l.update(`{"OldCertificateId":"expfree1","CertificateId":"longlive1","ResourceTypes":["cdn"]}`)
	if r := l.call(ActionDeploy, `{"CertificateId":"longlive1","ResourceType":"cdn","InstanceIdList":["new.example.com|off"]}`); r.code() != "FailedOperation.CertificateDeployHasPendingRecord" {
		t.Fatalf("while update %d runs: %s", id, r.code())
	}
	// The deployment's record is not an update's.
	dep := l.deployed("ap-guangzhou", newTargets)
	if r := l.call(ActionUpdateDetail, fmt.Sprintf(`{"DeployRecordId":"%d"}`, dep)); r.code() != "FailedOperation.CertificateDeployNotExist" {
		t.Fatalf("update detail of a deployment: %s", r.code())
	}
}
