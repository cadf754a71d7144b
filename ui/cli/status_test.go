package cli

// certwiz status against the sandbox over loopback, with a DNS server of
// the test's own on 127.0.0.1 where both certwiz's local check and the
// sandbox's CA look (the sandbox publishes nothing itself here).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/spf13/cobra"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/sandbox"
)

// txtZone is a DNS server's TXT records, changed while a test runs.
type txtZone struct {
	mu      sync.Mutex
	txt     map[string][]string
	addr    string
	queries int
}

func (z *txtZone) set(name string, values ...string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.txt[strings.ToLower(dns.Fqdn(name))] = values
}

func (z *txtZone) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	q := r.Question[0]
	z.mu.Lock()
	z.queries++
	values := z.txt[strings.ToLower(q.Name)]
	z.mu.Unlock()
	if q.Qtype == dns.TypeTXT {
		for _, v := range values {
			m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60}, Txt: []string{v}})
		}
	}
	w.WriteMsg(m)
}

// newTXTZone runs a DNS server on 127.0.0.1 until the test ends.
func newTXTZone(t *testing.T) *txtZone {
	t.Helper()
	z := &txtZone{txt: map[string][]string{}}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, Handler: z, NotifyStartedFunc: func() { close(started) }}
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	z.addr = pc.LocalAddr().String()
	return z
}

func (z *txtZone) lookup() *dnscheck.Options {
	return &dnscheck.Options{Resolver: z.addr, Nameservers: []string{z.addr}, Timeout: 2 * time.Second}
}

// validationEnv is a sandbox that looks records up in z, with abcb1234
// submitted (online key, a KeyPassword) and sent to the CA for DNS.
func validationEnv(t *testing.T, o sandbox.Options) (venv, *txtZone) {
	t.Helper()
	z := newTXTZone(t)
	o.SlowDelay, o.Rate, o.NoPublish, o.Lookup = 5*time.Second, 1000, true, z.lookup()
	e := venv{newEnvWith(t, o), z}
	e.submitted(t, "abcb1234", "VerifyType=DNS", "KeyPassword=pw-secret-789")
	if r := e.commit(t, how{}, "abcb1234", "--yes"); r.code != 0 {
		t.Fatalf("commit: %d %s", r.code, r.stderr)
	}
	return e, z
}

// venv is a sandbox env whose status commands look records up in z only:
// never a real resolver.
type venv struct {
	env
	z *txtZone
}

func (e venv) knobs(k statusKnobs) statusKnobs {
	if k.lookup == nil {
		k.lookup = e.z.lookup()
	}
	return k
}

func (e venv) status(t *testing.T, h how, args ...string) result {
	t.Helper()
	return e.statusWith(t, statusKnobs{}, h, args...)
}

func (e venv) statusWith(t *testing.T, k statusKnobs, h how, args ...string) result {
	t.Helper()
	k = e.knobs(k)
	return e.exec(t, func(g *Globals) *cobra.Command { return newStatusCmd(g, k) }, h, args...)
}

// lines is a stream that hands each complete line to a channel.
type lines struct {
	mu  sync.Mutex
	buf bytes.Buffer
	all bytes.Buffer
	ch  chan string
}

func newLines() *lines { return &lines{ch: make(chan string, 1000)} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all.Write(p)
	l.buf.Write(p)
	for {
		line, err := l.buf.ReadString('\n')
		if err != nil {
			l.buf.WriteString(line)
			return len(p), nil
		}
		l.ch <- strings.TrimSuffix(line, "\n")
	}
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.all.String()
}

// watchRun starts `certwiz status ARGS` with the test knobs; done gets
// its result.
func (e venv) watchRun(t *testing.T, ctx context.Context, h how, knobs statusKnobs, args ...string) (*lines, chan result) {
	t.Helper()
	knobs = e.knobs(knobs)
	out, errb := newLines(), newLines()
	if h.lang == "" {
		h.lang = api.English
	}
	g := &Globals{IO: IO{In: strings.NewReader(""), Out: out, Err: errb, tty: h.tty, cols: h.cols},
		Endpoint: e.url, Timeout: 10 * time.Second, Language: h.lang, Version: "test"}
	cmd := newStatusCmd(g, knobs)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errb)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	done := make(chan result, 1)
	go func() {
		err := cmd.ExecuteContext(ctx)
		code := ExitCode(err, errb)
		done <- result{code: code, stdout: out.String(), stderr: errb.String()}
	}()
	return out, done
}

