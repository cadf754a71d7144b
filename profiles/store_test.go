package profiles

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

// The helper modes let tests run savers in separate processes.
func TestMain(m *testing.M) {
	switch os.Getenv("CERTWIZ_PROFILES_HELPER") {
	case "save-loop":
		helperSaveLoop()
	case "append-domains":
		helperAppendDomains()
	case "append-history":
		helperAppendHistory()
	case "hold-install-lock":
		helperHoldInstallLock()
	default:
		os.Exit(m.Run())
	}
	os.Exit(0)
}

func helperStore() *Store {
	s, err := Open(os.Getenv("HELPER_DIR"), nil)
	if err != nil {
		panic(err)
	}
	return s
}

// helperSaveLoop saves 500 internally consistent versions of one profile:
// version n has n domains and OrganizationName "save-n".
func helperSaveLoop() {
	s := helperStore()
	for n := 1; n <= 500; n++ {
		var r api.Request
		r.OrganizationName = fmt.Sprintf("save-%d", n)
		for i := range n {
			r.DomainList = append(r.DomainList, fmt.Sprintf("d%d.example.com", i))
		}
		if err := s.Save(Profile{Name: "crash", Params: r}); err != nil {
			panic(err)
		}
		fmt.Println(n) // saved: the test kills the process after a save it picked
	}
}

// helperAppendDomains adds 100 domains tagged with HELPER_TAG, one update each.
func helperAppendDomains() {
	s := helperStore()
	tag := os.Getenv("HELPER_TAG")
	for i := range 100 {
		err := s.Update("shared", func(p *Profile, _ bool) error {
			p.Params.DomainList = append(p.Params.DomainList, fmt.Sprintf("%s%d.example.com", tag, i))
			return nil
		})
		if err != nil {
			panic(err)
		}
	}
}

func helperAppendHistory() {
	h, err := OpenHistory(os.Getenv("HELPER_DIR"), nil)
	if err != nil {
		panic(err)
	}
	for i := range 200 {
		rec := Record{Time: time.Now(), Profile: os.Getenv("HELPER_TAG"), CertificateId: strings.Repeat("x", 500), RequestId: strconv.Itoa(i), Outcome: OutcomeOK}
		if err := h.Append(rec); err != nil {
			panic(err)
		}
	}
}

func helper(t *testing.T, mode, dir, tag string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CERTWIZ_PROFILES_HELPER="+mode, "HELPER_DIR="+dir, "HELPER_TAG="+tag)
	cmd.Stderr = os.Stderr
	return cmd
}

func newStore(t *testing.T) (*Store, *[]string) {
	t.Helper()
	var warnings []string
	s, err := Open(filepath.Join(t.TempDir(), "config"), func(w string) { warnings = append(warnings, w) })
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) }
	return s, &warnings
}

