package ui

// Each test here drives what a newcomer did when they met a defect of the
// wizard, and asserts what they see or what is saved.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
)

// live runs a wizard under teatest and returns a way to see its screen now.
func live(t *testing.T, m *Wizard, w, h int) (*teatest.TestModel, func() string) {
	t.Helper()
	shots := make(chan string, 1)
	tm := teatest.NewTestModel(t, recorder{m, shots}, teatest.WithInitialTermSize(w, h))
	return tm, func() string {
		t.Helper()
		time.Sleep(80 * time.Millisecond) // let commands in flight land
		tm.Send(captureMsg{})
		select {
		case s := <-shots:
			return s
		case <-time.After(5 * time.Second):
			t.Fatal("no picture of the screen")
			return ""
		}
	}
}

func finalOf(t *testing.T, tm *teatest.TestModel) *Wizard {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(recorder).Wizard
}

// 1. Under the "too small" notice only ctrl+c and resizes act: a blind
// Enter on a complete profile submits nothing.
func TestTooSmallIgnoresKeys(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, example(t)) // complete: opens at review, Submit first
	tm, screen := live(t, m, 30, 10)
	if s := screen(); !strings.Contains(s, "Terminal too small") || !strings.Contains(strings.Join(strings.Fields(s), " "), "ctrl+c to save and quit") {
		t.Fatalf("screen:\n%s", s)
	}
	press(tm, tea.KeyEnter, tea.KeyDown, tea.KeyEnter, "q", tea.KeyEsc)
	time.Sleep(300 * time.Millisecond)
	if n := len(f.sb.Submissions()); n != 0 {
		t.Fatalf("%d submissions from keys typed blind", n)
	}
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if s := screen(); !strings.Contains(s, "> Submit") {
		t.Fatalf("after the resize the review is not as it was:\n%s", s)
	}
	if got := finalOf(t, tm); !isScreen[*reviewScreen](got) {
		t.Fatalf("screen %T", got.cur)
	}
}

// 2. A CSR given by its path is loaded: domains pre-filled, profile holds it.
func TestCSRUploadByPath(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, api.Request{CertificateId: "abcb1234"})
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "CSR mode")
	path, _ := filepath.Abs(filepath.Join(pkgDir, "..", "api", "testdata", "rsa2048.csr"))
	press(tm, tea.KeyDown, tea.KeyEnter, path, tea.KeyEnter, tea.KeyEnter)
	waitFor(t, tm, "Common name")
	s := screen()
	if !strings.Contains(s, "> www.example.com") || !strings.Contains(s, "example.com") || !strings.Contains(s, "✓ 2 CSR") {
		t.Fatalf("the CSR's names are not pre-filled:\n%s", s)
	}
	finalOf(t, tm)
	p, err := f.store.Load("acme")
	want, _ := os.ReadFile(path)
	if err != nil || p.Params.CsrContent != strings.TrimSpace(string(want)) || p.Params.CsrType != "parse" || p.Params.OrganizationCity != "Shenzhen" {
		t.Fatalf("saved %+v %v", p.Params, err)
	}
}

// 3. "/ger" in the Country list offers every match and saves the one
// chosen, whatever the default.
func TestCountryFilterShowsEveryMatch(t *testing.T) {
	for _, def := range []string{"", "CN", "ZW"} {
		t.Run("default "+def, func(t *testing.T) {
			f := newFixture(t, api.English)
			r := example(t)
			r.OrganizationCountry = def
			m := f.wizardWith(t, r)
			m.open(newStep(m.s, m.s.stepIndex(api.StepOrganization), false))
			tm, screen := live(t, m, 100, 30)
			waitFor(t, tm, "Company name")
			press(tm, tea.KeyEnter, tea.KeyEnter, tea.KeyEnter, "/ger")
			s := screen()
			for _, c := range []string{"DE — Germany", "DZ — Algeria", "NE — Niger", "NG — Nigeria"} {
				if !strings.Contains(s, c) {
					t.Errorf("%q is hidden:\n%s", c, s)
				}
			}
			if !strings.Contains(s, "> DE — Germany") {
				t.Fatalf("the cursor is not on the first match:\n%s", s)
			}
			press(tm, tea.KeyEnter)
			waitFor(t, tm, "Province")
			if got := finalOf(t, tm).s.d.req.OrganizationCountry; got != "DE" {
				t.Fatalf("saved %q, want DE", got)
			}
		})
	}
}

