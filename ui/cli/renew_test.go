package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/csr"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/profiles"
	"github.com/spf13/cobra"
)

// renewEnv is a sandbox that publishes records and issues at once, its
// own DNS and HTTP servers running (its CA looks the records up there).
func renewEnv(t *testing.T) env {
	t.Helper()
	return renewEnvWith(t, sandbox.Options{PublishDelay: -1})
}

// slowRecords is a sandbox whose validation records appear only once the
// returned func moves its clock on by 4 minutes (under the signature's 5
// minutes of allowed skew): the user adding them late.
func slowRecords(t *testing.T) (env, func()) {
	t.Helper()
	var mu sync.Mutex
	offset := time.Duration(0)
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return time.Now().Add(offset)
	}
	e := renewEnvWith(t, sandbox.Options{PublishDelay: 3 * time.Minute, Now: now})
	return e, func() {
		mu.Lock()
		offset += 4 * time.Minute
		mu.Unlock()
	}
}

func renewEnvWith(t *testing.T, o sandbox.Options) env {
	t.Helper()
	o.Rate, o.IssueDelay, o.FrequentWindow, o.SlowDelay = 100, -1, -1, 5*time.Second
	e := newEnvWith(t, o)
	_, stop, err := sandbox.Start(e.sb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return e
}

func (e env) renew(t *testing.T, args ...string) result {
	t.Helper()
	mk := func(g *Globals) *cobra.Command { return newRenewCmd(g, 10*time.Millisecond) }
	return e.exec(t, mk, how{}, append([]string{"--interval", "20ms"}, args...)...)
}

// renewLines are renew --json's objects, one a line.
func renewLines(t *testing.T, out string) map[string]renewal {
	t.Helper()
	got := map[string]renewal{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var r renewal
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("not one object a line: %q", sc.Text())
		}
		got[r.Name] = r
	}
	return got
}

