package profiles

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/certwiz/certwiz/api/newfile"
)

// An installation file is a few KB; more is not one.
const maxInstallation = 256 << 10

// ErrNoInstallation is an installation that does not exist.
var ErrNoInstallation = errors.New("no such installation")

// errLocked: another process holds the lock.
var errLocked = errors.New("locked by another process")

// BusyError is an installation another certwiz is working on (its lock
// is held): nothing was done.
type BusyError struct{ Name, Lock string }

func (e *BusyError) Error() string {
	return fmt.Sprintf("installation %q is being worked on by another certwiz (it holds %s): nothing was done; let it finish, or run again later", e.Name, e.Lock)
}

// InstallsDir is the folder of installation files: <config>/installs,
// beside the profiles.
func (s *Store) InstallsDir() string { return filepath.Join(filepath.Dir(s.Dir), "installs") }

// InstallationPath is where an installation's file lives.
func (s *Store) InstallationPath(name string) string {
	return filepath.Join(s.InstallsDir(), name+".yaml")
}

// installsDir checks the installs folder — a real folder no one else can
// write to, as its files name commands certwiz runs — creating it 0700
// when create is set and it is missing.
func (s *Store) installsDir(create bool) error {
	dir := s.InstallsDir()
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) && create {
		if err := os.Mkdir(dir, 0o700); err != nil {
			return fmt.Errorf("create folder %s: %w", dir, err)
		}
		return nil
	}
	switch {
	case err != nil:
		return fmt.Errorf("installations folder %s: %w", dir, err)
	case !fi.IsDir():
		return fmt.Errorf("installations folder %s is not a folder (a symlink or a file): certwiz reads installations only from a real folder", dir)
	}
	if why := Untrusted(fi); why != "" {
		return &UntrustedError{Path: dir, Why: why, Of: ofInstallation}
	}
	return nil
}

// SaveInstallation writes in as <config>/installs/<in.Name>.yaml, 0600,
// atomically (newfile.WriteAtomic), after checking every value. Callers
// that read, change and save hold the installation's lock
// (LockInstallation).
func (s *Store) SaveInstallation(in Installation) error {
	if err := validInstallName(in.Name); err != nil {
		return err
	}
	if err := in.Check(); err != nil {
		return fmt.Errorf("save installation %q: %w", in.Name, err)
	}
	if err := s.installsDir(true); err != nil {
		return err
	}
	if err := newfile.WriteAtomic(s.InstallationPath(in.Name), EncodeInstallation(in)); err != nil {
		return fmt.Errorf("save installation %q: %w", in.Name, err)
	}
	return nil
}

// LoadInstallation reads an installation's file: never through a
// symlink, never one another user owns or can write to (an
// *UntrustedError), and strictly (an error naming the file, the line and
// the key). One that does not exist wraps ErrNoInstallation.
func (s *Store) LoadInstallation(name string) (Installation, error) {
	if err := validInstallName(name); err != nil {
		return Installation{}, err
	}
	if err := s.installsDir(false); errors.Is(err, fs.ErrNotExist) {
		return Installation{}, fmt.Errorf("installation %q: %w", name, ErrNoInstallation)
	} else if err != nil {
		return Installation{}, err
	}
	return s.loadInstallation(name)
}

func (s *Store) loadInstallation(name string) (Installation, error) {
	path := s.InstallationPath(name)
	trust := func(fi fs.FileInfo) error {
		if why := Untrusted(fi); why != "" {
			return &UntrustedError{Path: path, Why: why, Of: ofInstallation}
		}
		return nil
	}
	data, err := readOwnFile(path, maxInstallation, trust)
	var ue *UntrustedError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Installation{}, fmt.Errorf("installation %q: %w", name, ErrNoInstallation)
	case errors.As(err, &ue):
		return Installation{}, err
	case err != nil:
		return Installation{}, fmt.Errorf("installation file %s: %w", path, err)
	}
	in, err := DecodeInstallation(data)
	if err != nil {
		return Installation{}, fmt.Errorf("installation file %s: %w", path, err)
	}
	in.Name = name
	return in, nil
}

// InstallEntry is one installation of a listing; Err is set for a file
// that cannot be read, and Installation is then empty.
type InstallEntry struct {
	Name         string
	Path         string
	Installation Installation
	Err          error
}

// ListInstallations reads every installation, sorted by name: a file
// that cannot be read is listed with its error and the others are still
// read. No installs folder is no installations.
func (s *Store) ListInstallations() ([]InstallEntry, error) {
	if err := s.installsDir(false); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	names, err := yamlNames(s.InstallsDir())
	if err != nil {
		return nil, fmt.Errorf("list installations in %s: %w", s.InstallsDir(), err)
	}
	var out []InstallEntry
	for _, name := range names {
		in, err := s.loadInstallation(name)
		out = append(out, InstallEntry{Name: name, Path: s.InstallationPath(name), Installation: in, Err: err})
	}
	return out, nil
}

// LockInstallation takes the installation's lock without waiting: a
// *BusyError when another certwiz holds it (a timer's renew and a
// person's install, say). unlock releases it. The lock file
// <config>/installs/.<name>.lock stays: removing it could let two
// processes hold "the" lock on different files.
func (s *Store) LockInstallation(name string) (unlock func(), err error) {
	if err := validInstallName(name); err != nil {
		return nil, err
	}
	if err := s.installsDir(true); err != nil {
		return nil, err
	}
	path := filepath.Join(s.InstallsDir(), "."+name+".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|noFollow, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if err := tryLockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, &BusyError{Name: name, Lock: path}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		unlockFile(f)
		f.Close()
	}, nil
}