// 3b. The picker itself: an exact code ranks first; down then enter picks
// the second match.
func TestPickerFilterAndChoice(t *testing.T) {
	var v string
	var opts []pickOption
	for _, c := range api.Countries {
		opts = append(opts, pickOption{c.Label(), c.Code})
	}
	p := newPicker(api.English, "c", "Country", opts, func() string { return v }, func(s string) { v = s }, "CN")
	p.filterable, p.rows = true, 6
	p.Focus()
	if v != "" {
		t.Fatalf("the default was written before the user moved: %q", v)
	}
	for _, r := range "de" {
		p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	if h, _ := p.hovered(); h != "DE" {
		t.Fatalf("typing de hovers %q, want DE", h)
	}
	p.Update(tea.KeyMsg{Type: tea.KeyDown})
	second, _ := p.hovered()
	_, cmd := p.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil || v != second || v == "DE" {
		t.Fatalf("chose %q, hovered %q", v, second)
	}
}

// 4. The resume command reopens the same session, quoted for a shell, on
// a line of its own (a narrow terminal wraps it, never mid-sentence).
func TestResumeCommandKeepsTheSession(t *testing.T) {
	f := newFixture(t, api.English)
	f.opts.Resume = []string{"certwiz", "--sandbox", "--config-dir", "/tmp/my certs", "--language", "en-US"}
	m, _ := NewWizard(f.opts)
	tm := start(t, m, 80, 24)
	waitFor(t, tm, "New submission")
	press(tm, tea.KeyEnter, "demo0103", tea.KeyEnter)
	waitFor(t, tm, "CSR mode")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	got := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Wizard)
	_, msg := got.Final()
	want := "Resume with:\n  certwiz --sandbox --config-dir '/tmp/my certs' --language en-US --profile cert-demo0103"
	if got.ExitCode() != api.ExitInterrupted || !strings.Contains(msg, want) {
		t.Fatalf("exit %d, message %q", got.ExitCode(), msg)
	}
}

