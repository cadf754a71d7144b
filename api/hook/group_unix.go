//go:build !windows

package hook

import (
	"os/exec"
	"syscall"
)

// ownGroup starts the hook in a process group of its own and makes a
// cancel (its timeout, ctrl+c) kill the whole group: sh and all it started.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
