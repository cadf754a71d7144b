package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
)

// Issue 12, item 4: text from outside reaches a terminal only through
// ui/safe. These tests read the bytes a user's terminal would receive.

const (
	// A Message that renames the terminal window and clears the screen.
	titleAndClear = "\x1b]0;pwned\x07\x1b[2J"
	// A Message that forges the lines of a success.
	forgedSuccess = "denied\r\nSubmitted certificate abcb1234\r\nRequestId: forged"
)

// inert fails the test when out holds anything a terminal would act on
// (ESC, BEL, CR, C1, bidi overrides) or a line forged by a server.
func inert(t *testing.T, what, out string) {
	t.Helper()
	for _, c := range []string{"\x1b", "\x07", "\r", "\u009b", "\u202e"} {
		if strings.Contains(out, c) {
			t.Errorf("%s holds %q raw:\n%q", what, c, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "Submitted certificate abcb1234 forged") || strings.HasPrefix(l, "RequestId: forged") {
			t.Errorf("%s has a forged line %q:\n%s", what, line, out)
		}
	}
}

// hostile is an endpoint on loopback answering every request with status
// and body; the credential chain holds the demo key as in newEnv.
func hostile(t *testing.T, status int, body string) env {
	t.Helper()
	return hostileBy(t, status, func(string) string { return body })
}

// hostileBy is hostile answering each action with the body it gives.
func hostileBy(t *testing.T, status int, body func(action string) string) env {
	t.Helper()
	newEnv(t)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body(r.Header.Get("X-TC-Action"))))
	}))
	t.Cleanup(srv.Close)
	return env{url: srv.URL, calls: &calls}
}

// errorAnswer is the API's error answer with code, message and RequestId.
func errorAnswer(code, msg, reqID string) string {
	b, _ := json.Marshal(map[string]any{"Response": map[string]any{"Error": map[string]string{"Code": code, "Message": msg}, "RequestId": reqID}})
	return string(b)
}

