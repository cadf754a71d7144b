package install

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/csr"
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
	// Encrypted: the key is protected by a passphrase (nginx then needs
	// ssl_password_file to start unattended).
	Encrypted bool
	// Tried are the keys generated here that were looked at and are not
	// the certificate's, newest first: with Matches false and no Path,
	// none of them is.
	Tried []TriedKey
	// ByRecord: the key at Path could not be checked, but its public key,
	// recorded when it was generated here, is the certificate's.
	ByRecord bool
}

// Found reports whether the certificate's key is known: it matches (in
// the folder when Tencent generated it), or its public key recorded when
// it was generated here is the certificate's. keep is where that key
// generated here is; "" for Tencent's.
func (k KeyCheck) Found() (keep string, ok bool) {
	switch {
	case k.Tencent:
		return "", k.Matches != nil && *k.Matches
	case k.Path == "":
		return "", false
	}
	return k.Path, k.ByRecord || k.Matches != nil && *k.Matches
}

// KnownKey is a public key a certificate may be for: a private key
// generated on this machine (Path says where), or the CSR of a submission
// whose key was made elsewhere (no Path). KeySHA256 names the public key
// (csr.KeySHA256) when it was recorded. profiles.KnownKey converts to it.
type KnownKey struct {
	Path      string
	KeySHA256 string
}

// TriedKey is a key generated here that is not the certificate's, and why.
type TriedKey struct{ Path, Why string }

// TriedList names the keys tried, each with why it is not the one.
func (k KeyCheck) TriedList() string {
	var parts []string
	for _, t := range k.Tried {
		parts = append(parts, fmt.Sprintf("%s (%s)", t.Path, t.Why))
	}
	return strings.Join(parts, ", ")
}

// CheckKey finds the certificate's key — in the archive when Tencent
// generated it, else among keys, the keys generated here for it (newest
// first) — and checks it against the certificate. Every key file of the
// archive is checked: one that does not match is the one reported, then
// one that could not be checked, else nginx's. paths are where files were
// written. A key that cannot be checked is a reason, never an error: the
// certificate is on disk already.
func CheckKey(info bundle.Info, files []bundle.File, paths []string, keys []KnownKey, lang string) KeyCheck {
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
			c.Matches, c.Why, c.Encrypted = checkKeyPEM(info, f.Data, lang)
			if r := rank(c); r > rank(k) || r == rank(k) && strings.Contains(f.Path, "_nginx/") {
				k = c
			}
		}
		return k
	}
	return findKnownKey(info, keys, lang)
}

// checkKeyPEM reports whether a key file's data is the certificate's key;
// nil with a reason when that cannot be told.
func checkKeyPEM(info bundle.Info, data []byte, lang string) (matches *bool, why string, locked bool) {
	ok, err := bundle.KeyMatches(info.Leaf, data)
	switch {
	case errors.Is(err, bundle.ErrEncryptedKey):
		return nil, txtKeyEncrypted.In(lang), true
	case err != nil:
		return nil, err.Error(), false
	}
	return &ok, "", false
}

