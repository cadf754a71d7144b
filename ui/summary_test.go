package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/install"
	"github.com/charmbracelet/lipgloss"
)

// installedFor is what an install of www.example.com by a CSR made here
// reports: nginx's files written under /srv/tls, the key beside the CSR.
func installedFor(matches bool) install.Installed {
	return install.Installed{
		CertificateId: "abcb1234",
		Dir:           "/srv/tls",
		Archive:       []bundle.File{{Path: "www.example.com_nginx/www.example.com_bundle.crt"}},
		Files:         []string{"/srv/tls/www.example.com_nginx/www.example.com_bundle.crt"},
		Info:          bundle.Info{DNSNames: []string{"www.example.com"}, NotBefore: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)},
		Key:           install.KeyCheck{Path: "/home/ops/www.example.com.key", Matches: &matches},
	}
}

// Newcomer items 9 and 14: what the wizard leaves in the scrollback is in
// the user's language and holds the key and the nginx lines, as the card.
func TestInstalledSummaryInTheUsersLanguage(t *testing.T) {
	en := installedSummary(installedFor(true), api.English)
	for _, want := range []string{"Certificate: abcb1234", "Folder: /srv/tls", "Valid: 2026-12-01 00:00 UTC to 2027-12-01 00:00 UTC",
		"Private key: ✓", "/home/ops/www.example.com.key", "ssl_certificate /srv/tls/www.example.com_nginx/www.example.com_bundle.crt;",
		"ssl_certificate_key /home/ops/www.example.com.key;", "Names: www.example.com", "renew before 2027-11-01"} {
		if !strings.Contains(en, want) {
			t.Errorf("English summary lacks %q:\n%s", want, en)
		}
	}
	zh := installedSummary(installedFor(true), api.Chinese)
	for _, want := range []string{"证书：abcb1234", "文件夹：/srv/tls", "有效期：", "私钥：", "ssl_certificate_key /home/ops/www.example.com.key;"} {
		if !strings.Contains(zh, want) {
			t.Errorf("Chinese summary lacks %q:\n%s", want, zh)
		}
	}
	for _, english := range []string{"Certificate:", "Folder:", "Valid:"} {
		if strings.Contains(zh, english) {
			t.Errorf("Chinese summary says %q:\n%s", english, zh)
		}
	}
}

// Newcomer item 1: a key certwiz has just said does not match is never
// put in the nginx lines, on the card or in the summary.
func TestMismatchedKeyNotInConfigLines(t *testing.T) {
	r := installedFor(false)
	sum := installedSummary(r, api.English)
	if !strings.Contains(sum, "ssl_certificate_key <your key>;") || strings.Contains(sum, "ssl_certificate_key /home/ops") {
		t.Fatalf("summary:\n%s", sum)
	}
	s := &session{lang: api.English}
	card := (&installedScreen{s: s, res: r}).card(100)
	if !strings.Contains(card, "<your key>;") || strings.Contains(card, "/home/ops/www.example.com.key;") {
		t.Fatalf("card:\n%s", card)
	}
}

// Two walks: the final card's border was cut at 100×30. The card fits the
// pane; the nginx lines, copied whole, sit under it and may be wider.
func TestFinalCardFitsThePane(t *testing.T) {
	r := installedFor(true)
	r.Dir = "/srv/tls/" + strings.Repeat("deep/", 12)
	r.Files = []string{r.Dir + "www.example.com_nginx/www.example.com_bundle.crt"}
	card := (&installedScreen{s: &session{lang: api.English}, res: r}).card(76)
	top, rest, _ := strings.Cut(card, "\n")
	if w := lipgloss.Width(top); w != 76 || !strings.HasSuffix(top, "╮") {
		t.Fatalf("the card's top is %d wide: %q", w, top)
	}
	if !strings.Contains(rest, "\n  ssl_certificate "+r.Files[0]+";") {
		t.Fatalf("the nginx line is not whole under the card:\n%s", card)
	}
}

// Second walk: a key generated here with a passphrase needs
// ssl_password_file for nginx to start unattended — said on the card and
// in the summary; not for a key without one.
func TestEncryptedKeyNamesThePasswordFile(t *testing.T) {
	r := installedFor(true)
	r.Key = install.KeyCheck{Path: "/home/ops/www.example.com.key", Why: "it is encrypted with a passphrase", Encrypted: true}
	card := (&installedScreen{s: &session{lang: api.English}, res: r}).card(100)
	sum := installedSummary(r, api.English)
	for what, s := range map[string]string{"card": card, "summary": sum} {
		if !strings.Contains(s, "ssl_password_file /path/to/the-passphrase.txt;") || !strings.Contains(s, "ssl_certificate_key /home/ops/www.example.com.key;") {
			t.Errorf("%s:\n%s", what, s)
		}
	}
	if s := installedSummary(installedFor(true), api.English); strings.Contains(s, "ssl_password_file") {
		t.Errorf("an unencrypted key:\n%s", s)
	}
}
