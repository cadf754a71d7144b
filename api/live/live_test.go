package live

import (
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"github.com/certwiz/certwiz/api/install"
)

// issued is a certificate for names with its chain and key, as Install takes it.
func issued(t *testing.T, id string, names ...string) (Issued, bundletest.Issued) {
	t.Helper()
	c := bundletest.Issue(t, nil, names...)
	return Issued{CertificateID: id, ChainPEM: []byte(c.Leaf + c.Intermediate), KeyPEM: []byte(c.Key)}, c
}

// at is a moment on 2 December 2026, minutes after 18:00 UTC.
func at(minute int) time.Time { return time.Date(2026, 12, 2, 18, minute, 0, 0, time.UTC) }

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func link(t *testing.T, path string) string {
	t.Helper()
	target, err := os.Readlink(path)
	if err != nil {
		t.Fatal(err)
	}
	return target
}

// The layout servers read: DIR/current → the version, with the four
// files, folders 0700 and files 0600; a missing DIR and its missing
// parents are created 0700.
func TestInstallLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "etc", "www.example.com")
	c, pems := issued(t, "abcb1234", "www.example.com", "example.com")
	res, err := Install(dir, c, at(1))
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != "2026-12-02T1801-abcb1234" || res.Previous != "" || res.PreviousID != "" || res.Dir != dir {
		t.Fatalf("result %+v", res)
	}
	if res.SHA256 != sha256.Sum256(res.Leaf.Raw) || res.Leaf.Subject.CommonName != "www.example.com" {
		t.Fatalf("leaf %v", res.Leaf.Subject)
	}
	if got := link(t, filepath.Join(dir, "current")); got != res.Version || res.Live() != filepath.Join(dir, "current") {
		t.Fatalf("current → %q", got)
	}
	want := map[string]string{
		"cert.pem":      pems.Leaf,
		"chain.pem":     pems.Intermediate,
		"fullchain.pem": pems.Leaf + pems.Intermediate,
		"privkey.pem":   pems.Key,
	}
	for name, content := range want {
		p := filepath.Join(dir, "current", name)
		if got := readString(t, p); got != content {
			t.Errorf("%s: %q", name, got)
		}
		if m := mode(t, filepath.Join(dir, res.Version, name)); m != 0o600 {
			t.Errorf("%s: mode %o", name, m)
		}
	}
	for _, d := range []string{filepath.Dir(dir), dir, filepath.Join(dir, res.Version)} {
		if m := mode(t, d); m != 0o700 {
			t.Errorf("%s: mode %o", d, m)
		}
	}
	if got := bundletest.ListAll(dir); !slices.Equal(got, []string{"2026-12-02T1801-abcb1234", "2026-12-02T1801-abcb1234/cert.pem", "2026-12-02T1801-abcb1234/chain.pem", "2026-12-02T1801-abcb1234/fullchain.pem", "2026-12-02T1801-abcb1234/privkey.pem", "current"}) {
		t.Fatalf("left %q", got)
	}
	if l, err := Leaf(dir, res.Version); err != nil || l.SerialNumber.Cmp(res.Leaf.SerialNumber) != 0 {
		t.Fatalf("Leaf: %v", err)
	}
}

// Each install becomes current and names the one before; the newest
// three stay, the older go; the same certificate twice in a minute gets
// a second name; names sort by time, not as text.
func TestInstallSwitchesAndKeepsThree(t *testing.T) {
	dir := t.TempDir()
	var names []string
	for i, id := range []string{"aaaa0001", "zzzz0002", "bbbb0003", "aaaa0004", "aaaa0004"} {
		c, _ := issued(t, id, "www.example.com")
		res, err := Install(dir, c, at(10+min(i, 3)))
		if err != nil {
			t.Fatal(err)
		}
		prev := ""
		if i > 0 {
			prev = names[i-1]
		}
		if res.Previous != prev || link(t, filepath.Join(dir, "current")) != res.Version {
			t.Fatalf("install %d: %+v", i, res)
		}
		if i > 0 && res.PreviousID != strings.Split(prev, "-")[3] {
			t.Fatalf("install %d: previous ID %q", i, res.PreviousID)
		}
		names = append(names, res.Version)
		wantPruned := []string(nil)
		if i >= Keep {
			wantPruned = names[i-Keep : i-Keep+1]
		}
		if !slices.Equal(res.Pruned, wantPruned) || res.PruneErr != nil {
			t.Fatalf("install %d pruned %q (%v)", i, res.Pruned, res.PruneErr)
		}
	}
	if names[4] != "2026-12-02T1813-aaaa0004.2" {
		t.Fatalf("second name in a minute: %q", names[4])
	}
	vs, err := Versions(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		got = append(got, v.Name)
	}
	if !slices.Equal(got, names[2:]) || vs[2].CertificateID != "aaaa0004" || !vs[2].Installed.Equal(at(13)) {
		t.Fatalf("versions %q %+v", got, vs)
	}
}