// findKnownKey is the key generated here that the certificate is for:
// the certificate is for the CSR last sent, which may be an older key's
// (a certificate awaiting information can be submitted again), so each
// key is matched by its public key, never taken for being the newest. A
// key whose recorded public key differs is not read; one that no longer
// exists is passed over. With none the certificate's, Tried names them —
// unless the certificate is for a CSR submitted whose key was made
// elsewhere: then it is the user's own key, and nothing is wrong.
func findKnownKey(info bundle.Info, keys []KnownKey, lang string) KeyCheck {
	var want string
	if info.Leaf != nil {
		want = csr.KeySHA256(info.Leaf.PublicKey)
	}
	var tried []TriedKey
	var unchecked *KeyCheck // the newest key that could not be checked
	compared := false       // a key was found to be another
	sentOther := false      // the certificate is for a CSR sent whose key was not made here
	for _, g := range keys {
		if g.Path == "" {
			sentOther = sentOther || want != "" && g.KeySHA256 == want
			continue
		}
		if g.KeySHA256 != "" && want != "" && g.KeySHA256 != want {
			tried, compared = append(tried, TriedKey{g.Path, txtAnotherKey.In(lang)}), true
			continue
		}
		data, err := infile.ReadLimited(context.Background(), g.Path, nil, maxKeyFile) // a regular file only: never blocks
		if errors.Is(err, fs.ErrNotExist) {
			tried = append(tried, TriedKey{g.Path, txtKeyGone.In(lang)})
			continue
		}
		var matches *bool
		why, locked := "", false
		if err != nil {
			why = err.Error()
		} else {
			matches, why, locked = checkKeyPEM(info, data, lang)
		}
		switch {
		case matches != nil && *matches:
			return KeyCheck{Path: g.Path, Matches: matches, Tried: tried}
		case matches != nil:
			tried, compared = append(tried, TriedKey{g.Path, txtAnotherKey.In(lang)}), true
		case g.KeySHA256 != "" && g.KeySHA256 == want:
			// Its public key, recorded when it was made, is the
			// certificate's: this is the one, though it cannot be read.
			return KeyCheck{Path: g.Path, Why: why + txtKeyRecordedMatches.In(lang), Tried: tried, Encrypted: locked, ByRecord: true}
		default:
			if unchecked == nil {
				unchecked = &KeyCheck{Path: g.Path, Why: why, Encrypted: locked}
			}
			tried = append(tried, TriedKey{g.Path, why})
		}
	}
	switch {
	case sentOther && unchecked == nil:
		// The user's own key: nothing to check, and nothing wrong.
		return KeyCheck{Why: txtKeyOfCSRSent.In(lang), Tried: tried}
	case unchecked != nil:
		// It may be the one: said as not checked, never as another key.
		unchecked.Tried = tried
		return *unchecked
	case compared:
		no := false
		return KeyCheck{Matches: &no, Tried: tried}
	case len(tried) > 0:
		return KeyCheck{Why: fmt.Sprintf(txtKeysGone.In(lang), KeyCheck{Tried: tried}.TriedList()), Tried: tried}
	}
	return KeyCheck{}
}

// txtKeyEncrypted is why an encrypted key was not checked.
var txtKeyEncrypted = api.Text{EN: "it is encrypted with a passphrase", ZH: "它已用密码加密"}

// Why a key generated here is not the certificate's, or not checked.
var (
	txtKeyRecordedMatches = api.Text{EN: "; its public key, recorded when it was generated, is the certificate's", ZH: "；生成时记录的公钥与证书一致"}
	txtKeyOfCSRSent       = api.Text{EN: "the certificate is for a CSR submitted for it whose key was not generated here: install it with that CSR's key", ZH: "证书对应的是为它提交的另一个 CSR，其私钥不是本机生成的：请用该 CSR 的私钥部署"}
	txtAnotherKey         = api.Text{EN: "another key", ZH: "另一把密钥"}
	txtKeyGone            = api.Text{EN: "no longer exists", ZH: "已不存在"}
	txtKeysGone           = api.Text{EN: "no key generated here for it is left to check: %s", ZH: "本机为它生成的私钥都已无法核对：%s"}
)

// maxKeyFile bounds a private key file read for the match check.
const maxKeyFile = 64 << 10

