//go:build !windows

package install

import (
	"errors"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api/bundle"
)

// Another local user swaps a folder certwiz checked for a symlink to a
// folder of theirs (or root's) before it writes: the key must not land
// there, and what was made is undone. prepare and write are the two sides
// of the window.
func TestWriteNewFilesSwappedFolderLeadsNowhere(t *testing.T) {
	elsewhere := t.TempDir()
	for _, pre := range []bool{true, false} { // the folder existed, or was to be created
		dir := t.TempDir()
		if pre {
			os.Mkdir(filepath.Join(dir, "a_nginx"), 0o700)
		}
		in, err := prepare(dir, twoFiles)
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(filepath.Join(dir, "a_nginx"))
		if err := os.Symlink(elsewhere, filepath.Join(dir, "a_nginx")); err != nil {
			t.Fatal(err)
		}
		_, err = in.write()
		in.Close()
		if err == nil {
			t.Fatalf("existed %v: written through the swapped folder", pre)
		}
		if got := bundletest.ListAll(elsewhere); len(got) != 0 {
			t.Fatalf("existed %v: written outside --out: %q", pre, got)
		}
		if got := bundletest.ListAll(dir); !slices.Equal(got, []string{"a_nginx"}) {
			t.Fatalf("existed %v: left %q", pre, got)
		}
	}
}

// The undo goes through the same root: a folder swapped for a symlink
// after the files were written cannot turn the undo into a removal
// elsewhere.
func TestWriteNewFilesUndoStaysInside(t *testing.T) {
	elsewhere := t.TempDir()
	victim := filepath.Join(elsewhere, "a_bundle.crt")
	os.WriteFile(victim, []byte("someone else's"), 0o600)
	dir := t.TempDir()
	in, err := prepare(dir, twoFiles)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if _, err := in.write(); err != nil {
		t.Fatal(err)
	}
	os.Rename(filepath.Join(dir, "a_nginx"), filepath.Join(dir, "moved"))
	os.Symlink(elsewhere, filepath.Join(dir, "a_nginx"))
	in.undo()
	if b, err := os.ReadFile(victim); err != nil || string(b) != "someone else's" {
		t.Fatalf("the undo removed a file outside --out: %v", err)
	}
}

// A --out, or a folder in it, that another user could write to is
// refused before anything is written, saying which, why and what to do.
func TestWriteNewFilesRefusesSharedFolders(t *testing.T) {
	for _, c := range []struct {
		name string
		mode os.FileMode
		sub  bool
		why  string
	}{
		{"world-writable --out", 0o777, false, "is writable by every user (0777)"},
		{"sticky --out", 0o777 | os.ModeSticky, false, "is writable by every user (1777)"},
		{"group-writable --out", 0o770, false, "is writable by its group (0770)"},
		{"world-writable server folder", 0o777, true, "is writable by every user (0777)"},
	} {
		dir := t.TempDir()
		target := dir
		if c.sub {
			target = filepath.Join(dir, "a_nginx")
			os.Mkdir(target, 0o700)
		}
		if err := os.Chmod(target, c.mode); err != nil {
			t.Fatal(err)
		}
		before := bundletest.ListAll(dir)
		_, err := WriteNewFiles(dir, twoFiles)
		var fe *FolderError
		if !errors.As(err, &fe) || fe.Path != target || !strings.Contains(err.Error(), target+" "+c.why+": another user could change what certwiz writes there, so it wrote nothing; choose a folder only you can write to") {
			t.Errorf("%s: %v", c.name, err)
		}
		if got := bundletest.ListAll(dir); !slices.Equal(got, before) {
			t.Errorf("%s: written %q", c.name, got)
		}
	}
	// A private folder in a shared one is fine: only --out and below count.
	shared := t.TempDir()
	os.Chmod(shared, 0o777)
	if _, err := WriteNewFiles(filepath.Join(shared, "mine"), []bundle.File{twoFiles[0]}); err != nil {
		t.Fatal(err)
	}
}
