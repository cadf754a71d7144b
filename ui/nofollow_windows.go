package ui

// noFollow: Windows has no O_NOFOLLOW; O_EXCL alone refuses any existing
// name, a symlink included.
const noFollow = 0
