//go:build windows

package profiles

import (
	"fmt"
	"io/fs"
)

// Untrusted: Windows has no POSIX owner or mode bits to check; its ACLs
// are left to the user.
func Untrusted(fs.FileInfo) string { return "" }

// Octal is a mode's permission bits.
func Octal(m fs.FileMode) string { return fmt.Sprintf("%04o", uint32(m.Perm())) }
