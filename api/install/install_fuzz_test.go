package install

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
)

// documented is Tencent's layout as the README states it, written apart
// from bundle's own check: <domain>_<server>/<file>.
var documented = regexp.MustCompile(`^(_|[A-Za-z0-9-]+)(\.[A-Za-z0-9-]+)+_(?i:nginx|apache|iis|tomcat|jks|root|other)/[A-Za-z0-9_-][A-Za-z0-9._-]*\.(?i:crt|pem|key|csr|cer|pfx|p12|jks|txt)$`)

// Any bytes as the archive: read, then written into a folder of a temp
// root. Nothing may panic, nothing may land outside the folder, and only
// the documented layout may be written.
func FuzzArchiveInstall(f *testing.F) {
	c := bundletest.Issue(f, nil, "www.example.com")
	f.Add(bundletest.Zip(f, bundletest.Layout("www.example.com", c, true)))
	f.Add(bundletest.Zip(f, bundletest.Layout("*.example.com", c, false)))
	fixtures, _ := filepath.Glob(filepath.Join("..", "bundle", "testdata", "*.zip"))
	for _, name := range fixtures {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, name := range []string{".bashrc", "_other/.ssh/authorized_keys", "www.example.com_nginx/x; include evil.conf; #_bundle.crt",
		"www.example.com_nginx/x; include /etc/evil.conf; #_bundle.crt", strings.Repeat("d/", 200) + "x.crt", "www.example.com_nginx/../../x.key",
		"www.example.com_nginx/.x.key", "a_nginx/a.key"} {
		f.Add(bundletest.Zip(f, map[string]string{"www.example.com_other/www.example.com.pem": c.Leaf, name: "x"}))
	}
	f.Add(rawZip(f, "www.example.com_nginx/a.crt", "www.example.com_nginx/A.crt"))
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := bundle.Read(data, bundle.Limits{})
		if err != nil {
			return
		}
		for _, file := range files {
			if !documented.MatchString(file.Path) {
				t.Fatalf("read a name outside the layout: %q", file.Path)
			}
		}
		base := t.TempDir()
		out := filepath.Join(base, "out")
		paths, err := WriteNewFiles(out, files)
		var want []string
		if err == nil {
			for _, p := range paths {
				rel, _ := filepath.Rel(base, p)
				want = append(want, filepath.ToSlash(rel))
			}
		}
		filepath.WalkDir(base, func(p string, d os.DirEntry, werr error) error {
			if werr != nil || p == base {
				return nil
			}
			rel, _ := filepath.Rel(base, p)
			rel = filepath.ToSlash(rel)
			switch {
			case rel != "out" && !strings.HasPrefix(rel, "out/"):
				t.Fatalf("written outside --out: %s", rel)
			case d.Type()&os.ModeSymlink != 0:
				t.Fatalf("a symlink was made: %s", rel)
			case !d.IsDir() && !slices.Contains(want, rel):
				t.Fatalf("a file that was not reported: %s (err %v)", rel, err)
			}
			return nil
		})
	})
}

// rawZip packs empty entries under the names given, as they are.
func rawZip(t testing.TB, names ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		if _, err := zw.Create(n); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	return buf.Bytes()
}
