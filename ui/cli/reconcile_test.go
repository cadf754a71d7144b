package cli

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
)

// refuse carries every request but those of its action, which never
// leave: their answer is lost on the way out.
type refuse string

func (a refuse) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("X-TC-Action") == string(a) {
		return nil, errors.New("refused by the test")
	}
	return http.DefaultTransport.RoundTrip(r)
}

// A commit whose answer was lost after it went through is confirmed by
// reading the certificate: exit 0, said so, recorded as OK.
func TestCommitLostAnswerIsConfirmed(t *testing.T) {
	e := newEnv(t)
	e.submitted(t, "testCommitLost")
	r := e.commit(t, how{}, "testCommitLost", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "confirmed after the answer was lost") || strings.Contains(r.stderr, "failed") || strings.Contains(r.stdout+r.stderr, "commit testCommitLost") {
		t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	if got := outcomes(historyOf(t), "testCommitLost"); !slices.Equal(got, []string{"OK", "COMMIT:OK"}) {
		t.Fatalf("history %v", got)
	}
	st, _ := e.sb.Certificate("testCommitLost")
	e2 := newEnv(t)
	e2.submitted(t, "testCommitLost")
	r = e2.commit(t, how{}, "testCommitLost", "--yes", "--json")
	m := decodeOne(t, r.stdout)
	if r.code != 0 || m["AnswerLost"] != true || m["OrderId"] == "" || m["Status"] != float64(st.Status) {
		t.Fatalf("json: exit %d %v", r.code, m)
	}
}

// A commit that did not happen says so and gives the command; one whose
// certificate cannot be read is unknown: the status command, no re-commit,
// and the intent stays open in the history.
func TestCommitLostAnswerNotHappenedOrUnknown(t *testing.T) {
	e := newEnv(t)
	e.submitted(t, "testCommitHTTP500")
	r := e.commit(t, how{}, "testCommitHTTP500", "--yes")
	if r.code != api.ExitTransport || !strings.Contains(r.stderr, "the commit did not happen") || !strings.Contains(r.stderr, "commit testCommitHTTP500") {
		t.Fatalf("not happened: exit %d %s", r.code, r.stderr)
	}
	e.submitted(t, "testCommitLost")
	e.transport = refuse(sandbox.ActionDetail)
	r = e.commit(t, how{}, "testCommitLost", "--yes")
	if r.code != api.ExitTransport || !strings.Contains(r.stderr, "unknown — check with `certwiz --endpoint "+e.url+" status testCommitLost`") || strings.Contains(r.stderr, "commit testCommitLost") {
		t.Fatalf("unknown: exit %d %s", r.code, r.stderr)
	}
	recs := historyOf(t)
	if got := outcomes(recs, "testCommitLost"); !slices.Equal(got, []string{"OK", "COMMIT:SENDING"}) {
		t.Fatalf("history %v", got)
	}
}

// submit --commit: both answers lost, both confirmed; the first line no
// longer says the commit failed.
func TestSubmitCommitLostAnswersAreConfirmed(t *testing.T) {
	e := newEnv(t)
	r := e.run(t, "", "--input", exampleFile(t), "--set", "CertificateId=testCommitLost", "--commit")
	if r.code != 0 || strings.Contains(r.stderr, "failed") || !strings.Contains(r.stdout, "Sent to the CA: certificate testCommitLost\n(confirmed after the answer was lost") {
		t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	r = e.run(t, "", "--input", exampleFile(t), "--set", "CertificateId=testSubmitLost", "--json")
	if m := decodeOne(t, r.stdout); r.code != 0 || m["AnswerLost"] != true || m["CertificateId"] != "testSubmitLost" {
		t.Fatalf("submit: exit %d %v %s", r.code, m, r.stderr)
	}
	if got := outcomes(historyOf(t), "testSubmitLost"); !slices.Equal(got, []string{"OK"}) {
		t.Fatalf("history %v", got)
	}
	// A submission that never arrived: what is stored differs from what
	// was sent.
	e.transport = refuse(sandbox.ActionSubmit)
	r = e.run(t, "", "--input", exampleFile(t), "--set", "CertificateId=testSubmitLost", "--set", "OrganizationCity=Elsewhere")
	if r.code == 0 || !strings.Contains(r.stderr, "not stored as sent") {
		t.Fatalf("changed: exit %d %s", r.code, r.stderr)
	}
}

// writeRows writes a batch of these certificate IDs, one a row.
func writeRows(t *testing.T, ids ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rows.csv")
	if err := os.WriteFile(path, []byte("CertificateId\n"+strings.Join(ids, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// rowsByID are a batch's JSON lines by CertificateId.
func rowsByID(t *testing.T, stdout string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, l := range jsonLines(t, stdout) {
		id, _ := l["CertificateId"].(string)
		out[id] = l
	}
	return out
}

// A batch reconciles a lost answer as commit and submit do, through the
// same api.Client.CommitFate/SubmitFate: a commit that went through is
// committed, one that did not happen is said so and --resume --commit
// commits it again, a submit that went through is submitted; each row
// says which happened, and no commit is sent twice.
func TestBatchLostAnswersAreReconciled(t *testing.T) {
	e := newEnv(t)
	path := writeRows(t, "testCommitLost", "testCommitHTTP500", "testSubmitLost", "demo0301")
	r := e.run(t, "", "--input", exampleFile(t), "--set", "VerifyType=DNS", "--batch", path, "--commit", "--json")
	if r.code != api.ExitTransport {
		t.Fatalf("exit %d, want %d (the commit that did not happen)\n%s\n%s", r.code, api.ExitTransport, r.stdout, r.stderr)
	}
	rows := rowsByID(t, r.stdout)
	if len(rows) != 4 {
		t.Fatalf("%d rows: %s", len(rows), r.stdout)
	}
	c, _ := rows["testCommitLost"]["Commit"].(map[string]any)
	st, _ := e.sb.Certificate("testCommitLost")
	if c == nil || c["AnswerLost"] != true || c["Reconciled"] != "confirmed" || c["Error"] != nil || c["OrderId"] != st.OrderId || st.OrderId == "" {
		t.Fatalf("testCommitLost: %v (sandbox %+v)", rows["testCommitLost"], st)
	}
	c, _ = rows["testCommitHTTP500"]["Commit"].(map[string]any)
	er, _ := c["Error"].(map[string]any)
	if c["AnswerLost"] != true || c["Reconciled"] != "did-not-happen" || er == nil ||
		!strings.Contains(er["Hint"].(string), "shows the commit did not happen") || !strings.Contains(er["Hint"].(string), "--resume --commit") {
		t.Fatalf("testCommitHTTP500: %v", rows["testCommitHTTP500"])
	}
	s := rows["testSubmitLost"]
	if c, _ := s["Commit"].(map[string]any); s["AnswerLost"] != true || s["Reconciled"] != "confirmed" || s["Error"] != nil || c == nil || c["Error"] != nil || c["AnswerLost"] != nil {
		t.Fatalf("testSubmitLost: %v", s)
	}
	if d := rows["demo0301"]; d["AnswerLost"] != nil || d["Commit"].(map[string]any)["AnswerLost"] != nil {
		t.Fatalf("demo0301: %v", d)
	}
	if n := len(e.sb.Calls(sandbox.ActionCommit)); n != 4 {
		t.Fatalf("%d commit requests, want 4 (one a row)", n)
	}
	recs := historyOf(t)
	for id, want := range map[string][]string{
		"testCommitLost":    {"OK", "COMMIT:OK"},
		"testSubmitLost":    {"OK", "COMMIT:OK"},
		"testCommitHTTP500": {"OK", "COMMIT:" + api.CodeHTTPStatus},
	} {
		if got := outcomes(recs, id); !slices.Equal(got, want) {
			t.Errorf("history of %s: %v, want %v", id, got, want)
		}
	}
	// testSubmitLost's submit and testCommitLost's commit were confirmed;
	// testCommitHTTP500's HTTP 500 is no answer either.
	if !strings.Contains(r.stderr, "3 answer(s) lost, each reconciled by reading the certificate: 2 confirmed (it happened), 1 did not happen (--resume sends them again), 0 unknown") {
		t.Fatalf("summary: %s", r.stderr)
	}
	// --resume --commit commits again only the commit that did not happen.
	r = e.run(t, "", "--input", exampleFile(t), "--set", "VerifyType=DNS", "--batch", path, "--commit", "--resume")
	if n := len(e.sb.Calls(sandbox.ActionCommit)); r.code != api.ExitTransport || n != 5 ||
		!strings.Contains(r.stderr, "row 2 testCommitHTTP500: already submitted (--resume): committing only; commit "+api.CodeHTTPStatus) {
		t.Fatalf("--resume: exit %d, %d commit requests\n%s", r.code, n, r.stderr)
	}
}

// Without --json each row's line says which happened.
func TestBatchLostAnswerLines(t *testing.T) {
	e := newEnv(t)
	path := writeRows(t, "testCommitLost", "testSubmitLost")
	r := e.run(t, "", "--input", exampleFile(t), "--set", "VerifyType=DNS", "--batch", path, "--commit")
	if r.code != 0 ||
		!strings.Contains(r.stderr, "row 1 testCommitLost: OK ") ||
		!strings.Contains(r.stderr, "(confirmed after the answer was lost: the certificate, read again, is with the CA)") ||
		!strings.Contains(r.stderr, "row 2 testSubmitLost: OK ") ||
		!strings.Contains(r.stderr, "(confirmed after the answer was lost: the certificate, read again, holds the information as sent)") ||
		!strings.Contains(r.stderr, "2 answer(s) lost, each reconciled by reading the certificate: 2 confirmed (it happened), 0 did not happen") ||
		strings.Contains(r.stderr, "failed:") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
}

// A row whose certificate cannot be read after its commit's answer was
// lost is unknown: said with the status command, its intent left open
// in the history, and --resume does not commit it again.
func TestBatchLostAnswerUnknown(t *testing.T) {
	e := newEnv(t)
	path := writeRows(t, "testCommitLost")
	e.transport = refuse(sandbox.ActionDetail)
	r := e.run(t, "", "--input", exampleFile(t), "--set", "VerifyType=DNS", "--batch", path, "--commit", "--json")
	row := rowsByID(t, r.stdout)["testCommitLost"]
	c, _ := row["Commit"].(map[string]any)
	er, _ := c["Error"].(map[string]any)
	if r.code != api.ExitTransport || c["Reconciled"] != "unknown" || er == nil ||
		!strings.Contains(er["Hint"].(string), "unknown — check with `certwiz --endpoint "+e.url+" status testCommitLost`") || strings.Contains(er["Hint"].(string), "--resume --commit") {
		t.Fatalf("exit %d %v", r.code, row)
	}
	if got := outcomes(historyOf(t), "testCommitLost"); !slices.Equal(got, []string{"OK", "COMMIT:SENDING"}) {
		t.Fatalf("history %v", got)
	}
	e.transport = nil
	r = e.run(t, "", "--input", exampleFile(t), "--set", "VerifyType=DNS", "--batch", path, "--commit", "--resume")
	if n := len(e.sb.Calls(sandbox.ActionCommit)); n != 1 || r.code != api.ExitFailure || !strings.Contains(r.stderr, "not sent again") {
		t.Fatalf("--resume: exit %d, %d commit requests\n%s", r.code, n, r.stderr)
	}
}
