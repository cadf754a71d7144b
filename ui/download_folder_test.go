package ui

import (
	"bufio"
	"bytes"
	"context"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
)

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
	if _, code, err := accessibleDownload(context.Background(), m.s, p, d); code != 0 || err != nil {
		t.Fatalf("accessible: %d %v", code, err)
	}
	if s := out.String(); strings.Contains(s, "[./") || strings.Contains(s, "--out ./") || !strings.Contains(s, "give a folder") || !strings.Contains(s, "--out DIR") {
		t.Fatalf("accessible mode said:\n%s", s)
	}
	if got := bundletest.ListAll(base); strings.Join(got, " ") != "a a/b" {
		t.Fatalf("written: %q", got)
	}
}
