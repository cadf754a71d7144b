package ui

// What a newcomer met on the start screen and in the step forms, walked
// as they walked it.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	tea "github.com/charmbracelet/bubbletea"
)

// 11. The start screen names each profile once, then asks what to do with
// it; its filter line speaks of profiles, not of countries.
func TestStartScreenGroupsProfiles(t *testing.T) {
	f := newFixture(t, api.English)
	for i := range 8 {
		f.store.Save(profiles.Profile{Name: fmt.Sprintf("acme%d", i), Params: example(t)})
	}
	m, _ := NewWizard(f.opts)
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "acme0")
	s := screen()
	if strings.Contains(s, "a code or a name") || !strings.Contains(s, "Type to filter by profile name") {
		t.Fatalf("the filter line is not the start screen's:\n%s", s)
	}
	if n := strings.Count(s, "acme3"); n != 1 {
		t.Fatalf("acme3 is listed %d times:\n%s", n, s)
	}
	press(tm, "acme3", tea.KeyEnter)
	waitFor(t, tm, "What to do with acme3?")
	s = screen()
	if !strings.Contains(s, "> Continue acme3") || !strings.Contains(s, "Start from acme3 (reuse") {
		t.Fatalf("the choice for the profile:\n%s", s)
	}
	press(tm, tea.KeyEsc)
	waitFor(t, tm, "acme7")
	press(tm, "acme3", tea.KeyEnter, tea.KeyDown, tea.KeyEnter)
	waitFor(t, tm, "Which certificate?")
	got := finalOf(t, tm)
	if r := got.s.d.request(); r.CertificateId != "" || r.OrganizationName != "Example Technology Co., Ltd." {
		t.Fatalf("template draft %+v", r)
	}
}

// 26. Going back from step 1 to the start screen leaves the draft's
// sidebar behind.
func TestStartScreenHasNoSidebar(t *testing.T) {
	f := newFixture(t, api.English)
	f.store.Save(profiles.Profile{Name: "acme", Params: api.Request{CertificateId: "abcb1234", CertificateDomain: "www.example.com"}})
	m, _ := NewWizard(f.opts)
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "acme")
	press(tm, tea.KeyDown, tea.KeyEnter, tea.KeyEnter) // acme, continue
	waitFor(t, tm, "CSR mode")
	press(tm, tea.KeyEsc)
	waitFor(t, tm, "Which certificate?")
	press(tm, tea.KeyEsc)
	waitFor(t, tm, "New submission")
	if s := screen(); strings.Contains(s, "8 Review") || strings.Contains(s, "2 CSR") {
		t.Fatalf("the start screen shows a draft's sidebar:\n%s", s)
	}
	finalOf(t, tm)
}

// 21. "generate here" is a decision: the sidebar marks the CSR step done
// before the key is made at review.
func TestGenerateHereMarksTheCSRDone(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, api.Request{CertificateId: "abcb1234"})
	m.s.d.csrMode = modeGenerate
	m.width, m.height = 100, 30
	m.open(newStep(m.s, m.s.stepIndex(api.StepDomains), false))
	if v := m.View(); !strings.Contains(v, "✓ 2 CSR") {
		t.Fatalf("the CSR step is not marked done:\n%s", v)
	}
	if ps := m.s.problems().For("CsrContent"); len(ps) != 0 {
		t.Fatalf("problems %v", ps)
	}
}
