package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

// keyFile is a top-level key of the profile: a path, read and written as
// one, and refused when it is anything else.
func TestKeyFileInTheProfileFormat(t *testing.T) {
	abs := filepath.Join(t.TempDir(), "www.key")
	p := Profile{Name: "acme", Updated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), KeyFile: abs, Params: api.Request{CertificateId: "abcb1234"}}
	data := Encode(p, nil, "")
	if !strings.Contains(string(data), "\nkeyFile: "+abs+"\nparams:\n") {
		t.Fatalf("encoded:\n%s", data)
	}
	back, err := Decode(data)
	if err != nil || back.KeyFile != abs || back.Params.CertificateId != "abcb1234" {
		t.Fatalf("%+v %v", back, err)
	}
	if data := Encode(Profile{Name: "x"}, nil, ""); strings.Contains(string(data), "keyFile") {
		t.Fatalf("an empty keyFile is written:\n%s", data)
	}
	for value, want := range map[string]string{
		"www.key": "line 2: keyFile: must be an absolute path",
		"[a, b]":  "line 2: keyFile: must be text",
		"|\n  -----BEGIN PRIVATE KEY-----\n  MIIB\n  -----END PRIVATE KEY-----": "line 2: keyFile: must be the path of a key file, never the key itself",
		`"/tmp/a\nb"`:    "never the key itself",
		"/x/PRIVATE KEY": "never the key itself",
	} {
		_, err := Decode([]byte("version: 1\nkeyFile: " + value + "\n"))
		var fe *FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "MIIB") {
			t.Errorf("keyFile %q: %v, want %q", value, err, want)
		}
	}
	if _, err := Decode([]byte("version: 1\nkeyfile: /a\n")); err == nil || !strings.Contains(err.Error(), "version, name, updated, keyFile, csr and params") {
		t.Fatalf("unknown key: %v", err)
	}
}

