package ui

// "Replace a certificate on Tencent Cloud resources" (issue 21, item 6),
// in the wizard and in accessible mode, against the sandbox on loopback.

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/profiles"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// rolloutFixture is a fixture whose sandbox moves updates on every step
// and whose wizard reads records every 5 ms.
func rolloutFixture(t *testing.T, lang string, step time.Duration) *fixture {
	t.Helper()
	f := newFixture(t, lang)
	f.sb = sandbox.New(sandbox.Options{RolloutStep: step, Rate: 100})
	srv := httptest.NewServer(f.sb)
	t.Cleanup(srv.Close)
	client, err := api.NewClient(api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "sandbox demo key"), api.Config{Endpoint: srv.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	f.opts.Client, f.opts.WatchTencentEvery = client, 5*time.Millisecond
	return f
}

// atRolloutForm starts the wizard at 100×30 and opens the start menu's
// "Replace a certificate…", stopping at OLD and NEW.
func atRolloutForm(t *testing.T, f *fixture) (*teatest.TestModel, func() string) {
	t.Helper()
	m, err := NewWizard(f.opts)
	if err != nil {
		t.Fatal(err)
	}
	tm, screen := live(t, m, 100, 30)
	waitScreen(t, screen, "Replace a certificate")
	press(tm, tea.KeyDown, tea.KeyDown, tea.KeyEnter)
	waitScreen(t, screen, "(OLD)")
	return tm, screen
}

func rolloutHistory(t *testing.T, f *fixture) []profiles.Record {
	t.Helper()
	recs, err := f.hist.Read()
	if err != nil {
		t.Fatal(err)
	}
	var out []profiles.Record
	for _, r := range recs {
		if r.Action == profiles.ActionRollout {
			out = append(out, r)
		}
	}
	return out
}

// From the start screen: OLD and NEW, the plan (each listener covered),
// the question, bars while Tencent replaces, the failure's choice, the
// rollback, its result — in English and Chinese, at 100×30 and 40×12.
func TestWizardRolloutFailsAndRollsBack(t *testing.T) {
	for _, c := range []struct {
		lang       string
		w, h       int
		plan, fail []string
		done       string
	}{
		{api.English, 100, 30, []string{"2 resource(s) serve testRolloutPartial; each would serve longlive1", "lb-part0002/lbl-part0002 (part.example.com) — covered",
			"Live traffic on these 2 resource(s) will be served by longlive1"}, []string{"1 of 2 resource(s) failed", "cannot take the certificate", "Roll back: put testRolloutPartial back on the 1 replaced"}, "Rolled back"},
		{api.Chinese, 100, 30, []string{"2 个资源使用 testRolloutPartial", "已覆盖", "这 2 个资源的线上流量将改由 longlive1 提供"}, []string{"1/2 个资源失败", "该资源无"}, "已回滚"},
		{api.English, 40, 12, []string{"Replace on 2"}, []string{"Roll back"}, "Rolled back"},
		{api.Chinese, 40, 12, []string{"现在在 2 个资源上替换"}, []string{"回滚"}, "已回滚"},
	} {
		t.Run(c.lang+"-"+strings.Repeat("x", c.w/40), func(t *testing.T) {
			f := rolloutFixture(t, c.lang, 20*time.Millisecond)
			m, err := NewWizard(f.opts)
			if err != nil {
				t.Fatal(err)
			}
			tm, screen := live(t, m, c.w, c.h)
			waitScreen(t, screen, "****DEMO")
			press(tm, tea.KeyDown, tea.KeyDown, tea.KeyEnter)
			waitScreen(t, screen, map[string]string{api.English: "(OLD)", api.Chinese: "（OLD）"}[c.lang])
			press(tm, sandbox.RolloutPartial, tea.KeyEnter, "longlive1", tea.KeyEnter)
			s := waitScreen(t, screen, c.plan[len(c.plan)-1])
			for _, want := range c.plan {
				if !strings.Contains(s, want) {
					t.Errorf("the plan lacks %q:\n%s", want, s)
				}
			}
			press(tm, tea.KeyDown, tea.KeyEnter) // "Back" is the default
			s = waitScreen(t, screen, c.fail[0])
			for _, want := range c.fail {
				if !strings.Contains(s, want) {
					t.Errorf("the failure lacks %q:\n%s", want, s)
				}
			}
			press(tm, tea.KeyDown, tea.KeyEnter)
			waitScreen(t, screen, c.done)
			press(tm, tea.KeyEnter)
			got := finalOfQuit(t, tm)
			out, errOut := got.Final()
			if got.ExitCode() != api.ExitRejected || !strings.Contains(out, "testRolloutPartial") || errOut != "" {
				t.Fatalf("exit %d\nstdout %s\nstderr %s", got.ExitCode(), out, errOut)
			}
			if n := len(f.sb.BoundTo(sandbox.RolloutPartial)); n != 2 {
				t.Fatalf("after the rollback testRolloutPartial serves %d listeners", n)
			}
			h := rolloutHistory(t, f)
			if len(h) != 2 || h[0].Outcome != profiles.OutcomeFailed || h[1].Outcome != profiles.OutcomeRolledBack || h[1].RollbackOf != h[0].DeployRecord {
				t.Fatalf("history %+v", h)
			}
		})
	}
}

// A plan NEW does not cover is refused on the plan card, nothing changed;
// one it covers is replaced, exit 0, and the summary says so.
func TestWizardRolloutRefusedThenReplaced(t *testing.T) {
	f := rolloutFixture(t, api.English, 10*time.Millisecond)
	tm, screen := atRolloutForm(t, f)
	// Mistakes first: a space in the ID, then NEW the same as OLD.
	press(tm, "exp paid1", tea.KeyEnter)
	waitScreen(t, screen, "✗")
	press(tm, tea.KeyCtrlU, "exppaid1", tea.KeyEnter, "exppaid1", tea.KeyEnter)
	waitScreen(t, screen, "OLD and NEW are the same")
	press(tm, tea.KeyCtrlU, "longlive1", tea.KeyEnter)
	s := waitScreen(t, screen, "Refused: nothing was changed")
	if !strings.Contains(s, "NOT covered: www.shop.example.com") || !strings.Contains(s, "✗ longlive1 (*.example.com, example.com) does not cover") || strings.Contains(s, "Replace on") {
		t.Fatalf("refused plan:\n%s", s)
	}
	if f.sb.UpdateCalls() != 0 {
		t.Fatal("a refused plan changed something")
	}
	// Back to the answers, as typed: NEW changed to what covers.
	press(tm, tea.KeyEnter)
	waitScreen(t, screen, "(OLD)")
	press(tm, tea.KeyCtrlU, "expfree1", tea.KeyEnter, tea.KeyCtrlU, "longlive1", tea.KeyEnter)
	waitScreen(t, screen, "Replace on 1 resource(s) now")
	press(tm, tea.KeyDown, tea.KeyEnter)
	waitScreen(t, screen, "Replaced on every resource")
	press(tm, tea.KeyEnter)
	got := finalOfQuit(t, tm)
	out, _ := got.Final()
	if got.ExitCode() != 0 || !strings.Contains(out, "Replaced: longlive1 serves all 1 resource(s) in place of expfree1") {
		t.Fatalf("exit %d\n%s", got.ExitCode(), out)
	}
	if h := rolloutHistory(t, f); len(h) != 1 || h[0].Outcome != profiles.OutcomeReplaced {
		t.Fatalf("history %+v", h)
	}
}

// ctrl+c while Tencent replaces: the record goes on, said with the
// command that follows it again; exit 130.
func TestWizardRolloutInterrupted(t *testing.T) {
	f := rolloutFixture(t, api.English, time.Hour)
	tm, screen := atRolloutForm(t, f)
	press(tm, "expfree1", tea.KeyEnter, "longlive1", tea.KeyEnter)
	waitScreen(t, screen, "Replace on 1 resource(s) now")
	press(tm, tea.KeyDown, tea.KeyEnter)
	waitScreen(t, screen, "0/1")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	got := finalOfQuit(t, tm)
	if _, errOut := got.Final(); got.ExitCode() != api.ExitInterrupted || !strings.Contains(errOut, "goes on at Tencent") || !strings.Contains(errOut, "rollout --record 1001") {
		t.Fatalf("exit %d: %q", got.ExitCode(), errOut)
	}
}

// ctrl+c at the question changes nothing, and says so.
func TestWizardRolloutQuestionInterrupted(t *testing.T) {
	f := rolloutFixture(t, api.English, time.Hour)
	tm, screen := atRolloutForm(t, f)
	press(tm, "", tea.KeyEnter)
	waitScreen(t, screen, "is missing: type the certificate's ID")
	press(tm, "exp free1", tea.KeyEnter)
	waitScreen(t, screen, `"exp free1" is not a certificate ID`)
	press(tm, tea.KeyCtrlU, "expfree1", tea.KeyEnter, "longlive1", tea.KeyEnter)
	waitScreen(t, screen, "Replace on 1 resource(s) now")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	got := finalOfQuit(t, tm)
	if _, errOut := got.Final(); got.ExitCode() != api.ExitInterrupted || errOut != "Not replaced: nothing was changed.\n" || f.sb.UpdateCalls() != 0 {
		t.Fatalf("exit %d: %q", got.ExitCode(), errOut)
	}
}

// Accessible mode walks the same road as prompts.
func TestAccessibleRollout(t *testing.T) {
	f := rolloutFixture(t, api.English, 10*time.Millisecond)
	var out strings.Builder
	code, err := RunAccessible(t.Context(), f.opts, strings.NewReader("3\ntestRolloutPartial\nlonglive1\ny\n2\n"), &out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"== Replace on Tencent Cloud resources ==", "2 resource(s) serve testRolloutPartial", "— covered",
		"clb ap-guangzhou lb-part0002/lbl-part0002 (part.example.com): failed", "1 of 2 resource(s) failed", "Rolled back (record ", "testRolloutPartial back"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("the prompts lack %q:\n%s", want, out.String())
		}
	}
	if code != api.ExitRejected || len(f.sb.BoundTo(sandbox.RolloutPartial)) != 2 {
		t.Fatalf("exit %d\n%s", code, out.String())
	}
	// A refused plan: exit 3, nothing changed.
	out.Reset()
	updates := f.sb.UpdateCalls()
	code, _ = RunAccessible(t.Context(), f.opts, strings.NewReader("3\nexppaid1\nlonglive1\n"), &out)
	if code != api.ExitRejected || !strings.Contains(out.String(), "does not cover www.shop.example.com") || f.sb.UpdateCalls() != updates {
		t.Fatalf("refused: exit %d, %d updates\n%s", code, f.sb.UpdateCalls(), out.String())
	}
}

