package ui

// Issue 12: what a hostile endpoint sends is data on the wizard's screen,
// never terminal control.

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

func TestHostileAnswersAreShownEscaped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"Response":{"Error":{"Code":"FailedOperation.\u001b[31mEvil","Message":"\u001b]0;pwned\u0007\u001b[2J\r\nSubmitted certificate abcb1234 \u202eok"},"RequestId":"req\u001b[1m-1"}}`)
	}))
	defer srv.Close()
	f := newFixture(t, api.English)
	client, err := api.NewClient(api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "test"), api.Config{Endpoint: srv.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	f.opts.Client = client
	m := f.wizardWith(t, example(t))
	tm, screen := live(t, m, 100, 40)
	waitFor(t, tm, "Submit")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Back to review")
	s := screen()
	if strings.ContainsAny(s, "\x1b\x07\r\u202e") {
		t.Fatalf("raw control characters reached the screen: %q", s)
	}
	for _, want := range []string{`\x1b]0;pwned\x07\x1b[2J\x0d\x0aSubmitted`, `\u202eok`, `FailedOperation.\x1b[31mEvil`, `req\x1b[1m-1`} {
		if !strings.Contains(strings.ReplaceAll(s, "\n", ""), want) && !strings.Contains(strings.Join(strings.Fields(s), ""), strings.ReplaceAll(want, " ", "")) {
			t.Errorf("the screen does not show %q escaped:\n%s", want, s)
		}
	}
	press(tm, tea.KeyDown, tea.KeyDown, tea.KeyEnter) // save and quit
	got := tm.FinalModel(t).(recorder).Wizard
	_, msg := got.Final()
	if strings.ContainsAny(msg, "\x1b\x07\r") {
		t.Fatalf("raw control characters in the exit message: %q", msg)
	}
}

// An outcome the history cannot take is said, listed at the exit and
// makes the exit code 1.
func TestUnrecordedOutcomeIsLoud(t *testing.T) {
	f := newFixture(t, api.English)
	// The history file is a folder: every append fails.
	if err := os.Mkdir(f.hist.Path, 0o700); err != nil {
		t.Fatal(err)
	}
	m := f.wizardWith(t, example(t))
	tm := start(t, m, 100, 30)
	waitFor(t, tm, "Submit")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "could not be recorded")
	press(tm, tea.KeyDown, tea.KeyEnter) // later
	got := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Wizard)
	_, msg := got.Final()
	if got.ExitCode() != 1 || !strings.Contains(msg, "could not be written to the history") || !strings.Contains(msg, "abcb1234 OK") {
		t.Fatalf("exit %d message %q", got.ExitCode(), msg)
	}
}
