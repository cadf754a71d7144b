package rollout_test

// The plan and the runner against the sandbox over loopback.

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/rollout"
	"github.com/certwiz/certwiz/api/sandbox"
)

type env struct {
	sb     *sandbox.Server
	client *api.Client
	calls  map[string]*atomic.Int64
}

// start runs a sandbox whose update steps last step (pending, then running).
func start(t *testing.T, step time.Duration) *env {
	t.Helper()
	sb := sandbox.New(sandbox.Options{RolloutStep: step})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	c, err := api.NewClient(api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "test"), api.Config{Endpoint: srv.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &env{sb: sb, client: c}
}

func (e *env) runner() *rollout.Runner {
	return &rollout.Runner{Client: e.client, Interval: 5 * time.Millisecond, Pause: time.Millisecond, Deadline: time.Now().Add(20 * time.Second)}
}

func plan(t *testing.T, e *env, old, new string, f rollout.Filter) rollout.Plan {
	t.Helper()
	p, err := rollout.MakePlan(t.Context(), e.client, old, new, f, time.Millisecond, time.Now().Add(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanRefusesANameNewDoesNotCover(t *testing.T) {
	e := start(t, -1)
	p := plan(t, e, "exppaid1", "longlive1", rollout.Filter{})
	if len(p.Targets) != 3 || p.OK() {
		t.Fatalf("plan %+v", p)
	}
	var codes []string
	for _, r := range p.Refusals {
		codes = append(codes, r.Code)
	}
	// *.example.com covers shop.example.com, not www.shop.example.com (one label only).
	if !slices.Equal(codes, []string{rollout.RefuseNotCovered, rollout.RefuseNotCovered}) ||
		!strings.Contains(p.Refusals[0].Text.EN, "does not cover www.shop.example.com") {
		t.Fatalf("refusals %+v", p.Refusals)
	}
	if got := p.Targets[2].Uncovered; got != nil {
		t.Fatalf("the CDN domain shop.example.com is covered: %v", got)
	}
	if e.sb.UpdateCalls() != 0 {
		t.Fatal("a plan changed something")
	}
	// Only CDN: covered, but longlive1 still may not replace what it does not cover elsewhere — the filter leaves the CLBs out.
	p = plan(t, e, "exppaid1", "longlive1", rollout.Filter{Types: []string{"cdn"}})
	if !p.OK() || len(p.Targets) != 1 || len(p.Skipped) != 2 {
		t.Fatalf("cdn only: %+v", p)
	}
	req := p.Request()
	if !slices.Equal(req.Types, []string{"cdn"}) || len(req.Regions) != 0 {
		t.Fatalf("request %+v", req)
	}
}

func TestPlanRefusesNotIssuedAndExpiringFirst(t *testing.T) {
	e := start(t, -1)
	// renpaid1 awaits information: not issued.
	p := plan(t, e, "exppaid1", "renpaid1", rollout.Filter{})
	if p.OK() || p.Refusals[0].Code != rollout.RefuseNotIssued {
		t.Fatalf("renpaid1: %+v", p.Refusals)
	}
	// expfree1 (10 days) would replace longlive1 (300 days) where it serves: it expires first.
	p = plan(t, e, "testRolloutPartial", "expfree1", rollout.Filter{})
	var codes []string
	for _, r := range p.Refusals {
		codes = append(codes, r.Code)
	}
	if !slices.Contains(codes, rollout.RefuseExpiresFirst) {
		t.Fatalf("expires first: %v", codes)
	}
}

func TestRunnerReplacesFollowsAndRollsBack(t *testing.T) {
	e := start(t, 300*time.Millisecond)
	p := plan(t, e, sandbox.RolloutPartial, "longlive1", rollout.Filter{})
	if !p.OK() || len(p.Targets) != 2 {
		t.Fatalf("plan %+v", p)
	}
	r := e.runner()
	var seen []int
	r.Seen = func(rec api.UpdateRecord) { seen = append(seen, rec.Running+rec.Pending) }
	st, err := r.Start(t.Context(), p.Request())
	if err != nil || st.RecordID == 0 || !st.Created {
		t.Fatalf("start %+v %v", st, err)
	}
	// The sandbox answered 0 ("still creating") once, then the record.
	if n := len(e.sb.Calls(sandbox.ActionUpdate)); n != 2 {
		t.Fatalf("%d update calls", n)
	}
	rec, err := r.Follow(t.Context(), st.RecordID, p.Old.CertificateId, p.New.CertificateId)
	if err != nil || !rec.Done() || rec.Success != 1 || rec.Failed != 1 || len(seen) < 2 || seen[0] == 0 {
		t.Fatalf("follow %+v %v (seen %v)", rec, err, seen)
	}
	failed := rec.Resources[slices.IndexFunc(rec.Resources, func(r api.UpdatedResource) bool { return r.Status == api.UpdateFailed })]
	if w, known := rollout.Why(failed); !known || !strings.Contains(w.EN, "cannot take the certificate") || failed.Listener != "lbl-part0002" {
		t.Fatalf("why %v %v %+v", w, known, failed)
	}
	if got := e.sb.BoundTo("longlive1"); len(got) != 1 || got[0].ListenerID != "lbl-part0001" {
		t.Fatalf("longlive1 on %+v", got)
	}
	back, err := r.Rollback(t.Context(), rec)
	if err != nil || !back.Done() || back.Success != 1 || back.From != "longlive1" || back.To != sandbox.RolloutPartial {
		t.Fatalf("rollback %+v %v", back, err)
	}
	if got := e.sb.BoundTo(sandbox.RolloutPartial); len(got) != 2 {
		t.Fatalf("after the rollback %s is on %d resources", sandbox.RolloutPartial, len(got))
	}
	// A record followed again without knowing its certificates learns them.
	again, err := r.Follow(t.Context(), st.RecordID, "", "")
	if err != nil || again.From != sandbox.RolloutPartial || again.To != "longlive1" {
		t.Fatalf("again %+v %v", again, err)
	}
}

func TestRunnerRetriesABusyListenerByItself(t *testing.T) {
	e := start(t, 5*time.Millisecond)
	p := plan(t, e, sandbox.RolloutBusy, "longlive1", rollout.Filter{})
	r := e.runner()
	st, err := r.Start(t.Context(), p.Request())
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.Follow(t.Context(), st.RecordID, p.Old.CertificateId, p.New.CertificateId)
	if err != nil || rec.Failed != 1 || !rollout.Busy(rec.Resources[0]) {
		t.Fatalf("first %+v %v", rec, err)
	}
	rec, err = r.RetryBusy(t.Context(), rec)
	if err != nil || rec.Success != 1 || rec.Failed != 0 {
		t.Fatalf("after the busy retry %+v %v", rec, err)
	}
	if n := len(e.sb.Calls(sandbox.ActionUpdateRetry)); n != 1 {
		t.Fatalf("%d retries", n)
	}
}

func TestRunnerStillRunningAndInterrupted(t *testing.T) {
	e := start(t, time.Hour)
	p := plan(t, e, "expfree1", "longlive1", rollout.Filter{})
	r := e.runner()
	st, err := r.Start(t.Context(), p.Request())
	if err != nil {
		t.Fatal(err)
	}
	r.Deadline = time.Now().Add(30 * time.Millisecond)
	rec, err := r.Follow(t.Context(), st.RecordID, "expfree1", "longlive1")
	if !errors.Is(err, rollout.ErrStillRunning) || rec.Pending != 1 {
		t.Fatalf("max wait: %+v %v", rec, err)
	}
	// A second update of the same OLD while one runs: its record, not a new one.
	again, err := r.Start(t.Context(), p.Request())
	if err != nil || again.Created || again.RecordID != st.RecordID {
		t.Fatalf("second start %+v %v", again, err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	r.Deadline = time.Now().Add(time.Hour)
	r.Seen = func(api.UpdateRecord) { cancel() }
	if _, err := r.Follow(ctx, st.RecordID, "expfree1", "longlive1"); !errors.Is(err, context.Canceled) {
		t.Fatalf("ctrl+c: %v", err)
	}
}

// An answer about another record's certificates is refused.
func TestFollowRefusesAnotherCertificate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"Response":{"TotalCount":1,"RecordDetailList":[{"ResourceType":"cdn","List":[{"Id":1,"CertId":"evil0001","OldCertId":"expfree1","Status":1,"Domains":["x"]}]}],"RequestId":"r"}}`))
	}))
	defer srv.Close()
	c, err := api.NewClient(api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "test"), api.Config{Endpoint: srv.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := &rollout.Runner{Client: c, Deadline: time.Now().Add(time.Second)}
	_, err = r.Follow(t.Context(), 7, "expfree1", "longlive1")
	var e *api.Error
	if !errors.As(err, &e) || e.Code != api.CodeMalformed {
		t.Fatalf("another certificate: %v", err)
	}
}
