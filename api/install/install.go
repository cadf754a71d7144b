// Package install downloads an issued certificate and unpacks it where
// the user says, checked whole first and never replacing a file; it also
// holds the folder rules the wizard and the commands share.
package install

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"

	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/newfile"
)

// ExistsError names the files a download would have replaced; nothing was
// written.
type ExistsError struct{ Paths []string }

// ErrNotFolder: the folder named is a file (or another non-folder).
var ErrNotFolder = errors.New("not a folder: give a folder, or a path that does not exist yet")

func (e *ExistsError) Error() string {
	what := e.Paths[0] + " already exists"
	if n := len(e.Paths); n > 1 {
		what = fmt.Sprintf("%d of the files already exist (%s, …)", n, e.Paths[0])
	}
	return what + "; certwiz never overwrites a certificate or key, and wrote nothing: choose another folder or move them away"
}

// FolderError is a folder certwiz will not write into: another user could
// swap what it writes there (a subfolder for a symlink, a key for theirs).
type FolderError struct{ Path, Why string }

func (e *FolderError) Error() string {
	return fmt.Sprintf("%s %s: another user could change what certwiz writes there, so it wrote nothing; choose a folder only you can write to, or make it yours (chown, chmod go-w)", e.Path, e.Why)
}

// WriteNewFiles writes files under dir, never replacing anything: every
// target is checked first and, when one exists, nothing is written. dir
// and the subfolders it lacks are created 0700 (a folder that exists is
// left as it is, never chmod-ed); files are created 0600, exclusively.
// Everything under dir is created through an os.Root opened on it, so no
// symlink — planted before or swapped in while certwiz writes — leads a
// file outside dir; a folder on the way that is a symlink is refused, and
// so is dir or a folder in it owned by another user or writable by its
// group or everyone (FolderError). It returns the files' absolute paths.
// On a failure midway, what it created is removed, through the same root.
func WriteNewFiles(dir string, files []bundle.File) ([]string, error) {
	in, err := prepare(dir, files)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	return in.write()
}

// install is a checked plan: the folders and files to create in the folder.
type install struct {
	*Folder
	dirs    []string // relative to the folder, parents first
	files   []bundle.File
	rels    []string // each file's path relative to the folder
	created []string // relative to the folder, in the order made, for the undo
}

// prepare checks dir and every target, creating only dir (and the parents
// it lacks) when it does not exist.
func prepare(dir string, files []bundle.File) (*install, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("folder %s: %w", dir, err)
	}
	in := &install{files: files, rels: make([]string, len(files))}
	for i, f := range files {
		in.rels[i] = filepath.FromSlash(f.Path)
		if !filepath.IsLocal(in.rels[i]) {
			return nil, fmt.Errorf("%q would be written outside %s; nothing was written", f.Path, abs)
		}
	}
	if in.Folder, err = OpenFolder(abs, FolderRules{Create: true}); err != nil {
		return nil, err
	}
	if err := in.plan(); err != nil {
		in.Close()
		in.undo()
		return nil, err
	}
	return in, nil
}

// plan lists the folders to create and refuses a target that exists, a
// folder that is a symlink, and one another user could change.
func (in *install) plan() error {
	planned := map[string]bool{}
	var exist []string
	for _, rel := range in.rels {
		var chain []string // the folders between the folder and the file
		for d := filepath.Dir(rel); d != "."; d = filepath.Dir(d) {
			chain = append([]string{d}, chain...)
		}
		blocked := false
		for _, d := range chain {
			if planned[d] || blocked {
				continue
			}
			fi, err := in.Sub(d)
			switch {
			case err != nil:
				return err
			case fi == nil:
				planned[d] = true
				in.dirs = append(in.dirs, d)
			case !fi.IsDir():
				if p := filepath.Join(in.Path, d); !slices.Contains(exist, p) {
					exist = append(exist, p)
				}
				blocked = true
			default:
				planned[d] = true
			}
		}
		if blocked {
			continue
		}
		if _, err := in.Root.Lstat(rel); err == nil {
			exist = append(exist, filepath.Join(in.Path, rel))
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("check %s: %w", filepath.Join(in.Path, rel), err)
		}
	}
	if len(exist) > 0 {
		return &ExistsError{Paths: exist}
	}
	return nil
}

// write creates the planned folders and the files through the root, then
// makes the new names durable; on a failure it undoes what it made.
func (in *install) write() ([]string, error) {
	fail := func(err error) ([]string, error) {
		in.undo()
		return nil, err
	}
	for _, d := range in.dirs {
		if err := in.Root.Mkdir(d, 0o700); err != nil {
			return fail(fmt.Errorf("create folder %s: %w", filepath.Join(in.Path, d), err))
		}
		in.created = append(in.created, d)
	}
	targets := make([]string, len(in.files))
	for i, f := range in.files {
		targets[i] = filepath.Join(in.Path, in.rels[i])
		if err := in.writeNew(in.rels[i], f.Data); err != nil {
			return fail(err)
		}
	}
	// Every folder that got a new name, deepest first, then dir's parent
	// when dir is new.
	synced := map[string]bool{}
	for _, rel := range slices.Backward(in.created) {
		d := filepath.Dir(rel)
		if !synced[d] {
			synced[d] = true
			if err := newfile.SyncDirIn(in.Root, d); err != nil {
				return targets, fmt.Errorf("sync folder %s: %w", filepath.Join(in.Path, d), err)
			}
		}
	}
	return targets, in.SyncMade()
}

// writeNew creates rel 0600 in the root — failing if anything, a symlink
// included, is there — and writes data to disk.
func (in *install) writeNew(rel string, data []byte) error {
	path := filepath.Join(in.Path, rel)
	err := newfile.WriteIn(in.Root, rel, data)
	if errors.Is(err, fs.ErrExist) {
		return &ExistsError{Paths: []string{path}}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	in.created = append(in.created, rel)
	return nil
}

// undo removes what was created, newest first: inside dir through the
// root (a folder swapped for a symlink cannot lead a removal elsewhere),
// then dir and the parents made for it.
func (in *install) undo() {
	for _, rel := range slices.Backward(in.created) {
		in.Root.Remove(rel)
	}
	in.created = nil
	in.Undo()
}
