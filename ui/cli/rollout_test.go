package cli

// `certwiz rollout` against the sandbox over loopback (issue 21).

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// fastRollout is `rollout` reading tasks and records every 5 ms.
func fastRollout(g *Globals) *cobra.Command {
	return newRolloutCmd(g, rolloutKnobs{interval: 5 * time.Millisecond, pause: time.Millisecond})
}

// rolloutEnv is a sandbox whose updates move on every step.
func rolloutEnv(t *testing.T, step time.Duration) env {
	t.Helper()
	return newEnvWith(t, sandbox.Options{SlowDelay: 5 * time.Second, Rate: 100, RolloutStep: step})
}

func lastRollout(t *testing.T) profiles.Record {
	t.Helper()
	var last profiles.Record
	for _, r := range historyOf(t) {
		if r.Action == profiles.ActionRollout {
			last = r
		}
	}
	return last
}

// Done means: rollout exppaid1 longlive1 is refused — *.example.com does
// not cover www.shop.example.com — with nothing changed; so is a dry run.
func TestRolloutRefusesANameNewDoesNotCover(t *testing.T) {
	e := rolloutEnv(t, 10*time.Millisecond)
	for _, extra := range []string{"--yes", "--dry-run"} {
		r := e.exec(t, fastRollout, how{}, "exppaid1", "longlive1", extra)
		if r.code != api.ExitRejected || !strings.Contains(r.stderr, "does not cover www.shop.example.com, which clb ap-guangzhou lb-shop0gz1/lbl-https0gz serves") ||
			!strings.Contains(r.stderr, "Nothing was changed.") {
			t.Fatalf("%s: exit %d\n%s", extra, r.code, r.stderr)
		}
		// The plan says which resource is covered and which not.
		if !strings.Contains(r.stdout, "cdn\t\tshop.example.com\t\tshop.example.com\tyes\n") || !strings.Contains(r.stdout, "\tno: www.shop.example.com\n") {
			t.Fatalf("plan\n%s", r.stdout)
		}
	}
	if e.sb.UpdateCalls() != 0 || len(e.sb.Calls(sandbox.ActionUpdate)) != 0 {
		t.Fatal("a refused rollout asked for an update")
	}
	// NEW not issued; NEW the same as OLD.
	r := e.exec(t, fastRollout, how{}, "exppaid1", "renpaid1", "--yes")
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "renpaid1 is not issued") {
		t.Fatalf("not issued: exit %d %s", r.code, r.stderr)
	}
	calls := e.calls.Load()
	r = e.exec(t, fastRollout, how{}, "exppaid1", "exppaid1", "--yes")
	if r.code != api.ExitInput || e.calls.Load() != calls {
		t.Fatalf("same: exit %d %s", r.code, r.stderr)
	}
	// NEW expiring before OLD (expfree1, 10 days, in place of longlive1's 300).
	r = e.exec(t, fastRollout, how{}, sandbox.RolloutPartial, "expfree1", "--dry-run", "--json")
	m := decodeOne(t, r.stdout)
	if r.code != api.ExitRejected || m["Outcome"] != "refused" || !strings.Contains(r.stdout, `"expires-first"`) {
		t.Fatalf("expires first: exit %d %s", r.code, r.stdout)
	}
}

