package watch_test

// The watch's policy, round by round, against an endpoint on loopback
// shaped like the service (its state set by each test) and a DNS server
// of the test's own on 127.0.0.1, with a clock the test moves: when
// Tencent is asked, when CompleteCertificate is sent, how Frequently
// answers slow the checks down, and what each status means.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/api/watch"
)

// zone is a DNS server's TXT records, changed by the test while it runs.
type zone struct {
	mu  sync.Mutex
	txt map[string][]string // lower-case FQDN → values
}

func (z *zone) set(name string, values ...string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.txt[strings.ToLower(dns.Fqdn(name))] = values
}

func (z *zone) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	q := r.Question[0]
	z.mu.Lock()
	values := z.txt[strings.ToLower(q.Name)]
	z.mu.Unlock()
	if q.Qtype == dns.TypeTXT {
		for _, v := range values {
			m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60}, Txt: []string{v}})
		}
	}
	w.WriteMsg(m)
}

// serveZone runs a DNS server on 127.0.0.1 (UDP) until the test ends and
// returns the lookup options that ask only it.
func serveZone(t *testing.T) (*zone, dnscheck.Options) {
	t.Helper()
	z := &zone{txt: map[string][]string{}}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, Handler: z, NotifyStartedFunc: func() { close(started) }}
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	addr := pc.LocalAddr().String()
	return z, dnscheck.Options{Resolver: addr, Nameservers: []string{addr}, Timeout: 2 * time.Second}
}

// service is a loopback endpoint answering the three actions a watch
// uses from the state the test sets, counting the calls.
type service struct {
	mu               sync.Mutex
	status           int
	statusMsg        string
	deadline         string
	auths            []map[string]any
	results          []map[string]any // Check's VerificationResults
	frequently       bool
	detail, checks   int
	completions      int
	completeRefusals bool
}

func (s *service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var resp map[string]any
	switch r.Header.Get("X-TC-Action") {
	case api.ActionDetail:
		s.detail++
		resp = map[string]any{"CertificateId": "watch001", "Status": s.status, "StatusMsg": s.statusMsg, "DVAuthDeadline": s.deadline,
			"OrderId": "CA1", "DvAuthDetail": map[string]any{"DvAuths": s.auths}}
	case api.ActionCheck:
		s.checks++
		var rs []map[string]any
		for _, res := range s.results {
			c := map[string]any{}
			for k, v := range res {
				c[k] = v
			}
			c["Frequently"] = s.frequently
			rs = append(rs, c)
		}
		resp = map[string]any{"VerificationResults": rs}
	case api.ActionComplete:
		if s.completeRefusals {
			resp = map[string]any{"Error": map[string]any{"Code": "FailedOperation.CertificateNotFoundOrAudited", "Message": "audited"}}
			break
		}
		s.completions++
		resp = map[string]any{"CertificateId": "watch001"}
	default:
		resp = map[string]any{"Error": map[string]any{"Code": "InvalidAction", "Message": "no"}}
	}
	resp["RequestId"] = fmt.Sprintf("req-%d", s.detail+s.checks+s.completions)
	json.NewEncoder(w).Encode(map[string]any{"Response": resp})
}

func (s *service) with(f func(s *service)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *service) counts() (checks, completions int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checks, s.completions
}

func txtAuth(sub, zone, value string) map[string]any {
	return map[string]any{"DvAuthKey": sub, "DvAuthSubDomain": sub, "DvAuthDomain": zone, "DvAuthValue": value, "DvAuthVerifyType": "TXT"}
}

