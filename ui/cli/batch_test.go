package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// At the sandbox's own limit, pacing keeps every request under it: no
// refusal, every row reported once, wall time near rows/rate.
func TestBatchKeepsTheRateWithoutRefusals(t *testing.T) {
	e := newEnvWith(t, sandbox.Options{Rate: 20}) // refuses any 21st request in a rolling second
	path := writeBatch(t, 60, nil)
	start := time.Now()
	r := e.run(t, "", "--input", exampleFile(t), "--batch", path, "--rate", "20", "--json")
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
	if len(lines) != 60 || len(rows) != 60 || e.sb.RateRefusals() != 0 || len(e.sb.Submissions()) != 60 {
		t.Fatalf("%d lines, %d rows, %d refusals, %d accepted", len(lines), len(rows), e.sb.RateRefusals(), len(e.sb.Submissions()))
	}
	sent := e.sb.Submissions()[0].Params
	if sent["OrganizationName"] != "Example Technology Co., Ltd." || len(sent["DomainList"].([]any)) != 2 {
		t.Fatalf("a row did not layer over the template: %v", sent)
	}
	t.Logf("60 rows at 20/s: %s (floor 3 s)", wall)
}

// Interrupted, then rerun with --resume: every row is sent exactly once.
func TestBatchInterruptThenResumeSendsEachRowOnce(t *testing.T) {
	e := newEnv(t)
	path := writeBatch(t, 40, nil)
	var out, errb strings.Builder
	g := &Globals{IO: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Endpoint: e.url, Timeout: 10 * time.Second, Language: api.English, Version: "test"}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(700*time.Millisecond, cancel)
	err := runSubmit(ctx, &SubmitOptions{Globals: g, Input: exampleFile(t), Batch: path, Rate: 20, JSON: true})
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
