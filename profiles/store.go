package profiles

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/newfile"
)

// nameRE is the profile name rule of ux.md: no separators, no leading dot,
// so a name can never reach outside the profiles folder.
var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// ErrNotFound is returned for a profile that does not exist.
var ErrNotFound = errors.New("no such profile")

// ErrExists is returned when a new name is already taken.
var ErrExists = errors.New("a profile with that name already exists")

// NameError is a profile's or an installation's name that breaks the
// naming rule.
type NameError struct {
	Name string
	Of   string // what it names: "" a profile, or "installation"
}

func (e *NameError) Error() string {
	return fmt.Sprintf("invalid %s name %q: use 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", cmp.Or(e.Of, "profile"), e.Name)
}

// ValidName checks a profile name.
func ValidName(name string) error {
	if !nameRE.MatchString(name) {
		return &NameError{Name: name}
	}
	return nil
}

// FileError is a profile file certwiz cannot read; it is never overwritten.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("profile file %s: %v", e.Path, e.Err) }
func (e *FileError) Unwrap() error { return e.Err }

// Store keeps profiles as <config>/profiles/<name>.yaml.
type Store struct {
	Dir string
	// History is where KeysFor looks first; nil: history.jsonl in
	// StateDir(), read only.
	History *History
	Warn    func(string)     // told about dropped secrets and tightened permissions
	Now     func() time.Time // stamps Updated
}

// Open returns the store under configDir, creating its folder 0700.
func Open(configDir string, warn func(string)) (*Store, error) {
	if warn == nil {
		warn = func(string) {}
	}
	s := &Store{Dir: filepath.Join(configDir, "profiles"), Warn: warn, Now: time.Now}
	// The config folder may be one the user chose (--config-dir): create it
	// private but leave an existing one alone; the profiles folder is ours.
	if err := os.MkdirAll(configDir, 0o700); err != nil {
		return nil, fmt.Errorf("create config folder %s: %w", configDir, err)
	}
	if err := ensureDir(s.Dir, warn); err != nil {
		return nil, err
	}
	return s, nil
}

// Path is where a profile lives.
func (s *Store) Path(name string) string { return filepath.Join(s.Dir, name+".yaml") }

func (s *Store) lockPath(name string) string { return filepath.Join(s.Dir, "."+name+".lock") }

// Load reads a profile strictly.
func (s *Store) Load(name string) (Profile, error) {
	if err := ValidName(name); err != nil {
		return Profile{}, err
	}
	return s.load(name)
}

// maxProfile bounds a profile file: a full one with a CSR is a few KB.
const maxProfile = 1 << 20

func (s *Store) load(name string) (Profile, error) {
	path := s.Path(name)
	data, err := readOwnFile(path, maxProfile, nil)
	if errors.Is(err, fs.ErrNotExist) {
		return Profile{}, fmt.Errorf("profile %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return Profile{}, &FileError{Path: path, Err: err}
	}
	p, err := Decode(data)
	if err != nil {
		return Profile{}, &FileError{Path: path, Err: err}
	}
	for _, w := range p.Warnings {
		s.Warn(path + ": " + w)
	}
	if p.Name == "" {
		p.Name = name
	}
	return p, nil
}

// Save writes a profile atomically under its lock. A KeyPassword is dropped
// with a warning; an existing file that cannot be parsed is not replaced.
// An empty KeyFile keeps the one saved (a draft saved again does not forget
// the key generated for it).
func (s *Store) Save(p Profile) error {
	return s.Update(p.Name, func(cur *Profile, _ bool) error {
		cur.Params, cur.CSR = p.Params, p.CSR
		if p.KeyFile != "" {
			cur.KeyFile = p.KeyFile
		}
		return nil
	})
}

// Update loads a profile (or starts an empty one), lets fn change it and
// saves it, all under the profile's lock: two certwiz processes updating
// the same profile take turns and neither loses the other's change.
func (s *Store) Update(name string, fn func(p *Profile, exists bool) error) error {
	if err := ValidName(name); err != nil {
		return err
	}
	return withLock(s.lockPath(name), func() error {
		s.removeStaleTemps(name)
		p, err := s.load(name)
		exists := err == nil
		if err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("%w (fix or delete the file; certwiz will not overwrite it)", err)
		}
		if !exists {
			p = Profile{Version: FormatVersion, Name: name}
		}
		if err := fn(&p, exists); err != nil {
			return err
		}
		return s.write(name, p)
	})
}

