package cli

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/ui/ptytest"
)

// commitOn runs `certwiz commit ID` with the real files as its streams.
func (e env) commitOn(in, out, errOut *os.File, id string) int {
	g := &Globals{IO: IO{In: in, Out: out, Err: errOut}, Endpoint: e.url, Timeout: 10 * time.Second, Language: api.English, Version: "test"}
	cmd := NewCommitCmd(g)
	cmd.SetArgs([]string{id})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return ExitCode(cmd.ExecuteContext(context.Background()), errOut)
}

// Trust issue, item 16: /dev/null is a character device, not a terminal.
// `certwiz commit ID </dev/null >/dev/null 2>&1` (cron) is not someone at
// the keyboard: exit 2 (--yes required) and nothing sent — not a detail
// read and a question nobody sees. A real terminal (a pty) still asks.
func TestCommitDevNullIsNotATerminal(t *testing.T) {
	e := newEnv(t)
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if fi, _ := null.Stat(); fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s is not a character device here (%v)", os.DevNull, fi.Mode())
	}
	if code := e.commitOn(null, null, null, "abcb1234"); code != api.ExitInput {
		t.Fatalf("exit %d, want %d", code, api.ExitInput)
	}
	if n := e.calls.Load(); n != 0 {
		t.Fatalf("%d requests reached the sandbox", n)
	}

	// The positive case: on a pty the certificate is read and the question
	// asked; "n" sends nothing to the CA.
	e.submitted(t, "abcb1234", "VerifyType=DNS")
	pty, tty := ptytest.Open(t)
	if isTerminal(null) || !isTerminal(tty) {
		t.Fatalf("isTerminal: /dev/null %v, pty %v", isTerminal(null), isTerminal(tty))
	}
	seen := make(chan string, 1)
	go func() {
		// Answer once the question is on the screen.
		r := bufio.NewReader(pty)
		var b bytes.Buffer
		for {
			c, err := r.ReadByte()
			if err != nil {
				seen <- b.String()
				return
			}
			b.WriteByte(c)
			if strings.HasSuffix(b.String(), "[y/N] ") {
				pty.WriteString("n\n")
				seen <- b.String()
				return
			}
		}
	}()
	code := e.commitOn(tty, tty, tty, "abcb1234")
	tty.Close() // ends the reader if the question never came
	screen := <-seen
	if code != 0 || !strings.Contains(screen, "Send this to the CA?") {
		t.Fatalf("on a pty: exit %d, screen %q", code, screen)
	}
	if n := len(e.sb.Calls(sandbox.ActionCommit)); n != 0 || len(e.sb.Calls(sandbox.ActionDetail)) != 1 {
		t.Fatalf("on a pty: %d commits, %d detail reads", n, len(e.sb.Calls(sandbox.ActionDetail)))
	}
}