// Done means: once renpaid1 is submitted, committed and issued (here by
// renew), rollout exppaid1 renpaid1 --yes replaces all three resources
// and exits 0 with the record in the history.
func TestRolloutExppaid1ToRenpaid1ReplacesAllThree(t *testing.T) {
	e := renewEnvWith(t, sandbox.Options{PublishDelay: -1, RolloutStep: 10 * time.Millisecond})
	e.paidSetup(t)
	e.mustInstall(t, "exppaid1", "--dir", filepath.Join(t.TempDir(), "shop"), "--profile", "acme", "--validation", "DNS_AUTO")
	if r := e.renew(t, "--yes"); r.code != 0 || !strings.Contains(r.stdout, "renewed: exppaid1 → renpaid1") {
		t.Fatalf("renew: %d %s %s", r.code, r.stdout, r.stderr)
	}
	// The update's body, as it arrived.
	var mu sync.Mutex
	var body string
	spy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-TC-Action") == sandbox.ActionUpdate {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			body = string(b)
			mu.Unlock()
			r.Body = io.NopCloser(strings.NewReader(string(b)))
		}
		e.sb.ServeHTTP(w, r)
	}))
	defer spy.Close()
	r := env{url: spy.URL, sb: e.sb, calls: e.calls}.exec(t, fastRollout, how{}, "exppaid1", "renpaid1", "--yes", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	m := decodeOne(t, r.stdout)
	res, _ := m["Resources"].([]any)
	if m["Outcome"] != "replaced" || len(res) != 3 || m["RecordId"] == nil {
		t.Fatalf("json %v", m)
	}
	if got := e.sb.BoundTo("renpaid1"); len(got) != 3 || len(e.sb.BoundTo("exppaid1")) != 0 {
		t.Fatalf("renpaid1 on %d resources", len(got))
	}
	// The update asked for exactly the plan's types and regions.
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{`"ResourceTypes":["clb","cdn"]`, `"ResourceTypesRegions":[{"Regions":["ap-guangzhou","ap-shanghai"],"ResourceType":"clb"}]`, `"OldCertificateId":"exppaid1"`} {
		if !strings.Contains(body, want) {
			t.Fatalf("update %s lacks %s", body, want)
		}
	}
	last := lastRollout(t)
	if last.Outcome != profiles.OutcomeReplaced || last.CertificateId != "renpaid1" || last.Replaces != "exppaid1" || last.DeployRecord == 0 || len(last.Resources) != 3 {
		t.Fatalf("history %+v", last)
	}
	// OLD is never deleted.
	if len(e.sb.Calls("DeleteCertificate")) != 0 {
		t.Fatal("OLD deleted")
	}
}

// Done means: rollout testRolloutPartial longlive1 --yes --on-failure
// rollback ends with the succeeded listener rolled back, exit 3.
func TestRolloutPartialFailureRollsBack(t *testing.T) {
	e := rolloutEnv(t, 10*time.Millisecond)
	r := e.exec(t, fastRollout, how{}, sandbox.RolloutPartial, "longlive1", "--yes", "--on-failure", "rollback")
	if r.code != api.ExitRejected {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"✗ clb ap-guangzhou lb-part0002/lbl-part0002 (part.example.com): this resource cannot take the certificate",
		"Rolled back (record ", "testRolloutPartial serves again the 1 resource(s) longlive1 had replaced; 1 failed",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Fatalf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if got := e.sb.BoundTo(sandbox.RolloutPartial); len(got) != 2 {
		t.Fatalf("after the rollback testRolloutPartial is on %d listeners", len(got))
	}
	if n := len(e.sb.Calls(sandbox.ActionUpdateRollback)); n != 1 {
		t.Fatalf("%d rollbacks", n)
	}
	last := lastRollout(t)
	if last.Outcome != profiles.OutcomeRolledBack || last.RollbackOf == 0 || last.CertificateId != sandbox.RolloutPartial {
		t.Fatalf("history %+v", last)
	}
	// stop (the default without a terminal): both commands printed, nothing undone.
	e = rolloutEnv(t, 10*time.Millisecond)
	r = e.exec(t, fastRollout, how{}, sandbox.RolloutPartial, "longlive1", "--yes")
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "--on-failure retry --yes") || !strings.Contains(r.stderr, "--on-failure rollback --yes") ||
		len(e.sb.Calls(sandbox.ActionUpdateRollback))+len(e.sb.Calls(sandbox.ActionUpdateRetry)) != 0 {
		t.Fatalf("stop: exit %d\n%s", r.code, r.stderr)
	}
	// retry: bounded (the listener keeps failing), exit 3.
	r = e.exec(t, fastRollout, how{}, "--record", lastRolloutID(t), "--on-failure", "retry", "--yes")
	if r.code != api.ExitRejected || len(e.sb.Calls(sandbox.ActionUpdateRetry)) != 2 {
		t.Fatalf("retry: exit %d, %d retries\n%s", r.code, len(e.sb.Calls(sandbox.ActionUpdateRetry)), r.stderr)
	}
}