func client(t *testing.T, url string) *api.Client {
	t.Helper()
	c, err := api.NewClient(api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "test"),
		api.Config{Endpoint: url, Timeout: 5 * time.Second, Rate: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clock is a time the test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func setup(t *testing.T, svc *service) (*watch.Watcher, *zone, *clock) {
	t.Helper()
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	z, lookup := serveZone(t)
	clk := &clock{now: time.Date(2026, 11, 26, 10, 0, 0, 0, watch.Beijing)}
	w := watch.New(watch.Options{Client: client(t, srv.URL), CertificateID: "watch001", Lookup: lookup, Now: clk.Now})
	return w, z, clk
}

func step(t *testing.T, w *watch.Watcher, force bool) watch.Snapshot {
	t.Helper()
	s, err := w.Step(t.Context(), force)
	if err != nil {
		t.Fatalf("step: %v", err)
	}
	return s
}

// The local check finds each record as it appears; the CA is told once
// every record is in place, once, and again only when a value changes.
// Tencent is asked at most once a minute.
func TestCompleteOnceWhenEveryRecordIsFound(t *testing.T) {
	svc := &service{status: 0, statusMsg: "PENDING-DCV", deadline: "2026-12-01 10:00:00",
		auths: []map[string]any{txtAuth("_dnsauth.www", "example.com", "v-www"), txtAuth("_dnsauth", "example.com", "v-bare")},
		results: []map[string]any{
			{"Domain": "www.example.com", "VerifyType": "DNS", "LocalCheck": -1, "CaCheck": -1},
			{"Domain": "example.com", "VerifyType": "DNS", "LocalCheck": 1, "CaCheck": -1},
		}}
	w, z, clk := setup(t, svc)

	s := step(t, w, false)
	if len(s.Records) != 2 || s.Found() != 0 || s.Completed || s.Issued || s.Failed {
		t.Fatalf("round 1: %+v", s)
	}
	if r := s.Records[0]; r.Domain != "www.example.com" || r.Local.Found || r.Tencent == nil || r.Tencent.LocalCheck != -1 || len(r.Local.Answers) != 2 {
		t.Fatalf("round 1 record: %+v", r)
	}
	if r := s.Records[1]; r.Tencent == nil || r.Tencent.Domain != "example.com" || r.Tencent.LocalCheck != 1 {
		t.Fatalf("Tencent's results paired by domain: %+v", r.Tencent)
	}
	if c, _ := svc.counts(); c != 1 || !s.NextLocal.Equal(clk.Now().Add(30*time.Second)) || !s.NextTencent.Equal(clk.Now().Add(time.Minute)) ||
		!s.Next().Equal(s.NextLocal) {
		t.Fatalf("checks %d, next local %v tencent %v", c, s.NextLocal, s.NextTencent)
	}

	z.set("_dnsauth.www.example.com", "v-www")
	clk.add(30 * time.Second)
	s = step(t, w, false)
	if s.Found() != 1 || !s.Records[0].Local.Found || s.Completed {
		t.Fatalf("round 2: found %d completed %v", s.Found(), s.Completed)
	}
	if c, _ := svc.counts(); c != 1 || s.Records[0].Tencent == nil {
		t.Fatalf("Tencent asked again within a minute (%d), or its last answer dropped", c)
	}

	z.set("_dnsauth.example.com", "v-other") // another value: not found
	clk.add(30 * time.Second)
	if s = step(t, w, false); s.Found() != 1 || s.Completed {
		t.Fatalf("round 3: found %d", s.Found())
	}
	if a := s.Records[1].Local.Answers[0]; len(a.Values) != 1 || a.Values[0] != "v-other" {
		t.Fatalf("the other value is not shown: %+v", a)
	}
	z.set("_dnsauth.example.com", "v-other", "v-bare")
	clk.add(30 * time.Second)
	s = step(t, w, false)
	if c, n := svc.counts(); s.Found() != 2 || !s.Completed || n != 1 || c != 2 {
		t.Fatalf("round 4: found %d completed %v, %d completions, %d checks", s.Found(), s.Completed, n, c)
	}
	for range 3 {
		clk.add(30 * time.Second)
		if s = step(t, w, false); s.Completed {
			t.Fatal("the CA was asked again with nothing changed")
		}
	}
	// A new value (the order's records changed): once more.
	svc.with(func(s *service) { s.auths[1]["DvAuthValue"] = "v-bare-2" })
	z.set("_dnsauth.example.com", "v-bare-2")
	clk.add(30 * time.Second)
	if s = step(t, w, false); !s.Completed {
		t.Fatal("a changed value did not ask the CA again")
	}
	if _, n := svc.counts(); n != 2 {
		t.Fatalf("%d completions", n)
	}
	svc.with(func(s *service) { s.status, s.statusMsg = 1, "" })
	clk.add(30 * time.Second)
	before, _ := svc.counts()
	if s = step(t, w, false); !s.Issued || s.Failed || !s.Next().IsZero() {
		t.Fatalf("issued: %+v", s)
	}
	if after, _ := svc.counts(); after != before {
		t.Fatal("Tencent asked after issuance")
	}
}

// Frequently: no check until the back-off is over, even when forced; the
// wait doubles to at most ten minutes and resets after a real answer.
func TestFrequentlyBacksOff(t *testing.T) {
	svc := &service{status: 0, statusMsg: "PENDING-DCV", frequently: true,
		auths:   []map[string]any{txtAuth("_dnsauth.www", "example.com", "v")},
		results: []map[string]any{{"Domain": "www.example.com", "VerifyType": "DNS", "LocalCheck": -1, "CaCheck": -1}}}
	w, _, clk := setup(t, svc)
	start := clk.Now()
	s := step(t, w, false)
	if !s.Frequently || !s.NextTencent.Equal(start.Add(2*time.Minute)) || s.Records[0].Tencent != nil {
		t.Fatalf("first Frequently: %+v next %v", s.Records[0].Tencent, s.NextTencent)
	}
	var waits []time.Duration
	last := start
	for i := 0; i < 7; i++ {
		// Forced every 30 s: Tencent is asked only once the wait is over.
		due := s.NextTencent
		for j := 0; ; j++ {
			before, _ := svc.counts()
			clk.add(30 * time.Second)
			s = step(t, w, true)
			after, _ := svc.counts()
			if s.Frequently {
				break
			}
			if after != before || j > 40 {
				t.Fatalf("asked during the back-off at %v (due %v)", clk.Now().Sub(start), due.Sub(start))
			}
		}
		if clk.Now().Before(due) {
			t.Fatalf("round %d: asked at %v, before %v", i, clk.Now().Sub(start), due.Sub(start))
		}
		waits = append(waits, clk.Now().Sub(last))
		last = clk.Now()
	}
	want := fmt.Sprint([]time.Duration{2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute, 10 * time.Minute, 10 * time.Minute})
	if fmt.Sprint(waits) != want {
		t.Fatalf("waits %v, want %v", waits, want)
	}
	// A real answer ends the back-off: the next check a minute later.
	svc.with(func(s *service) { s.frequently = false })
	clk.add(10 * time.Minute)
	s = step(t, w, false)
	if s.Frequently || s.Records[0].Tencent == nil || !s.NextTencent.Equal(clk.Now().Add(time.Minute)) {
		t.Fatalf("after the back-off: %+v next %v", s.Records[0].Tencent, s.NextTencent)
	}
	clk.add(10 * time.Second)
	before, _ := svc.counts()
	step(t, w, true)
	if after, _ := svc.counts(); after != before+1 {
		t.Fatal("check now did not ask Tencent outside a back-off")
	}
}

// What each status means for a watch, in words.
func TestStatusesSayWhy(t *testing.T) {
	for _, c := range []struct {
		status        int
		msg, deadline string
		failed        bool
		why           string
		asksTencent   bool
	}{
		{8, "", "2026-12-01 10:00:00", false, "confirmation letter", false},
		{4, "", "2026-12-01 10:00:00", false, "nothing to do", true},
		{0, "CA-REVIEWING", "", false, "reviewing", false},
		{0, "PENDING-DCV", "2026-11-26 09:59:59", true, "deadline passed (2026-11-26 09:59:59, Beijing time)", false},
		{2, "", "", true, "Cancel and resubmit", false},
		{7, "", "", true, "Status 7, cancelled", false},
		{5, "", "", true, "certwiz commit watch001", false},
	} {
		t.Run(fmt.Sprint(c.status, c.msg), func(t *testing.T) {
			svc := &service{status: c.status, statusMsg: c.msg, deadline: c.deadline,
				results: []map[string]any{{"Domain": "www.example.com", "LocalCheck": 1, "CaCheck": -1}}}
			w, _, _ := setup(t, svc)
			s := step(t, w, false)
			if s.Failed != c.failed || !strings.Contains(s.Why.EN, c.why) || s.Why.ZH == "" || s.Issued {
				t.Fatalf("failed %v why %+v", s.Failed, s.Why)
			}
			if checks, _ := svc.counts(); (checks > 0) != c.asksTencent {
				t.Fatalf("%d checks", checks)
			}
		})
	}
}

// A wildcard and its bare name share one record name with two values;
// Tencent's results pair with them in order.
func TestWildcardAndBarePairInOrder(t *testing.T) {
	svc := &service{status: 0, statusMsg: "PENDING-DCV",
		auths: []map[string]any{txtAuth("_dnsauth", "example.net", "v-wild"), txtAuth("_dnsauth", "example.net", "v-bare")},
		results: []map[string]any{
			{"Domain": "*.example.net", "VerifyType": "DNS", "LocalCheck": 1, "CaCheck": -1},
			{"Domain": "example.net", "VerifyType": "DNS", "LocalCheck": -2, "LocalCheckFailReason": "value differs", "CaCheck": -1},
		}}
	w, z, _ := setup(t, svc)
	z.set("_dnsauth.example.net", "v-wild")
	s := step(t, w, false)
	if !s.Records[0].Local.Found || s.Records[1].Local.Found || s.Completed {
		t.Fatalf("local: %v %v", s.Records[0].Local.Found, s.Records[1].Local.Found)
	}
	if a, b := s.Records[0].Tencent, s.Records[1].Tencent; a == nil || b == nil || a.Domain != "*.example.net" || b.Reason != "value differs" {
		t.Fatalf("paired %+v %+v", a, b)
	}
}

// A refused CompleteCertificate ends the round with its error, and is not
// sent again for the same records.
func TestRefusedCompleteIsNotRepeated(t *testing.T) {
	svc := &service{status: 0, statusMsg: "PENDING-DCV", completeRefusals: true,
		auths: []map[string]any{txtAuth("_dnsauth.www", "example.com", "v")}}
	w, z, clk := setup(t, svc)
	z.set("_dnsauth.www.example.com", "v")
	_, err := w.Step(t.Context(), false)
	var e *api.Error
	if err == nil || !strings.Contains(err.Error(), "ask the CA to validate watch001") || !errors.As(err, &e) || e.Code != "FailedOperation.CertificateNotFoundOrAudited" {
		t.Fatalf("err %v", err)
	}
	clk.add(30 * time.Second)
	if s := step(t, w, false); s.Completed {
		t.Fatal("completed")
	}
}

// Against the sandbox (publishing nothing itself, looking where the watch
// looks): missing records, then found, one CompleteCertificate, issued.
func TestWatchWithTheSandbox(t *testing.T) {
	z, lookup := serveZone(t)
	sb := sandbox.New(sandbox.Options{NoPublish: true, Lookup: &lookup, IssueDelay: -1, FrequentWindow: -1, Rate: 1000})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	c := client(t, srv.URL)
	data, err := os.ReadFile("../testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	var req api.Request
	if err := json.Unmarshal(data, &req); err != nil {
		t.Fatal(err)
	}
	req.VerifyType = "DNS"
	if _, err := c.Submit(t.Context(), req.Normalized()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Commit(t.Context(), req.CertificateId, ""); err != nil {
		t.Fatal(err)
	}
	w := watch.New(watch.Options{Client: c, CertificateID: req.CertificateId, Lookup: lookup, TencentEvery: time.Millisecond})
	s := step(t, w, false)
	if len(s.Records) != 2 || s.Found() != 0 || s.Completed || s.Issued {
		t.Fatalf("round 1: %d records, %d found", len(s.Records), s.Found())
	}
	for _, r := range s.Records {
		if r.Tencent == nil || r.Tencent.LocalCheck != -1 || r.Tencent.Domain != r.Domain {
			t.Fatalf("Tencent on %s: %+v", r.Domain, r.Tencent)
		}
	}
	z.set(s.Records[0].FQDN, s.Records[0].Value)
	time.Sleep(5 * time.Millisecond)
	if s = step(t, w, false); s.Found() != 1 || s.Completed || s.Records[0].Tencent.LocalCheck != 1 {
		t.Fatalf("round 2: %d found, Tencent %+v", s.Found(), s.Records[0].Tencent)
	}
	z.set(s.Records[1].FQDN, s.Records[1].Value)
	time.Sleep(5 * time.Millisecond)
	if s = step(t, w, false); !s.Completed || !s.Issued || s.Detail.Status != api.StatusIssued || s.Detail.CertEndTime == "" {
		t.Fatalf("round 3: completed %v issued %v status %d", s.Completed, s.Issued, s.Detail.Status)
	}
	if n := sb.Completions(req.CertificateId); n != 1 {
		t.Fatalf("%d completions", n)
	}
	if s = step(t, w, false); !s.Issued || s.Completed || sb.Completions(req.CertificateId) != 1 {
		t.Fatal("asked the CA again after issuance")
	}
}

// Where no local check can be made (off: no DNS server to ask), Tencent's
// own finding stands in, so the CA is still asked; a read-only watch (a
// one-shot report) never asks it.
func TestTencentStandsInForAnImpossibleLocalCheck(t *testing.T) {
	z, lookup := serveZone(t)
	sb := sandbox.New(sandbox.Options{NoPublish: true, Lookup: &lookup, IssueDelay: -1, FrequentWindow: -1, Rate: 1000})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	c := client(t, srv.URL)
	data, err := os.ReadFile("../testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	var req api.Request
	if err := json.Unmarshal(data, &req); err != nil {
		t.Fatal(err)
	}
	req.VerifyType = "DNS"
	if _, err := c.Submit(t.Context(), req.Normalized()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Commit(t.Context(), req.CertificateId, ""); err != nil {
		t.Fatal(err)
	}
	off := dnscheck.Options{Off: "no DNS server to ask"}
	ro := watch.New(watch.Options{Client: c, CertificateID: req.CertificateId, Lookup: off, TencentEvery: time.Millisecond, ReadOnly: true})
	w := watch.New(watch.Options{Client: c, CertificateID: req.CertificateId, Lookup: off, TencentEvery: time.Millisecond})
	s := step(t, w, false)
	for _, r := range s.Records {
		z.set(r.FQDN, r.Value) // the user creates them; only Tencent can see it
	}
	time.Sleep(5 * time.Millisecond)
	step(t, ro, false)
	if s = step(t, ro, false); s.Completed || sb.Completions(req.CertificateId) != 0 {
		t.Fatalf("a read-only watch asked the CA: %+v", s)
	}
	step(t, w, false) // Tencent finds both
	time.Sleep(5 * time.Millisecond)
	if s = step(t, w, false); !s.Completed || s.Found() != 2 || sb.Completions(req.CertificateId) != 1 {
		t.Fatalf("with Tencent's finding standing in: completed %v, found %d, %d completions", s.Completed, s.Found(), sb.Completions(req.CertificateId))
	}
}

// Issue 17, item 15: a Check answer saying Issued is not enough; the
// certificate is issued when its own status says so (1). The claim makes
// the watch read the certificate once more, no more.
func TestIssuedOnlyWhenTheCertificateSaysSo(t *testing.T) {
	svc := &service{status: 0, statusMsg: "PENDING-DCV", deadline: "2026-12-01 10:00:00",
		auths:   []map[string]any{txtAuth("_dnsauth.www", "example.com", "v")},
		results: []map[string]any{{"Domain": "www.example.com", "VerifyType": "DNS", "LocalCheck": -1, "CaCheck": -1, "Issued": true}}}
	w, _, clk := setup(t, svc)
	s := step(t, w, false)
	if s.Issued || s.Failed || s.Detail.Status != api.StatusReviewing || s.Next().IsZero() {
		t.Fatalf("a Check saying Issued was taken for issuance: issued %v, status %d", s.Issued, s.Detail.Status)
	}
	var reads int
	svc.with(func(s *service) { reads = s.detail })
	if reads != 2 {
		t.Fatalf("the certificate was read %d times in the round, want 2", reads)
	}
	svc.with(func(s *service) { s.status, s.statusMsg = 1, "" })
	clk.add(time.Minute)
	if s = step(t, w, false); !s.Issued || s.Detail.Status != api.StatusIssued {
		t.Fatalf("issued: %v, status %d", s.Issued, s.Detail.Status)
	}
}
