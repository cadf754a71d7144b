// Package bundle reads the archive DownloadCertificate answers — a ZIP
// with one folder per server type — without trusting it. Every entry's
// name, kind and size is checked before anything is handed on, and nothing
// here touches the disk. It also finds the certificate in it and checks a
// private key against it.
package bundle

import (
	"archive/zip"
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"
)

// File is one file of the archive. Path is "<domain>_<server>/<file>"
// (the layout Read accepts): slash-separated, relative and clean, of
// letters, digits, '.', '_' and '-' only, never a hidden file.
type File struct {
	Path string
	Data []byte
}

// Limits bound what an archive may unpack to; zero fields take the defaults.
type Limits struct {
	MaxFiles    int   // entries, folders included; default 64
	MaxFileSize int64 // bytes inflated per file; default 1 MiB
	MaxTotal    int64 // bytes inflated in all; default 8 MiB
}

// Defaults: Tencent's archive holds about twenty small PEM files, a few KB each.
const (
	DefaultMaxFiles    = 64
	DefaultMaxFileSize = 1 << 20
	DefaultMaxTotal    = 8 << 20
)

func (l Limits) withDefaults() Limits {
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultMaxFiles
	}
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = DefaultMaxFileSize
	}
	if l.MaxTotal <= 0 {
		l.MaxTotal = DefaultMaxTotal
	}
	return l
}

// EntryError is an archive entry refused; Entry is its name as stored
// (it comes from outside: print it through ui/safe).
type EntryError struct {
	Entry string
	Why   string
}

func (e *EntryError) Error() string { return fmt.Sprintf("archive entry %q: %s", e.Entry, e.Why) }

// ErrNotZip is an archive that is not a readable ZIP.
var ErrNotZip = errors.New("the certificate archive is not a readable ZIP")

// Read unpacks a ZIP in memory. It refuses the whole archive — returning no
// files — when any entry would escape the folder it is unpacked in
// (absolute, "..", backslashes, drive letters), is not a regular file or a
// folder (symlinks), repeats another (also by case, as on macOS and
// Windows), or when the archive holds too many entries or inflates beyond
// the limits. Sizes are counted as bytes actually inflated, never taken
// from the headers. Then only Tencent's layout passes: every file is
// "<domain>_<server>/<file>" for one domain (its wildcard written "_"),
// a server of Servers, a file name of letters, digits, '.', '_' and '-'
// not starting with a dot, with the extension of a certificate, key or
// keystore — so nothing else (".bashrc", deep folders, a name that would
// break a printed nginx line) is ever written.
func Read(data []byte, l Limits) ([]File, error) {
	l = l.withDefaults()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		// ErrInsecurePath (GODEBUG zipinsecurepath=0) still returns the
		// reader: the names are checked below, each refusal naming its entry.
		return nil, fmt.Errorf("%w: %v", ErrNotZip, err)
	}
	if len(zr.File) > l.MaxFiles {
		return nil, fmt.Errorf("the certificate archive holds %d entries, more than the %d one can hold; nothing was unpacked", len(zr.File), l.MaxFiles)
	}
	seen := map[string]string{} // folded path → kind ("file" or "dir")
	var files []File
	var entries []entry
	var total int64
	for _, f := range zr.File {
		name, isDir, err := entryPath(f)
		if err != nil {
			return nil, err
		}
		if err := claim(seen, f.Name, name, isDir); err != nil {
			return nil, err
		}
		entries = append(entries, entry{f.Name, name, isDir})
		if isDir {
			continue
		}
		if f.UncompressedSize64 > uint64(l.MaxFileSize) {
			return nil, &EntryError{f.Name, fmt.Sprintf("says it inflates to %d bytes, more than the %d a certificate file can be", f.UncompressedSize64, l.MaxFileSize)}
		}
		b, err := inflate(f, l.MaxFileSize)
		if err != nil {
			return nil, err
		}
		if total+int64(len(b)) > l.MaxTotal {
			return nil, &EntryError{f.Name, fmt.Sprintf("takes the archive beyond %d bytes in all, more than a certificate archive holds", l.MaxTotal)}
		}
		total += int64(len(b))
		files = append(files, File{Path: name, Data: b})
	}
	if err := checkLayout(entries); err != nil {
		return nil, err
	}
	return files, nil
}

