// Package hook runs the user's hook commands — deploy, auth, cleanup — as
// `sh -c`: values only in the environment, a process group killed whole at
// the timeout, output kept within bounds. A value never goes into the
// command text, whatever it holds. It knows nothing of screens: the caller
// escapes what it prints (ui/safe).
package hook

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
)

// DefaultTimeout bounds a hook given no timeout (--hook-timeout).
const DefaultTimeout = 5 * time.Minute

// waitDelay is how long the output may stay open after the hook exits (a
// process it started in the background holding it) before certwiz stops
// reading; after a kill, how long the group has to let go of it.
const waitDelay = 2 * time.Second

// Result is what became of a hook.
type Result struct {
	ExitCode int  // the exit status; -1 when a signal ended it
	TimedOut bool // it ran past its timeout and its process group was killed
	Canceled bool // the caller's context ended first (ctrl+c); the group was killed
	// LeftRunning: it exited, but something it started kept its output
	// open (a server started with "&"); certwiz stopped reading.
	LeftRunning bool
	Timeout     time.Duration // the bound it ran under
	Elapsed     time.Duration
	Output      *Output // stdout and stderr, interleaved as written
	// StartErr is why it did not run: sh missing, or an environment no
	// process can have (Run's error says the same).
	StartErr error
}

// OK reports a hook that exited 0 in time.
func (r Result) OK() bool {
	return r.StartErr == nil && r.ExitCode == 0 && !r.TimedOut && !r.Canceled
}

// Describe says in lang what became of the hook, in a few words.
func (r Result) Describe(lang string) string {
	switch {
	case r.StartErr != nil:
		return fmt.Sprintf(txtNotStarted.In(lang), r.StartErr)
	case r.TimedOut:
		return fmt.Sprintf(txtTimedOut.In(lang), r.Timeout)
	case r.Canceled:
		return txtCanceled.In(lang)
	case r.ExitCode < 0:
		return txtSignaled.In(lang)
	}
	return fmt.Sprintf(txtExited.In(lang), r.ExitCode)
}

var (
	txtNotStarted = api.Text{EN: "could not start: %v", ZH: "无法启动：%v"}
	txtTimedOut   = api.Text{EN: "did not finish within %s and was stopped (its whole process group killed)", ZH: "未在 %s 内结束，已停止（整个进程组已终止）"}
	txtCanceled   = api.Text{EN: "was stopped: certwiz was interrupted", ZH: "已停止：certwiz 被中断"}
	txtSignaled   = api.Text{EN: "was killed by a signal", ZH: "被信号终止"}
	txtExited     = api.Text{EN: "exited with status %d", ZH: "退出状态为 %d"}
)

// Failure is a hook that ran and did not succeed: a non-zero status, a
// signal, its timeout, or the caller's context ending.
type Failure struct{ Result Result }

func (e *Failure) Error() string { return "the hook " + e.Result.Describe(api.English) }

// Run runs command with `sh -c` under timeout (DefaultTimeout when 0 or
// less), its environment the parent's with env's variables set (replacing
// any the parent has; values may hold any text but NUL, newlines
// included). Standard input is empty. The error is nil when it exited 0
// in time, a *Failure when it ran and did not, and another error when it
// could not start (then in Result.StartErr too, and OK is false).
func Run(ctx context.Context, command string, env map[string]string, timeout time.Duration) (Result, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	res := Result{Timeout: timeout, Output: newOutput()}
	environ, err := environment(os.Environ(), env)
	if err != nil {
		res.StartErr = err
		return res, err
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(tctx, "sh", "-c", command)
	cmd.Env = environ
	cmd.Stdout, cmd.Stderr = res.Output, res.Output
	cmd.WaitDelay = waitDelay
	ownGroup(cmd)
	start := time.Now()
	if err := cmd.Start(); err != nil && ctx.Err() != nil {
		res.ExitCode, res.Canceled = -1, true
		return res, &Failure{res}
	} else if err != nil {
		res.StartErr = fmt.Errorf("start the hook (sh -c): %w", err)
		return res, res.StartErr
	}
	err = cmd.Wait()
	res.Elapsed = time.Since(start)
	res.ExitCode = cmd.ProcessState.ExitCode()
	res.Canceled = ctx.Err() != nil
	res.TimedOut = !res.Canceled && tctx.Err() != nil
	res.LeftRunning = errors.Is(err, exec.ErrWaitDelay) && !res.TimedOut && !res.Canceled
	if !res.OK() {
		return res, &Failure{res}
	}
	return res, nil
}

// envKeyRE is a variable name sh can read.
var envKeyRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// environment is parent with the variables of set replaced or added, in
// a stable order. A name sh cannot read or a value holding NUL is an
// error naming the variable (never its value).
func environment(parent []string, set map[string]string) ([]string, error) {
	out := slices.DeleteFunc(slices.Clone(parent), func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		_, ok := set[k]
		return ok
	})
	for _, k := range slices.Sorted(maps.Keys(set)) {
		if !envKeyRE.MatchString(k) {
			return nil, fmt.Errorf("hook environment: %q is not a variable name (letters, digits and _, not starting with a digit)", k)
		}
		if strings.ContainsRune(set[k], 0) {
			return nil, fmt.Errorf("hook environment: the value of %s holds a NUL byte, which no environment can carry", k)
		}
		out = append(out, k+"="+set[k])
	}
	return out, nil
}
