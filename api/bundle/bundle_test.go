package bundle_test

import (
	"archive/zip"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
)

func TestReadTencentLayout(t *testing.T) {
	c := bundletest.Issue(t, nil, "www.example.com", "example.com")
	files, err := bundle.Read(bundletest.Zip(t, bundletest.Layout("www.example.com", c, true)), bundle.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Path)
	}
	want := []string{"www.example.com_apache/root_bundle.crt", "www.example.com_apache/www.example.com.crt", "www.example.com_apache/www.example.com.key",
		"www.example.com_nginx/www.example.com.key", "www.example.com_nginx/www.example.com_bundle.crt", "www.example.com_nginx/www.example.com_bundle.pem",
		"www.example.com_other/root_bundle.crt", "www.example.com_other/www.example.com.key", "www.example.com_other/www.example.com.pem"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %q", names)
	}
	info, err := bundle.Inspect(files)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(info.DNSNames, []string{"www.example.com", "example.com"}) || !info.HasKey || !info.NotAfter.Equal(c.NotAfter) || !info.NotBefore.Equal(c.NotBefore) {
		t.Fatalf("info %+v", info)
	}
	if info.ChainPEM != c.Leaf+c.Intermediate {
		t.Fatalf("chain:\n%s", info.ChainPEM)
	}
	if ok, err := bundle.KeyMatches(info.Leaf, []byte(c.Key)); !ok || err != nil {
		t.Fatalf("own key: %v %v", ok, err)
	}
}

func TestInspectWithoutKeyAndWildcard(t *testing.T) {
	c := bundletest.Issue(t, nil, "*.example.com")
	files, err := bundle.Read(bundletest.Zip(t, bundletest.Layout("*.example.com", c, false)), bundle.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.Contains(f.Path, "*") || strings.HasSuffix(f.Path, ".key") {
			t.Fatalf("file %s", f.Path)
		}
	}
	info, err := bundle.Inspect(files)
	if err != nil || info.HasKey || !slices.Equal(info.DNSNames, []string{"*.example.com"}) {
		t.Fatalf("%+v %v", info, err)
	}
	if _, err := bundle.Inspect([]bundle.File{{Path: "a.txt", Data: []byte("no pem")}}); err == nil {
		t.Fatal("an archive without a certificate was inspected")
	}
}

func TestKeyMatches(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	leafOf := func(pub any) *x509.Certificate {
		c := bundletest.Issue(t, pub, "a.example.com")
		b, _ := pem.Decode([]byte(c.Leaf))
		leaf, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return leaf
	}
	pkcs8 := func(k any) []byte {
		der, _ := x509.MarshalPKCS8PrivateKey(k)
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	ecLeaf, rsaLeaf := leafOf(ec.Public()), leafOf(rk.Public())
	sec1, _ := x509.MarshalECPrivateKey(ec)
	cases := []struct {
		name string
		leaf *x509.Certificate
		key  []byte
		want bool
		err  error
	}{
		{"ecdsa pkcs8", ecLeaf, pkcs8(ec), true, nil},
		{"ecdsa sec1 with parameters", ecLeaf, append(pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: []byte{6, 8, 42, 134, 72, 206, 61, 3, 1, 7}}),
			pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})...), true, nil},
		{"rsa pkcs1", rsaLeaf, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)}), true, nil},
		{"another key", rsaLeaf, pkcs8(ec), false, nil},
		{"encrypted", ecLeaf, pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1}}), false, bundle.ErrEncryptedKey},
	}
	for _, c := range cases {
		got, err := bundle.KeyMatches(c.leaf, c.key)
		if got != c.want || (c.err != nil && !errors.Is(err, c.err)) || (c.err == nil && err != nil) {
			t.Errorf("%s: %v %v", c.name, got, err)
		}
	}
	if _, err := bundle.KeyMatches(ecLeaf, []byte("not a key")); err == nil {
		t.Error("no key: no error")
	}
}

