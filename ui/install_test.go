package ui

import (
	"bytes"
	"context"
	"crypto/tls"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"github.com/certwiz/certwiz/api/installation"
	"github.com/certwiz/certwiz/api/tlsverify/tlstest"
	"github.com/certwiz/certwiz/profiles"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// "Install here and renew automatically", from the final card, against
// the sandbox and TLS servers on loopback.

// servingCurrent is a TLS server on loopback that loads its certificate
// from DIR/current at every handshake, as nginx does after a reload.
func servingCurrent(t *testing.T, dir string) string {
	t.Helper()
	return tlstest.Serve(t, func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		c, err := tls.LoadX509KeyPair(filepath.Join(dir, "current", "fullchain.pem"), filepath.Join(dir, "current", "privkey.pem"))
		return &c, err
	})
}

// onPath is a PATH that has the commands named.
func onPath(names ...string) func(string) (string, error) {
	return func(name string) (string, error) {
		for _, n := range names {
			if n == name {
				return "/usr/sbin/" + name, nil
			}
		}
		return "", os.ErrNotExist
	}
}

// issuedDetail is an issued sandbox certificate, as the download screen
// gets it.
func issuedDetail(t *testing.T, f *fixture, id string) api.CertificateDetail {
	t.Helper()
	d, err := f.opts.Client.DescribeCertificateDetail(context.Background(), id)
	if err != nil || d.Status != api.StatusIssued {
		t.Fatalf("%s: %v %+v", id, err, d.Certificate)
	}
	return d
}

// atFinalCard downloads certificate id into ./<domain> and stops at the
// final card, with the host's facts given.
func atFinalCard(t *testing.T, f *fixture, id string, h *host, w, ht int) (*teatest.TestModel, func() string) {
	t.Helper()
	m, err := NewWizard(f.opts)
	if err != nil {
		t.Fatal(err)
	}
	m.s.host = h
	m.open(newDownloadPrompt(m.s, issuedDetail(t, f, id)))
	tm, screen := live(t, m, w, ht)
	waitScreen(t, screen, ".example.com")
	press(tm, tea.KeyEnter)
	waitScreen(t, screen, txtDone.In(f.opts.Lang)) // the offer's answers, at any width
	return tm, screen
}