func lastRolloutID(t *testing.T) string {
	t.Helper()
	id := lastRollout(t).DeployRecord
	if id == 0 {
		t.Fatal("no record in the history")
	}
	return strconv.FormatUint(id, 10)
}

// --dry-run and a missing --yes without a terminal send nothing that
// changes anything (the latter nothing at all).
func TestRolloutDryRunAndNoYes(t *testing.T) {
	e := rolloutEnv(t, 10*time.Millisecond)
	r := e.exec(t, fastRollout, how{}, "expfree1", "longlive1", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "cdn\t\tfree.example.com\t\tfree.example.com\tyes") || !strings.Contains(r.stderr, "Dry run: nothing was changed.") {
		t.Fatalf("dry run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	calls := e.calls.Load()
	r = e.exec(t, fastRollout, how{}, "expfree1", "longlive1")
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "--yes required") || e.calls.Load() != calls {
		t.Fatalf("no --yes: exit %d, %d requests\n%s", r.code, e.calls.Load()-calls, r.stderr)
	}
	if e.sb.UpdateCalls() != 0 || len(e.sb.Calls(sandbox.ActionUpdate)) != 0 {
		t.Fatal("something changed")
	}
	// --types leaves resources out, and says so.
	r = e.exec(t, fastRollout, how{}, "exppaid1", "longlive1", "--types", "cdn", "--dry-run")
	if r.code != 0 || strings.Count(r.stderr, "Left out by --types/--regions") != 2 {
		t.Fatalf("--types: exit %d\n%s", r.code, r.stderr)
	}
	for _, bad := range [][]string{{"a", "b", "--types", "ftp"}, {"a", "b", "--on-failure", "later"}, {"--record", "x"}, {"a"}, {"a", "b", "--record", "7"}} {
		if r := e.exec(t, fastRollout, how{}, bad...); r.code != api.ExitInput {
			t.Fatalf("%v: exit %d", bad, r.code)
		}
	}
}

// A CLB busy with another change is retried by certwiz itself.
func TestRolloutRetriesABusyListener(t *testing.T) {
	e := rolloutEnv(t, 10*time.Millisecond)
	r := e.exec(t, fastRollout, how{}, sandbox.RolloutBusy, "longlive1", "--yes")
	if r.code != 0 || !strings.Contains(r.stderr, "was busy with another change: certwiz retries it") || !strings.Contains(r.stderr, "Replaced: longlive1 serves all 1 resource(s)") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if n := len(e.sb.Calls(sandbox.ActionUpdateRetry)); n != 1 {
		t.Fatalf("%d retries", n)
	}
}

// --max-wait: exit 6, the record goes on; rollout --record follows it
// again (the certificates from the history) to its end.
func TestRolloutMaxWaitThenRecord(t *testing.T) {
	var mu sync.Mutex
	offset := time.Duration(0)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(offset) }
	e := newEnvWith(t, sandbox.Options{Rate: 100, RolloutStep: time.Minute, Now: now})
	r := e.exec(t, fastRollout, how{}, "expfree1", "longlive1", "--yes", "--max-wait", "30ms")
	id := lastRolloutID(t)
	if r.code != ExitWaiting || !strings.Contains(r.stderr, "goes on at Tencent") || !strings.Contains(r.stderr, "rollout --record "+id) ||
		lastRollout(t).Outcome != profiles.OutcomeRunning {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	mu.Lock()
	offset = 3 * time.Minute
	mu.Unlock()
	r = e.exec(t, fastRollout, how{}, "--record", id, "--json")
	m := decodeOne(t, r.stdout)
	if r.code != 0 || m["Outcome"] != "replaced" || m["Old"] != "expfree1" || m["New"] != "longlive1" {
		t.Fatalf("--record: exit %d %v\n%s", r.code, m, r.stderr)
	}
	// Without the history, the record names its certificates itself.
	os.Remove(filepath.Join(os.Getenv("HOME"), ".local", "state", "certwiz", "history.jsonl"))
	r = e.exec(t, fastRollout, how{}, "--record", id)
	if r.code != 0 || !strings.Contains(r.stderr, "Replaced: longlive1 serves all 1 resource(s) in place of expfree1") {
		t.Fatalf("--record without history: exit %d\n%s", r.code, r.stderr)
	}
}

// ctrl+c while following: the record goes on at Tencent, said with the
// command that follows it again; exit 130.
func TestRolloutInterruptedWhileFollowing(t *testing.T) {
	e := rolloutEnv(t, time.Hour)
	code, stderr := interruptedAfter(t, e, sandbox.ActionUpdateDetail, fastRollout, "expfree1", "longlive1", "--yes")
	if code != api.ExitInterrupted || !strings.Contains(stderr, "Interrupted: certwiz stopped watching, but record") ||
		!strings.Contains(stderr, "rollout --record ") || lastRollout(t).Outcome != profiles.OutcomeInterrupted {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
}

// interruptedAfter runs a command against the sandbox of e and cancels its
// context (ctrl+c) once a request of action was answered: the exit and
// stderr.
func interruptedAfter(t *testing.T, e env, action string, mk func(*Globals) *cobra.Command, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.sb.ServeHTTP(w, r)
		if r.Header.Get("X-TC-Action") == action {
			cancel()
		}
	}))
	defer srv.Close()
	var out, errb strings.Builder
	g := &Globals{IO: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Endpoint: srv.URL, Timeout: 10 * time.Second, Language: api.English, Version: "test"}
	cmd := mk(g)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	code := ExitCode(cmd.ExecuteContext(ctx), &errb)
	return code, errb.String()
}

