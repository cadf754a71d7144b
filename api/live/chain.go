package live

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/certwiz/certwiz/api/install"
)

// parseChain reads the leaf and its intermediates. Only CERTIFICATE
// blocks pass (a key in a chain would be served to everyone); the leaf is
// not a CA, and the first intermediate signed it.
func parseChain(data []byte) (*x509.Certificate, []*x509.Certificate, error) {
	var certs []*x509.Certificate
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			if len(bytes.TrimSpace(rest)) > 0 {
				return nil, nil, errors.New("the chain holds text that is not PEM")
			}
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, nil, fmt.Errorf("the chain holds a %s block: only certificates belong in it", b.Type)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, nil, fmt.Errorf("a certificate of the chain cannot be read: %w", err)
		}
		certs = append(certs, c)
	}
	switch {
	case len(certs) == 0:
		return nil, nil, errors.New("no certificate in the chain")
	case certs[0].IsCA:
		return nil, nil, errors.New("the chain starts with a CA certificate, not the server's")
	case len(certs) > 1 && certs[0].CheckSignatureFrom(certs[1]) != nil:
		return nil, nil, errors.New("the chain's first intermediate did not sign the certificate: its chain is missing or is another certificate's")
	}
	return certs[0], certs[1:], nil
}

// encode is certificates as PEM.
func encode(certs ...*x509.Certificate) []byte {
	var b bytes.Buffer
	for _, c := range certs {
		_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return b.Bytes()
}

// Leaf reads the certificate of an installed version (its cert.pem,
// never through a symlink).
func Leaf(dir, version string) (*x509.Certificate, error) {
	if _, ok := parseVersion(version); !ok {
		return nil, fmt.Errorf("%q is not a version name", version)
	}
	f, err := install.OpenFolder(dir, install.FolderRules{NoLink: true})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	path := filepath.Join(f.Path, version, CertFile)
	data, err := readFile(f, filepath.Join(version, CertFile))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	leaf, _, err := parseChain(data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return leaf, nil
}

// readFile reads a regular file of at most maxChain bytes through the
// root: a symlink, a FIFO or a device is refused before it is opened, and
// the root keeps a link swapped in afterwards inside the folder.
func readFile(f *install.Folder, rel string) ([]byte, error) {
	if _, err := f.Sub(filepath.Dir(rel)); err != nil {
		return nil, err
	}
	if fi, err := f.Root.Lstat(rel); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	file, err := f.Root.Open(rel)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxChain+1))
	if err == nil && len(data) > maxChain {
		err = fmt.Errorf("larger than %d bytes", maxChain)
	}
	return data, err
}