func TestHostileErrorAnswersAreShownEscaped(t *testing.T) {
	for name, body := range map[string]string{
		"title and clear in Message": errorAnswer("FailedOperation.CertificateInvalid", titleAndClear, "req-1"),
		"forged lines in Message":    errorAnswer("FailedOperation.CertificateInvalid", forgedSuccess, "req-2"),
		"escapes in Code":            errorAnswer("FailedOperation.\x1b[2JX\r\nSubmitted certificate abcb1234 forged", "m", "req-3"),
		"escapes in RequestId":       errorAnswer("FailedOperation.CertificateInvalid", "m", "r\x1b]0;pwned\x07\r\nSubmitted certificate abcb1234 forged"),
		"server-sent ClientError":    errorAnswer("ClientError.\x1b[2J\u202eX", "m", "req-4"),
	} {
		t.Run(name, func(t *testing.T) {
			e := hostile(t, 200, body)
			r := e.run(t, "", "--input", exampleFile(t))
			if r.code != api.ExitRejected && r.code != api.ExitTransport {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			inert(t, "submit", r.stdout+r.stderr)
			if !strings.Contains(r.stderr, `\x1b`) && !strings.Contains(r.stderr, `\u202e`) && !strings.Contains(r.stderr, `\x0d\x0a`) {
				t.Fatalf("the escape is not shown escaped:\n%s", r.stderr)
			}
			// The batch's progress lines and summary, and the commit.
			r = e.run(t, "", "--input", exampleFile(t), "--batch", writeBatch(t, 2, nil))
			inert(t, "batch", r.stdout+r.stderr)
			r = e.commit(t, how{}, "abcb1234", "--yes")
			inert(t, "commit", r.stdout+r.stderr)
			// --json stays exact JSON: the message as sent, escaped by JSON.
			r = e.run(t, "", "--input", exampleFile(t), "--json")
			inert(t, "submit --json", r.stdout+r.stderr)
			var obj struct {
				Error struct{ Code, Message string }
			}
			var sent struct {
				Response struct {
					Error struct{ Code, Message string }
				}
			}
			json.Unmarshal([]byte(body), &sent)
			if err := json.Unmarshal([]byte(r.stdout), &obj); err != nil || obj.Error.Message != sent.Response.Error.Message || obj.Error.Code != sent.Response.Error.Code {
				t.Fatalf("--json changed the server's words: %q", r.stdout)
			}
		})
	}
}

// The byte-exact lines a user sees for the window-title answer.
func TestHostileMessageBytes(t *testing.T) {
	e := hostile(t, 200, errorAnswer("FailedOperation.CertificateInvalid", titleAndClear, "req-1"))
	r := e.run(t, "", "--input", exampleFile(t))
	if want := "  Server message: \\x1b]0;pwned\\x07\\x1b[2J\n"; !strings.Contains(r.stderr, want) || r.stdout != "" {
		t.Fatalf("stderr %q, want it to hold %q; stdout %q", r.stderr, want, r.stdout)
	}
	e = hostile(t, 200, errorAnswer("FailedOperation.CertificateInvalid", forgedSuccess, "req-2"))
	r = e.run(t, "", "--input", exampleFile(t))
	if want := "  Server message: denied\\x0d\\x0aSubmitted certificate abcb1234\\x0d\\x0aRequestId: forged\n"; !strings.Contains(r.stderr, want) {
		t.Fatalf("stderr %q, want it to hold %q", r.stderr, want)
	}
}

func TestHostileHTTPBodyAndSuccessFieldsAreShownEscaped(t *testing.T) {
	e := hostile(t, 502, "<html>\x1b]0;pwned\x07\r\nSubmitted certificate abcb1234\r\nforged</html>")
	r := e.run(t, "", "--input", exampleFile(t))
	if r.code != api.ExitTransport {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	inert(t, "HTTP 502", r.stdout+r.stderr)
	// An accepted answer whose RequestId carries escapes.
	e = hostile(t, 200, `{"Response":{"CertificateId":"abcb1234","RequestId":"\u001b]0;pwned\u0007\r\nSubmitted certificate abcb1234 forged"}}`)
	r = e.run(t, "", "--input", exampleFile(t))
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	inert(t, "success", r.stdout+r.stderr)
	if !strings.Contains(r.stdout, `RequestId: \x1b]0;pwned\x07\x0d\x0aSubmitted certificate abcb1234 forged`) {
		t.Fatalf("stdout %q", r.stdout)
	}
	// The same RequestId, read back from the history.
	h := e.cmdRun(t, "", "history")
	inert(t, "history", h.stdout+h.stderr)
}

// A history.jsonl anything may have written is shown escaped.
func TestHistoryWithEscapesIsShownEscaped(t *testing.T) {
	e := newEnv(t)
	state := filepath.Join(os.Getenv("HOME"), ".local", "state", "certwiz")
	os.MkdirAll(state, 0o700)
	lines := []map[string]any{
		{"time": "2026-01-02T03:04:05Z", "profile": "p\x1b[2J", "certificateId": "abcb1234\x1b]0;pwned\x07", "requestId": "r\r\nSubmitted certificate abcb1234 forged", "outcome": "OK\u202e", "endpoint": "https://x\x9b31m"},
		{"time": "2026-01-02T03:04:06Z", "certificateId": "demo1001\x1b[2J", "outcome": "SENDING", "endpoint": "https://x", "attempt": "a1", "row": 3},
	}
	var b strings.Builder
	for _, l := range lines {
		data, _ := json.Marshal(l)
		b.Write(data)
		b.WriteByte('\n')
	}
	os.WriteFile(filepath.Join(state, "history.jsonl"), []byte(b.String()), 0o600)
	r := e.cmdRun(t, "", "history")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	inert(t, "history", r.stdout+r.stderr)
	for _, want := range []string{`abcb1234\x1b]0;pwned\x07`, `r\x0d\x0aSubmitted certificate abcb1234 forged`, `OK\u202e`, `demo1001\x1b[2J`, "UNKNOWN"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("history lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "UNKNOWN: the request left") {
		t.Errorf("UNKNOWN is not explained: %s", r.stderr)
	}
	// --json is the records as stored: exact strings, escaped by JSON.
	r = e.cmdRun(t, "", "history", "--json")
	var recs []struct{ CertificateId, Outcome string }
	if err := json.Unmarshal([]byte(r.stdout), &recs); err != nil || len(recs) != 2 || recs[0].CertificateId != "abcb1234\x1b]0;pwned\x07" || recs[1].Outcome != "SENDING" {
		t.Fatalf("history --json %q", r.stdout)
	}
	inert(t, "history --json", r.stdout)
}

// A CSR whose subject, SANs and extra attributes carry escapes.
func TestCSRInspectShowsHostileSubjectEscaped(t *testing.T) {
	e := newEnv(t)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.CertificateRequest{
		Subject: pkix.Name{
			CommonName:   "www.example.com",
			Organization: []string{"Evil\x1b]0;pwned\x07\r\nSubmitted certificate abcb1234 forged"},
			Locality:     []string{"Shen\u202ezhen"},
			ExtraNames:   []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{2, 5, 4, 5}, Value: "serial\x1b[2J"}},
		},
		DNSNames:       []string{"www.example.com", "a\x1b[2J.example.com"},
		EmailAddresses: []string{"x\r\nSubmitted certificate abcb1234 forged@example.com"},
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, tpl, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "evil.csr")
	os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), 0o600)
	r := e.csrRun(t, "inspect", path)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	inert(t, "csr inspect", r.stdout+r.stderr)
	for _, want := range []string{`Evil\x1b]0;pwned\x07\x0d\x0aSubmitted certificate`, `Shen\u202ezhen`, `serial\x1b[2J`, `a\x1b[2J.example.com`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("inspect lacks %q:\n%s", want, r.stdout)
		}
	}
	r = e.csrRun(t, "inspect", path, "--json")
	var info struct{ Subject []struct{ Value string } }
	if err := json.Unmarshal([]byte(r.stdout), &info); err != nil || !strings.Contains(r.stdout, `Evil\u001b]0;pwned\u0007\r\n`) {
		t.Fatalf("--json %q", r.stdout)
	}
}

