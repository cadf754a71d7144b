package csr

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"github.com/certwiz/certwiz/api/newfile"
	"github.com/youmark/pkcs8"
)

// KeyType is a key certwiz can generate.
type KeyType string

// The key types, strongest-per-byte first; ECDSA P-256 is the default.
const (
	ECDSAP256 KeyType = "ecdsa-p256"
	ECDSAP384 KeyType = "ecdsa-p384"
	RSA2048   KeyType = "rsa-2048"
	RSA3072   KeyType = "rsa-3072"
	RSA4096   KeyType = "rsa-4096"
)

// KeyTypes lists every KeyType, default first.
var KeyTypes = []KeyType{ECDSAP256, ECDSAP384, RSA2048, RSA3072, RSA4096}

// Subject is what the CSR says about the organization; empty fields are left out.
type Subject struct {
	CommonName         string
	Organization       string
	OrganizationalUnit string
	Locality           string
	Province           string
	Country            string
}

// Generated is a new key and its CSR.
type Generated struct {
	KeyPEM []byte // PKCS#8; "ENCRYPTED PRIVATE KEY" when a passphrase was given
	CSRPEM []byte
	Info   *Info
}

func newKey(kt KeyType) (crypto.Signer, error) {
	switch kt {
	case ECDSAP256, "":
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case ECDSAP384:
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case RSA2048:
		return rsa.GenerateKey(rand.Reader, 2048)
	case RSA3072:
		return rsa.GenerateKey(rand.Reader, 3072)
	case RSA4096:
		return rsa.GenerateKey(rand.Reader, 4096)
	}
	return nil, fmt.Errorf("unknown key type %q: use one of %v", kt, KeyTypes)
}

// Generate makes a key and a CSR for it: CN = subject.CommonName, SANs = the
// CN and names (duplicates dropped). With a passphrase the key is encrypted
// PKCS#8 (PBES2, AES-256-CBC, PBKDF2-SHA256).
func Generate(kt KeyType, subject Subject, names []string, passphrase []byte) (*Generated, error) {
	if subject.CommonName == "" {
		return nil, errors.New("generate CSR: the common name (CertificateDomain) is empty")
	}
	key, err := newKey(kt)
	if err != nil {
		return nil, err
	}
	return ForKey(key, subject, names, passphrase)
}

// ForKey makes a CSR for a key that exists (a renewal that keeps its key),
// as Generate does for a new one; the key comes back PEM-encoded as
// Generate gives it.
func ForKey(key crypto.Signer, subject Subject, names []string, passphrase []byte) (*Generated, error) {
	if subject.CommonName == "" {
		return nil, errors.New("generate CSR: the common name (CertificateDomain) is empty")
	}
	name := pkix.Name{CommonName: subject.CommonName}
	for _, v := range []struct {
		dst *[]string
		val string
	}{{&name.Organization, subject.Organization}, {&name.OrganizationalUnit, subject.OrganizationalUnit},
		{&name.Locality, subject.Locality}, {&name.Province, subject.Province}, {&name.Country, subject.Country}} {
		if v.val != "" {
			*v.dst = []string{v.val}
		}
	}
	sans := []string{subject.CommonName}
	for _, n := range names {
		if !slices.Contains(sans, n) {
			sans = append(sans, n)
		}
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: name, DNSNames: sans}, key)
	if err != nil {
		return nil, fmt.Errorf("generate CSR: %w", err)
	}
	var keyBlock *pem.Block
	if len(passphrase) > 0 {
		enc, err := pkcs8.MarshalPrivateKey(key, passphrase, &pkcs8.Opts{
			Cipher:  pkcs8.AES256CBC,
			KDFOpts: pkcs8.PBKDF2Opts{SaltSize: 16, IterationCount: 600000, HMACHash: crypto.SHA256},
		})
		if err != nil {
			return nil, fmt.Errorf("encrypt key: %w", err)
		}
		keyBlock = &pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: enc}
	} else {
		plain, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, fmt.Errorf("encode key: %w", err)
		}
		keyBlock = &pem.Block{Type: "PRIVATE KEY", Bytes: plain}
	}
	csrPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
	info, err := Read(csrPEM)
	if err != nil {
		return nil, fmt.Errorf("check generated CSR: %w", err)
	}
	return &Generated{KeyPEM: pem.EncodeToMemory(keyBlock), CSRPEM: csrPEM, Info: info}, nil
}

// ErrExists is returned rather than overwriting a file.
var ErrExists = errors.New("already exists; certwiz never overwrites a key or CSR file")

// WriteNew writes data to a new file, mode 0600; an existing file (or a
// symlink) is an error and is left untouched.
func WriteNew(path string, data []byte) error {
	err := newfile.Write(path, data)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s %w", path, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return nil
}

// WritePair writes the key and the CSR as new files, checking first that
// neither exists, so that a failure leaves nothing half-written.
func WritePair(g *Generated, keyPath, csrPath string) error {
	for _, p := range []string{keyPath, csrPath} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s %w", p, ErrExists)
		}
	}
	if err := WriteNew(keyPath, g.KeyPEM); err != nil {
		return err
	}
	if err := WriteNew(csrPath, g.CSRPEM); err != nil {
		os.Remove(keyPath) // a key without its CSR is of no use to anyone
		return err
	}
	return nil
}
