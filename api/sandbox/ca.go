package sandbox

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/certwiz/certwiz/api/csr"
)

// authority is the sandbox CA: a root and an intermediate, generated once
// per process and kept in memory only. Leaves are signed by the
// intermediate, as a public CA's are.
type authority struct {
	root, inter       *x509.Certificate
	rootKey, interKey crypto.Signer
	interPEM          string
	pool              *x509.CertPool

	mu    sync.Mutex
	sites map[string]*tls.Certificate // HTTPS certificates by server name
}

var (
	caOnce sync.Once
	caVal  *authority
	caErr  error
)

// sandboxCA returns the process's sandbox CA, making it on first use.
func sandboxCA() (*authority, error) {
	caOnce.Do(func() { caVal, caErr = newAuthority() })
	return caVal, caErr
}

func newAuthority() (*authority, error) {
	now := time.Now()
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sandbox CA: root key: %w", err)
	}
	rootTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{Organization: []string{"certwiz sandbox"}, CommonName: "certwiz sandbox root CA (not trusted anywhere)"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, rootKey.Public(), rootKey)
	if err != nil {
		return nil, fmt.Errorf("sandbox CA: root: %w", err)
	}
	root, _ := x509.ParseCertificate(rootDER)
	interKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sandbox CA: intermediate key: %w", err)
	}
	interTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{Organization: []string{"certwiz sandbox"}, CommonName: "certwiz sandbox DV CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	interDER, err := x509.CreateCertificate(rand.Reader, interTmpl, root, interKey.Public(), rootKey)
	if err != nil {
		return nil, fmt.Errorf("sandbox CA: intermediate: %w", err)
	}
	inter, _ := x509.ParseCertificate(interDER)
	pool := x509.NewCertPool()
	pool.AddCert(root)
	return &authority{root: root, inter: inter, rootKey: rootKey, interKey: interKey,
		interPEM: pemBlock("CERTIFICATE", interDER), pool: pool, sites: map[string]*tls.Certificate{}}, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	return n.Add(n, big.NewInt(1))
}

func pemBlock(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

// sign makes a leaf for names over pub, valid from begin to end.
func (a *authority) sign(pub crypto.PublicKey, names []string, begin, end time.Time) ([]byte, error) {
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: names[0]},
		NotBefore:    begin,
		NotAfter:     end,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	if _, ok := pub.(*rsa.PublicKey); ok {
		tmpl.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.inter, pub, a.interKey)
	if err != nil {
		return nil, fmt.Errorf("sandbox CA: sign %s: %w", strings.Join(names, ", "), err)
	}
	return der, nil
}

// maxSites bounds the HTTPS certificates kept for server names.
const maxSites = 1024

// site returns an HTTPS certificate for a server name (SNI), made on first
// use, so the sandbox's https server answers for any of its names.
func (a *authority) site(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := strings.ToLower(strings.TrimSuffix(hello.ServerName, "."))
	if name == "" {
		name = "127.0.0.1"
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.sites[name]; ok {
		return c, nil
	}
	if len(a.sites) >= maxSites {
		return nil, errors.New("sandbox https: too many server names")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sandbox https: key: %w", err)
	}
	now := time.Now()
	der, err := a.sign(key.Public(), []string{name}, now.Add(-time.Hour), now.AddDate(0, 0, 30))
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der, a.inter.Raw}, PrivateKey: key}
	a.sites[name] = c
	return c, nil
}

// issued is what the CA gave a certificate: the leaf and, only when the
// sandbox generated the key (CsrType online), the key and its CSR.
type issued struct {
	leafPEM string
	keyPEM  string // a secret: only in the detail's CertificatePrivateKey and the archive
	csrPEM  string
}

// issue signs a leaf for a certificate's names: over the submitted CSR's
// key (its signature checked), or over a key generated here for
// CsrType online (RSA 2048 unless ECC was asked).
func (a *authority) issue(submitted map[string]any, names []string, begin, end time.Time) (issued, error) {
	if len(names) == 0 {
		return issued{}, errors.New("sandbox CA: the certificate has no domain")
	}
	var out issued
	var pub crypto.PublicKey
	csrType, _ := submitted["CsrType"].(string)
	if csrType == "parse" {
		// Read as certwiz reads a CSR: the request found and its signature checked.
		content, _ := submitted["CsrContent"].(string)
		info, err := csr.Read([]byte(content))
		if err != nil {
			return issued{}, fmt.Errorf("sandbox CA: CsrContent: %w", err)
		}
		pub = info.Request.PublicKey
	} else {
		gen, err := csr.Generate(onlineKeyType(submitted), csr.Subject{CommonName: names[0]}, names[1:], nil)
		if err != nil {
			return issued{}, fmt.Errorf("sandbox CA: %w", err)
		}
		out.keyPEM, out.csrPEM = string(gen.KeyPEM), string(gen.CSRPEM)
		pub = gen.Info.Request.PublicKey
	}
	der, err := a.sign(pub, names, begin, end)
	if err != nil {
		return issued{}, err
	}
	out.leafPEM = pemBlock("CERTIFICATE", der)
	return out, nil
}

// onlineKeyType is the key Tencent would make for CsrType online:
// CsrEncryptAlgo ECC (CsrKeyParameter prime256v1/secp384r1) or RSA 2048.
func onlineKeyType(submitted map[string]any) csr.KeyType {
	algo, _ := submitted["CsrEncryptAlgo"].(string)
	param, _ := submitted["CsrKeyParameter"].(string)
	switch {
	case strings.EqualFold(algo, "ECC") && strings.EqualFold(param, "secp384r1"):
		return csr.ECDSAP384
	case strings.EqualFold(algo, "ECC"):
		return csr.ECDSAP256
	}
	return csr.RSA2048
}