// 5. Review names every problem with its field and step, and a step is
// never ✓ while it has one: here a key made for names since changed.
func TestReviewNamesEveryProblem(t *testing.T) {
	t.Chdir(t.TempDir())
	f := newFixture(t, api.English)
	r := example(t)
	r.AdminEmail = "not-an-email"
	r.PostalCode = "5180001234567890123456"
	m := f.wizardWith(t, r)
	m.s.d.csrMode, m.s.d.keyPath = modeGenerate, "shop.key"
	if err := m.s.generateIfNeeded(); err != nil {
		t.Fatal(err)
	}
	m.s.d.domains = "example.com\nimg.example.com" // names change; shop.key is never overwritten
	m.open(newReview(m.s))
	text := reviewText(m.s, 200)
	for _, want := range []string{"5 problem(s) to fix before submitting", "Administrator · E-mail: \"not-an-email\" is not an e-mail address",
		"Organization · Postal code: is 22 characters long", "shop.key already exists; certwiz never overwrites a key",
		"CSR · CSR (PEM): not among the CSR's subject alternative names: img.example.com", "Domains · Additional domains: not among"} {
		if !strings.Contains(text, want) {
			t.Errorf("review lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "✓ CSR") || strings.Contains(text, "✓ CN") || m.s.progress().Steps[1].State != api.StepProblem {
		t.Fatalf("the CSR step shows done under a stale key:\n%s", text)
	}
	if v := m.View(); !strings.Contains(v, "✗ 2 CSR") || !strings.Contains(v, "listed above") {
		t.Fatalf("sidebar or Submit does not say it:\n%s", v)
	}
}

// 6. A message sits under its field, names it, is whole and wraps at
// word boundaries.
func TestValidationMessageUnderItsField(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	m := f.wizardWith(t, r)
	m.open(newStep(m.s, m.s.stepIndex(api.StepDomains), false))
	tm, screen := live(t, m, 70, 30)
	waitFor(t, tm, "Common name")
	long := "shop.my-very-long-subdomain-name.example.com:8443"
	press(tm, tea.KeyEnter, tea.KeyCtrlJ, long, tea.KeyEnter)
	s := screen()
	lines := strings.Split(s, "\n")
	at := -1
	for i, l := range lines {
		if strings.Contains(l, "✗ Additional domains:") {
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("no message naming the field:\n%s", s)
	}
	var field, msg int
	for i, l := range lines {
		if strings.Contains(l, "my-very-long") && field == 0 {
			field = i
		}
	}
	msg = at
	if field == 0 || msg < field {
		t.Fatalf("the message is not under the field:\n%s", s)
	}
	joined := ""
	for _, l := range lines[msg:] {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(strings.SplitN(l, "│", 2)[len(strings.SplitN(l, "│", 2))-1]), "┃"))
		joined += " " + l
	}
	if !strings.Contains(joined, "\""+long+"\"") && !strings.Contains(strings.ReplaceAll(joined, " ", ""), "\""+long+"\"") {
		t.Fatalf("the name in the message is cut:\n%s", s)
	}
	finalOf(t, tm)
}

func TestAccessibleMessagesNameTheField(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	r.OrganizationCountry = ""
	f.store.Save(profiles.Profile{Name: "acme", Params: r})
	o := f.opts
	o.Profile = "acme"
	var out strings.Builder
	input := "\n\n\nXX\n?\nGermany\n" // company, division, address kept; then the country
	RunAccessible(t.Context(), o, strings.NewReader(input), &out)
	for _, want := range []string{"Country: \"XX\" is not an ISO 3166-1 country code", "type ? for the list", "DE — Germany"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	p, _ := f.store.Load("acme")
	if p.Params.OrganizationCountry != "DE" {
		t.Fatalf("saved country %q", p.Params.OrganizationCountry)
	}
}

// 7. shift+tab leaves a multi-line field that shows an error.
func TestShiftTabLeavesAFieldWithAnError(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, example(t))
	m.open(newStep(m.s, m.s.stepIndex(api.StepDomains), false))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "Common name")
	press(tm, tea.KeyEnter, tea.KeyCtrlJ, "bad name", tea.KeyEnter)
	if s := screen(); !strings.Contains(s, "✗ Additional domains") {
		t.Fatalf("no error shown:\n%s", s)
	}
	press(tm, tea.KeyShiftTab)
	got := finalOf(t, tm)
	st := got.cur.(*stepScreen)
	if k := st.f.GetFocusedField().GetKey(); k != "CertificateDomain" {
		t.Fatalf("focus on %q after shift+tab", k)
	}
	if !strings.Contains(got.s.d.domains, "bad name") {
		t.Fatalf("what was typed is gone: %q", got.s.d.domains)
	}
}

// 8. At 40×12 the sandbox is named, the chosen country is in view and a
// card scrolls; at 100 columns the credentials line wraps instead of
// being cut.
func TestSmallestLayoutKeepsWhatMatters(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	r.OrganizationCountry = "ZW"
	m := f.wizardWith(t, r)
	m.open(newStep(m.s, m.s.stepIndex(api.StepOrganization), false))
	tm, screen := live(t, m, 40, 12)
	waitFor(t, tm, "Company name")
	if s := screen(); !strings.HasPrefix(s, "SANDBOX") {
		t.Fatalf("the sandbox is not named first:\n%s", s)
	}
	press(tm, tea.KeyEnter, tea.KeyEnter, tea.KeyEnter)
	if s := screen(); !strings.Contains(s, "> ZW — Zimbabwe") {
		t.Fatalf("the selected country is out of view:\n%s", s)
	}
	finalOf(t, tm)

	f = newFixture(t, api.English)
	m = f.wizardWith(t, example(t))
	tm, screen = live(t, m, 40, 12)
	waitFor(t, tm, "Submit")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Information stored")
	if s := screen(); strings.Contains(s, "not with the CA") && strings.Contains(s, "Recorded in") {
		t.Fatalf("the whole card fits: this test proves nothing\n%s", s)
	}
	seen := screen()
	for range 6 {
		press(tm, tea.KeyPgDown)
		seen += screen()
	}
	if !strings.Contains(seen, "not with the CA") || !strings.Contains(seen, "Recorded") {
		t.Fatalf("the end of the result card is out of reach:\n%s", seen)
	}
	finalOf(t, tm)

	f = newFixture(t, api.English)
	f.opts.CredSource = "credentials file /home/someone/.tencentcloud/credentials (profile production-account), SecretId ****ABCD"
	m = f.wizardWith(t, example(t))
	m.width, m.height = 100, 30
	v := m.View()
	if !strings.Contains(strings.Join(strings.Fields(v), " "), "(profile production-account), SecretId ****ABCD") {
		t.Fatalf("the credentials line is cut:\n%s", v)
	}
}