func perm(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestSaveLoadRoundTripAndPermissions(t *testing.T) {
	s, warnings := newStore(t)
	r := api.Request{CertificateId: "abcb1234", PhoneAreaCode: "0755", DomainList: []string{"a.example.com"}, KeyPassword: "hunter2",
		CsrContent: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----"}
	if err := s.Save(Profile{Name: "acme", Params: r}); err != nil {
		t.Fatal(err)
	}
	p, err := s.Load("acme")
	if err != nil {
		t.Fatal(err)
	}
	r.KeyPassword = ""
	if p.Name != "acme" || p.Version != 1 || !p.Updated.Equal(s.Now()) || p.Params.CertificateId != r.CertificateId || p.Params.PhoneAreaCode != "0755" ||
		p.Params.CsrContent != r.CsrContent || !slices.Equal(p.Params.DomainList, r.DomainList) {
		t.Fatalf("loaded %+v", p)
	}
	data, _ := os.ReadFile(s.Path("acme"))
	if bytes.Contains(data, []byte("hunter2")) || bytes.Contains(data, []byte("KeyPassword")) {
		t.Fatalf("a secret reached the disk:\n%s", data)
	}
	if len(*warnings) != 1 || !strings.Contains((*warnings)[0], "KeyPassword") {
		t.Fatalf("warnings = %v", *warnings)
	}
	if perm(t, s.Path("acme")) != 0o600 || perm(t, s.Dir) != 0o700 || perm(t, filepath.Dir(s.Dir)) != 0o700 { // both created by certwiz
		t.Fatalf("permissions %o %o", perm(t, s.Path("acme")), perm(t, s.Dir))
	}
}

// Folders certwiz did not create keep their mode (a shared 1777 folder, a
// setgid 2770 one); the warning says truthfully who can list them and
// their real mode, sticky and setgid bits included (trust issue, item 19:
// a 1777 folder was called 0777). Files
// certwiz writes are 0600 whatever the folder, and reading never chmods.
func TestFoldersNotOursKeepTheirMode(t *testing.T) {
	for _, c := range []struct {
		mode  os.FileMode
		who   string
		octal string
	}{{0o777 | os.ModeSticky, "its group and every user", "1777"}, {0o770 | os.ModeSetgid, "its group", "2770"}, {0o755, "its group and every user", "0755"}, {0o700, "", ""}} {
		dir := t.TempDir()
		folder := filepath.Join(dir, "profiles")
		os.MkdirAll(folder, 0o700)
		os.Chmod(folder, c.mode)
		before, _ := os.Stat(folder)
		os.WriteFile(filepath.Join(folder, "acme.yaml"), []byte("version: 1\nparams:\n  CertificateId: abcb1234\n"), 0o644)
		var warnings []string
		s, err := Open(dir, func(w string) { warnings = append(warnings, w) })
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Load("acme"); err != nil {
			t.Fatal(err)
		}
		after, _ := os.Stat(folder)
		if after.Mode() != before.Mode() || perm(t, s.Path("acme")) != 0o644 {
			t.Fatalf("mode %v → %v, file %o", before.Mode(), after.Mode(), perm(t, s.Path("acme")))
		}
		switch {
		case c.who == "" && len(warnings) != 0:
			t.Fatalf("%v: warnings %v", c.mode, warnings)
		case c.who != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], "profiles ("+c.octal+") can be listed by "+c.who+";")):
			t.Fatalf("%v: warnings %v", c.mode, warnings)
		}
		if err := s.Save(Profile{Name: "acme", Params: api.Request{CertificateId: "abcb1234"}}); err != nil {
			t.Fatal(err)
		}
		if perm(t, s.Path("acme")) != 0o600 {
			t.Fatalf("saved %o", perm(t, s.Path("acme")))
		}
	}
}

