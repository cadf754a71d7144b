package cli

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/ui/ptytest"
	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"
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

// onMuteTerminal runs certwiz ARGS on a pty that never answers a query,
// as its controlling terminal (so it is in the foreground and may ask),
// with extra environment. It returns what certwiz wrote and how long it
// took to show want; with stop set, SIGTERM then ends the run.
func onMuteTerminal(t *testing.T, bin string, env []string, want string, stop bool, args ...string) (string, time.Duration) {
	t.Helper()
	pty, tty := ptytest.Open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // a hang guard only
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(colourEnv(), env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var screen bytes.Buffer
	var shown time.Duration
	read := make(chan struct{})
	go func() {
		defer close(read)
		buf := make([]byte, 4096)
		for {
			n, err := pty.Read(buf)
			screen.Write(buf[:n])
			if shown == 0 && strings.Contains(screen.String(), want) {
				shown = time.Since(start)
				if stop {
					cmd.Process.Signal(syscall.SIGTERM)
				}
			}
			if err != nil {
				return // EIO once certwiz is gone
			}
		}
	}()
	cmd.Wait()
	<-read
	if ctx.Err() != nil || shown == 0 {
		t.Fatalf("%v never showed %q within 20 s; it wrote %q", args, want, screen.String())
	}
	return screen.String(), shown
}

// colourEnv is the tests' environment as a colour terminal would have it,
// whatever runs them: termenv takes colours away under CI (set by most CI
// services), NO_COLOR, or TERM=dumb, and CLICOLOR_FORCE puts them back.
func colourEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "CI", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM", "COLORTERM":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TERM=xterm-256color", "COLORTERM=truecolor")
}

// Newcomer issue, item 29: a terminal that never answers the colour query
// must not stall start-up. certs draws no colours: it asks nothing at all
// (Bubble Tea's start-up query waited 5 s). The wizard asks only when it
// shows colours, and for at most termbg.Timeout; under NO_COLOR it does
// not ask. The times to the first screen are logged, not judged.
func TestBinaryMuteTerminalDoesNotStallStartUp(t *testing.T) {
	bin := certwizBinary(t)
	e := newEnv(t)
	const query = "\x1b]11;?"
	for _, env := range [][]string{nil, {"NO_COLOR=1"}} {
		screen, took := onMuteTerminal(t, bin, env, "abcb1234", false, "certs", "--endpoint", e.url)
		if strings.Contains(screen, query) {
			t.Fatalf("certs %v asked for the background: %q", env, screen)
		}
		t.Logf("certs %v: the list after %s", env, took)
	}
	const menu = "What would you like to do?"
	screen, took := onMuteTerminal(t, bin, []string{"NO_COLOR=1"}, menu, true, "--sandbox")
	if strings.Contains(screen, query) {
		t.Fatalf("the wizard under NO_COLOR asked for the background: %q", screen)
	}
	t.Logf("wizard, NO_COLOR: first screen after %s", took)
	screen, took = onMuteTerminal(t, bin, nil, menu, true, "--sandbox")
	if !strings.Contains(screen, query) {
		t.Fatalf("the wizard in colour never asked for the background: %q", screen)
	}
	t.Logf("wizard in colour, the terminal mute: first screen after %s", took)
}

// Prompts on a terminal honour signals too: the y/N of profiles delete and
// keys forget, and the passphrase of csr generate --encrypt end with 130
// when the context is cancelled (a signal, in the program) while they
// wait — nothing deleted, forgotten or written, and the terminal's echo
// given back.
func TestTerminalPromptsEndOnSignals(t *testing.T) {
	e := newEnv(t)
	if r := e.cmdRun(t, "", "profiles", "import", exampleFile(t), "--name", "acme"); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	dir := t.TempDir()
	e.generated(t, "demo0100", "a")
	for _, c := range []struct {
		name, prompt string
		cmd          func(*Globals) *cobra.Command
		args         []string
	}{
		{"profiles delete", "[y/N] ", NewProfilesCmd, []string{"delete", "acme"}},
		{"keys forget", "[y/N] ", NewKeysCmd, []string{"forget", "demo0100"}},
		{"csr generate --encrypt", "Key passphrase: ", NewCSRCmd, []string{"generate", "--domain", "www.example.com", "--encrypt",
			"--key-out", dir + "/www.key", "--csr-out", dir + "/www.csr"}},
	} {
		pty, tty := ptytest.Open(t)
		ctx, cancel := context.WithCancel(context.Background())
		asked := make(chan string, 1)
		go func() {
			// Cancel once the prompt is on the screen.
			var b bytes.Buffer
			buf := make([]byte, 256)
			for {
				n, err := pty.Read(buf)
				b.Write(buf[:n])
				if strings.Contains(b.String(), c.prompt) {
					cancel()
					asked <- b.String()
					return
				}
				if err != nil {
					asked <- b.String()
					return
				}
			}
		}()
		g := &Globals{IO: IO{In: tty, Out: tty, Err: tty}, Endpoint: e.url, Timeout: 10 * time.Second, Language: api.English, Version: "test"}
		cmd := c.cmd(g)
		cmd.SetArgs(c.args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		var errb bytes.Buffer
		code := ExitCode(cmd.ExecuteContext(ctx), &errb)
		screen := <-asked
		if code != api.ExitInterrupted {
			t.Errorf("%s: exit %d, screen %q %s", c.name, code, screen, errb.String())
		}
		termios, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err != nil || termios.Lflag&unix.ECHO == 0 {
			t.Errorf("%s: the terminal's echo is off after the interrupt (%v)", c.name, err)
		}
		cancel()
	}
	if _, err := os.Stat(dir + "/www.key"); !os.IsNotExist(err) {
		t.Fatalf("a key was written: %v", err)
	}
	if r := e.cmdRun(t, "", "profiles", "show", "acme"); r.code != 0 {
		t.Fatalf("the profile was deleted: %d %s", r.code, r.stderr)
	}
	if f := forgottenLines(t); len(f) != 0 {
		t.Fatalf("a key was forgotten: %+v", f)
	}
}
