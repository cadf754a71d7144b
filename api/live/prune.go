package live

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"

	"github.com/certwiz/certwiz/api/install"
)

// prune removes the versions older than the newest Keep, never one of
// protect (the current and the previous one). A version holding anything
// but its own files stays, named in the error.
func prune(f *install.Folder, protect ...string) ([]string, error) {
	vs, err := versionsIn(f)
	if err != nil || len(vs) <= Keep {
		return nil, err
	}
	var pruned []string
	var errs []error
	for _, v := range vs[:len(vs)-Keep] {
		if slices.Contains(protect, v.Name) {
			continue
		}
		if err := removeVersion(f, v.Name); err != nil {
			errs = append(errs, err)
			continue
		}
		pruned = append(pruned, v.Name)
	}
	return pruned, errors.Join(errs...)
}

// removeVersion removes a version's files and folder, through the root,
// when it holds nothing else.
func removeVersion(f *install.Folder, name string) error {
	path := filepath.Join(f.Path, name)
	entries, err := fs.ReadDir(f.Root.FS(), name)
	if err != nil {
		return fmt.Errorf("old version %s: %w", path, err)
	}
	for _, e := range entries {
		if !slices.Contains(versionFiles, e.Name()) || !e.Type().IsRegular() {
			return fmt.Errorf("old version %s holds %s, which certwiz did not write: left as it is", path, e.Name())
		}
	}
	for _, e := range entries {
		if err := f.Root.Remove(filepath.Join(name, e.Name())); err != nil {
			return fmt.Errorf("remove old version %s: %w", path, err)
		}
	}
	if err := f.Root.Remove(name); err != nil {
		return fmt.Errorf("remove old version %s: %w", path, err)
	}
	return nil
}
