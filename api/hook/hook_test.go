package hook

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Values reach the hook only through its environment: whatever they
// hold — a command substitution, quotes, newlines — the hook reads them
// byte for byte and nothing in them runs. The parent's environment is
// inherited, a variable set here replacing the parent's.
func TestRunValuesOnlyInTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("CERTWIZ_TEST_PARENT", "from the parent")
	t.Setenv("CERTWIZ_DOMAINS", "stale")
	values := map[string]string{
		"CERTWIZ_A":       "$(touch pwned1)`touch pwned2`",
		"CERTWIZ_B":       "'; touch pwned3; '\"; touch pwned4; \"",
		"CERTWIZ_C":       "line one\nline two\n",
		"CERTWIZ_DOMAINS": "www.example.com example.com",
		"CERTWIZ_EMPTY":   "",
	}
	var cmd strings.Builder
	for _, k := range []string{"CERTWIZ_A", "CERTWIZ_B", "CERTWIZ_C", "CERTWIZ_DOMAINS", "CERTWIZ_EMPTY", "CERTWIZ_TEST_PARENT"} {
		fmt.Fprintf(&cmd, "printf '%%s' \"$%s\" > out.%s; ", k, k)
	}
	res, err := Run(context.Background(), cmd.String(), values, time.Minute)
	if err != nil || !res.OK() || res.ExitCode != 0 {
		t.Fatalf("%v %+v %q", err, res, res.Output.Log())
	}
	values["CERTWIZ_TEST_PARENT"] = "from the parent"
	for k, want := range values {
		if got, err := os.ReadFile(filepath.Join(dir, "out."+k)); err != nil || string(got) != want {
			t.Errorf("%s: %q %v", k, got, err)
		}
	}
	for _, p := range []string{"pwned1", "pwned2", "pwned3", "pwned4"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s: a value ran", p)
		}
	}
}

// A variable name sh cannot read, or a value holding NUL, is refused
// before anything runs, naming the variable and never the value.
func TestRunRefusesABadEnvironment(t *testing.T) {
	dir := t.TempDir()
	for env, want := range map[string]map[string]string{
		`"CERTWIZ-X" is not a variable name`:                  {"CERTWIZ-X": "v"},
		`"1X" is not a variable name`:                         {"1X": "v"},
		"the value of CERTWIZ_KEY holds a NUL byte, which no": {"CERTWIZ_KEY": "secret\x00value"},
	} {
		res, err := Run(context.Background(), "touch "+filepath.Join(dir, "ran"), want, time.Minute)
		if err == nil || !strings.Contains(err.Error(), env) || strings.Contains(err.Error(), "secret") || res.OK() || res.StartErr != err {
			t.Errorf("%v %+v", err, res)
		}
		if d := res.Describe("en"); !strings.HasPrefix(d, "could not start: hook environment: ") {
			t.Errorf("%s", d)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "ran")); err == nil {
		t.Fatal("the hook ran")
	}
}

// A failing hook: its status, its stdout and stderr as written, and an
// error saying so.
func TestRunFailure(t *testing.T) {
	res, err := Run(context.Background(), "echo out; echo err >&2; exit 3", nil, time.Minute)
	var f *Failure
	if !errors.As(err, &f) || err.Error() != "the hook exited with status 3" || res.OK() || res.ExitCode != 3 || res.TimedOut {
		t.Fatalf("%v %+v", err, res)
	}
	if got := string(res.Output.Log()); got != "out\nerr\n" || res.Output.Tail() != "out\nerr" {
		t.Fatalf("output %q", got)
	}
	if got := res.Describe("zh-CN"); got != "退出状态为 3" {
		t.Fatalf("%q", got)
	}
	if res, err := Run(context.Background(), "kill -9 $$", nil, time.Minute); err == nil || res.ExitCode != -1 || res.Describe("en") != "was killed by a signal" {
		t.Fatalf("signal: %v %+v", err, res)
	}
}

// A hook that prints megabytes: memory stays bounded, the log keeps the
// first and last halves and says how much lies between, the screen gets
// the last lines.
func TestRunMegabytesOfOutput(t *testing.T) {
	const mb = 10 << 20
	res, err := Run(context.Background(), "head -c 10485760 /dev/zero | tr '\\0' x; echo; seq 1 100", nil, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	o := res.Output
	total := int64(mb + 1 + 292) // the x's, a newline, "1\n".."100\n"
	if o.Len() != total {
		t.Fatalf("len %d", o.Len())
	}
	if cap(o.head)+cap(o.tail) > 2*LogLimit {
		t.Fatalf("kept %d + %d bytes", cap(o.head), cap(o.tail))
	}
	log := o.Log()
	mark := fmt.Sprintf("\n[… %d bytes left out …]\n", total-LogLimit)
	if len(log) != LogLimit+len(mark) || !strings.HasPrefix(string(log), "xxxx") || !strings.HasSuffix(string(log), "\n99\n100\n") || !strings.Contains(string(log), mark) {
		t.Fatalf("log of %d bytes: %q…%q", len(log), log[:10], log[len(log)-300:])
	}
	lines := strings.Split(o.Tail(), "\n")
	if len(lines) != TailLines || lines[0] != "81" || lines[19] != "100" {
		t.Fatalf("tail %q", lines)
	}
}

// Tail: a last line of megabytes is cut to its end, marked; a short
// output is given whole; none is empty.
func TestOutputTail(t *testing.T) {
	o := newOutput()
	o.Write([]byte("first\n" + strings.Repeat("y", 1<<20) + "\n"))
	if got := o.Tail(); len(got) > tailBytes+len("…") || !strings.HasPrefix(got, "…yyy") {
		t.Fatalf("%d bytes: %q", len(got), got[:10])
	}
	o = newOutput()
	o.Write([]byte("a\nb"))
	o.Write([]byte("\nc\n"))
	if got := o.Tail(); got != "a\nb\nc" || string(o.Log()) != "a\nb\nc\n" {
		t.Fatalf("%q", got)
	}
	if got := newOutput().Tail(); got != "" {
		t.Fatalf("%q", got)
	}
}

// The caller's context ending (ctrl+c) stops the hook, and says so
// apart from a timeout.
func TestRunCanceled(t *testing.T) {
	for _, before := range []bool{true, false} {
		ctx, cancel := context.WithCancel(context.Background())
		if before {
			cancel()
		} else {
			defer time.AfterFunc(100*time.Millisecond, cancel).Stop()
		}
		res, err := Run(ctx, "sleep 1000", nil, time.Hour)
		if err == nil || !res.Canceled || res.TimedOut || res.OK() || !strings.Contains(err.Error(), "interrupted") {
			t.Fatalf("canceled before the start %v: %v %+v", before, err, res)
		}
		cancel()
	}
}

// A command that is not there: sh says so (status 127), and the tail
// for the screen carries its words.
func TestRunMissingCommand(t *testing.T) {
	res, err := Run(context.Background(), "/nonexistent/certwiz-hook", nil, time.Minute)
	if err == nil || res.ExitCode != 127 || !strings.Contains(res.Output.Tail(), "not found") {
		t.Fatalf("%v %+v %q", err, res, res.Output.Tail())
	}
}

// No sh to run it with: an error saying so, and a Result that is not OK.
func TestRunWithoutSh(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	res, err := Run(context.Background(), "true", nil, time.Minute)
	var f *Failure
	if err == nil || errors.As(err, &f) || res.OK() || !strings.Contains(res.Describe("en"), `could not start: start the hook (sh -c): exec: "sh": executable file not found`) {
		t.Fatalf("%v %+v", err, res)
	}
}
