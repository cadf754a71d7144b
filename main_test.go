package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/certwiz/certwiz/api/sandbox"
)

// These tests drive the real binary, as a user or a script would.

var binary string

func TestMain(m *testing.M) {
	// The binaries run here get one language and no colour switches,
	// whatever shell or CI service runs the tests; a test that wants
	// Chinese or NO_COLOR says so in its own environment.
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE", "NO_COLOR", "CLICOLOR_FORCE"} {
		os.Unsetenv(v)
	}
	os.Setenv("LANG", "C")
	dir, err := os.MkdirTemp("", "certwiz-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "certwiz")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic("build certwiz: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	tmux("kill-server").Run() // the tmux tests' own server, if they started it
	os.RemoveAll(dir)
	os.Exit(code)
}

// startSandbox runs `certwiz sandbox` on a free port and returns its endpoint.
func startSandbox(t *testing.T) string {
	t.Helper()
	cmd := exec.Command(binary, "sandbox", "--listen", "127.0.0.1:0", "--quiet")
	cmd.Env = cleanEnv(t)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if ep, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "endpoint: "); ok {
			go func() {
				for sc.Scan() {
				}
			}()
			return ep
		}
	}
	t.Fatal("sandbox printed no endpoint")
	return ""
}

// cleanEnv is an environment with no credentials and an empty home.
func cleanEnv(t *testing.T) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TENCENTCLOUD_") && !strings.HasPrefix(kv, "TCCLI_") && !strings.HasPrefix(kv, "HOME=") &&
			!strings.HasPrefix(kv, "XDG_") && !strings.HasPrefix(kv, "CERTWIZ_") {
			env = append(env, kv)
		}
	}
	return append(env, "HOME="+t.TempDir(), "LANG=C")
}

func demoEnv(t *testing.T) []string {
	return append(cleanEnv(t), "TENCENTCLOUD_SECRET_ID="+sandbox.DemoSecretID, "TENCENTCLOUD_SECRET_KEY="+sandbox.DemoSecretKey)
}

func run(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func TestBinarySubmitsTheReferenceExampleToTheSandbox(t *testing.T) {
	ep := startSandbox(t)
	code, out, errOut := run(t, demoEnv(t), "submit", "--input", "example.json", "--endpoint", ep, "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	var res struct{ CertificateId, RequestId string }
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.CertificateId != "abcb1234" || len(res.RequestId) != 36 {
		t.Fatalf("stdout %q", out)
	}
}

func TestBinaryExitCodes(t *testing.T) {
	ep := startSandbox(t)
	cases := []struct {
		name string
		env  []string
		args []string
		code int
	}{
		{"unknown flag", demoEnv(t), []string{"submit", "--nope"}, 2},
		{"unknown command", demoEnv(t), []string{"frobnicate"}, 2},
		{"invalid input", demoEnv(t), []string{"submit", "--input", "example.json", "--set", "AdminEmail=x", "--endpoint", ep}, 2},
		{"rejected", demoEnv(t), []string{"submit", "--input", "example.json", "--set", "CertificateId=issued01", "--endpoint", ep}, 3},
		{"no credentials", cleanEnv(t), []string{"submit", "--input", "example.json", "--endpoint", ep}, 4},
		{"HTTP 500", demoEnv(t), []string{"submit", "--input", "example.json", "--set", "CertificateId=testHTTP500", "--endpoint", ep}, 5},
		{"timeout", demoEnv(t), []string{"submit", "--input", "example.json", "--set", "CertificateId=testSlow", "--endpoint", ep, "--timeout", "300ms"}, 5},
		{"bad language", demoEnv(t), []string{"errors", "--language", "fr"}, 2},
		{"wizard without a terminal", demoEnv(t), nil, 2},
		{"wizard without a terminal, TERM=dumb", append(demoEnv(t), "TERM=dumb", "ACCESSIBLE=1"), nil, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if code, out, errOut := run(t, c.env, c.args...); code != c.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, c.code, out, errOut)
			}
		})
	}
}

func TestBinaryInterruptExits130(t *testing.T) {
	ep := startSandbox(t)
	cmd := exec.Command(binary, "submit", "--input", "example.json", "--set", "CertificateId=testSlow", "--endpoint", ep, "--json")
	cmd.Env = demoEnv(t)
	var out strings.Builder
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 || !strings.Contains(out.String(), "ClientError.Canceled") {
		t.Fatalf("err %v, stdout %q", err, out.String())
	}
}

