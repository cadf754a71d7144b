package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"github.com/certwiz/certwiz/api/csr"
	"github.com/certwiz/certwiz/api/install"
)

// Defect i19, the wizard's side: a certificate submitted with a key
// generated here (A), then again with another (B). The install the final
// card shows (InstallCertificate with the session's keysFor) finds the key
// whose public key the certificate carries — B when B's CSR was sent last,
// A when A's CSR (its file) was sent again after — never the newest for
// being the newest; and a CSR whose key was made elsewhere, sent last, is
// the user's own key.
func TestInstallFindsTheKeyOfTheCSRSentLast(t *testing.T) {
	for _, tc := range []struct {
		name   string
		last   string // a CSR file sent again last: a.csr, or own.csr (its key made elsewhere)
		want   string // "": the user's own key
		notKey string
	}{
		{"B sent last", "", "b.key", "a.key"},
		{"A sent again after B", "a.csr", "a.key", "b.key"},
		{"own CSR sent last", "own.csr", "", "a.key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := validatingFixture(t, api.English, true)
			f.store.History = f.hist
			keys := t.TempDir()
			ctx := context.Background()
			send := func(d *draft) *session { return sendDraft(t, f, d) }
			s := send(generated(t, keys, "a.key"))
			s = send(generated(t, keys, "b.key"))
			if tc.last == "own.csr" {
				gen, err := csr.Generate(csr.ECDSAP256, csr.Subject{CommonName: "www.example.com"}, []string{"example.com"}, nil)
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(keys, tc.last), gen.CSRPEM, 0o600)
			}
			if tc.last != "" {
				text, err := os.ReadFile(filepath.Join(keys, tc.last))
				if err != nil {
					t.Fatal(err)
				}
				d := newDraft(example(t), "")
				d.csrMode, d.req.CsrContent = modeParse, string(text)
				s = send(d)
			}
			id := s.d.req.CertificateId
			issue(t, f, id)
			names := func() ([]string, error) {
				d, err := f.opts.Client.DescribeCertificateDetail(ctx, id)
				return d.Names(), err
			}
			keysFor := func() ([]install.KnownKey, error) { return s.keysFor(id) }
			res, err := install.InstallCertificate(ctx, f.opts.Client, id, filepath.Join(t.TempDir(), "out"), names, keysFor, api.English)
			if err != nil {
				t.Fatal(err)
			}
			card := (&installedScreen{s: s, res: res}).card(200)
			if tc.want == "" {
				if k := res.Key; k.Matches != nil || k.Path != "" || !strings.Contains(card, "the certificate is for a CSR submitted for it whose key was not generated here") ||
					!strings.Contains(card, "<your key>;") || strings.Contains(card, keys) {
					t.Fatalf("key %+v\ncard:\n%s", k, card)
				}
				return
			}
			want := filepath.Join(keys, tc.want)
			if k := res.Key; k.Path != want || k.Matches == nil || !*k.Matches {
				t.Fatalf("key %+v, want %s matching", k, want)
			}
			if !strings.Contains(card, "✓ "+want+" (generated here) matches the certificate") || !strings.Contains(card, "ssl_certificate_key "+want+";") ||
				strings.Contains(card, filepath.Join(keys, tc.notKey)) || strings.Contains(card, "NOT match") {
				t.Fatalf("card:\n%s", card)
			}
		})
	}
}

// sendDraft submits d as a new wizard session does, recorded as the
// wizard records it ("generate here" makes its key first).
func sendDraft(t *testing.T, f *fixture, d *draft) *session {
	t.Helper()
	s := &session{opts: f.opts, lang: api.English, d: d}
	if err := s.generateIfNeeded(); err != nil {
		t.Fatal(err)
	}
	attempt := s.intent(api.ActionSubmit)
	res, err := f.opts.Client.Submit(t.Context(), d.request())
	if err != nil {
		t.Fatal(err)
	}
	s.record(attempt, res, nil)
	return s
}

// generated is a draft of the example whose key is generated here, in
// dir/name.
func generated(t *testing.T, dir, name string) *draft {
	t.Helper()
	d := newDraft(example(t), "")
	d.csrMode, d.keyPath = modeGenerate, filepath.Join(dir, name)
	return d
}

// issue sends id's order to the sandbox's CA, asks it to validate, and
// waits until it is issued.
func issue(t *testing.T, f *fixture, id string) {
	t.Helper()
	ctx := t.Context()
	if _, err := f.opts.Client.Commit(ctx, id, "DNS"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.opts.Client.CompleteCertificate(ctx, id); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for st, _ := f.sb.Certificate(id); st.Status != api.StatusIssued; st, _ = f.sb.Certificate(id) {
		if time.Now().After(deadline) {
			t.Fatalf("not issued: %+v", st)
		}
		if _, _, err := f.opts.Client.CheckDomainVerification(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
}

// None of the keys generated here is the certificate's: each is named with
// why (another key, gone), newest first, the card says so and puts none
// in the nginx lines; with every one gone, nothing is said not to match.
func TestCheckKeyNamesTheKeysTried(t *testing.T) {
	dir := t.TempDir()
	leaf := bundletest.Issue(t, nil, "www.example.com")
	other := bundletest.Issue(t, nil, "www.example.com")
	info := inspect(t, leaf)
	otherKey, gone, recorded := filepath.Join(dir, "other.key"), filepath.Join(dir, "gone.key"), filepath.Join(dir, "recorded.key")
	if err := os.WriteFile(otherKey, []byte(other.Key), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(recorded, []byte(leaf.Key), 0o600); err != nil {
		t.Fatal(err)
	}
	keys := []install.KnownKey{{Path: gone}, {Path: otherKey}, {Path: recorded, KeySHA256: strings.Repeat("ab", 32)}}
	k := install.CheckKey(info, nil, nil, keys, api.English)
	// recorded.key's record names another public key: it is not read.
	want := gone + " (no longer exists), " + otherKey + " (another key), " + recorded + " (another key)"
	if k.Matches == nil || *k.Matches || k.Path != "" || k.TriedList() != want {
		t.Fatalf("%+v\n%s", k, k.TriedList())
	}
	r := installedFor(false)
	r.Key = k
	card := (&installedScreen{s: &session{lang: api.English}, res: r}).card(400)
	if !strings.Contains(card, "✗ no key generated here matches this certificate (tried "+want+")") || !strings.Contains(card, "<your key>;") {
		t.Fatalf("card:\n%s", card)
	}
	// The same key, recorded with its own public key, is found.
	keys[2].KeySHA256 = csr.KeySHA256(info.Leaf.PublicKey)
	if k := install.CheckKey(info, nil, nil, keys, api.English); k.Path != recorded || k.Matches == nil || !*k.Matches {
		t.Fatalf("%+v", k)
	}
	k = install.CheckKey(info, nil, nil, keys[:1], api.English)
	if k.Matches != nil || k.Why != "no key generated here for it is left to check: "+gone+" (no longer exists)" {
		t.Fatalf("%+v", k)
	}
}

// inspect reads what an archive of c would hold.
func inspect(t *testing.T, c bundletest.Issued) bundle.Info {
	t.Helper()
	files, err := bundle.Read(bundletest.Zip(t, bundletest.Layout("www.example.com", c, false)), bundle.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	info, err := bundle.Inspect(files)
	if err != nil {
		t.Fatal(err)
	}
	return info
}
