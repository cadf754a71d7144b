//go:build !windows

package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/profiles"
)

// The built binary, for the tests that need a real process: a deadline
// on reading /dev/zero, a SIGKILL in the middle of a batch.
var (
	startEnv = os.Environ()
	built    struct {
		once      sync.Once
		dir, path string
		err       error
	}
)

func TestMain(m *testing.M) {
	// The binaries run here get one language and no colour switches,
	// whatever shell or CI service runs the tests; a test that wants
	// Chinese or NO_COLOR says so in its own environment.
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE", "NO_COLOR", "CLICOLOR_FORCE"} {
		os.Unsetenv(v)
	}
	os.Setenv("LANG", "C")
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

func certwizBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "certwiz-cli-bin")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "certwiz")
		build := exec.Command("go", "build", "-o", built.path, "../..")
		build.Env = startEnv // the tests' own HOME would hide the module and build caches
		if out, err := build.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("build certwiz: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// endless is standard input that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

// Issue 12, item 6: --batch is a regular file of at most 16 MB: a FIFO,
// a device, a folder or a bigger file is refused at once, naming it, and
// nothing is sent; standard input beyond the limit is refused, never cut.
func TestBatchRefusesSpecialFilesAtOnce(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "rows.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.csv")
	f, _ := os.Create(big)
	f.Truncate(limitBatch + 1) // sparse: 16 MB and a byte, nothing written
	f.Close()
	folder := filepath.Join(dir, "folder.csv")
	os.Mkdir(folder, 0o700)
	for path, want := range map[string]string{
		fifo:        fifo + " is not a regular file",
		"/dev/zero": "/dev/zero is not a regular file",
		folder:      folder + " is a folder",
		big:         big + " is 16 MB, more than this input can be (16 MB)",
	} {
		// Refused by what the file is, before a byte is read: the message
		// says so (a timing bound would only measure the machine).
		r := e.run(t, "", "--input", exampleFile(t), "--batch", path)
		if r.code != api.ExitInput || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "read batch "+path) {
			t.Errorf("%s: exit %d, stderr %q, want %q", path, r.code, r.stderr, want)
		}
	}
	// Standard input that never ends is refused at the limit.
	var out, errb strings.Builder
	g := &Globals{IO: IO{In: endless{}, Out: &out, Err: &errb}, Endpoint: e.url, Timeout: 10 * time.Second, Language: api.English, Version: "test"}
	err := runSubmit(context.Background(), &SubmitOptions{Globals: g, Input: exampleFile(t), Batch: "-", Rate: api.DefaultRate})
	if code := ExitCode(err, &errb); code != api.ExitInput || !strings.Contains(errb.String(), "standard input holds more than 16 MB") {
		t.Errorf("endless stdin: exit %d %q", code, errb.String())
	}
	if e.calls.Load() != 0 {
		t.Fatalf("%d requests sent", e.calls.Load())
	}
}

// The real program, given /dev/zero as a batch: exit 2, refused for what
// the file is, before reading (today it read gigabytes). The deadline only
// guards against a hang.
func TestBinaryBatchFromDevZeroExits2AtOnce(t *testing.T) {
	bin := certwizBinary(t)
	newEnv(t) // demo key and an empty home in the environment
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "submit", "--batch", "/dev/zero", "--set", "CertificateId=abcb1234", "--endpoint", "http://127.0.0.1:9")
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	var ee *exec.ExitError
	if ctx.Err() != nil || !errors.As(err, &ee) || ee.ExitCode() != api.ExitInput {
		t.Fatalf("after %s: %v (context %v)\n%s", took, err, ctx.Err(), errb.String())
	}
	if !strings.Contains(errb.String(), "/dev/zero is not a regular file") || out.Len() != 0 {
		t.Fatalf("stdout %q stderr %q", out.String(), errb.String())
	}
	t.Logf("exit 2 after %s", took)
}

