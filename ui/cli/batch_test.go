package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
)

// writeBatch writes n rows for demo certificates over the example template.
func writeBatch(t *testing.T, n int, extra func(i int) string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("\ufeffCertificateId,CertificateDomain,DomainList,AdminEmail\n")
	for i := 1; i <= n; i++ {
		email := "admin@example.com"
		if extra != nil {
			email = extra(i)
		}
		fmt.Fprintf(&b, "demo%04d,s%d.example.com,a%d.example.com;b%d.example.com,%s\n", 1000+i, i, i, i, email)
	}
	path := filepath.Join(t.TempDir(), "batch.csv")
	os.WriteFile(path, []byte(b.String()), 0o600)
	return path
}

func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		out = append(out, m)
	}
	return out
}

func TestBatchInvalidRowStopsEverything(t *testing.T) {
	e := newEnv(t)
	path := writeBatch(t, 5, func(i int) string {
		if i == 3 {
			return "not-an-email"
		}
		return "admin@example.com"
	})
	r := e.run(t, "", "--input", exampleFile(t), "--batch", path)
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "row 3 (line 4): AdminEmail") || !strings.Contains(r.stderr, "nothing was sent") {
		t.Fatalf("exit %d %q", r.code, r.stderr)
	}
	if e.calls.Load() != 0 {
		t.Fatal("rows were sent")
	}
	r = e.run(t, "", "--input", exampleFile(t), "--batch", path, "--skip-invalid", "--json")
	lines := jsonLines(t, r.stdout)
	if r.code != api.ExitInput || len(lines) != 5 || len(e.sb.Submissions()) != 4 {
		t.Fatalf("--skip-invalid: exit %d, %d lines, %d sent", r.code, len(lines), len(e.sb.Submissions()))
	}
}

func TestBatchCSVErrorsAreNamed(t *testing.T) {
	e := newEnv(t)
	path := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(path, []byte("CertificateId,OrganisationName\ndemo0001,Acme\n"), 0o600)
	r := e.run(t, "", "--input", exampleFile(t), "--batch", path)
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "column 2") || !strings.Contains(r.stderr, "did you mean OrganizationName?") {
		t.Fatalf("exit %d %q", r.code, r.stderr)
	}
	os.WriteFile(path, []byte("CertificateId\ndemo0001\ndemo0001\n"), 0o600)
	r = e.run(t, "", "--input", exampleFile(t), "--batch", path)
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "demo0001 is also in row 1") {
		t.Fatalf("duplicate: exit %d %q", r.code, r.stderr)
	}
}

// The default --rate paces a batch: every submit leaves through the pacer
// and every row succeeds, a refusal the sandbox still makes being retried.
// The pacer's slots are proven on a clock of the test's own (pacer_test);
// here requests are judged where they leave, at the transport, over a
// rolling 700 ms: a goroutine the loaded machine wakes late can bunch
// departures that its slots kept apart, but no run without the pacer
// (30 at once) or at twice the rate (14) stays within 10. The rolling
// second, the refusals and the wall time are logged (scripts/bench
// measures them on a quiet machine).
func TestBatchKeepsTheRate(t *testing.T) {
	e := newEnvWith(t, sandbox.Options{}) // refuses any 11th request of an action in a rolling second
	departures := &departureLog{next: http.DefaultTransport}
	e.transport = departures
	path := writeBatch(t, 30, nil)
	start := time.Now()
	r := e.run(t, "", "--input", exampleFile(t), "--batch", path, "--json") // the default --rate, 10
	wall := time.Since(start)
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	lines := jsonLines(t, r.stdout)
	rows := map[float64]bool{}
	for _, l := range lines {
		if l["RequestId"] == "" || l["Error"] != nil {
			t.Fatalf("row failed: %v", l)
		}
		rows[l["Row"].(float64)] = true
	}
	if len(lines) != 30 || len(rows) != 30 || len(e.sb.Submissions()) != 30 {
		t.Fatalf("%d lines, %d rows, %d accepted", len(lines), len(rows), len(e.sb.Submissions()))
	}
	sent := e.sb.Submissions()[0].Params
	if sent["OrganizationName"] != "Example Technology Co., Ltd." || len(sent["DomainList"].([]any)) != 2 {
		t.Fatalf("a row did not layer over the template: %v", sent)
	}
	if most := mostWithin(700*time.Millisecond, departures.times()); most > api.DefaultRate {
		t.Fatalf("%d requests left within 700 ms", most)
	}
	t.Logf("30 rows at 10/s: %s (floor 3 s); most departures in a second %d, arrivals %d; %d refused on arrival and retried",
		wall, mostInASecond(departures.times()), mostInASecond(e.sb.Calls(sandbox.ActionSubmit)), e.sb.RateRefusals())
}

