// Package newfile writes the files certwiz creates: new files that never
// replace anything (Write, WriteIn) and whole-file replacements that a
// crash cannot tear (WriteAtomic). Every file is 0600 and on disk, with
// its folder entry, before the call returns. It knows nothing of screens.
package newfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// flags create a new file for writing: an existing name, a symlink
// (dangling or not) included, is an error wrapping fs.ErrExist.
const flags = os.O_CREATE | os.O_EXCL | os.O_WRONLY | noFollow

// Write creates path, 0600, holding data, and makes it and its folder
// entry durable. It never replaces or follows anything: an existing name
// is an error wrapping fs.ErrExist and is left untouched. On any other
// failure the new file is removed.
func Write(path string, data []byte) error { return write(osFolder{}, path, data) }

// WriteIn is Write through root: name cannot lead out of it, whatever
// symlinks or ".." it holds.
func WriteIn(root *os.Root, name string, data []byte) error { return write(root, name, data) }

// SyncDir makes the names created or renamed in dir durable.
func SyncDir(dir string) error { return syncDir(osFolder{}, dir) }

// SyncDirIn is SyncDir for a folder in root.
func SyncDirIn(root *os.Root, dir string) error { return syncDir(root, dir) }

// folder is where names are opened: the file system (osFolder) or an
// *os.Root.
type folder interface {
	Open(name string) (*os.File, error)
	OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error)
	Remove(name string) error
}

type osFolder struct{}

func (osFolder) Open(name string) (*os.File, error) { return os.Open(name) }
func (osFolder) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag, perm)
}
func (osFolder) Remove(name string) error { return os.Remove(name) }

func write(in folder, name string, data []byte) error {
	f, err := in.OpenFile(name, flags, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(in, filepath.Dir(name))
	}
	if err != nil {
		in.Remove(name)
		return err
	}
	return nil
}

func syncDir(in folder, dir string) error {
	if !canSyncDir {
		return nil
	}
	d, err := in.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return ignoreInvalid(d.Sync())
}

// ignoreInvalid: a file system that cannot sync a folder (it says
// "invalid argument") is no failure.
func ignoreInvalid(err error) error {
	if err != nil && !errors.Is(err, os.ErrInvalid) && !strings.Contains(err.Error(), "invalid argument") {
		return err
	}
	return nil
}

// WriteAtomic replaces path with data so that a reader (or a crash at any
// moment) sees either the old file or the new one, never a torn one: a
// 0600 temp file ".<name>.*.tmp" in the same folder, fsync, rename, fsync
// the folder. The rename replaces a symlink at path, never its target.
func WriteAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("create temp file for %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("set permissions of %s: %w", f.Name(), err)
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", f.Name(), err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", f.Name(), err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.Name(), err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	if err = SyncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("sync folder %s: %w", filepath.Dir(path), err)
	}
	return nil
}