// The current and the previous version are never pruned, however old:
// switched back to the oldest by hand, an install keeps it.
func TestPruneNeverRemovesCurrentOrPrevious(t *testing.T) {
	dir := t.TempDir()
	first := installs(t, dir, 0, 3)[0].Version
	if err := Switch(dir, first); err != nil {
		t.Fatal(err)
	}
	res := installs(t, dir, 5, 1)[0]
	if res.Previous != first || len(res.Pruned) != 0 {
		t.Fatalf("%+v", res)
	}
	if vs, _ := Versions(dir); len(vs) != 4 {
		t.Fatalf("%d versions", len(vs))
	}
}

// installs installs n certificates in dir, a minute apart from minute
// from, and returns what each install said.
func installs(t *testing.T, dir string, from, n int) []Result {
	t.Helper()
	var out []Result
	for i := range n {
		c, _ := issued(t, "abcb1234", "www.example.com")
		res, err := Install(dir, c, at(from+i))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res)
	}
	return out
}

// What certwiz did not write stays: other files in DIR, and an old
// version holding a file of someone else's (named in PruneErr).
func TestPruneLeavesWhatIsNotCertwizs(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600)
	os.Mkdir(filepath.Join(dir, "2020-01-01T0000-backup.old"), 0o700)
	first := installs(t, dir, 0, 1)[0].Version
	os.WriteFile(filepath.Join(dir, first, "dhparam.pem"), []byte("mine"), 0o600)
	res := installs(t, dir, 1, 3)[2]
	if len(res.Pruned) != 0 || res.PruneErr == nil || !strings.Contains(res.PruneErr.Error(), "holds dhparam.pem, which certwiz did not write: left as it is") {
		t.Fatalf("pruned %q: %v", res.Pruned, res.PruneErr)
	}
	for _, p := range []string{"notes.txt", "2020-01-01T0000-backup.old", first + "/dhparam.pem", first + "/privkey.pem"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// A key that is not the certificate's, one locked by a passphrase, and a
// chain that is not a chain are refused before DIR is even created.
func TestInstallRefusesBadInput(t *testing.T) {
	good, _ := issued(t, "abcb1234", "www.example.com")
	other, _ := issued(t, "abcb1234", "www.example.com")
	locked := []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")
	ca := bundletest.Issue(t, nil, "x.example.com")
	for name, c := range map[string]struct {
		in   Issued
		want string
	}{
		"mismatched key": {Issued{good.CertificateID, good.ChainPEM, other.KeyPEM}, ErrKeyMismatch.Error()},
		"encrypted key":  {Issued{good.CertificateID, good.ChainPEM, locked}, "encrypted with a passphrase: a server could not load it unattended"},
		"no key":         {Issued{good.CertificateID, good.ChainPEM, nil}, "no PEM private key found"},
		"key in chain":   {Issued{good.CertificateID, append(slices.Clone(good.ChainPEM), good.KeyPEM...), good.KeyPEM}, "the chain holds a PRIVATE KEY block"},
		"CA first":       {Issued{good.CertificateID, []byte(ca.Intermediate), good.KeyPEM}, "starts with a CA certificate"},
		"other chain":    {Issued{good.CertificateID, []byte(string(good.ChainPEM[:strings.Index(string(good.ChainPEM), "-----END")+26]) + ca.Intermediate), good.KeyPEM}, "did not sign the certificate"},
		"junk":           {Issued{good.CertificateID, append(slices.Clone(good.ChainPEM), "\nserver { }\n"...), good.KeyPEM}, "text that is not PEM"},
		"ID with slash":  {Issued{"../etc", good.ChainPEM, good.KeyPEM}, "characters other than letters and digits"},
		"ID with space":  {Issued{"abc 1234", good.ChainPEM, good.KeyPEM}, "has a space inside"},
		"no ID":          {Issued{"", good.ChainPEM, good.KeyPEM}, "no certificate ID"},
	} {
		dir := filepath.Join(t.TempDir(), "live")
		_, err := Install(dir, c.in, at(0))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: DIR created", name)
		}
	}
}