// A profile imported from anywhere is shown, and listed, escaped; the
// errors catalogue echoes an unknown code escaped.
func TestProfilesShowAndErrorsAreShownEscaped(t *testing.T) {
	e := newEnv(t)
	in := filepath.Join(t.TempDir(), "evil.json")
	os.WriteFile(in, []byte(`{"CertificateId":"abcb1234","OrganizationName":"Acme\u001b]0;pwned\u0007\u202e","CertificateDomain":"www.example.com\u001b[2J","AdminEmail":"a\r\nSubmitted certificate abcb1234 forged"}`), 0o600)
	if r := e.cmdRun(t, "", "profiles", "import", in, "--name", "evil"); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	r := e.cmdRun(t, "", "profiles", "show", "evil")
	inert(t, "profiles show", r.stdout+r.stderr)
	if !strings.Contains(r.stdout, "OrganizationName:") || !strings.Contains(r.stdout, `\u202e`) {
		t.Fatalf("show:\n%s", r.stdout)
	}
	r = e.cmdRun(t, "", "profiles", "list")
	inert(t, "profiles list", r.stdout+r.stderr)
	r = e.exec(t, NewErrorsCmd, how{}, "FailedOperation.\x1b]0;pwned\x07\r\nSubmitted certificate abcb1234 forged")
	if r.code != 0 {
		t.Fatalf("errors: %d %s", r.code, r.stderr)
	}
	inert(t, "errors", r.stdout+r.stderr)
	if !strings.Contains(r.stdout, `FailedOperation.\x1b]0;pwned\x07`) {
		t.Fatalf("errors:\n%s", r.stdout)
	}
}

// unwritableHistory makes the history a folder, so every append fails,
// and returns its path.
func unwritableHistory(t *testing.T) string {
	t.Helper()
	state := filepath.Join(t.TempDir(), "state")
	t.Setenv("CERTWIZ_STATE_DIR", state)
	path := filepath.Join(state, "history.jsonl")
	if err := os.MkdirAll(path, 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

// lostRecords are the records stderr lists as not recorded.
func lostRecords(t *testing.T, stderr string) []profiles.Record {
	t.Helper()
	var out []profiles.Record
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "{") {
			var r profiles.Record
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("not a record: %q", line)
			}
			out = append(out, r)
		}
	}
	return out
}