// InstallCertificate downloads an issued certificate and unpacks it in
// dir: the archive is checked whole (paths, layout, sizes, count) and its
// certificate must be the one ordered — covering every name names gives
// (the order's domain and other names, read only once the archive passed)
// and signed by the archive's chain — before a file is written; no file is
// ever replaced, files are 0600 and new folders 0700. keys, asked only
// when Tencent did not generate the key, lists the keys generated here
// for the certificate, one of which it should be for. The wizard, its
// accessible twin and `certwiz download` share it.
func InstallCertificate(ctx context.Context, c *api.Client, id, dir string, names func() ([]string, error), keys func() ([]KnownKey, error), lang string) (Installed, error) {
	f, err := Fetch(ctx, c, id, names)
	res := Installed{CertificateId: id, RequestId: f.RequestId, Archive: f.Archive, Info: f.Info}
	if err != nil {
		return res, err
	}
	if res.Dir, err = filepath.Abs(dir); err != nil {
		return res, fmt.Errorf("download %s to %s: %w", id, dir, err)
	}
	if res.Files, err = WriteNewFiles(res.Dir, res.Archive); err != nil {
		return res, err
	}
	var generated []KnownKey
	var why string
	if !res.Info.HasKey && keys != nil {
		if generated, err = keys(); err != nil {
			why = err.Error()
		}
	}
	res.Key = CheckKey(res.Info, res.Archive, res.Files, generated, lang)
	if res.Key.Why == "" {
		res.Key.Why = why
	}
	return res, nil
}

// Fetched is an issued certificate downloaded and checked whole, with
// nothing written yet.
type Fetched struct {
	CertificateId string
	RequestId     string        // of the download
	Archive       []bundle.File // the archive's entries
	Info          bundle.Info
}

// Fetch downloads an issued certificate and checks its archive whole
// (paths, layout, sizes, count) and that its certificate is the one
// ordered: covering every name names gives (read only once the archive
// passed) and signed by the archive's chain.
func Fetch(ctx context.Context, c *api.Client, id string, names func() ([]string, error)) (Fetched, error) {
	res := Fetched{CertificateId: id}
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
	return res, nil
}

// KeyError is a certificate whose private key certwiz will not install:
// none it knows matches, or the one that may cannot be checked.
type KeyError struct{ Check KeyCheck }

func (e *KeyError) Error() string {
	switch k := e.Check; {
	case k.Matches != nil && !*k.Matches && k.Tencent:
		return "the private key in the archive does not match the certificate"
	case k.Matches != nil && !*k.Matches:
		return "no key generated here matches the certificate: " + k.TriedList()
	case k.Path != "":
		return "the key " + k.Path + " cannot be checked against the certificate: " + k.Why
	case k.Why != "":
		return "no key to install: " + k.Why
	}
	return "no key to install: the certificate's key was not generated here and is not in the archive"
}

// Key is the certificate's private key, checked to match its public key:
// Tencent's from the archive when Tencent generated it, else the key
// generated here (among keys) that the certificate is for. Anything else —
// no key, another key, one that cannot be checked (encrypted) — is a
// *KeyError: a server must never get a key its certificate is not for.
func (f Fetched) Key(keys []KnownKey, lang string) ([]byte, KeyCheck, error) {
	if f.Info.HasKey {
		var key *bundle.File // nginx's, else the first
		for i, file := range f.Archive {
			if bundle.HoldsKey(file.Data) && (key == nil || strings.Contains(file.Path, "_nginx/")) {
				key = &f.Archive[i]
			}
		}
		k := KeyCheck{Tencent: true, Path: key.Path}
		k.Matches, k.Why, k.Encrypted = checkKeyPEM(f.Info, key.Data, lang)
		if k.Matches == nil || !*k.Matches {
			return nil, k, &KeyError{k}
		}
		return key.Data, k, nil
	}
	k := findKnownKey(f.Info, keys, lang)
	if k.Matches == nil || !*k.Matches {
		return nil, k, &KeyError{k}
	}
	data, err := infile.ReadLimited(context.Background(), k.Path, nil, maxKeyFile)
	if err != nil {
		return nil, k, fmt.Errorf("read the key %s: %w", k.Path, err)
	}
	if ok, err := bundle.KeyMatches(f.Info.Leaf, data); err != nil || !ok {
		// Changed since it was checked: not installed.
		no := false
		k.Matches = &no
		return nil, k, &KeyError{k}
	}
	return data, k, nil
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