// 9. Export asks before replacing, shows the absolute path, and replacing
// never writes through a planted symlink.
func TestExportAsksBeforeReplacing(t *testing.T) {
	f := newFixture(t, api.English)
	dir := t.TempDir()
	f.opts.ExportDir = dir
	target := filepath.Join(dir, "target.txt")
	os.WriteFile(target, []byte("keep me"), 0o644)
	os.Symlink(target, filepath.Join(dir, "acme.json"))
	m := f.wizardWith(t, example(t))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "Export as JSON")
	press(tm, tea.KeyDown, tea.KeyDown, tea.KeyDown, tea.KeyEnter)
	waitFor(t, tm, "Replace it with this export?")
	press(tm, tea.KeyEnter) // keep it: the first answer, so one Enter too many replaces nothing
	if s := screen(); !strings.Contains(s, "Not exported") {
		t.Fatalf("screen:\n%s", s)
	}
	if data, _ := os.ReadFile(target); string(data) != "keep me" {
		t.Fatalf("target changed: %q", data)
	}
	press(tm, tea.KeyEnter) // the cursor stayed on Export
	waitFor(t, tm, "Replace it with this export?")
	press(tm, tea.KeyDown, tea.KeyEnter) // replace
	s := strings.Join(strings.Fields(screen()), "")
	if !strings.Contains(s, "Exportedto"+filepath.Join(dir, "acme.json")) {
		t.Fatalf("no absolute path:\n%s", s)
	}
	finalOf(t, tm)
	if data, _ := os.ReadFile(target); string(data) != "keep me" {
		t.Fatalf("the symlink's target was written: %q", data)
	}
	fi, err := os.Lstat(filepath.Join(dir, "acme.json"))
	if err != nil || fi.Mode()&os.ModeSymlink != 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export file %v %v", fi.Mode(), err)
	}
}

// 10. Starting again on the same certificate offers its draft instead of
// piling up cert-<id>-2, -3…
func TestSameCertificateReusesItsDraft(t *testing.T) {
	f := newFixture(t, api.English)
	f.store.Save(profiles.Profile{Name: "cert-demo0001", Params: api.Request{CertificateId: "demo0001", CsrType: "online", CertificateDomain: "shop.example.com"}})
	m, _ := NewWizard(f.opts)
	tm := start(t, m, 100, 30)
	waitFor(t, tm, "New submission")
	press(tm, tea.KeyEnter, "demo0001", tea.KeyEnter)
	waitFor(t, tm, "already has a draft")
	press(tm, tea.KeyEnter) // continue it
	waitFor(t, tm, "Company name")
	got := final(t, tm)
	if got.s.d.name != "cert-demo0001" || got.s.d.req.CertificateDomain != "shop.example.com" {
		t.Fatalf("draft %q %+v", got.s.d.name, got.s.d.req)
	}
	entries, _ := f.store.List()
	if len(entries) != 1 {
		t.Fatalf("%d profiles, want 1", len(entries))
	}
}

