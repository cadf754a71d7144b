package ui

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/profiles"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
)

// updating reports -update, the flag teatest's golden package defines.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// pkgDir is the package folder, for files read after a test's t.Chdir.
var pkgDir, _ = os.Getwd()

func TestMain(m *testing.M) {
	// Golden screens are plain text: no colour, whatever the terminal.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

var fixedNow = func() time.Time { return time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC) }

type fixture struct {
	store *profiles.Store
	hist  *profiles.History
	sb    *sandbox.Server
	opts  Options
}

// newFixture gives a wizard an empty store, a history and a sandbox on
// loopback with its demo key. The endpoint shown is fixed for golden screens.
func newFixture(t *testing.T, lang string) *fixture {
	t.Helper()
	dir := t.TempDir()
	store, err := profiles.Open(filepath.Join(dir, "config"), nil)
	if err != nil {
		t.Fatal(err)
	}
	store.Now = fixedNow
	hist, _ := profiles.OpenHistory(filepath.Join(dir, "state"), nil)
	// The sandbox with its DNS and HTTP servers, so the validation screen's
	// local check asks them and nothing leaves loopback.
	sb := sandbox.New(sandbox.Options{RequestID: func() string { return "00000000-0000-4000-8000-000000000000" }})
	url, stop, err := sandbox.Start(sb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	creds := api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "sandbox demo key")
	client, err := api.NewClient(creds, api.Config{Endpoint: url, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{store: store, hist: hist, sb: sb, opts: Options{
		Lang: lang, Store: store, History: hist, Client: client, Endpoint: "http://127.0.0.1:8417",
		CredSource: creds.String(), CredID: creds.SecretID(), Sandbox: true, Now: fixedNow, ExportDir: dir,
		Lookup: sb.Lookup(), Clipboard: func(string) error { return nil },
	}}
}

func example(t testing.TB) api.Request {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(pkgDir, "..", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := api.DecodeJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	r.VerifyType = "DNS"
	return r
}

// wizardWith returns a wizard on a draft saved as profile "acme".
func (f *fixture) wizardWith(t *testing.T, r api.Request) *Wizard {
	t.Helper()
	if err := f.store.Save(profiles.Profile{Name: "acme", Params: r}); err != nil {
		t.Fatal(err)
	}
	o := f.opts
	o.Profile = "acme"
	m, err := NewWizard(o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func start(t *testing.T, m *Wizard, w, h int) *teatest.TestModel {
	t.Helper()
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
}

func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// press sends keys one at a time, letting huh move between fields (it does
// so through commands, so a key sent too soon lands in the old field).
func press(tm *teatest.TestModel, keys ...any) {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			tm.Type(k)
		case tea.KeyType:
			tm.Send(tea.KeyMsg{Type: k})
		}
		time.Sleep(40 * time.Millisecond)
	}
}

func final(t *testing.T, tm *teatest.TestModel) *Wizard {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Wizard)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(pkgDir, "testdata", "screens", name+".golden")
	if updating() {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -update)", err)
	}
	if got != string(want) {
		t.Errorf("screen %s differs (go test ./ui -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TestGoldenScreens renders every screen at 80×24 and 40×12, in English
// and Chinese: start, each step, review, result and one error card per
// exit class.
func TestGoldenScreens(t *testing.T) {
	for _, lang := range []string{api.English, api.Chinese} {
		for _, size := range [][2]int{{80, 24}, {40, 12}} {
			prefix := fmt.Sprintf("%s-%dx%d-", lang, size[0], size[1])
			t.Run(prefix+"start", func(t *testing.T) {
				f := newFixture(t, lang)
				f.store.Save(profiles.Profile{Name: "acme", Params: example(t)})
				m, _ := NewWizard(f.opts)
				tm := start(t, m, size[0], size[1])
				waitFor(t, tm, txtNew.In(lang))
				golden(t, prefix+"start", final(t, tm).View())
			})
			for i, st := range api.Steps {
				t.Run(prefix+string(st.Step), func(t *testing.T) {
					f := newFixture(t, lang)
					m := f.wizardWith(t, example(t))
					m.open(newStep(m.s, i, false))
					tm := start(t, m, size[0], size[1])
					waitFor(t, tm, firstWord(stepDefs(st.Step, lang)[0].fields[0].label.In(lang)))
					time.Sleep(100 * time.Millisecond) // live descriptions load through commands
					golden(t, prefix+string(st.Step), final(t, tm).View())
				})
			}
			t.Run(prefix+"review", func(t *testing.T) {
				f := newFixture(t, lang)
				r := example(t)
				r.AdminEmail = "not-an-email"
				m := f.wizardWith(t, r)
				m.open(newReview(m.s))
				tm := start(t, m, size[0], size[1])
				waitFor(t, tm, txtEditStep.In(lang))
				golden(t, prefix+"review", final(t, tm).View())
			})
			t.Run(prefix+"result", func(t *testing.T) {
				f := newFixture(t, lang)
				f.opts.History = nil // its temporary path would differ per run
				m := f.wizardWith(t, example(t))
				tm := start(t, m, size[0], size[1])
				waitFor(t, tm, txtEditStep.In(lang))
				press(tm, tea.KeyEnter)
				waitFor(t, tm, "CertificateId")
				got := final(t, tm).View()
				golden(t, prefix+"result", got)
			})
			for _, c := range []struct{ class, id string }{{"rejected", "testDomainInvalid"}, {"auth", "testAuthError"}, {"transport", "testHTTP500"}} {
				t.Run(prefix+"error-"+c.class, func(t *testing.T) {
					f := newFixture(t, lang)
					r := example(t)
					r.CertificateId = c.id
					m := f.wizardWith(t, r)
					tm := start(t, m, size[0], size[1])
					waitFor(t, tm, txtEditStep.In(lang))
					press(tm, tea.KeyEnter)
					waitFor(t, tm, txtBackReview.In(lang))
					golden(t, prefix+"error-"+c.class, final(t, tm).View())
				})
			}
		}
	}
}

// open puts the wizard on a screen, as if the user had reached it.
func (m *Wizard) open(sc screen) {
	m.cur = sc
	sc.Resize(m.bodyWidth(), m.bodyHeight())
}

func isScreen[T screen](m *Wizard) bool {
	_, ok := m.cur.(T)
	return ok
}

// outcomes reads the history's outcome records, checking that each was
// announced by an intent written before its request left.
func outcomes(t *testing.T, h *profiles.History) []profiles.Record {
	t.Helper()
	recs, err := h.Read()
	if err != nil {
		t.Fatal(err)
	}
	intents := map[string]bool{}
	var out []profiles.Record
	for _, r := range recs {
		if r.IsIntent() {
			intents[r.Attempt] = true
			continue
		}
		if !intents[r.Attempt] {
			t.Errorf("outcome %+v has no intent before it", r)
		}
		out = append(out, r)
	}
	return out
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " （("); i > 0 {
		return s[:i]
	}
	return s
}

func TestTooSmall(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, example(t))
	m.Update(tea.WindowSizeMsg{Width: 39, Height: 12})
	if v := m.View(); !strings.Contains(v, "Terminal too small") || !strings.Contains(v, "39×12") {
		t.Fatalf("view = %q", v)
	}
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 12})
	for _, line := range strings.Split(m.View(), "\n") {
		if lipgloss.Width(line) > 40 {
			t.Fatalf("line wider than the terminal: %q", line)
		}
	}
}

