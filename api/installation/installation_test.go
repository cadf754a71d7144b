package installation

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/deploy"
	"github.com/certwiz/certwiz/api/hook"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/profiles"
)

func store(t *testing.T) *profiles.Store {
	t.Helper()
	s, err := profiles.Open(filepath.Join(t.TempDir(), "config", "profiles"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func detail(id, domain, verifyType, packageType string, names ...string) api.CertificateDetail {
	var d api.CertificateDetail
	d.CertificateId, d.Domain, d.VerifyType, d.PackageType, d.SubjectAltName = id, domain, verifyType, packageType, names
	return d
}

func ptr(s string) *string { return &s }

func TestDefaultName(t *testing.T) {
	for domain, want := range map[string]string{
		"www.example.com": "www.example.com", "WWW.Example.COM": "www.example.com", "*.example.com": "wildcard.example.com",
		"": "", "../etc": "", "a b": "",
	} {
		if got := DefaultName(domain); got != want {
			t.Errorf("DefaultName(%q) = %q, want %q", domain, got, want)
		}
	}
}

// A new installation takes the answers given and the defaults for the
// rest: the certificate's method, the waits, and for a paid certificate
// the profile the history says submitted it.
func TestPrepareNew(t *testing.T) {
	s := store(t)
	d := detail("abcb1234", "www.example.com", "DNS", "33", "example.com")
	history := func() ([]profiles.Record, error) {
		return []profiles.Record{{CertificateId: "abcb1234", Profile: "old"}, {CertificateId: "other", Profile: "x"}, {CertificateId: "abcb1234", Profile: "acme"}}, nil
	}
	in, err := Prepare(s, d, Answers{Dir: "/srv/www", DeployHook: ptr("reload")}, history)
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "www.example.com" || in.Dir != "/srv/www" || in.Kind != profiles.KindPaid || in.DeployHook != "reload" ||
		in.Validation != api.MethodDNS || in.VerifyWait != DefaultVerifyWait || in.HookTimeout != hook.DefaultTimeout ||
		in.Profile != "acme" || strings.Join(in.Domains, ",") != "www.example.com,example.com" || in.Verify != nil {
		t.Fatalf("%+v", in)
	}
	free := detail("free0001", "dev.example.com", "DNS_AUTO", api.PackageFreeDV)
	in, err = Prepare(s, free, Answers{Dir: "/srv/dev"}, func() ([]profiles.Record, error) { t.Fatal("a free certificate needs no profile"); return nil, nil })
	if err != nil || in.Kind != profiles.KindFree || in.Validation != api.MethodDNSAuto || in.Profile != "" {
		t.Fatalf("%+v %v", in, err)
	}
	if _, err := Prepare(s, detail("x1", "192.0.2.1:bad", "DNS", "33"), Answers{Dir: "/x"}, nil); !errors.Is(err, ErrNoName) {
		t.Fatalf("no name: %v", err)
	}
}

// An installation saved before keeps what the answers do not say; a hook
// given empty removes it, an empty list of servers checks none, and one
// name lives in one folder.
func TestPrepareExisting(t *testing.T) {
	s := store(t)
	d := detail("abcb1234", "www.example.com", "DNS", "33")
	saved := profiles.Installation{Name: "www", Domains: []string{"www.example.com"}, Certificate: "aaaa0001", Kind: profiles.KindPaid, Dir: "/srv/www",
		DeployHook: "reload", Verify: []string{"www.example.com:443"}, VerifyWait: time.Minute, HookTimeout: time.Minute,
		Validation: api.MethodFile, AuthHook: "put", CleanupHook: "rm", Profile: "acme"}
	if err := s.SaveInstallation(saved); err != nil {
		t.Fatal(err)
	}
	in, err := Prepare(s, d, Answers{Name: "www", Dir: "/srv/www"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	in.Domains = saved.Domains
	if in.DeployHook != "reload" || strings.Join(in.Verify, ",") != "www.example.com:443" || in.VerifyWait != time.Minute || in.HookTimeout != time.Minute ||
		in.Validation != api.MethodFile || in.AuthHook != "put" || in.CleanupHook != "rm" || in.Profile != "acme" || in.Certificate != "aaaa0001" {
		t.Fatalf("not kept: %+v", in)
	}
	in, err = Prepare(s, d, Answers{Name: "www", Dir: "/srv/www", DeployHook: ptr(""), AuthHook: ptr(""), CleanupHook: ptr("rm2"), Verify: []string{},
		VerifyWait: 5 * time.Second, Validation: api.MethodDNS, Profile: "other"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if in.DeployHook != "" || in.Verify != nil || in.AuthHook != "" || in.CleanupHook != "rm2" || in.VerifyWait != 5*time.Second || in.Validation != api.MethodDNS || in.Profile != "other" {
		t.Fatalf("not changed: %+v", in)
	}
	var elsewhere *ElsewhereError
	if _, err := Prepare(s, d, Answers{Name: "www", Dir: "/srv/other"}, nil); !errors.As(err, &elsewhere) || elsewhere.Dir != "/srv/www" {
		t.Fatalf("another folder: %v", err)
	}
}

// Deployed from the sandbox (expfree1 carries Tencent's key), the
// certificate is current and Keep saves the installation naming it; a
// deployment whose hook fails with a version to go back to is not kept.
func TestDeployAndKeep(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Rate: 1000})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	c, err := api.NewClient(api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "sandbox"), api.Config{Endpoint: srv.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	d, err := c.DescribeCertificateDetail(ctx, "expfree1")
	if err != nil {
		t.Fatal(err)
	}
	s := store(t)
	dir := filepath.Join(t.TempDir(), "free")
	in, err := Prepare(s, d, Answers{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := Deploy(ctx, c, in, "expfree1", d.Names(), nil, api.English)
	if err != nil || Outcome(err) != profiles.OutcomeOK {
		t.Fatal(err)
	}
	// A renewal in flight of this very certificate (renew stopped, the
	// wizard installed it): done now, so renew will not install it again.
	in.Renewing = &profiles.Renewing{Certificate: "expfree1", Step: profiles.StepIssued}
	if current, err := Keep(s, &in, "expfree1", r, err); !current || err != nil || in.Renewing != nil {
		t.Fatalf("kept %v %v, renewing %+v", current, err, in.Renewing)
	}
	saved, err := s.LoadInstallation("free.example.com")
	if err != nil || saved.Certificate != "expfree1" || saved.Dir != dir || saved.Kind != profiles.KindFree {
		t.Fatalf("%+v %v", saved, err)
	}
	first, _ := os.Readlink(filepath.Join(dir, "current"))

	in.DeployHook = "exit 3"
	r, _, err = Deploy(ctx, c, in, "expfree1", d.Names(), nil, api.English)
	var failed *deploy.Failed
	if !errors.As(err, &failed) || !r.RolledBack || Outcome(err) != "ClientError.RolledBack" {
		t.Fatalf("a failing hook: %v %+v", err, r)
	}
	if current, err := Keep(s, &in, "expfree1", r, err); current || err != nil {
		t.Fatalf("kept a rolled-back deployment: %v %v", current, err)
	}
	if now, _ := os.Readlink(filepath.Join(dir, "current")); now != first {
		t.Fatalf("current → %s, want %s", now, first)
	}
	if _, _, err := Deploy(ctx, c, in, "nosuch99", nil, nil, api.English); Outcome(err) != "FailedOperation.CertificateNotFound" {
		t.Fatalf("an unknown certificate: %v (%s)", err, Outcome(err))
	}
}
