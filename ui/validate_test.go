package ui

// The road after the CA has the order: the validation screen (records,
// copy, checks), issuance, the download into a folder, and continuing a
// certificate in validation from the start screen. Against a sandbox
// serving its API, DNS and HTTP on loopback, publishing the records at once.

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// validatingFixture is newFixture over a sandbox started with its DNS and
// HTTP servers, records published at once and issuance at once; copies
// go to clip.
func validatingFixture(t *testing.T, lang string, publish bool) (*fixture, *clipboard) {
	t.Helper()
	f := newFixture(t, lang)
	sb := sandbox.New(sandbox.Options{PublishDelay: -1, NoPublish: !publish, IssueDelay: -1, FrequentWindow: -1})
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
	clip := &clipboard{}
	f.sb = sb
	f.opts.Client, f.opts.Lookup, f.opts.Clipboard = client, sb.Lookup(), clip.copy
	f.opts.WatchInterval, f.opts.WatchTencentEvery = 200*time.Millisecond, 200*time.Millisecond
	return f, clip
}

type clipboard struct {
	mu     sync.Mutex
	copied []string
}

func (c *clipboard) copy(v string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.copied = append(c.copied, v)
	return nil
}

func (c *clipboard) last() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.copied) == 0 {
		return ""
	}
	return c.copied[len(c.copied)-1]
}

// Submit, send, and the validation screen shows each record in every form,
// copies the focused value, finds the records, asks the CA once, and on
// issuance downloads into the folder typed: 0600 files openssl reads.
func TestValidateAndDownload(t *testing.T) {
	f, clip := validatingFixture(t, api.English, true)
	m := f.wizardWith(t, example(t))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "Submit")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "Information stored by the sandbox")
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "cannot be undone")
	press(tm, tea.KeyDown, tea.KeyEnter)
	waitFor(t, tm, "Save the certificate in")
	// Newcomer walk: n pressed to check again as the prompt opened by
	// itself is meant for the validation screen, not the folder.
	press(tm, "n", "n", tea.KeyEnd, "x")
	waitScreen(t, screen, "www.example.comx") // end shows the user is here: then typing goes in
	st, _ := f.sb.Certificate("abcb1234")
	if st.Status != 1 {
		t.Fatalf("the sandbox holds %+v, want issued", st)
	}
	if n := f.sb.Completions("abcb1234"); n != 1 {
		t.Fatalf("CompleteCertificate called %d times, want once", n)
	}
	press(tm, tea.KeyCtrlU, tea.KeyEnter) // no folder: said under the field
	waitScreen(t, screen, "✗ Save the certificate in: give a folder")
	dir := filepath.Join(t.TempDir(), "out")
	press(tm, tea.KeyCtrlU, dir, tea.KeyEnter)
	waitFor(t, tm, "The certificate is on disk")
	if s := screen(); !strings.Contains(s, "  www.example.com_nginx/\n") && !strings.Contains(s, "  www.example.com_nginx/ ") || !strings.Contains(s, "    www.example.com_bundle.crt") || !strings.Contains(s, "Names: www.example.com, example.com") {
		t.Fatalf("the final card lacks the files or the names:\n%s", s)
	}
	press(tm, tea.KeyPgDown, tea.KeyPgDown)
	s := screen()
	for _, want := range []string{"ssl_certificate ", "ssl_certificate_key", "renew before"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the final card lacks %q:\n%s", want, s)
		}
	}
	// A path is never wrapped inside (newcomer item 8): its line is cut at
	// the pane's edge, and → shows the rest of it, whole.
	if strings.Contains(s, "_bun\n") || !strings.Contains(s, "←/→ see the whole line") {
		t.Fatalf("the nginx lines wrap, or the sideways keys are not said:\n%s", s)
	}
	for range 12 {
		press(tm, tea.KeyRight)
	}
	want := filepath.Base(dir) + "/www.example.com_nginx/www.example.com_bundle.crt;"
	waitScreen(t, screen, want)
	crt := filepath.Join(dir, "www.example.com_nginx", "www.example.com_bundle.crt")
	fi, err := os.Stat(crt)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("bundle %v %v", fi, err)
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Fatalf("folder mode %v", di.Mode())
	}
	out, err := exec.Command("openssl", "x509", "-in", crt, "-noout", "-ext", "subjectAltName").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "DNS:www.example.com") || !strings.Contains(string(out), "DNS:example.com") {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	_ = clip
	// Leaving the last card, even with ctrl+c, is success: it is all done.
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	if got := finalOfQuit(t, tm); got.ExitCode() != 0 || !strings.Contains(got.s.final, "www.example.com_bundle.crt") {
		t.Fatalf("exit %d, stdout %q", got.ExitCode(), got.s.final)
	}
}

