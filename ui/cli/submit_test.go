package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
)

type env struct {
	url   string
	sb    *sandbox.Server
	calls *atomic.Int32
	// transport, when set, carries every request instead (the Node.js
	// verifier's test).
	transport http.RoundTripper
}

// newEnv starts a sandbox on loopback and isolates the credential chain,
// putting the demo key in the environment.
func newEnv(t *testing.T) env {
	t.Helper()
	return newEnvWith(t, sandbox.Options{SlowDelay: 5 * time.Second, Rate: 100})
}

func newEnvWith(t *testing.T, o sandbox.Options) env {
	t.Helper()
	sb := sandbox.New(o)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"TCCLI_PROFILE", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "CERTWIZ_CONFIG_DIR", "CERTWIZ_STATE_DIR", api.EnvSessionToken} {
		t.Setenv(v, "")
	}
	t.Setenv(api.EnvSecretID, sandbox.DemoSecretID)
	t.Setenv(api.EnvSecretKey, sandbox.DemoSecretKey)
	return env{url: srv.URL, sb: sb, calls: &calls}
}

type result struct {
	code           int
	stdout, stderr string
}

// run executes `certwiz submit ARGS` against the sandbox with fake streams.
func (e env) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	g := &Globals{IO: IO{In: strings.NewReader(stdin), Out: &out, Err: &errb}, Endpoint: e.url, Timeout: 10 * time.Second, Language: api.English, Version: "test", transport: e.transport}
	cmd := NewSubmitCmd(g)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.ExecuteContext(context.Background())
	code := ExitCode(err, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func exampleFile(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../example.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "example.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func decodeOne(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("stdout is not JSON: %q", s)
	}
	if dec.More() {
		t.Fatalf("stdout has more than one JSON object: %q", s)
	}
	return m
}

func keys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}

