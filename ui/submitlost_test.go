package ui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	tea "github.com/charmbracelet/bubbletea"
)

// Issue 19, item 7: a submission whose answer was lost is read back before
// anything is said; when the certificate holds it, it went through: said
// so, no second submission, no error card.
func TestAccessibleSubmitLostAnswerIsConfirmed(t *testing.T) {
	f := newFixture(t, api.English)
	in := append(accessibleWalk("testSubmitLost"), "1", "n", "q")
	var out bytes.Buffer
	code, err := RunAccessible(t.Context(), f.opts, strings.NewReader(strings.Join(in, "\n")+"\n"), &out)
	text := out.String()
	if err != nil || code != 0 || !strings.Contains(text, "(confirmed after the answer was lost: the certificate, read again, holds the information as sent)") ||
		strings.Contains(text, "Retry") {
		t.Fatalf("code %d err %v\n%s", code, err, text)
	}
	if n := len(f.sb.Calls(sandbox.ActionSubmit)); n != 1 {
		t.Fatalf("%d submissions, want 1", n)
	}
}

// The same in the wizard: the result card, not the error card, with the
// confirmation said.
func TestWizardSubmitLostAnswerIsConfirmed(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	r.CertificateId = "testSubmitLost"
	tm, screen := live(t, f.wizardWith(t, r), 100, 30)
	waitFor(t, tm, "Submit")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Information stored")
	if s := paneText(screen()); !strings.Contains(s, "confirmed after the answer was lost") || strings.Contains(s, "Retry") {
		t.Fatalf("screen:\n%s", s)
	}
	if n := len(f.sb.Calls(sandbox.ActionSubmit)); n != 1 {
		t.Fatalf("%d submissions, want 1", n)
	}
}
