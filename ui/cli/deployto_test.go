package cli

// `certwiz deploy` (first deployment) against the sandbox over loopback
// (issue 21, item 3).

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/profiles"
	"github.com/spf13/cobra"
)

// fastDeploy is `deploy` reading tasks and records every 5 ms.
func fastDeploy(g *Globals) *cobra.Command {
	return newDeployCmd(g, rolloutKnobs{interval: 5 * time.Millisecond, pause: time.Millisecond})
}

// deploySpy is a sandbox whose DeployCertificateInstance bodies and
// regions are kept, as they arrived.
type deploySpy struct {
	env
	mu   sync.Mutex
	sent []string // "REGION BODY"
}

func newDeploySpy(t *testing.T, e env) *deploySpy {
	t.Helper()
	s := &deploySpy{env: e}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-TC-Action") == sandbox.ActionDeploy {
			b, _ := io.ReadAll(r.Body)
			s.mu.Lock()
			s.sent = append(s.sent, r.Header.Get("X-TC-Region")+" "+string(b))
			s.mu.Unlock()
			r.Body = io.NopCloser(strings.NewReader(string(b)))
		}
		e.calls.Add(1)
		e.sb.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

func (s *deploySpy) deployments() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

func deployHistory(t *testing.T) []profiles.Record {
	t.Helper()
	return historyWhere(t, func(r profiles.Record) bool { return r.Action == profiles.ActionDeploy })
}

const (
	newListener = "clb:lb-new00001|lbl-new00001"
	newDomain   = "cdn:new.example.com|off"
	gz          = "ap-guangzhou"
)

