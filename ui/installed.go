package ui

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle"
)

// Installed is an issued certificate unpacked on disk.
type Installed struct {
	CertificateId string
	Dir           string   // absolute
	Files         []string // absolute paths, in the archive's order
	Info          bundle.Info
	// KeyFile is the key generated here for this certificate ("" when
	// none is known); KeyMatches says whether the certificate is for it
	// (nil: not checked, KeyErr says why when a check failed).
	KeyFile    string
	KeyMatches *bool
	KeyErr     string
}

// maxKeyFile bounds a private key file read for the match check.
const maxKeyFile = 64 << 10

// InstallCertificate downloads an issued certificate and unpacks it in
// dir: the archive is checked whole (paths, sizes, count) before a file
// is written, no file is ever replaced, files are 0600 and new folders
// 0700. keyFile, when set, is a key generated here whose public half the
// certificate must carry. The wizard and `certwiz download` share it.
func InstallCertificate(ctx context.Context, c *api.Client, id, dir, keyFile string) (Installed, error) {
	res := Installed{CertificateId: id, KeyFile: keyFile}
	zip, _, err := c.DownloadCertificate(ctx, id)
	if err != nil {
		return res, err
	}
	files, err := bundle.Read(zip, bundle.Limits{})
	if err != nil {
		return res, fmt.Errorf("download %s: %w", id, err)
	}
	res.Info, err = bundle.Inspect(files)
	if err != nil {
		return res, fmt.Errorf("download %s: %w", id, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return res, fmt.Errorf("download %s to %s: %w", id, dir, err)
	}
	res.Dir = abs
	res.Files, err = WriteNewFiles(abs, files)
	if err != nil {
		return res, err
	}
	if keyFile != "" {
		key, err := ReadLimited(keyFile, nil, maxKeyFile)
		if err == nil {
			var ok bool
			ok, err = bundle.KeyMatches(res.Info.Leaf, key)
			if err == nil {
				res.KeyMatches = &ok
			}
		}
		if err != nil {
			res.KeyErr = err.Error()
		}
	}
	return res, nil
}

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