// Going back from a step with an invalid value works and keeps the value.
func TestBackFromInvalidStepKeepsValues(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	r.CertificateDomain = ""
	m := f.wizardWith(t, r)
	m.open(newStep(m.s, m.s.stepIndex(api.StepDomains), false))
	tm := start(t, m, 80, 24)
	waitFor(t, tm, "Common name")
	press(tm, "exa mple.com", tea.KeyEnter)
	waitFor(t, tm, "which no DNS name")
	press(tm, tea.KeyEsc)
	waitFor(t, tm, "CSR mode")
	got := final(t, tm)
	if st, ok := got.cur.(*stepScreen); !ok || api.Steps[st.i].Step != api.StepCSR || got.s.d.req.CertificateDomain != "exa mple.com" {
		t.Fatalf("screen %T domain %q", got.cur, got.s.d.req.CertificateDomain)
	}
	p, _ := f.store.Load("acme")
	if p.Params.CertificateDomain != "exa mple.com" {
		t.Fatalf("saved domain %q: what was typed must survive", p.Params.CertificateDomain)
	}
}

// Editing a step from review returns to review.
func TestEditFromReviewReturnsToReview(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, example(t))
	tm := start(t, m, 80, 24)
	waitFor(t, tm, "Edit a step")
	press(tm, tea.KeyDown, tea.KeyEnter)
	waitFor(t, tm, "Which step?")
	press(tm, tea.KeyDown, tea.KeyDown, tea.KeyEnter) // 3. Domains
	waitFor(t, tm, "Common name")
	press(tm, tea.KeyEnter, tea.KeyEnter)
	waitFor(t, tm, "Submit")
	if got := final(t, tm); !isScreen[*reviewScreen](got) {
		t.Fatalf("screen %T, want review", got.cur)
	}
}