// On a terminal: the question names the resources' count and NEW; after a
// failure the user chooses the rollback; bars per type are drawn.
func TestRolloutOnATerminalAsks(t *testing.T) {
	e := rolloutEnv(t, 10*time.Millisecond)
	r := e.exec(t, fastRollout, how{tty: true, cols: 100, stdin: "y\nx\nb\n"}, sandbox.RolloutPartial, "longlive1")
	for _, want := range []string{"Live traffic on these 2 resource(s) will be served by longlive1. Replace testRolloutPartial by longlive1 on them? [y/N]",
		"Retry the failed resource(s), roll back (testRolloutPartial goes back on the 1 replaced), or stop here? [r/b/S]", "Type r, b or s (enter alone: stop).",
		"clb   ", "1 replaced", "Rolled back"} {
		if !strings.Contains(r.stderr, want) {
			t.Fatalf("exit %d: stderr lacks %q\n%s", r.code, want, r.stderr)
		}
	}
	if r.code != api.ExitRejected || !strings.Contains(r.stdout, "lb-part0001 (part-a)") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	// Saying no changes nothing.
	e = rolloutEnv(t, 10*time.Millisecond)
	r = e.exec(t, fastRollout, how{tty: true, cols: 40, stdin: "n\n", lang: api.Chinese}, "expfree1", "longlive1")
	if r.code != 0 || !strings.Contains(r.stderr, "未替换：未做任何更改。") || e.sb.UpdateCalls() != 0 {
		t.Fatalf("no: exit %d\n%s", r.code, r.stderr)
	}
}