func TestBinaryVersionAndErrors(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		if code, out, _ := run(t, cleanEnv(t), args...); code != 0 || !strings.HasPrefix(out, "certwiz ") || !strings.Contains(out, "(commit ") || !strings.Contains(out, ", built ") {
			t.Fatalf("%v: %d %q", args, code, out)
		}
	}
	if code, out, _ := run(t, cleanEnv(t), "man"); code != 0 || !strings.Contains(out, ".TH \"CERTWIZ\" \"1\"") || !strings.Contains(out, "submit") {
		t.Fatalf("man: %d %.200q", code, out)
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		if code, out, _ := run(t, cleanEnv(t), "completion", shell); code != 0 || !strings.Contains(out, "certwiz") {
			t.Fatalf("completion %s: %d", shell, code)
		}
	}
	code, out, _ := run(t, cleanEnv(t), "errors", "AuthFailure.SignatureExpire")
	if code != 0 || !strings.Contains(out, "clock") || !strings.Contains(out, "Exit code: 4") {
		t.Fatalf("errors: %d %q", code, out)
	}
	code, out, _ = run(t, cleanEnv(t), "errors", "FailedOperation.CertificateInfoSubmitDomainInvalid", "--language", "zh-CN")
	if code != 0 || !strings.Contains(out, "域名不合法") || !strings.Contains(out, "对应步骤: 域名") {
		t.Fatalf("errors zh: %d %q", code, out)
	}
}

func TestBinaryProfileRoundTrip(t *testing.T) {
	ep := startSandbox(t)
	env := demoEnv(t)
	if code, _, errOut := run(t, env, "profiles", "import", "example.json", "--name", "acme"); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	code, out, _ := run(t, env, "profiles", "export", "acme", "--format", "json")
	var got, want map[string]any
	data, _ := os.ReadFile("example.json")
	json.Unmarshal(data, &want)
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || len(got) != len(want) {
		t.Fatalf("export: %d %s", code, out)
	}
	for k, v := range want {
		if k != "DomainList" && got[k] != v {
			t.Fatalf("export %s = %v, want %v", k, got[k], v)
		}
	}
	code, out, errOut := run(t, env, "submit", "--profile", "acme", "--endpoint", ep, "--json")
	var res struct{ RequestId string }
	if json.Unmarshal([]byte(out), &res); code != 0 || res.RequestId == "" {
		t.Fatalf("submit: %d %s %s", code, out, errOut)
	}
	code, out, _ = run(t, env, "history")
	if code != 0 || !strings.Contains(out, res.RequestId) || !strings.Contains(out, "acme") {
		t.Fatalf("history: %d %s", code, out)
	}
	if code, _, errOut := run(t, env, "profiles", "show", "../../etc/passwd"); code != 2 || !strings.Contains(errOut, "invalid profile name") {
		t.Fatalf("escaping name: %d %s", code, errOut)
	}
}

func TestBinaryUnknownFlagPointsAtHelpOnce(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "Error: unknown flag: --bogus\nRun 'certwiz --help' for usage.\n"},
		{[]string{"submit", "--bogus"}, "Error: unknown flag: --bogus\nRun 'certwiz submit --help' for usage.\n"},
	} {
		if code, out, errOut := run(t, cleanEnv(t), c.args...); code != 2 || out != "" || errOut != c.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q, want %q", c.args, code, out, errOut, c.want)
		}
	}
}

// runStdin runs certwiz with answers on a pipe and returns what it left unread.
func runStdin(t *testing.T, env []string, answers string, args ...string) (code int, stdout, stderr, unread string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w.WriteString(answers)
	w.Close()
	cmd := exec.Command(binary, args...)
	cmd.Env, cmd.Stdin = env, r
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	left, _ := io.ReadAll(r)
	return code, out.String(), errb.String(), string(left)
}

