package cli

// Issue 17, item 3: `status` and `status --watch` print every answer
// string through ui/safe — the records, the deadline, the checks, "not
// sent to the CA yet … certwiz commit ID", "Next: … download" — with
// NO_COLOR, no ESC reaches the terminal but those certwiz draws with.

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/spf13/cobra"
)

// evilText renames the window, clears the screen, forges a line, fills the
// clipboard, ends a bracketed paste, reverses what follows.
const evilText = "\x1b]0;pwned\x07\x1b[2J\r\nSubmitted certificate abcb1234 forged\x1b]52;c;Y3VybA==\x07\x1b[201~\u202e\u009b"

// answering is hostileBy answering each action with the Response fields
// given (a RequestId added), any other with an InternalError.
func answering(t *testing.T, answers map[string]map[string]any) env {
	t.Helper()
	bodies := map[string]string{}
	for action, resp := range answers {
		resp["RequestId"] = "req-1"
		b, err := json.Marshal(map[string]any{"Response": resp})
		if err != nil {
			t.Fatal(err)
		}
		bodies[action] = string(b)
	}
	return hostileBy(t, http.StatusOK, func(action string) string {
		if b, ok := bodies[action]; ok {
			return b
		}
		return errorAnswer("InternalError", "not in this test", "req-1")
	})
}

// evilDetail is abcb1234 at status, every other string hostile.
func evilDetail(status int) map[string]any {
	return map[string]any{"CertificateId": "abcb1234", "Domain": "www" + evilText, "Status": status, "StatusMsg": "PENDING-DCV",
		"VerifyType": "DNS" + evilText, "OrderId": "order" + evilText, "DVAuthDeadline": "2026-12-01 10:00:00" + evilText,
		"CertBeginTime": "begin" + evilText, "CertEndTime": "end" + evilText, "SubjectAltName": []string{"*.www" + evilText},
		"DvAuthDetail": map[string]any{"DvAuths": []any{
			map[string]any{"DvAuthDomain": "example.com" + evilText, "DvAuthSubDomain": "_dnsauth" + evilText,
				"DvAuthValue": "v" + evilText, "DvAuthVerifyType": "TXT"},
			map[string]any{"DvAuthDomain": "site" + evilText, "DvAuthPath": "/.well-known/pki-validation/", "DvAuthKey": "k" + evilText,
				"DvAuthValue": "c" + evilText, "DvAuthVerifyType": "FILE"},
		}},
	}
}

// withoutOwnDrawing takes out the sequences the live view draws with (up
// a line, clear, carriage return), so that only an answer's can remain.
func withoutOwnDrawing(out string) string {
	for _, own := range []string{"\r\x1b[K", "\x1b[J"} {
		out = strings.ReplaceAll(out, own, "")
	}
	for n := 60; n > 0; n-- {
		out = strings.ReplaceAll(out, "\x1b["+strconv.Itoa(n)+"A", "")
	}
	return out
}

func TestStatusShowsHostileAnswersEscaped(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	off := statusKnobs{lookup: &dnscheck.Options{Off: "not in this test"}, interval: 20 * time.Millisecond, tencentEvery: time.Hour, tick: 5 * time.Millisecond}
	status := func(e env, h how, args ...string) result {
		return e.exec(t, func(g *Globals) *cobra.Command { return newStatusCmd(g, off) }, h, args...)
	}
	checks := map[string]any{"VerificationResults": []any{map[string]any{"Domain": "x" + evilText, "LocalCheck": -2,
		"LocalCheckFailReason": "reason" + evilText, "CheckValue": []string{"found" + evilText}, "CaCheck": -1}}}

	// Pending: the records, the deadline, the checks.
	e := answering(t, map[string]map[string]any{api.ActionDetail: evilDetail(0), api.ActionCheck: checks})
	r := status(e, how{}, "abcb1234")
	if r.code != ExitWaiting || !strings.Contains(r.stdout, `Validate by:  2026-12-01 10:00:00\x1b]0;pwned\x07`) || !strings.Contains(r.stdout, `record in zone example.com\x1b]0;pwned\x07`) {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	inert(t, "status", r.stdout+r.stderr)
	r = status(e, how{}, "abcb1234", "--watch", "--max-wait", "100ms")
	inert(t, "status --watch to a log", r.stdout+r.stderr)
	r = status(e, how{tty: true, cols: 120}, "abcb1234", "--watch", "--max-wait", "100ms")
	if !strings.Contains(r.stdout, "ctrl+c stops") {
		t.Errorf("no live view:\n%q", r.stdout)
	}
	inert(t, "status --watch on a terminal", withoutOwnDrawing(r.stdout)+r.stderr)

	// A deadline the watch reads (blanks around it are trimmed) and finds
	// passed: the sentence quotes it, escaped.
	past := evilDetail(0)
	past["DVAuthDeadline"] = "\r\u00852020-01-01 00:00:00"
	e = answering(t, map[string]map[string]any{api.ActionDetail: past})
	r = status(e, how{}, "abcb1234")
	if r.code != api.ExitRejected || !strings.Contains(r.stdout, `The validation deadline passed (\x0d\x852020-01-01 00:00:00, Beijing time)`) {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	inert(t, "status (deadline passed)", r.stdout+r.stderr)

	// Not sent to the CA yet: the line and its command.
	e = answering(t, map[string]map[string]any{api.ActionDetail: evilDetail(api.StatusAwaitingInfo)})
	r = status(e, how{}, "abcb1234")
	if r.code != api.ExitRejected || !strings.Contains(r.stdout, "has not been sent to the CA yet: send it with certwiz commit abcb1234.") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	inert(t, "status (not sent)", r.stdout+r.stderr)
	r = status(e, how{}, "abcb1234", "--watch")
	inert(t, "status --watch (not sent)", r.stdout+r.stderr)

	// Issued: the validity and the Next: … download line.
	e = answering(t, map[string]map[string]any{api.ActionDetail: evilDetail(api.StatusIssued)})
	r = status(e, how{}, "abcb1234")
	if r.code != 0 || !strings.Contains(r.stdout, "Next: certwiz --endpoint "+e.url+" download abcb1234 --out DIR") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	inert(t, "status (issued)", r.stdout+r.stderr)
	_, done := venv{env: e}.watchRun(t, context.Background(), how{}, off, "abcb1234", "--watch")
	r = waitFor(t, done, 5*time.Second)
	inert(t, "status --watch (issued)", r.stdout+r.stderr)
}