// Rate limits are absorbed; hostile text reaches the terminal only
// escaped; an update record about other certificates is refused.
func TestRolloutFaults(t *testing.T) {
	e := newEnvWith(t, sandbox.Options{Rate: 1, RolloutStep: 10 * time.Millisecond})
	if r := e.exec(t, fastRollout, how{}, "expfree1", "longlive1", "--yes"); r.code != 0 {
		t.Fatalf("rate 1/s: exit %d %s", r.code, r.stderr)
	}
	e = newEnvWith(t, sandbox.Options{Rate: 100, RolloutStep: 10 * time.Millisecond})
	detail := `{"Response":{"TotalCount":1,"SuccessTotalCount":0,"FailedTotalCount":1,"RecordDetailList":[{"ResourceType":"cdn","List":[{"Id":9,"CertId":"longlive1","OldCertId":"expfree1","Status":2,` +
		`"ResourceType":"cdn","InstanceId":"x\u001b[2Jy","Domains":["free.example.com\u202e"],"ErrorMsg":"boom\u001b]52;c;ZXZpbA==\u0007 \r\nFAKE"}]}],"RequestId":"r-3"}}`
	other := `{"Response":{"TotalCount":1,"RecordDetailList":[{"ResourceType":"cdn","List":[{"Id":9,"CertId":"evil0001","OldCertId":"expfree1","Status":1,"Domains":["evil.example"]}]}],"RequestId":"r-3"}}`
	for name, answer := range map[string]string{"hostile": detail, "other": other, "running": other} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			switch r.Header.Get("X-TC-Action") {
			case sandbox.ActionUpdate:
				status := map[bool]string{true: "0", false: "1"}[name == "running"]
				io.WriteString(w, `{"Response":{"DeployRecordId":77,"DeployStatus":`+status+`,"RequestId":"r-1"}}`)
			case sandbox.ActionUpdateDetail:
				io.WriteString(w, answer)
			default:
				e.sb.ServeHTTP(w, r)
			}
		}))
		defer srv.Close()
		r := env{url: srv.URL}.exec(t, fastRollout, how{tty: true, cols: 100}, "expfree1", "longlive1", "--yes")
		for _, bad := range []string{"\x1b]", "\x1b[2J", "\u202e", "\a", "\nFAKE", "evil.example"} {
			if strings.Contains(r.stdout+r.stderr, bad) {
				t.Fatalf("%s: %q reached the terminal:\n%q", name, bad, r.stderr)
			}
		}
		switch name {
		case "hostile":
			if r.code != api.ExitRejected || !strings.Contains(r.stderr, "Tencent says: boom") {
				t.Fatalf("hostile: exit %d\n%s", r.code, r.stderr)
			}
		case "other":
			if r.code != api.ExitTransport {
				t.Fatalf("other: exit %d\n%s", r.code, r.stderr)
			}
		case "running":
			// Another update of OLD runs, to another certificate: refused, said unquoted.
			if r.code != api.ExitRejected || !strings.Contains(r.stderr, "Record 77 puts another certificate in place of expfree1, not longlive1") {
				t.Fatalf("running: exit %d\n%s", r.code, r.stderr)
			}
		}
	}
}