func TestKeyFileKeptBySaveRenameNotByTemplate(t *testing.T) {
	s, warnings := newStore(t)
	key := filepath.Join(t.TempDir(), "acme.key")
	if err := s.Update("acme", func(p *Profile, _ bool) error { p.KeyFile = key; return nil }); err != nil {
		t.Fatal(err)
	}
	// The wizard saves its draft without a KeyFile: the one saved stays.
	if err := s.Save(Profile{Name: "acme", Params: api.Request{CertificateId: "abcb1234"}}); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Load("acme"); p.KeyFile != key {
		t.Fatalf("Save forgot the key: %+v", p)
	}
	if err := s.Rename("acme", "shop"); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Load("shop"); p.KeyFile != key {
		t.Fatalf("Rename forgot the key: %+v", p)
	}
	if err := s.Copy("shop", "next", true); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Load("next"); p.KeyFile != "" {
		t.Fatalf("a template kept the key of another certificate: %+v", p)
	}
	// Anything but a path is dropped with a warning; the rest is saved.
	if err := s.Update("shop", func(p *Profile, _ bool) error {
		p.KeyFile, p.Params.CertificateDomain = "relative.key", "shop.example.com"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Load("shop"); p.KeyFile != "" || p.Params.CertificateDomain != "shop.example.com" || !strings.Contains(strings.Join(*warnings, "\n"), "keyFile not saved: it must be an absolute path") {
		t.Fatalf("%+v %q", p, *warnings)
	}
	var hw []string
	h := &History{Path: filepath.Join(t.TempDir(), "h.jsonl"), Warn: func(w string) { hw = append(hw, w) }}
	if err := h.Append(Record{CertificateId: "a", Outcome: OutcomeOK, KeyFile: "-----BEGIN PRIVATE KEY-----"}); err != nil {
		t.Fatal(err)
	}
	recs, _ := h.Read()
	data, _ := os.ReadFile(h.Path)
	if len(recs) != 1 || recs[0].Outcome != OutcomeOK || strings.Contains(string(data), "PRIVATE KEY") || len(hw) != 1 || strings.Contains(hw[0], "PRIVATE KEY") {
		t.Fatalf("%+v %s %q", recs, data, hw)
	}
}

// KeysFor: every key of the certificate, the history's newest first, then
// the profiles' newest first; the default history is read, never created.
func TestKeysFor(t *testing.T) {
	s, _ := newStore(t)
	state := filepath.Join(t.TempDir(), "state")
	t.Setenv("CERTWIZ_STATE_DIR", state)
	dir := t.TempDir()
	k := func(n string) string { return filepath.Join(dir, n) }
	sha1, sha2 := strings.Repeat("ab", 32), strings.Repeat("cd", 32)
	if got, err := s.KeysFor("abcb1234"); got != nil || err != nil {
		t.Fatalf("nothing remembered: %q %v", got, err)
	}
	if _, err := os.Stat(state); err == nil {
		t.Fatal("looking up a key created the state folder")
	}
	s.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	_ = s.Update("old", func(p *Profile, _ bool) error {
		p.KeyFile, p.Params.CertificateId = k("old.key"), "abcb1234"
		return nil
	})
	s.Now = func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) }
	_ = s.Update("new", func(p *Profile, _ bool) error {
		p.KeyFile, p.Params.CertificateId = k("new.key"), "abcb1234"
		return nil
	})
	_ = s.Update("other", func(p *Profile, _ bool) error {
		p.KeyFile, p.Params.CertificateId = k("other.key"), "zzzz0000"
		return nil
	})
	if got, _ := s.KeysFor("abcb1234"); fmt.Sprint(got) != fmt.Sprint([]KnownKey{{Path: k("new.key")}, {Path: k("old.key")}}) {
		t.Fatalf("from profiles: %v", got)
	}
	h, err := OpenHistory(state, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Record{
		{CertificateId: "abcb1234", Outcome: OutcomeKeyGenerated, KeyFile: k("h1.key"), KeySHA256: sha1},
		{CertificateId: "abcb1234", Outcome: OutcomeKeyGenerated, KeyFile: k("h2.key")},
		{CertificateId: "abcb1234", Outcome: OutcomeOK, KeyFile: k("h1.key")}, // submitted again: newest, and still h1's key
		{CertificateId: "abcb1234", Outcome: OutcomeOK},
		{CertificateId: "abcb1234", Outcome: OutcomeOK, KeySHA256: sha2}, // a CSR whose key was made elsewhere
		{CertificateId: "zzzz0000", Outcome: OutcomeKeyGenerated, KeyFile: k("z.key")},
	} {
		if err := h.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	// Every key, newest first: a later submission hides none of them;
	// then the CSRs sent whose key was not made here.
	want := []KnownKey{{Path: k("h1.key"), KeySHA256: sha1}, {Path: k("h2.key")}, {Path: k("new.key")}, {Path: k("old.key")}, {KeySHA256: sha2}}
	if got, _ := s.KeysFor("abcb1234"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("from the history:\n got %v\nwant %v", got, want)
	}
	if got, _ := s.KeysFor(""); got != nil {
		t.Fatalf("no ID: %v", got)
	}
}

// A record's keySha256: written when it is a SHA-256 in hex, left out
// (with a warning) when not; a line written before it existed still reads.
func TestKeySHA256InTheHistory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	var warned []string
	h, err := OpenHistory(dir, func(w string) { warned = append(warned, w) })
	if err != nil {
		t.Fatal(err)
	}
	good := strings.Repeat("0f", 32)
	for _, r := range []Record{{CertificateId: "a", KeySHA256: good}, {CertificateId: "b", KeySHA256: "-----BEGIN"}} {
		if err := h.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	old := `{"time":"2026-01-01T00:00:00Z","certificateId":"c","outcome":"KEY-GENERATED","endpoint":"","keyFile":"/k/c.key"}` + "\n"
	f, _ := os.OpenFile(h.Path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(old)
	f.Close()
	recs, err := h.Read()
	if err != nil || len(recs) != 3 || recs[0].KeySHA256 != good || recs[1].KeySHA256 != "" || recs[2].KeyFile != "/k/c.key" || recs[2].KeySHA256 != "" {
		t.Fatalf("%+v %v", recs, err)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "keySha256 left out of the record of b") || strings.Contains(warned[0], "BEGIN") {
		t.Fatalf("warnings %q", warned)
	}
}

// A certificate downloaded with one of its keys: the keys generated here
// for it before that one are forgotten — appended to the history, never
// rewriting it, the files untouched — and KeysFor no longer offers them
// (nor the CSRs their keys signed); GeneratedKeys still lists them,
// forgotten. A newer key stays (it may be for a reissue), and so does
// every key when the one found is not among them; Tencent's key found,
// every key generated so far is forgotten. A key generated again at a
// forgotten path is offered again.
func TestForgetDownloadedKeys(t *testing.T) {
	s, _ := newStore(t)
	dir := t.TempDir()
	s.History = &History{Path: filepath.Join(dir, "history.jsonl")}
	k := func(n string) string { return filepath.Join(dir, n) }
	for _, n := range []string{"a.key", "b.key", "c.key", "o.key"} {
		os.WriteFile(k(n), []byte("not a real key"), 0o600)
	}
	sha := func(c string) string { return strings.Repeat(c, 64) }
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	for _, r := range []Record{
		{Time: day(1), CertificateId: "abcb1234", Outcome: OutcomeKeyGenerated, KeyFile: k("o.key"), KeySHA256: sha("e")}, // oldest, gone by the download
		{Time: day(1), CertificateId: "abcb1234", Outcome: OutcomeKeyGenerated, KeyFile: k("a.key"), KeySHA256: sha("a")},
		{Time: day(2), CertificateId: "abcb1234", Outcome: OutcomeOK, KeySHA256: sha("a")}, // a's CSR submitted by submit
		{Time: day(3), CertificateId: "abcb1234", Outcome: OutcomeKeyGenerated, KeyFile: k("b.key"), KeySHA256: sha("b")},
		{Time: day(4), CertificateId: "abcb1234", Outcome: OutcomeOK, KeyFile: k("c.key"), KeySHA256: sha("c")},
		{Time: day(4), CertificateId: "zzzz0000", Outcome: OutcomeKeyGenerated, KeyFile: k("a.key"), KeySHA256: sha("a")}, // another certificate's
	} {
		if err := s.History.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := os.ReadFile(s.History.Path)
	if got, err := s.ForgetDownloadedKeys("abcb1234", k("b.key"), false, day(5)); got != nil || err != nil {
		t.Fatalf("forgotten though the key was not found: %v %v", got, err)
	}
	if got, err := s.ForgetDownloadedKeys("abcb1234", k("elsewhere.key"), true, day(5)); got != nil || err != nil {
		t.Fatalf("forgotten though the key found is none of them: %v %v", got, err)
	}
	os.Remove(k("o.key"))
	got, err := s.ForgetDownloadedKeys("abcb1234", k("b.key"), true, day(5))
	if err != nil || fmt.Sprint(got) != fmt.Sprint([]string{k("a.key")}) { // o.key is gone: nothing to delete
		t.Fatalf("no longer needed %v %v", got, err)
	}
	after, _ := os.ReadFile(s.History.Path)
	if !bytes.HasPrefix(after, before) || bytes.Count(after, []byte("\n"))-bytes.Count(before, []byte("\n")) != 2 || !bytes.Contains(after, []byte(`"outcome":"KEY-FORGOTTEN"`)) || !bytes.Contains(after, []byte(`"reason":"downloaded"`)) {
		t.Fatalf("history rewritten or not appended:\n%s", after)
	}
	for _, n := range []string{"a.key", "b.key", "c.key"} {
		if data, err := os.ReadFile(k(n)); err != nil || string(data) != "not a real key" {
			t.Fatalf("%s touched: %q %v", n, data, err)
		}
	}
	if keys, _ := s.KeysFor("abcb1234"); fmt.Sprint(keys) != fmt.Sprint([]KnownKey{{Path: k("c.key"), KeySHA256: sha("c")}, {Path: k("b.key"), KeySHA256: sha("b")}}) {
		t.Fatalf("KeysFor after the download: %v", keys)
	}
	if keys, _ := s.KeysFor("zzzz0000"); len(keys) != 1 || keys[0].Path != k("a.key") {
		t.Fatalf("another certificate's key was forgotten: %v", keys)
	}
	all, _ := s.GeneratedKeys("abcb1234")
	if len(all) != 4 || all[0].Path != k("c.key") || !all[0].Forgotten.IsZero() || all[1].Path != k("b.key") || !all[1].Forgotten.IsZero() ||
		all[2].Path != k("a.key") || !all[2].Forgotten.Equal(day(5)) || all[2].Why != ForgetDownloaded || !all[2].Created.Equal(day(1)) || all[2].KeySHA256 != sha("a") ||
		all[3].Path != k("o.key") || all[3].Forgotten.IsZero() || all[3].OnDisk() {
		t.Fatalf("GeneratedKeys %+v", all)
	}
	if again, _ := s.ForgetDownloadedKeys("abcb1234", k("b.key"), true, day(6)); len(again) != 0 || bytes.Count(after, []byte("\n")) != countLines(t, s.History.Path) {
		t.Fatalf("forgotten twice: %+v", again)
	}
	// Tencent's key found: every key generated so far is another.
	if got, _ := s.ForgetDownloadedKeys("abcb1234", "", true, day(6)); fmt.Sprint(got) != fmt.Sprint([]string{k("c.key"), k("b.key")}) {
		t.Fatalf("Tencent's key: %v", got)
	}
	// Generated again at a forgotten path: offered again.
	s.History.Append(Record{Time: day(7), CertificateId: "abcb1234", Outcome: OutcomeKeyGenerated, KeyFile: k("a.key"), KeySHA256: sha("d")})
	if keys, _ := s.KeysFor("abcb1234"); len(keys) != 1 || keys[0].Path != k("a.key") || keys[0].KeySHA256 != sha("d") {
		t.Fatalf("a key made again: %v", keys)
	}
	if all, _ := s.GeneratedKeys("abcb1234"); len(all) != 4 || all[0].Path != k("a.key") || !all[0].Created.Equal(day(7)) || !all[0].Forgotten.IsZero() {
		t.Fatalf("a key made again: %+v", all)
	}
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(data, []byte("\n"))
}
