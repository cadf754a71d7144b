package profiles

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

const isWindows = runtime.GOOS == "windows"

// ensureDir creates dir as 0700, or tightens it to 0700 with a warning
// when it is found looser: profiles name people and phone numbers.
func ensureDir(dir string, warn func(string)) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create folder %s: %w", dir, err)
	}
	return tighten(dir, 0o700, warn)
}

// tighten removes permission bits beyond want (Unix only; Windows has no modes).
func tighten(path string, want os.FileMode, warn func(string)) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("check permissions of %s: %w", path, err)
	}
	if fi.Mode().Perm()&^want == 0 || isWindows {
		return nil
	}
	if err := os.Chmod(path, fi.Mode().Perm()&want); err != nil {
		return fmt.Errorf("tighten permissions of %s: %w", path, err)
	}
	warn(fmt.Sprintf("%s was readable by others (%04o); certwiz tightened it to %04o", path, fi.Mode().Perm(), fi.Mode().Perm()&want))
	return nil
}

// writeAtomic replaces path with data so that a reader (or a crash at any
// moment) sees either the old file or the new one, never a torn one: temp
// file in the same folder, fsync, rename, fsync the folder.
func writeAtomic(path string, data []byte) (err error) {
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
	if err = f.Chmod(0o600); err != nil && !isWindows {
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
	if err = syncDir(dir); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}

// withLock runs fn holding an exclusive advisory lock on lockPath, so
// certwiz processes working on the same file take turns.
func withLock(lockPath string, fn func() error) error {
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("open lock %s: %w", lockPath, err)
	}
	defer f.Close()
	if err := lockFile(f); err != nil {
		return fmt.Errorf("lock %s: %w", lockPath, err)
	}
	defer unlockFile(f)
	return fn()
}