// Issue 12, item 8: an outcome the history cannot take is a failure, said
// loudly: the file is named at once, every lost outcome is listed as the
// line the history should hold, and the exit code is 1 — or the worse code
// the service gave.
func TestUnrecordedOutcomesAreListedAndFail(t *testing.T) {
	e := newEnv(t)
	hist := unwritableHistory(t)
	said := "Error: the history " + hist + " cannot be written"

	r := e.run(t, "", "--input", exampleFile(t))
	lost := lostRecords(t, r.stderr)
	if r.code != api.ExitFailure || !strings.HasPrefix(r.stdout, "Submitted certificate abcb1234\nRequestId: ") || !strings.Contains(r.stderr, said) ||
		!strings.Contains(r.stderr, "1 outcome(s) could not be recorded in "+hist) || len(lost) != 1 ||
		lost[0].CertificateId != "abcb1234" || lost[0].Outcome != "OK" || !strings.Contains(r.stdout, lost[0].RequestId) || lost[0].Attempt == "" {
		t.Fatalf("submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("submit with an unwritable history:\n%s%s", r.stdout, r.stderr)
	if strings.Count(r.stderr, said) != 1 {
		t.Fatalf("said more than once:\n%s", r.stderr)
	}

	// --json: still exactly one object on stdout.
	r = e.run(t, "", "--input", exampleFile(t), "--json")
	if m := decodeOne(t, r.stdout); r.code != api.ExitFailure || m["CertificateId"] != "abcb1234" || len(lostRecords(t, r.stderr)) != 1 {
		t.Fatalf("--json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// The service refused: its code stays, the outcome is still listed.
	r = e.run(t, "", "--input", exampleFile(t), "--set", "CertificateId=issued01")
	if lost := lostRecords(t, r.stderr); r.code != api.ExitRejected || len(lost) != 1 || lost[0].Outcome == "OK" || lost[0].CertificateId != "issued01" {
		t.Fatalf("refused: exit %d\n%s", r.code, r.stderr)
	}

	// submit --commit: both outcomes; commit alone.
	r = e.run(t, "", "--input", exampleFile(t), "--set", "CertificateId=demo0001", "--set", "VerifyType=DNS", "--commit")
	if lost := lostRecords(t, r.stderr); r.code != api.ExitFailure || len(lost) != 2 || lost[1].Outcome != "COMMIT:OK" || !strings.Contains(r.stdout, "Sent to the CA") {
		t.Fatalf("submit --commit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = e.commit(t, how{}, "demo0002", "--yes")
	if r.code != api.ExitRejected || len(lostRecords(t, r.stderr)) != 1 {
		t.Fatalf("commit of a certificate never submitted: exit %d\n%s", r.code, r.stderr)
	}
}

func TestBatchWithUnwritableHistoryListsEveryOutcome(t *testing.T) {
	e := newEnv(t)
	hist := unwritableHistory(t)
	r := e.run(t, "", "--input", exampleFile(t), "--batch", writeBatch(t, 5, nil), "--commit", "--set", "VerifyType=DNS")
	if r.code != api.ExitFailure || strings.Count(r.stderr, "Error: the history "+hist+" cannot be written") != 1 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	got := map[string][]string{}
	for _, rec := range lostRecords(t, r.stderr) {
		if rec.Row == 0 || rec.Batch == "" {
			t.Fatalf("record without its row: %+v", rec)
		}
		got[rec.CertificateId] = append(got[rec.CertificateId], rec.Outcome)
	}
	for i := 1; i <= 5; i++ {
		id := fmt.Sprintf("demo%04d", 1000+i)
		if !slices.Equal(got[id], []string{"OK", "COMMIT:OK"}) {
			t.Fatalf("%s: %v\n%s", id, got[id], r.stderr)
		}
		if !strings.Contains(r.stderr, fmt.Sprintf("row %d %s: OK ", i, id)) {
			t.Fatalf("row %d not reported:\n%s", i, r.stderr)
		}
	}
}

// Issue 12, item 9: no message, for any field, quotes a secret's value —
// however odd the value or wherever it comes from.
func TestKeyPasswordNeverEchoes(t *testing.T) {
	e := newEnv(t)
	const secret = "s3cr3t-Kq9"
	quiet := func(what string, r result) {
		t.Helper()
		if strings.Contains(r.stdout+r.stderr, secret) || strings.Contains(r.stdout+r.stderr, "Kq9") {
			t.Errorf("%s: the KeyPassword is quoted back:\n%s%s", what, r.stdout, r.stderr)
		}
	}
	dir := t.TempDir()
	for i, v := range []string{
		secret + strings.Repeat("x", 80), // too long
		secret + "\x1b[2J",               // a control character
		secret + "\u202e",                // a bidi override
		secret + "\n",
		" " + secret + " ",
		"--" + secret,
	} {
		what := fmt.Sprintf("--set KeyPassword=%q", v)
		quiet(what+" --dry-run", e.run(t, "", "--input", exampleFile(t), "--set", "KeyPassword="+v, "--dry-run"))
		quiet(what+" with a bad e-mail", e.run(t, "", "--input", exampleFile(t), "--set", "KeyPassword="+v, "--set", "AdminEmail=bad"))
		quiet(what+" --json", e.run(t, "", "--input", exampleFile(t), "--set", "KeyPassword="+v, "--set", "CsrType=parse", "--json"))
		quiet(what+" sent", e.run(t, "", "--input", exampleFile(t), "--set", "KeyPassword="+v))
		file := filepath.Join(dir, fmt.Sprintf("pw%d", i))
		os.WriteFile(file, []byte(v), 0o600)
		quiet(what+" from a file", e.run(t, "", "--input", exampleFile(t), "--set", "KeyPassword=@"+file, "--set", "PostalCode=x"))
	}
	// A CSV column.
	csvPath := filepath.Join(dir, "rows.csv")
	os.WriteFile(csvPath, []byte("CertificateId,KeyPassword,AdminEmail\n"+
		"demo1001,"+secret+",admin@example.com\n"+
		"demo1002,"+secret+strings.Repeat("y", 80)+",admin@example.com\n"+
		"demo1003,\""+secret+"\",not-an-email\n"+
		"demo1004,"+secret+",\"unclosed\n"), 0o600)
	quiet("CSV", e.run(t, "", "--input", exampleFile(t), "--batch", csvPath))
	os.WriteFile(csvPath, []byte("CertificateId,KeyPassword,AdminEmail\n"+
		"demo1001,"+secret+",admin@example.com\n"+
		"demo1002,"+secret+strings.Repeat("y", 80)+",admin@example.com\n"+
		"demo1003,\""+secret+"\",not-an-email\n"), 0o600)
	for _, args := range [][]string{{}, {"--skip-invalid"}, {"--skip-invalid", "--json"}} {
		quiet("CSV "+strings.Join(args, " "), e.run(t, "", append([]string{"--input", exampleFile(t), "--batch", csvPath}, args...)...))
	}
	// JSON input and profiles import, the value of any type.
	for i, v := range []string{`["` + secret + `"]`, `{"a":"` + secret + `"}`, `12345678901234567890`, `true`, `"` + secret + `"`, secret, `"` + secret} {
		in := filepath.Join(dir, fmt.Sprintf("in%d.json", i))
		os.WriteFile(in, []byte(`{"CertificateId":"abcb1234","KeyPassword":`+v+`}`), 0o600)
		quiet("JSON "+v, e.run(t, "", "--input", in, "--json"))
		quiet("JSON "+v, e.run(t, "", "--input", in))
		quiet("import JSON "+v, e.cmdRun(t, "", "profiles", "import", in, "--name", fmt.Sprintf("j%d", i)))
	}
	for i, v := range []string{"[" + secret + "]", "{a: " + secret + "}", secret, `"` + secret, "|\n    " + secret} {
		in := filepath.Join(dir, fmt.Sprintf("in%d.yaml", i))
		os.WriteFile(in, []byte("version: 1\nname: x\nparams:\n  CertificateId: abcb1234\n  KeyPassword: "+v+"\n"), 0o600)
		quiet("YAML "+v, e.run(t, "", "--input", in))
		quiet("import YAML "+v, e.cmdRun(t, "", "profiles", "import", in, "--name", fmt.Sprintf("y%d", i)))
		quiet("show", e.cmdRun(t, "", "profiles", "show", fmt.Sprintf("y%d", i)))
	}
	if got := historyOf(t); len(got) == 0 {
		t.Fatal("nothing was sent: the test proves nothing")
	}
	data, _ := os.ReadFile(filepath.Join(os.Getenv("HOME"), ".local", "state", "certwiz", "history.jsonl"))
	if strings.Contains(string(data), secret) {
		t.Fatal("the history holds the KeyPassword")
	}
}

// Issue 12, item 10: --rate takes 1 to 1000; beyond the service's 10 a
// second, certwiz says once what that means.
func TestRateBounds(t *testing.T) {
	e := newEnv(t)
	batch := writeBatch(t, 3, nil)
	for _, rate := range []string{"0", "-1", "-100", "1001", "100000"} {
		for _, extra := range [][]string{nil, {"--batch", batch}} {
			r := e.run(t, "", append([]string{"--input", exampleFile(t), "--rate", rate}, extra...)...)
			if r.code != api.ExitInput || !strings.Contains(r.stderr, "--rate "+rate+": use 1 to 1000") || r.stdout != "" {
				t.Errorf("--rate %s %v: exit %d %q", rate, extra, r.code, r.stderr)
			}
		}
		r := e.run(t, "", "--input", exampleFile(t), "--rate", rate, "--json")
		if m := decodeOne(t, r.stdout); r.code != api.ExitInput || !strings.Contains(m["Error"].(map[string]any)["Message"].(string), "use 1 to 1000") {
			t.Errorf("--rate %s --json: exit %d %q", rate, r.code, r.stdout)
		}
	}
	if e.calls.Load() != 0 {
		t.Fatalf("%d requests sent", e.calls.Load())
	}
	note := "the service refuses calls beyond 10 per second for each action (RequestLimitExceeded); certwiz retries refused calls with backoff"
	for _, rate := range []string{"1", "10"} {
		if r := e.run(t, "", "--input", exampleFile(t), "--rate", rate, "--batch", batch, "--set", "VerifyType=DNS"); r.code != 0 || strings.Contains(r.stderr, note) {
			t.Fatalf("--rate %s: exit %d %s", rate, r.code, r.stderr)
		}
	}
	for _, args := range [][]string{{"--rate", "11"}, {"--rate", "1000", "--batch", batch, "--commit", "--set", "CertificateId=x"}} {
		r := e.run(t, "", append([]string{"--input", exampleFile(t), "--set", "VerifyType=DNS"}, args...)...)
		if strings.Count(r.stderr, note) != 1 || !strings.Contains(r.stderr, "Warning: --rate "+args[1]+" is above 10") {
			t.Fatalf("%v: exit %d, said %d times:\n%s", args, r.code, strings.Count(r.stderr, note), r.stderr)
		}
	}
}

// Issue 12, item 11: names that mix scripts are warned about on stderr,
// once per name, escaped; they never block.
func TestSubmitWarnsOfLookalikeNamesOnce(t *testing.T) {
	e := newEnv(t)
	const name = "аpple.example.com" // a Cyrillic а
	r := e.run(t, "", "--input", exampleFile(t), "--set", "CertificateDomain="+name, "--set", "DomainList="+name+",example.com", "--json")
	warn := name + " mixes scripts: 'а' (U+0430, Cyrillic) look like Latin letters"
	if r.code != 0 || strings.Count(r.stderr, warn) != 1 || !strings.HasPrefix(r.stderr, "Warning: ") {
		t.Fatalf("exit %d, warned %d times:\n%s", r.code, strings.Count(r.stderr, warn), r.stderr)
	}
	decodeOne(t, r.stdout)
	// In a batch: the template's name once for all rows, a row's own name with its row.
	path := filepath.Join(t.TempDir(), "rows.csv")
	os.WriteFile(path, []byte("CertificateId,DomainList\ndemo1001,\ndemo1002,\ndemo1003,pаypal.example.com\n"), 0o600)
	r = e.run(t, "", "--input", exampleFile(t), "--set", "CertificateDomain="+name, "--set", "DomainList="+name, "--batch", path)
	if r.code != 0 || strings.Count(r.stderr, warn) != 1 || !strings.Contains(r.stderr, "Warning: row 1: "+warn) ||
		!strings.Contains(r.stderr, "Warning: row 3: pаypal.example.com mixes scripts") || len(e.sb.Submissions()) != 4 {
		t.Fatalf("batch: exit %d\n%s", r.code, r.stderr)
	}
	inert(t, "lookalike", r.stderr)
}

// Newcomer item 18: an e-mail address whose top-level domain does not
// exist is warned about on stderr, naming the field; the submission goes.
func TestSubmitWarnsOfEmailTLDTypos(t *testing.T) {
	e := newEnv(t)
	r := e.run(t, "", "--input", exampleFile(t), "--set", "AdminEmail=admin@exexample.con", "--json")
	warn := "Warning: AdminEmail admin@exexample.con ends in .con, which is not a top-level domain: did you mean .com?"
	if r.code != 0 || strings.Count(r.stderr, warn) != 1 || len(e.sb.Submissions()) != 1 || e.sb.Submissions()[0].Params["AdminEmail"] != "admin@exexample.con" {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	decodeOne(t, r.stdout)
}