// A domain error's card offers "edit", which lands on the domains step.
func TestErrorCardEditLandsOnThePointedStep(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	r.CertificateId = "testDomainInvalid"
	m := f.wizardWith(t, r)
	tm := start(t, m, 80, 24)
	waitFor(t, tm, "Edit a step")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Domain refused")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Common name")
	got := final(t, tm)
	if st, ok := got.cur.(*stepScreen); !ok || api.Steps[st.i].Step != api.StepDomains || !st.fromReview {
		t.Fatalf("screen %T", got.cur)
	}
	recs := outcomes(t, f.hist)
	if len(recs) != 1 || recs[0].Outcome != "FailedOperation.CertificateInfoSubmitDomainInvalid" || recs[0].RequestId == "" || recs[0].Profile != "acme" {
		t.Fatalf("history %+v", recs)
	}
}

// The sandbox receives exactly what review showed.
func TestSubmitSendsWhatReviewShows(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, example(t))
	review := reviewText(m.s, 200)
	tm := start(t, m, 100, 40)
	waitFor(t, tm, "Edit a step")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "CertificateId")
	got := final(t, tm)
	res, ok := got.cur.(*resultScreen)
	if got.ExitCode() != 0 || !ok || res.res.CertificateId != "abcb1234" {
		t.Fatalf("exit %d screen %T", got.ExitCode(), got.cur)
	}
	sent := f.sb.Submissions()[0].Params
	for name, v := range sent {
		s := fmt.Sprint(v)
		if name == "DomainList" {
			s = strings.Join(strings.Fields(strings.Trim(s, "[]")), ", ")
		}
		if name == "OrganizationCountry" {
			s = "CN — China 中国"
		}
		if !strings.Contains(review, s) {
			t.Errorf("sent %s=%q, not on the review screen", name, s)
		}
	}
	if stdout, _ := got.Final(); !strings.Contains(stdout, res.res.RequestId) {
		t.Fatalf("stdout %q", stdout)
	}
}

// ctrl+c saves what was typed, exits 130 and says how to resume; the
// next run continues with every value.
func TestInterruptSavesAndResumes(t *testing.T) {
	for _, how := range []string{"ctrl+c", "signal"} {
		t.Run(how, func(t *testing.T) {
			f := newFixture(t, api.English)
			m, _ := NewWizard(f.opts)
			tm := start(t, m, 80, 24)
			waitFor(t, tm, "New submission")
			press(tm, tea.KeyEnter)
			waitFor(t, tm, "Which certificate?")
			press(tm, "demo0101", tea.KeyEnter) // not listed: typed, checked, taken
			waitFor(t, tm, "CSR mode")
			press(tm, tea.KeyEnter, "s3cret", tea.KeyEnter, "s3cret", tea.KeyEnter) // the password, twice
			waitFor(t, tm, "Common name")
			press(tm, "shop.example.com")
			if how == "ctrl+c" {
				tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
			} else {
				tm.Send(interruptMsg{})
			}
			got := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Wizard)
			_, msg := got.Final()
			if got.ExitCode() != api.ExitInterrupted || !strings.Contains(msg, "certwiz --profile cert-demo0101") {
				t.Fatalf("exit %d, message %q", got.ExitCode(), msg)
			}
			p, err := f.store.Load("cert-demo0101")
			if err != nil || p.Params.CertificateDomain != "shop.example.com" || p.Params.CsrType != "online" || p.Params.KeyPassword != "" {
				t.Fatalf("saved %+v %v", p.Params, err)
			}
			data, _ := os.ReadFile(f.store.Path("cert-demo0101"))
			if bytes.Contains(data, []byte("s3cret")) {
				t.Fatal("the KeyPassword reached the disk")
			}
			o := f.opts
			o.Profile = "cert-demo0101"
			again, err := NewWizard(o)
			if st, ok := again.cur.(*stepScreen); err != nil || !ok || api.Steps[st.i].Step != api.StepOrganization {
				t.Fatalf("resume at screen %T, %v", again.cur, err)
			}
		})
	}
}