// The validation screen before the records appear: every form of the
// host, c copies the focused one, ↓ moves to the next value.
func TestValidationScreenCopies(t *testing.T) {
	f, clip := validatingFixture(t, api.English, false)
	m := f.wizardWith(t, api.Request{})
	m.open(newValidation(m.s, "dcvwait1"))
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "_dnsauth.blog.example.com.")
	s := screen()
	for _, want := range []string{"Domain validation — blog.example.com", "Host (in zone example.com):", "_dnsauth.blog", "Full name with dot:", "Validate by"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the validation screen lacks %q:\n%s", want, s)
		}
	}
	if !strings.Contains(s, "next check in") && !strings.Contains(s, "checking…") {
		t.Fatalf("the screen does not say when it checks:\n%s", s)
	}
	press(tm, "c")
	waitScreen(t, screen, "(OSC 52): Host")
	if clip.last() != "_dnsauth.blog" {
		t.Fatalf("copied %q", clip.last())
	}
	press(tm, tea.KeyDown, tea.KeyDown, tea.KeyDown, "c")
	waitScreen(t, screen, "(OSC 52): Value")
	d, err := f.opts.Client.DescribeCertificateDetail(context.Background(), "dcvwait1")
	if err != nil {
		t.Fatal(err)
	}
	rec := d.Records()
	if len(rec) == 0 || clip.last() != rec[0].Value {
		t.Fatalf("copied %q, records %+v", clip.last(), rec)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// The start screen's "Continue a certificate in validation" lists the
// account's certificates in validation and opens the one picked.
func TestContinueInValidation(t *testing.T) {
	f, _ := validatingFixture(t, api.Chinese, false)
	o := f.opts
	m, err := NewWizard(o)
	if err != nil {
		t.Fatal(err)
	}
	tm, screen := live(t, m, 100, 30)
	waitFor(t, tm, "继续验证中的证书")
	for !strings.Contains(screen(), "> 继续验证中的证书") {
		press(tm, tea.KeyDown)
	}
	press(tm, tea.KeyEnter)
	waitFor(t, tm, "哪张证书？")
	s := screen()
	for _, want := range []string{"dcvwait1", "dnsauto1", "letter01"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the list lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "abcb1234") || strings.Contains(s, "issued01") {
		t.Fatalf("the list offers certificates not in validation:\n%s", s)
	}
	for !strings.Contains(screen(), "> dnsauto1") {
		press(tm, tea.KeyDown)
	}
	press(tm, tea.KeyEnter)
	s = waitScreen(t, screen, "_dnsauth.api")
	for _, want := range []string{"域名验证 — api.example.com", "DNS_AUTO：腾讯云自动添加 DNS 记录", "主机记录（域名 example.com）", "本机检查：", "腾讯云："} {
		if !strings.Contains(s, want) {
			t.Fatalf("the validation screen lacks %q:\n%s", want, s)
		}
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// waitScreen polls the screen until it shows text (the raw output of a
// redraw may split a line with escape sequences); it returns the screen.
func waitScreen(t *testing.T, screen func() string, text string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := screen()
		if strings.Contains(s, text) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q:\n%s", text, s)
		}
	}
}

// Accessible mode takes the same road as prompts: after the commit, the
// records as lines, enter to check again until issued, then the folder
// (the default, here) and the files.
func TestAccessibleValidationToDisk(t *testing.T) {
	f, _ := validatingFixture(t, api.English, true)
	t.Chdir(t.TempDir())
	answers := []string{
		"1", "abcb1234", "1", "", "www.example.com", "example.com", "",
		"Acme Co", "IT", "1 Road", "cn", "Guangdong", "Shenzhen", "", "0755", "86013388",
		"Lei", "Li", "12345678901", "admin@example.com", "CTO",
		"y", "2", // contact same, DNS
		"1", // submit
		"y", // send to the CA
	}
	for range 20 { // enter until issued; then the default folder
		answers = append(answers, "")
	}
	var out bytes.Buffer
	code, err := RunAccessible(t.Context(), f.opts, strings.NewReader(strings.Join(answers, "\n")+"\n"), &out)
	if err != nil || code != 0 {
		t.Fatalf("code %d err %v\n%s", code, err, out.String())
	}
	for _, want := range []string{"1. www.example.com — TXT record", "Host (in zone example.com): _dnsauth.www", "Full name with dot: _dnsauth.www.example.com.",
		"Issued: www.example.com", "Folder: ", "matches the certificate"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if fi, err := os.Stat(filepath.Join("www.example.com", "www.example.com_nginx", "www.example.com_bundle.crt")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("bundle: %v %v", fi, err)
	}
}

// Opened from the start screen (no draft), a certificate whose Tencent
// check fails: the records stay shown, the error is said once, and
// leaving prints how to go on — no crash.
func TestValidationWithoutDraftSurvivesAFailingCheck(t *testing.T) {
	f, _ := validatingFixture(t, api.English, false)
	r := example(t)
	r.CertificateId = "testCheckCannotGetOrder"
	ctx := context.Background()
	if _, err := f.opts.Client.Submit(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := f.opts.Client.Commit(ctx, r.CertificateId, "DNS"); err != nil {
		t.Fatal(err)
	}
	m, err := NewWizard(f.opts)
	if err != nil {
		t.Fatal(err)
	}
	m.open(newValidation(m.s, r.CertificateId))
	tm, screen := live(t, m, 100, 30)
	s := waitScreen(t, screen, "FailedOperation.CannotGetOrder")
	if !strings.Contains(s, "_dnsauth.www.example.com.") || strings.Count(s, "CannotGetOrder") != 1 {
		t.Fatalf("the records are not shown, or the error twice:\n%s", s)
	}
	press(tm, "q")
	got := finalOfQuit(t, tm)
	if !strings.Contains(got.s.finalErr, "status testCheckCannotGetOrder --watch") {
		t.Fatalf("leaving says %q", got.s.finalErr)
	}
}

// finalOfQuit waits for the wizard to end on its own.
func finalOfQuit(t *testing.T, tm *teatest.TestModel) *Wizard {
	t.Helper()
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(recorder).Wizard
}

// The one-field screens (the draft's name, the download folder) show their
// error under the field; huh's group kept its height and cut it off.
func TestOneFieldScreensShowTheirError(t *testing.T) {
	f := newFixture(t, api.English)
	m := f.wizardWith(t, example(t))
	m.open(newName(m.s, false))
	tm, screen := live(t, m, 100, 30)
	waitScreen(t, screen, "Save this draft as")
	press(tm, tea.KeyCtrlU, "bad/name", tea.KeyEnter)
	waitScreen(t, screen, `✗ Save this draft as: invalid profile name "bad/name"`)
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	m, err := NewWizard(f.opts)
	if err != nil {
		t.Fatal(err)
	}
	var d api.CertificateDetail
	d.CertificateId, d.Domain = "issued01", "portal.example.com"
	m.open(newDownloadPrompt(m.s, d))
	tm, screen = live(t, m, 40, 12)
	waitScreen(t, screen, "./portal.example.com")
	press(tm, tea.KeyCtrlU, tea.KeyEnter)
	waitScreen(t, screen, "✗ Save the certificate in: give a")
	// A file where the folder should be: said under the field, which stays
	// in view with what was typed, even at 40×12.
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	press(tm, tea.KeyCtrlU, file, tea.KeyEnter)
	s := waitScreen(t, screen, "That is a file, not a")
	if !strings.Contains(s, "┃ >") || !strings.Contains(s, "/f") {
		t.Fatalf("the field went out of view:\n%s", s)
	}
	press(tm, "x")
	if s := waitScreen(t, screen, "That is a file, not a"); !strings.Contains(s, "┃ >") || !strings.Contains(s, "/fx") {
		t.Fatalf("typing after the failure hid the field:\n%s", s)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// A wildcard and its bare name share one record name with two values: the
// screen names each by Tencent's domain and says to keep both; pgdn shows
// the next record whole, its value and checks included.
func TestWildcardRecordsAndPaging(t *testing.T) {
	f, _ := validatingFixture(t, api.English, false)
	r := example(t)
	r.CertificateId, r.CertificateDomain, r.DomainList = "demo0003", "*.example.net", []string{"example.net"}
	ctx := context.Background()
	if _, err := f.opts.Client.Submit(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := f.opts.Client.Commit(ctx, r.CertificateId, "DNS"); err != nil {
		t.Fatal(err)
	}
	m, err := NewWizard(f.opts)
	if err != nil {
		t.Fatal(err)
	}
	m.open(newValidation(m.s, r.CertificateId))
	tm, screen := live(t, m, 80, 18) // too short for both records at once
	s := waitScreen(t, screen, "1. *.example.net — TXT record")
	if words := strings.Join(strings.Fields(s), " "); !strings.Contains(words, "2 records share the name _dnsauth.example.net") || !strings.Contains(words, "do not replace one with the other") {
		t.Fatalf("no word on the two values at one name:\n%s", s)
	}
	d, err := f.opts.Client.DescribeCertificateDetail(ctx, r.CertificateId)
	if err != nil {
		t.Fatal(err)
	}
	second := d.Records()[1].Value
	press(tm, tea.KeyPgDown)
	s = waitScreen(t, screen, "2. example.net — TXT record")
	if !strings.Contains(s, second) || strings.Count(s, "certwiz:") < 1 {
		t.Fatalf("pgdn does not show the second record whole:\n%s", s)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}
