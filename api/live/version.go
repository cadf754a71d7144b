package live

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/install"
)

// Version is one installed version of the certificate.
type Version struct {
	Name          string    // e.g. 2026-12-02T1801-abcb1234, or …-abcb1234.2 for a second install that minute
	CertificateID string    // the certificate it holds
	Installed     time.Time // UTC, to the minute
	seq           int       // 1, or the .N of a name taken twice in a minute
}

// timeLayout is a version name's time: UTC, to the minute, sorting as text.
const timeLayout = "2006-01-02T1504"

// versionRE is a version name: time, certificate ID, and a sequence
// number when the name was taken. Nothing else in DIR is a version.
var versionRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}T\d{4})-([A-Za-z0-9]{1,64})(?:\.([2-9]|[1-9][0-9]{1,2}))?$`)

// parseVersion reads a version name; false for any other name.
func parseVersion(name string) (Version, bool) {
	m := versionRE.FindStringSubmatch(name)
	if m == nil {
		return Version{}, false
	}
	t, err := time.Parse(timeLayout, m[1])
	if err != nil {
		return Version{}, false
	}
	v := Version{Name: name, CertificateID: m[2], Installed: t, seq: 1}
	if m[3] != "" {
		v.seq, _ = strconv.Atoi(m[3])
	}
	return v, true
}

// byTime orders versions oldest first.
func byTime(a, b Version) int {
	return cmp.Or(a.Installed.Compare(b.Installed), cmp.Compare(a.seq, b.seq), cmp.Compare(a.Name, b.Name))
}

// checkID accepts a certificate ID as the API's catalogue does: letters
// and digits, so that it can name a folder.
func checkID(id string) error {
	if id == "" {
		return errors.New("no certificate ID to name the version by")
	}
	if ps := api.Validate(api.Request{CertificateId: id}, api.Partial).For("CertificateId"); len(ps) > 0 {
		return fmt.Errorf("certificate ID: %s", ps[0].What.In(api.English))
	}
	if _, ok := parseVersion(time.Time{}.Format(timeLayout) + "-" + id); !ok {
		return fmt.Errorf("certificate ID %q: a version is named by 1 to 64 letters and digits", id)
	}
	return nil
}

// maxSeq bounds the installs of one certificate named in one minute.
const maxSeq = 999

// newVersionIn names a version of id installed at now that does not
// exist in the folder yet.
func newVersionIn(f *install.Folder, id string, now time.Time) (string, error) {
	base := now.UTC().Format(timeLayout) + "-" + id
	for seq := 1; seq <= maxSeq; seq++ {
		name := base
		if seq > 1 {
			name = base + "." + strconv.Itoa(seq)
		}
		if _, err := f.Root.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name, nil
		} else if err != nil {
			return "", fmt.Errorf("check %s: %w", name, err)
		}
	}
	return "", fmt.Errorf("%s: %d versions of %s were installed this minute; wait a minute", f.Path, maxSeq, id)
}

// Versions lists the versions in dir, oldest first: its folders named as
// versions are (symlinks and other names are not versions).
func Versions(dir string) ([]Version, error) {
	f, err := install.OpenFolder(dir, install.FolderRules{NoLink: true})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return versionsIn(f)
}

func versionsIn(f *install.Folder) ([]Version, error) {
	entries, err := fs.ReadDir(f.Root.FS(), ".")
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", f.Path, err)
	}
	var out []Version
	for _, e := range entries {
		if v, ok := parseVersion(e.Name()); ok && e.Type() == fs.ModeDir {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, byTime)
	return out, nil
}