func TestStartScreenOffersContinueAndTemplate(t *testing.T) {
	f := newFixture(t, api.English)
	f.store.Save(profiles.Profile{Name: "acme", Params: example(t)})
	m, _ := NewWizard(f.opts)
	tm := start(t, m, 80, 24)
	waitFor(t, tm, "acme (")
	press(tm, tea.KeyDown, tea.KeyEnter) // the profile, then what to do with it
	waitFor(t, tm, "Start from acme")
	press(tm, tea.KeyDown, tea.KeyEnter)
	waitFor(t, tm, "Which certificate?")
	got := final(t, tm)
	r := got.s.d.request()
	if r.CertificateId != "" || r.CertificateDomain != "" || r.OrganizationName != "Example Technology Co., Ltd." || got.s.d.name != "" {
		t.Fatalf("template draft %+v name %q", r, got.s.d.name)
	}
}

func TestAccessibleModeWalksTheSameSteps(t *testing.T) {
	f := newFixture(t, api.English)
	input := strings.Join([]string{
		"1", "abcb1234", "1", "", "www.example.com", "example.com", "", // start, certificate, csr, domains, name
		"Acme Co", "IT", "1 Road", "XX", "cn", "Guangdong", "Shenzhen", "", "0755", "86013388",
		"Lei", "Li", "12345678901", "bad-email", "admin@example.com", "CTO",
		"y", "2", // contact same, DNS
		"1", // submit
	}, "\n") + "\n"
	var out bytes.Buffer
	code, err := RunAccessible(t.Context(), f.opts, strings.NewReader(input), &out)
	if err != nil || code != 0 {
		t.Fatalf("code %d err %v\n%s", code, err, out.String())
	}
	for _, want := range []string{"Step 4 of 8 Organization", `"XX" is not an ISO 3166-1 country code`, `"bad-email" is not an e-mail address`, "CertificateId: abcb1234", "SANDBOX"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// Newcomer item 23: the sandbox stored it, and nothing then says Tencent Cloud did.
	if !strings.Contains(out.String(), "Information stored by the sandbox") || strings.Contains(out.String(), "stored at Tencent Cloud") {
		t.Errorf("where the information is:\n%s", out.String())
	}
	p := f.sb.Submissions()[0].Params
	if p["ContactEmail"] != "admin@example.com" || p["OrganizationCountry"] != "CN" || p["VerifyType"] != "DNS" {
		t.Fatalf("sent %v", p)
	}
}

// Input that ends before the answers the wizard needs: said as such (not
// "Stopped."), saved, exit 2 — a script's input problem, not a signal.
func TestAccessibleEOFSavesAndExits2(t *testing.T) {
	f := newFixture(t, api.English)
	var out bytes.Buffer
	code, err := RunAccessible(t.Context(), f.opts, strings.NewReader("1\ndemo0104\n1\n"), &out)
	if err != nil || code != api.ExitInput || !strings.Contains(out.String(), "certwiz --profile cert-demo0104") ||
		!strings.Contains(out.String(), "Standard input ended before the wizard was done") || strings.Contains(out.String(), "Stopped.") {
		t.Fatalf("code %d err %v\n%s", code, err, out.String())
	}
	if p, err := f.store.Load("cert-demo0104"); err != nil || p.Params.CsrType != "online" {
		t.Fatalf("saved %+v %v", p, err)
	}
}

// BenchmarkKeystroke measures Update+View for one key on the organization step.
func BenchmarkKeystroke(b *testing.B) {
	dir := b.TempDir()
	store, _ := profiles.Open(dir, nil)
	m, _ := NewWizard(Options{Lang: api.English, Store: store, Endpoint: "https://ssl.tencentcloudapi.com", Now: fixedNow})
	m.s.d = newDraft(example(b), "acme")
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.open(newStep(m.s, m.s.stepIndex(api.StepOrganization), false))
	key := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'a'}}
	back := tea.KeyMsg{Type: tea.KeyBackspace}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.Update(key)
		} else {
			m.Update(back)
		}
		_ = m.View()
	}
}

