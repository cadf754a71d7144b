package cli

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"golang.org/x/sys/unix"
)

// Trust issue, item 17: a command blocked reading standard input that never
// ends (`tail -f /dev/null | certwiz submit --input -`) still ends on
// SIGINT, SIGTERM, SIGHUP and SIGQUIT, with exit 130 and nothing sent.
// Every reader of "-" is tried: --input, --batch, --set X=@-, profiles
// import and csr inspect.
func TestBinaryStdinReadersEndOnSignals(t *testing.T) {
	bin := certwizBinary(t)
	e := newEnv(t)
	readers := map[string][]string{
		"submit --input -":  {"submit", "--input", "-", "--endpoint", e.url},
		"submit --batch -":  {"submit", "--set", "CertificateId=abcb1234", "--batch", "-", "--endpoint", e.url},
		"submit --set X=@-": {"submit", "--set", "CertificateId=abcb1234", "--set", "OrganizationAddress=@-", "--endpoint", e.url},
		"profiles import -": {"profiles", "import", "-", "--name", "acme"},
		"csr inspect -":     {"csr", "inspect", "-"},
		"csr generate pass": {"csr", "generate", "--domain", "www.example.com", "--key-out", t.TempDir() + "/k", "--csr-out", t.TempDir() + "/c", "--passphrase-file", "-"},
	}
	signals := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}
	for name, args := range readers {
		for _, sig := range signals {
			t.Run(name+" "+unix.SignalName(sig), func(t *testing.T) {
				code, stderr := interruptReading(t, bin, sig, args)
				if code != api.ExitInterrupted || !strings.Contains(stderr, "Interrupted while reading the input: nothing was sent or changed.") {
					t.Fatalf("exit %d, want %d; stderr:\n%s", code, api.ExitInterrupted, stderr)
				}
			})
		}
	}
	if n := e.calls.Load(); n != 0 {
		t.Fatalf("%d requests reached the sandbox", n)
	}
}

// interruptReading starts certwiz ARGS with a standard input that never
// closes, waits until it is reading it, sends sig and returns the exit code
// and stderr. The deadline only guards against a hang: the assertion is
// the exit code.
func interruptReading(t *testing.T, bin string, sig syscall.Signal, args []string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = r
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	// A byte in the pipe (TIOCINQ is FIONREAD: the bytes not read yet), taken once certwiz reads its input: by then the
	// signals are its own (an earlier SIGINT would kill it outright).
	if _, err := w.WriteString("x"); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := unix.IoctlGetInt(int(w.Fd()), unix.TIOCINQ)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("certwiz never read its input; stderr:\n%s", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ctx.Err() != nil {
		t.Fatalf("still reading 20 s after %v; stderr:\n%s", sig, errb.String())
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("stdout %q", out.String())
	}
	return cmd.ProcessState.ExitCode(), errb.String()
}
