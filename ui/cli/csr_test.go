package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
)

func (e env) csrRun(t *testing.T, args ...string) result {
	t.Helper()
	return e.exec(t, NewCSRCmd, how{}, args...)
}

func TestCSRGenerateWithProfileThenSubmit(t *testing.T) {
	e := newEnv(t)
	e.cmdRun(t, "", "profiles", "import", exampleFile(t), "--name", "acme")
	dir := t.TempDir()
	key, csrPath := filepath.Join(dir, "acme.key"), filepath.Join(dir, "acme.csr")
	r := e.csrRun(t, "generate", "--profile", "acme", "--key-type", "ecdsa-p384", "--key-out", key, "--csr-out", csrPath)
	if r.code != 0 || !strings.Contains(r.stdout, "ECDSA P-384") || !strings.Contains(r.stderr, "Tencent Cloud cannot recover it") {
		t.Fatalf("generate: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v", err)
	}
	// The profile now carries the CSR with CsrType=parse, and submits as is.
	s := e.cmdRun(t, "", "submit", "--profile", "acme", "--json")
	if s.code != 0 {
		t.Fatalf("submit: %d %s %s", s.code, s.stdout, s.stderr)
	}
	sent := e.sb.Submissions()[0].Params
	csrText, _ := os.ReadFile(csrPath)
	if sent["CsrType"] != "parse" || sent["CsrContent"] != strings.TrimSpace(string(csrText)) {
		t.Fatalf("sent CsrType %v, CsrContent differs from the file", sent["CsrType"])
	}
	keyText, _ := os.ReadFile(key)
	for _, v := range sent {
		if strings.Contains(string(keyText), "PRIVATE KEY") && strings.Contains(jsonString(v), "PRIVATE KEY") {
			t.Fatal("the private key was sent")
		}
	}
	// The subject came from the profile.
	ins := e.csrRun(t, "inspect", csrPath, "--json")
	var info struct {
		Subject []struct{ Short, Value string }
		Key     struct{ Curve string }
	}
	json.Unmarshal([]byte(ins.stdout), &info)
	if ins.code != 0 || info.Key.Curve != "P-384" || len(info.Subject) < 5 {
		t.Fatalf("inspect: %d %s", ins.code, ins.stdout)
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestCSRGenerateNeverOverwrites(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "www.key")
	os.WriteFile(key, []byte("precious"), 0o600)
	r := e.csrRun(t, "generate", "--domain", "www.example.com", "--key-out", key, "--csr-out", filepath.Join(dir, "www.csr"))
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "never overwrites") {
		t.Fatalf("%d %s", r.code, r.stderr)
	}
	if data, _ := os.ReadFile(key); string(data) != "precious" {
		t.Fatal("the existing key changed")
	}
	if r := e.csrRun(t, "generate", "--domain", "https://bad", "--key-out", filepath.Join(dir, "b.key"), "--csr-out", filepath.Join(dir, "b.csr")); r.code != api.ExitInput || !strings.Contains(r.stderr, "has a scheme") {
		t.Fatalf("bad domain: %d %s", r.code, r.stderr)
	}
}

func TestSubmitRefusesMismatchedOrWeakCSR(t *testing.T) {
	e := newEnv(t)
	for name, c := range map[string]struct{ file, domain, want string }{
		"CN mismatch": {"../../api/testdata/rsa2048.csr", "shop.example.com", "differs from CertificateDomain"},
		"RSA 1024":    {"../../api/testdata/rsa1024.csr", "www.example.com", "weak 1024-bit"},
	} {
		r := e.run(t, "", "--input", exampleFile(t), "--set", "CsrType=parse", "--set", "CsrContent=@"+c.file,
			"--set", "CertificateDomain="+c.domain, "--set", "DomainList=example.com")
		if r.code != api.ExitInput || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d %q", name, r.code, r.stderr)
		}
	}
	if e.calls.Load() != 0 {
		t.Fatal("something was sent")
	}
}