// After "Install here": the offer replaces an older certificate with the
// one installed, then offers to do so at every renewal (rollout: true).
func TestWizardRolloutAfterInstall(t *testing.T) {
	f, _ := validatingFixture(t, api.English, true)
	base := t.TempDir()
	t.Chdir(base)
	tm, screen := atFinalCard(t, f, "longlive1", &host{home: base, lookPath: onPath()}, 100, 30)
	press(tm, tea.KeyEnter) // the offer
	waitScreen(t, screen, "Folder")
	dir := filepath.Join(base, "srv", "wild")
	press(tm, tea.KeyCtrlU, dir, tea.KeyEnter, tea.KeyCtrlU, tea.KeyEnter, tea.KeyCtrlU, tea.KeyEnter, tea.KeyEnter)
	waitScreen(t, screen, "Install now")
	press(tm, tea.KeyEnter)
	waitScreen(t, screen, "Also replace an older certificate")
	press(tm, tea.KeyDown, tea.KeyEnter)
	s := waitScreen(t, screen, "(NEW)")
	if !strings.Contains(s, "> longlive1") {
		t.Fatalf("NEW is not the certificate installed:\n%s", s)
	}
	press(tm, "expfree1", tea.KeyEnter, tea.KeyEnter)
	waitScreen(t, screen, "1 resource(s) serve expfree1; each would serve longlive1")
	press(tm, tea.KeyDown, tea.KeyEnter)
	deadline := time.Now().Add(20 * time.Second) // the fixture's sandbox moves updates every 2 s
	for !strings.Contains(screen(), "Do this at every renewal of wildcard.example.com") {
		if time.Now().After(deadline) {
			t.Fatalf("never replaced:\n%s", screen())
		}
	}
	press(tm, tea.KeyDown, tea.KeyEnter)
	got := finalOfQuit(t, tm)
	out, _ := got.Final()
	for _, want := range []string{"Installation: wildcard.example.com", "Replaced: longlive1 serves all 1 resource(s) in place of expfree1", "Saved rollout: true in "} {
		if !strings.Contains(out, want) {
			t.Fatalf("stdout lacks %q:\n%s", want, out)
		}
	}
	if in := loadInstallation(t, f, "wildcard.example.com"); !in.Rollout || in.Certificate != "longlive1" {
		t.Fatalf("installation %+v", in)
	}
}