var fast = statusKnobs{interval: 50 * time.Millisecond, tencentEvery: 100 * time.Millisecond, backoff: 200 * time.Millisecond, tick: 20 * time.Millisecond}

func waitFor(t *testing.T, done chan result, d time.Duration) result {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(d):
		t.Fatalf("the watch did not end within %s", d)
	}
	return result{}
}

// noSecretShown fails when a key, its password or a private key shows.
func noSecretShown(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		for _, bad := range []string{"PRIVATE KEY", "KeyPassword", "pw-secret-789"} {
			if strings.Contains(s, bad) {
				t.Fatalf("%q shown:\n%s", bad, s)
			}
		}
	}
}

// One round: the records in every form, each server's answer, Tencent's
// check in words, the deadline in Beijing time; exit 6 while waiting.
func TestStatusShowsRecordsReadyToPaste(t *testing.T) {
	e, z := validationEnv(t, sandbox.Options{FrequentWindow: 10 * time.Millisecond})
	r := e.status(t, how{}, "abcb1234", "--json")
	if r.code != ExitWaiting {
		t.Fatalf("exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	m := decodeOne(t, r.stdout)
	if !slices.Equal(keys(m), []string{"CertificateId", "DVAuthDeadline", "Issued", "OrderId", "Records", "RequestId", "Status", "StatusMsg", "StatusName", "VerifyType"}) {
		t.Fatalf("keys %v", keys(m))
	}
	if m["Status"] != 0.0 || m["StatusMsg"] != "PENDING-DCV" || m["StatusName"] != "awaiting domain validation" || m["Issued"] != false || m["VerifyType"] != "DNS" || m["OrderId"] == "" || m["RequestId"] == "" || m["DVAuthDeadline"] == "" {
		t.Fatalf("status %v", m)
	}
	recs := m["Records"].([]any)
	if len(recs) != 2 {
		t.Fatalf("records %v", recs)
	}
	www := recs[0].(map[string]any)
	if !slices.Equal(keys(www), []string{"Domain", "FQDN", "Host", "Local", "Tencent", "Type", "URL", "Value"}) {
		t.Fatalf("record keys %v", keys(www))
	}
	local, tencent := www["Local"].(map[string]any), www["Tencent"].(map[string]any)
	if www["Domain"] != "www.example.com" || www["Type"] != "TXT" || www["Host"] != "_dnsauth.www" || www["FQDN"] != "_dnsauth.www.example.com." || www["Value"] == "" || www["URL"] != "" {
		t.Fatalf("www record %v", www)
	}
	if !slices.Equal(keys(local), []string{"Answers", "Found", "Servers"}) || local["Found"] != false || local["Servers"].([]any)[0] != z.addr {
		t.Fatalf("local %v", local)
	}
	if !slices.Equal(keys(tencent), []string{"CaCheck", "LocalCheck", "Reason"}) || tencent["LocalCheck"] != -1.0 || tencent["CaCheck"] != -1.0 {
		t.Fatalf("tencent %v", tencent)
	}
	bare := recs[1].(map[string]any)
	if bare["Domain"] != "example.com" || bare["Host"] != "_dnsauth" || bare["FQDN"] != "_dnsauth.example.com." {
		t.Fatalf("bare record %v", bare)
	}

	// One value in place, the other wrong: each shown as the server answers.
	z.set("_dnsauth.www.example.com", www["Value"].(string))
	z.set("_dnsauth.example.com", "stale-value")
	time.Sleep(20 * time.Millisecond) // past the sandbox's window for Frequently answers
	r = e.status(t, how{}, "abcb1234")
	for _, want := range []string{
		"Certificate www.example.com (abcb1234) — awaiting domain validation (status 0)",
		"CA order:", "Validate by:", "(Beijing time, UTC+8; ",
		"Create these records (1 of 2 found so far):",
		"1. www.example.com — TXT record in zone example.com",
		"Host (in the zone):   _dnsauth.www",
		"Full name:            _dnsauth.www.example.com\n",
		"Full name with dot:   _dnsauth.www.example.com.\n",
		"Value:                " + www["Value"].(string),
		"Local check:          ✓ found at " + z.addr,
		"✓ found at resolver " + z.addr,
		"Tencent's check:      found and matching (LocalCheck 1); CA check not passed yet",
		"2. example.com — TXT record in zone example.com",
		"≠ other value at " + z.addr + `: "stale-value"`,
		"TXT record found with another value (LocalCheck -2)",
		"Note: example.com and www.example.com are two names: each needs its own record (_dnsauth and _dnsauth.www).",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if r.code != ExitWaiting || t.Failed() {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	time.Sleep(20 * time.Millisecond)
	zh := e.status(t, how{lang: api.Chinese}, "abcb1234")
	for _, want := range []string{"主机记录", "带点的完整名称", "北京时间", "腾讯云检查"} {
		if !strings.Contains(zh.stdout, want) {
			t.Errorf("zh lacks %q:\n%s", want, zh.stdout)
		}
	}
	noSecretShown(t, r.stdout, r.stderr, zh.stdout, zh.stderr)
	if n := e.sb.Completions("abcb1234"); n != 0 {
		t.Fatalf("%d completions without every record found", n)
	}
}

// The watch of the issue's "done": a missing record shows Found false,
// appears when the test adds it, CompleteCertificate is called exactly
// once, and the watch exits 0 when issued; JSON Lines, one per change.
func TestStatusWatchJSONFollowsToIssuance(t *testing.T) {
	e, z := validationEnv(t, sandbox.Options{IssueDelay: 300 * time.Millisecond, FrequentWindow: 20 * time.Millisecond})
	out, done := e.watchRun(t, context.Background(), how{}, fast, "abcb1234", "--watch", "--json", "--max-wait", "20s")
	var objs []map[string]any
	added := false
	for {
		select {
		case l := <-out.ch:
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("not a JSON line: %q", l)
			}
			objs = append(objs, m)
			recs := m["Records"].([]any)
			if !added {
				for _, r := range recs {
					rec := r.(map[string]any)
					if rec["Local"].(map[string]any)["Found"] != false {
						t.Fatalf("found before the test added it: %v", rec)
					}
					z.set(rec["FQDN"].(string), rec["Value"].(string))
				}
				added = true
			}
			continue
		case r := <-done:
			if r.code != 0 {
				t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			if n := e.sb.Completions("abcb1234"); n != 1 {
				t.Fatalf("%d completions", n)
			}
			last := objs[len(objs)-1]
			if last["Issued"] != true || last["Status"] != 1.0 {
				t.Fatalf("last line %v", last)
			}
			// Issued: Local is this round's check (found), or absent when
			// none was made — never a "not found" no check said.
			for _, r := range last["Records"].([]any) {
				if l, has := r.(map[string]any)["Local"]; has && l.(map[string]any)["Found"] != true {
					t.Fatalf("issued, yet Local %v", l)
				}
			}
			sawFound := false
			for _, m := range objs[1:] {
				for _, r := range m["Records"].([]any) {
					if r.(map[string]any)["Local"].(map[string]any)["Found"] == true {
						sawFound = true
					}
				}
			}
			if !sawFound || len(objs) < 3 {
				t.Fatalf("%d lines, found shown %v", len(objs), sawFound)
			}
			noSecretShown(t, r.stdout, r.stderr)
			if st, _ := e.sb.Certificate("abcb1234"); st.Status != 1 {
				t.Fatalf("sandbox %+v", st)
			}
			return
		case <-time.After(20 * time.Second):
			t.Fatalf("no end; stdout so far:\n%s", out.String())
		}
	}
}

// --max-wait ends a watch that cannot finish: exit 6, said on stderr.
func TestStatusWatchMaxWaitExits6(t *testing.T) {
	e, _ := validationEnv(t, sandbox.Options{FrequentWindow: 20 * time.Millisecond})
	start := time.Now()
	_, done := e.watchRun(t, context.Background(), how{}, fast, "abcb1234", "--watch", "--max-wait", "600ms", "--resolver", e.z.addr, "--nameserver", e.z.addr)
	r := waitFor(t, done, 10*time.Second)
	if took := time.Since(start); r.code != ExitWaiting || took < 600*time.Millisecond || took > 5*time.Second {
		t.Fatalf("exit %d after %s\n%s%s", r.code, took, r.stdout, r.stderr)
	}
	// Watched again where this run looked: the same --resolver and --nameserver.
	if !strings.Contains(r.stderr, "Still waiting after 600ms: certificate abcb1234 is not issued yet. Watch again with: certwiz --endpoint "+e.url+" status abcb1234 --watch --resolver "+e.z.addr+" --nameserver "+e.z.addr+"\n") {
		t.Fatalf("stderr %s", r.stderr)
	}
	// Without a terminal: the report once, then a line per change (none here).
	if strings.Count(r.stdout, "Create these records") != 1 || strings.Contains(r.stdout, "\x1b[") {
		t.Fatalf("stdout %s", r.stdout)
	}
	if n := e.sb.Completions("abcb1234"); n != 0 {
		t.Fatalf("%d completions", n)
	}
}

// Frequently answers slow the polling down: after one, Tencent is not
// asked again until the back-off (200 ms, doubling) is over — counted in
// the sandbox.
func TestStatusWatchBacksOffWhenAskedTooOften(t *testing.T) {
	e, _ := validationEnv(t, sandbox.Options{FrequentWindow: 2 * time.Second})
	knobs := fast
	knobs.tencentEvery = 10 * time.Millisecond
	before := len(e.sb.Calls(sandbox.ActionCheck))
	_, done := e.watchRun(t, context.Background(), how{}, knobs, "abcb1234", "--watch", "--max-wait", "1700ms")
	r := waitFor(t, done, 10*time.Second)
	if r.code != ExitWaiting {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	calls := e.sb.Calls(sandbox.ActionCheck)[before:]
	freq := e.sb.FrequentlyAnswers("abcb1234")
	// Without back-off: one check every 50 ms round, ~34. With it: at 0,
	// 50 ms (Frequently), +200, +400, +800 ms.
	if len(calls) < 3 || len(calls) > 6 || freq < 2 || freq != len(calls)-1 {
		t.Fatalf("%d checks, %d Frequently answers", len(calls), freq)
	}
	var gaps []time.Duration
	for i := 1; i < len(calls); i++ {
		gaps = append(gaps, calls[i].Sub(calls[i-1]))
	}
	// After the n-th Frequently answer Tencent waits 200 ms × 2^(n-1). The
	// gaps are arrivals at the sandbox, so the client's send latency moves
	// them a little either way: half the back-off still tells it from the
	// 50 ms rounds a watch without back-off makes.
	for i := 1; i < len(gaps); i++ {
		if want := fast.backoff << (i - 1); gaps[i] < want/2 {
			t.Fatalf("asked again %s after Frequently answer %d, before its %s back-off: %v", gaps[i], i, want, gaps)
		}
	}
	if !strings.Contains(r.stdout, "Tencent: asked too often, next check after") {
		t.Fatalf("stdout %s", r.stdout)
	}
	t.Logf("checks %d, Frequently %d, gaps %v", len(calls), freq, gaps)
}

// On a terminal the report is redrawn in place with a spinner and the
// countdown; ctrl+c ends it with 130 and the command to watch again.
func TestStatusWatchOnATerminal(t *testing.T) {
	e, _ := validationEnv(t, sandbox.Options{FrequentWindow: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	knobs := fast
	knobs.interval, knobs.tencentEvery = 2*time.Second, 0
	out, done := e.watchRun(t, ctx, how{tty: true, cols: 120}, knobs, "abcb1234", "--watch")
	deadline := time.After(5 * time.Second)
	for !strings.Contains(out.String(), "next check in 1s") {
		select {
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no countdown:\n%q", out.String())
		}
	}
	cancel()
	r := waitFor(t, done, 5*time.Second)
	if r.code != api.ExitInterrupted || !strings.Contains(r.stderr, "Interrupted: nothing is lost. Watch again with: certwiz --endpoint "+e.url+" status abcb1234 --watch") {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "\x1b[") || !strings.Contains(r.stdout, "next check in 2s") || !strings.Contains(r.stdout, "ctrl+c stops") ||
		!strings.ContainsAny(r.stdout, strings.Join(spinnerFrames, "")) {
		t.Fatalf("stdout %q", r.stdout)
	}
	noSecretShown(t, r.stdout, r.stderr)
	// 24 lines: the 29-line report scrolls, printed once, and only the
	// footer line is redrawn.
	if n := strings.Count(r.stdout, "Create these records"); n != 1 || !strings.Contains(r.stdout, "\r\x1b[K") {
		t.Fatalf("%d reports on a 24-line terminal:\n%q", n, r.stdout)
	}
	// A screen it fits on: redrawn in place.
	t.Setenv("LINES", "100")
	knobs.interval = 100 * time.Millisecond
	_, done = e.watchRun(t, context.Background(), how{tty: true, cols: 120}, knobs, "abcb1234", "--watch", "--max-wait", "500ms")
	r = waitFor(t, done, 5*time.Second)
	if r.code != ExitWaiting || strings.Count(r.stdout, "A\x1b[J") < 2 || strings.Count(r.stdout, "Create these records") < 3 {
		t.Fatalf("in place: exit %d\n%q", r.code, r.stdout)
	}
}

// The exit code is the certificate's state; service errors map as ux.md
// says; bad flags send nothing.
func TestStatusExitCodes(t *testing.T) {
	e, _ := validationEnv(t, sandbox.Options{})
	// The seeded deadlines are fixed dates: judged at a time before them.
	k := statusKnobs{now: func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) }}
	for _, c := range []struct {
		id   string
		code int
		want string
	}{
		{"issued01", 0, "✓ Issued. Valid 2026-03-02 00:00:00 to 2027-03-01 23:59:59 (Beijing time)."},
		{"failed01", api.ExitRejected, "✗ Status 2, review failed: this order will not be issued. Cancel and resubmit it in the SSL console."},
		{"cancel01", api.ExitRejected, "✗ Status 7, cancelled"},
		{"demo0001", api.ExitRejected, "has not been sent to the CA yet: send it with certwiz commit demo0001"},
		{"letter01", ExitWaiting, "upload it in the SSL console"},
		{"dnsauto1", ExitWaiting, "DNS_AUTO: Tencent Cloud adds the DNS record itself; nothing to do"},
		{"review01", ExitWaiting, "The CA is reviewing the order"},
	} {
		r := e.statusWith(t, k, how{}, c.id)
		if r.code != c.code || !strings.Contains(r.stdout, c.want) {
			t.Errorf("%s: exit %d, want %d and %q\n%s%s", c.id, r.code, c.code, c.want, r.stdout, r.stderr)
		}
	}
	if r := e.status(t, how{}, "issued01"); !strings.Contains(r.stdout, "Next: certwiz --endpoint "+e.url+" download issued01 --out ./portal.example.com") {
		t.Errorf("issued: %s", r.stdout)
	}
	// The fix is named in the command's words: its ID argument, not a wizard step.
	if r := e.status(t, how{}, "nosuch01"); !strings.Contains(r.stderr, "Fix it with: the certificate ID argument") || strings.Contains(r.stderr, "step") {
		t.Fatalf("plain: %s", r.stderr)
	}
	r := e.status(t, how{}, "nosuch01", "--json")
	if m := decodeOne(t, r.stdout); r.code != api.ExitRejected || m["Error"].(map[string]any)["Code"] != "FailedOperation.CertificateNotFound" {
		t.Errorf("unknown: exit %d %v", r.code, m)
	}
	calls := e.calls.Load()
	for _, args := range [][]string{{"bad id"}, {"abcb1234", "--interval", "10ms"}, {"abcb1234", "--max-wait", "0s"}, {"abcb1234", "--resolver", "1.1.1.1"}, {"abcb1234", "--nameserver", "ns1"}} {
		if r := e.status(t, how{}, args...); r.code != api.ExitInput {
			t.Errorf("%v: exit %d", args, r.code)
		}
	}
	if e.calls.Load() != calls {
		t.Fatal("a usage error sent a request")
	}
}

// FILE validation: URLs, the exact content, fetched over http and https.
func TestStatusFileRecord(t *testing.T) {
	e, _ := validationEnv(t, sandbox.Options{FrequentWindow: 10 * time.Millisecond})
	e.submitted(t, "demo0101", "VerifyType=FILE", "CertificateDomain=shop.example.com", "DomainList=shop.example.com")
	if r := e.commit(t, how{}, "demo0101", "--yes"); r.code != 0 {
		t.Fatalf("commit %s", r.stderr)
	}
	var content, path string
	if r := e.status(t, how{}, "demo0101", "--json"); r.code == ExitWaiting {
		rec := decodeOne(t, r.stdout)["Records"].([]any)[0].(map[string]any)
		content, path = rec["Value"].(string), strings.TrimPrefix(rec["URL"].(string), "http://shop.example.com")
		// The endpoint is on this machine: the real site is never asked.
		for _, a := range rec["Local"].(map[string]any)["Answers"].([]any) {
			if err, _ := a.(map[string]any)["Err"].(string); !strings.Contains(err, "fetched only from loopback addresses") {
				t.Fatalf("fetched off this machine: %v", a)
			}
		}
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path && r.Host == "shop.example.com" {
			io.WriteString(w, content+"\n")
			return
		}
		http.NotFound(w, r)
	}))
	defer site.Close()
	lookup := *e.z.lookup()
	lookup.Dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, site.Listener.Addr().String())
	}
	time.Sleep(20 * time.Millisecond)
	r := e.statusWith(t, statusKnobs{lookup: &lookup}, how{}, "demo0101")
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	var got []string
	for sc.Scan() {
		got = append(got, sc.Text())
	}
	text := strings.Join(got, "\n")
	for _, want := range []string{"1. shop.example.com — a file on the site", "File content:         " + content,
		"Local check:          ✓ found at http://shop.example.com" + path, "! https://shop.example.com" + path, "URL:                  http://shop.example.com/.well-known/pki-validation/",
		"https://shop.example.com/.well-known/pki-validation/", "File content:", "Path on the site:     /.well-known/pki-validation/", "Serve exactly this content"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatalf("exit %d\n%s", r.code, text)
	}
}

// Under --sandbox the local check asks the sandbox's own DNS server (a
// seeded certificate's records published at once): found, one
// CompleteCertificate, issued. Servers off this machine are refused.
func TestStatusUnderSandbox(t *testing.T) {
	// The seeded deadlines are fixed dates: the watch's clock runs from a
	// day before them.
	shift := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC).Sub(time.Now())
	knobs := statusKnobs{interval: 100 * time.Millisecond, now: func() time.Time { return time.Now().Add(shift) }}
	run := func(args ...string) result {
		var out, errb bytes.Buffer
		g := &Globals{IO: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Sandbox: true, Timeout: 10 * time.Second, Language: api.English, Version: "test"}
		cmd := newStatusCmd(g, knobs)
		cmd.SetArgs(args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		code := ExitCode(cmd.ExecuteContext(context.Background()), &errb)
		return result{code: code, stdout: out.String(), stderr: errb.String()}
	}
	r := run("dcvwait1", "--watch", "--json", "--max-wait", "30s")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	var first, last statusOut
	if json.Unmarshal([]byte(lines[0]), &first) != nil || json.Unmarshal([]byte(lines[len(lines)-1]), &last) != nil {
		t.Fatalf("stdout %s", r.stdout)
	}
	rec := first.Records[0]
	if !rec.Local.Found || len(rec.Local.Servers) != 1 || !strings.HasPrefix(rec.Local.Servers[0], "127.0.0.1:") || rec.FQDN != "_dnsauth.blog.example.com." {
		t.Fatalf("first line %s", lines[0])
	}
	if !last.Issued || last.Status != 1 {
		t.Fatalf("last line %s", lines[len(lines)-1])
	}
	// A sandbox on this machine named by --endpoint, no DNS server named:
	// the local check asks nobody, and says so.
	e := newEnv(t)
	r = e.exec(t, func(g *Globals) *cobra.Command { return newStatusCmd(g, knobs) }, how{}, "dcvwait1")
	if r.code != ExitWaiting || !strings.Contains(r.stdout, "! the endpoint is on this machine: give its DNS server with --resolver") {
		t.Fatalf("loopback endpoint: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, hp := range []string{"8.8.8.8:53", "ns1.example.com:53"} {
		if r := run("dcvwait1", "--nameserver", hp); r.code != api.ExitInput || !strings.Contains(r.stderr, "with --sandbox the local check asks only servers on this machine") {
			t.Fatalf("%s: exit %d %s", hp, r.code, r.stderr)
		}
	}
}

// The new actions' errors: a refused check ends a round with its guide
// and exit code; a refused CompleteCertificate is said and the watch goes
// on (the CA checks by itself), sent again only while it is transient.
func TestStatusErrorsOfTheNewActions(t *testing.T) {
	e, z := validationEnv(t, sandbox.Options{FrequentWindow: -1})
	for _, f := range sandbox.FaultsFor(sandbox.ActionCheck) {
		if f.Action != sandbox.ActionCheck {
			continue
		}
		e.submitted(t, f.ID, "VerifyType=DNS")
		if r := e.commit(t, how{}, f.ID, "--yes"); r.code != 0 {
			t.Fatalf("%s commit: %s", f.ID, r.stderr)
		}
		gd, _ := api.ExplainFor(api.ActionCheck, f.Code)
		r := e.status(t, how{}, f.ID, "--json")
		m := decodeOne(t, r.stdout)
		if er, _ := m["Error"].(map[string]any); r.code != gd.Exit || er == nil || er["Code"] != f.Code || er["Title"] != gd.Title.EN || m["RequestId"] == "" {
			t.Errorf("%s: exit %d %v", f.ID, r.code, m)
		}
		// A watch ends at a refusal, goes on past a transient one.
		r = e.statusWith(t, fast, how{}, f.ID, "--watch", "--max-wait", "300ms")
		switch {
		case gd.Retry && (r.code != ExitWaiting || !strings.Contains(r.stderr, "will try again: "+gd.Title.EN+" ["+f.Code+"]")):
			t.Errorf("%s --watch (transient): exit %d %s", f.ID, r.code, r.stderr)
		case !gd.Retry && (r.code != gd.Exit || !strings.Contains(r.stderr, "Error: "+gd.Title.EN+" ["+f.Code+"]")):
			t.Errorf("%s --watch: exit %d %s", f.ID, r.code, r.stderr)
		}
	}
	for _, f := range sandbox.FaultsFor(sandbox.ActionComplete) {
		if f.Action != sandbox.ActionComplete {
			continue
		}
		e.submitted(t, f.ID, "VerifyType=DNS")
		if r := e.commit(t, how{}, f.ID, "--yes"); r.code != 0 {
			t.Fatalf("%s commit: %s", f.ID, r.stderr)
		}
		r := e.status(t, how{}, f.ID, "--json")
		var names []string
		for _, rec := range decodeOne(t, r.stdout)["Records"].([]any) {
			rec := rec.(map[string]any)
			z.set(rec["FQDN"].(string), rec["Value"].(string))
			names = append(names, rec["FQDN"].(string))
		}
		before := len(e.sb.Calls(sandbox.ActionComplete))
		_, done := e.watchRun(t, context.Background(), how{}, fast, f.ID, "--watch", "--max-wait", "500ms")
		r = waitFor(t, done, 10*time.Second)
		gd, _ := api.ExplainFor(api.ActionComplete, f.Code)
		sent := len(e.sb.Calls(sandbox.ActionComplete)) - before
		if r.code != ExitWaiting || !strings.Contains(r.stderr, gd.Title.EN+" ["+f.Code+"]") {
			t.Errorf("%s: exit %d %s", f.ID, r.code, r.stderr)
		}
		if gd.Retry != (sent > 1) || sent == 0 {
			t.Errorf("%s (transient %v): sent %d times", f.ID, gd.Retry, sent)
		}
		// One round only reads: the CA is not asked, the report stands (exit 6).
		before = len(e.sb.Calls(sandbox.ActionComplete))
		r = e.status(t, how{}, f.ID, "--json")
		if m := decodeOne(t, r.stdout); r.code != ExitWaiting || m["Records"] == nil || len(e.sb.Calls(sandbox.ActionComplete)) != before || strings.Contains(r.stderr, "Warning") {
			t.Errorf("%s one round: exit %d, %d CompleteCertificate calls, %v %s", f.ID, r.code, len(e.sb.Calls(sandbox.ActionComplete))-before, m, r.stderr)
		}
		for _, n := range names {
			z.set(n) // the next certificate shares the names
		}
	}
}

// A wildcard and its bare name proved at one record name: each record is
// labelled with the name it proves, the wildcard's by the wildcard, before
// Tencent has been asked.
func TestStatusNamesTheWildcardsRecord(t *testing.T) {
	e, _ := validationEnv(t, sandbox.Options{})
	r := e.status(t, how{}, "letter01")
	if !strings.Contains(r.stdout, "1. *.corp.example.com — TXT record in zone example.com") || !strings.Contains(r.stdout, "2. corp.example.com — TXT record in zone example.com") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
}