// Issue 12, item 8: a batch killed (SIGKILL) while its requests wait for
// slow answers leaves an intent and no outcome for each row in flight.
// --resume names those rows, does not send them again and sends the rest
// (exit 1 while they remain); --resend-unknown then sends them.
func TestBinaryKilledMidBatchThenResumeNamesRowsInFlight(t *testing.T) {
	bin := certwizBinary(t)
	e := newEnv(t)
	var slow atomic.Bool
	slow.Store(true)
	var mu sync.Mutex
	received := map[string]int{} // submits the service got after the kill, by CertificateId
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		if slow.Load() {
			// The answer never comes before the client is gone.
			select {
			case <-r.Context().Done():
				return
			case <-time.After(30 * time.Second):
			}
		}
		var p struct{ CertificateId string }
		json.Unmarshal(body, &p)
		if r.Header.Get("X-TC-Action") == sandbox.ActionSubmit {
			mu.Lock()
			received[p.CertificateId]++
			mu.Unlock()
		}
		e.sb.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	const rows = 25
	path := writeBatch(t, rows, nil)
	input := exampleFile(t)

	cmd := exec.Command(bin, "submit", "--input", input, "--batch", path, "--endpoint", srv.URL, "--json")
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until every worker (--rate 10: ten) has a request in flight.
	histPath := filepath.Join(os.Getenv("HOME"), ".local", "state", "certwiz", "history.jsonl")
	deadline := time.Now().Add(10 * time.Second)
	for countLines(histPath, `"outcome":"SENDING"`) < api.DefaultRate && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	slow.Store(false)

	recs := historyOf(t)
	inFlight := profiles.Unresolved(recs)
	if len(inFlight) != api.DefaultRate || len(recs) != api.DefaultRate {
		t.Fatalf("after the kill: %d records, %d in flight\n%s", len(recs), len(inFlight), errb.String())
	}
	var unknownIDs []string
	for _, r := range inFlight {
		if r.Row == 0 || r.Batch != path || r.Endpoint != srv.URL || r.Action != api.ActionSubmit {
			t.Fatalf("intent %+v", r)
		}
		unknownIDs = append(unknownIDs, r.CertificateId)
	}

	r := e.run(t, "", "--input", input, "--batch", path, "--resume", "--json")
	if r.code != api.ExitFailure {
		t.Fatalf("resume: exit %d\n%s", r.code, r.stderr)
	}
	t.Logf("--resume after the kill:\n%s", r.stderr)
	if !strings.Contains(r.stderr, "10 row(s) were in flight when an earlier run stopped") || !strings.Contains(r.stderr, "they are NOT sent again") ||
		!strings.Contains(r.stderr, "--resume --resend-unknown sends them again") || !strings.Contains(r.stderr, "10 in flight earlier with outcome unknown") {
		t.Fatalf("resume does not say what it does with the rows in flight:\n%s", r.stderr)
	}
	for _, rec := range inFlight {
		if want := fmt.Sprintf("row %d %s: its submit was in flight at", rec.Row, rec.CertificateId); !strings.Contains(r.stderr, want) {
			t.Errorf("resume does not name %q:\n%s", want, r.stderr)
		}
	}
	unknownLines := 0
	for _, l := range jsonLines(t, r.stdout) {
		if l["Unknown"] != nil {
			unknownLines++
			if !slices.Contains(unknownIDs, l["CertificateId"].(string)) {
				t.Fatalf("row %v is not one in flight", l)
			}
		} else if l["RequestId"] == nil || l["Error"] != nil {
			t.Fatalf("row %v", l)
		}
	}
	mu.Lock()
	for _, id := range unknownIDs {
		if received[id] != 0 {
			t.Fatalf("%s, in flight, was sent again", id)
		}
	}
	if unknownLines != len(unknownIDs) || len(received) != rows-len(unknownIDs) {
		t.Fatalf("%d unknown lines; the rest: %d sent", unknownLines, len(received))
	}
	mu.Unlock()

	r = e.run(t, "", "--input", input, "--batch", path, "--resume", "--resend-unknown")
	if r.code != 0 || !strings.Contains(r.stderr, "10 row(s) were in flight when an earlier run stopped, outcome unknown; --resend-unknown sends them again") {
		t.Fatalf("--resend-unknown: exit %d\n%s", r.code, r.stderr)
	}
	mu.Lock()
	for _, id := range unknownIDs {
		if received[id] != 1 {
			t.Fatalf("%s sent %d times by --resend-unknown", id, received[id])
		}
	}
	mu.Unlock()
	if r := e.run(t, "", "--input", input, "--batch", path, "--resume"); r.code != 0 || !strings.Contains(r.stderr, fmt.Sprintf("%d skipped", rows)) {
		t.Fatalf("third run: exit %d\n%s", r.code, r.stderr)
	}
}

func countLines(path, substr string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.Contains(sc.Text(), substr) {
			n++
		}
	}
	return n
}

// certwiz keys as a process: --help lists it, keys forget without a
// terminal needs --yes (exit 2, nothing recorded), with it the key is
// forgotten — one KEY-FORGOTTEN line in the history, the file untouched —
// and certwiz keys --json says so.
func TestBinaryKeysForget(t *testing.T) {
	bin := certwizBinary(t)
	newEnv(t) // an empty home in the environment
	run := func(args ...string) (int, string, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode(), out.String(), errb.String()
	}
	if code, out, _ := run("--help"); code != 0 || !strings.Contains(out, "certwiz keys") || !strings.Contains(out, "  keys ") {
		t.Fatalf("--help: exit %d\n%s", code, out)
	}
	dir := t.TempDir()
	key := filepath.Join(dir, "old.key")
	if code, _, errs := run("csr", "generate", "--certificate-id", "demo0100", "--domain", "www.example.com", "--key-out", key, "--csr-out", filepath.Join(dir, "old.csr")); code != 0 {
		t.Fatalf("csr generate: %d %s", code, errs)
	}
	if code, _, errs := run("keys", "forget", "demo0100", key); code != api.ExitInput || !strings.Contains(errs, "--yes required") {
		t.Fatalf("no terminal: exit %d %s", code, errs)
	}
	if code, out, errs := run("keys", "forget", "demo0100", key, "--yes"); code != 0 || out != "Forgotten: demo0100 "+key+"\n" {
		t.Fatalf("--yes: exit %d %q %s", code, out, errs)
	}
	code, out, _ := run("keys", "demo0100", "--json")
	var keys []keyJSON
	if err := json.Unmarshal([]byte(out), &keys); code != 0 || err != nil || len(keys) != 1 || keys[0].Path != key || keys[0].Forgotten == nil || keys[0].Reason != profiles.ForgetByUser || !keys[0].OnDisk {
		t.Fatalf("keys --json: exit %d %v\n%s", code, err, out)
	}
	if code, out, _ := run("history"); code != 0 || countLines(filepath.Join(os.Getenv("HOME"), ".local", "state", "certwiz", "history.jsonl"), "KEY-FORGOTTEN") != 1 || !strings.Contains(out, "KEY-FORGOTTEN") {
		t.Fatalf("history: exit %d\n%s", code, out)
	}
}
