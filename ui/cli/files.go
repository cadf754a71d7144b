package cli

import (
	"io"

	"github.com/certwiz/certwiz/ui"
)

// Sizes that make sense for what each input holds: checked before
// reading, and standard input is refused beyond them, never cut.
const (
	limitCSR        = ui.LimitCSR // a CSR is a few KB
	limitRequest    = 512 << 10   // a request JSON or a profile: a few KB, a CSR inside
	limitBatch      = 16 << 20    // a batch CSV of many thousand rows
	limitPassphrase = 4 << 10
)

// readLimited is ui.ReadLimited: one reader for the wizard and the commands.
func readLimited(path string, stdin io.Reader, limit int64) ([]byte, error) {
	return ui.ReadLimited(path, stdin, limit)
}