func TestSubmitJSONSuccess(t *testing.T) {
	e := newEnv(t)
	r := e.run(t, "", "--input", exampleFile(t), "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	m := decodeOne(t, r.stdout)
	if !slices.Equal(keys(m), []string{"CertificateId", "RequestId"}) || m["CertificateId"] != "abcb1234" {
		t.Fatalf("stdout = %v", m)
	}
	subs := e.sb.Submissions()
	if len(subs) != 1 || subs[0].RequestId != m["RequestId"] {
		t.Fatalf("sandbox saw %+v", subs)
	}
	if !strings.Contains(r.stderr, "Credentials: environment (TENCENTCLOUD_SECRET_ID), SecretId ****DEMO") || strings.Contains(r.stderr, sandbox.DemoSecretKey) {
		t.Fatalf("stderr = %q", r.stderr)
	}
}

// Submitting alone leaves the order short of the CA, and says so; with
// --commit it reaches the CA and the next step depends on VerifyType.
func TestSubmitHumanSuccessSaysWhatIsNext(t *testing.T) {
	e := newEnv(t)
	r := e.run(t, "", "--input", exampleFile(t), "--set", "VerifyType=FILE")
	if r.code != 0 || !strings.Contains(r.stdout, "Submitted certificate abcb1234") || !strings.Contains(r.stdout, "not with the CA yet") ||
		!strings.Contains(r.stdout, "certwiz --endpoint "+e.url+" commit abcb1234") || strings.Contains(r.stdout, "review") {
		t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	r = e.run(t, "", "--input", exampleFile(t), "--set", "VerifyType=FILE", "--commit")
	if r.code != 0 || !strings.Contains(r.stdout, "Sent to the CA: certificate abcb1234") || !strings.Contains(r.stdout, "64.78.193.238") {
		t.Fatalf("--commit: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestSubmitErrorsHaveExitCodeAndJSONShape(t *testing.T) {
	e := newEnv(t)
	input := exampleFile(t)
	for _, f := range sandbox.FaultsFor(sandbox.ActionSubmit) {
		if f.Slow || f.Lost {
			continue
		}
		t.Run(f.ID, func(t *testing.T) {
			r := e.run(t, "", "--input", input, "--set", "CertificateId="+f.ID, "--json")
			m := decodeOne(t, r.stdout)
			if !slices.Equal(keys(m), []string{"Error", "RequestId"}) {
				t.Fatalf("keys %v", keys(m))
			}
			er := m["Error"].(map[string]any)
			for _, k := range []string{"Code", "Message", "Title", "Hint"} {
				if s, _ := er[k].(string); s == "" {
					t.Fatalf("Error.%s empty: %v", k, er)
				}
			}
			want := f.Code
			if want == "" {
				want = map[bool]string{true: api.CodeMalformed, false: api.CodeHTTPStatus}[f.Garbled]
			}
			gd, _ := api.Explain(want)
			if er["Code"] != want || r.code != gd.Exit {
				t.Fatalf("code %v exit %d, want %s exit %d", er["Code"], r.code, want, gd.Exit)
			}
			if f.Code != "" && m["RequestId"] == "" {
				t.Fatal("no RequestId")
			}
		})
	}
}

func TestSubmitHumanErrorShowsEverything(t *testing.T) {
	e := newEnv(t)
	r := e.run(t, "", "--input", exampleFile(t), "--set", "CertificateId=testDomainInvalid")
	for _, want := range []string{"Error: Domain refused [FailedOperation.CertificateInfoSubmitDomainInvalid]", "What to do:", "Server message: Invalid domain: www.example.com.", "Fix it with: --set CertificateDomain=… (or DomainList)", "RequestId: "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != api.ExitRejected || r.stdout != "" {
		t.Fatalf("exit %d stdout %q", r.code, r.stdout)
	}
}

func TestSubmitWrongKeyAndMissingCredentials(t *testing.T) {
	e := newEnv(t)
	t.Setenv(api.EnvSecretKey, "wrong")
	r := e.run(t, "", "--input", exampleFile(t), "--json")
	if m := decodeOne(t, r.stdout); r.code != api.ExitAuth || m["Error"].(map[string]any)["Code"] != "AuthFailure.SignatureFailure" || m["RequestId"] == "" {
		t.Fatalf("wrong key: exit %d %v", r.code, m)
	}
	os.Unsetenv(api.EnvSecretID)
	os.Unsetenv(api.EnvSecretKey)
	r = e.run(t, "", "--input", exampleFile(t), "--json")
	m := decodeOne(t, r.stdout)
	if r.code != api.ExitAuth || m["Error"].(map[string]any)["Code"] != api.CodeCredentials {
		t.Fatalf("no credentials: exit %d %v", r.code, m)
	}
	if e.calls.Load() != 1 {
		t.Fatalf("%d calls reached the sandbox, want 1", e.calls.Load())
	}
}

func TestSubmitInvalidInputNamesEveryParameterAndSendsNothing(t *testing.T) {
	e := newEnv(t)
	r := e.run(t, "", "--input", exampleFile(t), "--json",
		"--set", "AdminEmail=not-an-email", "--set", "OrganizationCountry=XX",
		"--set", "CertificateDomain=*.example.com", "--set", "VerifyType=FILE", "--set", "CsrType=parse")
	if r.code != api.ExitInput || e.calls.Load() != 0 {
		t.Fatalf("exit %d, %d calls", r.code, e.calls.Load())
	}
	m := decodeOne(t, r.stdout)
	var got []string
	for _, p := range m["Problems"].([]any) {
		got = append(got, p.(map[string]any)["Param"].(string))
	}
	slices.Sort(got)
	if want := []string{"AdminEmail", "CsrContent", "OrganizationCountry", "VerifyType"}; !slices.Equal(got, want) {
		t.Fatalf("problems %v, want %v", got, want)
	}
	human := e.run(t, "", "--input", exampleFile(t), "--set", "AdminEmail=x")
	if human.code != api.ExitInput || !strings.Contains(human.stderr, "AdminEmail (E-mail, Administrator step)") || !strings.Contains(human.stderr, "Nothing was sent") {
		t.Fatalf("human: %d %q", human.code, human.stderr)
	}
}

func TestSubmitCompleteVersusPartial(t *testing.T) {
	e := newEnv(t)
	args := []string{"--set", "CertificateId=abcb1234", "--set", "CsrType=online", "--set", "CertificateDomain=www.example.com"}
	if r := e.run(t, "", args...); r.code != api.ExitInput || !strings.Contains(r.stderr, "OrganizationName") {
		t.Fatalf("complete: exit %d %q", r.code, r.stderr)
	}
	if r := e.run(t, "", append(args, "--partial")...); r.code != 0 {
		t.Fatalf("partial: exit %d %q", r.code, r.stderr)
	}
}

func TestSubmitDryRunSendsNothingAndShowsNoSecret(t *testing.T) {
	e := newEnv(t)
	t.Setenv(api.EnvSessionToken, "token-secret-123")
	r := e.run(t, "", "--input", exampleFile(t), "--set", "KeyPassword=pw-secret-456", "--dry-run")
	if r.code != 0 || e.calls.Load() != 0 {
		t.Fatalf("exit %d, %d calls: %s", r.code, e.calls.Load(), r.stderr)
	}
	all := r.stdout + r.stderr
	for _, secret := range []string{sandbox.DemoSecretKey, "token-secret-123", "pw-secret-456", sandbox.DemoSecretID} {
		if strings.Contains(all, secret) {
			t.Fatalf("dry run shows %q:\n%s", secret, all)
		}
	}
	for _, want := range []string{"POST " + e.url + "/", "Authorization: TC3-HMAC-SHA256 Credential=****DEMO/", "/ssl/tc3_request", "X-Tc-Action: SubmitCertificateInformation", `"CertificateId":"abcb1234"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestSubmitSetReadsFilesAndRefusesUnknownParameters(t *testing.T) {
	e := newEnv(t)
	csr, err := os.ReadFile("../../api/testdata/rsa2048.csr")
	if err != nil {
		t.Fatal(err)
	}
	r := e.run(t, string(csr), "--input", exampleFile(t), "--set", "CsrType=parse", "--set", "CsrContent=@-", "--set", "DomainList=example.com", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	if got := e.sb.Submissions()[0].Params["CsrContent"]; got != strings.TrimSpace(string(csr)) {
		t.Fatalf("CsrContent sent = %q", got)
	}
	r = e.run(t, "", "--input", exampleFile(t), "--set", "OrganisationName=x")
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "did you mean OrganizationName?") {
		t.Fatalf("exit %d %q", r.code, r.stderr)
	}
}

func TestSubmitYAMLInputAndStrictErrors(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "p.yaml")
	os.WriteFile(good, []byte("version: 1\nname: acme\nparams:\n  CertificateId: abcb1234\n  CsrType: online\n  CertificateDomain: www.example.com\n  PhoneAreaCode: 0755\n  DomainList:\n    - a.example.com\n  KeyPassword: do-not-keep\n"), 0o600)
	r := e.run(t, "", "--input", good, "--partial", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	p := e.sb.Submissions()[0].Params
	if p["PhoneAreaCode"] != "0755" || p["KeyPassword"] != nil || !strings.Contains(r.stderr, "KeyPassword ignored") {
		t.Fatalf("params %v stderr %q", p, r.stderr)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\nparams:\n  CertificateId: abcb1234\n  OrganisationName: Acme\n"), 0o600)
	r = e.run(t, "", "--input", bad)
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "line 4: OrganisationName: unknown parameter (did you mean OrganizationName?)") {
		t.Fatalf("exit %d %q", r.code, r.stderr)
	}
}

func TestSubmitRefusesPlainHTTPToARemoteHost(t *testing.T) {
	e := newEnv(t)
	e.url = "http://ssl.tencentcloudapi.com"
	r := e.run(t, "", "--input", exampleFile(t))
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "only allowed for loopback") {
		t.Fatalf("exit %d %q", r.code, r.stderr)
	}
}

func TestSubmitWithBuiltInSandbox(t *testing.T) {
	e := newEnv(t)
	os.Unsetenv(api.EnvSecretID)
	var out, errb bytes.Buffer
	g := &Globals{IO: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Timeout: time.Second, Language: api.Chinese, Sandbox: true}
	err := runSubmit(context.Background(), &SubmitOptions{Globals: g, Input: exampleFile(t), Rate: api.DefaultRate})
	if err != nil || !strings.Contains(out.String(), "RequestId") || !strings.Contains(out.String(), "沙箱已保存资料（未发送到腾讯云）") || strings.Contains(out.String(), "已保存到腾讯云") {
		t.Fatalf("err %v out %q err %q", err, out.String(), errb.String())
	}
	if e.calls.Load() != 0 {
		t.Fatal("--sandbox used the configured endpoint")
	}
}

func TestExitCodeOfForeignErrorsIsUsage(t *testing.T) {
	var b bytes.Buffer
	if code := ExitCode(errors.New(`unknown flag: --nope`), &b); code != api.ExitInput || !strings.Contains(b.String(), "unknown flag") {
		t.Fatalf("code %d %q", code, b.String())
	}
}

func TestSubmitDryRunWithoutCredentialsSaysSo(t *testing.T) {
	e := newEnv(t)
	signed := e.run(t, "", "--input", exampleFile(t), "--dry-run")
	os.Unsetenv(api.EnvSecretID)
	os.Unsetenv(api.EnvSecretKey)
	t.Setenv("TENCENTCLOUD_CREDENTIALS_FILE", "")
	os.Unsetenv("TENCENTCLOUD_CREDENTIALS_FILE")
	r := e.run(t, "", "--input", exampleFile(t), "--dry-run")
	if r.code != 0 || e.calls.Load() != 0 || signed.code != 0 {
		t.Fatalf("exit %d, %d calls: %s", r.code, e.calls.Load(), r.stderr)
	}
	want := "Authorization: (not signed: no credentials found — set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or see certwiz --help)\n"
	if !strings.Contains(r.stdout, want) || strings.Contains(r.stdout, "Credential=") {
		t.Fatalf("stdout lacks %q:\n%s", want, r.stdout)
	}
	for _, h := range []string{"POST " + e.url + "/\n", "Content-Type: application/json\n", "X-Tc-Action: SubmitCertificateInformation\n", "X-Tc-Version: 2019-12-05\n"} {
		if !strings.Contains(r.stdout, h) {
			t.Errorf("stdout lacks %q:\n%s", h, r.stdout)
		}
	}
	_, body, _ := strings.Cut(r.stdout, "\n\n")
	_, signedBody, _ := strings.Cut(signed.stdout, "\n\n")
	if body == "" || body != signedBody {
		t.Fatalf("body %q, want the signed run's %q", body, signedBody)
	}

	// Half a key is not "no credentials": the reason is the chain's.
	t.Setenv(api.EnvSecretID, sandbox.DemoSecretID)
	r = e.run(t, "", "--input", exampleFile(t), "--dry-run", "--json")
	var got struct{ Headers map[string]string }
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 ||
		got.Headers["Authorization"] != "(not signed: TENCENTCLOUD_SECRET_KEY is empty or unset while its partner is set: set both, or neither)" {
		t.Fatalf("exit %d, --json %q", r.code, r.stdout)
	}
}

func TestSandboxKeyIsNamedInTheUserLanguage(t *testing.T) {
	newEnv(t)
	for lang, want := range map[string]string{api.English: ": sandbox demo key, SecretId ****DEMO", api.Chinese: "密钥: 沙箱演示密钥, SecretId ****DEMO"} {
		var out, errb bytes.Buffer
		g := &Globals{IO: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Timeout: 10 * time.Second, Language: lang, Sandbox: true}
		err := runSubmit(context.Background(), &SubmitOptions{Globals: g, Input: exampleFile(t), Rate: api.DefaultRate})
		if err != nil || !strings.Contains(errb.String(), want) {
			t.Fatalf("%s: err %v, stderr %q lacks %q", lang, err, errb.String(), want)
		}
	}
}

func TestUsageErrorsPointAtHelpOnce(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{errors.New("unknown flag: --bogus"), "Error: unknown flag: --bogus\nRun 'certwiz --help' for usage.\n"},
		{UsageError(errors.New("unknown flag: --bogus"), "certwiz submit"), "Error: unknown flag: --bogus\nRun 'certwiz submit --help' for usage.\n"},
	} {
		var b bytes.Buffer
		if code := ExitCode(c.err, &b); code != api.ExitInput || b.String() != c.want {
			t.Errorf("exit %d, stderr %q, want %q", code, b.String(), c.want)
		}
	}
}

func TestSubmitCommitJSONHasBothObjects(t *testing.T) {
	e := newEnv(t)
	r := e.run(t, "", "--input", exampleFile(t), "--set", "VerifyType=DNS", "--commit", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	m := decodeOne(t, r.stdout)
	if !slices.Equal(keys(m), []string{"CertificateId", "Commit", "RequestId"}) {
		t.Fatalf("keys %v", keys(m))
	}
	c := m["Commit"].(map[string]any)
	if !slices.Equal(keys(c), []string{"OrderId", "RequestId", "Status", "StatusMsg", "StatusName"}) {
		t.Fatalf("Commit keys %v", keys(c))
	}
	st, _ := e.sb.Certificate("abcb1234")
	if c["OrderId"] != st.OrderId || c["Status"] != 0.0 || c["StatusName"] != "awaiting domain validation" || c["StatusMsg"] != "PENDING-DCV" || c["RequestId"] == m["RequestId"] || m["RequestId"] != e.sb.Submissions()[0].RequestId {
		t.Fatalf("stdout %v, sandbox %+v", m, st)
	}
	if st.Status != 0 || st.StatusMsg != "PENDING-DCV" || st.VerifyType != "DNS" || st.SubmittedData["CertificateDomain"] != "www.example.com" {
		t.Fatalf("sandbox %+v", st)
	}
	if got := outcomes(historyOf(t), "abcb1234"); !slices.Equal(got, []string{"OK", "COMMIT:OK"}) {
		t.Fatalf("history %v", got)
	}
}

// The submit worked, the commit did not: exit code and object of the
// commit; the submit is kept and recorded, and the user told how to retry.
func TestSubmitCommitFailureKeepsTheSubmit(t *testing.T) {
	e := newEnv(t)
	for id, exit := range map[string]int{"testCommitNetworkError": api.ExitRejected, "testCommitHTTP500": api.ExitTransport, "testCommitAuthError": api.ExitAuth} {
		r := e.run(t, "", "--input", exampleFile(t), "--set", "CertificateId="+id, "--commit", "--json")
		m := decodeOne(t, r.stdout)
		c, _ := m["Commit"].(map[string]any)
		if r.code != exit || m["CertificateId"] != id || m["RequestId"] == "" || c == nil || !slices.Equal(keys(c), []string{"Error", "RequestId"}) {
			t.Fatalf("%s: exit %d, %v", id, r.code, m)
		}
		if got := outcomes(historyOf(t), id); len(got) != 2 || got[0] != "OK" || !strings.HasPrefix(got[1], "COMMIT:") || got[1] == "COMMIT:OK" {
			t.Fatalf("%s: history %v", id, got)
		}
		h := e.run(t, "", "--input", exampleFile(t), "--set", "CertificateId="+id, "--commit")
		if h.code != exit || !strings.Contains(h.stdout, "Submitted certificate "+id) || !strings.Contains(h.stderr, "certwiz --endpoint "+e.url+" commit "+id) {
			t.Fatalf("%s plain: exit %d %q %q", id, h.code, h.stdout, h.stderr)
		}
	}
	// A submit that fails is not followed by a commit.
	r := e.run(t, "", "--input", exampleFile(t), "--set", "CertificateId=testAuthError", "--commit", "--json")
	if m := decodeOne(t, r.stdout); r.code != api.ExitAuth || m["Commit"] != nil || len(e.sb.Calls(sandbox.ActionCommit)) != 6 {
		t.Fatalf("exit %d %v, %d commits", r.code, m, len(e.sb.Calls(sandbox.ActionCommit)))
	}
}

func TestSubmitCommitDryRunShowsTheCommitBody(t *testing.T) {
	e := newEnv(t)
	r := e.run(t, "", "--input", exampleFile(t), "--set", "VerifyType=DNS_AUTO", "--commit", "--dry-run")
	if r.code != 0 || e.calls.Load() != 0 || !strings.Contains(r.stderr, `CommitCertificateInformation would follow: {"CertificateId":"abcb1234","VerifyType":"DNS_AUTO"}`) {
		t.Fatalf("exit %d, %d calls, %q", r.code, e.calls.Load(), r.stderr)
	}
}

// --set OrganizationCountry takes a country's name as the wizard does; a
// part of names that fits several lists them, and nothing is sent.
func TestSubmitSetCountryByName(t *testing.T) {
	e := newEnv(t)
	r := e.run(t, "", "--input", exampleFile(t), "--set", "OrganizationCountry=Germany", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, `"OrganizationCountry":"DE"`) || !strings.Contains(r.stderr, "taken as DE — Germany") {
		t.Fatalf("exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = e.run(t, "", "--input", exampleFile(t), "--set", "OrganizationCountry=ger")
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "DE — Germany") || !strings.Contains(r.stderr, "NG — Nigeria") || e.calls.Load() != 0 {
		t.Fatalf("exit %d %q, %d calls", r.code, r.stderr, e.calls.Load())
	}
}
