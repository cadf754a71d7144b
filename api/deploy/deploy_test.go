package deploy

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"github.com/certwiz/certwiz/api/live"
	"github.com/certwiz/certwiz/api/tlsverify"
	"github.com/certwiz/certwiz/api/tlsverify/tlstest"
)

// nginx imitates a server configured with DIR/current/fullchain.pem and
// DIR/current/privkey.pem: it reads them when it is reloaded — when a
// line is added to its reload file, as a hook's "nginx -s reload" would —
// and presents what it read until the next reload.
type nginx struct {
	dir, reload string
	addr        string
	mu          sync.Mutex
	size        int64
	cert        *tls.Certificate
}

func startNginx(t *testing.T, dir string) *nginx {
	t.Helper()
	n := &nginx{dir: dir, reload: filepath.Join(t.TempDir(), "reload")}
	n.addr = tlstest.Serve(t, n.certificate)
	return n
}

func (n *nginx) certificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if fi, err := os.Stat(n.reload); err == nil && fi.Size() != n.size {
		n.size = fi.Size()
		c, err := tls.LoadX509KeyPair(filepath.Join(n.dir, "current", "fullchain.pem"), filepath.Join(n.dir, "current", "privkey.pem"))
		if err != nil {
			return nil, err
		}
		n.cert = &c
	}
	if n.cert == nil {
		return nil, errors.New("nothing loaded")
	}
	return n.cert, nil
}

// presents reports whether the server presents the leaf of SHA-256 want now.
func (n *nginx) presents(want [32]byte) bool {
	return tlsverify.Verify(context.Background(), n.addr, "www.example.com", want, 0, 0).OK()
}

// clock is the verification's time, in nanoseconds: a sleep passes at once.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time { return time.Unix(0, c.ns.Load()) }

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.ns.Add(int64(d))
	return ctx.Err()
}

// cert is a certificate to deploy, and its leaf's SHA-256.
func cert(t *testing.T, id string) (live.Issued, [32]byte) {
	c := bundletest.Issue(t, nil, "www.example.com", "example.com")
	p, err := tls.X509KeyPair([]byte(c.Leaf), []byte(c.Key))
	if err != nil {
		t.Fatal(err)
	}
	return live.Issued{CertificateID: id, ChainPEM: []byte(c.Leaf + c.Intermediate), KeyPEM: []byte(c.Key)}, sha256.Sum256(p.Certificate[0])
}

// The hooks of these tests write their environment to $TEST_LOG and
// reload the server with a line in $TEST_RELOAD: the parent's
// environment reaches them.
const (
	logEnv = `{ env | grep -E '^CERTWIZ_(NAME|DIR|LIVE|CERTIFICATE_ID|PREVIOUS_CERTIFICATE_ID|DOMAINS)=' | sort; echo ----; } >> "$TEST_LOG"; `
	reload = `echo reload >> "$TEST_RELOAD"`
)

// rig is a DIR, a server reading it, and the hook's files.
type rig struct {
	dir, log string
	n        *nginx
	minute   int
}

func newRig(t *testing.T) *rig {
	dir := filepath.Join(t.TempDir(), "www")
	r := &rig{dir: dir, log: filepath.Join(t.TempDir(), "log"), n: startNginx(t, dir)}
	t.Setenv("TEST_LOG", r.log)
	t.Setenv("TEST_RELOAD", r.n.reload)
	return r
}

func (r *rig) plan(c live.Issued, hook string, targets ...string) Plan {
	r.minute++
	c0 := &clock{}
	c0.ns.Store(time.Now().UnixNano())
	return Plan{
		Name: "www", Dir: r.dir, Cert: c, Hook: hook, Verify: targets,
		VerifyWait: 20 * time.Second, VerifyInterval: 5 * time.Second,
		Checker: tlsverify.Checker{Now: c0.Now, Sleep: c0.Sleep},
		Now:     func() time.Time { return time.Date(2026, 12, 2, 18, r.minute, 0, 0, time.UTC) },
	}
}

// runs are the hook's environments, one per run.
func (r *rig) runs(t *testing.T) []string {
	b, err := os.ReadFile(r.log)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "----\n"), "----\n")
}

// first deploys a first certificate that works.
func (r *rig) first(t *testing.T) (live.Result, [32]byte) {
	t.Helper()
	c, sum := cert(t, "aaaa1111")
	rep, err := Deploy(context.Background(), r.plan(c, logEnv+reload, r.n.addr))
	if err != nil {
		t.Fatal(err)
	}
	return rep.Install, sum
}

