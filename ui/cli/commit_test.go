package cli

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/profiles"
)

func (e env) commit(t *testing.T, h how, args ...string) result {
	t.Helper()
	return e.exec(t, NewCommitCmd, h, args...)
}

// submitted submits the example for id (with more --set flags) and fails
// the test unless it was accepted.
func (e env) submitted(t *testing.T, id string, sets ...string) {
	t.Helper()
	args := []string{"--input", exampleFile(t), "--set", "CertificateId=" + id, "--json"}
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	if r := e.run(t, "", args...); r.code != 0 {
		t.Fatalf("submit %s: exit %d %s %s", id, r.code, r.stdout, r.stderr)
	}
}

func historyOf(t *testing.T) []profiles.Record {
	t.Helper()
	h, err := (&Globals{IO: IO{Err: io.Discard}}).history()
	if err != nil {
		t.Fatal(err)
	}
	recs, err := h.Read()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// historyWhere is the history's records that keep says.
func historyWhere(t *testing.T, keep func(profiles.Record) bool) []profiles.Record {
	t.Helper()
	var out []profiles.Record
	for _, r := range historyOf(t) {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// outcomes lists a certificate's outcomes as certwiz history shows them:
// the intents an outcome follows are left out.
func outcomes(recs []profiles.Record, id string) []string {
	var out []string
	recs, _ = historyView(recs)
	for _, r := range recs {
		if r.CertificateId == id {
			out = append(out, r.Outcome)
		}
	}
	return out
}

func TestCommitYesJSONSendsTheOrder(t *testing.T) {
	e := newEnv(t)
	e.submitted(t, "abcb1234", "VerifyType=DNS")
	r := e.commit(t, how{}, "abcb1234", "--yes", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	m := decodeOne(t, r.stdout)
	if !slices.Equal(keys(m), []string{"CertificateId", "OrderId", "RequestId", "Status", "StatusMsg", "StatusName"}) {
		t.Fatalf("keys %v", keys(m))
	}
	// Status 0 has one name everywhere: the stage read after the commit,
	// as status and certs name it (no longer the bare "reviewing").
	st, _ := e.sb.Certificate("abcb1234")
	if m["CertificateId"] != "abcb1234" || m["OrderId"] != st.OrderId || st.OrderId == "" || m["Status"] != 0.0 || m["StatusName"] != "awaiting domain validation" || m["StatusMsg"] != "PENDING-DCV" || m["RequestId"] == "" {
		t.Fatalf("stdout %v, sandbox %+v", m, st)
	}
	l := decodeOne(t, e.exec(t, NewCertsCmd, how{}, "--json", "--status", "all", "--search", "abcb1234").stdout)
	if c := l["Certificates"].([]any); len(c) != 1 || c[0].(map[string]any)["StatusName"] != m["StatusName"] {
		t.Fatalf("certs names it %v, commit %v", c, m["StatusName"])
	}
	if st.Status != 0 || st.StatusMsg != "PENDING-DCV" || st.SubmittedData["OrganizationName"] != "Example Technology Co., Ltd." || st.VerifyType != "DNS" {
		t.Fatalf("sandbox state %+v", st)
	}
	// --yes reads nothing first: one commit, then one read for the stage.
	if n, d := len(e.sb.Calls(sandbox.ActionCommit)), len(e.sb.Calls(sandbox.ActionDetail)); n != 1 || d != 1 {
		t.Fatalf("%d commits, %d detail reads", n, d)
	}
	if got := outcomes(historyOf(t), "abcb1234"); !slices.Equal(got, []string{"OK", "COMMIT:OK"}) {
		t.Fatalf("history %v", got)
	}
}

func TestCommitHumanSaysWhatComesNext(t *testing.T) {
	e := newEnv(t)
	e.submitted(t, "demo0001", "VerifyType=FILE") // OV: awaits its confirmation letter
	r := e.commit(t, how{}, "demo0001", "--yes")
	st, _ := e.sb.Certificate("demo0001")
	for _, want := range []string{"Sent to the CA: certificate demo0001", "CA order: " + st.OrderId, "Status: awaiting confirmation letter (8)", "RequestId: ", "confirmation letter"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	e.submitted(t, "demo0100", "VerifyType=DNS_AUTO") // DV
	r = e.commit(t, how{lang: api.Chinese}, "demo0100", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "状态: 已自动添加 DNS 记录，CA 检查中 (4)") || !strings.Contains(r.stdout, "无需操作") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	e.submitted(t, "demo0101", "VerifyType=DNS")
	if r = e.commit(t, how{}, "demo0101", "--yes", "--verify-type", "file"); r.code != 0 || !strings.Contains(r.stdout, "/.well-known/pki-validation/") {
		t.Fatalf("--verify-type file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st, _ := e.sb.Certificate("demo0101"); st.VerifyType != "FILE" {
		t.Fatalf("--verify-type not sent: %+v", st)
	}
}

func TestCommitWithoutTerminalNeedsYesAndSendsNothing(t *testing.T) {
	e := newEnv(t)
	for _, args := range [][]string{{"abcb1234"}, {"abcb1234", "--json"}, {"abcb1234", "--verify-type", "DNS"}} {
		r := e.commit(t, how{stdin: "y\n"}, args...)
		if r.code != api.ExitInput || e.calls.Load() != 0 {
			t.Fatalf("%v: exit %d, %d requests reached the sandbox", args, r.code, e.calls.Load())
		}
		if slices.Contains(args, "--json") {
			if m := decodeOne(t, r.stdout); !strings.Contains(m["Error"].(map[string]any)["Message"].(string), "--yes required when not running interactively") {
				t.Fatalf("--json: %v", m)
			}
		} else if !strings.Contains(r.stderr, "--yes required when not running interactively") || !strings.Contains(r.stderr, "nothing was sent") {
			t.Fatalf("stderr %q", r.stderr)
		}
	}
}

func TestCommitVerifyTypeIsCheckedLocally(t *testing.T) {
	e := newEnv(t)
	r := e.commit(t, how{}, "abcb1234", "--yes", "--verify-type", "EMAIL")
	if r.code != api.ExitInput || !strings.Contains(r.stderr, `--verify-type "EMAIL": use DNS_AUTO, DNS or FILE`) || e.calls.Load() != 0 {
		t.Fatalf("exit %d %q, %d calls", r.code, r.stderr, e.calls.Load())
	}
	if r := e.commit(t, how{}, "bad id", "--yes"); r.code != api.ExitInput || e.calls.Load() != 0 {
		t.Fatalf("bad ID: exit %d %q", r.code, r.stderr)
	}
}

// On a terminal certwiz reads the certificate, shows what the CA will get
// (never a KeyPassword) and asks; only yes sends.
func TestCommitAsksOnATerminal(t *testing.T) {
	e := newEnv(t)
	e.submitted(t, "abcb1234", "VerifyType=DNS_AUTO", "KeyPassword=pw-secret-789", "AdminFirstName=Lei", "AdminLastName=Li")
	for _, answer := range []string{"n\n", "\n", "", "yes please\n"} {
		r := e.commit(t, how{stdin: answer, tty: true}, "abcb1234")
		if r.code != 0 || !strings.Contains(r.stderr, "Not sent: nothing went to the CA") || r.stdout != "" {
			t.Fatalf("answer %q: exit %d stdout %q stderr %q", answer, r.code, r.stdout, r.stderr)
		}
	}
	if n := len(e.sb.Calls(sandbox.ActionCommit)); n != 0 {
		t.Fatalf("%d commits after saying no", n)
	}
	r := e.commit(t, how{stdin: "y\n", tty: true}, "abcb1234")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"Certificate abcb1234 — awaiting information (status 5), TrustAsia DV 多域名",
		"Domain          www.example.com",
		"Other names     example.com",
		"Company         Example Technology Co., Ltd.",
		"Administrator   Lei Li <admin@example.com>",
		"Contact         ",
		"Verification    DNS_AUTO — ",
		"Send this to the CA? It cannot be undone [y/N] ",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stdout+r.stderr, "pw-secret-789") || strings.Contains(r.stdout+r.stderr, "KeyPassword") {
		t.Fatalf("the KeyPassword is shown:\n%s%s", r.stdout, r.stderr)
	}
	if st, _ := e.sb.Certificate("abcb1234"); st.Status != 4 || !strings.Contains(r.stdout, "CA order: "+st.OrderId) {
		t.Fatalf("sandbox %+v, stdout %s", st, r.stdout)
	}
	r = e.commit(t, how{stdin: "是\n", tty: true, lang: api.Chinese}, "demo0001")
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "尚未提交任何资料") {
		t.Fatalf("zh, never submitted: exit %d %s", r.code, r.stderr)
	}
}

func TestCommitRefusesAWrongStatusNamingIt(t *testing.T) {
	e := newEnv(t)
	// On a terminal: read first, refused before any commit.
	r := e.commit(t, how{stdin: "y\n", tty: true}, "issued01")
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "Certificate cannot be sent to the CA now") ||
		!strings.Contains(r.stderr, "Certificate issued01 is at status 1 (issued): download it with certwiz --endpoint "+e.url+" download issued01 --out DIR.") || strings.Contains(r.stderr, "[y/N]") {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	if n := len(e.sb.Calls(sandbox.ActionCommit)); n != 0 {
		t.Fatalf("%d commits", n)
	}
	// With --yes: the service refuses; the hint still names the status.
	r = e.commit(t, how{}, "review01", "--yes", "--json")
	m := decodeOne(t, r.stdout)
	er := m["Error"].(map[string]any)
	if r.code != api.ExitRejected || er["Code"] != "FailedOperation.InvalidCertificateStatusCode" || er["Title"] != "Certificate cannot be sent to the CA now" ||
		!strings.Contains(er["Hint"].(string), "Certificate review01 is at status 0 (pre-review): it is already with the CA") || m["RequestId"] == "" {
		t.Fatalf("exit %d %v", r.code, m)
	}
	// Committed once, a second commit is refused the same way.
	e.submitted(t, "abcb1234")
	if r := e.commit(t, how{}, "abcb1234", "--yes"); r.code != 0 {
		t.Fatalf("first commit: %d %s", r.code, r.stderr)
	}
	r = e.commit(t, how{}, "abcb1234", "--yes")
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "Certificate abcb1234 is at status 0 (awaiting domain validation)") {
		t.Fatalf("second commit: exit %d %s", r.code, r.stderr)
	}
}

func TestCommitOfANeverSubmittedCertificate(t *testing.T) {
	e := newEnv(t)
	r := e.commit(t, how{stdin: "y\n", tty: true}, "demo0002")
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "no information has been submitted for certificate demo0002 yet") ||
		!strings.Contains(r.stderr, "--commit") || strings.Contains(r.stderr, "[y/N]") || len(e.sb.Calls(sandbox.ActionCommit)) != 0 {
		t.Fatalf("terminal: exit %d %s", r.code, r.stderr)
	}
	r = e.commit(t, how{}, "demo0002", "--yes", "--json")
	if m := decodeOne(t, r.stdout); r.code != api.ExitRejected || m["Error"].(map[string]any)["Code"] != "FailedOperation.InvalidParam" {
		t.Fatalf("--yes: exit %d %v", r.code, m)
	}
	if got := outcomes(historyOf(t), "demo0002"); !slices.Equal(got, []string{"COMMIT:FailedOperation.InvalidParam"}) {
		t.Fatalf("history %v", got)
	}
}

// Every commit test ID: the commit's own guide (title, exit code), plain and JSON.
func TestCommitErrorIDsMapThroughTheGuide(t *testing.T) {
	e := newEnv(t)
	for _, f := range sandbox.FaultsFor(sandbox.ActionCommit) {
		if f.Slow || f.Lost || f.Action != sandbox.ActionCommit {
			continue
		}
		t.Run(f.ID, func(t *testing.T) {
			e.submitted(t, f.ID)
			r := e.commit(t, how{}, f.ID, "--yes", "--json")
			m := decodeOne(t, r.stdout)
			er := m["Error"].(map[string]any)
			want := f.Code
			if want == "" {
				want = api.CodeHTTPStatus
			}
			gd, _ := api.ExplainFor(api.ActionCommit, want)
			if er["Code"] != want || r.code != gd.Exit || er["Title"] != gd.Title.EN || er["Hint"] == "" {
				t.Fatalf("exit %d %v, want %s exit %d %q", r.code, er, want, gd.Exit, gd.Title.EN)
			}
			if f.Code != "" && m["RequestId"] == "" {
				t.Fatal("no RequestId")
			}
			h := e.commit(t, how{}, f.ID, "--yes")
			if h.code != gd.Exit || !strings.Contains(h.stderr, "Error: "+gd.Title.EN+" ["+want+"]") {
				t.Fatalf("plain: exit %d %s", h.code, h.stderr)
			}
		})
	}
}

func TestCommitDetailErrorsOnATerminal(t *testing.T) {
	e := newEnv(t)
	r := e.commit(t, how{stdin: "y\n", tty: true}, "testDetailAuthError")
	if r.code != api.ExitAuth || !strings.Contains(r.stderr, "No permission to read this certificate") || len(e.sb.Calls(sandbox.ActionCommit)) != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
}

// ctrl+c at the question: nothing is sent, exit 130.
func TestCommitInterruptedAtTheQuestion(t *testing.T) {
	e := newEnv(t)
	e.submitted(t, "abcb1234")
	pr, pw := io.Pipe()
	defer pw.Close()
	var out, errb bytes.Buffer
	g := &Globals{IO: IO{In: pr, Out: &out, Err: &errb, tty: true}, Endpoint: e.url, Timeout: 10 * time.Second, Language: api.English, Version: "test"}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	err := runCommit(ctx, &CommitOptions{Globals: g}, "abcb1234")
	if code := ExitCode(err, &errb); code != api.ExitInterrupted || !strings.Contains(errb.String(), "Interrupted: nothing was sent to the CA") {
		t.Fatalf("exit %d %s", code, errb.String())
	}
	if n := len(e.sb.Calls(sandbox.ActionCommit)); n != 0 {
		t.Fatalf("%d commits", n)
	}
}

// FILE cannot prove a wildcard name: refused before the one-way door,
// with --yes too, naming the name.
func TestCommitFileForAWildcardIsRefusedLocally(t *testing.T) {
	e := newEnv(t)
	e.submitted(t, "demo0444", "CertificateDomain=*.foo.example.com", "DomainList=", "VerifyType=DNS")
	before := e.calls.Load()
	r := e.commit(t, how{}, "demo0444", "--yes", "--verify-type", "FILE")
	if r.code != 2 || !strings.Contains(r.stderr, "cannot prove a wildcard name (*.foo.example.com)") {
		t.Fatalf("exit %d stderr %q", r.code, r.stderr)
	}
	if st, _ := e.sb.Certificate("demo0444"); st.Status != 5 || e.calls.Load()-before != 1 {
		t.Fatalf("sent anyway: %+v, %d calls", st, e.calls.Load()-before)
	}
}
