//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package termbg

import (
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// query sends OSC 11 (the background colour) and then a cursor position
// request, which every terminal answers, and reads until that second
// answer or the timeout: the text read, and whether the terminal answered.
func query(f *os.File, timeout time.Duration) (string, bool) {
	fd := int(f.Fd())
	// Only the foreground job may read the terminal (else SIGTTIN).
	if pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err != nil || pgrp != unix.Getpgrp() {
		return "", false
	}
	state, err := term.MakeRaw(f.Fd())
	if err != nil {
		return "", false
	}
	defer term.Restore(f.Fd(), state)
	if _, err := f.WriteString("\x1b]11;?\x1b\\\x1b[6n"); err != nil {
		return "", false
	}
	var got strings.Builder
	buf := make([]byte, 64)
	deadline := time.Now().Add(timeout)
	for got.Len() < 256 {
		left := time.Until(deadline)
		if left <= 0 {
			return got.String(), false
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left.Milliseconds())+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			return got.String(), false
		}
		n, err = unix.Read(fd, buf)
		if err != nil || n <= 0 {
			return got.String(), false
		}
		got.Write(buf[:n])
		// The cursor position answer, ESC [ row ; col R, comes last.
		if s := got.String(); strings.HasSuffix(s, "R") && strings.Contains(s, "\x1b[") {
			return s, true
		}
	}
	return got.String(), false
}