// Done means: deploy to the two free targets exits 0, both serve the
// certificate, one request per type with the region for the CLB only, and
// each record's end is in the history.
func TestDeployToTwoFreeTargets(t *testing.T) {
	s := newDeploySpy(t, rolloutEnv(t, 10*time.Millisecond))
	r := s.exec(t, fastDeploy, how{}, "longlive1", "--to", newListener, "--to", newDomain, "--region", gz, "--yes", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var got []string
	for _, b := range s.sb.BoundTo("longlive1") {
		got = append(got, b.Type+" "+b.InstanceID+" "+b.ListenerID)
	}
	if !slices.Equal(got, []string{"clb lb-new00001 lbl-new00001", "cdn new.example.com "}) {
		t.Fatalf("longlive1 on %q", got)
	}
	want := []string{`ap-guangzhou {"CertificateId":"longlive1","InstanceIdList":["lb-new00001|lbl-new00001"],"ResourceType":"clb"}`,
		` {"CertificateId":"longlive1","InstanceIdList":["new.example.com|off"],"ResourceType":"cdn"}`}
	if sent := s.deployments(); !slices.Equal(sent, want) {
		t.Fatalf("sent\n%q\nwant\n%q", sent, want)
	}
	m := decodeOne(t, r.stdout)
	recs, _ := m["Records"].([]any)
	if m["Outcome"] != "deployed" || len(recs) != 2 || recs[0].(map[string]any)["Type"] != "clb" || recs[1].(map[string]any)["Outcome"] != "deployed" {
		t.Fatalf("json %v", m)
	}
	h := deployHistory(t)
	if len(h) != 2 || h[0].Outcome != profiles.OutcomeDeployed || h[0].ResourceType != "clb" || h[1].ResourceType != "cdn" || h[1].DeployRecord == 0 ||
		h[0].CertificateId != "longlive1" || !slices.Equal(h[1].Resources, []string{"cdn new.example.com deployed"}) {
		t.Fatalf("history %+v", h)
	}
	if !strings.Contains(r.stderr, "Deployed: longlive1 serves the 2 target(s) (record ") {
		t.Fatalf("stderr\n%s", r.stderr)
	}
}

// Done means: a target that serves the certificate already is skipped,
// said so, and nothing is sent for it; when every target does, nothing
// is sent that changes anything, exit 0.
func TestDeploySkipsATargetThatServesItAlready(t *testing.T) {
	s := newDeploySpy(t, rolloutEnv(t, 10*time.Millisecond))
	if r := s.exec(t, fastDeploy, how{}, "longlive1", "--to", newListener, "--region", gz, "--yes"); r.code != 0 {
		t.Fatalf("first: exit %d\n%s", r.code, r.stderr)
	}
	r := s.exec(t, fastDeploy, how{}, "longlive1", "--to", newListener+","+newDomain, "--region", gz, "--yes")
	if r.code != 0 || !strings.Contains(r.stderr, "Skipped: clb lb-new00001|lbl-new00001 serves longlive1 already (nothing is sent for it).") ||
		!strings.Contains(r.stderr, "1 skipped that served it already") || strings.Contains(r.stdout, "lbl-new00001") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	sent := s.deployments()
	if len(sent) != 2 || strings.Contains(sent[1], "lb-new00001") || !strings.Contains(sent[1], `"ResourceType":"cdn"`) {
		t.Fatalf("sent %q", sent)
	}
	changes := s.sb.UpdateCalls()
	r = s.exec(t, fastDeploy, how{}, "longlive1", "--to", newListener+","+newDomain, "--region", gz, "--yes", "--json")
	if m := decodeOne(t, r.stdout); r.code != 0 || m["Outcome"] != "nothing" || len(m["Plan"].(map[string]any)["Skipped"].([]any)) != 2 ||
		s.sb.UpdateCalls() != changes || len(s.deployments()) != 2 {
		t.Fatalf("all skipped: exit %d %v\n%s", r.code, m, r.stderr)
	}
}

// Done means: a target naming a domain the certificate does not cover is
// refused, exit 3, nothing sent that changes anything; so is a
// certificate not issued.
func TestDeployRefusesAnUncoveredDomain(t *testing.T) {
	s := newDeploySpy(t, rolloutEnv(t, 10*time.Millisecond))
	for _, extra := range []string{"--yes", "--dry-run"} {
		r := s.exec(t, fastDeploy, how{}, "expfree1", "--to", newDomain, "--to", "clb:lb-new00001|lbl-new00002|new.example.com", "--region", gz, extra)
		if r.code != api.ExitRejected || !strings.Contains(r.stderr, "Refused: expfree1 (free.example.com) does not cover new.example.com, which the cdn target new.example.com|off names") ||
			!strings.Contains(r.stderr, "which the clb target lb-new00001|lbl-new00002|new.example.com names") || !strings.Contains(r.stderr, "Nothing was changed.") {
			t.Fatalf("%s: exit %d\n%s", extra, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "cdn\t\tnew.example.com|off\tno: new.example.com\n") {
			t.Fatalf("plan\n%s", r.stdout)
		}
	}
	r := s.exec(t, fastDeploy, how{}, "renpaid1", "--to", "cdn:shop.example.com|on", "--yes")
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "renpaid1 is not issued") {
		t.Fatalf("not issued: exit %d\n%s", r.code, r.stderr)
	}
	if s.sb.UpdateCalls() != 0 || len(s.deployments()) != 0 || len(s.sb.Calls(sandbox.ActionDeploy)) != 0 {
		t.Fatal("a refused deployment was sent")
	}
}

// Done means: a target that fails, with --on-failure rollback: the
// deployed one is rolled back (it serves nothing again), exit 3, and the
// types after it are not started.
func TestDeployFailedTargetRollsBack(t *testing.T) {
	s := newDeploySpy(t, rolloutEnv(t, 10*time.Millisecond))
	r := s.exec(t, fastDeploy, how{}, "longlive1", "--to", newListener+",clb:"+sandbox.FailTarget+"|lbl-fail0001,"+newDomain, "--region", gz, "--yes", "--on-failure", "rollback")
	if r.code != api.ExitRejected {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"✗ clb ap-guangzhou lb-fail0001/lbl-fail0001: this resource cannot take the certificate",
		"Rolling back: longlive1 comes off the 1 resource(s) it was deployed to.",
		"clb ap-guangzhou lb-new00001/lbl-new00001: restored",
		"Rolled back (record ", "longlive1 was taken off the 1 resource(s) it had been deployed to",
		"Not started: the cdn target(s)",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Fatalf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if got := s.sb.BoundTo("longlive1"); len(got) != 0 {
		t.Fatalf("after the rollback longlive1 is on %+v", got)
	}
	if n := len(s.sb.Calls(sandbox.ActionDeployRollback)); n != 1 || len(s.deployments()) != 1 {
		t.Fatalf("%d rollbacks, %d deployments", n, len(s.deployments()))
	}
	h := deployHistory(t)
	if last := h[len(h)-1]; last.Outcome != profiles.OutcomeRolledBack || last.RollbackOf == 0 || last.CertificateId != "longlive1" || last.ResourceType != "clb" ||
		!slices.Equal(last.Resources, []string{"clb ap-guangzhou lb-new00001/lbl-new00001 restored"}) {
		t.Fatalf("history %+v", last)
	}
	// The rollback's own record, followed again: each target has what it had.
	back := strconv.FormatUint(h[len(h)-1].DeployRecord, 10)
	r = s.exec(t, fastDeploy, how{}, "--record", back, "--json")
	if m := decodeOne(t, r.stdout); r.code != 0 || m["Outcome"] != "rolled-back" || m["CertificateId"] != "longlive1" ||
		!strings.Contains(r.stderr, "Rolled back: the 1 resource(s) of record "+back+" serve again what they served before longlive1.") {
		t.Fatalf("--record of the rollback: exit %d %v\n%s", r.code, m, r.stderr)
	}
	// stop (the default without a terminal): the retry's command (nothing
	// was deployed, so no rollback is offered), nothing undone; then retry
	// through --record: bounded, exit 3.
	s = newDeploySpy(t, rolloutEnv(t, 10*time.Millisecond))
	r = s.exec(t, fastDeploy, how{}, "longlive1", "--to", "clb:"+sandbox.FailTarget+"|lbl-fail0001", "--region", gz, "--yes")
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "deploy --record ") || !strings.Contains(r.stderr, "--on-failure retry --yes") ||
		strings.Contains(r.stderr, "--on-failure rollback") ||
		len(s.sb.Calls(sandbox.ActionDeployRollback))+len(s.sb.Calls(sandbox.ActionDeployRetry)) != 0 {
		t.Fatalf("stop: exit %d\n%s", r.code, r.stderr)
	}
	h = deployHistory(t)
	id := strconv.FormatUint(h[len(h)-1].DeployRecord, 10)
	r = s.exec(t, fastDeploy, how{}, "--record", id, "--on-failure", "retry", "--yes")
	if r.code != api.ExitRejected || len(s.sb.Calls(sandbox.ActionDeployRetry)) != 2 || len(s.sb.Calls(sandbox.ActionUpdateRetry)) != 0 {
		t.Fatalf("retry: exit %d, %d retries\n%s", r.code, len(s.sb.Calls(sandbox.ActionDeployRetry)), r.stderr)
	}
}

// --dry-run and a missing --yes without a terminal send nothing that
// changes anything (the latter nothing at all); bad flags neither.
func TestDeployDryRunNoYesAndUsage(t *testing.T) {
	s := newDeploySpy(t, rolloutEnv(t, 10*time.Millisecond))
	r := s.exec(t, fastDeploy, how{}, "longlive1", "--to", newListener, "--to", newDomain, "--region", gz, "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "clb\tap-guangzhou\tlb-new00001|lbl-new00001\tTencent checks\n") || !strings.Contains(r.stdout, "cdn\t\tnew.example.com|off\tyes\n") ||
		!strings.Contains(r.stderr, "Dry run: nothing was changed.") || !strings.Contains(r.stderr, "one task per type (clb, cdn)") {
		t.Fatalf("dry run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	calls := s.calls.Load()
	r = s.exec(t, fastDeploy, how{}, "longlive1", "--to", newDomain)
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "--yes required") || s.calls.Load() != calls {
		t.Fatalf("no --yes: exit %d, %d requests\n%s", r.code, s.calls.Load()-calls, r.stderr)
	}
	for _, bad := range [][]string{
		{"longlive1"}, {"--to", newDomain}, {"longlive1", "--to", "new.example.com"}, {"longlive1", "--to", "ftp:x"},
		{"longlive1", "--to", newListener}, {"longlive1", "--to", "cdn:new.example.com"}, {"longlive1", "--to", newDomain + "," + newDomain},
		{"longlive1", "--to", "clb:lbl-x|lb-y", "--region", gz}, {"longlive1", "--to", newListener, "--region", "AP GZ"},
		{"longlive1", "--to", newDomain, "--on-failure", "later"}, {"longlive1", "--to", newDomain, "--max-wait", "0s"},
		{"--record", "x"}, {"longlive1", "--record", "7"}, {"long live", "--to", newDomain},
	} {
		if r := s.exec(t, fastDeploy, how{}, append(bad, "--yes")...); r.code != api.ExitInput || s.calls.Load() != calls {
			t.Fatalf("%v: exit %d\n%s", bad, r.code, r.stderr)
		}
	}
	if r := s.exec(t, fastDeploy, how{}, "longlive1", "--to", "ftp:x", "--json"); r.code != api.ExitInput || decodeOne(t, r.stdout)["Error"] == nil {
		t.Fatalf("--json usage: %d %s", r.code, r.stdout)
	}
	// On a terminal it asks; no changes nothing.
	r = s.exec(t, fastDeploy, how{tty: true, cols: 100, stdin: "n\n"}, "longlive1", "--to", newDomain)
	if r.code != 0 || !strings.Contains(r.stderr, "Live traffic on these 1 target(s) will be served by longlive1. Deploy longlive1 to them? [y/N]") ||
		!strings.Contains(r.stderr, "Not deployed: nothing was changed.") {
		t.Fatalf("no: exit %d\n%s", r.code, r.stderr)
	}
	if s.sb.UpdateCalls() != 0 || len(s.deployments()) != 0 {
		t.Fatal("something changed")
	}
	// Yes on a terminal: the bars, in Chinese too.
	r = s.exec(t, fastDeploy, how{tty: true, cols: 100, stdin: "y\n", lang: api.Chinese}, "longlive1", "--to", newDomain)
	if r.code != 0 || !strings.Contains(r.stderr, "已部署") || len(s.sb.BoundTo("longlive1")) != 1 {
		t.Fatalf("yes: exit %d\n%s", r.code, r.stderr)
	}
}

// --max-wait: exit 6, the record goes on; deploy --record follows it again
// (the certificate and type from the history) to its end.
func TestDeployMaxWaitThenRecord(t *testing.T) {
	var mu sync.Mutex
	offset := time.Duration(0)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(offset) }
	e := newEnvWith(t, sandbox.Options{Rate: 100, RolloutStep: time.Minute, Now: now})
	r := e.exec(t, fastDeploy, how{}, "longlive1", "--to", newListener, "--region", gz, "--yes", "--max-wait", "30ms")
	h := deployHistory(t)
	id := strconv.FormatUint(h[len(h)-1].DeployRecord, 10)
	if r.code != ExitWaiting || !strings.Contains(r.stderr, "(0 deployed, 0 running, 1 pending)") || !strings.Contains(r.stderr, "deploy --record "+id) ||
		h[len(h)-1].Outcome != profiles.OutcomeRunning {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	mu.Lock()
	offset = 3 * time.Minute
	mu.Unlock()
	r = e.exec(t, fastDeploy, how{}, "--record", id, "--json")
	m := decodeOne(t, r.stdout)
	recs, _ := m["Records"].([]any)
	if r.code != 0 || m["Outcome"] != "deployed" || m["CertificateId"] != "longlive1" || len(recs) != 1 || recs[0].(map[string]any)["Type"] != "clb" {
		t.Fatalf("--record: exit %d %v\n%s", r.code, m, r.stderr)
	}
	// Without the history, the record names its certificate itself.
	os.Remove(filepath.Join(os.Getenv("HOME"), ".local", "state", "certwiz", "history.jsonl"))
	r = e.exec(t, fastDeploy, how{}, "--record", id)
	if r.code != 0 || !strings.Contains(r.stderr, "Deployed: longlive1 serves all 1 resource(s) of record "+id) {
		t.Fatalf("--record without history: exit %d\n%s", r.code, r.stderr)
	}
}

// Hostile answers reach the terminal only escaped; a deployment already
// running (DeployStatus 0) is followed and the run ends with exit 3.
func TestDeployHostileAnswersAndAnotherRecord(t *testing.T) {
	e := rolloutEnv(t, 10*time.Millisecond)
	hostile := `{"Response":{"TotalCount":1,"SuccessTotalCount":0,"FailedTotalCount":1,"DeployRecordDetailList":[{"Id":9,"CertId":"longlive1","OldCertId":null,"Status":2,` +
		`"InstanceId":"x\u001b[2Jy","InstanceName":"\u202eevil","Domains":["new.example.com\u202e"],"ErrorMsg":"boom\u001b]52;c;ZXZpbA==\u0007 \r\nFAKE"}],"RequestId":"r-3"}}`
	done := `{"Response":{"TotalCount":1,"SuccessTotalCount":1,"DeployRecordDetailList":[{"Id":9,"CertId":"longlive1","Status":1,"InstanceId":"new.example.com","Domains":["new.example.com"]}],"RequestId":"r-3"}}`
	for name, answer := range map[string]string{"hostile": hostile, "running": done} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			switch r.Header.Get("X-TC-Action") {
			case sandbox.ActionDeploy:
				status := map[bool]string{true: "0", false: "1"}[name == "running"]
				io.WriteString(w, `{"Response":{"DeployRecordId":77,"DeployStatus":`+status+`,"RequestId":"r-1"}}`)
			case sandbox.ActionDeployDetail:
				io.WriteString(w, answer)
			default:
				e.sb.ServeHTTP(w, r)
			}
		}))
		defer srv.Close()
		r := env{url: srv.URL}.exec(t, fastDeploy, how{tty: true, cols: 100}, "longlive1", "--to", newDomain, "--yes")
		for _, bad := range []string{"\x1b]", "\x1b[2J", "\u202e", "\a", "\nFAKE"} {
			if strings.Contains(r.stdout+r.stderr, bad) {
				t.Fatalf("%s: %q reached the terminal:\n%q", name, bad, r.stderr)
			}
		}
		switch name {
		case "hostile":
			if r.code != api.ExitRejected || !strings.Contains(r.stderr, "Tencent says: boom") {
				t.Fatalf("hostile: exit %d\n%s", r.code, r.stderr)
			}
		case "running":
			if r.code != api.ExitRejected || !strings.Contains(r.stderr, "A deployment of longlive1 to cdn resources was already running at Tencent (record 77)") ||
				!strings.Contains(r.stderr, "Record 77 was not this run's") {
				t.Fatalf("running: exit %d\n%s", r.code, r.stderr)
			}
		}
	}
}

