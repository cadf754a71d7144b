package ui

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	tea "github.com/charmbracelet/bubbletea"
)

// issuedWithTwoKeys submits a certificate with a key generated here
// (a.key), then again with another (b.key), as the wizard records it, and
// has the sandbox issue it: it is for b.key. It returns the fixture, the
// certificate and the folder of the keys.
func issuedWithTwoKeys(t *testing.T) (*fixture, api.CertificateDetail, string) {
	t.Helper()
	f, _ := validatingFixture(t, api.English, true)
	f.store.History = f.hist
	keys := t.TempDir()
	sendDraft(t, f, generated(t, keys, "a.key"))
	id := sendDraft(t, f, generated(t, keys, "b.key")).d.req.CertificateId
	issue(t, f, id)
	d, err := f.opts.Client.DescribeCertificateDetail(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return f, d, keys
}

// wizardIn is a new wizard working in dir (where ./www.example.com is).
func (f *fixture) wizardIn(t *testing.T, dir string) *Wizard {
	t.Helper()
	t.Chdir(dir)
	m, err := NewWizard(f.opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// forgottenIn checks the history after a download with b.key: a.key is
// forgotten (one KEY-FORGOTTEN line, appended), only b.key is offered, and
// both files are untouched.
func forgottenIn(t *testing.T, f *fixture, id, keys string) {
	t.Helper()
	recs, err := f.hist.Read()
	if err != nil {
		t.Fatal(err)
	}
	var forgot []profiles.Record
	for _, r := range recs {
		if r.Outcome == profiles.OutcomeKeyForgotten {
			forgot = append(forgot, r)
		}
	}
	a, b := filepath.Join(keys, "a.key"), filepath.Join(keys, "b.key")
	if len(forgot) != 1 || forgot[0].KeyFile != a || forgot[0].CertificateId != id || forgot[0].Reason != profiles.ForgetDownloaded || forgot[0].KeySHA256 == "" {
		t.Fatalf("forgotten records %+v", forgot)
	}
	if offered, err := f.store.KeysFor(id); err != nil || len(offered) != 1 || offered[0].Path != b {
		t.Fatalf("offered after the download: %v %v", offered, err)
	}
	for _, k := range []string{a, b} {
		if fi, err := os.Stat(k); err != nil || fi.Size() == 0 {
			t.Fatalf("%s: %v", k, err)
		}
	}
}

// The wizard's download finds the certificate's key (b.key) and forgets
// the other key generated for it: the final card and the exit summary
// name a.key, whole, as no longer needed; the history says so.
func TestWizardDownloadForgetsTheOtherKeys(t *testing.T) {
	f, d, keys := issuedWithTwoKeys(t)
	m := f.wizardIn(t, t.TempDir())
	m.open(newDownloadPrompt(m.s, d))
	tm, screen := live(t, m, 200, 50)
	waitFor(t, tm, "www.example.com")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "No longer needed")
	a, b := filepath.Join(keys, "a.key"), filepath.Join(keys, "b.key")
	s := screen()
	if !strings.Contains(s, "│ "+a+" ") && !strings.Contains(s, "  "+a+" ") || !strings.Contains(s, b+" (generated here) matches the certificate") ||
		strings.Contains(s, "ssl_certificate_key "+a) {
		t.Fatalf("screen:\n%s", s)
	}
	got := finalOf(t, tm)
	out, _ := got.Final()
	if !strings.Contains(out, "No longer needed: keys generated here for this certificate that it is not for.") || !strings.Contains(out, "\n  "+a+"\n") {
		t.Fatalf("summary:\n%s", out)
	}
	forgottenIn(t, f, d.CertificateId, keys)
}

// Accessible mode's download says the same and forgets the same.
func TestAccessibleDownloadForgetsTheOtherKeys(t *testing.T) {
	f, d, keys := issuedWithTwoKeys(t)
	m := f.wizardIn(t, t.TempDir())
	var out bytes.Buffer
	p := &prompter{in: bufio.NewReader(strings.NewReader("\n")), out: &out, lang: api.English}
	if _, code, err := accessibleDownload(context.Background(), m.s, p, d); code != 0 || err != nil {
		t.Fatalf("accessible: %d %v\n%s", code, err, out.String())
	}
	if s := out.String(); !strings.Contains(s, "No longer needed: keys generated here") || !strings.Contains(s, "\n  "+filepath.Join(keys, "a.key")+"\n") {
		t.Fatalf("accessible mode said:\n%s", s)
	}
	forgottenIn(t, f, d.CertificateId, keys)
}
