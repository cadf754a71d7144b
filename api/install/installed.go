package install

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/infile"
)

// Installed is an issued certificate unpacked on disk.
type Installed struct {
	CertificateId string
	RequestId     string        // of the download
	Dir           string        // absolute
	Archive       []bundle.File // the archive's entries
	Files         []string      // where each entry was written (absolute), in the archive's order
	Info          bundle.Info
	Key           KeyCheck
}

// ArchiveError is an archive refused as it is: unsafe or unreadable.
type ArchiveError struct{ Err error }

func (e *ArchiveError) Error() string { return e.Err.Error() }
func (e *ArchiveError) Unwrap() error { return e.Err }

// KeyCheck is the private key that goes with a certificate, and whether
// the certificate is for it.
type KeyCheck struct {
	Tencent bool   // Tencent generated it: it came in the archive
	Path    string // where it is: in the folder, or where it was generated here; "" unknown
	Matches *bool  // nil: not checked (Why says why, when it was tried)
	Why     string
}

// CheckKey finds the certificate's key — in the archive when Tencent
// generated it, else keyFile, a key generated here — and checks it
// against the certificate. Every key file of the archive is checked: one
// that does not match is the one reported, then one that could not be
// checked, else nginx's. paths are where files were written. A key that
// cannot be checked is a reason, never an error: the certificate is on
// disk already.
func CheckKey(info bundle.Info, files []bundle.File, paths []string, keyFile, lang string) KeyCheck {
	check := func(data []byte) (*bool, string) {
		ok, err := bundle.KeyMatches(info.Leaf, data)
		switch {
		case errors.Is(err, bundle.ErrEncryptedKey):
			return nil, txtKeyEncrypted.In(lang)
		case err != nil:
			return nil, err.Error()
		}
		return &ok, ""
	}
	if info.HasKey {
		var k KeyCheck
		rank := func(k KeyCheck) int { // the worst is said
			switch {
			case k.Path == "":
				return 0
			case k.Matches == nil:
				return 2
			case !*k.Matches:
				return 3
			}
			return 1
		}
		for i, f := range files {
			if !bundle.HoldsKey(f.Data) {
				continue
			}
			c := KeyCheck{Tencent: true, Path: paths[i]}
			c.Matches, c.Why = check(f.Data)
			if r := rank(c); r > rank(k) || r == rank(k) && strings.Contains(f.Path, "_nginx/") {
				k = c
			}
		}
		return k
	}
	if keyFile == "" {
		return KeyCheck{}
	}
	k := KeyCheck{Path: keyFile}
	data, err := infile.ReadLimited(context.Background(), keyFile, nil, maxKeyFile) // a regular file only: never blocks
	if err != nil {
		k.Why = err.Error()
		return k
	}
	k.Matches, k.Why = check(data)
	return k
}

// txtKeyEncrypted is why an encrypted key was not checked.
var txtKeyEncrypted = api.Text{EN: "it is encrypted with a passphrase", ZH: "它已用密码加密"}

// maxKeyFile bounds a private key file read for the match check.
const maxKeyFile = 64 << 10

// InstallCertificate downloads an issued certificate and unpacks it in
// dir: the archive is checked whole (paths, layout, sizes, count) and its
// certificate must be the one ordered — covering every name names gives
// (the order's domain and other names, read only once the archive passed)
// and signed by the archive's chain — before a file is written; no file is
// ever replaced, files are 0600 and new folders 0700. keyFile, asked only
// when Tencent did not generate the key, finds a key generated here whose
// public half the certificate must carry. The wizard, its accessible twin
// and `certwiz download` share it.
func InstallCertificate(ctx context.Context, c *api.Client, id, dir string, names func() ([]string, error), keyFile func() (string, error), lang string) (Installed, error) {
	res := Installed{CertificateId: id}
	zip, reqID, err := c.DownloadCertificate(ctx, id)
	res.RequestId = reqID
	if err != nil {
		return res, err
	}
	if res.Archive, err = bundle.Read(zip, bundle.Limits{}); err != nil {
		return res, &ArchiveError{fmt.Errorf("download %s: %w", id, err)}
	}
	if res.Info, err = bundle.Inspect(res.Archive); err != nil {
		return res, &ArchiveError{fmt.Errorf("download %s: %w", id, err)}
	}
	ordered, err := names()
	if err != nil {
		return res, err
	}
	if err := res.Info.IsFor(ordered); err != nil {
		return res, &ArchiveError{fmt.Errorf("download %s: %w", id, err)}
	}
	if res.Dir, err = filepath.Abs(dir); err != nil {
		return res, fmt.Errorf("download %s to %s: %w", id, dir, err)
	}
	if res.Files, err = WriteNewFiles(res.Dir, res.Archive); err != nil {
		return res, err
	}
	var path, why string
	if !res.Info.HasKey && keyFile != nil {
		if path, err = keyFile(); err != nil {
			why = err.Error()
		}
	}
	res.Key = CheckKey(res.Info, res.Archive, res.Files, path, lang)
	if res.Key.Why == "" {
		res.Key.Why = why
	}
	return res, nil
}

// DefaultFolder is where a certificate is downloaded unless the user
// says: ./<domain>, its wildcard written "_" (bundle.FolderName), when the
// domain is a DNS name. Anything else gives "" — no default: no folder is
// ever made from an answer that is not a name ("../../etc/cron.d"), and
// the user names one. The wizard, accessible mode and the commands printed
// for `certwiz download` all take it from here.
func DefaultFolder(domain string) string {
	if name, ok := bundle.FolderName(domain); ok {
		return "./" + name
	}
	return ""
}

// OutArg is --out's value in a printed `certwiz download` command: the
// default folder, or DIR for the user to fill in.
func OutArg(domain string) string {
	if dir := DefaultFolder(domain); dir != "" {
		return dir
	}
	return "DIR"
}

// RenewBy is when to renew a certificate that ends at notAfter: a month
// before, leaving time for validation and installing.
func RenewBy(notAfter time.Time) time.Time { return notAfter.AddDate(0, 0, -30) }

// ServerFiles are a server type's certificate and key as written, by the
// names certwiz makes from the archive's domain (bundle.ConfigFiles); ""
// when absent.
func (r Installed) ServerFiles(server string) (cert, key string) {
	c, _, k := bundle.ConfigFiles(r.Archive, server)
	return r.written(c), r.written(k)
}

// ChainFile is a server type's intermediate chain as written; "" when absent.
func (r Installed) ChainFile(server string) string {
	_, chain, _ := bundle.ConfigFiles(r.Archive, server)
	return r.written(chain)
}

// written is where an archive path was written; "" for none.
func (r Installed) written(p string) string {
	for i, f := range r.Archive {
		if p != "" && f.Path == p && i < len(r.Files) {
			return r.Files[i]
		}
	}
	return ""
}