func TestCSRFileIsParsedAndPrefills(t *testing.T) {
	d := newDraft(api.Request{CertificateId: "abcb1234", CsrType: "parse"}, "")
	var path fieldDef
	for _, g := range stepDefs(api.StepCSR, api.English) {
		for _, f := range g.fields {
			if f.key == "csrPath" {
				path = f
			}
		}
	}
	if err := path.check(d, "../api/testdata/rsa1024.csr"); err == nil || !strings.Contains(err.Error(), "weak 1024-bit") {
		t.Fatalf("weak CSR accepted: %v", err)
	}
	if err := path.check(d, "../api/testdata/rsa2048.csr"); err != nil {
		t.Fatal(err)
	}
	d.csrPath = "../api/testdata/rsa2048.csr"
	if err := d.loadCSRFile(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.req.CsrContent, "-----BEGIN CERTIFICATE REQUEST-----") {
		t.Fatalf("CsrContent = %q", d.req.CsrContent)
	}
	if s := csrSummary(d.req.CsrContent, api.English); s != "✓ CN www.example.com · SAN www.example.com, example.com · RSA 2048" {
		t.Fatalf("summary %q", s)
	}
	d.prefillFromCSR()
	r := d.request()
	if r.CertificateDomain != "www.example.com" || r.OrganizationName != "Example Technology Co., Ltd." || r.OrganizationCountry != "CN" ||
		r.OrganizationCity != "Shenzhen" || strings.Join(r.DomainList, ",") != "example.com" {
		t.Fatalf("prefilled %+v", r)
	}
	if ps := api.Validate(r, api.Partial); len(ps) != 0 {
		t.Fatalf("the prefilled draft has problems: %v", ps)
	}
}

func TestExportWritesAPIParametersWithoutSecrets(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	r.KeyPassword = "pw-secret"
	m := f.wizardWith(t, r)
	m.s.d.req.KeyPassword = "pw-secret"
	path := m.s.exportPath()
	if err := m.s.export(path, false); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	got, err := api.DecodeJSON(data)
	if err != nil || bytes.Contains(data, []byte("pw-secret")) || got.CertificateId != "abcb1234" || got.VerifyType != "DNS" {
		t.Fatalf("export %s: %s", path, data)
	}
}

// "Generate here": the key and CSR are written on this machine when review
// is reached, the request carries the CSR as parse, and the screens say
// where the key is.
func TestGenerateHere(t *testing.T) {
	for _, lang := range []string{api.English, api.Chinese} {
		t.Run(lang, func(t *testing.T) {
			// A fixed folder: the review shows the key's absolute path.
			dir := filepath.Join(os.TempDir(), "certwiz-golden-"+lang)
			os.RemoveAll(dir)
			os.MkdirAll(dir, 0o700)
			t.Cleanup(func() { os.RemoveAll(dir) })
			t.Chdir(dir)
			f := newFixture(t, lang)
			m := f.wizardWith(t, example(t))
			m.open(newStep(m.s, m.s.stepIndex(api.StepCSR), true))
			shots := make(chan string, 1)
			tm := teatest.NewTestModel(t, recorder{m, shots}, teatest.WithInitialTermSize(80, 24))
			waitFor(t, tm, "CSR")
			press(tm, tea.KeyDown, tea.KeyDown, tea.KeyEnter)
			waitFor(t, tm, txtKeyType.In(lang))
			time.Sleep(100 * time.Millisecond)
			tm.Send(captureMsg{})
			var generateStep string
			select {
			case generateStep = <-shots:
			case <-time.After(5 * time.Second):
				t.Fatal("no picture of the screen")
			}
			press(tm, tea.KeyEnter, "acme.key", tea.KeyEnter, tea.KeyEnter)
			waitFor(t, tm, txtEditStep.In(lang))
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			got := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(recorder).Wizard
			golden(t, lang+"-80x24-csr-generate", generateStep)
			golden(t, lang+"-80x24-review-generated", got.View())
			keyPEM, err := os.ReadFile("acme.key")
			if err != nil {
				t.Fatal(err)
			}
			if fi, _ := os.Stat("acme.key"); fi.Mode().Perm() != 0o600 {
				t.Fatalf("key mode %o", fi.Mode().Perm())
			}
			csrPEM, _ := os.ReadFile("acme.csr")
			r := got.s.d.request()
			if r.CsrType != "parse" || r.CsrContent != strings.TrimSpace(string(csrPEM)) {
				t.Fatalf("request CsrType %q, CsrContent differs from acme.csr", r.CsrType)
			}
			block, _ := pem.Decode(keyPEM)
			key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			info, _ := api.InspectCSR(r.CsrContent)
			if !key.(*ecdsa.PrivateKey).PublicKey.Equal(info.Request.PublicKey) {
				t.Fatal("the CSR is not for the key written")
			}
			if info.CommonName != "www.example.com" || info.Attr("O") != "Example Technology Co., Ltd." {
				t.Fatalf("CSR subject %+v", info.Subject)
			}
		})
	}
}

