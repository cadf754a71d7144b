package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/profiles"
)

// liveServer is a TLS server on loopback that loads its certificate from
// DIR/current at every handshake, as nginx does after a reload.
func liveServer(t *testing.T, dir string) string {
	t.Helper()
	return tlsServer(t, func() (*tls.Certificate, error) {
		c, err := tls.LoadX509KeyPair(filepath.Join(dir, "current", "fullchain.pem"), filepath.Join(dir, "current", "privkey.pem"))
		return &c, err
	})
}

func tlsServer(t *testing.T, get func() (*tls.Certificate, error)) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return get() }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				c.(*tls.Conn).Handshake()
			}(c)
		}
	}()
	return ln.Addr().String()
}

func (e env) install(t *testing.T, args ...string) result {
	t.Helper()
	return e.exec(t, NewInstallCmd, how{}, args...)
}

// mustInstall installs with --yes, or fails the test.
func (e env) mustInstall(t *testing.T, args ...string) {
	t.Helper()
	if r := e.install(t, append(args, "--yes")...); r.code != 0 {
		t.Fatalf("install %v: %d %s", args, r.code, r.stderr)
	}
}

func openStore(t *testing.T) *profiles.Store {
	t.Helper()
	cfg, err := profiles.ConfigDir("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := profiles.Open(cfg, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func loadInstall(t *testing.T, name string) profiles.Installation {
	t.Helper()
	in, err := openStore(t).LoadInstallation(name)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// Issue 20, item 1: install puts the issued certificate in a version
// folder, switches current to it, runs the hook once with its values in
// the environment, checks the server presents it, and saves the
// installation for renew.
func TestInstallSwitchesHooksVerifiesSaves(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join(t.TempDir(), "free")
	hookLog := filepath.Join(t.TempDir(), "hook.log")
	addr := liveServer(t, dir)
	hookCmd := `printf '%s|%s|%s|%s\n' "$CERTWIZ_NAME" "$CERTWIZ_CERTIFICATE_ID" "$CERTWIZ_DOMAINS" "$CERTWIZ_LIVE" >> ` + hookLog
	r := e.install(t, "expfree1", "--dir", dir, "--deploy-hook", hookCmd, "--verify", addr, "--yes")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"Installed expfree1 as " + dir, "✓ Deploy hook: done", "✓ " + addr + ": ", "Servers read " + filepath.Join(dir, "current", "fullchain.pem"), `Saved as installation "free.example.com"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	target, err := os.Readlink(filepath.Join(dir, "current"))
	if err != nil || !strings.HasSuffix(target, "-expfree1") {
		t.Fatalf("current → %q, %v", target, err)
	}
	for _, f := range []string{"cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"} {
		if fi, err := os.Stat(filepath.Join(dir, target, f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v", f, err)
		}
	}
	if b, _ := os.ReadFile(hookLog); string(b) != "free.example.com|expfree1|free.example.com|"+filepath.Join(dir, "current")+"\n" {
		t.Fatalf("the hook ran with %q", b)
	}
	in := loadInstall(t, "free.example.com")
	if in.Certificate != "expfree1" || in.Kind != profiles.KindFree || in.Dir != dir || in.DeployHook != hookCmd || in.Validation != api.MethodDNS || len(in.Verify) != 1 {
		t.Fatalf("saved %+v", in)
	}
}

// Without a terminal install needs --yes; --dry-run changes nothing.
func TestInstallAsksAndDryRunChangesNothing(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join(t.TempDir(), "free")
	if r := e.install(t, "expfree1", "--dir", dir); r.code != api.ExitInput || !strings.Contains(r.stderr, "--yes required") {
		t.Fatalf("without --yes: %d %s", r.code, r.stderr)
	}
	r := e.install(t, "expfree1", "--dir", dir, "--dry-run", "--json")
	var out installJSON
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil || !out.DryRun || out.CertificateId != "expfree1" {
		t.Fatalf("dry run: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Fatalf("the dry run made %s: %v", dir, err)
	}
	if r := e.install(t, "renpaid1", "--dir", dir, "--yes"); r.code != api.ExitRejected || !strings.Contains(r.stderr, "not issued") {
		t.Fatalf("a certificate awaiting information: %d %s", r.code, r.stderr)
	}
	if r := e.install(t, "expfree1", "--dir", dir, "--yes", "--verify", "not a target"); r.code != api.ExitInput || !strings.Contains(r.stderr, `--verify "not a target"`) {
		t.Fatalf("a bad --verify: %d %s", r.code, r.stderr)
	}
}

// A server that keeps presenting the old certificate: current goes back
// to the previous version, the hook runs again, exit 3, and the
// installation still names the certificate that is served.
func TestInstallRollsBackWhenNotServed(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join(t.TempDir(), "site")
	hookLog := filepath.Join(t.TempDir(), "hook.log")
	hookCmd := `echo "$CERTWIZ_CERTIFICATE_ID" >> ` + hookLog
	e.mustInstall(t, "expfree1", "--dir", dir, "--name", "site", "--deploy-hook", hookCmd)
	first, _ := os.Readlink(filepath.Join(dir, "current"))
	stale := bundletest.Issue(t, nil, "www.example.com")
	old, err := tls.X509KeyPair([]byte(stale.Leaf+stale.Intermediate), []byte(stale.Key))
	if err != nil {
		t.Fatal(err)
	}
	addr := tlsServer(t, func() (*tls.Certificate, error) { return &old, nil })
	r := e.install(t, "longlive1", "--dir", dir, "--name", "site", "--verify", addr, "--verify-wait", "1s", "--yes")
	if r.code != api.ExitRejected || !strings.Contains(r.stdout, "✗ "+addr) || !strings.Contains(r.stdout, "Rolled back: ") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if now, _ := os.Readlink(filepath.Join(dir, "current")); now != first {
		t.Fatalf("current → %s, want %s back", now, first)
	}
	if b, _ := os.ReadFile(hookLog); string(b) != "expfree1\nlonglive1\nexpfree1\n" {
		t.Fatalf("the hook ran for %q", b)
	}
	if in := loadInstall(t, "site"); in.Certificate != "expfree1" {
		t.Fatalf("the installation names %s", in.Certificate)
	}
}

// Issue 20, item 2: installs lists each installation from what its folder
// serves (no request), and an installation file edited into nonsense is
// named with its line while the others are still listed.
func TestInstallsListsFromTheFolders(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join(t.TempDir(), "free")
	e.mustInstall(t, "expfree1", "--dir", dir)
	calls := e.calls.Load()
	r := e.exec(t, NewInstallsCmd, how{}, "--json")
	var rows []installRow
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &rows) != nil || len(rows) != 1 {
		t.Fatalf("installs: %d %s %s", r.code, r.stdout, r.stderr)
	}
	row := rows[0]
	if row.Name != "free.example.com" || row.CertificateId != "expfree1" || row.DaysLeft == nil || *row.DaysLeft < 9 || *row.DaysLeft > 10 || row.Kind != "free" {
		t.Fatalf("row %+v (days %v)", row, row.DaysLeft)
	}
	if e.calls.Load() != calls {
		t.Fatalf("installs sent %d requests", e.calls.Load()-calls)
	}
	cfg, _ := profiles.ConfigDir("")
	os.WriteFile(filepath.Join(cfg, "installs", "broken.yaml"), []byte("name: broken\ndomains: [\n"), 0o600)
	r = e.exec(t, NewInstallsCmd, how{})
	if r.code != api.ExitFailure || !strings.Contains(r.stdout, "broken") || !strings.Contains(r.stdout, "line") || !strings.Contains(r.stdout, "expfree1") {
		t.Fatalf("with a broken file: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// Issue 20, item 6: the wizard's "Install here and renew automatically"
// (its accessible twin, answering on standard input) saves the same
// installation file as `certwiz install` given the same answers as
// flags — byte for byte, each in its own config folder.
func TestWizardInstallSavesWhatInstallSaves(t *testing.T) {
	e := newEnv(t)
	// A sandbox with its DNS servers, so that its check validates
	// dnsauto1 (DNS_AUTO) at once.
	sb := sandbox.New(sandbox.Options{IssueDelay: -1, FrequentWindow: -1, PublishDelay: -1, Rate: 100})
	url, stop, err := sandbox.Start(sb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	e.url, e.sb = url, sb
	base := t.TempDir()
	t.Chdir(base)
	dir := filepath.Join(base, "live")
	hookCmd := `echo "$CERTWIZ_NAME" >> ` + filepath.Join(base, "hook.log")
	cfgWizard, cfgInstall := filepath.Join(base, "wizard"), filepath.Join(base, "install")

	t.Setenv("CERTWIZ_CONFIG_DIR", cfgWizard)
	answers := strings.Join([]string{
		"2", "1", // continue a certificate in validation: dnsauto1 (DNS_AUTO), issued at the first check
		"", "y", // the download folder offered; install here
		dir, hookCmd, "-", "1", // folder, deploy hook, no server to check, DNS_AUTO
		"y",
	}, "\n") + "\n"
	var out, errb bytes.Buffer
	g := &Globals{IO: IO{In: strings.NewReader(answers), Out: &out, Err: &errb}, Endpoint: e.url, Timeout: 10 * time.Second,
		Language: api.English, Version: "test", Accessible: true, AccessibleAsked: true}
	if code := ExitCode(RunWizard(context.Background(), g, ""), &errb); code != 0 || !strings.Contains(out.String(), "Installed, and saved for renewals") {
		t.Fatalf("wizard: exit %d\n%s\n%s", code, out.String(), errb.String())
	}

	t.Setenv("CERTWIZ_CONFIG_DIR", cfgInstall)
	if r := e.install(t, "dnsauto1", "--dir", dir, "--deploy-hook", hookCmd, "--validation", "DNS_AUTO", "--yes"); r.code != 0 {
		t.Fatalf("install: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	fromWizard, err := os.ReadFile(filepath.Join(cfgWizard, "installs", "api.example.com.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fromInstall, err := os.ReadFile(filepath.Join(cfgInstall, "installs", "api.example.com.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fromWizard, fromInstall) {
		t.Fatalf("the wizard saved\n%s\ncertwiz install saved\n%s", fromWizard, fromInstall)
	}
	if !strings.Contains(string(fromWizard), "deployHook: ") || !strings.Contains(string(fromWizard), "validation: DNS_AUTO") {
		t.Fatalf("saved:\n%s", fromWizard)
	}
}

// install saves the hooks renewals validate with; a flag not given keeps
// what the installation holds, a hook given as ” removes it.
func TestInstallSavesHooksAndEmptyRemoves(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join(t.TempDir(), "free")
	if r := e.install(t, "expfree1", "--dir", dir, "--deploy-hook", "true", "--auth-hook", "add-record", "--cleanup-hook", "remove-record", "--yes"); r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	if in := loadInstall(t, "free.example.com"); in.DeployHook != "true" || in.AuthHook != "add-record" || in.CleanupHook != "remove-record" || in.Validation != api.MethodDNS {
		t.Fatalf("saved %+v", in)
	}
	if r := e.install(t, "expfree1", "--dir", dir, "--deploy-hook", "", "--validation", "FILE", "--yes"); r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	if in := loadInstall(t, "free.example.com"); in.DeployHook != "" || in.AuthHook != "add-record" || in.CleanupHook != "remove-record" || in.Validation != api.MethodFile {
		t.Fatalf("saved %+v", in)
	}
}

// install --rollout and --rollout-on-failure are saved for renew; a rule
// that is not one is a usage error before any request.
func TestInstallSavesTheRolloutRule(t *testing.T) {
	e := newEnv(t)
	calls := e.calls.Load()
	if r := e.install(t, "expfree1", "--dir", filepath.Join(t.TempDir(), "x"), "--rollout", "--rollout-on-failure", "later", "--yes"); r.code != api.ExitInput ||
		!strings.Contains(r.stderr, `--rollout-on-failure "later": use stop, retry or rollback`) || e.calls.Load() != calls {
		t.Fatalf("bad rule: exit %d %s", r.code, r.stderr)
	}
	dir := filepath.Join(t.TempDir(), "free")
	r := e.install(t, "expfree1", "--dir", dir, "--rollout", "--rollout-on-failure", "rollback", "--yes")
	if r.code != 0 || !strings.Contains(r.stderr, "renewals also replace it on the Tencent Cloud resources that serve it (on failure: rollback)") {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	in := loadInstall(t, "free.example.com")
	if !in.Rollout || in.RolloutOnFailure != "rollback" {
		t.Fatalf("saved %+v", in)
	}
	data, _ := os.ReadFile(openStore(t).InstallationPath("free.example.com"))
	if !strings.Contains(string(data), "rollout: true\n") || !strings.Contains(string(data), "rolloutOnFailure: rollback\n") {
		t.Fatalf("file:\n%s", data)
	}
}
