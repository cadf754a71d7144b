package newfile

// noFollow: Windows has no O_NOFOLLOW; O_EXCL alone refuses any existing
// name, a symlink included.
const noFollow = 0

// canSyncDir: Windows cannot open a folder for syncing; its directory
// updates are durable enough here.
const canSyncDir = false
