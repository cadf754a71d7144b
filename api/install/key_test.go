package install

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"github.com/certwiz/certwiz/api/csr"
)

func fetched(t *testing.T, files map[string]string) Fetched {
	t.Helper()
	var archive []bundle.File
	for p, d := range files {
		archive = append(archive, bundle.File{Path: p, Data: []byte(d)})
	}
	sort.Slice(archive, func(i, j int) bool { return archive[i].Path < archive[j].Path })
	info, err := bundle.Inspect(archive)
	if err != nil {
		t.Fatal(err)
	}
	return Fetched{CertificateId: "abcb1234", Archive: archive, Info: info}
}

// Issue 20: the key installed for servers is the certificate's, checked:
// Tencent's from the archive, or the key generated here that the leaf
// carries — never another one.
func TestFetchedKeyIsOnlyTheCertificates(t *testing.T) {
	c := bundletest.Issue(t, nil, "www.example.com")
	key, k, err := fetched(t, bundletest.Layout("www.example.com", c, true)).Key(nil, api.English)
	if err != nil || string(key) != c.Key || !k.Tencent {
		t.Fatalf("Tencent's key: %v %+v", err, k)
	}
	other := bundletest.Issue(t, nil, "www.example.com")
	mixed := bundletest.Layout("www.example.com", c, true)
	for p := range mixed {
		if filepath.Ext(p) == ".key" {
			mixed[p] = other.Key
		}
	}
	if key, _, err := fetched(t, mixed).Key(nil, api.English); key != nil || !errors.As(err, new(*KeyError)) {
		t.Fatalf("another key in the archive: %q %v", key, err)
	}

	// Generated here: two keys for the ID, the leaf carries the older one.
	dir := t.TempDir()
	var known []KnownKey
	var keys [][]byte
	for i, name := range []string{"new.key", "old.key"} {
		g, err := csr.Generate(csr.ECDSAP256, csr.Subject{CommonName: "www.example.com"}, []string{"www.example.com"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, g.KeyPEM, 0o600)
		block, _ := pem.Decode(g.CSRPEM)
		req, _ := x509.ParseCertificateRequest(block.Bytes)
		known = append(known, KnownKey{Path: p, KeySHA256: csr.KeySHA256(req.PublicKey)})
		keys = append(keys, g.KeyPEM)
		if i == 1 {
			c = bundletest.Issue(t, req.PublicKey, "www.example.com")
		}
	}
	f := fetched(t, bundletest.Layout("www.example.com", c, false))
	key, k, err = f.Key(known, api.English)
	if err != nil || string(key) != string(keys[1]) || k.Path != known[1].Path {
		t.Fatalf("generated here: %v %+v", err, k)
	}
	if key, _, err := f.Key(known[:1], api.English); key != nil || !errors.As(err, new(*KeyError)) {
		t.Fatalf("only another key known: %q %v", key, err)
	}
	// The file changed since its public key was recorded: not installed.
	os.WriteFile(known[1].Path, keys[0], 0o600)
	if key, _, err := f.Key(known[1:], api.English); key != nil || !errors.As(err, new(*KeyError)) {
		t.Fatalf("a key file replaced: %q %v", key, err)
	}
}
