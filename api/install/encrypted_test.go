package install

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/csr"
)

// A key generated here with a passphrase, recorded with its public key:
// the certificate's key, said as not checked (it cannot be read) and as
// encrypted, so the nginx lines can name ssl_password_file.
func TestEncryptedKeyIsSaidEncrypted(t *testing.T) {
	g, err := csr.Generate(csr.ECDSAP256, csr.Subject{CommonName: "www.example.com"}, []string{"www.example.com"}, []byte("secret passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(g.CSRPEM)
	req, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: []string{"www.example.com"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, req.PublicKey, ca)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	path := filepath.Join(t.TempDir(), "www.key")
	if err := os.WriteFile(path, g.KeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	k := CheckKey(bundle.Info{Leaf: leaf}, nil, nil, []KnownKey{{Path: path, KeySHA256: csr.KeySHA256(req.PublicKey)}}, api.English)
	if !k.Encrypted || k.Path != path || k.Matches != nil {
		t.Fatalf("%+v", k)
	}
}
