package ui

// What a newcomer met on the start screen and in the step forms, walked
// as they walked it.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
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

// 12. A list laid out in a small window takes the room a larger one gives.
func TestPickersGrowWithTheWindow(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, example(t))
	m.open(newStep(m.s, m.s.stepIndex(api.StepVerification), false))
	tm, screen := live(t, m, 40, 12)
	if s := screen(); !strings.Contains(s, "more") {
		t.Fatalf("at 40×12 the list should scroll:\n%s", s)
	}
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	s := screen()
	if strings.Contains(s, "more") || !strings.Contains(s, "DNS_AUTO") || !strings.Contains(s, "FILE") {
		t.Fatalf("after growing to 80×24 the list still scrolls:\n%s", s)
	}
	finalOf(t, tm)

	// The country list: a cursor far down the list keeps its six rows.
	v := "CN"
	var opts []pickOption
	for _, c := range api.Countries {
		opts = append(opts, pickOption{c.Label(), c.Code})
	}
	p := newPicker(api.English, "c", "Country", opts, func() string { return v }, func(s string) { v = s }, "")
	p.filterable, p.rows = true, 6
	p.WithHeight(5)
	p.WithHeight(0)
	if n := strings.Count(p.View(), " — "); n != 6 {
		t.Fatalf("%d countries shown after the field grew:\n%s", n, p.View())
	}
}

// 6. The validation method is the user's choice: nothing is preselected,
// and Enter alone asks for an arrow first.
func TestVerificationHasNoPreselectedMethod(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	r.VerifyType = ""
	m := f.wizardWith(t, r)
	m.open(newStep(m.s, m.s.stepIndex(api.StepVerification), false))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "Domain validation")
	if s := screen(); strings.Contains(s, "> DNS") {
		t.Fatalf("a method is preselected:\n%s", s)
	}
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "choose one with ↑/↓")
	if _, ok := m.cur.(*stepScreen); !ok || m.s.d.req.VerifyType != "" {
		t.Fatalf("Enter alone chose %q (screen %T)", m.s.d.req.VerifyType, m.cur)
	}
	press(tm, tea.KeyDown, tea.KeyDown, tea.KeyEnter)
	waitFor(t, tm, "Export as JSON")
	if got := finalOf(t, tm).s.d.req.VerifyType; got != "DNS" {
		t.Fatalf("chose %q, want DNS", got)
	}
}

// 6. Review does not offer Submit first while a step holds only defaults
// the user never saw (the contact taken to be the administrator).
func TestReviewDefaultsToEditWhileAStepIsUnseen(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	for _, p := range contactOfAdmin {
		_ = r.Set(p[0], "")
	}
	m := f.wizardWith(t, r)
	m.width, m.height = 100, 40
	m.open(newReview(m.s))
	if v := m.View(); !strings.Contains(v, "> Edit a step") || !strings.Contains(v, "Contact: not seen yet") {
		t.Fatalf("review offers to submit unseen defaults:\n%s", v)
	}
	m.open(newStep(m.s, m.s.stepIndex(api.StepContact), false))
	m.open(newReview(m.s))
	if v := m.View(); !strings.Contains(v, "> Submit") || strings.Contains(v, "not seen yet") {
		t.Fatalf("after the Contact step was shown:\n%s", v)
	}
}

// 27. Enter on an empty required field says it is required (the step
// still goes on: a draft may wait), and review marks a step with missing
// values ✗, as the sidebar's legend does for problems.
func TestEmptyRequiredFieldIsSaid(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, api.Request{CertificateId: "abcb1234", CsrType: "online", CertificateDomain: "www.example.com"})
	m.open(newStep(m.s, m.s.stepIndex(api.StepOrganization), false))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "Company name")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Company name is required")
	if s := screen(); !strings.Contains(s, "┃ Department") {
		t.Fatalf("the step does not go on:\n%s", s)
	}
	finalOf(t, tm)

	m.width, m.height = 100, 60
	m.open(newReview(m.s))
	v := m.View()
	if !strings.Contains(v, "✗ Organization") || !strings.Contains(v, "✗ Administrator") || strings.Contains(v, "· Organization") {
		t.Fatalf("review marks steps with missing values:\n%s", v)
	}
}

// 5. The key passphrase is typed twice; a mismatch is said under the field
// and no key is made under it.
func TestKeyPassphraseIsAskedTwice(t *testing.T) {
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "shop.key")
	f := newFixture(t, api.English)
	m := f.wizardWith(t, api.Request{CertificateId: "abcb1234"})
	m.open(newStep(m.s, m.s.stepIndex(api.StepCSR), false))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "CSR mode")
	press(tm, tea.KeyDown, tea.KeyDown, tea.KeyEnter, tea.KeyEnter, keyPath, tea.KeyEnter, "s3cret", tea.KeyEnter, "s3cert", tea.KeyEnter)
	waitFor(t, tm, "does not match the first entry")
	if s := screen(); !strings.Contains(s, "Key passphrase, again") || strings.Contains(s, "Common name") {
		t.Fatalf("screen:\n%s", s)
	}
	press(tm, tea.KeyBackspace, tea.KeyBackspace, tea.KeyBackspace, tea.KeyBackspace, tea.KeyBackspace, tea.KeyBackspace, "s3cret", tea.KeyEnter)
	waitFor(t, tm, "Common name")
	got := finalOf(t, tm)
	if got.s.d.keyPass != "s3cret" || got.s.d.keyPassAgain != "s3cret" {
		t.Fatalf("passphrases %q %q", got.s.d.keyPass, got.s.d.keyPassAgain)
	}

	// Left different (the step left backwards), review makes no key.
	d := got.s.d
	d.req.CertificateDomain, d.keyPassAgain = "www.example.com", "s3cert"
	got.width, got.height = 100, 40
	got.open(newReview(got.s))
	if _, err := os.Stat(keyPath); err == nil {
		t.Fatal("a key was made under a mistyped passphrase")
	}
	if v := got.View(); !strings.Contains(v, "passphrase and its second entry differ") {
		t.Fatalf("review:\n%s", v)
	}
}

