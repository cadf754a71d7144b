package hook

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// gone waits until pid has died (gone, or a zombie no one reaps yet):
// the kill is sent, the process ends a moment later. The bound is far
// beyond any machine; nothing asserts how fast it goes.
func gone(t *testing.T, pid int) bool {
	t.Helper()
	for range 1000 {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return true
		}
		if f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:])); len(f) > 0 && f[0] == "Z" {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// pidsIn reads the process IDs a hook printed, one a line.
func pidsIn(t *testing.T, out string) []int {
	t.Helper()
	var pids []int
	for _, l := range strings.Fields(out) {
		pid, err := strconv.Atoi(l)
		if err != nil {
			t.Fatalf("output %q", out)
		}
		pids = append(pids, pid)
	}
	return pids
}

// A hook that hangs — ignoring TERM, with a child in the background — is
// stopped at its timeout: the whole process group is killed, not just sh.
func TestRunTimeoutKillsTheGroup(t *testing.T) {
	res, err := Run(context.Background(), "trap '' TERM HUP INT; sleep 1000 & echo $!; echo $$; wait", nil, 300*time.Millisecond)
	var f *Failure
	if !errors.As(err, &f) || !res.TimedOut || res.Canceled || res.OK() {
		t.Fatalf("%v %+v", err, res)
	}
	if !strings.Contains(err.Error(), "did not finish within 300ms and was stopped (its whole process group killed)") {
		t.Fatalf("%v", err)
	}
	for _, pid := range pidsIn(t, string(res.Output.Log())) {
		if !gone(t, pid) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("process %d of the hook's group still runs", pid)
		}
	}
}

// A hook that exits but leaves a process holding its output (a server
// started with "&"): certwiz stops reading after a while, the hook
// counts as done, and the process is left alone (it was meant to run).
func TestRunLeftRunning(t *testing.T) {
	res, err := Run(context.Background(), "sleep 1000 & echo $!", nil, time.Minute)
	if err != nil || !res.OK() || !res.LeftRunning {
		t.Fatalf("%v %+v", err, res)
	}
	pid := pidsIn(t, string(res.Output.Log()))[0]
	defer syscall.Kill(pid, syscall.SIGKILL)
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("the background process was killed: %v", err)
	}
}
