package profiles

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"
)

const isWindows = runtime.GOOS == "windows"

// ensureDir creates dir (and its parents) as 0700. A folder that already
// exists is the user's: certwiz never changes its mode — a shared 1777
// folder or a setgid 2770 one stays as it is — but says, truthfully, who
// else can read what certwiz writes there.
func ensureDir(dir string, warn func(string)) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create folder %s: %w", dir, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("check folder %s: %w", dir, err)
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder", dir)
	}
	if w := looseness(dir, fi.Mode()); w != "" && !isWindows {
		warn(w)
	}
	return nil
}

// looseness says who besides the owner may read or enter a folder; "" for
// none. Files certwiz writes are 0600 whatever the folder.
func looseness(dir string, mode os.FileMode) string {
	perm := mode.Perm()
	var who []string
	if perm&0o070 != 0 {
		who = append(who, "its group")
	}
	if perm&0o007 != 0 {
		who = append(who, "every user")
	}
	if len(who) == 0 {
		return ""
	}
	return fmt.Sprintf("%s (%s) can be listed by %s; certwiz keeps its own files there 0600 but leaves the folder as it is", dir, Octal(mode), strings.Join(who, " and "))
}

// readOwnFile reads a file certwiz keeps (a profile, the history): never
// through a symlink, only a regular file, at most limit bytes. check, when
// given, vets the file opened before a byte is read.
func readOwnFile(path string, limit int64, check func(fs.FileInfo) error) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow|nonBlock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if check != nil {
		if err := check(fi); err != nil {
			return nil, err
		}
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d a certwiz file can be", path, fi.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is more than %d bytes", path, limit)
	}
	return data, nil
}

// withLock runs fn holding an exclusive advisory lock on lockPath, so
// certwiz processes working on the same file take turns.
func withLock(lockPath string, fn func() error) error {
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR|noFollow, 0o600)
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