// A profile or history planted as a symlink is not followed, and a FIFO
// is refused at once instead of blocking.
func TestPlantedLinksAndFIFOsAreRefused(t *testing.T) {
	s, _ := newStore(t)
	target := filepath.Join(t.TempDir(), "target.yaml")
	os.WriteFile(target, []byte("version: 1\nparams:\n  CertificateId: abcb1234\n"), 0o644)
	os.Symlink(target, s.Path("acme"))
	if _, err := s.Load("acme"); err == nil {
		t.Fatal("a symlinked profile was read")
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o644 {
		t.Fatalf("the symlink's target was chmod-ed to %o", fi.Mode().Perm())
	}
	fifo := s.Path("pipe")
	if err := syscallMkfifo(fifo); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := s.Load("pipe"); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("FIFO: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("reading a FIFO blocked")
	}
	h, _ := OpenHistory(t.TempDir(), nil)
	os.Symlink(target, h.Path)
	if err := h.Append(Record{CertificateId: "x", Outcome: "OK"}); err == nil {
		t.Fatal("the history was appended through a symlink")
	}
	if data, _ := os.ReadFile(target); strings.Contains(string(data), "OK") {
		t.Fatal("the symlink's target was written")
	}
}

func TestNamesThatEscapeAreRefused(t *testing.T) {
	s, _ := newStore(t)
	outside := filepath.Dir(s.Dir)
	before, _ := os.ReadDir(outside)
	for _, name := range []string{"../x", "a/b", "../../etc/passwd", ".hidden", "Acme", "", "a b", strings.Repeat("a", 65), `a\b`} {
		err := s.Save(Profile{Name: name, Params: api.Request{CertificateId: "x"}})
		var ne *NameError
		if !errors.As(err, &ne) {
			t.Errorf("Save(%q) = %v, want a NameError", name, err)
		}
		if _, err := s.Load(name); !errors.As(err, &ne) {
			t.Errorf("Load(%q) = %v", name, err)
		}
	}
	after, _ := os.ReadDir(outside)
	inside, _ := os.ReadDir(s.Dir)
	if len(after) != len(before) || len(inside) != 0 {
		t.Fatalf("something was written: outside %v inside %v", after, inside)
	}
}

func TestUnparseableFileIsNeverOverwritten(t *testing.T) {
	s, _ := newStore(t)
	bad := []byte("version: 1\nparams:\n  CertificateId: abcb1234\n  OrganisationName: Acme\n")
	os.WriteFile(s.Path("broken"), bad, 0o600)
	err := s.Save(Profile{Name: "broken", Params: api.Request{CertificateId: "new"}})
	var fe *FileError
	if !errors.As(err, &fe) || fe.Path != s.Path("broken") || !strings.Contains(err.Error(), "line 4: OrganisationName") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(s.Path("broken")); !bytes.Equal(data, bad) {
		t.Fatal("the unparseable file was changed")
	}
	os.WriteFile(s.Path("good"), []byte("version: 1\nparams:\n  CertificateId: abcb1234\n"), 0o600)
	entries, err := s.List()
	if err != nil || len(entries) != 2 || entries[0].Err == nil || entries[1].Err != nil || entries[1].Profile.Params.CertificateId != "abcb1234" {
		t.Fatalf("list = %+v, %v", entries, err)
	}
}

func TestTemplateCopyRenameDelete(t *testing.T) {
	s, _ := newStore(t)
	full := api.Request{CertificateId: "abcb1234", CsrType: "online", CertificateDomain: "www.example.com", DomainList: []string{"example.com"},
		VerifyType: "DNS", OrganizationName: "Acme", AdminEmail: "a@example.com", ContactEmail: "c@example.com", PostalCode: "518000"}
	if err := s.Save(Profile{Name: "acme", Params: full}); err != nil {
		t.Fatal(err)
	}
	if err := s.Copy("acme", "next", true); err != nil {
		t.Fatal(err)
	}
	next, _ := s.Load("next")
	// The certificate goes; the organization, people, the validation
	// method and online CSRs stay, so a batch's rows need only their names.
	want := api.Request{CsrType: "online", OrganizationName: "Acme", AdminEmail: "a@example.com", ContactEmail: "c@example.com", PostalCode: "518000", VerifyType: "DNS"}
	if fmt.Sprint(next.Params) != fmt.Sprint(want) {
		t.Fatalf("template = %+v", next.Params)
	}
	// A parsed CSR belongs to its certificate: parse goes with it.
	parsed := full
	parsed.CsrType, parsed.CsrContent = "parse", "-----BEGIN CERTIFICATE REQUEST-----"
	if tm := Template(parsed); tm.CsrType != "" || tm.CsrContent != "" || tm.VerifyType != "DNS" {
		t.Fatalf("template of a parse profile = %+v", tm)
	}
	if err := s.Copy("acme", "next", false); !errors.Is(err, ErrExists) {
		t.Fatalf("copy over an existing profile: %v", err)
	}
	if err := s.Rename("acme", "acme2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load("acme"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old name still loads: %v", err)
	}
	if p, err := s.Load("acme2"); err != nil || p.Name != "acme2" || p.Params.CertificateId != "abcb1234" {
		t.Fatalf("renamed = %+v %v", p, err)
	}
	if err := s.Delete("acme2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("acme2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

// A saver killed at random moments never leaves a torn or empty profile:
// what is on disk is always one complete version.
func TestSIGKILLDuringSavesNeverTearsTheProfile(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Each round kills the saver right after a save it picks at random has
	// completed — so within the next one — whatever the machine's speed.
	midway := 0
	for round := range 15 {
		cmd := helper(t, "save-loop", dir, "")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		pick := 1 + rand.IntN(400)
		lines := bufio.NewScanner(out)
		for lines.Scan() && lines.Text() != strconv.Itoa(pick) {
		}
		cmd.Process.Signal(syscall.SIGKILL)
		io.Copy(io.Discard, out)
		cmd.Wait()
		p, err := s.Load("crash")
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if n := len(p.Params.DomainList); n < pick || p.Params.OrganizationName != fmt.Sprintf("save-%d", n) {
			t.Fatalf("round %d, killed after save %d: torn or lost profile: %d domains, name %q", round, pick, n, p.Params.OrganizationName)
		}
		if len(p.Params.DomainList) < 500 {
			midway++
		}
	}
	t.Logf("15 rounds, %d killed before the saver's last save", midway)
	// The next save cleans up the temp files the killed savers left.
	if err := s.Save(Profile{Name: "crash", Params: api.Request{CertificateId: "x"}}); err != nil {
		t.Fatal(err)
	}
	if temps, _ := filepath.Glob(filepath.Join(s.Dir, ".crash.yaml.*.tmp")); len(temps) != 0 {
		t.Fatalf("temp files left: %v", temps)
	}
}

// Two processes updating the same profile lose nothing either completed.
func TestConcurrentProcessesLoseNoUpdate(t *testing.T) {
	dir := t.TempDir()
	a, b := helper(t, "append-domains", dir, "a"), helper(t, "append-domains", dir, "b")
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	if err := a.Wait(); err != nil {
		t.Fatal(err)
	}
	if err := b.Wait(); err != nil {
		t.Fatal(err)
	}
	s, _ := Open(dir, nil)
	p, err := s.Load("shared")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Params.DomainList) != 200 {
		t.Fatalf("%d domains, want 200", len(p.Params.DomainList))
	}
	for _, tag := range []string{"a", "b"} {
		for i := range 100 {
			if !slices.Contains(p.Params.DomainList, fmt.Sprintf("%s%d.example.com", tag, i)) {
				t.Fatalf("lost %s%d", tag, i)
			}
		}
	}
}

func TestHistoryConcurrentAppendsNeverInterleave(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	a, b := helper(t, "append-history", dir, "a"), helper(t, "append-history", dir, "b")
	a.Start()
	b.Start()
	if err := a.Wait(); err != nil {
		t.Fatal(err)
	}
	if err := b.Wait(); err != nil {
		t.Fatal(err)
	}
	var warnings []string
	h, _ := OpenHistory(dir, func(w string) { warnings = append(warnings, w) })
	recs, err := h.Read()
	if err != nil || len(recs) != 400 || len(warnings) != 0 {
		t.Fatalf("%d records, %v, warnings %v", len(recs), err, warnings)
	}
	if perm(t, h.Path) != 0o600 || perm(t, dir) != 0o700 {
		t.Fatalf("permissions %o %o", perm(t, h.Path), perm(t, dir))
	}
}

func TestHistoryTornLastLineIsSkipped(t *testing.T) {
	var warnings []string
	h, _ := OpenHistory(filepath.Join(t.TempDir(), "state"), func(w string) { warnings = append(warnings, w) })
	h.Append(Record{CertificateId: "one", Outcome: OutcomeOK})
	f, _ := os.OpenFile(h.Path, os.O_APPEND|os.O_WRONLY, 0o600)
	f.WriteString(`{"time":"2026-11-26T1`) // a crash mid-write
	f.Close()
	recs, err := h.Read()
	if err != nil || len(recs) != 1 || len(warnings) != 1 || !strings.Contains(warnings[0], ":2:") {
		t.Fatalf("records %v err %v warnings %v", recs, err, warnings)
	}
	h.Append(Record{CertificateId: "two", Outcome: "AuthFailure.SignatureFailure"})
	warnings = nil
	recs, _ = h.Read()
	if len(recs) != 2 || recs[1].CertificateId != "two" || len(warnings) != 1 {
		t.Fatalf("after append: %v, warnings %v", recs, warnings)
	}
}
