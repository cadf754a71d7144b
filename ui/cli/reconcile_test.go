package cli

import (
	"errors"
	"net/http"
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
