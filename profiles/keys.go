package profiles

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// KnownKey is a public key certwiz knows a certificate may be for: a
// private key generated on this machine (Path says where), or the CSR of
// a submission whose key was not generated here (no Path). KeySHA256
// names the public key (csr.KeySHA256) when the history says it.
type KnownKey struct {
	Path      string
	KeySHA256 string
}

// GeneratedKey is a private key generated on this machine for a
// certificate, as the history and the profiles remember it (a path and
// the SHA-256 of its public key, never the key).
type GeneratedKey struct {
	CertificateId string
	Path          string
	KeySHA256     string    // "" when no record says it
	Created       time.Time // the first record naming it; zero when only a profile does
	// Forgotten is when certwiz stopped offering it for the certificate
	// (a KEY-FORGOTTEN record newer than every record naming it); zero
	// while it is offered. Why says why (ForgetDownloaded, ForgetByUser).
	Forgotten time.Time
	Why       string
}

// OnDisk reports whether the key's file is still there: a regular file
// (a link is not followed, and never read).
func (k GeneratedKey) OnDisk() bool {
	fi, err := os.Lstat(k.Path)
	return err == nil && fi.Mode().IsRegular()
}

// Why a key was forgotten (Record.Reason).
const (
	ForgetDownloaded = "downloaded" // its certificate was downloaded, and is for another key
	ForgetByUser     = "user"       // the user said so (certwiz keys forget)
)

// records reads the store's history, or the default one read only:
// looking up a key never creates the state folder.
func (s *Store) records() ([]Record, error) {
	h := s.History
	if h == nil {
		dir, err := StateDir()
		if err != nil {
			return nil, err
		}
		h = &History{Path: filepath.Join(dir, "history.jsonl"), Warn: s.Warn}
	}
	return h.Read()
}

// KeysFor returns every private key generated on this machine for
// certificateID that is not forgotten, newest first, each path once:
// from the history first (csr generate --certificate-id, the wizard's
// submissions), then from the profiles whose CertificateId it is; after
// them, the public keys of the other CSRs submitted for it (no Path),
// newest first — but not those of keys forgotten. A later submission never
// hides an earlier key: the certificate may be for either, and only its
// public key tells (see install.CheckKey). nil when certwiz knows none.
func (s *Store) KeysFor(certificateID string) ([]KnownKey, error) {
	if certificateID == "" {
		return nil, nil
	}
	recs, err := s.records()
	if err != nil {
		return nil, err
	}
	keys, err := s.generatedKeys(recs, certificateID)
	if err != nil {
		return nil, err
	}
	// A CSR submitted whose public key is a forgotten key's is that key's:
	// forgotten too, unless a key still offered has it.
	sent := map[string]bool{}
	for _, r := range recs {
		if r.CertificateId == certificateID && r.Outcome == OutcomeKeyForgotten && r.KeySHA256 != "" {
			sent[r.KeySHA256] = true
		}
	}
	var out []KnownKey
	for _, k := range keys {
		if k.Forgotten.IsZero() {
			out = append(out, KnownKey{Path: k.Path, KeySHA256: k.KeySHA256})
			delete(sent, k.KeySHA256)
		}
	}
	for i := len(recs) - 1; i >= 0; i-- {
		if r := recs[i]; r.CertificateId == certificateID && r.KeyFile == "" && r.KeySHA256 != "" && !sent[r.KeySHA256] {
			sent[r.KeySHA256] = true
			out = append(out, KnownKey{KeySHA256: r.KeySHA256})
		}
	}
	return out, nil
}

// GeneratedKeys lists the private keys generated on this machine for
// certificateID (every certificate when ""), forgotten ones included,
// each (certificate, path) once: the history's newest first, then the
// profiles' newest first.
func (s *Store) GeneratedKeys(certificateID string) ([]GeneratedKey, error) {
	recs, err := s.records()
	if err != nil {
		return nil, err
	}
	return s.generatedKeys(recs, certificateID)
}

