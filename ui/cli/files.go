package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/infile"
)

// Sizes that make sense for what each input holds: checked before
// reading, and standard input is refused beyond them, never cut.
const (
	limitCSR        = infile.LimitCSR // a CSR is a few KB
	limitRequest    = 512 << 10       // a request JSON or a profile: a few KB, a CSR inside
	limitBatch      = 16 << 20        // a batch CSV of many thousand rows
	limitPassphrase = 4 << 10
)

// readLimited is infile.ReadLimited: one reader for the wizard and the commands.
func readLimited(ctx context.Context, path string, stdin io.Reader, limit int64) ([]byte, error) {
	return infile.ReadLimited(ctx, path, stdin, limit)
}

// readInterrupted reports whether err is a read of standard input that a
// signal ended (see infile.ReadStdin).
func readInterrupted(err error) bool { return errors.Is(err, context.Canceled) }

// interruptedReading is how a command ends when a signal came while it
// read its input: nothing was sent or changed, exit 130 as everywhere.
func interruptedReading(g *Globals) error {
	fmt.Fprintln(g.IO.Err, say(g.Language, "Interrupted while reading the input: nothing was sent or changed.", "读取输入时被中断：未发送任何请求，也未做任何更改。"))
	return shown(api.ExitInterrupted)
}
