//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package termbg

import (
	"os"
	"time"
)

// query does not ask on other systems (termenv does not either).
func query(*os.File, time.Duration) (string, bool) { return "", false }