func TestBinaryWizardWithoutATerminal(t *testing.T) {
	for name, extra := range map[string][]string{"plain": nil, "ACCESSIBLE=1": {"ACCESSIBLE=1"}, "TERM=dumb": {"TERM=dumb"}} {
		code, out, errOut, unread := runStdin(t, append(demoEnv(t), extra...), "1\n")
		if code != 2 || out != "" || unread != "1\n" || !strings.Contains(errOut, "certwiz submit") || strings.Contains(errOut, "reading answers") {
			t.Errorf("%s: exit %d, unread %q, stdout %q, stderr %q", name, code, unread, out, errOut)
		}
	}
	// Only the flag runs the prompts from a pipe, and it says so first.
	home := t.TempDir()
	code, out, errOut, _ := runStdin(t, cleanEnv(t), "", "--accessible", "--sandbox", "--config-dir", home)
	first, _, _ := strings.Cut(errOut, "\n")
	if first != "certwiz: no terminal; reading answers from standard input, one per line" || !strings.Contains(out, "Endpoint: http://127.0.0.1:") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestBinaryDryRunWithoutCredentials(t *testing.T) {
	code, out, errOut := run(t, cleanEnv(t), "submit", "--input", "example.json", "--dry-run")
	want := "Authorization: (not signed: no credentials found — set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or see certwiz --help)\n"
	if code != 0 || !strings.HasPrefix(out, "POST https://ssl.tencentcloudapi.com/\n") || !strings.Contains(out, want) ||
		!strings.Contains(out, "X-Tc-Action: SubmitCertificateInformation\n") || !strings.HasSuffix(out, `"PostalCode":"518000"}`+"\n") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestBinaryManPageDate(t *testing.T) {
	env := cleanEnv(t)
	code, out, _ := run(t, append(env, "SOURCE_DATE_EPOCH=1700000000"), "man")
	if code != 0 || !strings.Contains(out, `.TH "CERTWIZ" "1" "Nov 2023"`) {
		t.Fatalf("SOURCE_DATE_EPOCH: exit %d %.120q", code, out)
	}
	// A dev build: the commit's time if recorded, else today; never 1970.
	code, out, _ = run(t, env, "man")
	th, _, _ := strings.Cut(out[strings.Index(out, ".TH"):], "\n")
	if code != 0 || strings.Contains(th, "1970") {
		t.Fatalf("exit %d, %q", code, th)
	}
}

func TestBinaryHelpAndManStateExitCodesEnvironmentAndFiles(t *testing.T) {
	lines := []string{
		"0    success",
		"1    unexpected failure",
		"2    usage error or invalid/incomplete input",
		"3    the service rejected the request",
		"4    credentials or permission",
		"5    transport",
		"6    still waiting",
		"130  interrupted by the user",
		"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_CREDENTIALS_FILE",
		"TCCLI_PROFILE", "CERTWIZ_CONFIG_DIR", "CERTWIZ_STATE_DIR", "XDG_CONFIG_HOME", "XDG_STATE_HOME",
		"LC_ALL", "LANG", "ACCESSIBLE", "TERM", "NO_COLOR", "EDITOR",
		"~/.config/certwiz", "<config folder>/profiles/NAME.yaml", "~/.local/state/certwiz", "<state folder>/history.jsonl",
	}
	_, help, _ := run(t, cleanEnv(t), "--help")
	_, man, _ := run(t, cleanEnv(t), "man")
	// The man page escapes its backslashes and hyphens.
	man = strings.NewReplacer(`\-`, "-", `\\`, `\`, `\&`, "").Replace(man)
	for _, l := range lines {
		if !strings.Contains(help, l) {
			t.Errorf("--help lacks %q", l)
		}
		if !strings.Contains(man, l) {
			t.Errorf("the man page lacks %q", l)
		}
	}
	for _, l := range strings.Split(help, "\n") {
		if strings.HasPrefix(l, "Usage:") {
			break
		}
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("--help line of %d columns: %q", n, l)
		}
	}
}

// Issue 20: the README's install-and-renew example works as printed, line
// by line, with the built binary in a fresh home.
func TestBinaryReadmeRenewExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "Try both on the sandbox")
	_, block, ok2 := strings.Cut(rest, "```sh\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("the README has no sandbox example for install and renew")
	}
	dir := t.TempDir()
	env := append(cleanEnv(t), "PATH="+filepath.Dir(binary)+":/usr/bin:/bin")
	var last string
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		cmdline, _, _ := strings.Cut(line, "#")
		cmd := exec.Command("sh", "-c", strings.TrimSpace(cmdline))
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", cmdline, err, out)
		}
		last = string(out)
	}
	if !strings.Contains(last, "free.example.com: renewed: expfree1 → apply001") {
		t.Fatalf("the last line of the example printed:\n%s", last)
	}
}
