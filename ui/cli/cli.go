// Package cli holds certwiz's commands besides the wizard, and the
// wizard's wiring.
//
// The root command registers submit, certs, bindings, rollout, deploy, commit, status,
// download, install, installs, renew, timer, profiles, csr, keys, history,
// sandbox, errors, man and version (version itself is built in main). Each command is an options struct, a constructor that
// binds its flags and a run function that tests call with fake streams.
package cli

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/x/term"
)

// IO are the streams a command uses: results on Out, the rest on Err.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// tty makes tests treat the streams as terminals; cols fixes the
	// width. Both are zero outside tests.
	tty  bool
	cols int
}

// SystemIO is the process's own streams.
func SystemIO() IO { return IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr} }

// Globals are the flags every command shares.
type Globals struct {
	IO         IO
	Endpoint   string
	Timeout    time.Duration
	Language   string
	ConfigDir  string
	Accessible bool
	// AccessibleAsked is set when --accessible was given on the command
	// line: only then do plain prompts run without a terminal (driven by
	// piped answers); ACCESSIBLE=1 or TERM=dumb alone never make a script wait.
	AccessibleAsked bool
	Sandbox         bool
	// SandboxDelay is how long after a commit the --sandbox publishes the
	// validation records (0 = at once); SandboxNoPublish never publishes.
	SandboxDelay     time.Duration
	SandboxNoPublish bool
	// Changed holds the names of the global flags given on the command line
	// (cobra's Flags().Changed), e.g. "language": the resume command repeats
	// only what the user chose.
	Changed   map[string]bool
	Version   string
	Commit    string
	BuildDate string // RFC 3339, set by the release's ldflags; "unknown" in a dev build
	// CommitDate is the commit time Go's build info records (vcs.time,
	// RFC 3339); "" when the build had no VCS information.
	CommitDate string
	// InstanceRole enables the CVM role step of the credential chain.
	InstanceRole bool
	// transport replaces the HTTP transport of every client (tests only:
	// it routes requests to a loopback verifier).
	transport http.RoundTripper
}

// DefaultLanguage picks en-US or zh-CN from the locale environment.
func DefaultLanguage() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			return api.NormalizeLanguage(s)
		}
	}
	return api.English
}

// ExitError carries the exit code of ux.md to main. Its message has
// already been shown to the user when Shown is set.
type ExitError struct {
	Code  int
	Err   error
	Shown bool
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// exit wraps err with an exit code; the message still has to be printed.
func exit(code int, err error) error { return &ExitError{Code: code, Err: err} }

// shown is an exit whose message was already printed.
func shown(code int) error { return &ExitError{Code: code, Shown: true} }

// ExitCode turns what a command returned into the process exit code,
// printing the message if nobody did. Errors that are not ours come from
// cobra (unknown flag, command or arguments): usage errors.
func ExitCode(err error, stderr io.Writer) int {
	if err == nil {
		return api.ExitOK
	}
	var e *ExitError
	if !errors.As(err, &e) {
		err = UsageError(err, "certwiz")
		errors.As(err, &e)
	}
	if !e.Shown && e.Err != nil {
		fmt.Fprintf(stderr, "Error: %s\n", safe.Lines(e.Err.Error()))
	}
	return e.Code
}

// UsageError is a mistake on the command line that cobra found (unknown
// flag, command or arguments): exit 2, with one pointer to the help of the
// command concerned.
func UsageError(err error, commandPath string) error {
	return exit(api.ExitInput, fmt.Errorf("%w\nRun '%s --help' for usage.", err, commandPath))
}

// say picks the English or Chinese wording of a label.
func say(lang, en, zh string) string { return api.Text{EN: en, ZH: zh}.In(lang) }

// InteractiveErr reports whether the error stream is a terminal (progress goes there).
func (io IO) InteractiveErr() bool { return isTerminal(io.Err) }

// Interactive reports whether both standard input and output are terminals.
func (io IO) Interactive() bool {
	return isTerminal(io.In) && isTerminal(io.Out)
}

// isTerminal asks the terminal itself (an ioctl), not the file's mode:
// /dev/null is a character device too, and cron's `</dev/null >/dev/null`
// must never count as someone at the keyboard.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// errNoTerminal is what `certwiz` says when started without a terminal.
func errNoTerminal(lang string) error {
	return exit(api.ExitInput, errors.New(say(lang,
		"the certwiz wizard needs a terminal; in scripts use `certwiz submit --input FILE` (see `certwiz submit --help`)",
		"certwiz 向导需要终端；脚本中请使用 `certwiz submit --input FILE`（参见 `certwiz submit --help`）")))
}
