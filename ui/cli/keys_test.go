package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/profiles"
)

// keysRun runs `certwiz keys ARGS` with fake streams (no terminal).
func (e env) keysRun(t *testing.T, h how, args ...string) result {
	t.Helper()
	return e.exec(t, NewKeysCmd, h, args...)
}

// keysJSON is `certwiz keys --json`, decoded.
func (e env) keysJSON(t *testing.T, args ...string) []keyJSON {
	t.Helper()
	r := e.keysRun(t, how{}, append(args, "--json")...)
	var out []keyJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); r.code != 0 || err != nil {
		t.Fatalf("keys --json: exit %d %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	return out
}

// generated makes keys with csr generate --certificate-id id, in order,
// and returns their paths.
func (e env) generated(t *testing.T, id string, names ...string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, n := range names {
		key := filepath.Join(dir, n+".key")
		if r := e.csrRun(t, "generate", "--certificate-id", id, "--domain", "shop.example.com", "--key-out", key, "--csr-out", filepath.Join(dir, n+".csr")); r.code != 0 {
			t.Fatalf("csr generate: %d %s", r.code, r.stderr)
		}
		paths = append(paths, key)
	}
	return paths
}

// forgottenLines counts the history's KEY-FORGOTTEN lines.
func forgottenLines(t *testing.T) []profiles.Record {
	t.Helper()
	return historyWhere(t, func(r profiles.Record) bool { return r.Outcome == profiles.OutcomeKeyForgotten })
}

// certwiz keys lists the keys generated here per certificate: the file,
// when, the public key's SHA-256, whether it is on disk, whether offered;
// keys forget asks (--yes without a terminal), --dry-run records nothing,
// and forgetting appends one line per key — the files stay.
func TestKeysListAndForget(t *testing.T) {
	e := newEnv(t)
	if r := e.keysRun(t, how{}); r.code != 0 || !strings.Contains(r.stderr, "No key has been generated on this machine") {
		t.Fatalf("empty: exit %d %s", r.code, r.stderr)
	}
	ab := e.generated(t, "demo0100", "a", "b")
	z := e.generated(t, "zzzz0000", "z")
	os.Remove(z[0])
	r := e.keysRun(t, how{})
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], "CERTIFICATE  KEY FILE") ||
		!strings.HasPrefix(lines[1], "demo0100     "+ab[1]) || !strings.HasPrefix(lines[2], "demo0100     "+ab[0]) ||
		!strings.Contains(lines[1], "sha256:") || !strings.HasSuffix(lines[1], "on disk  yes") ||
		!strings.HasPrefix(lines[3], "zzzz0000     "+z[0]) || !strings.HasSuffix(lines[3], "gone     yes") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	js := e.keysJSON(t, "demo0100")
	if len(js) != 2 || js[0].Path != ab[1] || len(js[0].KeySHA256) != 64 || js[0].Created == nil || !js[0].OnDisk || js[0].Forgotten != nil {
		t.Fatalf("json %+v", js)
	}

	// Without a terminal: --yes is required, and nothing is recorded.
	r = e.keysRun(t, how{}, "forget", "demo0100", ab[0])
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "--yes required when not running interactively") || len(forgottenLines(t)) != 0 {
		t.Fatalf("no terminal: exit %d %s", r.code, r.stderr)
	}
	r = e.keysRun(t, how{}, "forget", "demo0100", ab[0], "--dry-run")
	if r.code != 0 || !strings.Contains(r.stderr, ab[0]) || strings.Contains(r.stderr, ab[1]) || !strings.Contains(r.stderr, "Dry run: nothing was recorded.") || len(forgottenLines(t)) != 0 {
		t.Fatalf("dry run: exit %d %s", r.code, r.stderr)
	}
	// On a terminal, anything but y keeps it.
	r = e.keysRun(t, how{tty: true, stdin: "n\n"}, "forget", "demo0100", ab[0])
	if r.code != 0 || !strings.Contains(r.stderr, "Forget 1 key(s)? [y/N] ") || !strings.Contains(r.stderr, "Kept: nothing was forgotten.") || len(forgottenLines(t)) != 0 {
		t.Fatalf("n: exit %d %s", r.code, r.stderr)
	}
	r = e.keysRun(t, how{tty: true, stdin: "y\n"}, "forget", "demo0100", ab[0])
	if f := forgottenLines(t); r.code != 0 || r.stdout != "Forgotten: demo0100 "+ab[0]+"\n" || len(f) != 1 || f[0].KeyFile != ab[0] || f[0].Reason != profiles.ForgetByUser || len(f[0].KeySHA256) != 64 {
		t.Fatalf("y: exit %d %q %s %+v", r.code, r.stdout, r.stderr, f)
	}
	if _, err := os.Stat(ab[0]); err != nil {
		t.Fatalf("the key file was touched: %v", err)
	}
	js = e.keysJSON(t, "demo0100")
	if len(js) != 2 || js[1].Path != ab[0] || js[1].Forgotten == nil || js[1].Reason != "user" || js[0].Forgotten != nil {
		t.Fatalf("after: %+v", js)
	}
	// Again: already forgotten, nothing recorded; an unknown key is a
	// mistake to fix (exit 2); the rest of the certificate with --yes.
	if r = e.keysRun(t, how{}, "forget", "demo0100", ab[0], "--yes"); r.code != 0 || !strings.Contains(r.stderr, "Already forgotten") || len(forgottenLines(t)) != 1 {
		t.Fatalf("again: exit %d %s", r.code, r.stderr)
	}
	if r = e.keysRun(t, how{}, "forget", "demo0100", filepath.Join(t.TempDir(), "x.key"), "--yes"); r.code != api.ExitInput || !strings.Contains(r.stderr, "no key generated on this machine for demo0100") {
		t.Fatalf("unknown key: exit %d %s", r.code, r.stderr)
	}
	if r = e.keysRun(t, how{}, "forget", "demo0100", "--yes"); r.code != 0 || r.stdout != "Forgotten: demo0100 "+ab[1]+"\n" || len(forgottenLines(t)) != 2 {
		t.Fatalf("--yes: exit %d %q %s", r.code, r.stdout, r.stderr)
	}
	if r = e.keysRun(t, how{}, "forget", "demo 0100", "--yes"); r.code != api.ExitInput || !strings.Contains(r.stderr, "is not a CertificateId") {
		t.Fatalf("bad ID: exit %d %s", r.code, r.stderr)
	}
}