// 11. The smaller defects.
func TestSmallerDefects(t *testing.T) {
	t.Run("both answers of same person are shown", func(t *testing.T) {
		f := newFixture(t, api.English)
		r := example(t)
		r.ContactEmail = "other@example.com"
		m := f.wizardWith(t, r)
		m.width, m.height = 100, 30
		m.open(newStep(m.s, m.s.stepIndex(api.StepContact), false))
		v := m.View()
		if !strings.Contains(v, "Yes — copy the administrator") || !strings.Contains(v, "• No — enter the contact") {
			t.Fatalf("view:\n%s", v)
		}
	})
	t.Run("list height survives a resize", func(t *testing.T) {
		f := newFixture(t, api.English)
		m := f.wizardWith(t, example(t))
		m.open(newStep(m.s, m.s.stepIndex(api.StepOrganization), false))
		tm, screen := live(t, m, 40, 12)
		waitFor(t, tm, "Company name")
		press(tm, tea.KeyEnter, tea.KeyEnter, tea.KeyEnter)
		tm.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
		s := screen()
		if n := strings.Count(s, " — "); n < 6 {
			t.Fatalf("%d countries shown after growing the terminal:\n%s", n, s)
		}
		finalOf(t, tm)
	})
	t.Run("compact name prompt is in the Domains step", func(t *testing.T) {
		f := newFixture(t, api.English)
		m, _ := NewWizard(f.opts)
		m.s.d = newDraft(api.Request{CertificateId: "abcb1234", CertificateDomain: "www.example.com"}, "")
		m.width, m.height = 40, 12
		m.open(newName(m.s, false))
		if v := m.View(); !strings.Contains(v, "Step 3 of 8 · Domains") {
			t.Fatalf("view:\n%s", v)
		}
	})
	t.Run("sidebar wraps the profile name between words", func(t *testing.T) {
		f := newFixture(t, api.English)
		m := f.wizardWith(t, example(t))
		m.s.d.name = "wildcard.shop-example-company.com"
		m.width, m.height = 100, 30
		v := m.View()
		if !strings.Contains(v, "wildcard.shop-  ") || !strings.Contains(v, "example-company.") || !strings.Contains(v, "\ncom  ") {
			t.Fatalf("view:\n%s", v)
		}
	})
	t.Run("retry says it ran", func(t *testing.T) {
		f := newFixture(t, api.English)
		r := example(t)
		r.CertificateId = "testHTTP500"
		m := f.wizardWith(t, r)
		tm, screen := live(t, m, 100, 30)
		waitFor(t, tm, "Submit")
		press(tm, tea.KeyEnter)
		waitFor(t, tm, "Retry")
		press(tm, tea.KeyEnter)
		time.Sleep(500 * time.Millisecond)
		if s := screen(); !strings.Contains(s, "Attempt 2, answered at") {
			t.Fatalf("screen:\n%s", s)
		}
		finalOf(t, tm)
	})
	t.Run("ctrl+c while submitting says it may have arrived", func(t *testing.T) {
		f := newFixture(t, api.English)
		r := example(t)
		r.CertificateId = "testSlow"
		m := f.wizardWith(t, r)
		tm := start(t, m, 80, 24)
		waitFor(t, tm, "Submit")
		press(tm, tea.KeyEnter)
		waitFor(t, tm, "Submitting to")
		tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
		got := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Wizard)
		if _, msg := got.Final(); !strings.Contains(msg, "may already have reached Tencent Cloud") {
			t.Fatalf("message %q", msg)
		}
	})
	t.Run("leaving an error card prints the code and RequestId", func(t *testing.T) {
		f := newFixture(t, api.English)
		r := example(t)
		r.CertificateId = "testDomainInvalid"
		m := f.wizardWith(t, r)
		tm := start(t, m, 100, 30)
		waitFor(t, tm, "Submit")
		press(tm, tea.KeyEnter)
		waitFor(t, tm, "Back to review")
		press(tm, tea.KeyDown, tea.KeyDown, tea.KeyEnter) // Save and quit
		got := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Wizard)
		_, msg := got.Final()
		if !strings.Contains(msg, "Not submitted: FailedOperation.CertificateInfoSubmitDomainInvalid") || !strings.Contains(msg, "RequestId 00000000-0000-4000-8000-000000000000") {
			t.Fatalf("message %q", msg)
		}
	})
	t.Run("an already submitted profile says so", func(t *testing.T) {
		f := newFixture(t, api.English)
		f.hist.Append(profiles.Record{Time: fixedNow(), Profile: "acme", CertificateId: "abcb1234", RequestId: "req-1", Outcome: "OK", Endpoint: f.opts.Endpoint})
		m := f.wizardWith(t, example(t))
		m.width, m.height = 100, 30
		m.open(newReview(m.s))
		v := m.View()
		if !strings.Contains(v, "Already submitted on") || !strings.Contains(v, "req-1") || !strings.Contains(v, "> Save and quit") {
			t.Fatalf("view:\n%s", v)
		}
	})
	t.Run("an already submitted certificate now with the CA says where it is", func(t *testing.T) {
		f := newFixture(t, api.English)
		f.opts.Resume = []string{"certwiz", "--sandbox"}
		f.hist.Append(profiles.Record{Time: fixedNow(), Profile: "acme", CertificateId: "dcvwait1", RequestId: "req-1", Outcome: "OK", Endpoint: f.opts.Endpoint})
		r := example(t)
		r.CertificateId = "dcvwait1"
		m := f.wizardWith(t, r)
		m.open(newReview(m.s))
		tm, screen := live(t, m, 100, 30)
		waitFor(t, tm, "(status 0)")
		if s := strings.Join(strings.Fields(screen()), " "); !strings.Contains(s, "Certificate dcvwait1 is now awaiting domain validation (status 0)") ||
			!strings.Contains(s, "submitting again would be refused") || !strings.Contains(s, "certwiz --sandbox status dcvwait1 --watch") {
			t.Fatalf("review:\n%s", screen())
		}
		finalOf(t, tm)
	})
	t.Run("ctrl+e without an editor says so", func(t *testing.T) {
		t.Setenv("EDITOR", "")
		t.Setenv("VISUAL", "")
		t.Setenv("PATH", t.TempDir())
		f := newFixture(t, api.English)
		m := f.wizardWith(t, example(t))
		m.open(newStep(m.s, m.s.stepIndex(api.StepDomains), false))
		tm, screen := live(t, m, 100, 30)
		waitFor(t, tm, "Common name")
		press(tm, tea.KeyEnter, tea.KeyCtrlE)
		if s := screen(); !strings.Contains(s, "No editor found: set $EDITOR") {
			t.Fatalf("screen:\n%s", s)
		}
		finalOf(t, tm)
	})
	t.Run("contact asks in the administrator's order", func(t *testing.T) {
		var admin, contact []string
		for _, g := range stepDefs(api.StepAdmin, api.English) {
			for _, f := range g.fields {
				admin = append(admin, strings.TrimPrefix(f.key, "Admin"))
			}
		}
		for _, g := range stepDefs(api.StepContact, api.English)[1:] {
			for _, f := range g.fields {
				contact = append(contact, strings.TrimPrefix(f.key, "Contact"))
			}
		}
		if strings.Join(admin, ",") != "FirstName,LastName,PhoneNum,Email,Position" || strings.Join(contact, ",") != "FirstName,LastName,Number,Email,Position" {
			t.Fatalf("admin %v, contact %v", admin, contact)
		}
	})
	t.Run("the default country is not saved before the field is reached", func(t *testing.T) {
		f := newFixture(t, api.English)
		m := f.wizardWith(t, api.Request{CertificateId: "abcb1234", CsrType: "online", CertificateDomain: "www.example.com"})
		m.open(newStep(m.s, m.s.stepIndex(api.StepOrganization), false))
		tm := start(t, m, 100, 30)
		waitFor(t, tm, "Company name")
		press(tm, "Acme", tea.KeyEsc)
		waitFor(t, tm, "Additional domains")
		final(t, tm)
		p, _ := f.store.Load("acme")
		if p.Params.OrganizationName != "Acme" || p.Params.OrganizationCountry != "" {
			t.Fatalf("saved %+v", p.Params)
		}
	})
	t.Run("Chinese screens have Chinese help", func(t *testing.T) {
		f := newFixture(t, api.Chinese)
		m := f.wizardWith(t, example(t))
		m.width, m.height = 100, 30
		for _, sc := range []screen{newStep(m.s, 3, false), newReview(m.s)} {
			m.open(sc)
			v := m.View()
			last := strings.Split(v, "\n")[lipgloss.Height(v)-1]
			for _, en := range []string{"move", "next", "back", "quit", "choose", "scroll"} {
				if strings.Contains(last, en) {
					t.Fatalf("English %q in the help line %q", en, last)
				}
			}
		}
	})
}