// A renewal that works: installed, the hook told the certificate, its
// predecessor, the folder, the link and the names — and the server,
// reloaded, presents the new leaf.
func TestDeployPutsTheCertificateLive(t *testing.T) {
	r := newRig(t)
	v1, _ := r.first(t)
	c, sum := cert(t, "bbbb2222")
	rep, err := Deploy(context.Background(), r.plan(c, logEnv+reload, r.n.addr))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Install.Previous != v1.Version || rep.RolledBack || rep.RollbackHook != nil || !rep.Hook.OK() {
		t.Fatalf("%+v", rep)
	}
	if len(rep.Served) != 1 || !rep.Served[0].OK() || rep.Served[0].SNI != "www.example.com" || !r.n.presents(sum) {
		t.Fatalf("served %+v", rep.Served)
	}
	runs := r.runs(t)
	want := strings.Join([]string{
		"CERTWIZ_CERTIFICATE_ID=bbbb2222",
		"CERTWIZ_DIR=" + r.dir,
		"CERTWIZ_DOMAINS=www.example.com example.com",
		"CERTWIZ_LIVE=" + filepath.Join(r.dir, "current"),
		"CERTWIZ_NAME=www",
		"CERTWIZ_PREVIOUS_CERTIFICATE_ID=aaaa1111",
	}, "\n") + "\n"
	if len(runs) != 2 || runs[1] != want {
		t.Fatalf("hook runs %q", runs)
	}
	if !strings.Contains(runs[0], "CERTWIZ_PREVIOUS_CERTIFICATE_ID=\n") {
		t.Fatalf("first run %q", runs[0])
	}
}

// The hook fails (a broken configuration, say): current goes back, the
// hook runs again for the previous certificate, no server is checked,
// and the error says all of it.
func TestDeployHookFailureRollsBack(t *testing.T) {
	r := newRig(t)
	v1, sum1 := r.first(t)
	c, _ := cert(t, "bbbb2222")
	hook := logEnv + `if [ "$CERTWIZ_CERTIFICATE_ID" = bbbb2222 ]; then echo "nginx: [emerg] broken" >&2; exit 1; fi; ` + reload
	rep, err := Deploy(context.Background(), r.plan(c, hook, r.n.addr))
	var f *Failed
	if !errors.As(err, &f) || f.Stage != StageHook || !rep.RolledBack || rep.Served != nil {
		t.Fatalf("%v %+v", err, rep)
	}
	if want := "certificate " + rep.Install.Version + ": the deploy hook exited with status 1; " + filepath.Join(r.dir, "current") + " is back on " + v1.Version; err.Error() != want {
		t.Fatalf("%v\nwant %s", err, want)
	}
	if want := "证书 " + rep.Install.Version + "：部署钩子退出状态为 1；" + filepath.Join(r.dir, "current") + " 已切回 " + v1.Version; f.In("zh-CN") != want {
		t.Fatalf("%s\nwant %s", f.In("zh-CN"), want)
	}
	if rep.Hook.Output.Tail() != "nginx: [emerg] broken" || !rep.RollbackHook.OK() {
		t.Fatalf("hooks %q %+v", rep.Hook.Output.Tail(), rep.RollbackHook)
	}
	if cur, _ := live.Current(r.dir); cur != v1.Version || !r.n.presents(sum1) {
		t.Fatalf("current %q", cur)
	}
	runs := r.runs(t)
	if len(runs) != 3 || !strings.Contains(runs[2], "CERTWIZ_CERTIFICATE_ID=aaaa1111\n") || !strings.Contains(runs[2], "CERTWIZ_PREVIOUS_CERTIFICATE_ID=bbbb2222\n") {
		t.Fatalf("runs %q", runs)
	}
}

// A hook that hangs is stopped at its timeout, and that is a failure like
// any other: back to the previous version, the hook run again.
func TestDeployHookHangsRollsBack(t *testing.T) {
	r := newRig(t)
	v1, _ := r.first(t)
	c, _ := cert(t, "bbbb2222")
	p := r.plan(c, `if [ "$CERTWIZ_CERTIFICATE_ID" = bbbb2222 ]; then sleep 1000; fi; `+reload, r.n.addr)
	p.HookTimeout = 300 * time.Millisecond
	rep, err := Deploy(context.Background(), p)
	if err == nil || !rep.Hook.TimedOut || !rep.RolledBack || !rep.RollbackHook.OK() || !strings.Contains(err.Error(), "did not finish within 300ms") {
		t.Fatalf("%v %+v", err, rep)
	}
	if cur, _ := live.Current(r.dir); cur != v1.Version {
		t.Fatalf("current %q", cur)
	}
}