// 5. Accessible mode asks twice too, and again after a mismatch.
func TestAccessibleKeyPassphraseIsAskedTwice(t *testing.T) {
	f := newFixture(t, api.English)
	s := &session{opts: f.opts, lang: api.English, d: newDraft(api.Request{CertificateId: "abcb1234"}, "")}
	var out bytes.Buffer
	p := &prompter{in: bufio.NewReader(strings.NewReader("3\n\n\npw1\npw2\npw1\n")), out: &out, lang: api.English}
	if err := accessibleStep(s, p, s.stepIndex(api.StepCSR)); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Key passphrase, again: does not match the first entry") || s.d.keyPass != "pw1" || s.d.keyPassAgain != "pw1" {
		t.Fatalf("passphrases %q %q\n%s", s.d.keyPass, s.d.keyPassAgain, out.String())
	}
}

// 4. ctrl+c before review keeps the CSR choices: "generate here", the key
// type and that a passphrase was chosen (never the passphrase); the next
// run opens the CSR step as it was, asking the passphrase again.
func TestInterruptKeepsTheCSRChoices(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, api.Request{CertificateId: "abcb1234"})
	m.open(newStep(m.s, m.s.stepIndex(api.StepCSR), false))
	tm, _ := live(t, m, 100, 30)
	waitFor(t, tm, "CSR mode")
	press(tm, tea.KeyDown, tea.KeyDown, tea.KeyEnter, tea.KeyDown, tea.KeyEnter, tea.KeyEnter, "pw-secret", tea.KeyEnter)
	waitFor(t, tm, "Key passphrase, again")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t)
	p, err := f.store.Load("acme")
	data, _ := os.ReadFile(f.store.Path("acme"))
	if err != nil || p.CSR.Mode != "generate" || p.CSR.KeyType != "ecdsa-p384" || !p.CSR.Encrypt || strings.Contains(string(data), "pw-secret") {
		t.Fatalf("saved %+v %v:\n%s", p.CSR, err, data)
	}
	o := f.opts
	o.Profile = "acme"
	again, err := NewWizard(o)
	if err != nil {
		t.Fatal(err)
	}
	st, ok := again.cur.(*stepScreen)
	if !ok || api.Steps[st.i].Step != api.StepCSR || again.s.d.csrMode != modeGenerate || again.s.d.keyType != "ecdsa-p384" {
		t.Fatalf("reopened at %T, mode %q, key %q", again.cur, again.s.d.csrMode, again.s.d.keyType)
	}
	if ps := again.s.problems().For("CsrContent"); len(ps) != 1 || !strings.Contains(ps[0].What.EN, "type it again") {
		t.Fatalf("problems %v", ps)
	}
}

// 4. A CSR given by path and shown as read is saved by ctrl+c, with its path.
func TestInterruptKeepsTheCSRFile(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, api.Request{CertificateId: "abcb1234"})
	m.open(newStep(m.s, m.s.stepIndex(api.StepCSR), false))
	tm, _ := live(t, m, 100, 30)
	waitFor(t, tm, "CSR mode")
	path, _ := filepath.Abs(filepath.Join(pkgDir, "..", "api", "testdata", "rsa2048.csr"))
	press(tm, tea.KeyDown, tea.KeyEnter, path)
	waitFor(t, tm, "✓ CN www.example.com")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t)
	p, err := f.store.Load("acme")
	want, _ := os.ReadFile(path)
	if err != nil || p.Params.CsrType != "parse" || p.Params.CsrContent != strings.TrimSpace(string(want)) || p.CSR.File != path {
		t.Fatalf("saved %+v, csr %+v, %v", p.Params, p.CSR, err)
	}
}

// 3. A CSR file named replaces the CSR the box held, on screen and in the
// profile; ctrl+x empties the box in one key.
func TestNewCSRPathReplacesTheBox(t *testing.T) {
	old, err := os.ReadFile(filepath.Join(pkgDir, "..", "api", "testdata", "p256-wildcard.csr"))
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, api.English)
	m := f.wizardWith(t, api.Request{CertificateId: "abcb1234", CsrType: "parse", CsrContent: string(old)})
	m.open(newStep(m.s, m.s.stepIndex(api.StepCSR), false))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "CSR mode")
	oldSummary := csrSummary(string(old), api.English)
	path, _ := filepath.Abs(filepath.Join(pkgDir, "..", "api", "testdata", "rsa2048.csr"))
	press(tm, tea.KeyEnter, path, tea.KeyEnter)
	waitFor(t, tm, "The CSR box now holds the CSR of")
	s := screen()
	if strings.Contains(s, oldSummary) || !strings.Contains(s, "✓ CN www.example.com · SAN www.example.com, example.com · RSA 2048") {
		t.Fatalf("the box still shows the old CSR (%s):\n%s", oldSummary, s)
	}
	want, _ := os.ReadFile(path)
	if m.s.d.req.CsrContent != strings.TrimSpace(string(want)) {
		t.Fatal("the draft holds another CSR than the screen")
	}
	press(tm, tea.KeyCtrlX)
	s = screen()
	if strings.Contains(s, "MII") || m.s.d.req.CsrContent != "" {
		t.Fatalf("ctrl+x did not empty the box:\n%s", s)
	}
	if !strings.Contains(s, "ctrl+x clear") {
		t.Fatalf("the help line does not offer ctrl+x:\n%s", s)
	}
	finalOf(t, tm)
}