// entry is an archive entry's name as stored and as checked.
type entry struct {
	raw, name string
	isDir     bool
}

// checkLayout refuses an entry that is not where Tencent's archive puts
// files, or in another domain's folder than the first entry.
func checkLayout(entries []entry) error {
	first := ""
	for _, e := range entries {
		if e.name == "." {
			continue
		}
		why, domain := layoutError(e.name, e.isDir)
		if why != "" {
			return &EntryError{e.raw, why}
		}
		if first == "" {
			first = domain
		} else if domain != first {
			return &EntryError{e.raw, fmt.Sprintf("is in the folder of another domain (%s) than the archive's %s", domain, first)}
		}
	}
	return nil
}

// entryPath checks an entry's name and kind; it returns the clean path and
// whether the entry is a folder.
func entryPath(f *zip.File) (string, bool, error) {
	raw := f.Name
	refuse := func(why string) (string, bool, error) { return "", false, &EntryError{raw, why} }
	mode := f.Mode()
	isDir := mode.IsDir() || strings.HasSuffix(raw, "/")
	switch {
	case raw == "":
		return refuse("has no name")
	case strings.ContainsRune(raw, '\\'):
		return refuse(`holds a backslash: on Windows it would name another folder`)
	case strings.HasPrefix(raw, "/"):
		return refuse("is an absolute path")
	case strings.ContainsRune(raw, ':'):
		return refuse("holds a colon (a drive letter or a Windows stream)")
	case strings.ContainsFunc(raw, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return refuse("holds control characters")
	case mode.Type() != 0 && !mode.IsDir():
		// Symlinks, devices, pipes and sockets: only files and folders pass.
		return refuse(fmt.Sprintf("is not a regular file (%s)", mode.Type()))
	}
	for _, el := range strings.Split(strings.TrimSuffix(raw, "/"), "/") {
		if el == ".." {
			return refuse("climbs out of the folder (..)")
		}
	}
	clean := path.Clean(strings.TrimSuffix(raw, "/"))
	if clean == "." || clean == "" {
		if isDir {
			return ".", true, nil
		}
		return refuse("has no file name")
	}
	return clean, isDir, nil
}

// claim records a path, refusing a repeat and a file that is also a
// folder of another entry. Names are compared case-folded: on macOS and
// Windows "A.key" and "a.key" are the same file.
func claim(seen map[string]string, raw, name string, isDir bool) error {
	kind := "file"
	if isDir {
		kind = "dir"
	}
	if name == "." {
		return nil
	}
	key := strings.ToLower(name)
	if prev, ok := seen[key]; ok {
		if prev == "dir" && isDir {
			return nil // a folder listed twice harms nobody
		}
		return &EntryError{raw, "repeats another entry's name"}
	}
	// Every parent is a folder: a file may not stand where a folder is.
	for p := path.Dir(key); p != "."; p = path.Dir(p) {
		if seen[p] == "file" {
			return &EntryError{raw, "lies under an entry that is a file"}
		}
		seen[p] = "dir"
	}
	seen[key] = kind
	return nil
}

// inflate reads an entry, counting the bytes as they come: at most limit.
func inflate(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, &EntryError{f.Name, "cannot be read: " + err.Error()}
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if int64(len(b)) > limit {
		return nil, &EntryError{f.Name, fmt.Sprintf("inflates to more than %d bytes, more than a certificate archive holds (a decompression bomb?)", limit)}
	}
	if err != nil {
		return nil, &EntryError{f.Name, "cannot be read: " + err.Error()}
	}
	return b, nil
}

// Info is what the archive's certificate says.
type Info struct {
	DNSNames            []string // the names it covers (the CN when it has no SANs)
	NotBefore, NotAfter time.Time
	Leaf                *x509.Certificate
	ChainPEM            string // the leaf, then its intermediates, PEM
	HasKey              bool   // the archive holds a private key (Tencent generated it)
}

// Inspect finds the certificate in the archive's files: the one PEM
// certificate that is not a CA (the same leaf repeated in each server's
// folder), and the intermediates that chain it. A leaf that no CA
// certificate of the archive signed is refused: the chain is the leaf's.
func Inspect(files []File) (Info, error) {
	var leaf *x509.Certificate
	var cas []*x509.Certificate
	seen := map[string]bool{}
	var info Info
	for _, f := range files {
		rest := f.Data
		for {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if strings.HasSuffix(b.Type, "PRIVATE KEY") {
				info.HasKey = true
				continue
			}
			if b.Type != "CERTIFICATE" || seen[string(b.Bytes)] {
				continue
			}
			seen[string(b.Bytes)] = true
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return Info{}, fmt.Errorf("%s: a certificate cannot be read: %w", f.Path, err)
			}
			switch {
			case c.IsCA:
				cas = append(cas, c)
			case leaf == nil:
				leaf = c
			default:
				return Info{}, fmt.Errorf("%s: the archive holds two different certificates (%s and %s)", f.Path, leaf.Subject.CommonName, c.Subject.CommonName)
			}
		}
	}
	if leaf == nil {
		return Info{}, errors.New("the archive holds no certificate (no PEM CERTIFICATE that is not a CA)")
	}
	if issuerOf(leaf, cas) == nil {
		return Info{}, fmt.Errorf("the certificate (%s) is not signed by a CA certificate of the archive: its chain is missing or is another certificate's", leaf.Subject.CommonName)
	}
	info.Leaf, info.NotBefore, info.NotAfter = leaf, leaf.NotBefore, leaf.NotAfter
	info.DNSNames = leaf.DNSNames
	if len(info.DNSNames) == 0 && leaf.Subject.CommonName != "" {
		info.DNSNames = []string{leaf.Subject.CommonName}
	}
	var chain bytes.Buffer
	_ = pem.Encode(&chain, &pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw})
	// Follow issuers up to (not including) a self-signed root.
	cur := leaf
	for range len(cas) {
		next := issuerOf(cur, cas)
		if next == nil || bytes.Equal(next.RawSubject, next.RawIssuer) {
			break
		}
		_ = pem.Encode(&chain, &pem.Block{Type: "CERTIFICATE", Bytes: next.Raw})
		cur = next
	}
	info.ChainPEM = chain.String()
	return info, nil
}

