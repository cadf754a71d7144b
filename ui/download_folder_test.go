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
)

func TestDefaultFolderIsADNSName(t *testing.T) {
	for domain, want := range map[string]string{"www.example.com": "./www.example.com", "*.example.com": "./_.example.com"} {
		if got := DefaultFolder(domain); got != want || OutArg(domain) != want {
			t.Errorf("%q: %q %q", domain, got, OutArg(domain))
		}
	}
	for _, domain := range []string{"../../../../etc/cron.d", "", "a/b.example.com", "certificate", "x.example.com\x1b[2J"} {
		if got := DefaultFolder(domain); got != "" || OutArg(domain) != "DIR" {
			t.Errorf("%q made a folder: %q %q", domain, got, OutArg(domain))
		}
	}
}

// A Domain that is not a DNS name gives the wizard and accessible mode no
// folder: Enter downloads nowhere, and the printed command leaves DIR to
// the user.
func TestDownloadFolderIsNeverMadeFromAnAnswer(t *testing.T) {
	base := t.TempDir()
	here := filepath.Join(base, "a", "b")
	os.MkdirAll(here, 0o700)
	t.Chdir(here)
	f := newFixture(t, api.English)
	m, err := NewWizard(f.opts)
	if err != nil {
		t.Fatal(err)
	}
	var d api.CertificateDetail
	d.CertificateId, d.Domain, d.Status = "issued01", "../../outside.d", api.StatusIssued
	sc := newDownloadPrompt(m.s, d)
	if sc.dir != "" || !strings.Contains(m.s.onward, "--out DIR") || strings.Contains(m.s.onward, "outside") {
		t.Fatalf("the wizard's folder %q, onward %q", sc.dir, m.s.onward)
	}
	var out bytes.Buffer
	p := &prompter{in: bufio.NewReader(strings.NewReader("\n")), out: &out, lang: api.English}
	if code, err := accessibleDownload(context.Background(), m.s, p, d); code != 0 || err != nil {
		t.Fatalf("accessible: %d %v", code, err)
	}
	if s := out.String(); strings.Contains(s, "[./") || strings.Contains(s, "--out ./") || !strings.Contains(s, "give a folder") || !strings.Contains(s, "--out DIR") {
		t.Fatalf("accessible mode said:\n%s", s)
	}
	if got := listAll(t, base); strings.Join(got, " ") != "a a/b" {
		t.Fatalf("written: %q", got)
	}
}
