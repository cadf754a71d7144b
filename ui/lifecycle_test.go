package ui

// The road past the submission: picking the certificate from the account,
// checking a typed ID, sending the order to the CA, and starting from a
// certificate already submitted. All against the sandbox over loopback.

import (
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// A newcomer picks the certificate from the list (no ID typed), fills the
// steps, submits and sends it to the CA; the sandbox then holds it at
// status 0, PENDING-DCV, with the submitted data.
func TestPickSubmitAndSendToCA(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	r.CertificateId, r.CertificateDomain, r.DomainList = "", "", nil
	m := f.wizardWith(t, r)
	m.open(stepAt(m.s, 0, false))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "Which certificate?")
	s := screen()
	for _, want := range []string{"abcb1234 — www.example.com +1 — TrustAsia", "demo0001 — shop.example.com", "Type a certificate ID instead"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the list lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "issued01") || strings.Contains(s, "review01") {
		t.Fatalf("the list offers certificates that do not await information:\n%s", s)
	}
	for !strings.Contains(screen(), "> abcb1234") {
		press(tm, tea.KeyDown)
	}
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "CSR mode")
	d := m.s.d.request()
	if d.CertificateId != "abcb1234" || d.IsDV != "true" || d.CertificateDomain != "www.example.com" || strings.Join(d.DomainList, ",") != "example.com" {
		t.Fatalf("the draft did not take the certificate: %+v", d)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	// The rest of the walk, from the saved profile: submit, then send.
	m2 := f.wizardWith(t, mustLoad(t, f, "acme"))
	tm, screen = live(t, m2, 100, 30)
	waitFor(t, tm, "Submit")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Information stored by the sandbox")
	if s := screen(); strings.Contains(s, "moves to review") || !strings.Contains(s, "not with the CA yet") {
		t.Fatalf("the result card claims too much:\n%s", s)
	}
	if st, _ := f.sb.Certificate("abcb1234"); st.Status != 5 || st.SubmittedData == nil {
		t.Fatalf("after the submission the sandbox holds %+v", st)
	}
	press(tm, tea.KeyEnter) // Send to the CA now
	waitFor(t, tm, "cannot be undone")
	if s := screen(); !strings.Contains(s, "> Not now") || !strings.Contains(s, "validating the domains by DNS") {
		t.Fatalf("the confirmation does not name the method or defaults to sending:\n%s", s)
	}
	press(tm, tea.KeyDown, tea.KeyEnter)
	waitFor(t, tm, "With the CA")
	s = screen()
	st, _ := f.sb.Certificate("abcb1234")
	if st.Status != 0 || st.StatusMsg != "PENDING-DCV" || st.OrderId == "" || !strings.Contains(s, st.OrderId) || !strings.Contains(s, "awaiting domain validation") {
		t.Fatalf("sandbox %+v, screen:\n%s", st, s)
	}
	if st.SubmittedData["OrganizationName"] != "Example Technology Co., Ltd." {
		t.Fatalf("submitted data %v", st.SubmittedData)
	}
	got := finalOf(t, tm)
	if out, _ := got.Final(); !strings.Contains(out, "OrderId: "+st.OrderId) {
		t.Fatalf("stdout %q", out)
	}
	recs := outcomes(t, f.hist)
	if len(recs) != 2 || recs[0].Outcome != "OK" || recs[1].Outcome != "COMMIT:OK" {
		t.Fatalf("history %+v", recs)
	}
}

func mustLoad(t *testing.T, f *fixture, name string) api.Request {
	t.Helper()
	p, err := f.store.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	r := p.Params
	for _, k := range []string{"OrganizationName", "OrganizationDivision", "OrganizationAddress", "OrganizationCountry", "OrganizationRegion",
		"OrganizationCity", "PostalCode", "PhoneAreaCode", "PhoneNumber", "AdminFirstName", "AdminLastName", "AdminPhoneNum", "AdminEmail",
		"AdminPosition", "ContactFirstName", "ContactLastName", "ContactEmail", "ContactNumber", "ContactPosition", "VerifyType", "CsrType"} {
		if !r.Has(k) {
			e := example(t)
			_ = r.Set(k, e.Get(k))
		}
	}
	return r
}

// A typed ID is checked with the account at once: one that does not await
// information is refused with its status, before eight steps are filled.
func TestTypedIDIsChecked(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, api.Request{})
	m.open(stepAt(m.s, 0, false))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "Which certificate?")
	press(tm, "issued01", tea.KeyEnter)
	waitFor(t, tm, "Certificate issued01: issued")
	if s := screen(); !strings.Contains(s, "> issued01") || !strings.Contains(s, "Certificate ID") {
		t.Fatalf("the form does not keep the ID:\n%s", s)
	}
	press(tm, tea.KeyCtrlU, "nosuch99", tea.KeyEnter)
	waitFor(t, tm, "is not in this account")
	press(tm, tea.KeyCtrlU, "demo0201", tea.KeyEnter)
	waitFor(t, tm, "CSR mode")
	finalOf(t, tm)
}

