package newfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWriteNewFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.key")
	data := []byte("exact\x00bytes\n")
	if err := Write(path, data); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("content %q, %v; want %q", got, err, data)
	}
	checkMode(t, path)
}

func TestWriteRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.key")
	os.WriteFile(path, []byte("mine"), 0o644)
	err := Write(path, []byte("new"))
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("err = %v, want fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "mine" {
		t.Fatalf("existing file now holds %q", got)
	}
}

func TestWriteRefusesSymlinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	os.WriteFile(target, []byte("keep me"), 0o644)
	live := filepath.Join(dir, "live")
	dangling := filepath.Join(dir, "dangling")
	os.Symlink(target, live)
	os.Symlink(filepath.Join(dir, "nowhere"), dangling)
	for _, p := range []string{live, dangling} {
		if err := Write(p, []byte("secret")); !errors.Is(err, fs.ErrExist) {
			t.Errorf("Write(%s) = %v, want fs.ErrExist", filepath.Base(p), err)
		}
	}
	if got, _ := os.ReadFile(target); string(got) != "keep me" {
		t.Errorf("symlink target now holds %q", got)
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the dangling symlink's target was created: %v", err)
	}
}

func TestWriteIn(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	data := []byte("-----BEGIN CERTIFICATE-----\n")
	if err := WriteIn(root, filepath.Join("sub", "a.crt"), data); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sub", "a.crt")
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Fatalf("content %q, want %q", got, data)
	}
	checkMode(t, path)
	if err := WriteIn(root, filepath.Join("sub", "a.crt"), []byte("x")); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second WriteIn = %v, want fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Fatalf("existing file now holds %q", got)
	}
	if err := WriteIn(root, filepath.Join("..", "out.crt"), data); err == nil {
		t.Fatal("WriteIn wrote outside its root")
	}
	if runtime.GOOS == "windows" {
		return
	}
	outside := t.TempDir()
	os.Symlink(filepath.Join(outside, "planted"), filepath.Join(dir, "dangling"))
	os.Symlink(path, filepath.Join(dir, "live"))
	for _, name := range []string{"dangling", "live"} {
		if err := WriteIn(root, name, []byte("secret")); err == nil {
			t.Errorf("WriteIn(%s) wrote through a symlink", name)
		}
	}
	if _, err := os.Lstat(filepath.Join(outside, "planted")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the dangling symlink's target was created: %v", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Fatalf("symlink target now holds %q", got)
	}
}

func TestWriteAtomicReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.yaml")
	os.WriteFile(path, []byte("old"), 0o644)
	if err := WriteAtomic(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Fatalf("content %q", got)
	}
	checkMode(t, path)
	if temps, _ := filepath.Glob(filepath.Join(dir, ".p.yaml.*.tmp")); len(temps) != 0 {
		t.Fatalf("temp files left: %v", temps)
	}
}

// TestNoOtherExclusiveCreate: a new file is created in one place, so that
// every one refuses symlinks and reaches the disk. Any other O_EXCL in
// the sources is a copy of Write to replace with a call.
func TestNoOtherExclusiveCreate(t *testing.T) {
	root := filepath.Join("..", "..")
	self, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if abs, _ := filepath.Abs(filepath.Dir(path)); abs == self {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte("O_EXCL")) {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		t.Fatalf("O_EXCL outside package newfile (call newfile.Write or WriteIn instead): %v", found)
	}
}

func checkMode(t *testing.T, path string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s mode %04o, want 0600", path, fi.Mode().Perm())
	}
}