func (s *Store) write(name string, p Profile) error {
	if err := CheckKeyFile(p.KeyFile); err != nil {
		// Like a KeyPassword: dropped with a warning, the rest saved.
		s.Warn(fmt.Sprintf("profile %s: keyFile not saved: it %v", name, err))
		p.KeyFile = ""
	}
	if err := p.CSR.Check(); err != nil {
		s.Warn(fmt.Sprintf("profile %s: csr not saved: %v", name, err))
		p.CSR = CSRChoice{}
	}
	if p.Params.KeyPassword != "" {
		p.Params.KeyPassword = ""
		s.Warn("KeyPassword is never saved: enter it again when you submit")
	}
	p.Version, p.Name, p.Updated = FormatVersion, name, s.Now().UTC().Truncate(time.Second)
	if err := newfile.WriteAtomic(s.Path(name), Encode(p, nil, "")); err != nil {
		return fmt.Errorf("save profile %q: %w", name, err)
	}
	return nil
}

// removeStaleTemps deletes temp files a killed save left behind; the
// caller holds the profile's lock, so no save of it is in flight.
func (s *Store) removeStaleTemps(name string) {
	olds, _ := filepath.Glob(filepath.Join(s.Dir, "."+name+".yaml.*.tmp"))
	for _, o := range olds {
		os.Remove(o)
	}
}

// Create saves a new profile, refusing a name that is taken.
func (s *Store) Create(p Profile) error {
	return s.Update(p.Name, func(cur *Profile, exists bool) error {
		if exists {
			return fmt.Errorf("profile %q: %w", p.Name, ErrExists)
		}
		cur.Params, cur.KeyFile, cur.CSR = p.Params, p.KeyFile, p.CSR
		return nil
	})
}

// Delete removes a profile. Its lock file stays: removing it could let two
// processes hold "the" lock on different files.
func (s *Store) Delete(name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	return withLock(s.lockPath(name), func() error {
		err := os.Remove(s.Path(name))
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("profile %q: %w", name, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("delete profile %q: %w", name, err)
		}
		return newfile.SyncDir(s.Dir)
	})
}

// Copy saves src's parameters as dst; with template, only the organization,
// administrator and contact survive (the certificate-specific ones are cleared).
func (s *Store) Copy(src, dst string, template bool) error {
	if err := ValidName(dst); err != nil {
		return err
	}
	p, err := s.Load(src)
	if err != nil {
		return err
	}
	if template {
		// A template is for another certificate: another key.
		p.Params, p.KeyFile = Template(p.Params), ""
		p.CSR.KeyPath, p.CSR.File = "", "" // the choices stay, the files were the other's
	}
	p.Name = dst
	return s.Create(p)
}

// Rename moves a profile to a new name; the new name must be free.
func (s *Store) Rename(old, new string) error {
	if err := ValidName(new); err != nil {
		return err
	}
	if err := s.Copy(old, new, false); err != nil {
		return err
	}
	return s.Delete(old)
}

// Template keeps what is reused from certificate to certificate: the
// organization, administrator and contact steps, how domains are
// validated, and the CSR mode when it is online (Tencent makes each key;
// a parsed CSR belongs to one certificate, so parse is cleared with it).
func Template(r api.Request) api.Request {
	var t api.Request
	for _, f := range api.Fields {
		switch f.Step {
		case api.StepOrganization, api.StepAdmin, api.StepContact, api.StepVerification:
			_ = t.SetList(f.Name, r.List(f.Name))
		}
	}
	if r.CsrType == "online" {
		t.CsrType = r.CsrType
	}
	return t
}

// Entry is one profile of a listing; Err is set for a file that cannot be read.
type Entry struct {
	Name    string
	Path    string
	Profile Profile
	Err     error
}

// List reads every profile, sorted by name. A broken file is listed with
// its error and the others are still read.
func (s *Store) List() ([]Entry, error) {
	names, err := yamlNames(s.Dir)
	if err != nil {
		return nil, fmt.Errorf("list profiles in %s: %w", s.Dir, err)
	}
	var out []Entry
	for _, name := range names {
		p, err := s.load(name)
		out = append(out, Entry{Name: name, Path: s.Path(name), Profile: p, Err: err})
	}
	return out, nil
}

// yamlNames are the names of dir's NAME.yaml files, sorted, those of a
// name the naming rule refuses left out.
func yamlNames(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, path := range paths {
		if name := strings.TrimSuffix(filepath.Base(path), ".yaml"); nameRE.MatchString(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, nil
}