// DIR must be a real folder of the user's own that no one else can
// write to; otherwise nothing is written and its mode stays.
func TestInstallRefusesUnsafeDir(t *testing.T) {
	c, _ := issued(t, "abcb1234", "www.example.com")
	base := t.TempDir()

	file := filepath.Join(base, "file")
	os.WriteFile(file, []byte("x"), 0o600)
	if _, err := Install(file, c, at(0)); !errors.Is(err, install.ErrNotFolder) {
		t.Errorf("a file: %v", err)
	}

	real := filepath.Join(base, "real")
	os.Mkdir(real, 0o700)
	linked := filepath.Join(base, "linked")
	os.Symlink(real, linked)
	var le *install.LinkError
	if _, err := Install(linked, c, at(0)); !errors.As(err, &le) || le.Path != linked {
		t.Errorf("a symlink: %v", err)
	}
	if got := bundletest.ListAll(real); len(got) != 0 {
		t.Errorf("written through the link: %q", got)
	}

	for _, m := range []os.FileMode{0o777, 0o770, 0o1777} {
		shared := filepath.Join(base, "shared")
		os.Mkdir(shared, 0o700)
		os.Chmod(shared, m)
		var fe *install.FolderError
		if _, err := Install(shared, c, at(0)); !errors.As(err, &fe) || !strings.Contains(err.Error(), "is writable by") {
			t.Errorf("%o: %v", m, err)
		}
		if got := bundletest.ListAll(shared); len(got) != 0 {
			t.Errorf("%o: written %q", m, got)
		}
		if fi, _ := os.Stat(shared); fi.Mode()&(os.ModePerm|os.ModeSticky) != m&(os.ModePerm|os.ModeSticky) {
			t.Errorf("%o: mode changed to %v", m, fi.Mode())
		}
		os.Remove(shared)
	}
}

// A DIR owned by another user is refused (chown needs root; the rule
// itself is proven in profiles' TestUntrustedOwner).
func TestInstallRefusesDirOfAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("making a folder another user's needs root")
	}
	c, _ := issued(t, "abcb1234", "www.example.com")
	dir := t.TempDir()
	if err := os.Chown(dir, 4242, 4242); err != nil {
		t.Fatal(err)
	}
	var fe *install.FolderError
	if _, err := Install(dir, c, at(0)); !errors.As(err, &fe) || fe.Why != "is owned by another user (uid 4242)" {
		t.Fatalf("%v", err)
	}
	if got := bundletest.ListAll(dir); len(got) != 0 {
		t.Fatalf("written %q", got)
	}
}

// A current that someone replaced with a file or a folder, or a link
// that leads anywhere but a version in DIR, is named and left as it is;
// no version is written.
func TestCurrentNotCertwizsIsLeftAlone(t *testing.T) {
	c, _ := issued(t, "abcb1234", "www.example.com")
	outside := t.TempDir()
	for name, c2 := range map[string]struct {
		plant func(dir string)
		what  string
	}{
		"file":     {func(d string) { os.WriteFile(filepath.Join(d, "current"), []byte("mine"), 0o600) }, "is a regular file, not certwiz's link"},
		"folder":   {func(d string) { os.Mkdir(filepath.Join(d, "current"), 0o700) }, "is a folder, not certwiz's link"},
		"outside":  {func(d string) { os.Symlink(outside, filepath.Join(d, "current")) }, "is a link to \"" + outside + "\" (not a version name)"},
		"climbing": {func(d string) { os.Symlink("../x", filepath.Join(d, "current")) }, "(not a version name)"},
		"missing":  {func(d string) { os.Symlink("2026-01-01T0000-gone", filepath.Join(d, "current")) }, "(no such version)"},
		"no key": {func(d string) {
			os.Mkdir(filepath.Join(d, "2026-01-01T0000-empty"), 0o700)
			os.Symlink("2026-01-01T0000-empty", filepath.Join(d, "current"))
		}, "(fullchain.pem is missing or not a regular file)"},
		"version link": {func(d string) {
			os.Symlink(outside, filepath.Join(d, "2026-01-01T0000-ab"))
			os.Symlink("2026-01-01T0000-ab", filepath.Join(d, "current"))
		}, "is a symlink: certwiz writes only into real folders"},
	} {
		dir := t.TempDir()
		c2.plant(dir)
		before := bundletest.ListAll(dir)
		_, err := Install(dir, c, at(0))
		var ce *CurrentError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), c2.what) || !strings.Contains(err.Error(), "certwiz changed nothing") {
			t.Errorf("%s: %v", name, err)
		}
		if err := Switch(dir, "2026-01-01T0000-ab"); !errors.As(err, &ce) {
			t.Errorf("%s: switched: %v", name, err)
		}
		if got := bundletest.ListAll(dir); !slices.Equal(got, before) {
			t.Errorf("%s: %q became %q", name, before, got)
		}
		if _, err := Current(dir); !errors.As(err, &ce) {
			t.Errorf("%s: Current: %v", name, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "current")); b != nil {
		t.Fatal("written outside")
	}
}