func loadInstallation(t *testing.T, f *fixture, name string) profiles.Installation {
	t.Helper()
	in, err := f.store.LoadInstallation(name)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// Issue 20, item 6: from the final card, the form offers the user's data
// folder, nginx's reload (nginx is on the PATH) and the domain's server;
// the answers typed install the certificate in a versioned folder, run
// the hook once, check a server that reads DIR/current, and save the
// installation; the result names all of it and what to run next — in
// English and Chinese, at 100×30 and at 40×12.
func TestInstallHereFromTheFinalCard(t *testing.T) {
	for _, c := range []struct {
		lang string
		w, h int
		want map[string][]string // by stage: what the user sees
	}{
		{api.English, 100, 30, map[string][]string{
			"form":    {"Folder", "Suggested: nginx is on the PATH", "free.example.com:443", "Renewals validate by"},
			"confirm": {"Install certificate expfree1 (free.example.com) as the installation", "then the deploy hook runs (sh -c)", "must present it within 30s", "Install now"},
			"done":    {"✓ Installed, and saved for renewals", "Installation: free.example.com", "✓ Deploy hook: done in", "presents the new certificate", "ssl_certificate ", "renew --dry-run", "certwiz timer"},
		}},
		{api.Chinese, 100, 30, map[string][]string{
			"form":    {"文件夹", "建议：PATH 中有 nginx", "free.example.com:443", "续期时的域名验证方式"},
			"confirm": {"将证书 expfree1（free.example.com）安装为", "然后运行部署钩子（sh -c）", "现在安装"},
			"done":    {"已安装，并已保存以便续期", "安装：free.example.com", "部署钩子：完成", "ssl_certificate ", "renew --dry-run"},
		}},
		{api.English, 40, 12, map[string][]string{
			"form":    {"Folder", "> "},
			"confirm": {"Install now"},
			"done":    {"✓ Installed, and saved for"},
		}},
		{api.Chinese, 40, 12, map[string][]string{
			"form":    {"文件夹", "> "},
			"confirm": {"现在安装"},
			"done":    {"已安装"},
		}},
	} {
		t.Run(c.lang+"-"+strings.Repeat("x", c.w/40), func(t *testing.T) {
			f, _ := validatingFixture(t, c.lang, true)
			base := t.TempDir()
			t.Chdir(base)
			tm, screen := atFinalCard(t, f, "expfree1", &host{home: base, lookPath: onPath("nginx")}, c.w, c.h)
			press(tm, tea.KeyEnter) // the offer is the first answer
			s := waitScreen(t, screen, c.want["form"][0])
			for _, want := range c.want["form"] {
				if !strings.Contains(s, want) {
					t.Errorf("the form lacks %q:\n%s", want, s)
				}
			}
			if c.w == 100 {
				for _, want := range []string{filepath.Join(".local", "share", "certwiz", "free.example.com"), nginxReload} {
					if !strings.Contains(s, want) {
						t.Errorf("the form's defaults lack %q:\n%s", want, s)
					}
				}
			}
			dir := filepath.Join(base, "srv", "free")
			hookLog := filepath.Join(base, "hook.log")
			hookCmd := `printf '%s %s\n' "$CERTWIZ_NAME" "$CERTWIZ_CERTIFICATE_ID" >> ` + hookLog
			server := servingCurrent(t, dir)
			press(tm, tea.KeyCtrlU, dir, tea.KeyEnter, tea.KeyCtrlU, hookCmd, tea.KeyEnter, tea.KeyCtrlU, server, tea.KeyEnter, tea.KeyEnter)
			s = waitScreen(t, screen, c.want["confirm"][len(c.want["confirm"])-1])
			for _, want := range c.want["confirm"] {
				if !strings.Contains(s, want) {
					t.Errorf("the confirmation lacks %q:\n%s", want, s)
				}
			}
			if _, err := os.Lstat(dir); !os.IsNotExist(err) {
				t.Fatalf("the folder exists before the user said yes: %v", err)
			}
			press(tm, tea.KeyEnter)
			s = waitScreen(t, screen, c.want["done"][0])
			for i := 0; i < 6 && !strings.Contains(s, c.want["done"][len(c.want["done"])-1]); i++ {
				press(tm, tea.KeyPgDown) // a short terminal scrolls to the rest
				s += screen()
			}
			for _, want := range c.want["done"] {
				if !strings.Contains(s, want) {
					t.Errorf("the result lacks %q:\n%s", want, s)
				}
			}
			press(tm, "q")
			got := finalOfQuit(t, tm)
			out, _ := got.Final()
			if got.ExitCode() != 0 || !strings.Contains(out, "ssl_certificate "+filepath.Join(dir, "current", "fullchain.pem")+";") {
				t.Fatalf("exit %d, stdout:\n%s", got.ExitCode(), out)
			}

			// What is on disk: the version current names, the hook's one
			// run, the installation renew reads.
			target, err := os.Readlink(filepath.Join(dir, "current"))
			if err != nil || !strings.HasSuffix(target, "-expfree1") {
				t.Fatalf("current → %q, %v", target, err)
			}
			if b, _ := os.ReadFile(hookLog); string(b) != "free.example.com expfree1\n" {
				t.Fatalf("the hook ran with %q", b)
			}
			in := loadInstallation(t, f, "free.example.com")
			if in.Certificate != "expfree1" || in.Kind != profiles.KindFree || in.Dir != dir || in.DeployHook != hookCmd ||
				strings.Join(in.Verify, ",") != server || in.Validation != api.MethodDNS || in.AuthHook != "" ||
				in.VerifyWait != installation.DefaultVerifyWait || in.HookTimeout != 5*time.Minute {
				t.Fatalf("saved %+v", in)
			}
			recs := outcomes(t, f.hist)
			if n := len(recs); n == 0 || recs[n-1].Action != installation.Action || recs[n-1].Outcome != "OK" || recs[n-1].CertificateId != "expfree1" {
				t.Fatalf("history %+v", recs)
			}
		})
	}
}

// A deploy hook that fails: the card says so with what it printed, that
// there was no version to go back to, and that the installation names
// what current serves; Back shows the answers as typed, and with the hook
// fixed the next try installs.
func TestInstallHookFailureIsACardWithRetryAndBack(t *testing.T) {
	f, _ := validatingFixture(t, api.English, true)
	base := t.TempDir()
	t.Chdir(base)
	tm, screen := atFinalCard(t, f, "expfree1", &host{home: base, lookPath: onPath()}, 100, 30)
	press(tm, tea.KeyEnter)
	s := waitScreen(t, screen, "Folder")
	if strings.Contains(s, nginxReload) {
		t.Fatalf("a hook is suggested without nginx:\n%s", s)
	}
	dir := filepath.Join(base, "live")
	press(tm, tea.KeyCtrlU, dir, tea.KeyEnter, `echo "no such service" >&2; exit 3`, tea.KeyEnter, tea.KeyCtrlU, tea.KeyEnter, tea.KeyEnter)
	waitScreen(t, screen, "Install now")
	press(tm, tea.KeyEnter)
	s = waitScreen(t, screen, "✗ The deploy hook failed")
	first, _ := os.Readlink(filepath.Join(dir, "current")) // no version before it: it stays
	for _, want := range []string{"| no such service", "No previous version to go back to", `Saved as the installation "free.example.com"`,
		"Run the hook yourself", "> Retry", "Back to the answers", "Quit"} {
		if !strings.Contains(s, want) {
			t.Errorf("the failure card lacks %q:\n%s", want, s)
		}
	}
	press(tm, tea.KeyDown, tea.KeyEnter) // back to the answers
	s = waitScreen(t, screen, "Folder")
	if !strings.Contains(s, dir) || !strings.Contains(s, "no such service") {
		t.Fatalf("the answers are not as typed:\n%s", s)
	}
	hookLog := filepath.Join(base, "hook.log")
	press(tm, tea.KeyEnter, tea.KeyCtrlU, "echo ok >> "+hookLog, tea.KeyEnter, tea.KeyEnter, tea.KeyEnter)
	waitScreen(t, screen, "Install now")
	press(tm, tea.KeyEnter)
	waitScreen(t, screen, "Installed, and saved for renewals")
	press(tm, tea.KeyEnter)
	end := finalOfQuit(t, tm)
	if out, _ := end.Final(); !strings.Contains(out, "(was "+first+")") {
		t.Fatalf("the second version does not name the first, %s:\n%s", first, out)
	}
	if b, _ := os.ReadFile(hookLog); string(b) != "ok\n" {
		t.Fatalf("the fixed hook ran %q", b)
	}
	recs := outcomes(t, f.hist)
	var got []string
	for _, r := range recs {
		if r.Action == installation.Action {
			got = append(got, r.Outcome)
		}
	}
	if strings.Join(got, " ") != "ClientError.DeployFailed OK" {
		t.Fatalf("history of the installs: %q", got)
	}
}

// An installation saved before gives the form its answers; a server that
// keeps presenting another certificate switches current back to the
// version it was on, and the card says what the server presented.
func TestInstallNotServedRollsBack(t *testing.T) {
	f, _ := validatingFixture(t, api.English, true)
	f.opts.VerifyWait = 300 * time.Millisecond
	base := t.TempDir()
	t.Chdir(base)
	dir := filepath.Join(base, "site")
	// A first installation, as `certwiz install` makes it.
	d := issuedDetail(t, f, "expfree1")
	in, err := installation.Prepare(f.store, d, installation.Answers{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := installation.Deploy(context.Background(), f.opts.Client, in, "expfree1", d.Names(), nil, api.English)
	if _, serr := installation.Keep(f.store, &in, "expfree1", r, err); err != nil || serr != nil {
		t.Fatal(err, serr)
	}
	first, _ := os.Readlink(filepath.Join(dir, "current"))
	another := anotherCertificate(t)
	other := tlstest.Serve(t, func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return &another, nil })

	tm, screen := atFinalCard(t, f, "expfree1", &host{home: base, lookPath: onPath()}, 100, 30)
	press(tm, tea.KeyEnter)
	s := waitScreen(t, screen, `Updates the installation "free.example.com"`)
	if !strings.Contains(s, dir) {
		t.Fatalf("the saved folder is not the answer:\n%s", s)
	}
	press(tm, tea.KeyEnter, tea.KeyEnter, tea.KeyCtrlU, other, tea.KeyEnter, tea.KeyEnter)
	s = waitScreen(t, screen, "Install now")
	if !strings.Contains(s, "(it named expfree1)") {
		t.Errorf("the confirmation does not say it replaces the installation:\n%s", s)
	}
	press(tm, tea.KeyEnter)
	s = waitScreen(t, screen, "✗ The server did not present the new certificate")
	for _, want := range []string{"✗ " + other + ": ", "Switched back:", first + " again", "The server must read current/fullchain.pem"} {
		if !strings.Contains(s, want) {
			t.Errorf("the card lacks %q:\n%s", want, s)
		}
	}
	if now, _ := os.Readlink(filepath.Join(dir, "current")); now != first {
		t.Fatalf("current → %s, want %s", now, first)
	}
	press(tm, tea.KeyDown, tea.KeyDown, tea.KeyEnter) // quit
	got := finalOfQuit(t, tm)
	_, errOut := got.Final()
	if got.ExitCode() != api.ExitRejected || !strings.Contains(errOut, "certwiz install expfree1 --dir "+dir) || !strings.Contains(errOut, "--verify "+other) {
		t.Fatalf("exit %d, stderr:\n%s", got.ExitCode(), errOut)
	}
	if in := loadInstallation(t, f, "free.example.com"); len(in.Verify) != 0 {
		t.Fatalf("a failed installation changed the saved one: %+v", in)
	}
}

// anotherCertificate is a certificate for the same name from another CA:
// what a server that was never reloaded keeps presenting.
func anotherCertificate(t *testing.T) tls.Certificate {
	t.Helper()
	c := bundletest.Issue(t, nil, "free.example.com")
	pair, err := tls.X509KeyPair([]byte(c.Leaf+c.Intermediate), []byte(c.Key))
	if err != nil {
		t.Fatal(err)
	}
	return pair
}

// The folder is checked as it is left: a file, or another folder than the
// one its installation lives in, is said under the field.
func TestInstallFolderIsCheckedInTheForm(t *testing.T) {
	f, _ := validatingFixture(t, api.English, true)
	base := t.TempDir()
	t.Chdir(base)
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tm, screen := atFinalCard(t, f, "expfree1", &host{root: true, lookPath: onPath()}, 40, 12)
	press(tm, tea.KeyEnter)
	s := waitScreen(t, screen, "/etc/certwiz/free.example.com")
	press(tm, tea.KeyCtrlU, file, tea.KeyEnter)
	s = waitScreen(t, screen, "That is a file")
	if !strings.Contains(s, "┃ >") {
		t.Fatalf("the field went out of view:\n%s", s)
	}
	press(tm, tea.KeyEsc)
	waitScreen(t, screen, "The certificate is on disk") // back on the final card
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// Accessible mode asks the same questions, one a line, then what will
// change and y/N; the installation is the wizard's.
func TestAccessibleInstallAsksTheSame(t *testing.T) {
	for _, lang := range []string{api.English, api.Chinese} {
		t.Run(lang, func(t *testing.T) {
			f, _ := validatingFixture(t, lang, true)
			base := t.TempDir()
			t.Chdir(base)
			dir := filepath.Join(base, "api")
			hookLog := filepath.Join(base, "hook.log")
			input := strings.Join([]string{
				"2", "1", // continue a certificate in validation: dnsauto1, issued at the first check
				"", "y", // the download folder offered; install here
				dir, "echo \"$CERTWIZ_NAME\" >> " + hookLog, "-", // folder, hook, no server to check
				"9", "2", "<", "", // a bad choice, DNS by hooks, back to it, keep it
				"", // no auth hook: asked again
				"add-record", "remove-record",
				"y",
			}, "\n") + "\n"
			var out bytes.Buffer
			code, err := RunAccessible(t.Context(), f.opts, strings.NewReader(input), &out)
			o := out.String()
			if err != nil || code != 0 {
				t.Fatalf("code %d err %v\n%s", code, err, o)
			}
			want := map[string][]string{
				api.English: {"Install here and renew automatically? y/N: ", "== Install here and renew automatically ==",
					"Folder — Versions go in FOLDER/<version>", "Deploy hook — Your command", "Server to check — HOST:PORT",
					"Renewals validate by — ", "  1. DNS_AUTO — the domain's DNS is at Tencent Cloud", "  4. Ask me — renew prints the records",
					"type the number of one of the answers", "Auth hook: give the command that puts the record in place",
					"Install certificate dnsauto1 (api.example.com) as the installation \"api.example.com\":",
					"Install now? y/N", "✓ Installed, and saved for renewals", "Renewals: DNS, by the auth hook add-record", "renew --dry-run"},
				api.Chinese: {"安装到本机并自动续期？y/N", "文件夹 — 各版本放在", "部署钩子 — 您自己的命令", "要检查的服务器 — ", "续期时的域名验证方式 — ",
					"请输入其中一个选项的序号", "验证钩子：请填写设置记录的命令", "将证书 dnsauto1（api.example.com）安装为", "现在安装？y/N", "已安装，并已保存以便续期"},
			}[lang]
			for _, w := range want {
				if !strings.Contains(o, w) {
					t.Errorf("the transcript lacks %q", w)
				}
			}
			if strings.Count(o, "Server to check — ")+strings.Count(o, "要检查的服务器 — ") != 1 {
				t.Errorf("'<' went back further than the question before:\n%s", o)
			}
			in := loadInstallation(t, f, "api.example.com")
			if in.Dir != dir || in.Validation != api.MethodDNS || in.AuthHook != "add-record" || in.CleanupHook != "remove-record" || len(in.Verify) != 0 || in.Certificate != "dnsauto1" {
				t.Fatalf("saved %+v", in)
			}
			if b, _ := os.ReadFile(hookLog); string(b) != "api.example.com\n" {
				t.Fatalf("hook: %q", b)
			}
			if t.Failed() || testing.Verbose() {
				t.Log(o)
			}
		})
	}
}

func TestDefaultInstallDir(t *testing.T) {
	for _, c := range []struct {
		h    host
		want string
	}{
		{host{root: true, home: "/root"}, "/etc/certwiz/www.example.com"},
		{host{home: "/home/li"}, "/home/li/.local/share/certwiz/www.example.com"},
		{host{home: "/home/li", dataHome: "/data/li"}, "/data/li/certwiz/www.example.com"},
		{host{home: "/home/li", dataHome: "relative"}, "/home/li/.local/share/certwiz/www.example.com"},
		{host{}, ""},
	} {
		if got := defaultInstallDir("www.example.com", &c.h); got != c.want {
			t.Errorf("%+v: %q, want %q", c.h, got, c.want)
		}
	}
	if got := timerLines(&host{root: true, systemd: true}); strings.Join(got, "") != "sudo systemctl enable --now certwiz-renew.timer" {
		t.Errorf("root with systemd: %q", got)
	}
	for _, h := range []host{{root: true}, {systemd: true}} {
		if got := timerLines(&h); strings.Join(got, "") != "certwiz timer" {
			t.Errorf("%+v: %q", h, got)
		}
	}
}