// Done means: renew with rollout: true makes NEW the installation's
// current certificate only after the rollout succeeded; a failed rollout
// keeps OLD current (exit 3) and the next run goes on from there.
func TestRenewWithRolloutKeepsOldCurrentUntilTheRolloutSucceeded(t *testing.T) {
	e := renewEnvWith(t, sandbox.Options{PublishDelay: -1, RolloutStep: 10 * time.Millisecond})
	e.paidSetup(t)
	dir := filepath.Join(t.TempDir(), "shop")
	e.mustInstall(t, "exppaid1", "--dir", dir, "--profile", "acme", "--validation", "DNS_AUTO", "--rollout")
	if in := loadInstall(t, "shop.example.com"); !in.Rollout {
		t.Fatal("rollout not saved")
	}
	// The SSL service role is not authorized the first time.
	var refuse sync.Once
	var refused bool
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-TC-Action") == sandbox.ActionUpdate {
			done := false
			refuse.Do(func() { done = true })
			if done {
				refused = true
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"Response":{"Error":{"Code":"FailedOperation.RoleNotFoundAuthorization","Message":"The role does not exist."},"RequestId":"r-9"}}`)
				return
			}
		}
		e.sb.ServeHTTP(w, r)
	}))
	defer flaky.Close()
	f := env{url: flaky.URL, sb: e.sb, calls: e.calls}
	r := f.renew(t, "--yes")
	in := loadInstall(t, "shop.example.com")
	if r.code != api.ExitRejected || !refused || in.Certificate != "exppaid1" || in.Renewing == nil || in.Renewing.Step != profiles.StepIssued ||
		!strings.Contains(r.stdout, "exppaid1 stays current here") {
		t.Fatalf("failed rollout: exit %d, current %s, renewing %+v\n%s\n%s", r.code, in.Certificate, in.Renewing, r.stdout, r.stderr)
	}
	if len(e.sb.BoundTo("exppaid1")) != 3 {
		t.Fatal("a refused rollout changed resources")
	}
	r = f.renew(t, "--yes", "--silence-old")
	in = loadInstall(t, "shop.example.com")
	if r.code != 0 || in.Certificate != "renpaid1" || in.Renewing != nil || len(e.sb.BoundTo("renpaid1")) != 3 {
		t.Fatalf("second run: exit %d, current %s\n%s\n%s", r.code, in.Certificate, r.stdout, r.stderr)
	}
	if n := len(e.sb.Submissions()); n != 1 {
		t.Fatalf("%d submissions, want 1", n)
	}
	if !e.sb.NoticesOff("exppaid1") || !strings.Contains(r.stderr, "Nothing uses exppaid1 now: its expiry notices are off") {
		t.Fatalf("renew --silence-old:\n%s", r.stderr)
	}
	if last := lastRollout(t); last.Outcome != profiles.OutcomeReplaced || last.Replaces != "exppaid1" {
		t.Fatalf("history %+v", last)
	}
}

// What the newcomer's walk found: filters that match nothing are refused,
// --regions leaves regionless resources out, list flags forgive spaces and
// case, --record takes no planning flags, a record rolled back says so.
func TestRolloutFiltersAndRecordsAfterTheWalk(t *testing.T) {
	e := rolloutEnv(t, 10*time.Millisecond)
	r := e.exec(t, fastRollout, how{}, "exppaid1", "longlive1", "--regions", "ap-nowhere", "--yes")
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "--regions ap-nowhere: no resource in ap-nowhere serves the certificate (the regions bound: ap-guangzhou, ap-shanghai)") ||
		e.sb.UpdateCalls() != 0 {
		t.Fatalf("unknown region: exit %d\n%s", r.code, r.stderr)
	}
	r = e.exec(t, fastRollout, how{}, "exppaid1", "longlive1", "--types", "waf", "--dry-run", "--json")
	if m := decodeOne(t, r.stdout); r.code != api.ExitRejected || m["DryRun"] != true || !strings.Contains(r.stdout, `"filter-unmatched"`) || !strings.Contains(r.stdout, `"Resources": []`) {
		t.Fatalf("unbound type: exit %d\n%s", r.code, r.stdout)
	}
	// Only Shanghai: the CDN domain (no region) is left out, and said.
	r = e.exec(t, fastRollout, how{}, "exppaid1", "longlive1", "--regions", " AP-Shanghai", "--dry-run")
	if !strings.Contains(r.stdout, "clb\tap-shanghai") || strings.Contains(r.stdout, "cdn\t") || !strings.Contains(r.stderr, "Left out by --types/--regions: cdn shop.example.com") {
		t.Fatalf("--regions: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = e.exec(t, fastRollout, how{}, "exppaid1", "longlive1", "--types", "CDN, clb", "--dry-run")
	if strings.Contains(r.stderr, "not a resource type") {
		t.Fatalf("--types 'CDN, clb': %s", r.stderr)
	}
	if r := e.exec(t, fastRollout, how{}, "--record", "7", "--dry-run"); r.code != api.ExitInput || !strings.Contains(r.stderr, "--record follows a record") {
		t.Fatalf("--record --dry-run: exit %d %s", r.code, r.stderr)
	}

	// A rollback, then its records followed again.
	r = e.exec(t, fastRollout, how{}, sandbox.RolloutPartial, "longlive1", "--yes", "--on-failure", "rollback")
	if r.code != api.ExitRejected {
		t.Fatalf("rollback: exit %d\n%s", r.code, r.stderr)
	}
	var update, back profiles.Record
	for _, h := range historyOf(t) {
		switch {
		case h.Action == api.ActionUpdate && h.Outcome == profiles.OutcomeOK:
			update = h
		case h.Action == api.ActionUpdateRollback && h.Outcome != profiles.OutcomeSending:
			back = h
		}
	}
	if back.Outcome != profiles.OutcomeOK || back.DeployRecord == 0 || back.RollbackOf != update.DeployRecord {
		t.Fatalf("the rollback's request: %+v (update %+v)", back, update)
	}
	r = e.exec(t, fastRollout, how{}, "--record", strconv.FormatUint(update.DeployRecord, 10))
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "was rolled back: testRolloutPartial serves again the 1 resource(s) longlive1 had replaced") ||
		strings.Contains(r.stderr, "--on-failure rollback") {
		t.Fatalf("the update again: exit %d\n%s", r.code, r.stderr)
	}
	r = e.exec(t, fastRollout, how{}, "--record", strconv.FormatUint(back.DeployRecord, 10))
	if r.code != 0 || !strings.Contains(r.stderr, "Rolled back: testRolloutPartial serves again all 1 resource(s) of record") || !strings.Contains(r.stderr, "old certificate back") {
		t.Fatalf("the rollback again: exit %d\n%s", r.code, r.stderr)
	}
}

// --silence-old: OLD's expiry notices go off once nothing uses it, and
// stay on while something does.
func TestRolloutSilenceOld(t *testing.T) {
	e := rolloutEnv(t, 10*time.Millisecond)
	r := e.exec(t, fastRollout, how{}, "exppaid1", "longlive1", "--types", "cdn", "--yes", "--silence-old", "--json")
	if m := decodeOne(t, r.stdout); r.code != 0 || m["NoticesOff"] != nil || !strings.Contains(r.stderr, "exppaid1 still serves 2 resource(s)") || e.sb.NoticesOff("exppaid1") {
		t.Fatalf("still used: exit %d %v\n%s", r.code, m, r.stderr)
	}
	r = e.exec(t, fastRollout, how{}, "expfree1", "longlive1", "--yes", "--silence-old", "--json")
	if m := decodeOne(t, r.stdout); r.code != 0 || m["NoticesOff"] != true || !strings.Contains(r.stderr, "Nothing uses expfree1 now: its expiry notices are off (it was not deleted).") ||
		!e.sb.NoticesOff("expfree1") {
		t.Fatalf("unused: exit %d %v\n%s", r.code, m, r.stderr)
	}
	var notices []profiles.Record
	for _, h := range historyOf(t) {
		if h.Action == api.ActionNotices {
			notices = append(notices, h)
		}
	}
	if len(notices) != 2 || notices[1].Outcome != profiles.OutcomeOK || notices[1].CertificateId != "expfree1" {
		t.Fatalf("history %+v", notices)
	}
	if r := e.exec(t, fastRollout, how{}, "--record", "7", "--silence-old"); r.code != api.ExitInput {
		t.Fatalf("--record --silence-old: exit %d", r.code)
	}
}