// What the second newcomer met: filtering and going back never change a
// choice; a list stops at its ends; a copied contact keeps its problems in
// the Administrator step.
func TestNewcomerFollowUps(t *testing.T) {
	t.Run("clearing a filter keeps the value", func(t *testing.T) {
		v := "DE"
		var opts []pickOption
		for _, c := range api.Countries {
			opts = append(opts, pickOption{c.Label(), c.Code})
		}
		p := newPicker(api.English, "c", "Country", opts, func() string { return v }, func(s string) { v = s }, "CN")
		p.filterable, p.first = true, false
		p.Focus()
		for _, r := range "fr" {
			p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
		p.Update(tea.KeyMsg{Type: tea.KeyEsc})
		if h, _ := p.hovered(); h != "DE" {
			t.Fatalf("after clearing the filter the cursor is on %q", h)
		}
		p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("fr")})
		p.Update(tea.KeyMsg{Type: tea.KeyShiftTab})
		p.Blur()
		if v != "DE" {
			t.Fatalf("going back saved %q", v)
		}
	})
	t.Run("a menu stops at its ends", func(t *testing.T) {
		choice := "a"
		p := newMenu(api.English, "", []pickOption{{"A", "a"}, {"B", "b"}}, &choice)
		p.Update(tea.KeyMsg{Type: tea.KeyDown})
		p.Update(tea.KeyMsg{Type: tea.KeyDown})
		p.Update(tea.KeyMsg{Type: tea.KeyDown})
		if h, _ := p.hovered(); h != "b" {
			t.Fatalf("hovered %q after going past the end", h)
		}
	})
	t.Run("a copied contact is not marked", func(t *testing.T) {
		f := newFixture(t, api.English)
		r := example(t)
		r.AdminEmail = "anna@"
		m := f.wizardWith(t, r)
		m.s.d.sameContact = true
		pr := m.s.progress()
		if pr.Steps[m.s.stepIndex(api.StepAdmin)].State != api.StepProblem || pr.Steps[m.s.stepIndex(api.StepContact)].State != api.StepDone {
			t.Fatalf("admin %v contact %v", pr.Steps[4].State, pr.Steps[5].State)
		}
	})
}