// Rollback goes back to the version before; with none it says so and
// the new one stays; it never undoes someone else's switch.
func TestRollback(t *testing.T) {
	dir := t.TempDir()
	c1, _ := issued(t, "aaaa1111", "www.example.com")
	c2, _ := issued(t, "bbbb2222", "www.example.com")
	r1, err := Install(dir, c1, at(0))
	if err != nil {
		t.Fatal(err)
	}
	if err := Rollback(r1); !errors.Is(err, ErrNoPrevious) || link(t, filepath.Join(dir, "current")) != r1.Version {
		t.Fatalf("first: %v", err)
	}
	r2, err := Install(dir, c2, at(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := Rollback(r2); err != nil {
		t.Fatal(err)
	}
	if cur, err := Current(dir); err != nil || cur != r1.Version {
		t.Fatalf("current %q %v", cur, err)
	}
	var re *RaceError
	if err := Rollback(r2); !errors.As(err, &re) || re.Got != r1.Version {
		t.Fatalf("again: %v", err)
	}
	if got := bundletest.ListAll(dir); slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, ".current.") }) {
		t.Fatalf("temp links left: %q", got)
	}
}

// A switch killed between its link and its rename leaves a temp link;
// the next install removes it and nothing else.
func TestInstallRemovesStaleTempLinks(t *testing.T) {
	dir := t.TempDir()
	os.Symlink("2026-01-01T0000-ab", filepath.Join(dir, ".current.0123456789abcdef.tmp"))
	os.WriteFile(filepath.Join(dir, ".current.fedcba9876543210.tmp"), []byte("a file: not ours"), 0o600)
	c, _ := issued(t, "abcb1234", "www.example.com")
	if _, err := Install(dir, c, at(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dir, ".current.0123456789abcdef.tmp")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("stale link kept")
	}
	if _, err := os.Lstat(filepath.Join(dir, ".current.fedcba9876543210.tmp")); err != nil {
		t.Fatal("a file removed")
	}
}

// Switch takes only a version folder of DIR; Versions lists only those
// and Current reads the link. A missing DIR is an error, not created.
func TestSwitchAndListOnlyVersions(t *testing.T) {
	dir := t.TempDir()
	rs := installs(t, dir, 0, 2)
	r1, r2 := rs[0], rs[1]
	os.Symlink(t.TempDir(), filepath.Join(dir, "2026-12-02T1900-planted"))
	os.WriteFile(filepath.Join(dir, "2026-12-02T1901-file"), nil, 0o600)
	for _, bad := range []string{"2026-12-02T1900-planted", "2026-12-02T1901-file", "../x", "current", "2030-01-01T0000-none"} {
		if err := Switch(dir, bad); err == nil {
			t.Errorf("switched to %q", bad)
		}
	}
	if err := Switch(dir, r1.Version); err != nil {
		t.Fatal(err)
	}
	if cur, _ := Current(dir); cur != r1.Version {
		t.Fatalf("current %q", cur)
	}
	vs, err := Versions(dir)
	if err != nil || len(vs) != 2 || vs[0].Name != r1.Version || vs[1].Name != r2.Version {
		t.Fatalf("%+v %v", vs, err)
	}
	missing := filepath.Join(t.TempDir(), "none")
	if _, err := Current(missing); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing DIR: %v", err)
	}
	if _, err := os.Lstat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("created")
	}
	if _, err := Leaf(dir, "../x"); err == nil {
		t.Fatal("Leaf read outside a version")
	}
}

// The switch itself renames only over a link: a file or a folder put in
// current's place after it was checked stays, and the temp link goes.
func TestSwitchNeverRenamesOverAFile(t *testing.T) {
	dir := t.TempDir()
	c, _ := issued(t, "abcb1234", "www.example.com")
	r, err := Install(dir, c, at(0))
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "current"))
	os.WriteFile(filepath.Join(dir, "current"), []byte("swapped in"), 0o600)
	f, err := install.OpenFolder(dir, install.FolderRules{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ce *CurrentError
	if err := switchIn(f, r.Version); !errors.As(err, &ce) {
		t.Fatalf("%v", err)
	}
	if got := readString(t, filepath.Join(dir, "current")); got != "swapped in" {
		t.Fatalf("replaced: %q", got)
	}
	if got := bundletest.ListAll(dir); slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, ".current.") }) {
		t.Fatalf("temp link left: %q", got)
	}
}
