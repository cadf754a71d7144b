package install

import (
	"errors"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api/bundle"
)

func modeOf(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

var twoFiles = []bundle.File{{Path: "a_nginx/a_bundle.crt", Data: []byte("chain")}, {Path: "a_nginx/a.key", Data: []byte("key")}}

func TestWriteNewFilesCreatesPrivately(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	base := t.TempDir()
	dir := filepath.Join(base, "new", "www")
	paths, err := WriteNewFiles(dir, twoFiles)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(paths, []string{filepath.Join(dir, "a_nginx", "a_bundle.crt"), filepath.Join(dir, "a_nginx", "a.key")}) {
		t.Fatalf("paths %q", paths)
	}
	for _, p := range paths {
		if !filepath.IsAbs(p) || modeOf(t, p) != 0o600 {
			t.Fatalf("%s: mode %o", p, modeOf(t, p))
		}
	}
	for _, d := range []string{filepath.Join(base, "new"), dir, filepath.Join(dir, "a_nginx")} {
		if m := modeOf(t, d); m != 0o700 {
			t.Fatalf("%s: mode %o", d, m)
		}
	}
	if b, _ := os.ReadFile(paths[1]); string(b) != "key" {
		t.Fatalf("content %q", b)
	}
}

// A folder that exists keeps its mode; a relative folder gives absolute paths.
func TestWriteNewFilesLeavesAnExistingFolderAlone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	paths, err := WriteNewFiles(".", twoFiles[:1])
	if err != nil {
		t.Fatal(err)
	}
	if modeOf(t, dir) != 0o755 || paths[0] != filepath.Join(dir, "a_nginx", "a_bundle.crt") {
		t.Fatalf("mode %o, paths %q", modeOf(t, dir), paths)
	}
}

// One existing target: refused before anything is written, each named.
func TestWriteNewFilesNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "a_nginx"), 0o700)
	os.WriteFile(filepath.Join(dir, "a_nginx", "a.key"), []byte("mine"), 0o600)
	_, err := WriteNewFiles(dir, append([]bundle.File{{Path: "b/new.txt", Data: []byte("x")}}, twoFiles...))
	var ee *ExistsError
	if !errors.As(err, &ee) || !slices.Equal(ee.Paths, []string{filepath.Join(dir, "a_nginx", "a.key")}) {
		t.Fatalf("%v", err)
	}
	if got := bundletest.ListAll(dir); !slices.Equal(got, []string{"a_nginx", "a_nginx/a.key"}) {
		t.Fatalf("written anyway: %q", got)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a_nginx", "a.key")); string(b) != "mine" {
		t.Fatal("replaced")
	}
	// A file where the folder should be is named too.
	dir2 := t.TempDir()
	os.WriteFile(filepath.Join(dir2, "a_nginx"), nil, 0o600)
	if _, err := WriteNewFiles(dir2, twoFiles); !errors.As(err, &ee) || ee.Paths[0] != filepath.Join(dir2, "a_nginx") {
		t.Fatalf("%v", err)
	}
	// --out naming a file.
	if _, err := WriteNewFiles(filepath.Join(dir2, "a_nginx"), twoFiles); err == nil || !errors.Is(err, ErrNotFolder) {
		t.Fatalf("%v", err)
	}
}

// Planted links: a symlink where a file goes, or a folder that is a
// symlink leading elsewhere, and nothing is written through them.
func TestWriteNewFilesRefusesPlantedLinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges")
	}
	elsewhere := t.TempDir()
	dir := t.TempDir()
	os.Symlink(filepath.Join(elsewhere, "stolen.key"), filepath.Join(dir, "a.key"))
	if _, err := WriteNewFiles(dir, []bundle.File{{Path: "a.key", Data: []byte("k")}}); err == nil {
		t.Fatal("wrote through a dangling symlink")
	}
	dir2 := t.TempDir()
	os.Symlink(elsewhere, filepath.Join(dir2, "a_nginx"))
	if _, err := WriteNewFiles(dir2, twoFiles); err == nil || !strings.Contains(err.Error(), "is a symlink") {
		t.Fatalf("%v", err)
	}
	if got := bundletest.ListAll(elsewhere); len(got) != 0 {
		t.Fatalf("written elsewhere: %q", got)
	}
	// Paths that bundle.Read would refuse are refused here too.
	for _, p := range []string{"../x", "/abs", "a/../../x"} {
		if _, err := WriteNewFiles(dir2, []bundle.File{{Path: p}}); err == nil {
			t.Fatalf("%s written", p)
		}
	}
}

// A failure midway leaves nothing behind.
func TestWriteNewFilesUndoesAFailure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	files := append(twoFiles[:1:1], bundle.File{Path: "a_nginx/a_bundle.crt", Data: []byte("again")})
	if _, err := WriteNewFiles(dir, files); err == nil {
		t.Fatal("the same file written twice")
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("left behind: %q", bundletest.ListAll(dir))
	}
}
