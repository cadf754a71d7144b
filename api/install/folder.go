package install

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/certwiz/certwiz/api/newfile"
	"github.com/certwiz/certwiz/profiles"
)

// Folder is a folder certwiz writes into, checked and then opened as an
// os.Root: nothing opened through Root — whatever symlink is planted in
// it, before or while certwiz works — leads outside Path.
type Folder struct {
	Path string // absolute
	Root *os.Root
	made []string // folders created for Path itself, parents first
}

// FolderRules say what OpenFolder accepts besides a folder of the user's
// own that no other user can write to.
type FolderRules struct {
	// Create makes the folder, with the parents it lacks, 0700 when it
	// does not exist; without it a missing folder is an error wrapping
	// fs.ErrNotExist.
	Create bool
	// NoLink refuses a path that is itself a symlink (LinkError), even
	// one of the user's own; without it such a link may lead to a folder
	// that is the user's alone.
	NoLink bool
}

// LinkError is a folder named by a symlink where FolderRules.NoLink
// wants the folder itself.
type LinkError struct{ Path string }

func (e *LinkError) Error() string {
	return fmt.Sprintf("%s is a symlink: certwiz keeps certificates only in a real folder, so that nothing can turn it elsewhere; name the folder it leads to instead", e.Path)
}

// OpenFolder checks dir and opens it. It refuses a path that is not a
// folder (ErrNotFolder), and a folder — or a symlink naming it — owned by
// another user or writable by its group or everyone (FolderError); it
// never changes the mode of a folder it did not create.
func OpenFolder(dir string, r FolderRules) (*Folder, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("folder %s: %w", dir, err)
	}
	f := &Folder{Path: abs}
	if err := f.open(r); err != nil {
		f.Undo()
		return nil, err
	}
	return f, nil
}

func (f *Folder) open(r FolderRules) error {
	fi, err := os.Lstat(f.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && r.Create:
		if err := f.mkdirAbove(); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("check folder %s: %w", f.Path, err)
	case fi.Mode()&fs.ModeSymlink != 0 && r.NoLink:
		return &LinkError{f.Path}
	case fi.Mode()&fs.ModeSymlink != 0:
		if why := profiles.Untrusted(fi); why != "" {
			return &FolderError{f.Path, "is a symlink that " + strings.TrimPrefix(why, "is ")}
		}
	}
	if fi, err := os.Stat(f.Path); err == nil && !fi.IsDir() {
		return fmt.Errorf("%s: %w", f.Path, ErrNotFolder)
	}
	if f.Root, err = os.OpenRoot(f.Path); err != nil {
		return fmt.Errorf("open folder %s: %w", f.Path, err)
	}
	if err := f.trusted(); err != nil {
		f.Root.Close()
		f.Root = nil
		return err
	}
	return nil
}

// trusted refuses the opened folder when another user could change it.
func (f *Folder) trusted() error {
	fi, err := f.Root.Stat(".")
	if err != nil {
		return fmt.Errorf("check folder %s: %w", f.Path, err)
	}
	if why := profiles.Untrusted(fi); why != "" {
		return &FolderError{f.Path, why}
	}
	return nil
}

// mkdirAbove creates the folder and the parents the user named but lacks, 0700.
func (f *Folder) mkdirAbove() error {
	missing := []string{f.Path}
	for p := filepath.Dir(f.Path); ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil || p == filepath.Dir(p) {
			break
		}
		missing = append([]string{p}, missing...)
	}
	for _, d := range missing {
		if err := os.Mkdir(d, 0o700); err != nil {
			return fmt.Errorf("create folder %s: %w", d, err)
		}
		f.made = append(f.made, d)
	}
	return nil
}

// Close closes the root.
func (f *Folder) Close() error { return f.Root.Close() }

// Undo removes the folders OpenFolder created for Path, deepest first;
// one that is no longer empty stays.
func (f *Folder) Undo() {
	for _, d := range slices.Backward(f.made) {
		os.Remove(d)
	}
	f.made = nil
}

// SyncMade makes the folders OpenFolder created durable in their parent.
func (f *Folder) SyncMade() error {
	if len(f.made) == 0 {
		return nil
	}
	parent := filepath.Dir(f.made[0])
	if err := newfile.SyncDir(parent); err != nil {
		return fmt.Errorf("sync folder %s: %w", parent, err)
	}
	return nil
}

// Sub checks a name inside the folder before certwiz writes into it: nil
// and no error when nothing is there; an error when it is a symlink (a
// planted link is never followed) or a folder another user could change;
// otherwise what it is — a folder, or a file the caller decides about.
func (f *Folder) Sub(rel string) (fs.FileInfo, error) {
	path := filepath.Join(f.Path, rel)
	fi, err := f.Root.Lstat(rel)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("check %s: %w", path, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return nil, fmt.Errorf("%s is a symlink: certwiz writes only into real folders; nothing was written", path)
	case fi.IsDir() && profiles.Untrusted(fi) != "":
		return nil, &FolderError{path, profiles.Untrusted(fi)}
	}
	return fi, nil
}