// recorder wraps the wizard to take a picture of its screen on captureMsg,
// for golden files of screens in the middle of a walk.
type captureMsg struct{}

type recorder struct {
	*Wizard
	shots chan<- string
}

func (r recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(captureMsg); ok {
		r.shots <- r.Wizard.View()
		return r, nil
	}
	m, cmd := r.Wizard.Update(msg)
	return recorder{m.(*Wizard), r.shots}, cmd
}

// A submission can be cancelled while it waits; the draft is back at review.
func TestSubmittingCanBeCancelled(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	r.CertificateId = "testSlow"
	m := f.wizardWith(t, r)
	m.open(newReview(m.s))
	tm := start(t, m, 80, 24)
	waitFor(t, tm, "Edit a step")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Submitting to http://127.0.0.1:8417")
	press(tm, tea.KeyEsc)
	waitFor(t, tm, "Submission cancelled")
	got := final(t, tm)
	if !isScreen[*reviewScreen](got) || got.ExitCode() != 0 {
		t.Fatalf("screen %T exit %d", got.cur, got.ExitCode())
	}
	recs := outcomes(t, f.hist)
	if len(recs) != 1 || recs[0].Outcome != api.CodeCanceled {
		t.Fatalf("history %+v", recs)
	}
}

// A signal while accessible mode waits for an answer saves and ends at once.
func TestAccessibleSignalSavesAtOnce(t *testing.T) {
	f := newFixture(t, api.English)
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(t.Context())
	var out bytes.Buffer
	done := make(chan int, 1)
	go func() {
		code, _ := RunAccessible(ctx, f.opts, pr, &syncWriter{w: &out})
		done <- code
	}()
	io.WriteString(pw, "1\ndemo0105\n1\n\n") // start, certificate, online, no key password
	time.Sleep(300 * time.Millisecond)
	cancel() // as main does on SIGTERM
	select {
	case code := <-done:
		if code != api.ExitInterrupted {
			t.Fatalf("exit %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("accessible mode did not end on the signal")
	}
	if p, err := f.store.Load("cert-demo0105"); err != nil || p.Params.CsrType != "online" {
		t.Fatalf("saved %+v %v", p, err)
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}

// Keys typed faster than huh moves between fields (a fast typist, a paste,
// a script) still land in the fields they were meant for.
func TestFastTypingLandsInTheRightFields(t *testing.T) {
	f := newFixture(t, api.English)
	m, _ := NewWizard(f.opts)
	tm := start(t, m, 100, 30)
	waitFor(t, tm, "New submission")
	for _, k := range []any{tea.KeyEnter, "demo0102", tea.KeyEnter, tea.KeyEnter, tea.KeyEnter, "www.example.com", tea.KeyEnter,
		"example.com", tea.KeyEnter, tea.KeyEnter, "Example Co", tea.KeyEnter, "IT", tea.KeyEnter, "1 Road", tea.KeyEnter, tea.KeyEnter,
		"Guangdong", tea.KeyEnter, "Shenzhen", tea.KeyEnter, "518000", tea.KeyEnter, "0755", tea.KeyEnter, "86013388", tea.KeyEnter, "Lei", tea.KeyEnter} {
		switch k := k.(type) { // no pause at all between keys
		case string:
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		case tea.KeyType:
			tm.Send(tea.KeyMsg{Type: k})
		}
	}
	waitFor(t, tm, "Family name")
	got := final(t, tm).s.d.request()
	if strings.Join(got.DomainList, ",") != "example.com" {
		t.Fatalf("DomainList %q", got.DomainList)
	}
	want := api.Request{CertificateId: "demo0102", IsDV: "true", CsrType: "online", CertificateDomain: "www.example.com", OrganizationName: "Example Co",
		OrganizationDivision: "IT", OrganizationAddress: "1 Road", OrganizationCountry: "CN", OrganizationRegion: "Guangdong",
		OrganizationCity: "Shenzhen", PostalCode: "518000", PhoneAreaCode: "0755", PhoneNumber: "86013388", AdminFirstName: "Lei",
		ContactFirstName: "Lei"} // the contact is the administrator unless said otherwise
	got.DomainList = nil
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}
