package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/spf13/cobra"
)

// how runs a command: its stdin, whether the streams count as a terminal
// (and how wide it is), and the language.
type how struct {
	stdin string
	tty   bool
	cols  int
	lang  string
}

// exec runs a command built by mk with ARGS against the sandbox.
func (e env) exec(t *testing.T, mk func(*Globals) *cobra.Command, h how, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	if h.lang == "" {
		h.lang = api.English
	}
	g := &Globals{IO: IO{In: strings.NewReader(h.stdin), Out: &out, Err: &errb, tty: h.tty, cols: h.cols},
		Endpoint: e.url, Timeout: 10 * time.Second, Language: h.lang, Version: "test", transport: e.transport}
	cmd := mk(g)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.ExecuteContext(context.Background())
	code := ExitCode(err, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func (e env) certs(t *testing.T, args ...string) result {
	t.Helper()
	return e.exec(t, NewCertsCmd, how{}, args...)
}

// ids are the first column of `certs` lines (after the header).
func ids(t *testing.T, stdout string) []string {
	t.Helper()
	return firstColumn(t, stdout, "CERTIFICATE\tDOMAINS\tPRODUCT\tSTATUS\tDATE (BEIJING TIME)") // the dates are Tencent's, Beijing time
}

// dueIDs are the first column of `certs --expiring` lines (after the header).
func dueIDs(t *testing.T, stdout string) []string {
	t.Helper()
	return firstColumn(t, stdout, "CERTIFICATE\tDOMAINS\tPRODUCT\tDAYS LEFT\tDATE (BEIJING TIME)")
}

// firstColumn is the first column of tab-separated lines under header.
func firstColumn(t *testing.T, stdout, header string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) == 0 || lines[0] != header {
		t.Fatalf("no header: %q", stdout)
	}
	var out []string
	for _, l := range lines[1:] {
		out = append(out, strings.Split(l, "\t")[0])
	}
	return out
}

func TestCertsListsWhatNeedsYouNewestFirst(t *testing.T) {
	e := newEnv(t)
	r := e.certs(t)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := []string{"dnsauto1", "dcvwait1", "review01", "letter01", "abcb1234", "demo0001", "demo0002", "demo0003", "renpaid1"}
	if got := ids(t, r.stdout); !slices.Equal(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
	// Seeded deadlines move with the clock (the sandbox keeps them ahead).
	dcv, _ := e.sb.Certificate("dcvwait1")
	for _, line := range []string{
		"abcb1234\twww.example.com,example.com\tTrustAsia DV 多域名\tawaiting information\tordered 2026-11-20 10:15:00",
		"dcvwait1\tblog.example.com\tDNSPod DV\tawaiting domain validation\tvalidate by " + dcv.DVAuthDeadline,
		"letter01\t*.corp.example.com,corp.example.com\tSecureSite OV 通配符\tawaiting confirmation letter\t",
	} {
		if !strings.Contains(r.stdout, line) {
			t.Errorf("stdout lacks %q:\n%s", line, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "9 certificate(s) awaiting information, under review or awaiting validation") || !strings.Contains(r.stderr, "Credentials: ") {
		t.Fatalf("stderr %q", r.stderr)
	}
	if calls := e.sb.Calls(sandbox.ActionDescribe); len(calls) != 1 {
		t.Fatalf("%d DescribeCertificates calls, want 1", len(calls))
	}
}

func TestCertsStatusGroupsAndSearch(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--status", "issued"}, []string{"longlive1", "expfree1", "issued01", "exppaid2", "exppaid1"}},
		{[]string{"--status", "awaiting"}, []string{"abcb1234", "demo0001", "demo0002", "demo0003", "renpaid1"}},
		{[]string{"--status", "reviewing"}, []string{"dnsauto1", "dcvwait1", "review01", "letter01"}},
		{[]string{"--status", "ALL", "--search", "example.org"}, []string{"demo0002"}},
		{[]string{"--search", "corp"}, []string{"letter01"}},
	} {
		r := e.certs(t, c.args...)
		if got := ids(t, r.stdout); r.code != 0 || !slices.Equal(got, c.want) {
			t.Errorf("%v: exit %d, listed %v, want %v (%s)", c.args, r.code, got, c.want, r.stderr)
		}
	}
	if r := e.certs(t, "--status", "all"); len(ids(t, r.stdout)) != len(sandbox.Certificates)-1 {
		t.Errorf("--status all listed %d, want every seeded certificate (%d)", len(ids(t, r.stdout)), len(sandbox.Certificates)-1)
	}
	before := e.calls.Load()
	r := e.certs(t, "--status", "pending")
	if r.code != api.ExitInput || !strings.Contains(r.stderr, `--status "pending": use one of awaiting, reviewing, issued, all`) || e.calls.Load() != before {
		t.Fatalf("bad --status: exit %d, %q, %d calls", r.code, r.stderr, e.calls.Load()-before)
	}
	r = e.certs(t, "--status", "pending", "--json")
	if m := decodeOne(t, r.stdout); r.code != api.ExitInput || m["Error"].(map[string]any)["Code"] != api.CodeInvalid {
		t.Fatalf("bad --status --json: exit %d %v", r.code, m)
	}
}

func TestCertsJSONShape(t *testing.T) {
	e := newEnv(t)
	r := e.exec(t, NewCertsCmd, how{lang: api.Chinese}, "--json", "--status", "all")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got struct {
		TotalCount   int
		Certificates []map[string]any
	}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil || dec.More() {
		t.Fatalf("stdout is not one JSON object: %v %q", err, r.stdout)
	}
	if !slices.Equal(keys(decodeOne(t, r.stdout)), []string{"Certificates", "TotalCount"}) {
		t.Fatalf("top-level keys %v", keys(decodeOne(t, r.stdout)))
	}
	if got.TotalCount != len(got.Certificates) || got.TotalCount != len(sandbox.Certificates)-1 {
		t.Fatalf("TotalCount %d, %d certificates", got.TotalCount, len(got.Certificates))
	}
	want := []string{"CertEndTime", "CertificateId", "DVAuthDeadline", "Domain", "InsertTime", "ProductName", "Status", "StatusMsg", "StatusName", "SubjectAltName", "VerifyType"}
	byID := map[string]map[string]any{}
	for _, c := range got.Certificates {
		if !slices.Equal(keys(c), want) {
			t.Fatalf("keys %v, want %v", keys(c), want)
		}
		byID[c["CertificateId"].(string)] = c
	}
	abc := byID["abcb1234"]
	if abc["StatusName"] != "待提交资料" || abc["Status"] != json.Number("5") || abc["ProductName"] != "TrustAsia DV 多域名" ||
		abc["Domain"] != "www.example.com" || len(abc["SubjectAltName"].([]any)) != 2 || abc["InsertTime"] != "2026-11-20 10:15:00" {
		t.Fatalf("abcb1234 = %v", abc)
	}
	st, _ := e.sb.Certificate("dcvwait1")
	if dcv := byID["dcvwait1"]; dcv["StatusName"] != "等待域名验证" || dcv["StatusMsg"] != "PENDING-DCV" || dcv["DVAuthDeadline"] != st.DVAuthDeadline || dcv["VerifyType"] != "DNS" {
		t.Fatalf("dcvwait1 = %v", dcv)
	}
	if iss := byID["issued01"]; iss["CertEndTime"] != "2027-03-01 23:59:59" {
		t.Fatalf("issued01 = %v", iss)
	}
}

// Thousands of certificates: every page is read (1000 at a time), none is
// lost or repeated, newest first.
func TestCertsPagesThroughThousands(t *testing.T) {
	e := newEnvWith(t, sandbox.Options{Rate: 100, ExtraCertificates: 2500})
	r := e.certs(t, "--status", "awaiting", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got struct {
		TotalCount   int
		Certificates []struct{ CertificateId, InsertTime string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	const want = 2500 + 5 // the bulk ones, abcb1234, demo0001…demo0003 and renpaid1
	if got.TotalCount != want || len(got.Certificates) != want {
		t.Fatalf("TotalCount %d, %d listed, want %d", got.TotalCount, len(got.Certificates), want)
	}
	seen := map[string]bool{}
	for i, c := range got.Certificates {
		if seen[c.CertificateId] {
			t.Fatalf("%s listed twice", c.CertificateId)
		}
		seen[c.CertificateId] = true
		if i > 0 && c.InsertTime > got.Certificates[i-1].InsertTime {
			t.Fatalf("not newest first at %d: %s after %s", i, c.InsertTime, got.Certificates[i-1].InsertTime)
		}
	}
	if n := len(e.sb.Calls(sandbox.ActionDescribe)); n != 3 {
		t.Fatalf("%d pages read, want 3", n)
	}
	// Plain lines too: one per certificate.
	if r := e.certs(t, "--status", "awaiting"); len(ids(t, r.stdout)) != want {
		t.Fatalf("plain: %d lines", len(ids(t, r.stdout)))
	}
}

func TestCertsEmptySaysWhatAllWouldShow(t *testing.T) {
	e := newEnv(t)
	r := e.certs(t, "--status", "issued", "--search", "mail")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("exit %d stdout %q", r.code, r.stdout)
	}
	for _, want := range []string{`No certificate issued matches "mail".`, "certwiz certs --status all --search mail would show 1 certificate(s) of other statuses."} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	r = e.certs(t, "--status", "all", "--search", "nothing-like-this")
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "No certificate of any status matches") {
		t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	r = e.certs(t, "--search", "nothing-like-this", "--json")
	if m := decodeOne(t, r.stdout); r.code != 0 || m["TotalCount"] != 0.0 || len(m["Certificates"].([]any)) != 0 {
		t.Fatalf("--json: %v", m)
	}
}

func TestCertsErrorsGoThroughTheGuide(t *testing.T) {
	e := newEnv(t)
	r := e.certs(t, "--search", "testDescribeAuthError")
	if r.code != api.ExitAuth || !strings.Contains(r.stderr, "Error: No permission to list certificates [FailedOperation.AuthError]") ||
		!strings.Contains(r.stderr, "ssl:DescribeCertificates") || r.stdout != "" {
		t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	r = e.certs(t, "--search", "testDescribeInternal", "--json")
	m := decodeOne(t, r.stdout)
	if !slices.Equal(keys(m), []string{"Error", "RequestId"}) || m["Error"].(map[string]any)["Code"] != "InternalError" || r.code != api.ExitTransport {
		t.Fatalf("exit %d %v", r.code, m)
	}
}

// On a terminal: an aligned table no wider than the terminal, every
// certificate and every name in it; too narrow for a table, a few lines
// per certificate.
func TestCertsTableFitsTheTerminal(t *testing.T) {
	e := newEnv(t)
	for _, lang := range []string{api.English, api.Chinese} {
		for _, cols := range []int{200, 120, 100, 80, 64, 40, 24} {
			r := e.exec(t, NewCertsCmd, how{tty: true, cols: cols, lang: lang}, "--status", "all")
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			for _, l := range strings.Split(strings.TrimRight(r.stdout, "\n"), "\n") {
				if textWidth(l) > cols {
					t.Fatalf("%s, %d columns: a line of %d: %q\n%s", lang, cols, textWidth(l), l, r.stdout)
				}
			}
			for _, c := range sandbox.Certificates {
				if !c.Range && !strings.Contains(r.stdout, c.ID) {
					t.Fatalf("%s, %d columns: %s missing\n%s", lang, cols, c.ID, r.stdout)
				}
			}
			if cols >= 100 && lang == api.English {
				for _, n := range []string{"mail.example.org,", "www.example.org,", "example.org", "legacy.example.com"} {
					if !strings.Contains(r.stdout, n) {
						t.Fatalf("%d columns: %s missing\n%s", cols, n, r.stdout)
					}
				}
				header := strings.SplitN(r.stdout, "\n", 2)[0]
				if !strings.HasPrefix(header, "CERTIFICATE  DOMAINS") {
					t.Fatalf("%d columns: header %q", cols, header)
				}
				// Columns stay put: the status of abcb1234 starts where the header's STATUS does.
				at := textWidth(header[:strings.Index(header, "STATUS")])
				for _, l := range strings.Split(r.stdout, "\n") {
					if col := textWidth(l[:max(strings.Index(l, "awaiting"), 0)]); strings.HasPrefix(l, "abcb1234") && col != at {
						t.Fatalf("%d columns: STATUS at column %d, abcb1234's status at %d\n%s", cols, at, col, r.stdout)
					}
				}
			}
		}
	}
}

// A server's words reach the terminal disarmed: escapes, bidi overrides
// and line breaks shown escaped, never acted on.
func TestServerTextIsMadeSafe(t *testing.T) {
	var b bytes.Buffer
	e := &api.Error{Action: api.ActionCommit, Service: true, Code: "FailedOperation.NetworkError\x1b[2J", RequestId: "id\u202e",
		Message: "busy\x1b]0;owned\x07\nfake line \u202egpj.exe"}
	printError(&b, e, nil, api.English, "")
	out := b.String()
	for _, want := range []string{`[FailedOperation.NetworkError\x1b[2J]`, `Server message: busy\x1b]0;owned\x07\x0afake line \u202egpj.exe`, `RequestId: id\u202e`} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Fatalf("raw controls printed: %q", out)
	}
}

func TestWrapAndElideKeepWidths(t *testing.T) {
	if got := elideMiddle("averyveryverylongsubdomain.example.com", 20); textWidth(got) != 20 || !strings.HasSuffix(got, "example.com") || !strings.Contains(got, "…") {
		t.Errorf("elideMiddle = %q", got)
	}
	for _, l := range wrapWords("已自动添加 DNS 记录，CA 检查中", 8) {
		if textWidth(l) > 8 {
			t.Errorf("wrapWords line %q wider than 8", l)
		}
	}
	if got := wrapNames([]string{"a.example.com", "b.example.com", "c.example.com"}, 30); !slices.Equal(got, []string{"a.example.com, b.example.com,", "c.example.com"}) {
		t.Errorf("wrapNames = %q", got)
	}
}

// cancelOnSend is a transport that stands for ctrl+c arriving while a
// request is on its way: it cancels the command's context, then sends.
type cancelOnSend struct {
	cancel context.CancelFunc
	next   http.RoundTripper
}

func (c cancelOnSend) RoundTrip(r *http.Request) (*http.Response, error) {
	c.cancel()
	return c.next.RoundTrip(r)
}

// Trust issue, item 19: interrupting certs (ctrl+c while it pages) says
// it was interrupted and that nothing changed — it only reads — never the
// submit's "submit again, check the console first" hint. Exit 130.
func TestCertsInterruptedSaysNothingChanged(t *testing.T) {
	e := newEnv(t)
	for _, asJSON := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		var out, errb bytes.Buffer
		g := &Globals{IO: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Endpoint: e.url, Timeout: 10 * time.Second,
			Language: api.English, Version: "test", transport: cancelOnSend{cancel, http.DefaultTransport}}
		cmd := NewCertsCmd(g)
		if asJSON {
			cmd.SetArgs([]string{"--json"})
		}
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		code := ExitCode(cmd.ExecuteContext(ctx), &errb)
		cancel()
		said := strings.ToLower(out.String() + errb.String())
		if code != api.ExitInterrupted || !strings.Contains(said, "nothing was changed") || strings.Contains(said, "submit") {
			t.Fatalf("--json %v: exit %d\nstdout %s\nstderr %s", asJSON, code, out.String(), errb.String())
		}
	}
}

// expiringCmd is `certwiz certs` with its clock at t.
func expiringCmd(t time.Time) func(*Globals) *cobra.Command {
	return func(g *Globals) *cobra.Command { return newCertsCmd(g, func() time.Time { return t }) }
}

// dueWithin lists the seeds that expire within days of now, soonest first:
// the dated ones always fall where they were put; issued01 has a fixed end,
// so whether it is due depends on the day the test runs.
func dueWithin(t *testing.T, now time.Time, days int) []string {
	t.Helper()
	var want []string
	left := map[string]int{"expfree1": 10, "exppaid1": 20, "exppaid2": 25, "longlive1": 300}
	issued, _ := api.ParseTime("2027-03-01 23:59:59")
	fixed, _ := (api.Certificate{CertEndTime: "2027-03-01 23:59:59"}).DaysLeft(now)
	placed := false
	for _, id := range []string{"expfree1", "exppaid1", "exppaid2", "longlive1"} {
		end, _ := api.ParseTime(now.In(api.Beijing).AddDate(0, 0, left[id]).Format("2006-01-02") + " 23:59:59")
		if !placed && fixed <= days && issued.Before(end) {
			want, placed = append(want, "issued01"), true
		}
		if left[id] <= days {
			want = append(want, id)
		}
	}
	if !placed && fixed <= days {
		want = append(want, "issued01")
	}
	return want
}

func TestCertsExpiringSoonestFirst(t *testing.T) {
	e := newEnv(t)
	now := e.sb.Started()
	day := now.In(api.Beijing).Format("2006-01-02")
	r := e.exec(t, expiringCmd(now), how{}, "--expiring")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || lines[0] != "CERTIFICATE\tDOMAINS\tPRODUCT\tDAYS LEFT\tDATE (BEIJING TIME)" {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	st1, _ := e.sb.Certificate("exppaid1")
	for i, want := range []string{
		"expfree1\tfree.example.com\tTrustAsia C1 DV Free\t10\texpires ",
		"exppaid1\tshop.example.com,www.shop.example.com\tTrustAsia DV 多域名\t20\texpires " + st1.CertEndTime,
		"exppaid2\tpay.example.com\tDNSPod DV\t25\texpires ",
	} {
		if got := slices.DeleteFunc(slices.Clone(lines[1:]), func(l string) bool { return strings.HasPrefix(l, "issued01\t") }); i >= len(got) || !strings.HasPrefix(got[i], want) {
			t.Errorf("line %d of\n%s\nwant %q", i+1, r.stdout, want)
		}
	}
	if got, want := dueIDs(t, r.stdout), dueWithin(t, now, 30); !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	if !strings.Contains(r.stderr, fmt.Sprintf("%d certificate(s) issued, expiring within 30 day(s) of %s, Beijing time.", len(lines)-1, day)) {
		t.Errorf("stderr %q", r.stderr)
	}
	// One page of issued certificates, nothing else.
	if n := len(e.sb.Calls(sandbox.ActionDescribe)); n != 1 {
		t.Errorf("%d DescribeCertificates calls", n)
	}
	// A year ahead: longlive1 too; --search narrows as without --expiring.
	r = e.exec(t, expiringCmd(now), how{}, "--expiring", "--days", "365")
	if got, want := dueIDs(t, r.stdout), dueWithin(t, now, 365); r.code != 0 || !slices.Equal(got, want) || !slices.Contains(got, "longlive1") {
		t.Errorf("--days 365: %v, want %v", got, want)
	}
	r = e.exec(t, expiringCmd(now), how{}, "--expiring", "--days", "365", "--search", "shop")
	if got := dueIDs(t, r.stdout); !slices.Equal(got, []string{"exppaid1"}) {
		t.Errorf("--search shop: %v", got)
	}
	// The clock moves: five days on, expfree1 has five left and
	// exppaid2 twenty.
	r = e.exec(t, expiringCmd(now.AddDate(0, 0, 5)), how{}, "--expiring", "--days", "20")
	if !strings.Contains(r.stdout, "expfree1\tfree.example.com\tTrustAsia C1 DV Free\t5\t") || !strings.Contains(r.stdout, "exppaid2\tpay.example.com\tDNSPod DV\t20\t") {
		t.Errorf("five days on:\n%s", r.stdout)
	}
	// Nothing due within a day.
	r = e.exec(t, expiringCmd(now), how{}, "--expiring", "--days", "1")
	if len(dueWithin(t, now, 1)) == 0 && (r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "No certificate issued, expiring within 1 day(s) of "+day)) {
		t.Errorf("--days 1: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestCertsExpiringTable(t *testing.T) {
	e := newEnv(t)
	now := e.sb.Started()
	for lang, want := range map[string][]string{
		api.English: {"DAYS LEFT", "10 days", "20 days", "25 days"},
		api.Chinese: {"剩余天数", "10 天", "20 天", "25 天"},
	} {
		r := e.exec(t, expiringCmd(now), how{tty: true, cols: 80, lang: lang}, "--expiring")
		for _, w := range want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%s: no %q in\n%s", lang, w, r.stdout)
			}
		}
		for _, l := range strings.Split(strings.TrimRight(r.stdout, "\n"), "\n") {
			if textWidth(l) > 80 {
				t.Errorf("%s: a line of %d: %q", lang, textWidth(l), l)
			}
		}
		if strings.Contains(r.stdout, "longlive1") || strings.Contains(r.stdout, "STATUS") {
			t.Errorf("%s:\n%s", lang, r.stdout)
		}
	}
}

func TestCertsExpiringJSON(t *testing.T) {
	e := newEnv(t)
	now := e.sb.Started()
	r := e.exec(t, expiringCmd(now), how{}, "--expiring", "--json")
	var got struct {
		TotalCount   int
		Certificates []map[string]any
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
		t.Fatalf("exit %d %v: %s", r.code, err, r.stdout)
	}
	want := dueWithin(t, now, 30)
	if got.TotalCount != len(want) || len(got.Certificates) != len(want) {
		t.Fatalf("TotalCount %d, %d listed, want %v", got.TotalCount, len(got.Certificates), want)
	}
	keysWant := []string{"CertEndTime", "CertificateId", "DVAuthDeadline", "Domain", "InsertTime", "ProductName", "Status", "StatusMsg", "StatusName", "SubjectAltName", "VerifyType", "daysLeft", "expires"}
	days := map[string]float64{"expfree1": 10, "exppaid1": 20, "exppaid2": 25}
	for i, c := range got.Certificates {
		id := c["CertificateId"].(string)
		if id != want[i] || !slices.Equal(keys(c), keysWant) {
			t.Fatalf("certificate %d: %v, want %s with keys %v", i, c, want[i], keysWant)
		}
		end, _ := api.ParseTime(c["CertEndTime"].(string))
		if c["expires"] != end.Format(time.RFC3339) || !strings.HasSuffix(c["expires"].(string), "+08:00") {
			t.Errorf("%s expires %v, CertEndTime %v", id, c["expires"], c["CertEndTime"])
		}
		if d, ok := days[id]; ok && c["daysLeft"] != d {
			t.Errorf("%s daysLeft %v, want %v", id, c["daysLeft"], d)
		}
	}
}

func TestCertsExpiringUsage(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--days", "10"}, "--days 10: --days only counts with --expiring"},
		{[]string{"--status", "all", "--days", "10"}, "--days 10: --days only counts with --expiring"},
		{[]string{"--expiring", "--days", "0"}, "--days 0: give 1 to 3650 days"},
		{[]string{"--expiring", "--days", "3651"}, "--days 3651: give 1 to 3650 days"},
		{[]string{"--expiring", "--days", "-5"}, "--days -5: give 1 to 3650 days"},
		{[]string{"--expiring", "--status", "issued"}, "--status with --expiring"},
	} {
		before := e.calls.Load()
		r := e.certs(t, c.args...)
		if r.code != api.ExitInput || !strings.Contains(r.stderr, c.says) || r.stdout != "" || e.calls.Load() != before {
			t.Errorf("%v: exit %d %q, %d calls", c.args, r.code, r.stderr, e.calls.Load()-before)
		}
		r = e.certs(t, append(c.args, "--json")...)
		if m := decodeOne(t, r.stdout); r.code != api.ExitInput || m["Error"].(map[string]any)["Code"] != api.CodeInvalid || !strings.Contains(m["Error"].(map[string]any)["Message"].(string), c.says) {
			t.Errorf("%v --json: exit %d %v", c.args, r.code, m)
		}
	}
	if r := e.certs(t, "--expiring", "--days", "3650"); r.code != 0 {
		t.Errorf("--days 3650: exit %d %s", r.code, r.stderr)
	}
}