// ctrl+c while following: the record goes on at Tencent, said with the
// command that follows it again; exit 130, the later types not started.
func TestDeployInterruptedWhileFollowing(t *testing.T) {
	e := rolloutEnv(t, time.Hour)
	code, stderr := interruptedAfter(t, e, sandbox.ActionDeployDetail, fastDeploy, "longlive1", "--to", newListener+","+newDomain, "--region", gz, "--yes")
	h := deployHistory(t)
	if code != api.ExitInterrupted || !strings.Contains(stderr, "Interrupted: certwiz stopped watching, but record") ||
		!strings.Contains(stderr, "deploy --record ") || !strings.Contains(stderr, "Not started: the cdn target(s)") ||
		len(h) == 0 || h[len(h)-1].Outcome != profiles.OutcomeInterrupted || len(e.sb.Calls(sandbox.ActionDeploy)) != 1 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
}

// What the second newcomer's walk found: a region that is not one, a flag
// given twice, one CDN domain with both billing switches are usage errors
// before any request; a record of the other command is named as such;
// --json keeps the records done before a later type's refusal.
func TestDeployUsageAndJSONAfterTheWalk(t *testing.T) {
	e := rolloutEnv(t, 10*time.Millisecond)
	calls := e.calls.Load()
	for _, bad := range [][]string{
		{"longlive1", "--to", newListener, "--region", "guangzhou", "--dry-run"},
		{"longlive1", "--to", newListener, "--region", gz, "--region", "ap-shanghai", "--dry-run"},
		{"longlive1", "--to", "cdn:new.example.com|off", "--to", "cdn:new.example.com|on", "--dry-run"},
		{"longlive1", "--to", newDomain, "--on-failure", "stop", "--on-failure", "rollback", "--dry-run"},
		{"--record", "7", "--region", gz},
	} {
		if r := e.exec(t, fastDeploy, how{}, bad...); r.code != api.ExitInput {
			t.Fatalf("%v: exit %d\n%s", bad, r.code, r.stderr)
		}
	}
	if e.calls.Load() != calls {
		t.Fatalf("%d requests for usage errors", e.calls.Load()-calls)
	}
	// CLB: in capitals and a trailing comma are what they mean.
	if r := e.exec(t, fastDeploy, how{}, "longlive1", "--to", "CDN:new.example.com|off,", "--dry-run"); r.code != 0 {
		t.Fatalf("CDN:…, : exit %d\n%s", r.code, r.stderr)
	}
	// The CDN deployed, then vod refused: the JSON has both.
	r := e.exec(t, fastDeploy, how{}, "longlive1", "--to", newDomain, "--to", "vod:new.example.com", "--yes", "--json")
	m := decodeOne(t, r.stdout)
	recs, _ := m["Records"].([]any)
	if r.code == 0 || len(recs) != 1 || recs[0].(map[string]any)["Outcome"] != "deployed" || m["Error"] == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// A rollout's record given to deploy, and a deployment's to rollout.
	id := strconv.FormatUint(deployHistory(t)[0].DeployRecord, 10)
	if r := e.exec(t, fastRollout, how{}, "--record", id); r.code != api.ExitInput || !strings.Contains(r.stderr, "is a deployment's (the history says so): follow it with") {
		t.Fatalf("rollout --record of a deployment: exit %d\n%s", r.code, r.stderr)
	}
}