// IsFor checks that the certificate is the one ordered: its names cover
// every name of the order (the domain and the other names), as Covers
// matches them.
func (i Info) IsFor(names []string) error {
	if len(names) == 0 {
		return errors.New("the order names no domain to check the certificate against")
	}
	var missing []string
	for _, n := range names {
		if !slices.ContainsFunc(i.DNSNames, func(c string) bool { return Covers(c, n) }) {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the certificate is for %s, which does not cover %s of the order: it is not the certificate ordered", few(i.DNSNames), few(missing))
	}
	return nil
}

// few lists the first names and counts the rest: a certificate may carry
// hundreds.
func few(names []string) string {
	const show = 5
	if len(names) == 0 {
		return "no name"
	}
	if len(names) <= show {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:show], ", "), len(names)-show)
}

func issuerOf(c *x509.Certificate, cas []*x509.Certificate) *x509.Certificate {
	for _, ca := range cas {
		if bytes.Equal(ca.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(ca) == nil {
			return ca
		}
	}
	return nil
}

// ErrEncryptedKey is a key file protected by a passphrase: its public key
// cannot be read without it.
var ErrEncryptedKey = errors.New("the key is encrypted with a passphrase")

// KeyMatches reports whether keyPEM (PKCS#8, PKCS#1 or SEC 1) is the
// private key of leaf's public key.
func KeyMatches(leaf *x509.Certificate, keyPEM []byte) (bool, error) {
	if leaf == nil {
		return false, errors.New("no certificate to check the key against")
	}
	rest := keyPEM
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return false, errors.New("no PEM private key found")
		}
		var key any
		var err error
		switch b.Type {
		case "ENCRYPTED PRIVATE KEY":
			return false, ErrEncryptedKey
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "RSA PRIVATE KEY":
			if b.Headers["Proc-Type"] != "" {
				return false, ErrEncryptedKey
			}
			key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			if b.Headers["Proc-Type"] != "" {
				return false, ErrEncryptedKey
			}
			key, err = x509.ParseECPrivateKey(b.Bytes)
		default:
			continue // EC PARAMETERS and the like
		}
		if err != nil {
			return false, fmt.Errorf("the private key cannot be read: %w", err)
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return false, errors.New("the private key is of an unknown kind")
		}
		pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
		if !ok {
			return false, errors.New("the private key is of an unknown kind")
		}
		return pub.Equal(leaf.PublicKey), nil
	}
}