// Downloading a certificate submitted with b's CSR after a's forgets a:
// said on stdout with its path (in --json, KeysNotNeeded), recorded as
// downloaded; the next download offers b alone and forgets nothing more.
func TestDownloadForgetsTheOtherKeys(t *testing.T) {
	e := newSandboxEnv(t, sandbox.Options{Rate: 100, PublishDelay: -1, IssueDelay: -1, FrequentWindow: -1})
	for _, id := range []string{"demo0100", "demo0101"} {
		ab := e.generated(t, id, "a", "b")
		for _, k := range ab {
			e.submitted(t, id, "CsrType=parse", "CsrContent=@"+strings.TrimSuffix(k, ".key")+".csr", "CertificateDomain=shop.example.com", "DomainList=shop.example.com", "VerifyType=DNS")
		}
		e.commitAndIssue(t, id)
		args := []string{id, "--out", filepath.Join(t.TempDir(), "shop")}
		if id == "demo0101" {
			r := e.download(t, how{}, append(args, "--json")...)
			if m := decodeOne(t, r.stdout); r.code != 0 || m["KeyMatches"] != true || fmt.Sprint(m["KeysNotNeeded"]) != "["+ab[0]+"]" {
				t.Fatalf("--json: exit %d %v", r.code, m)
			}
		} else {
			r := e.download(t, how{}, args...)
			if r.code != 0 || !strings.Contains(r.stdout, "generated on this machine: "+ab[1]+" — matches the certificate") ||
				!strings.Contains(r.stdout, "\nNo longer needed: keys generated here for this certificate that it is not for. certwiz no longer offers them (certwiz keys lists them) and never deletes a key: delete these files once you are sure.\n  "+ab[0]+"\n") {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		}
		var f []profiles.Record
		for _, r := range forgottenLines(t) {
			if r.CertificateId == id {
				f = append(f, r)
			}
		}
		if len(f) != 1 || f[0].KeyFile != ab[0] || f[0].Reason != profiles.ForgetDownloaded {
			t.Fatalf("%s: history %+v", id, f)
		}
		if _, err := os.Stat(ab[0]); err != nil {
			t.Fatalf("the key file was touched: %v", err)
		}
		if js := e.keysJSON(t, id); len(js) != 2 || js[0].Path != ab[1] || js[0].Forgotten != nil || js[1].Reason != profiles.ForgetDownloaded {
			t.Fatalf("keys %+v", js)
		}
	}
	// Again: b alone is offered, and nothing more is forgotten or said.
	n := len(forgottenLines(t))
	r := e.download(t, how{}, "demo0100", "--out", filepath.Join(t.TempDir(), "shop"))
	if r.code != 0 || strings.Contains(r.stdout, "No longer needed") || len(forgottenLines(t)) != n {
		t.Fatalf("again: exit %d\n%s", r.code, r.stdout)
	}
}
