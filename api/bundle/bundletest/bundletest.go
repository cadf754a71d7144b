// Package bundletest makes certificate archives for tests.
//
// A throwaway CA (root and intermediate) signs a leaf, packed the way
// Tencent's DownloadCertificate packs it. Tests only.
package bundletest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"hash/crc32"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Issued is a leaf certificate and its chain, PEM.
type Issued struct {
	Leaf, Intermediate, Root string
	Key                      string // the leaf's private key, PKCS#8 PEM, when Issue made it
	NotBefore, NotAfter      time.Time
}

// Issue signs a leaf for names with a fresh root and intermediate. pub is
// the leaf's public key; nil makes a new ECDSA key (returned in Key).
func Issue(t testing.TB, pub crypto.PublicKey, names ...string) Issued {
	t.Helper()
	newKey := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	var out Issued
	if pub == nil {
		k := newKey()
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		out.Key = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
		pub = k.Public()
	}
	now := time.Now().Truncate(time.Second)
	out.NotBefore, out.NotAfter = now.Add(-time.Hour), now.Add(90*24*time.Hour)
	sign := func(tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) (*x509.Certificate, string) {
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return c, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	}
	rootKey, interKey := newKey(), newKey()
	rootT := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test Root CA"}, NotBefore: out.NotBefore, NotAfter: out.NotAfter.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	root, rootPEM := sign(rootT, rootT, rootKey.Public(), rootKey)
	interT := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Test Intermediate CA"}, NotBefore: out.NotBefore, NotAfter: out.NotAfter.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	inter, interPEM := sign(interT, root, interKey.Public(), rootKey)
	leafT := &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names, NotBefore: out.NotBefore, NotAfter: out.NotAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	_, leafPEM := sign(leafT, inter, pub, interKey)
	out.Leaf, out.Intermediate, out.Root = leafPEM, interPEM, rootPEM
	return out
}

// Layout lists the files of Tencent's archive for domain (`*` written `_`):
// nginx (bundle.crt, bundle.pem, key), apache (root_bundle.crt, crt, key),
// other (pem, root_bundle.crt, key); the keys only when withKey.
func Layout(domain string, c Issued, withKey bool) map[string]string {
	n := strings.ReplaceAll(domain, "*", "_")
	bundle := c.Leaf + c.Intermediate
	files := map[string]string{
		n + "_nginx/" + n + "_bundle.crt": bundle,
		n + "_nginx/" + n + "_bundle.pem": bundle,
		n + "_apache/root_bundle.crt":     c.Intermediate,
		n + "_apache/" + n + ".crt":       c.Leaf,
		n + "_other/" + n + ".pem":        c.Leaf,
		n + "_other/root_bundle.crt":      c.Intermediate,
		n + "_nginx/" + n + ".key":        c.Key,
		n + "_apache/" + n + ".key":       c.Key,
		n + "_other/" + n + ".key":        c.Key,
	}
	if !withKey {
		for name := range files {
			if strings.HasSuffix(name, ".key") {
				delete(files, name)
			}
		}
	}
	return files
}

// Zip packs files (with a folder entry before each folder's files, as
// archivers do), names sorted.
func Zip(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	dirs := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if i := strings.LastIndex(name, "/"); i > 0 && !dirs[name[:i+1]] {
			dirs[name[:i+1]] = true
			if _, err := zw.Create(name[:i+1]); err != nil {
				t.Fatal(err)
			}
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Bomb is an archive of one entry that inflates to size bytes of zeros
// (about a thousandth of that compressed). Built from one deflated MiB
// repeated — sync-flushed blocks chain — so that making it stays quick
// under the race detector.
func Bomb(t testing.TB, name string, size int64) []byte {
	t.Helper()
	const chunk = 1 << 20
	zero := make([]byte, chunk)
	var one bytes.Buffer
	fw, err := flate.NewWriter(&one, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(zero); err != nil {
		t.Fatal(err)
	}
	if err := fw.Flush(); err != nil {
		t.Fatal(err)
	}
	var stream bytes.Buffer
	crc := uint32(0)
	for n := int64(0); n < size; n += chunk {
		part := min(chunk, size-n)
		if part == chunk {
			stream.Write(one.Bytes())
		} else {
			// The tail: its own sync-flushed blocks.
			var tail bytes.Buffer
			tw, _ := flate.NewWriter(&tail, flate.BestCompression)
			tw.Write(zero[:part])
			tw.Flush()
			stream.Write(tail.Bytes())
		}
		crc = crc32.Update(crc, crc32.IEEETable, zero[:part])
	}
	stream.Write([]byte{0x03, 0x00}) // a final, empty fixed-Huffman block
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(stream.Len()), UncompressedSize64: uint64(size)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(stream.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ListAll is every name under dir, relative and slash-separated, in
// WalkDir's (sorted) order: what an install left on disk.
func ListAll(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}
