//go:build windows

package hook

import (
	"os/exec"
	"syscall"
)

// ownGroup starts the hook in a process group of its own; a cancel kills
// sh (Windows has no signal for a whole group).
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}
