//go:build !windows

package profiles

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A history others can write is neither read (--resume would believe it)
// nor added to, and the refusal names the file and why.
func TestHistoryOthersCanWriteIsRefused(t *testing.T) {
	h, _ := OpenHistory(t.TempDir(), nil)
	rec := Record{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), CertificateId: "abcb1234", Outcome: OutcomeOK, Endpoint: "e"}
	if err := h.Append(rec); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(h.Path)
	for mode, why := range map[os.FileMode]string{0o666: "is writable by every user (0666)", 0o620: "is writable by its group (0620)"} {
		if err := os.Chmod(h.Path, mode); err != nil {
			t.Fatal(err)
		}
		recs, err := h.Read()
		var ue *UntrustedError
		if !errors.As(err, &ue) || recs != nil || !strings.Contains(err.Error(), "history "+h.Path+" "+why+": certwiz neither reads nor adds") {
			t.Errorf("%o read: %v %v", mode, recs, err)
		}
		if err := h.Append(rec); !errors.As(err, &ue) || ue.Why != why {
			t.Errorf("%o append: %v", mode, err)
		}
		if after, _ := os.ReadFile(h.Path); string(after) != string(before) {
			t.Errorf("%o: appended to", mode)
		}
	}
	os.Chmod(h.Path, 0o644)
	if recs, err := h.Read(); err != nil || len(recs) != 1 {
		t.Fatalf("its own history: %v %v", recs, err)
	}
}

// statInfo is a file's FileInfo as another owner would have it.
type statInfo struct {
	fs.FileInfo
	st *syscall.Stat_t
}

func (s statInfo) Sys() any { return s.st }

func TestUntrustedOwner(t *testing.T) {
	fi, err := os.Stat(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const me = 1000
	for uid, want := range map[uint32]string{4242: "is owned by another user (uid 4242)", me: "", 0: ""} {
		if got := untrusted(statInfo{fi, &syscall.Stat_t{Uid: uid}}, me); got != want {
			t.Errorf("uid %d: %q", uid, got)
		}
	}
	if got := Octal(fs.ModeDir | fs.ModeSticky | 0o777); got != "1777" {
		t.Errorf("sticky: %s", got)
	}
}
