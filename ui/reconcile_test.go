package ui

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/profiles"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// unreadableAfterCommit carries every request, but once a commit has
// left, the certificate can no longer be read: what became of a commit
// whose answer was lost is unknown.
type unreadableAfterCommit struct{ committed atomic.Bool }

func (u *unreadableAfterCommit) RoundTrip(r *http.Request) (*http.Response, error) {
	switch r.Header.Get("X-TC-Action") {
	case sandbox.ActionCommit:
		u.committed.Store(true)
	case sandbox.ActionDetail:
		if u.committed.Load() {
			return nil, errors.New("refused by the test")
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// paneText is the screen's text right of the sidebar, out of any card's
// border, its wrapped lines joined by spaces: what the user reads.
func paneText(screen string) string {
	var words []string
	for _, line := range strings.Split(screen, "\n") {
		_, right, ok := strings.Cut(line, "│")
		if !ok {
			continue
		}
		words = append(words, strings.Fields(strings.Trim(right, " │╭╮╰╯─"))...)
	}
	return strings.Join(words, " ")
}

// sendToCA opens the wizard on a saved draft of certificate id and walks
// it from review through the result card to the commit (Submit, Send to
// the CA now, Yes).
func (f *fixture) sendToCA(t *testing.T, id string) (*teatest.TestModel, func() string) {
	t.Helper()
	r := example(t)
	r.CertificateId = id
	tm, screen := live(t, f.wizardWith(t, r), 100, 30)
	waitFor(t, tm, "Submit")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Information stored")
	press(tm, tea.KeyEnter, tea.KeyDown, tea.KeyEnter)
	return tm, screen
}

// unreadableAfterCommit gives the fixture a client through which the
// certificate cannot be read once a commit has left.
func (f *fixture) unreadableAfterCommit(t *testing.T) {
	t.Helper()
	creds := api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "sandbox demo key")
	client, err := api.NewClient(creds, api.Config{Endpoint: f.opts.Client.Endpoint().String(), Timeout: 5 * time.Second, Transport: &unreadableAfterCommit{}})
	if err != nil {
		t.Fatal(err)
	}
	f.opts.Client = client
}

// commitOutcomes are the history's commit outcomes of id, and whether a
// commit intent has none.
func commitOutcomes(t *testing.T, h *profiles.History, id string) ([]string, bool) {
	t.Helper()
	recs, err := h.Read()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	open := false
	for _, r := range profiles.Unresolved(recs) {
		open = open || r.CertificateId == id && r.Action == api.ActionCommit
	}
	for _, r := range outcomes(t, h) {
		if r.CertificateId == id && r.Action == api.ActionCommit {
			got = append(got, r.Outcome)
		}
	}
	return got, open
}

// The wizard's commit whose answer was lost after it went through is
// confirmed by reading the certificate, as `certwiz commit` does: on to
// validation, said so, COMMIT:OK in the history, one commit sent.
func TestWizardCommitLostAnswerIsConfirmed(t *testing.T) {
	f := newFixture(t, api.English)
	tm, screen := f.sendToCA(t, "testCommitLost")
	waitFor(t, tm, "confirmed after the answer")
	if s := paneText(screen()); !strings.Contains(s, "✓ With the CA (confirmed after the answer was lost: the certificate, read again, is with the CA) Domain validation") ||
		strings.Contains(s, "failed") || strings.Contains(s, "Retry") {
		t.Fatalf("screen:\n%s", s)
	}
	got := finalOf(t, tm)
	if n := len(f.sb.Calls(sandbox.ActionCommit)); n != 1 {
		t.Fatalf("%d commit requests", n)
	}
	if out, open := commitOutcomes(t, f.hist, "testCommitLost"); len(out) != 1 || out[0] != "COMMIT:OK" || open {
		t.Fatalf("history %v, open intent %v", out, open)
	}
	if code := got.ExitCode(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// A commit that did not happen (HTTP 500, the certificate still awaits
// information) says so before anything else, offers Retry first, and
// Retry sends the commit again.
func TestWizardCommitLostAnswerDidNotHappen(t *testing.T) {
	f := newFixture(t, api.English)
	tm, screen := f.sendToCA(t, "testCommitHTTP500")
	waitFor(t, tm, "did not happen")
	s := paneText(screen())
	finding := strings.Index(s, "The answer was lost; reading certificate testCommitHTTP500 shows the commit did not happen (it still awaits information, status 5). Retry sends it again.")
	if finding < 0 || finding > strings.Index(s, "What to do") || !strings.Contains(s, "┃ > Retry") {
		t.Fatalf("screen:\n%s", s)
	}
	press(tm, tea.KeyEnter) // Retry
	waitFor(t, tm, "Attempt 2")
	if n := len(f.sb.Calls(sandbox.ActionCommit)); n != 2 {
		t.Fatalf("%d commit requests, want 2 (Retry sent it again)", n)
	}
	press(tm, tea.KeyCtrlC)
	got := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(recorder).Wizard
	if out, open := commitOutcomes(t, f.hist, "testCommitHTTP500"); len(out) != 2 || out[0] != "COMMIT:"+api.CodeHTTPStatus || open {
		t.Fatalf("history %v, open intent %v", out, open)
	}
	if _, msg := got.Final(); !strings.Contains(msg, "When ready: certwiz commit testCommitHTTP500") || !strings.Contains(msg, "Not sent to the CA: "+api.CodeHTTPStatus) || !strings.Contains(msg, "the commit did not happen") {
		t.Fatalf("exit message %q", msg)
	}
}

// A commit whose certificate cannot be read after its answer was lost is
// unknown: the status command, no Retry, back leads to review (never to
// the card that sends it), the intent stays open, and leaving says so —
// never with the command that commits it.
func TestWizardCommitLostAnswerUnknown(t *testing.T) {
	f := newFixture(t, api.English)
	f.opts.Resume = []string{"certwiz", "--sandbox"}
	f.unreadableAfterCommit(t)
	tm, screen := f.sendToCA(t, "testCommitLost")
	waitFor(t, tm, "unknown")
	s := screen()
	if !strings.Contains(s, "`certwiz --sandbox status testCommitLost`") || // whole on one line
		!strings.Contains(paneText(s), "The answer was lost and the certificate could not be read: whether it arrived is unknown — check with `certwiz --sandbox status testCommitLost` before sending it again") ||
		strings.Contains(s, "Retry") || !strings.Contains(s, "Back to review") {
		t.Fatalf("screen:\n%s", s)
	}
	for !strings.Contains(screen(), "> Save and quit") {
		press(tm, tea.KeyDown)
	}
	press(tm, tea.KeyEnter)
	got := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(recorder).Wizard
	if n := len(f.sb.Calls(sandbox.ActionCommit)); n != 1 {
		t.Fatalf("%d commit requests", n)
	}
	if out, open := commitOutcomes(t, f.hist, "testCommitLost"); len(out) != 0 || !open {
		t.Fatalf("history %v, open intent %v: want the intent alone", out, open)
	}
	_, msg := got.Final()
	if got.ExitCode() != api.ExitTransport || !strings.Contains(msg, "unknown — check with `certwiz --sandbox status testCommitLost`") || strings.Contains(msg, "commit testCommitLost") {
		t.Fatalf("exit %d, message %q", got.ExitCode(), msg)
	}
}

// Accessible mode takes the same road: confirmed, said so, and on to
// validation; a commit that did not happen asks again; one unknown ends
// with the status command and is not offered again.
func TestAccessibleCommitLostAnswer(t *testing.T) {
	run := func(f *fixture, id string, answers ...string) (int, string) {
		t.Helper()
		in := append(accessibleWalk(id), answers...)
		var out bytes.Buffer
		code, err := RunAccessible(t.Context(), f.opts, strings.NewReader(strings.Join(in, "\n")+"\n"), &out)
		if err != nil {
			t.Fatalf("%s: %v\n%s", id, err, out.String())
		}
		return code, out.String()
	}
	f := newFixture(t, api.English)
	code, text := run(f, "testCommitLost", "1", "y", "q")
	if i := strings.Index(text, "With the CA\n(confirmed after the answer was lost: the certificate, read again, is with the CA)\nCA order: "); code != 0 || i < 0 || strings.Contains(text, "did not happen") {
		t.Fatalf("confirmed: code %d\n%s", code, text)
	}
	f = newFixture(t, api.English)
	code, text = run(f, "testCommitHTTP500", "1", "y", "y", "")
	if n := len(f.sb.Calls(sandbox.ActionCommit)); code != 0 || n != 2 || strings.Count(text, "shows the commit did not happen (it still awaits information, status 5). Retry sends it again.") != 2 ||
		strings.Count(text, "Send certificate testCommitHTTP500") != 3 {
		t.Fatalf("did not happen: code %d, %d commits\n%s", code, n, text)
	}
	f = newFixture(t, api.English)
	f.unreadableAfterCommit(t)
	code, text = run(f, "testCommitLost", "1", "y", "y")
	if n := len(f.sb.Calls(sandbox.ActionCommit)); code != api.ExitTransport || n != 1 || !strings.Contains(text, "whether it arrived is unknown — check with `certwiz status testCommitLost`") ||
		strings.Count(text, "Send certificate testCommitLost") != 1 {
		t.Fatalf("unknown: code %d, %d commits\n%s", code, n, text)
	}
}