// The fixtures are written by Python's zipfile (testdata/make_fixtures.py):
// each is refused as a whole, naming the entry.
func TestHostileFixtures(t *testing.T) {
	cases := map[string]string{
		"zipslip.zip":     `"../evil.txt": climbs out`,
		"nested-slip.zip": `"www.example.com_nginx/../../evil.txt": climbs out`,
		"absolute.zip":    `"/abs.txt": is an absolute path`,
		"backslash.zip":   `"..\\evil.txt": holds a backslash`,
		"drive.zip":       `"C:/evil.txt": holds a colon`,
		"symlink.zip":     `"www.example.com_nginx/www.example.com.key": is not a regular file`,
		"duplicate.zip":   `"A/X.crt": repeats another entry's name`,
		"too-many.zip":    "holds 65 entries, more than the 64",
	}
	for name, want := range cases {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		files, err := bundle.Read(data, bundle.Limits{})
		if err == nil || !strings.Contains(err.Error(), want) || files != nil {
			t.Errorf("%s: %v (files %d), want %q", name, err, len(files), want)
		}
		if name != "too-many.zip" {
			var ee *bundle.EntryError
			if !errors.As(err, &ee) {
				t.Errorf("%s: %T does not name its entry", name, err)
			}
		}
	}
}

// A decompression bomb is stopped by counting the bytes that come out, not
// by believing the header: the honest one is refused from its header, the
// lying one after at most the limit.
func TestBomb(t *testing.T) {
	honest := bundletest.Bomb(t, "www.example.com_nginx/www.example.com_bundle.crt", 100<<20+1)
	t.Logf("bomb: %d bytes inflating to %d", len(honest), 100<<20+1)
	if len(honest) > 1<<20 {
		t.Fatalf("the bomb is %d bytes: more than DownloadCertificate takes", len(honest))
	}
	// Bombs are real: a small one, with limits high enough, inflates in full.
	if files, err := bundle.Read(bundletest.Bomb(t, "b.example.com_other/b.crt", 3<<20+1), bundle.Limits{MaxFileSize: 4 << 20}); err != nil || len(files[0].Data) != 3<<20+1 {
		t.Fatalf("the bomb does not inflate: %v", err)
	}
	_, err := bundle.Read(honest, bundle.Limits{})
	if err == nil || !strings.Contains(err.Error(), `"www.example.com_nginx/www.example.com_bundle.crt": says it inflates to 104857601 bytes`) {
		t.Fatalf("honest bomb: %v", err)
	}
	// The same deflated data under a header that claims 10 bytes.
	zr, err := zip.NewReader(bytes.NewReader(honest), int64(len(honest)))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := zr.File[0].OpenRaw()
	if err != nil {
		t.Fatal(err)
	}
	var lying bytes.Buffer
	zw := zip.NewWriter(&lying)
	h := zr.File[0].FileHeader
	h.UncompressedSize64 = 10
	w, err := zw.CreateRaw(&h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = bundle.Read(lying.Bytes(), bundle.Limits{})
	if err == nil || !strings.Contains(err.Error(), `"www.example.com_nginx/www.example.com_bundle.crt"`) {
		t.Fatalf("lying bomb: %v", err)
	}
	// Many files each under the per-file limit, over the total.
	files := map[string]string{}
	for i := range 9 {
		files[fmt.Sprintf("f%d.txt", i)] = strings.Repeat("x", 1<<20)
	}
	_, err = bundle.Read(bundletest.Zip(t, files), bundle.Limits{})
	if err == nil || !strings.Contains(err.Error(), `"f8.txt": takes the archive beyond 8388608 bytes in all`) {
		t.Fatalf("total: %v", err)
	}
}

func TestLimitsAreTheCallers(t *testing.T) {
	data := bundletest.Zip(t, map[string]string{"a/b.txt": "12345", "a/c.txt": "6"})
	if _, err := bundle.Read(data, bundle.Limits{MaxFileSize: 4}); err == nil || !strings.Contains(err.Error(), `"a/b.txt"`) {
		t.Fatalf("MaxFileSize: %v", err)
	}
	if _, err := bundle.Read(data, bundle.Limits{MaxFiles: 2}); err == nil {
		t.Fatal("MaxFiles: 3 entries (a folder and two files) passed a limit of 2")
	}
	if _, err := bundle.Read([]byte("PK\x03\x04 not really"), bundle.Limits{}); !errors.Is(err, bundle.ErrNotZip) {
		t.Fatalf("not a zip: %v", err)
	}
	// A file where a folder is, in either order.
	for _, files := range []map[string]string{{"a": "x", "a/b": "y"}} {
		if _, err := bundle.Read(bundletest.Zip(t, files), bundle.Limits{}); err == nil {
			t.Fatalf("%v accepted", files)
		}
	}
}
