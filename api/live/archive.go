package live

import (
	"errors"

	"github.com/certwiz/certwiz/api/bundle"
)

// ErrNoKey is an archive without a private key (the CSR was made
// elsewhere) and none given.
var ErrNoKey = errors.New("the archive holds no private key: give the key generated for the certificate")

// FromArchive is the certificate of a downloaded archive to install:
// files as bundle.Read returned them, info as bundle.Inspect read them.
// The key is keyPEM when given (a key generated here for a paid
// certificate), else the archive's key that is the leaf's (Tencent
// generated it); none that is gives ErrKeyMismatch, none at all ErrNoKey.
func FromArchive(id string, files []bundle.File, info bundle.Info, keyPEM []byte) (Issued, error) {
	c := Issued{CertificateID: id, ChainPEM: []byte(info.ChainPEM), KeyPEM: keyPEM}
	if keyPEM != nil {
		return c, nil
	}
	err := ErrNoKey
	for _, f := range files {
		if !bundle.HoldsKey(f.Data) {
			continue
		}
		if ok, _ := bundle.KeyMatches(info.Leaf, f.Data); ok {
			c.KeyPEM = f.Data
			return c, nil
		}
		err = ErrKeyMismatch
	}
	return c, err
}