// An ID copied with blanks around it (from a spreadsheet) is the ID; a
// blank inside one is named as such, before anything is asked.
func TestTypedIDIsTrimmed(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, api.Request{})
	m.open(stepAt(m.s, 0, false))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "Which certificate?")
	press(tm, "demo 0201", tea.KeyEnter)
	waitFor(t, tm, "space inside")
	if s := screen(); !strings.Contains(s, "Certificate ID") || strings.Contains(s, "not in this account") {
		t.Fatalf("a blank inside the ID:\n%s", s)
	}
	press(tm, tea.KeyCtrlU, " demo0201\t ", tea.KeyEnter)
	waitFor(t, tm, "CSR mode")
	if id := m.s.d.req.CertificateId; id != "demo0201" {
		t.Fatalf("CertificateId %q, want demo0201", id)
	}
	finalOf(t, tm)
}

// "Not now" returns to the card; "Later" quits and prints the command.
func TestSendLater(t *testing.T) {
	f := newFixture(t, api.English)
	f.opts.Resume = []string{"certwiz", "--sandbox"}
	m := f.wizardWith(t, example(t))
	tm := start(t, m, 100, 30)
	waitFor(t, tm, "Submit")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Information stored")
	press(tm, tea.KeyEnter, tea.KeyEnter) // send, then "Not now"
	waitFor(t, tm, "Later (quit")
	press(tm, tea.KeyDown, tea.KeyEnter)
	got := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Wizard)
	_, msg := got.Final()
	if got.ExitCode() != 0 || !strings.Contains(msg, "When ready: certwiz --sandbox commit abcb1234") || !strings.Contains(msg, "sandbox forgets") {
		t.Fatalf("exit %d message %q", got.ExitCode(), msg)
	}
	if st, _ := f.sb.Certificate("abcb1234"); st.Status != 5 {
		t.Fatalf("sent anyway: %+v", st)
	}
}

// A refused commit shows the commit's error card; Retry sends the commit
// again, not the submission.
func TestCommitErrorCard(t *testing.T) {
	f := newFixture(t, api.English)
	r := example(t)
	r.CertificateId = "testCommitNetworkError"
	m := f.wizardWith(t, r)
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "Submit")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Information stored")
	press(tm, tea.KeyEnter, tea.KeyDown, tea.KeyEnter)
	waitFor(t, tm, "The CA is busy")
	press(tm, tea.KeyEnter) // Retry: the first action of a retryable error
	time.Sleep(300 * time.Millisecond)
	if s := screen(); !strings.Contains(s, "Attempt 2") || !strings.Contains(s, "The CA is busy") {
		t.Fatalf("screen:\n%s", s)
	}
	if n := len(f.sb.Submissions()); n != 1 {
		t.Fatalf("%d submissions: Retry re-sent the information", n)
	}
	finalOf(t, tm)
}

// Starting from a submitted certificate copies its organization and people
// into a new draft, never its certificate fields.
func TestStartFromSubmittedCertificate(t *testing.T) {
	f := newFixture(t, api.English)
	client := f.opts.Client
	if _, err := client.Submit(t.Context(), example(t).Normalized()); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Commit(t.Context(), "abcb1234", "DNS"); err != nil {
		t.Fatal(err)
	}
	m, _ := NewWizard(f.opts)
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "Start from a submitted certificate")
	press(tm, tea.KeyEnd, tea.KeyEnter)
	waitFor(t, tm, "Which certificate's information")
	for !strings.Contains(screen(), "> abcb1234") {
		press(tm, tea.KeyDown)
	}
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Organization and people copied from certificate abcb1234")
	got := finalOf(t, tm).s.d.request()
	if got.CertificateId != "" || got.CertificateDomain != "" || got.OrganizationName != "Example Technology Co., Ltd." || got.AdminEmail != "admin@example.com" || got.KeyPassword != "" {
		t.Fatalf("draft %+v", got)
	}
}

// Picking another certificate, or choosing to type an ID after a pick,
// replaces what the first pick filled in: no ID typed onto the old one, no
// domain of another order left behind.
func TestAnotherPickReplacesTheFirst(t *testing.T) {
	d := newDraft(api.Request{}, "")
	a := api.Certificate{CertificateId: "abcb1234", Domain: "www.example.com", SubjectAltName: []string{"www.example.com", "example.com"}}
	takeCertificate(d, a)
	if d.req.CertificateDomain != "www.example.com" || d.domains != "example.com" {
		t.Fatalf("first pick: %q %q", d.req.CertificateDomain, d.domains)
	}
	takeCertificate(d, api.Certificate{CertificateId: "demo0006"}) // an order with no names yet
	if d.req.CertificateId != "demo0006" || d.req.CertificateDomain != "" || d.domains != "" {
		t.Fatalf("second pick kept the first's names: %q %q %q", d.req.CertificateId, d.req.CertificateDomain, d.domains)
	}
	takeCertificate(d, a)
	d.req.CertificateDomain = "shop.example.com" // the user's own change stays
	d.forgetPick()
	if d.req.CertificateId != "" || d.req.CertificateDomain != "shop.example.com" || d.domains != "" {
		t.Fatalf("typing an ID instead: %q %q %q", d.req.CertificateId, d.req.CertificateDomain, d.domains)
	}
}
