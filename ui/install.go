package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/certwiz/certwiz/api/bundle"
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

// WriteNewFiles writes files under dir, never replacing anything: every
// target is checked first and, when one exists, nothing is written. dir
// and the subfolders it lacks are created 0700 (a folder that exists is
// left as it is, never chmod-ed); files are created 0600, exclusively and
// without following a symlink. A folder on the way that is a symlink is
// refused: it could lead outside dir. It returns the files' absolute paths.
// On a failure midway, what it created is removed.
func WriteNewFiles(dir string, files []bundle.File) ([]string, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("folder %s: %w", dir, err)
	}
	if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("%s: %w", root, ErrNotFolder)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("check folder %s: %w", root, err)
	}
	targets := make([]string, len(files))
	var dirs []string // to create, parents first
	planned := map[string]bool{}
	var exist []string
	for i, f := range files {
		rel := filepath.FromSlash(f.Path)
		if !filepath.IsLocal(rel) {
			return nil, fmt.Errorf("%q would be written outside %s; nothing was written", f.Path, root)
		}
		targets[i] = filepath.Join(root, rel)
		// The folders between root and the file: each must be a real folder or absent.
		var chain []string
		for d := filepath.Dir(targets[i]); d != root; d = filepath.Dir(d) {
			chain = append([]string{d}, chain...)
		}
		blocked := false
		for _, d := range chain {
			if planned[d] || blocked {
				continue
			}
			fi, err := os.Lstat(d)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				planned[d] = true
				dirs = append(dirs, d)
			case err != nil:
				return nil, fmt.Errorf("check %s: %w", d, err)
			case fi.Mode()&fs.ModeSymlink != 0:
				return nil, fmt.Errorf("%s is a symlink: certwiz writes only into real folders; nothing was written", d)
			case !fi.IsDir():
				if !slices.Contains(exist, d) {
					exist = append(exist, d)
				}
				blocked = true
			}
		}
		if blocked {
			continue
		}
		if _, err := os.Lstat(targets[i]); err == nil {
			exist = append(exist, targets[i])
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("check %s: %w", targets[i], err)
		}
	}
	if len(exist) > 0 {
		return nil, &ExistsError{Paths: exist}
	}
	var made []string // created, in order, for the undo
	undo := func() {
		for i := len(made) - 1; i >= 0; i-- {
			os.Remove(made[i])
		}
	}
	if _, err := os.Stat(root); errors.Is(err, fs.ErrNotExist) {
		// Parents the user named but lacks are created too, 0700 like it.
		missing := []string{root}
		for p := filepath.Dir(root); ; p = filepath.Dir(p) {
			if _, err := os.Stat(p); err == nil || p == filepath.Dir(p) {
				break
			}
			missing = append([]string{p}, missing...)
		}
		for _, d := range missing {
			if err := os.Mkdir(d, 0o700); err != nil {
				undo()
				return nil, fmt.Errorf("create folder %s: %w", d, err)
			}
			made = append(made, d)
		}
	}
	for _, d := range dirs {
		if err := os.Mkdir(d, 0o700); err != nil {
			undo()
			return nil, fmt.Errorf("create folder %s: %w", d, err)
		}
		made = append(made, d)
	}
	for i, f := range files {
		if err := writeNew(targets[i], f.Data); err != nil {
			undo()
			return nil, err
		}
		made = append(made, targets[i])
	}
	if err := syncDir(root); err != nil {
		return targets, fmt.Errorf("sync folder %s: %w", root, err)
	}
	return targets, nil
}

// writeNew creates path 0600 — failing if anything, a symlink included,
// is there — and writes data to disk.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return &ExistsError{Paths: []string{path}}
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// syncDir makes the new names durable; Windows cannot open a folder for it.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) && !strings.Contains(err.Error(), "invalid argument") {
		return err
	}
	return nil
}