// departureLog records when each request is handed to the transport.
type departureLog struct {
	mu   sync.Mutex
	at   []time.Time
	next http.RoundTripper
}

func (d *departureLog) RoundTrip(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	d.at = append(d.at, time.Now())
	d.mu.Unlock()
	return d.next.RoundTrip(r)
}

func (d *departureLog) times() []time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.at)
}

// Interrupted, then rerun with --resume: every row is sent exactly once.
func TestBatchInterruptThenResumeSendsEachRowOnce(t *testing.T) {
	e := newEnv(t)
	path := writeBatch(t, 40, nil)
	var out, errb strings.Builder
	g := &Globals{IO: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Endpoint: e.url, Timeout: 10 * time.Second, Language: api.English, Version: "test"}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(700*time.Millisecond, cancel)
	err := runSubmit(ctx, &SubmitOptions{Globals: g, Input: exampleFile(t), Batch: path, Rate: api.DefaultRate, JSON: true})
	if ExitCode(err, &errb) != api.ExitInterrupted || !strings.Contains(errb.String(), "--resume") {
		t.Fatalf("first run: %v %s", err, errb.String())
	}
	first := len(e.sb.Submissions())
	if first == 0 || first >= 40 {
		t.Fatalf("%d rows sent before the interrupt", first)
	}
	r := e.run(t, "", "--input", exampleFile(t), "--batch", path, "--resume", "--json")
	if r.code != 0 {
		t.Fatalf("resume: %d %s", r.code, r.stderr)
	}
	count := map[string]int{}
	for _, s := range e.sb.Submissions() {
		count[s.Params["CertificateId"].(string)]++
	}
	if len(count) != 40 {
		t.Fatalf("%d distinct rows sent, want 40", len(count))
	}
	for id, n := range count {
		if n != 1 {
			t.Fatalf("%s sent %d times", id, n)
		}
	}
	if !strings.Contains(r.stderr, fmt.Sprintf("%d skipped", first)) {
		t.Fatalf("resume summary: %s", r.stderr)
	}
}

// 100 rows with --commit at the default rate: 200 calls, one pacer for
// both actions, no action refused or arriving more than 10 times in any
// rolling second, every row submitted and committed once.
func TestBatchCommitAtTheDefaultRate(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 21 s")
	}
	e := newEnvWith(t, sandbox.Options{}) // 10 per action per second, as the service
	const n = 100
	path := writeBatch(t, n, nil)
	start := time.Now()
	r := e.run(t, "", "--input", exampleFile(t), "--set", "VerifyType=DNS", "--batch", path, "--commit", "--json")
	wall := time.Since(start)
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	lines := jsonLines(t, r.stdout)
	if len(lines) != n {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		c, _ := l["Commit"].(map[string]any)
		id, _ := l["CertificateId"].(string)
		st, _ := e.sb.Certificate(id)
		if l["Error"] != nil || c == nil || c["OrderId"] == nil || c["OrderId"] != st.OrderId || st.Status != 0 || st.StatusMsg != "PENDING-DCV" {
			t.Fatalf("row %v, sandbox %+v", l, st)
		}
	}
	submits, commits := e.sb.Calls(sandbox.ActionSubmit), e.sb.Calls(sandbox.ActionCommit)
	if len(submits) != n || len(commits) != n || len(e.sb.Submissions()) != n || e.sb.RateRefusals() != 0 {
		t.Fatalf("%d submits, %d commits, %d accepted, %d refusals", len(submits), len(commits), len(e.sb.Submissions()), e.sb.RateRefusals())
	}
	// The service counts each action's arrivals; one pacer for both keeps
	// each well under its limit, however the machine delays a request.
	// (Combined arrivals and the wall time against the 20 s floor are
	// figures, not verdicts: scripts/bench measures them.)
	for _, calls := range [][]time.Time{submits, commits} {
		if most := mostInASecond(calls); most > api.DefaultRate {
			t.Fatalf("%d calls of one action arrived within one second", most)
		}
	}
	most, floor := mostInASecond(submits, commits), 2*n/api.DefaultRate
	if !strings.Contains(r.stderr, "sent to the CA: 100 committed, 0 commit failed, 0 submitted but not committed") {
		t.Fatalf("summary: %s", r.stderr)
	}
	var summary strings.Builder
	summarize(&summary, e.sb) // what `certwiz sandbox` says when it stops
	if !strings.Contains(summary.String(), "sandbox served 200 requests: SubmitCertificateInformation 100, CommitCertificateInformation 100; at most ") {
		t.Fatalf("summary %q", summary.String())
	}
	t.Logf("%d rows with --commit: %d calls, at most %d in a second, %s wall (floor %d s)", n, len(submits)+len(commits), most, wall, floor)
}