// generatedKeys is GeneratedKeys over the history's records.
func (s *Store) generatedKeys(recs []Record, certificateID string) ([]GeneratedKey, error) {
	type name struct{ id, path string }
	var out []GeneratedKey
	at := map[name]int{}        // a key → its index in out
	forgot := map[name]Record{} // the newest forget of a key not named since
	earlier := map[name]bool{}  // past a forget of a key named since: older records name an earlier key at its path
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		if certificateID != "" && r.CertificateId != certificateID || r.CertificateId == "" || r.KeyFile == "" || CheckKeyFile(r.KeyFile) != nil {
			continue
		}
		n := name{r.CertificateId, r.KeyFile}
		j, known := at[n]
		switch {
		case r.Outcome == OutcomeKeyForgotten:
			if _, newer := forgot[n]; !known && !newer {
				forgot[n] = r
			}
			earlier[n] = earlier[n] || known
		case earlier[n]:
		case known:
			// An older record: when it was made, and maybe its public key.
			out[j].Created = r.Time
			out[j].KeySHA256 = cmp.Or(out[j].KeySHA256, r.KeySHA256)
		default:
			k := GeneratedKey{CertificateId: r.CertificateId, Path: r.KeyFile, KeySHA256: r.KeySHA256, Created: r.Time}
			if f, ok := forgot[n]; ok {
				k.Forgotten, k.Why = f.Time, f.Reason
			}
			at[n] = len(out)
			out = append(out, k)
		}
	}
	entries, err := s.List()
	if err != nil {
		return nil, err
	}
	var mine []Profile
	for _, e := range entries {
		if p := e.Profile; e.Err == nil && p.KeyFile != "" && p.Params.CertificateId != "" && (certificateID == "" || p.Params.CertificateId == certificateID) {
			mine = append(mine, p)
		}
	}
	sort.SliceStable(mine, func(i, j int) bool { return mine[i].Updated.After(mine[j].Updated) })
	for _, p := range mine {
		n := name{p.Params.CertificateId, p.KeyFile}
		if _, ok := at[n]; ok {
			continue
		}
		k := GeneratedKey{CertificateId: n.id, Path: n.path}
		if f, ok := forgot[n]; ok {
			k.Forgotten, k.Why = f.Time, f.Reason
		}
		at[n] = len(out)
		out = append(out, k)
	}
	return out, nil
}

// ForgetKeys records each of keys as forgotten for its certificate (one
// KEY-FORGOTTEN record each, naming the key's path and public key, and
// why), so that KeysFor no longer offers it. The history is appended to,
// never rewritten, and the key files are never touched: deleting one is
// the user's to do. It returns the records written.
func (s *Store) ForgetKeys(keys []GeneratedKey, why string, now time.Time) ([]Record, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	h := s.History
	if h == nil {
		dir, err := StateDir()
		if err != nil {
			return nil, err
		}
		if h, err = OpenHistory(dir, s.Warn); err != nil {
			return nil, err
		}
	}
	var done []Record
	for _, k := range keys {
		r := Record{Time: now.UTC(), CertificateId: k.CertificateId, Outcome: OutcomeKeyForgotten, KeyFile: k.Path, KeySHA256: k.KeySHA256, Reason: why}
		if err := h.Append(r); err != nil {
			return done, fmt.Errorf("forget key %s of %s: %w", k.Path, k.CertificateId, err)
		}
		done = append(done, r)
	}
	return done, nil
}

// ForgetDownloadedKeys forgets, once certificateID is downloaded with its
// key found (install.KeyCheck.Found), the keys generated here for it
// before that one: they are no longer needed. keep is the key generated
// here the certificate is for — the keys older than it (by their latest
// record) are forgotten, a newer one may be for what comes next (a
// reissue), and none when keep is not among them — or "" when its key is
// Tencent's, in the archive: then every key generated here so far is
// another. Nothing is forgotten unless found. It returns the files of the
// keys forgotten that are still there, for the user to delete (certwiz
// never does), newest first.
func (s *Store) ForgetDownloadedKeys(certificateID, keep string, found bool, now time.Time) ([]string, error) {
	if !found {
		return nil, nil
	}
	keys, err := s.GeneratedKeys(certificateID)
	if err != nil {
		return nil, err
	}
	older := keep == ""
	var others []GeneratedKey
	var there []string
	for _, k := range keys {
		if k.Path == keep {
			older = true
			continue
		}
		if older && k.Forgotten.IsZero() {
			others = append(others, k)
			if k.OnDisk() {
				there = append(there, k.Path)
			}
		}
	}
	if _, err := s.ForgetKeys(others, ForgetDownloaded, now); err != nil {
		return nil, err
	}
	return there, nil
}