// An e-mail address ending in a top-level domain that does not exist is
// said under its field, and the step still goes on: a warning, not a refusal.
func TestEmailTLDTypoIsWarnedUnderTheField(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	r.AdminEmail = "admin@exexample.con"
	m := f.wizardWith(t, r)
	m.open(newStep(m.s, m.s.stepIndex(api.StepAdmin), false))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "did you mean")
	if s := screen(); !strings.Contains(s, "⚠ AdminEmail admin@exexample.con ends in .con, which is not a top-level") || !strings.Contains(s, "did you mean .com?") {
		t.Fatalf("no warning under the field:\n%s", s)
	}
	for range 5 {
		press(tm, tea.KeyEnter)
	}
	waitFor(t, tm, "Is the contact the same person")
	if m.s.d.req.AdminEmail != "admin@exexample.con" {
		t.Fatalf("the address was changed to %q", m.s.d.req.AdminEmail)
	}
	finalOf(t, tm)
}

// Newcomer walk: a filter that matches nothing says so once (the list's
// line), not again as an error when enter is pressed.
func TestNoMatchSaidOnce(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, example(t))
	m.open(newStep(m.s, m.s.stepIndex(api.StepOrganization), false))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "Company name")
	press(tm, tea.KeyEnter, tea.KeyEnter, tea.KeyEnter, "/zzqq", tea.KeyEnter)
	waitScreen(t, screen, "nothing matches")
	// Every key has been handled once the program has ended.
	if s := finalOf(t, tm).cur.View(); strings.Count(s, "nothing matches") != 1 {
		t.Fatalf("said %d times:\n%s", strings.Count(s, "nothing matches"), s)
	}
}
