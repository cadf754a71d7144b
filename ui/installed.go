package ui

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle"
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
// against the certificate. paths are where files were written. A key that
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
		k := KeyCheck{Tencent: true}
		for i, f := range files {
			if strings.HasSuffix(f.Path, ".key") && (k.Path == "" || strings.Contains(f.Path, "_nginx/")) {
				k.Path = paths[i]
				k.Matches, k.Why = check(f.Data)
			}
		}
		return k
	}
	if keyFile == "" {
		return KeyCheck{}
	}
	k := KeyCheck{Path: keyFile}
	data, err := ReadLimited(keyFile, nil, maxKeyFile)
	if err != nil {
		k.Why = err.Error()
		return k
	}
	k.Matches, k.Why = check(data)
	return k
}

// maxKeyFile bounds a private key file read for the match check.
const maxKeyFile = 64 << 10

// InstallCertificate downloads an issued certificate and unpacks it in
// dir: the archive is checked whole (paths, sizes, count) before a file
// is written, no file is ever replaced, files are 0600 and new folders
// 0700. keyFile, asked only when Tencent did not generate the key, finds a
// key generated here whose public half the certificate must carry. The
// wizard, its accessible twin and `certwiz download` share it.
func InstallCertificate(ctx context.Context, c *api.Client, id, dir string, keyFile func() (string, error), lang string) (Installed, error) {
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

// RenewBy is when to renew a certificate that ends at notAfter: a month
// before, leaving time for validation and installing.
func RenewBy(notAfter time.Time) time.Time { return notAfter.AddDate(0, 0, -30) }

// ServerFiles finds a server type's certificate and key among the files
// written (folders named like "<domain>_nginx"); "" when absent.
func (r Installed) ServerFiles(server string) (cert, key string) {
	for _, f := range r.Files {
		dir := filepath.Base(filepath.Dir(f))
		if !strings.HasSuffix(strings.ToLower(dir), "_"+server) && !strings.EqualFold(dir, server) {
			continue
		}
		switch path.Ext(f) {
		case ".crt", ".pem":
			// The bundle (leaf and chain) is what a server serves; .crt
			// before .pem when the archive has both.
			if cert == "" || (strings.Contains(f, "bundle") && !strings.Contains(cert, "bundle.crt")) {
				cert = f
			}
		case ".key":
			key = f
		}
	}
	return cert, key
}
