package rollout_test

// A first deployment's plan and run against the sandbox over loopback.

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/rollout"
	"github.com/certwiz/certwiz/api/sandbox"
)

func targets(t *testing.T, region string, spec ...string) []api.DeployTarget {
	t.Helper()
	var out []api.DeployTarget
	for _, s := range spec {
		typ, entry, _ := strings.Cut(s, ":")
		tg, ps := api.ParseDeployTarget(typ, entry, region)
		if ps != nil {
			t.Fatalf("%s: %v", s, ps)
		}
		out = append(out, tg)
	}
	return out
}

func deployPlan(t *testing.T, e *env, id string, tg []api.DeployTarget) rollout.DeployPlan {
	t.Helper()
	p, err := rollout.MakeDeployPlan(t.Context(), e.client, id, tg, time.Millisecond, time.Now().Add(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDeployPlanSkipsHeldAndRefusesUncovered(t *testing.T) {
	e := start(t, -1)
	// free.example.com serves expfree1 already; new.example.com is not its name.
	p := deployPlan(t, e, "expfree1", targets(t, "", "cdn:free.example.com|off", "cdn:new.example.com|off"))
	if len(p.Held) != 1 || p.Held[0].Entry != "free.example.com|off" || len(p.Targets) != 1 || p.OK() {
		t.Fatalf("plan %+v", p)
	}
	if len(p.Refusals) != 1 || p.Refusals[0].Code != rollout.RefuseNotCovered || !strings.Contains(p.Refusals[0].Text.EN, "does not cover new.example.com, which the cdn target new.example.com|off names") {
		t.Fatalf("refusals %+v", p.Refusals)
	}
	// Not issued.
	if p := deployPlan(t, e, "renpaid1", targets(t, "", "cdn:shop.example.com|off")); len(p.Refusals) != 1 || p.Refusals[0].Code != rollout.RefuseNotIssued {
		t.Fatalf("renpaid1 %+v", p.Refusals)
	}
	// One request per type, in the order the types come.
	p = deployPlan(t, e, "longlive1", targets(t, "ap-guangzhou", "cdn:new.example.com|off", "clb:lb-new00001|lbl-new00001", "clb:lb-new00001|lbl-new00002|new.example.com"))
	reqs := p.Requests()
	if !p.OK() || len(reqs) != 2 || reqs[0].ResourceType != "cdn" || reqs[0].Region != "" ||
		reqs[1].Region != "ap-guangzhou" || !slices.Equal(reqs[1].InstanceIdList, []string{"lb-new00001|lbl-new00001", "lb-new00001|lbl-new00002|new.example.com"}) {
		t.Fatalf("requests %+v", reqs)
	}
}

func TestRunnerDeploysFollowsAndRollsBack(t *testing.T) {
	e := start(t, 5*time.Millisecond)
	p := deployPlan(t, e, "longlive1", targets(t, "ap-guangzhou", "clb:lb-new00001|lbl-new00001", "clb:"+sandbox.FailTarget+"|lbl-fail0001"))
	r := e.runner()
	r.Kind = rollout.Kind{Deploy: true, Type: "clb"}
	st, err := r.StartDeploy(t.Context(), p.Requests()[0])
	if err != nil || st.RecordID == 0 || !st.Created {
		t.Fatalf("start %+v %v", st, err)
	}
	rec, err := r.Follow(t.Context(), st.RecordID, "", "longlive1")
	if err != nil || !rec.Done() || rec.Success != 1 || rec.Failed != 1 || rec.Resources[0].Type != "clb" {
		t.Fatalf("follow %+v %v", rec, err)
	}
	if rec, err = r.Retry(t.Context(), rec); err != nil || rec.Failed != 1 || len(e.sb.Calls(sandbox.ActionDeployRetry)) != rollout.MaxRetries {
		t.Fatalf("retry %+v %v", rec, err)
	}
	if got := e.sb.BoundTo("longlive1"); len(got) != 1 || got[0].ListenerID != "lbl-new00001" {
		t.Fatalf("longlive1 on %+v", got)
	}
	back, err := r.Rollback(t.Context(), rec)
	if err != nil || !back.Done() || back.Success != 1 || back.From != "longlive1" || back.To != "" {
		t.Fatalf("rollback %+v %v", back, err)
	}
	if got := e.sb.BoundTo("longlive1"); len(got) != 0 {
		t.Fatalf("after the rollback longlive1 is on %+v", got)
	}
	if n := len(e.sb.Calls(sandbox.ActionDeployRollback)); n != 1 || len(e.sb.Calls(sandbox.ActionUpdateRollback)) != 0 {
		t.Fatalf("%d deployment rollbacks", n)
	}
	k := rollout.Kind{Deploy: true}
	if k.Word(api.UpdateSuccess).EN != "deployed" || (rollout.Kind{Deploy: true, Undo: true}).Word(api.UpdateSuccess).EN != "restored" || (rollout.Kind{}).Word(api.UpdateSuccess).EN != "replaced" {
		t.Fatal("words")
	}
}