// Rows submitted earlier (a batch without --commit, an interrupted one)
// are only committed by --resume --commit; rows both submitted and
// committed are skipped: each certificate is submitted once and committed
// once in all.
func TestBatchCommitResumeCommitsOnlyWhatWasNot(t *testing.T) {
	e := newEnv(t)
	all := writeBatch(t, 24, nil)
	first := filepath.Join(t.TempDir(), "first.csv")
	data, _ := os.ReadFile(all)
	head := strings.SplitAfterN(string(data), "\n", 8) // the header and 6 rows
	os.WriteFile(first, []byte(strings.Join(head[:7], "")), 0o600)
	if r := e.run(t, "", "--input", exampleFile(t), "--batch", first, "--json"); r.code != 0 {
		t.Fatalf("submit only: %d %s", r.code, r.stderr)
	}

	var out, errb strings.Builder
	g := &Globals{IO: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Endpoint: e.url, Timeout: 10 * time.Second, Language: api.English, Version: "test"}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(1200*time.Millisecond, cancel)
	err := runSubmit(ctx, &SubmitOptions{Globals: g, Input: exampleFile(t), Batch: all, Rate: api.DefaultRate, JSON: true, Commit: true, Resume: true})
	if ExitCode(err, &errb) != api.ExitInterrupted || !strings.Contains(errb.String(), "--resume --commit") {
		t.Fatalf("interrupted run: %v %s", err, errb.String())
	}
	for _, l := range jsonLines(t, out.String()) {
		if l["Row"].(float64) <= 6 && l["SubmitSkipped"] == nil {
			t.Fatalf("row submitted before was submitted again: %v", l)
		}
	}
	committed := len(e.sb.Calls(sandbox.ActionCommit))
	if committed == 0 || committed >= 24 {
		t.Fatalf("%d commits before the interrupt", committed)
	}
	var wantSkipped, wantCommitOnly int // what --resume must make of each row
	for i := 1; i <= 24; i++ {
		id := fmt.Sprintf("demo%04d", 1000+i)
		st, _ := e.sb.Certificate(id)
		switch {
		case st.Status == 0:
			wantSkipped++
		case st.SubmittedData != nil:
			wantCommitOnly++
		}
	}
	if wantCommitOnly == 0 {
		t.Fatal("no row was left submitted but not committed")
	}

	r := e.run(t, "", "--input", exampleFile(t), "--batch", all, "--commit", "--resume", "--json")
	if r.code != 0 {
		t.Fatalf("resume: %d %s", r.code, r.stderr)
	}
	count := map[string]int{}
	for _, s := range e.sb.Submissions() {
		count[s.Params["CertificateId"].(string)]++
	}
	for i := 1; i <= 24; i++ {
		id := fmt.Sprintf("demo%04d", 1000+i)
		st, _ := e.sb.Certificate(id)
		if count[id] != 1 || st.Status != 0 || st.OrderId == "" {
			t.Fatalf("%s submitted %d times, state %+v", id, count[id], st)
		}
	}
	if n := len(e.sb.Calls(sandbox.ActionCommit)); n != 24 {
		t.Fatalf("%d commits in all, want 24", n)
	}
	var skipped, commitOnly int
	for _, l := range jsonLines(t, r.stdout) {
		switch {
		case l["Skipped"] != nil:
			skipped++
		case l["SubmitSkipped"] != nil:
			commitOnly++
			if l["Commit"].(map[string]any)["OrderId"] == nil {
				t.Fatalf("commit-only row not committed: %v", l)
			}
		}
	}
	if skipped != wantSkipped || commitOnly != wantCommitOnly {
		t.Fatalf("resume skipped %d and committed only %d; want %d and %d", skipped, commitOnly, wantSkipped, wantCommitOnly)
	}
	// Everything done: a third run sends nothing.
	before := e.calls.Load()
	if r := e.run(t, "", "--input", exampleFile(t), "--batch", all, "--commit", "--resume"); r.code != 0 || e.calls.Load() != before || !strings.Contains(r.stderr, "24 skipped") {
		t.Fatalf("third run: exit %d, %d calls, %s", r.code, e.calls.Load()-before, r.stderr)
	}
}
