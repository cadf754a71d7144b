package profiles

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

func installStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// full is an installation with every key set.
func full() Installation {
	return Installation{
		Name: "www", Domains: []string{"www.example.com", "example.com"},
		Certificate: "bbbb2222", Previous: []string{"aaaa1111", "zzzz0000"},
		Kind: KindPaid, Dir: "/etc/certwiz/www",
		DeployHook: "systemctl reload nginx\n# and the mail server\nsystemctl reload postfix",
		Verify:     []string{"www.example.com:443", "[2001:db8::1]:8443"},
		VerifyWait: 90 * time.Second, HookTimeout: 10 * time.Minute,
		Validation: api.MethodDNS, AuthHook: `add-record "$CERTWIZ_RECORD_NAME"`, CleanupHook: "rm-record",
		Profile: "acme", KeyType: "rsa-3072", ReuseKey: true, Rollout: true, RolloutOnFailure: "rollback",
		Renewing:    &Renewing{Certificate: "cccc3333", Step: StepSubmitted, Time: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)},
		LastRenewal: &LastRenewal{Time: time.Date(2026, 9, 1, 10, 5, 0, 0, time.UTC), Outcome: RenewalDone, Message: "renewed by the timer"},
	}
}

// minimal is an installation with the keys it needs only.
func minimal() Installation {
	return Installation{Name: "api", Domains: []string{"api.example.com"}, Certificate: "abcb1234", Kind: KindFree, Dir: "/srv/tls/api"}
}

// Saved and read back the same, 0600 in a 0700 folder; what is not set
// is not written.
func TestInstallationRoundTrip(t *testing.T) {
	s := installStore(t)
	for _, in := range []Installation{full(), minimal()} {
		if err := s.SaveInstallation(in); err != nil {
			t.Fatal(err)
		}
		got, err := s.LoadInstallation(in.Name)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, in) {
			t.Errorf("read back\n%+v\nwant\n%+v", got, in)
		}
		fi, _ := os.Stat(s.InstallationPath(in.Name))
		dir, _ := os.Stat(s.InstallsDir())
		if fi.Mode().Perm() != 0o600 || dir.Mode().Perm() != 0o700 {
			t.Errorf("modes %v %v", fi.Mode(), dir.Mode())
		}
	}
	b, _ := os.ReadFile(s.InstallationPath("api"))
	want := "version: 1\nname: api\ndomains:\n  - api.example.com\ncertificate: abcb1234\nkind: free\ndir: /srv/tls/api\n"
	if string(b) != want {
		t.Fatalf("minimal file:\n%s", b)
	}
}

// A file edited into nonsense: the error names the file, the line and
// the key, and what is wrong.
func TestInstallationNonsenseNamesTheLine(t *testing.T) {
	head := "version: 1\nname: www\ndomains: [www.example.com]\ncertificate: abcb1234\nkind: free\ndir: /srv/www\n"
	for body, want := range map[string]string{
		"deploy_hook: x\n":                  "line 7: deploy_hook: unknown key",
		"verify: [www.example.com]\n":       `line 7: verify: verify target "www.example.com" is not HOST:PORT`,
		"verify: [www.example.com:99999]\n": `line 7: verify: verify target "www.example.com:99999": port "99999" is not a number from 1 to 65535`,
		"verifyWait: soon\n":                `line 7: verifyWait: "soon" is not a duration`,
		"hookTimeout: 48h\n":                "line 7: hookTimeout: 48h0m0s is not between 0 and 24h0m0s",
		"validation: EMAIL\n":               `line 7: validation: "EMAIL" is not one of DNS_AUTO, DNS, FILE`,
		"previous: [ab cd]\n":               `line 7: previous: "ab cd" has a space inside`,
		"profile: ../x\n":                   `line 7: profile: invalid profile name "../x"`,
		"keyType: rsa-1024\n":               `line 7: keyType: "rsa-1024" is not one of ecdsa-p256`,
		"reuseKey: maybe\n":                 "line 7: reuseKey: must be true or false",
		"rolloutOnFailure: later\n":         `line 7: rolloutOnFailure: "later" is not one of stop, retry, rollback`,
		"renewing:\n  step: paid\n":         `line 8: renewing: step: "paid" is not one of applied, submitted`,
		"renewing:\n  colour: red\n":        "line 8: renewing.colour: unknown key (renewing has certificate, step, time)",
		"renewing:\n  time: yesterday\n":    `line 8: renewing.time: "yesterday" is not a time such as 2026-12-01T10:00:00Z`,
		"lastRenewal:\n  outcome: great\n":  `line 8: lastRenewal: outcome: "great" is not one of renewed, failed, waiting, needs-user`,
		"lastRenewal: done\n":               "line 7: lastRenewal: must be a mapping of message, outcome, time",
		"deployHook: \"a\\0b\"\n":           "line 7: deployHook: a command of at most 65536 bytes, without NUL",
		"kind: paid\n":                      "line 7: kind: given twice",
		"\tbroken: [\n":                     "not valid YAML: yaml: line 6: found a tab character",
	} {
		checkNonsense(t, head+body, want)
	}
	for file, want := range map[string]string{
		"":           "line 1: an installation file is a mapping",
		"- a\n- b\n": "line 1: an installation file is a mapping",
		strings.Replace(head, "dir: /srv/www\n", "", 1):                                 "line 1: dir: missing",
		strings.Replace(head, "kind: free", "kind: gold", 1):                            `line 5: kind: "gold" is not one of free, paid`,
		strings.Replace(head, "version: 1", "version: 2", 1):                            "line 1: version: this certwiz reads version 1",
		strings.Replace(head, "/srv/www", "srv/www", 1):                                 `line 6: dir: "srv/www" must be an absolute path`,
		strings.Replace(head, "[www.example.com]", "www.example.com", 1):                "line 3: domains: must be a list",
		strings.Replace(head, "[www.example.com]", "[WWW.Example.com]", 1):              `line 3: domains: "WWW.Example.com" is written "www.example.com"`,
		strings.Replace(head, "[www.example.com]", "[https://x.example.com]", 1):        `line 3: domains: "https://x.example.com" has a scheme`,
		strings.Replace(head, "[www.example.com]", "[a.example.com, a.example.com]", 1): `line 3: domains: "a.example.com" is named twice`,
		strings.Replace(head, "abcb1234", "abc/1234", 1):                                `line 4: certificate: "abc/1234" has characters other than letters and digits`,
	} {
		checkNonsense(t, file, want)
	}
}

