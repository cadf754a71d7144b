package live

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"

	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/api/newfile"
)

// CurrentError is a DIR/current that is not the link certwiz keeps: a
// file, a folder, or a link to anything but a version in DIR. certwiz
// changes nothing then: servers may be reading it.
type CurrentError struct {
	Path   string
	What   string // "a regular file", "a folder", "a link to <target>"
	Target string // the link's target, when it is a link (text from disk: print it escaped)
}

func (e *CurrentError) Error() string {
	return fmt.Sprintf("%s is %s, not certwiz's link to a version in %s: certwiz changed nothing; move it away (servers may read it) and run again", e.Path, e.What, filepath.Dir(e.Path))
}

// ErrNoPrevious: nothing was current before the install, so there is no
// version to go back to; the new one stays current.
var ErrNoPrevious = errors.New("no previous version to go back to")

// RaceError: current no longer names the version a rollback would switch
// away from (another certwiz, or a person, switched it meanwhile); it is
// left as it is.
type RaceError struct{ Path, Want, Got string }

func (e *RaceError) Error() string {
	return fmt.Sprintf("%s now leads to %q, not %q: someone switched it meanwhile; certwiz left it as it is", e.Path, e.Got, e.Want)
}

// Current is the version dir/current leads to; "" when there is no
// current yet. A dir that does not exist is an error wrapping
// fs.ErrNotExist; a current that is not certwiz's link is a CurrentError.
func Current(dir string) (string, error) {
	f, err := install.OpenFolder(dir, install.FolderRules{NoLink: true})
	if err != nil {
		return "", err
	}
	defer f.Close()
	return currentIn(f)
}

// currentIn reads current without following it: it must be a symlink
// whose target is a plain version name, a folder of DIR.
func currentIn(f *install.Folder) (string, error) {
	path := filepath.Join(f.Path, CurrentLink)
	fi, err := f.Root.Lstat(CurrentLink)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("check %s: %w", path, err)
	case fi.IsDir():
		return "", &CurrentError{Path: path, What: "a folder"}
	case fi.Mode()&fs.ModeSymlink == 0:
		return "", &CurrentError{Path: path, What: "a " + kind(fi)}
	}
	target, err := f.Root.Readlink(CurrentLink)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	if err := checkVersionIn(f, target); err != nil {
		return "", &CurrentError{Path: path, What: fmt.Sprintf("a link to %q (%v)", target, err), Target: target}
	}
	return target, nil
}

// kind names what a non-folder, non-link is.
func kind(fi fs.FileInfo) string {
	if fi.Mode().IsRegular() {
		return "regular file"
	}
	return fi.Mode().Type().String() + " file"
}

// checkVersionIn accepts a version name that is a real folder of DIR
// holding the files servers read.
func checkVersionIn(f *install.Folder, name string) error {
	if _, ok := parseVersion(name); !ok {
		return errors.New("not a version name")
	}
	fi, err := f.Sub(name)
	switch {
	case err != nil:
		return err
	case fi == nil:
		return errors.New("no such version")
	case !fi.IsDir():
		return errors.New("not a folder")
	}
	for _, file := range []string{FullchainFile, KeyFile} {
		if fi, err := f.Root.Lstat(filepath.Join(name, file)); err != nil || !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is missing or not a regular file", file)
		}
	}
	return nil
}

// Switch makes version current: a new link, renamed over current, so a
// server reading DIR/current sees the old version or the new one, never
// none. A current that is not certwiz's link is left alone (CurrentError).
func Switch(dir, version string) error {
	f, err := install.OpenFolder(dir, install.FolderRules{NoLink: true})
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := currentIn(f); err != nil {
		return err
	}
	if err := checkVersionIn(f, version); err != nil {
		return fmt.Errorf("switch %s to %q: %w", filepath.Join(f.Path, CurrentLink), version, err)
	}
	return switchIn(f, version)
}

// Rollback makes r.Previous current again after r's install, provided
// current still leads to r.Version (RaceError otherwise). With nothing
// before r, it returns ErrNoPrevious and r stays current.
func Rollback(r Result) error {
	if r.Previous == "" {
		return ErrNoPrevious
	}
	f, err := install.OpenFolder(r.Dir, install.FolderRules{NoLink: true})
	if err != nil {
		return err
	}
	defer f.Close()
	cur, err := currentIn(f)
	if err != nil {
		return err
	}
	if cur != r.Version {
		return &RaceError{Path: filepath.Join(f.Path, CurrentLink), Want: r.Version, Got: cur}
	}
	if err := checkVersionIn(f, r.Previous); err != nil {
		return fmt.Errorf("switch back to %q: %w", r.Previous, err)
	}
	return switchIn(f, r.Previous)
}

// tempLinkRE names the links switchIn makes before renaming one over current.
var tempLinkRE = regexp.MustCompile(`^\.current\.[0-9a-f]{16}\.tmp$`)

// switchIn points current at version: a symlink under a temp name, then
// renamed over current (only ever over a link: rename would replace a
// file), then the folder synced.
func switchIn(f *install.Folder, version string) error {
	path := filepath.Join(f.Path, CurrentLink)
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	tmp := ".current." + hex.EncodeToString(b) + ".tmp"
	if err := f.Root.Symlink(version, tmp); err != nil {
		return fmt.Errorf("switch %s to %s: %w", path, version, err)
	}
	if fi, err := f.Root.Lstat(CurrentLink); err == nil && fi.Mode()&fs.ModeSymlink == 0 {
		f.Root.Remove(tmp)
		return &CurrentError{Path: path, What: "a " + kind(fi)}
	}
	if err := f.Root.Rename(tmp, CurrentLink); err != nil {
		f.Root.Remove(tmp)
		return fmt.Errorf("switch %s to %s: %w", path, version, err)
	}
	if err := newfile.SyncDirIn(f.Root, "."); err != nil {
		return fmt.Errorf("sync folder %s: %w", f.Path, err)
	}
	return nil
}

// removeStaleLinks removes the temp links a switch killed midway left.
func removeStaleLinks(f *install.Folder) {
	entries, _ := fs.ReadDir(f.Root.FS(), ".")
	for _, e := range entries {
		if tempLinkRE.MatchString(e.Name()) && e.Type() == fs.ModeSymlink {
			f.Root.Remove(e.Name())
		}
	}
}
