//go:build !windows

package profiles

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// Untrusted says why a file or folder certwiz reads or writes could be
// changed behind its back, as ssh's StrictModes refuses: owned by another
// user than this one (root excepted), or writable by its group or by
// every user. "" when neither.
func Untrusted(fi fs.FileInfo) string { return untrusted(fi, os.Geteuid()) }

func untrusted(fi fs.FileInfo, me int) string {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != me && st.Uid != 0 {
		return fmt.Sprintf("is owned by another user (uid %d)", st.Uid)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return "" // a link's own mode means nothing
	}
	switch perm := fi.Mode().Perm(); {
	case perm&0o002 != 0:
		return fmt.Sprintf("is writable by every user (%s)", Octal(fi.Mode()))
	case perm&0o020 != 0:
		return fmt.Sprintf("is writable by its group (%s)", Octal(fi.Mode()))
	}
	return ""
}

// Octal is a mode as chmod writes it, with the setuid, setgid and sticky
// bits: a shared /tmp-like folder is 1777, not 0777.
func Octal(m fs.FileMode) string {
	n := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		n |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		n |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		n |= 0o1000
	}
	return fmt.Sprintf("%04o", n)
}
