//go:build !windows

package newfile

import "syscall"

// noFollow makes an open fail on a symlink instead of following it.
const noFollow = syscall.O_NOFOLLOW

// canSyncDir: a folder can be opened and fsynced here.
const canSyncDir = true
