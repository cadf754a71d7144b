// Package live keeps one certificate's installed versions in a folder,
// DIR/<version>/{cert,chain,fullchain,privkey}.pem, with DIR/current a
// symlink to the one servers use, switched atomically. It never follows a
// link out of DIR, never replaces or removes what it did not make, and
// never installs a key that is not the certificate's. It knows nothing of
// screens; callers hold the installation's lock
// (profiles.Store.LockInstallation), so one certwiz at a time works in DIR.
package live

import (
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/api/newfile"
)

// The names in DIR and in each version: servers point at
// DIR/current/fullchain.pem and DIR/current/privkey.pem.
const (
	CurrentLink   = "current"
	CertFile      = "cert.pem"      // the leaf
	ChainFile     = "chain.pem"     // the intermediates, in the order the CA sent them
	FullchainFile = "fullchain.pem" // leaf + intermediates (nginx ssl_certificate)
	KeyFile       = "privkey.pem"   // the private key (nginx ssl_certificate_key)
)

// versionFiles are the files of a version, in the order they are written.
var versionFiles = []string{CertFile, ChainFile, FullchainFile, KeyFile}

// Keep is how many versions stay: the newest ones, and always the current
// and the previous one.
const Keep = 3

// Issued is a certificate to install.
type Issued struct {
	CertificateID string
	// ChainPEM is the leaf, then its intermediates in the CA's order
	// (bundle.Info.ChainPEM): CERTIFICATE blocks only.
	ChainPEM []byte
	// KeyPEM is the leaf's private key, unencrypted: servers load it
	// unattended.
	KeyPEM []byte
}

// Result is a certificate installed and made current.
type Result struct {
	Dir        string // absolute
	Version    string // the version installed, now current
	Previous   string // the version current named before; "" when none did
	PreviousID string // the previous version's certificate ID
	Leaf       *x509.Certificate
	SHA256     [32]byte // of the leaf's DER: what a server must present
	Pruned     []string // older versions removed
	// PruneErr says which older versions could not be removed (they hold
	// files certwiz did not write, say); the install stands.
	PruneErr error
}

// Live is DIR/current, the path servers are configured with.
func (r Result) Live() string { return filepath.Join(r.Dir, CurrentLink) }

// ErrKeyMismatch is a private key that is not the certificate's.
var ErrKeyMismatch = errors.New("the private key is not the certificate's: a server would refuse to start with the pair, so nothing was installed")

// Limits on what Install takes: a chain is a few KB, a key under 4 KB.
const (
	maxChain = 1 << 20
	maxKey   = 64 << 10
)

// Install writes c as a new version in dir, makes it current and prunes
// older versions to Keep. dir is created 0700 when missing; a dir that is
// a file or a symlink, is owned by another user or is writable by others
// is refused (install.OpenFolder), as is a current that is not certwiz's
// link (CurrentError) and a key that is not the leaf's (ErrKeyMismatch):
// then nothing is written. now names the version (UTC, to the minute).
func Install(dir string, c Issued, now time.Time) (Result, error) {
	leaf, chain, err := check(c)
	if err != nil {
		return Result{}, err
	}
	f, err := install.OpenFolder(dir, install.FolderRules{Create: true, NoLink: true})
	if err != nil {
		return Result{}, err
	}
	defer f.Close()
	res := Result{Dir: f.Path, Leaf: leaf, SHA256: sha256.Sum256(leaf.Raw)}
	if res.Previous, err = currentIn(f); err != nil {
		f.Undo()
		return Result{}, err
	}
	removeStaleLinks(f)
	if res.Version, err = writeVersion(f, c.CertificateID, now, files(leaf, chain, c.KeyPEM)); err != nil {
		f.Undo()
		return Result{}, err
	}
	if err := f.SyncMade(); err != nil {
		return Result{}, err
	}
	if err := switchIn(f, res.Version); err != nil {
		return Result{}, err
	}
	if v, ok := parseVersion(res.Previous); ok {
		res.PreviousID = v.CertificateID
	}
	res.Pruned, res.PruneErr = prune(f, res.Version, res.Previous)
	return res, nil
}

// check reads c's chain and refuses a bad ID, chain or key.
func check(c Issued) (*x509.Certificate, []*x509.Certificate, error) {
	if err := checkID(c.CertificateID); err != nil {
		return nil, nil, err
	}
	if len(c.ChainPEM) > maxChain || len(c.KeyPEM) > maxKey {
		return nil, nil, fmt.Errorf("certificate %s: the chain (%d bytes) or key (%d bytes) is larger than a certificate's can be", c.CertificateID, len(c.ChainPEM), len(c.KeyPEM))
	}
	leaf, chain, err := parseChain(c.ChainPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate %s: %w", c.CertificateID, err)
	}
	ok, err := bundle.KeyMatches(leaf, c.KeyPEM)
	switch {
	case errors.Is(err, bundle.ErrEncryptedKey):
		return nil, nil, fmt.Errorf("certificate %s: %w: a server could not load it unattended, so nothing was installed", c.CertificateID, err)
	case err != nil:
		return nil, nil, fmt.Errorf("certificate %s: %w", c.CertificateID, err)
	case !ok:
		return nil, nil, fmt.Errorf("certificate %s: %w", c.CertificateID, ErrKeyMismatch)
	}
	return leaf, chain, nil
}

// files are a version's files, in versionFiles' order.
func files(leaf *x509.Certificate, chain []*x509.Certificate, key []byte) [][]byte {
	cert := encode(leaf)
	inter := encode(chain...)
	return [][]byte{cert, inter, slices.Concat(cert, inter), key}
}

// writeVersion creates the version folder 0700 and its files 0600
// through the root; on a failure it removes what it made.
func writeVersion(f *install.Folder, id string, now time.Time, data [][]byte) (string, error) {
	name, err := newVersionIn(f, id, now)
	if err != nil {
		return "", err
	}
	path := filepath.Join(f.Path, name)
	var made []string
	fail := func(err error) (string, error) {
		for _, m := range slices.Backward(made) {
			f.Root.Remove(m)
		}
		return "", err
	}
	if err := f.Root.Mkdir(name, 0o700); err != nil {
		return fail(fmt.Errorf("create folder %s: %w", path, err))
	}
	made = append(made, name)
	for i, file := range versionFiles {
		rel := filepath.Join(name, file)
		if err := newfile.WriteIn(f.Root, rel, data[i]); err != nil {
			return fail(fmt.Errorf("write %s: %w", filepath.Join(f.Path, rel), err))
		}
		made = append(made, rel)
	}
	if err := newfile.SyncDirIn(f.Root, "."); err != nil {
		return fail(fmt.Errorf("sync folder %s: %w", f.Path, err))
	}
	return name, nil
}