// presented is the SHA-256 of the leaf a TLS server at addr presents.
func presented(t *testing.T, addr, sni string) [32]byte {
	t.Helper()
	c, err := tls.Dial("tcp", addr, &tls.Config{ServerName: sni, InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return sha256.Sum256(c.ConnectionState().PeerCertificates[0].Raw)
}

// paidSetup imports the reference profile as "acme" (the organization and
// people of paid renewals) and remembers exppaid1's key as generated here.
func (e env) paidSetup(t *testing.T) {
	t.Helper()
	if r := e.cmdRun(t, "", "profiles", "import", exampleFile(t), "--name", "acme"); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	rememberUserKey(t, e, "exppaid1")
}

// rememberUserKey puts exppaid1's key (the user's, made with its CSR) in a
// file and the history, as csr generate would have.
func rememberUserKey(t *testing.T, e env, id string) {
	t.Helper()
	key, ok := e.sb.UserKey(id)
	if !ok {
		t.Fatalf("no user key for %s", id)
	}
	path := filepath.Join(t.TempDir(), id+".key")
	os.WriteFile(path, key, 0o600)
	block, _ := pem.Decode(key)
	priv, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	g := csr.KeySHA256(priv.(crypto.Signer).Public())
	dir, _ := profiles.StateDir()
	h, err := profiles.OpenHistory(dir, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Append(profiles.Record{Time: time.Now().UTC(), CertificateId: id, Outcome: profiles.OutcomeKeyGenerated, Action: "csr generate", KeyFile: path, KeySHA256: g}); err != nil {
		t.Fatal(err)
	}
}

// Issue 20's done-means: renew renews expfree1 (the server then presents
// the new leaf, the old version kept), says exppaid2 needs the user (exit
// 7, nothing changed), renews exppaid1 through renpaid1 with a new key;
// a second renew right after applies nothing.
func TestRenewFreePaidAndNeedsUser(t *testing.T) {
	e := renewEnv(t)
	e.paidSetup(t)
	base := t.TempDir()
	freeDir, paidDir, paid2Dir := filepath.Join(base, "free"), filepath.Join(base, "shop"), filepath.Join(base, "pay")
	addr := liveServer(t, freeDir)
	e.mustInstall(t, "expfree1", "--dir", freeDir, "--verify", addr, "--validation", "DNS_AUTO")
	e.mustInstall(t, "exppaid1", "--dir", paidDir, "--profile", "acme", "--validation", "DNS_AUTO")
	e.mustInstall(t, "exppaid2", "--dir", paid2Dir, "--profile", "acme")
	before := presented(t, addr, "free.example.com")
	oldVersion, _ := os.Readlink(filepath.Join(freeDir, "current"))

	// Without a terminal renew needs --yes, and says so before any request.
	calls := e.calls.Load()
	if r := e.renew(t); r.code != api.ExitInput || !strings.Contains(r.stderr, "--yes required") || e.calls.Load() != calls {
		t.Fatalf("without --yes: %d %s", r.code, r.stderr)
	}
	r := e.renew(t, "--yes", "--json")
	got := renewLines(t, r.stdout)
	if r.code != ExitNeedsUser {
		t.Fatalf("exit %d, want 7 (exppaid2 needs the user)\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	free, paid, paid2 := got["free.example.com"], got["shop.example.com"], got["pay.example.com"]
	if free.Outcome != outRenewed || free.NewCertificate == "" || free.NewCertificate == "expfree1" {
		t.Fatalf("expfree1: %+v\n%s", free, r.stderr)
	}
	if paid.Outcome != outRenewed || paid.NewCertificate != "renpaid1" {
		t.Fatalf("exppaid1: %+v\n%s", paid, r.stderr)
	}
	if paid2.Outcome != outNeedsUser || !strings.Contains(paid2.Message, "buy the renewal") {
		t.Fatalf("exppaid2: %+v", paid2)
	}
	if n := len(e.sb.Calls(sandbox.ActionApply)); n != 1 {
		t.Fatalf("%d ApplyCertificate, want 1", n)
	}
	// The server presents the new leaf; the old version is kept.
	if after := presented(t, addr, "free.example.com"); after == before {
		t.Fatal("the server still presents the old certificate")
	}
	if _, err := os.Stat(filepath.Join(freeDir, oldVersion, "cert.pem")); err != nil {
		t.Fatalf("the old version is gone: %v", err)
	}
	in := loadInstall(t, "free.example.com")
	if in.Certificate != free.NewCertificate || len(in.Previous) != 1 || in.Previous[0] != "expfree1" || in.Renewing != nil || in.LastRenewal == nil || in.LastRenewal.Outcome != profiles.RenewalDone {
		t.Fatalf("saved %+v", in)
	}
	// renpaid1 was submitted with a new key generated here (parse), not
	// the old one, and its key is installed.
	sub := e.sb.Submissions()
	last := sub[len(sub)-1]
	if !strings.Contains(string(last.Body), `"CsrType":"parse"`) || !strings.Contains(string(last.Body), `"CertificateId":"renpaid1"`) {
		t.Fatalf("the renewal was submitted as %s", last.Body)
	}
	oldKey, _ := e.sb.UserKey("exppaid1")
	newKey, _ := os.ReadFile(filepath.Join(paidDir, "current", "privkey.pem"))
	if len(newKey) == 0 || string(newKey) == string(oldKey) {
		t.Fatal("exppaid1 was renewed with its old key")
	}
	if pin := loadInstall(t, "pay.example.com"); pin.Certificate != "exppaid2" || pin.LastRenewal == nil || pin.LastRenewal.Outcome != profiles.RenewalNeedsUser {
		t.Fatalf("exppaid2 saved %+v", pin)
	}

	// Right after: nothing is due but exppaid2; no ApplyCertificate, no submit.
	submits := len(e.sb.Calls(sandbox.ActionSubmit))
	r = e.renew(t, "--yes")
	if r.code != ExitNeedsUser || !strings.Contains(r.stdout, "free.example.com: not due") || !strings.Contains(r.stdout, "shop.example.com: not due") {
		t.Fatalf("second run: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if len(e.sb.Calls(sandbox.ActionApply)) != 1 || len(e.sb.Calls(sandbox.ActionSubmit)) != submits {
		t.Fatal("the second run applied or submitted again")
	}
}

// Not due: no request at all; --dry-run sends only reads and says what
// would happen.
func TestRenewNotDueCostsNothingAndDryRunOnlyReads(t *testing.T) {
	e := renewEnv(t)
	dir := filepath.Join(t.TempDir(), "wild")
	e.mustInstall(t, "longlive1", "--dir", dir)
	calls := e.calls.Load()
	r := e.renew(t, "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "wildcard.example.com: not due") || e.calls.Load() != calls {
		t.Fatalf("not due: %d %d requests\n%s%s", r.code, e.calls.Load()-calls, r.stdout, r.stderr)
	}
	// Forced, the paid wildcard has no renewal order: the user's to buy.
	r = e.renew(t, "--dry-run", "--force")
	if r.code != ExitNeedsUser || !strings.Contains(r.stdout, "wildcard.example.com: needs you") || !strings.Contains(r.stdout, "never spends money") {
		t.Fatalf("dry run, forced: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	e.mustInstall(t, "expfree1", "--dir", filepath.Join(t.TempDir(), "free"), "--deploy-hook", "true")
	r = e.renew(t, "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "free.example.com: would renew (10 days left) — apply for a free certificate for free.example.com (ApplyCertificate, renewing expfree1, validation DNS)") ||
		!strings.Contains(r.stdout, "deploy hook: true") {
		t.Fatalf("dry run: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, a := range []string{sandbox.ActionApply, sandbox.ActionSubmit, sandbox.ActionCommit, sandbox.ActionComplete} {
		if n := len(e.sb.Calls(a)); n != 0 {
			t.Fatalf("the dry run sent %d %s", n, a)
		}
	}
}

// DNS validation without a person: the auth hook runs once per record
// with its values in the environment, the cleanup hook after; with no
// hook and no terminal the records are printed, exit 6, and the next run
// goes on with the same certificate (no second ApplyCertificate).
func TestRenewValidatesWithHooksOrWaits(t *testing.T) {
	e, later := slowRecords(t)
	dir := filepath.Join(t.TempDir(), "free")
	e.mustInstall(t, "expfree1", "--dir", dir, "--validation", "DNS")
	r := e.renew(t, "--yes")
	if r.code != ExitWaiting || !strings.Contains(r.stdout, "waiting for validation") || !strings.Contains(r.stdout, "TXT _dnsauth") {
		t.Fatalf("no hook: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	pending := loadInstall(t, "free.example.com").Renewing
	if pending == nil || pending.Certificate == "" || pending.Step != profiles.StepApplied {
		t.Fatalf("not saved: %+v", pending)
	}
	later() // the records appear
	log := filepath.Join(t.TempDir(), "hooks.log")
	auth := `echo "auth $CERTWIZ_DOMAIN $CERTWIZ_RECORD_TYPE $CERTWIZ_RECORD_HOST $CERTWIZ_RECORD_ZONE $CERTWIZ_RECORD_VALUE" >> ` + log
	cleanup := `echo "cleanup $CERTWIZ_RECORD_NAME" >> ` + log
	r = e.renew(t, "--yes", "--auth-hook", auth, "--cleanup-hook", cleanup)
	if r.code != 0 || !strings.Contains(r.stdout, "free.example.com: renewed: expfree1 → "+pending.Certificate) ||
		!strings.Contains(r.stderr, pending.Certificate+": 1 of 1 records found; the CA ") {
		t.Fatalf("with hooks: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(e.sb.Calls(sandbox.ActionApply)); n != 1 {
		t.Fatalf("%d ApplyCertificate, want 1", n)
	}
	b, _ := os.ReadFile(log)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "auth free.example.com TXT _dnsauth.free example.com ") || lines[1] != "cleanup _dnsauth.free.example.com" {
		t.Fatalf("hooks ran as %q", lines)
	}
}

// An apply whose answer was lost (the intent saved, no ID): the next run
// finds the certificate it made and never applies twice.
func TestRenewFindsAnApplyWhoseAnswerWasLost(t *testing.T) {
	e := renewEnv(t)
	dir := filepath.Join(t.TempDir(), "free")
	e.mustInstall(t, "expfree1", "--dir", dir, "--validation", "DNS_AUTO")
	s := openStore(t)
	in, _ := s.LoadInstallation("free.example.com")
	in.Renewing = &profiles.Renewing{Time: time.Now().UTC()}
	if err := s.SaveInstallation(in); err != nil {
		t.Fatal(err)
	}
	// The request that left before the crash.
	c, err := api.NewClient(api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "test"), api.Config{Endpoint: e.url, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.ApplyCertificate(t.Context(), api.ApplyRequest{DomainName: "free.example.com", DvAuthMethod: api.MethodDNSAuto, OldCertificateId: "expfree1"})
	if err != nil {
		t.Fatal(err)
	}
	r := e.renew(t, "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "expfree1 → "+id) {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(e.sb.Calls(sandbox.ActionApply)); n != 1 {
		t.Fatalf("%d ApplyCertificate, want 1", n)
	}
}

// A deploy hook that fails the first time: the renewal stops after the
// issue (exit 3, current rolled back, the step saved); the next run only
// installs — no second ApplyCertificate.
func TestRenewResumesAfterAFailedInstall(t *testing.T) {
	e := renewEnv(t)
	dir := filepath.Join(t.TempDir(), "free")
	mark := filepath.Join(t.TempDir(), "failed-once")
	hookCmd := `test "$CERTWIZ_CERTIFICATE_ID" = expfree1 || test -f ` + mark + ` || { touch ` + mark + `; echo reload failed >&2; exit 1; }`
	e.mustInstall(t, "expfree1", "--dir", dir, "--validation", "DNS_AUTO", "--deploy-hook", hookCmd)
	first, _ := os.Readlink(filepath.Join(dir, "current"))
	r := e.renew(t, "--yes")
	if r.code != api.ExitRejected || !strings.Contains(r.stdout, "free.example.com: FAILED") || !strings.Contains(r.stderr, "reload failed") || !strings.Contains(r.stderr, "Rolled back") {
		t.Fatalf("first run: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if now, _ := os.Readlink(filepath.Join(dir, "current")); now != first {
		t.Fatalf("current → %s after the failure, want %s", now, first)
	}
	// The hook's whole output is kept, 0600, and its path said.
	_, logLine, _ := strings.Cut(r.stderr, "(all it printed: ")
	logPath, _, _ := strings.Cut(logLine, ")")
	if b, err := os.ReadFile(logPath); err != nil || string(b) != "reload failed\n" {
		t.Fatalf("the hook's log %q: %q %v\n%s", logPath, b, err, r.stderr)
	}
	in := loadInstall(t, "free.example.com")
	if in.Certificate != "expfree1" || in.Renewing == nil || in.Renewing.Step != profiles.StepIssued || in.LastRenewal.Outcome != profiles.RenewalFailed {
		t.Fatalf("saved %+v %+v", in, in.Renewing)
	}
	r = e.renew(t, "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "renewed: expfree1 → "+in.Renewing.Certificate) {
		t.Fatalf("second run: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(e.sb.Calls(sandbox.ActionApply)); n != 1 {
		t.Fatalf("%d ApplyCertificate, want 1", n)
	}
}

// Another certwiz holding an installation: renew says so and skips it;
// a file edited into nonsense is named (its line) and the others are still
// renewed; the worst exit wins.
func TestRenewSkipsBusyAndBrokenInstallations(t *testing.T) {
	e := renewEnv(t)
	dir := filepath.Join(t.TempDir(), "free")
	e.mustInstall(t, "expfree1", "--dir", dir, "--validation", "DNS_AUTO")
	s := openStore(t)
	unlock, err := s.LockInstallation("free.example.com")
	if err != nil {
		t.Fatal(err)
	}
	r := e.renew(t, "--yes")
	unlock()
	if r.code != 0 || !strings.Contains(r.stdout, "free.example.com: skipped: another certwiz is working on it") || len(e.sb.Calls(sandbox.ActionApply)) != 0 {
		t.Fatalf("busy: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	os.WriteFile(filepath.Join(s.InstallsDir(), "broken.yaml"), []byte("version: 1\nname: broken\ndomains: [\n"), 0o600)
	r = e.renew(t, "--yes")
	if r.code != api.ExitRejected || !strings.Contains(r.stdout, "broken: FAILED") || !strings.Contains(r.stdout, "line") || !strings.Contains(r.stdout, "free.example.com: renewed") {
		t.Fatalf("broken: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// --reuse-key: a paid renewal keeps the key installed now (its CSR is made
// for it) instead of a new one.
func TestRenewPaidKeepsTheKeyWhenAsked(t *testing.T) {
	e := renewEnv(t)
	e.paidSetup(t)
	dir := filepath.Join(t.TempDir(), "shop")
	e.mustInstall(t, "exppaid1", "--dir", dir, "--profile", "acme", "--validation", "DNS_AUTO", "--reuse-key")
	oldKey, _ := e.sb.UserKey("exppaid1")
	r := e.renew(t, "--yes", "shop.example.com")
	if r.code != 0 || !strings.Contains(r.stdout, "renewed: exppaid1 → renpaid1") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if key, _ := os.ReadFile(filepath.Join(dir, "current", "privkey.pem")); len(key) == 0 || !samePrivateKey(t, key, oldKey) {
		t.Fatal("the renewal did not keep the installed key")
	}
}

func samePrivateKey(t *testing.T, a, b []byte) bool {
	t.Helper()
	pub := func(p []byte) string {
		block, _ := pem.Decode(p)
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return csr.KeySHA256(k.(crypto.Signer).Public())
	}
	return pub(a) == pub(b)
}

// A paid renewal stopped while validation waits (exit 6), or with its last
// step lost, goes on with the same order: never a second submit or commit.
func TestRenewPaidResumesWithoutSubmittingTwice(t *testing.T) {
	e, later := slowRecords(t)
	e.paidSetup(t)
	e.mustInstall(t, "exppaid1", "--dir", filepath.Join(t.TempDir(), "shop"), "--profile", "acme", "--validation", "DNS")
	r := e.renew(t, "--yes")
	if r.code != ExitWaiting || !strings.Contains(r.stdout, "TXT _dnsauth") {
		t.Fatalf("first run: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if in := loadInstall(t, "shop.example.com"); in.Renewing == nil || in.Renewing.Certificate != "renpaid1" || in.Renewing.Step != profiles.StepCommitted {
		t.Fatalf("saved %+v", in.Renewing)
	}
	later() // the records appear
	// As if the run had died before saving its last step.
	s := openStore(t)
	in, _ := s.LoadInstallation("shop.example.com")
	in.Renewing.Step = ""
	if err := s.SaveInstallation(in); err != nil {
		t.Fatal(err)
	}
	r = e.renew(t, "--yes", "--auth-hook", "true")
	if r.code != 0 || !strings.Contains(r.stdout, "renewed: exppaid1 → renpaid1") {
		t.Fatalf("second run: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n, c := len(e.sb.Calls(sandbox.ActionSubmit)), len(e.sb.Calls(sandbox.ActionCommit)); n != 1 || c != 1 {
		t.Fatalf("%d submits and %d commits, want 1 each", n, c)
	}
}

// Walk finding: from a timer (no terminal, no hook), a renewal whose
// records the user put in place since the last run goes on to the end
// instead of waiting forever.
func TestRenewWithoutHookGoesOnOnceTheRecordsAreThere(t *testing.T) {
	e, later := slowRecords(t)
	e.mustInstall(t, "expfree1", "--dir", filepath.Join(t.TempDir(), "free"), "--validation", "DNS")
	if r := e.renew(t, "--yes"); r.code != ExitWaiting {
		t.Fatalf("first run: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	later()
	r := e.renew(t, "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "free.example.com: renewed: expfree1 → ") {
		t.Fatalf("second run: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(e.sb.Calls(sandbox.ActionApply)); n != 1 {
		t.Fatalf("%d ApplyCertificate, want 1", n)
	}
}

// Walk finding: a renewal whose new certificate the account no longer has
// (a sandbox restarted, an order cancelled) is dropped, said, and the next
// run starts again — instead of failing on it for ever.
func TestRenewDropsARenewalWhoseCertificateIsGone(t *testing.T) {
	e := renewEnv(t)
	e.mustInstall(t, "expfree1", "--dir", filepath.Join(t.TempDir(), "free"), "--validation", "DNS_AUTO")
	for _, step := range []profiles.Step{profiles.StepIssued, profiles.StepApplied} {
		s := openStore(t)
		in, _ := s.LoadInstallation("free.example.com")
		in.Renewing = &profiles.Renewing{Certificate: "gone0001", Step: step, Time: time.Now().UTC()}
		if err := s.SaveInstallation(in); err != nil {
			t.Fatal(err)
		}
		r := e.renew(t, "--yes")
		if r.code != api.ExitRejected || !strings.Contains(r.stdout, "gone0001 is no longer in the account") {
			t.Fatalf("step %s: %d\n%s%s", step, r.code, r.stdout, r.stderr)
		}
		if in := loadInstall(t, "free.example.com"); in.Renewing != nil {
			t.Fatalf("step %s: still renewing %+v", step, in.Renewing)
		}
	}
	if r := e.renew(t, "--yes"); r.code != 0 || !strings.Contains(r.stdout, "renewed: expfree1 → ") {
		t.Fatalf("the next run: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// Walk finding: an installation made from the sandbox (an endpoint on this
// machine) is never renewed against another endpoint: needs you, no
// request there.
func TestRenewKeepsSandboxInstallationsLocal(t *testing.T) {
	e := renewEnv(t)
	e.mustInstall(t, "expfree1", "--dir", filepath.Join(t.TempDir(), "free"), "--validation", "DNS_AUTO")
	if in := loadInstall(t, "free.example.com"); !in.Local {
		t.Fatal("an install from the loopback sandbox is not marked local")
	}
	var sent atomic.Int32
	elsewhere := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		sent.Add(1)
		return nil, errors.New("no request may leave")
	})}
	var out, errb bytes.Buffer
	g := &Globals{IO: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Endpoint: "https://ssl.tencentcloudapi.example", Timeout: 5 * time.Second,
		Language: api.English, Version: "test", transport: elsewhere.Transport}
	cmd := newRenewCmd(g, 10*time.Millisecond)
	cmd.SetArgs([]string{"--yes"})
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	code := ExitCode(cmd.ExecuteContext(context.Background()), &errb)
	if code != ExitNeedsUser || !strings.Contains(out.String(), "installed from an endpoint on this machine (the sandbox)") || sent.Load() != 0 {
		t.Fatalf("exit %d, %d requests\n%s%s", code, sent.Load(), out.String(), errb.String())
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