func checkNonsense(t *testing.T, file, want string) {
	t.Helper()
	s := installStore(t)
	if err := s.installsDir(true); err != nil {
		t.Fatal(err)
	}
	path := s.InstallationPath("www")
	os.WriteFile(path, []byte(file), 0o600)
	_, err := s.LoadInstallation("www")
	if err == nil || !strings.HasPrefix(err.Error(), "installation file "+path+": ") || !strings.Contains(err.Error(), want) {
		t.Errorf("%q:\n got %v\nwant %s", file, err, want)
	}
}

// One broken file does not hide the others: each is listed, the broken
// one with its error and line; names that are not installations are
// passed over, and a symlink is refused.
func TestListInstallationsKeepsGoing(t *testing.T) {
	s := installStore(t)
	if got, err := s.ListInstallations(); err != nil || got != nil {
		t.Fatalf("no folder: %v %v", got, err)
	}
	a, c := minimal(), full()
	a.Name, c.Name = "a", "c"
	for _, in := range []Installation{a, c} {
		if err := s.SaveInstallation(in); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(s.InstallationPath("b"), []byte("version: 1\nname: b\nkind: [\n"), 0o600)
	os.WriteFile(filepath.Join(s.InstallsDir(), "Not A Name.yaml"), []byte("x"), 0o600)
	os.Symlink(s.InstallationPath("a"), s.InstallationPath("d"))
	got, err := s.ListInstallations()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range got {
		names = append(names, e.Name)
	}
	if !slices.Equal(names, []string{"a", "b", "c", "d"}) {
		t.Fatalf("names %q", names)
	}
	if got[0].Err != nil || got[0].Installation.Dir != a.Dir || got[2].Err != nil || got[2].Installation.DeployHook != c.DeployHook {
		t.Fatalf("good ones: %+v", got)
	}
	if got[1].Err == nil || !strings.Contains(got[1].Err.Error(), "installation file "+s.InstallationPath("b")+": not valid YAML: yaml: line 3") {
		t.Fatalf("broken: %v", got[1].Err)
	}
	if got[3].Err == nil {
		t.Fatal("read through a symlink")
	}
}

// The file names commands certwiz runs: one another user owns or can
// write to — or in a folder they can — is not read, and the refusal says
// which and why.
func TestInstallationOthersCouldWriteIsRefused(t *testing.T) {
	s := installStore(t)
	if err := s.SaveInstallation(minimal()); err != nil {
		t.Fatal(err)
	}
	path := s.InstallationPath("api")
	for mode, why := range map[os.FileMode]string{0o666: "is writable by every user (0666)", 0o620: "is writable by its group (0620)"} {
		os.Chmod(path, mode)
		_, err := s.LoadInstallation("api")
		var ue *UntrustedError
		if !errors.As(err, &ue) || err.Error() != "installation file "+path+" "+why+": it names commands certwiz runs, so certwiz does not read one another user could have written; make it yours (chown, chmod go-w) or move it away" {
			t.Errorf("%o: %v", mode, err)
		}
		if got, _ := s.ListInstallations(); len(got) != 1 || !errors.As(got[0].Err, &ue) {
			t.Errorf("%o listed: %+v", mode, got)
		}
	}
	os.Chmod(path, 0o600)
	os.Chmod(s.InstallsDir(), 0o770)
	var ue *UntrustedError
	if _, err := s.LoadInstallation("api"); !errors.As(err, &ue) || ue.Path != s.InstallsDir() {
		t.Errorf("group-writable folder: %v", err)
	}
	if _, err := s.ListInstallations(); !errors.As(err, &ue) {
		t.Errorf("group-writable folder listed: %v", err)
	}
	if err := s.SaveInstallation(minimal()); !errors.As(err, &ue) {
		t.Errorf("saved into a group-writable folder: %v", err)
	}
	if fi, _ := os.Stat(s.InstallsDir()); fi.Mode().Perm() != 0o770 {
		t.Errorf("folder mode changed: %v", fi.Mode())
	}
	os.Chmod(s.InstallsDir(), 0o700)
	if os.Geteuid() == 0 { // chown needs root; TestUntrustedOwner proves the rule itself
		os.Chown(path, 4242, 4242)
		if _, err := s.LoadInstallation("api"); !errors.As(err, &ue) || ue.Why != "is owned by another user (uid 4242)" {
			t.Errorf("another user's: %v", err)
		}
	}
}

// Names follow the profile rule; a missing installation says so; a
// value that may not be saved is named and nothing is written.
func TestInstallationNamesAndChecks(t *testing.T) {
	s := installStore(t)
	for _, name := range []string{"../x", "Www", "", ".hidden", "a/b"} {
		var ne *NameError
		if _, err := s.LoadInstallation(name); !errors.As(err, &ne) || !strings.HasPrefix(err.Error(), fmt.Sprintf("invalid installation name %q", name)) {
			t.Errorf("load %q: %v", name, err)
		}
		in := minimal()
		in.Name = name
		if err := s.SaveInstallation(in); !errors.As(err, &ne) {
			t.Errorf("save %q: %v", name, err)
		}
		if _, err := s.LockInstallation(name); !errors.As(err, &ne) {
			t.Errorf("lock %q: %v", name, err)
		}
	}
	if _, err := s.LoadInstallation("none"); !errors.Is(err, ErrNoInstallation) {
		t.Errorf("missing: %v", err)
	}
	bad := minimal()
	bad.Verify = []string{"www.example.com:0"}
	if err := s.SaveInstallation(bad); err == nil || !strings.Contains(err.Error(), `save installation "api": verify: verify target "www.example.com:0"`) {
		t.Errorf("%v", err)
	}
	bad = minimal()
	bad.Validation = "EMAIL"
	if err := s.SaveInstallation(bad); err == nil || !strings.Contains(err.Error(), "validation:") {
		t.Errorf("%v", err)
	}
	if _, err := os.Stat(s.InstallationPath("api")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("written")
	}
}

// SetCertificate moves the current certificate to the front of Previous.
func TestSetCertificate(t *testing.T) {
	in := Installation{Certificate: "bbbb", Previous: []string{"aaaa", "bbbb"}}
	in.SetCertificate("cccc")
	if in.Certificate != "cccc" || !slices.Equal(in.Previous, []string{"bbbb", "aaaa"}) {
		t.Fatalf("%+v", in)
	}
	in.SetCertificate("cccc")
	if !slices.Equal(in.Previous, []string{"bbbb", "aaaa"}) {
		t.Fatalf("again: %+v", in)
	}
}

// helperHoldInstallLock holds an installation's lock until its standard
// input ends.
func helperHoldInstallLock() {
	unlock, err := helperStore().LockInstallation("www")
	if err != nil {
		panic(err)
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
	unlock()
}

// One certwiz at a time per installation: another process holding the
// lock makes a second one fail at once, saying so; released, it is free.
func TestLockInstallationIsExclusive(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir, nil)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CERTWIZ_PROFILES_HELPER=hold-install-lock", "HELPER_DIR="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "locked\n" {
		t.Fatalf("helper: %q", line)
	}
	var be *BusyError
	if _, err := s.LockInstallation("www"); !errors.As(err, &be) || !strings.Contains(err.Error(), `installation "www" is being worked on by another certwiz`) {
		t.Fatalf("%v", err)
	}
	unlockOther, err := s.LockInstallation("api") // another installation is free
	if err != nil {
		t.Fatal(err)
	}
	unlockOther()
	stdin.Close()
	cmd.Wait()
	unlock, err := s.LockInstallation("www")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LockInstallation("www"); !errors.As(err, &be) { // in one process too
		t.Fatalf("twice: %v", err)
	}
	unlock()
}

// Any bytes as an installation file: no panic, and whatever is read
// without error and passes Check is written back to the same.
func FuzzInstallationFile(f *testing.F) {
	f.Add(EncodeInstallation(full()))
	f.Add(EncodeInstallation(minimal()))
	f.Add([]byte("version: 1\nrenewing: {step: applied}\nlastRenewal: {outcome: failed, time: 2026-01-01T00:00:00Z}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := DecodeInstallation(data)
		if err != nil {
			return
		}
		in.Name = "fuzz"
		if in.Check() != nil {
			return
		}
		again, err := DecodeInstallation(EncodeInstallation(in))
		again.Name = "fuzz"
		if err != nil || !reflect.DeepEqual(again, in) {
			t.Fatalf("%+v\nbecame %+v (%v)", in, again, err)
		}
	})
}
