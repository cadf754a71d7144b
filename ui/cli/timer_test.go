package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
)

func timerRun(t *testing.T, args ...string) result {
	t.Helper()
	return env{}.exec(t, NewTimerCmd, how{}, args...)
}

// Issue 20, item 5: the timer renews twice a day with a random delay and
// makes up a run missed while the machine was off; the service runs renew
// and counts "validation still waiting" (6) as a success.
func TestTimerUnits(t *testing.T) {
	newEnv(t) // a HOME of the test's own
	cfg := t.TempDir()
	r := timerRun(t, "--bin", "/usr/bin/certwiz", "--user", "root")
	for _, want := range []string{"# certwiz-renew.service\n", "ExecStart=/usr/bin/certwiz renew --yes\n", "SuccessExitStatus=6\n", "Type=oneshot\n",
		"# certwiz-renew.timer\n", "OnCalendar=*-*-* 00,12:00:00\n", "RandomizedDelaySec=1h\n", "Persistent=true\n", "WantedBy=timers.target\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the units lack %q:\n%s", want, r.stdout)
		}
	}
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	// Walk finding: the service renews the installations of the config
	// folder in use, as that user (not root's default folder).
	t.Setenv("CERTWIZ_CONFIG_DIR", cfg)
	r = timerRun(t, "--bin", "/usr/bin/certwiz", "--user", "ops")
	if !strings.Contains(r.stdout, "\nEnvironment=CERTWIZ_CONFIG_DIR="+cfg+"\n") || !strings.Contains(r.stdout, "\nUser=ops\n") || strings.Contains(r.stdout, "HOME=/root") {
		t.Fatalf("units for another config folder:\n%s", r.stdout)
	}
	if r := timerRun(t, "--bin", "certwiz"); r.code != api.ExitInput || !strings.Contains(r.stderr, "--bin") || !strings.Contains(r.stderr, "absolute") {
		t.Fatalf("a relative --bin: %d %s", r.code, r.stderr)
	}
	if got := systemdQuote("/opt/my tools/certwiz"); got != `"/opt/my tools/certwiz"` {
		t.Fatalf("quoted %s", got)
	}
}

// --dir writes both units, 0600, and never replaces one that is there.
func TestTimerWritesUnitsOnce(t *testing.T) {
	newEnv(t)
	dir := t.TempDir()
	bin := certwizBinary(t)
	u, err := (&Globals{}).unit(bin, "")
	if err != nil {
		t.Fatal(err)
	}
	r := timerRun(t, "--dir", dir, "--bin", bin)
	if r.code != 0 || !strings.Contains(r.stdout, "systemctl enable --now certwiz-renew.timer") {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	for name, text := range RenewUnits(u) {
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if err != nil || string(b) != text {
			t.Fatalf("%s: %v %q", name, err, b)
		}
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s is %v", name, fi.Mode())
		}
	}
	os.WriteFile(filepath.Join(dir, renewTimer), []byte("mine\n"), 0o600)
	os.Remove(filepath.Join(dir, renewService))
	r = timerRun(t, "--dir", dir, "--bin", bin)
	if b, _ := os.ReadFile(filepath.Join(dir, renewTimer)); r.code != api.ExitInput || string(b) != "mine\n" || !strings.Contains(r.stderr, "already there") || exists(filepath.Join(dir, renewService)) {
		t.Fatalf("over an existing unit: %d %q %s", r.code, b, r.stderr)
	}
	// systemd itself reads the units, where it is installed.
	if analyze, err := exec.LookPath("systemd-analyze"); err == nil {
		os.Remove(filepath.Join(dir, renewTimer))
		if r := timerRun(t, "--dir", dir, "--bin", bin); r.code != 0 {
			t.Fatalf("rewrite: %s", r.stderr)
		}
		out, err := exec.Command(analyze, "verify", "--man=no", filepath.Join(dir, renewService), filepath.Join(dir, renewTimer)).CombinedOutput()
		if err != nil {
			t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
		}
	}
}

// Walk finding: --dir must be a folder only its owner can write to (the
// units run as root); a missing one or a file is named as such.
func TestTimerDirChecks(t *testing.T) {
	newEnv(t)
	base := t.TempDir()
	file := filepath.Join(base, "afile")
	os.WriteFile(file, nil, 0o600)
	shared := filepath.Join(base, "shared")
	os.Mkdir(shared, 0o777)
	os.Chmod(shared, 0o777)
	for dir, want := range map[string]string{filepath.Join(base, "nope"): "not a folder", file: "not a folder", shared: "writable by its group or everyone"} {
		if r := timerRun(t, "--dir", dir, "--bin", "/usr/bin/certwiz"); r.code != api.ExitInput || !strings.Contains(r.stderr, want) {
			t.Errorf("--dir %s: %d %s", dir, r.code, r.stderr)
		}
	}
	if entries, _ := os.ReadDir(shared); len(entries) != 0 {
		t.Fatalf("wrote into the shared folder: %v", entries)
	}
}