// A server that keeps presenting the old certificate, and one that
// presents another domain's: each reported as it is, current back, the
// hook run again.
func TestDeployServersNotPresentingItRollBack(t *testing.T) {
	r := newRig(t)
	v1, sum1 := r.first(t)
	evil := startNginx(t, t.TempDir())
	other := bundletest.Issue(t, nil, "evil.example.net")
	os.Mkdir(filepath.Join(evil.dir, "v"), 0o700)
	os.WriteFile(filepath.Join(evil.dir, "v", "fullchain.pem"), []byte(other.Leaf+other.Intermediate), 0o600)
	os.WriteFile(filepath.Join(evil.dir, "v", "privkey.pem"), []byte(other.Key), 0o600)
	os.Symlink("v", filepath.Join(evil.dir, "current"))
	os.WriteFile(evil.reload, []byte("start\n"), 0o600)

	c, _ := cert(t, "bbbb2222")
	hook := logEnv + `[ "$CERTWIZ_CERTIFICATE_ID" = bbbb2222 ] || ` + reload // the renewal forgets to reload
	rep, err := Deploy(context.Background(), r.plan(c, hook, r.n.addr, evil.addr))
	var f *Failed
	if !errors.As(err, &f) || f.Stage != StageVerify || !rep.RolledBack || !rep.RollbackHook.OK() {
		t.Fatalf("%v %+v", err, rep)
	}
	if !strings.Contains(err.Error(), r.n.addr+", "+evil.addr+" did not present the new certificate; ") {
		t.Fatalf("%v", err)
	}
	old, bad := rep.Served[0], rep.Served[1]
	// Asked again and again (the two checks share the test's clock, so
	// how many times each is not fixed).
	if old.Outcome != tlsverify.OtherCertificate || old.Cert.SHA256 != sum1 || old.Attempts < 2 {
		t.Fatalf("old: %s (%d attempts)", old.Describe("en"), old.Attempts)
	}
	if bad.Outcome != tlsverify.WrongName || !strings.Contains(bad.Describe("en"), "presents a certificate for another name — CN=evil.example.net") {
		t.Fatalf("evil: %s", bad.Describe("en"))
	}
	if cur, _ := live.Current(r.dir); cur != v1.Version {
		t.Fatalf("current %q", cur)
	}
	if runs := r.runs(t); len(runs) != 3 || !strings.Contains(runs[2], "CERTWIZ_CERTIFICATE_ID=aaaa1111\n") {
		t.Fatalf("runs %q", runs)
	}
}

// A first install that no server presents has nothing to go back to:
// it stays current, and the error says so.
func TestDeployFirstInstallHasNothingToGoBackTo(t *testing.T) {
	r := newRig(t)
	c, _ := cert(t, "aaaa1111")
	rep, err := Deploy(context.Background(), r.plan(c, "true", r.n.addr))
	if err == nil || rep.RolledBack || !errors.Is(rep.RollbackErr, live.ErrNoPrevious) || rep.RollbackHook != nil {
		t.Fatalf("%v %+v", err, rep)
	}
	if !strings.Contains(err.Error(), "there is no previous version, so "+filepath.Join(r.dir, "current")+" stays on "+rep.Install.Version) {
		t.Fatalf("%v", err)
	}
	if rep.Served[0].Outcome != tlsverify.HandshakeFailed {
		t.Fatalf("%s", rep.Served[0].Describe("en"))
	}
}

// An install refused changes nothing and runs no hook; without a hook
// or targets, a deployment is the install alone.
func TestDeployRefusedInstallRunsNothing(t *testing.T) {
	r := newRig(t)
	c, _ := cert(t, "aaaa1111")
	other, _ := cert(t, "aaaa1111")
	c.KeyPEM = other.KeyPEM
	rep, err := Deploy(context.Background(), r.plan(c, logEnv+reload, r.n.addr))
	if !errors.Is(err, live.ErrKeyMismatch) || rep.Hook != nil || rep.Served != nil || r.runs(t) != nil {
		t.Fatalf("%v %+v", err, rep)
	}
	c, _ = cert(t, "aaaa1111")
	rep, err = Deploy(context.Background(), r.plan(c, ""))
	if err != nil || rep.Hook != nil || rep.Served != nil || rep.Install.Version == "" {
		t.Fatalf("%v %+v", err, rep)
	}
}

// What cannot be undone is said: a hook that fails again after the switch
// back, and a current someone replaced meanwhile (left as it is).
func TestDeployRollbackTroubleIsReported(t *testing.T) {
	r := newRig(t)
	r.first(t)
	c, _ := cert(t, "bbbb2222")
	rep, err := Deploy(context.Background(), r.plan(c, "exit 4", r.n.addr))
	if err == nil || !rep.RolledBack || !strings.HasSuffix(err.Error(), "; the deploy hook, run again, exited with status 4") {
		t.Fatalf("%v", err)
	}

	r2 := newRig(t)
	r2.first(t)
	c, _ = cert(t, "cccc3333")
	replace := `[ "$CERTWIZ_CERTIFICATE_ID" = cccc3333 ] && rm "$CERTWIZ_LIVE" && echo mine > "$CERTWIZ_LIVE"; exit 1`
	rep, err = Deploy(context.Background(), r2.plan(c, replace, r2.n.addr))
	var ce *live.CurrentError
	if err == nil || rep.RolledBack || !errors.As(rep.RollbackErr, &ce) || rep.RollbackHook != nil || !strings.Contains(err.Error(), "; switching "+filepath.Join(r2.dir, "current")+" back failed: ") {
		t.Fatalf("%v %+v", err, rep)
	}
	if b, _ := os.ReadFile(filepath.Join(r2.dir, "current")); string(b) != "mine\n" {
		t.Fatalf("current %q", b)
	}
}
