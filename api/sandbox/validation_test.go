package sandbox

// Domain validation and issuance against a started sandbox: its DNS, HTTP
// and HTTPS servers on loopback, dnscheck looking records up there, the
// api client reading the answers, and openssl reading what was issued.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
)

// running is a started sandbox (API, DNS, HTTP and HTTPS on loopback) with
// a signed-request helper and an api client.
type running struct {
	*lifecycle
	client *api.Client
	log    *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func start(t *testing.T, o Options) *running {
	t.Helper()
	log := &syncBuffer{}
	if o.Log == nil {
		o.Log = log
	}
	if o.Rate == 0 {
		o.Rate = 1000
	}
	sb := New(o)
	url, stop, err := Start(sb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	for _, addr := range []string{url[len("http://"):], sb.Addrs().DNS, sb.Addrs().HTTP, sb.Addrs().HTTPS} {
		if host, _, _ := net.SplitHostPort(addr); host != "127.0.0.1" {
			t.Fatalf("a sandbox server listens on %s, not loopback", addr)
		}
	}
	c, err := api.NewClient(api.StaticCredentials(DemoSecretID, DemoSecretKey, "", "test"), api.Config{Endpoint: url, Timeout: 10 * time.Second, Rate: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return &running{lifecycle: &lifecycle{t: t, sb: sb, url: url, now: time.Now()}, client: c, log: log}
}

// order submits and commits a certificate.
func (r *running) order(id, verify, extra string) {
	r.t.Helper()
	r.ok(ActionSubmit, submitBody(id, extra))
	r.ok(ActionCommit, fmt.Sprintf(`{"CertificateId":%q,"VerifyType":%q}`, id, verify))
}

func (r *running) records(id string) []api.Record {
	r.t.Helper()
	d, err := r.client.DescribeCertificateDetail(r.t.Context(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return d.Records()
}

func (r *running) check(id string) []api.DomainCheck {
	r.t.Helper()
	res, _, err := r.client.CheckDomainVerification(r.t.Context(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return res
}

// localChecks lists each result's LocalCheck.
func localChecks(res []api.DomainCheck) []int {
	var out []int
	for _, c := range res {
		out = append(out, c.LocalCheck)
	}
	return out
}

func TestRecordsAppearAfterTheDelay(t *testing.T) {
	// The delay runs on the test's clock: "before" never depends on how
	// fast the machine checks.
	const delay = 500 * time.Millisecond
	var clock fakeClock
	clock.set(time.Now())
	r := start(t, Options{PublishDelay: delay, FrequentWindow: -1, Now: clock.now})
	r.order("abcb1234", "DNS", "")
	recs := r.records("abcb1234")
	if len(recs) != 2 || recs[0].FQDN != "_dnsauth.www.example.com." || recs[1].FQDN != "_dnsauth.example.com." {
		t.Fatalf("records %+v", recs)
	}
	for _, rec := range recs {
		if res := dnscheck.Check(t.Context(), rec, r.sb.Lookup()); res.Found || res.Err != "" {
			t.Fatalf("%s found before the delay: %+v", rec.FQDN, res)
		}
	}
	if got := localChecks(r.check("abcb1234")); !slices.Equal(got, []int{-1, -1}) {
		t.Fatalf("LocalCheck before the delay %v", got)
	}
	clock.advance(delay - time.Millisecond)
	if dnscheck.Check(t.Context(), recs[0], r.sb.Lookup()).Found {
		t.Fatalf("published before the %s delay", delay)
	}
	clock.advance(time.Millisecond)
	for _, rec := range recs {
		if res := dnscheck.Check(t.Context(), rec, r.sb.Lookup()); !res.Found {
			t.Fatalf("%s not published after the delay: %+v", rec.FQDN, res)
		}
	}
	res := r.check("abcb1234")
	if !slices.Equal(localChecks(res), []int{1, 1}) || res[0].CaCheck != -1 || res[0].Issued || res[0].Domain != "www.example.com" ||
		res[0].VerifyType != "DNS" || !slices.Equal(res[0].Found, []string{recs[0].Value}) {
		t.Fatalf("after the delay %+v", res)
	}
}

// dnscheck finds the zone by walking SOA records, its name servers by NS
// and their glue, and asks them: the sandbox answers each step.
func TestDNSAnswersAsDnscheckWalksIt(t *testing.T) {
	r := start(t, Options{PublishDelay: -1})
	r.order("abcb1234", "DNS", "")
	dnsAddr := r.sb.Addrs().DNS
	_, port, _ := net.SplitHostPort(dnsAddr)
	o := dnscheck.Options{Resolver: dnsAddr, NameserverPort: port, Timeout: 2 * time.Second}
	res := dnscheck.Check(t.Context(), r.records("abcb1234")[0], o)
	if !res.Found || res.Zone != "example.com" || !slices.Equal(res.Servers, []string{dnsAddr}) || len(res.Answers) != 2 {
		t.Fatalf("%+v", res)
	}
	ask := func(name string, qtype uint16) *dns.Msg {
		m := new(dns.Msg)
		m.SetQuestion(name, qtype)
		in, err := dns.Exchange(m, dnsAddr)
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	if in := ask("example.com.", dns.TypeSOA); len(in.Answer) != 1 || !in.Authoritative {
		t.Errorf("SOA %v", in)
	}
	if in := ask("example.com.", dns.TypeNS); len(in.Answer) != 1 || len(in.Extra) != 1 {
		t.Errorf("NS %v", in)
	}
	if in := ask("www.example.com.", dns.TypeTXT); in.Rcode != dns.RcodeSuccess || len(in.Answer) != 0 || len(in.Ns) != 1 {
		t.Errorf("an empty non-terminal %v", in)
	}
	if in := ask("nothing.example.com.", dns.TypeTXT); in.Rcode != dns.RcodeNameError {
		t.Errorf("a missing name %v", in)
	}
	if in := ask("example.invalid.", dns.TypeSOA); in.Rcode != dns.RcodeRefused {
		t.Errorf("outside the sandbox's zones %v", in)
	}
	// Over TCP too, on the same port.
	m := new(dns.Msg)
	m.SetQuestion("_dnsauth.www.example.com.", dns.TypeTXT)
	in, _, err := (&dns.Client{Net: "tcp"}).Exchange(m, dnsAddr)
	if err != nil || len(in.Answer) != 1 {
		t.Fatalf("TCP %v %v", in, err)
	}
}

func TestFileServedOverHTTPAndHTTPS(t *testing.T) {
	var clock fakeClock
	clock.set(time.Now())
	r := start(t, Options{PublishDelay: 300 * time.Millisecond, FrequentWindow: -1, Now: clock.now})
	r.order("demo0100", "FILE", "")
	recs := r.records("demo0100")
	if len(recs) != 2 || recs[0].Type != "FILE" || !strings.HasPrefix(recs[0].Path, "/.well-known/pki-validation/") {
		t.Fatalf("records %+v", recs)
	}
	if res := dnscheck.CheckFile(t.Context(), recs[0], r.sb.Lookup()); res.Found || res.Answers[0].Status != 404 || res.Answers[1].Status != 404 {
		t.Fatalf("before the delay %+v", res)
	}
	if got := localChecks(r.check("demo0100")); !slices.Equal(got, []int{-4, -4}) {
		t.Fatalf("LocalCheck before the delay %v", got)
	}
	clock.advance(300 * time.Millisecond)
	for _, rec := range recs {
		res := dnscheck.CheckFile(t.Context(), rec, r.sb.Lookup())
		if !res.Found || len(res.Answers) != 2 {
			t.Fatalf("%+v", res)
		}
		for _, a := range res.Answers { // http and https both serve it
			if a.Status != 200 || a.Err != "" || a.Values[0] != rec.Value {
				t.Fatalf("%s: %+v", a.Server, a)
			}
		}
	}
	// Another site's file is not served for this one.
	wrong := recs[0]
	wrong.URLs = []string{"http://other.example.org" + recs[0].Path}
	if res := dnscheck.CheckFile(t.Context(), wrong, r.sb.Lookup()); res.Found {
		t.Fatal("a file served for any host")
	}
	if got := localChecks(r.check("demo0100")); !slices.Equal(got, []int{1, 1}) {
		t.Fatalf("LocalCheck after the delay %v", got)
	}
}

func TestFrequentlyWithinTheWindow(t *testing.T) {
	// The sandbox's clock is the test's: the window is judged on it, never
	// on how fast the machine answers.
	const window = 5 * time.Second
	var clock fakeClock
	clock.set(time.Now())
	r := start(t, Options{PublishDelay: -1, FrequentWindow: window, Now: clock.now})
	r.order("abcb1234", "DNS", "")
	if res := r.check("abcb1234"); res[0].Frequently || res[0].LocalCheck != 1 {
		t.Fatalf("first check %+v", res)
	}
	for range 3 {
		clock.advance(window / 4)
		for _, c := range r.check("abcb1234") {
			if !c.Frequently || c.Issued {
				t.Fatalf("within the window: %+v", c)
			}
		}
	}
	if n := r.sb.FrequentlyAnswers("abcb1234"); n != 3 {
		t.Fatalf("FrequentlyAnswers %d, want 3", n)
	}
	clock.advance(window)
	if res := r.check("abcb1234"); res[0].Frequently {
		t.Fatalf("after the window %+v", res)
	}
	if n := r.sb.FrequentlyAnswers("abcb1234"); n != 3 {
		t.Fatalf("FrequentlyAnswers %d after the window, want 3", n)
	}
}

// fakeClock is a sandbox clock the test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestCompleteThenIssuedAfterTheDelay(t *testing.T) {
	const issue = 400 * time.Millisecond
	var clock fakeClock
	clock.set(time.Now())
	r := start(t, Options{PublishDelay: -1, IssueDelay: issue, FrequentWindow: -1, Now: clock.now})
	r.order("abcb1234", "DNS", "")
	if _, err := r.client.CompleteCertificate(t.Context(), "abcb1234"); err != nil {
		t.Fatal(err)
	}
	if n := r.sb.Completions("abcb1234"); n != 1 {
		t.Fatalf("Completions %d", n)
	}
	if res := r.check("abcb1234"); res[0].CaCheck != 2 || res[0].Issued {
		t.Fatalf("CA check passed, not issued yet: %+v", res)
	}
	clock.advance(issue - time.Millisecond)
	if d, err := r.client.DescribeCertificateDetail(t.Context(), "abcb1234"); err != nil || d.Status == 1 {
		t.Fatalf("issued before the %s delay: %+v %v", issue, d, err)
	}
	clock.advance(time.Millisecond)
	d, err := r.client.DescribeCertificateDetail(t.Context(), "abcb1234")
	if err != nil || d.Status != 1 {
		t.Fatalf("not issued after the %s delay: %+v %v", issue, d, err)
	}
	begin, err := time.ParseInLocation("2006-01-02 15:04:05", d.CertBeginTime, beijing)
	if err != nil || d.CertEndTime == "" || time.Since(begin) > time.Minute || d.StatusName != "已通过" {
		t.Fatalf("issued %+v", d)
	}
	res := r.check("abcb1234")
	for _, c := range res {
		if c.CaCheck != 2 || !c.Issued || c.LocalCheck != 1 {
			t.Fatalf("after issuance %+v", res)
		}
	}
	// Issued: no more completion, and the count says so.
	var e *api.Error
	if _, err := r.client.CompleteCertificate(t.Context(), "abcb1234"); !errors.As(err, &e) || e.Code != "FailedOperation.CertificateNotFoundOrAudited" {
		t.Fatalf("complete after issuance: %v", err)
	}
	if n := r.sb.Completions("abcb1234"); n != 2 {
		t.Fatalf("Completions %d", n)
	}
}

// A completion before the records exist waits: the CA looks again on each
// later Check, and issues once it finds them.
func TestCompleteBeforeTheRecordsThenCheck(t *testing.T) {
	var clock fakeClock
	clock.set(time.Now())
	r := start(t, Options{PublishDelay: 300 * time.Millisecond, IssueDelay: -1, FrequentWindow: -1, Now: clock.now})
	r.order("abcb1234", "DNS", "")
	if _, err := r.client.CompleteCertificate(t.Context(), "abcb1234"); err != nil {
		t.Fatal(err)
	}
	if res := r.check("abcb1234"); res[0].Issued {
		t.Fatalf("issued without records: %+v", res)
	}
	if st, _ := r.sb.Certificate("abcb1234"); st.Status != 0 {
		t.Fatalf("issued without records: %+v", st)
	}
	clock.advance(300 * time.Millisecond)
	if res := r.check("abcb1234"); !res[0].Issued || !res[1].Issued {
		t.Fatalf("not issued on the check after the records appeared: %+v", res)
	}
	if n := r.sb.Completions("abcb1234"); n != 1 {
		t.Fatalf("Completions %d", n)
	}
}

// NoPublish: the sandbox publishes nothing and looks records up in the
// test's own DNS server, where the test adds them.
func TestNoPublishLooksWhereTheTestSays(t *testing.T) {
	own := &testZone{txt: map[string]string{}}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: own}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	addr := pc.LocalAddr().String()
	lookup := dnscheck.Options{Resolver: addr, Nameservers: []string{addr}, Timeout: 2 * time.Second}
	r := start(t, Options{NoPublish: true, Lookup: &lookup, IssueDelay: -1, FrequentWindow: -1})
	r.order("abcb1234", "DNS", "")
	recs := r.records("abcb1234")
	if got := localChecks(r.check("abcb1234")); !slices.Equal(got, []int{-1, -1}) {
		t.Fatalf("before the test adds them %v", got)
	}
	own.set(recs[0].FQDN, "another value")
	if got := localChecks(r.check("abcb1234")); !slices.Equal(got, []int{-2, -1}) {
		t.Fatalf("another value %v", got)
	}
	for _, rec := range recs {
		own.set(rec.FQDN, rec.Value)
	}
	if got := localChecks(r.check("abcb1234")); !slices.Equal(got, []int{1, 1}) {
		t.Fatalf("after the test added them %v", got)
	}
	// The sandbox's own server never has them.
	time.Sleep(50 * time.Millisecond)
	if res := dnscheck.Check(t.Context(), recs[0], r.sb.Lookup()); res.Found {
		t.Fatal("published with NoPublish")
	}
	if _, err := r.client.CompleteCertificate(t.Context(), "abcb1234"); err != nil {
		t.Fatal(err)
	}
	if st, _ := r.sb.Certificate("abcb1234"); st.Status != 1 {
		t.Fatalf("not issued: %+v", st)
	}
}

type testZone struct {
	mu  sync.Mutex
	txt map[string]string
}

func (z *testZone) set(name, value string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.txt[strings.ToLower(name)] = value
}

func (z *testZone) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	z.mu.Lock()
	defer z.mu.Unlock()
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	q := r.Question[0]
	if v, ok := z.txt[strings.ToLower(q.Name)]; ok && q.Qtype == dns.TypeTXT {
		m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60}, Txt: []string{v}})
	}
	w.WriteMsg(m)
}

// issue takes a certificate through validation at once and downloads it.
func (r *running) issue(id, extra string) (api.CertificateDetail, map[string][]byte) {
	r.t.Helper()
	r.order(id, "DNS", extra)
	if _, err := r.client.CompleteCertificate(r.t.Context(), id); err != nil {
		r.t.Fatal(err)
	}
	d, err := r.client.DescribeCertificateDetail(r.t.Context(), id)
	if err != nil || d.Status != 1 {
		r.t.Fatalf("not issued: %+v %v", d, err)
	}
	return d, r.download(id)
}

func (r *running) download(id string) map[string][]byte {
	r.t.Helper()
	data, _, err := r.client.DownloadCertificate(r.t.Context(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		r.t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			r.t.Fatal(err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if err != nil {
			r.t.Fatal(err)
		}
		files[f.Name] = b
	}
	return files
}

func openssl(t *testing.T, stdin []byte, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	cmd := exec.Command("openssl", args...)
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// sans reads a certificate's DNS names as openssl prints them.
func sans(t *testing.T, pemData []byte) []string {
	t.Helper()
	out := openssl(t, pemData, "x509", "-noout", "-ext", "subjectAltName")
	var names []string
	for _, f := range strings.Split(out, ",") {
		if _, n, ok := strings.Cut(strings.TrimSpace(f), "DNS:"); ok {
			names = append(names, strings.TrimSpace(n))
		}
	}
	slices.Sort(names)
	return names
}

func TestIssuedOnlineKeyInTheArchiveAndTheDetailOnly(t *testing.T) {
	r := start(t, Options{PublishDelay: -1, IssueDelay: -1, FrequentWindow: -1})
	d, files := r.issue("abcb1234", "")
	var names []string
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{
		"www.example.com_apache/root_bundle.crt", "www.example.com_apache/www.example.com.crt", "www.example.com_apache/www.example.com.key",
		"www.example.com_nginx/www.example.com.csr", "www.example.com_nginx/www.example.com.key",
		"www.example.com_nginx/www.example.com_bundle.crt", "www.example.com_nginx/www.example.com_bundle.pem",
		"www.example.com_other/root_bundle.crt", "www.example.com_other/www.example.com.key", "www.example.com_other/www.example.com.pem",
	}
	if !slices.Equal(names, want) {
		t.Fatalf("archive\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	bundle := files["www.example.com_nginx/www.example.com_bundle.crt"]
	if got := sans(t, bundle); !slices.Equal(got, []string{"example.com", "www.example.com"}) {
		t.Fatalf("SANs %v", got)
	}
	if n := strings.Count(string(bundle), "BEGIN CERTIFICATE"); n != 2 {
		t.Fatalf("the bundle has %d certificates, want leaf + intermediate", n)
	}
	// The chain verifies up to the sandbox root.
	dir := t.TempDir()
	ca, _ := sandboxCA()
	root := filepath.Join(dir, "root.pem")
	os.WriteFile(root, []byte(pemBlock("CERTIFICATE", ca.root.Raw)), 0o600)
	inter := filepath.Join(dir, "inter.pem")
	os.WriteFile(inter, files["www.example.com_apache/root_bundle.crt"], 0o600)
	if out := openssl(t, files["www.example.com_apache/www.example.com.crt"], "verify", "-CAfile", root, "-untrusted", inter, "-purpose", "sslserver"); !strings.Contains(out, "OK") {
		t.Fatalf("verify: %s", out)
	}
	// The key in the archive is the certificate's, and the detail's.
	key := files["www.example.com_nginx/www.example.com.key"]
	if openssl(t, key, "pkey", "-pubout") != openssl(t, bundle, "x509", "-noout", "-pubkey") {
		t.Fatal("the archive's key is not the certificate's")
	}
	keyFile := filepath.Join(dir, "detail.key")
	if err := d.PrivateKey.WriteFile(keyFile); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(keyFile); !bytes.Equal(got, key) {
		t.Fatal("the detail's key differs from the archive's")
	}
	// Nowhere else: not in any other answer, nor in the log.
	keyBody := strings.Split(string(key), "\n")[1]
	for _, a := range []struct{ action, body string }{
		{ActionDescribe, `{"CertIds":["abcb1234"]}`}, {ActionCheck, `{"CertificateId":"abcb1234"}`},
		{ActionComplete, `{"CertificateId":"abcb1234"}`}, {ActionCommit, `{"CertificateId":"abcb1234"}`},
	} {
		if raw := r.call(a.action, a.body).raw; strings.Contains(string(raw), keyBody) {
			t.Fatalf("%s answered the key", a.action)
		}
	}
	if raw := r.call(ActionDetail, `{"CertificateId":"abcb1234"}`).raw; !strings.Contains(string(raw), `"CertificatePublicKey":"-----BEGIN CERTIFICATE`) {
		t.Fatalf("detail without the certificate: %s", raw)
	}
	if strings.Contains(r.log.String(), keyBody) || strings.Contains(r.log.String(), "PRIVATE KEY") {
		t.Fatal("the key reached the log")
	}
}

func TestIssuedForTheSubmittedCSR(t *testing.T) {
	dir := t.TempDir()
	csrFile, keyFile := filepath.Join(dir, "csr.pem"), filepath.Join(dir, "key.pem")
	openssl(t, nil, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
		"-keyout", keyFile, "-out", csrFile, "-subj", "/CN=www.example.com")
	csr, _ := os.ReadFile(csrFile)
	r := start(t, Options{PublishDelay: -1, IssueDelay: -1, FrequentWindow: -1})
	extra, _ := json.Marshal(string(csr))
	d, files := r.issue("abcb1234", `,"CsrType":"parse","CsrContent":`+string(extra))
	if !d.PrivateKey.Empty() {
		t.Fatal("a key in the detail for a submitted CSR")
	}
	for n := range files {
		if strings.HasSuffix(n, ".key") || strings.HasSuffix(n, ".csr") {
			t.Fatalf("%s in the archive for a submitted CSR", n)
		}
	}
	leaf := files["www.example.com_apache/www.example.com.crt"]
	if got, want := openssl(t, leaf, "x509", "-noout", "-pubkey"), openssl(t, csr, "req", "-noout", "-pubkey"); got != want {
		t.Fatalf("the certificate's key\n%s\nis not the CSR's\n%s", got, want)
	}
	if got := sans(t, leaf); !slices.Equal(got, []string{"example.com", "www.example.com"}) {
		t.Fatalf("SANs %v", got)
	}
}

// A CSR the CA cannot use fails the review (status 2).
func TestBadCSRFailsTheReview(t *testing.T) {
	r := start(t, Options{PublishDelay: -1, IssueDelay: -1, FrequentWindow: -1})
	r.order("abcb1234", "DNS", `,"CsrType":"parse","CsrContent":"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"`)
	if _, err := r.client.CompleteCertificate(t.Context(), "abcb1234"); err != nil {
		t.Fatal(err)
	}
	if st, _ := r.sb.Certificate("abcb1234"); st.Status != 2 {
		t.Fatalf("status %d", st.Status)
	}
}

// A seeded issued certificate downloads at once, a wildcard's folder is
// named with _ for *, and DNS_AUTO needs nothing from the user.
func TestSeededIssuedWildcardAndAuto(t *testing.T) {
	r := start(t, Options{PublishDelay: -1, IssueDelay: -1, FrequentWindow: -1})
	files := r.download("issued01")
	if got := sans(t, files["portal.example.com_nginx/portal.example.com_bundle.crt"]); !slices.Equal(got, []string{"portal.example.com"}) {
		t.Fatalf("issued01 %v", got)
	}
	if out := openssl(t, files["portal.example.com_other/portal.example.com.pem"], "x509", "-noout", "-enddate"); !strings.Contains(out, "Mar  1 15:59:59 2027 GMT") {
		t.Fatalf("issued01 ends %s, want CertEndTime 2027-03-01 23:59:59 Beijing", out)
	}
	_, files = r.issue("demo0003", `,"CertificateDomain":"*.example.net","DomainList":["example.net"]`)
	if got := sans(t, files["_.example.net_nginx/_.example.net_bundle.crt"]); !slices.Equal(got, []string{"*.example.net", "example.net"}) {
		t.Fatalf("wildcard %v (files %v)", got, slices.Collect(func(yield func(string) bool) {
			for n := range files {
				if !yield(n) {
					return
				}
			}
		}))
	}
	// dnsauto1: the record is there (Tencent added it) and the CA checks.
	if res := r.check("dnsauto1"); res[0].LocalCheck != 1 || !res[0].Issued {
		t.Fatalf("dnsauto1 %+v", res)
	}
}

func TestValidationRefusalsByStatus(t *testing.T) {
	r := start(t, Options{PublishDelay: -1})
	var e *api.Error
	if _, _, err := r.client.CheckDomainVerification(t.Context(), "abcb1234"); !errors.As(err, &e) || e.Code != "FailedOperation.CertificateStatusNotAllowVerify" {
		t.Errorf("check at status 5: %v", err)
	}
	if _, err := r.client.CompleteCertificate(t.Context(), "abcb1234"); !errors.As(err, &e) || e.Code != "FailedOperation.CertificateNotFoundOrAudited" {
		t.Errorf("complete at status 5: %v", err)
	}
	if _, err := r.client.CompleteCertificate(t.Context(), "review01"); !errors.As(err, &e) || e.Code != "FailedOperation.CertificateNotFoundOrAudited" {
		t.Errorf("complete while PRE-REVIEWING: %v", err)
	}
	if _, _, err := r.client.DownloadCertificate(t.Context(), "dcvwait1"); !errors.As(err, &e) || e.Code != "FailedOperation.InvalidCertificateStatusCode" {
		t.Errorf("download before issuance: %v", err)
	}
	if _, _, err := r.client.DownloadCertificate(t.Context(), "nosuch01"); !errors.As(err, &e) || e.Code != "FailedOperation.CertificateNotFound" {
		t.Errorf("download of an unknown ID: %v", err)
	}
}

// Every new business-error test ID answers its code through the api
// client, which explains it.
func TestValidationTestIDs(t *testing.T) {
	r := start(t, Options{PublishDelay: -1})
	seen := map[string]bool{}
	for _, f := range Faults {
		if f.Code == "" || (f.Action != ActionCheck && f.Action != ActionComplete && f.Action != ActionDownload) {
			continue
		}
		seen[f.Action+" "+f.Code] = true
		r.order(f.ID, "DNS", "")
		var err error
		switch f.Action {
		case ActionCheck:
			_, _, err = r.client.CheckDomainVerification(t.Context(), f.ID)
		case ActionComplete:
			_, err = r.client.CompleteCertificate(t.Context(), f.ID)
		case ActionDownload:
			_, _, err = r.client.DownloadCertificate(t.Context(), f.ID)
		}
		var e *api.Error
		if !errors.As(err, &e) || e.Code != f.Code || e.Guide().Title.EN == "" || e.Guide().Title.ZH == "" {
			t.Errorf("%s: %v", f.ID, err)
		}
	}
	// lifecycle.md's codes for each action.
	for _, want := range []string{
		ActionCheck + " FailedOperation", ActionCheck + " FailedOperation.CannotGetOrder", ActionCheck + " FailedOperation.CertificateNotFound",
		ActionCheck + " FailedOperation.CertificateStatusNotAllowVerify", ActionCheck + " FailedOperation.InvalidParam",
		ActionComplete + " FailedOperation", ActionComplete + " FailedOperation.CertificateNotFoundOrAudited",
		ActionComplete + " FailedOperation.InvalidParam", ActionComplete + " InternalError",
		ActionDownload + " FailedOperation.CertificateInvalid", ActionDownload + " FailedOperation.CertificateNotFound",
		ActionDownload + " FailedOperation.InvalidCertificateStatusCode", ActionDownload + " FailedOperation.CannotGetOrder",
		ActionDownload + " FailedOperation.NoProjectPermission", ActionDownload + " InternalError",
	} {
		if !seen[want] {
			t.Errorf("no test ID for %s", want)
		}
	}
}

func TestHostileArchives(t *testing.T) {
	r := start(t, Options{})
	data, _, err := r.client.DownloadCertificate(t.Context(), "testDownloadZipSlip")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if !slices.Contains(names, "../evil.txt") || !slices.Contains(names, "/abs.txt") {
		t.Fatalf("zip slip entries %v", names)
	}

	data, _, err = r.client.DownloadCertificate(t.Context(), "testDownloadBomb")
	if err != nil {
		t.Fatal(err)
	}
	zr, err = zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) != 1 {
		t.Fatalf("bomb: %v", err)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, rc)
	rc.Close()
	if err != nil || n < 100<<20 {
		t.Fatalf("the bomb inflates to %d bytes (%v) from %d", n, err, len(data))
	}
	t.Logf("bomb: %d bytes inflate to %d", len(data), n)
	if d, err := r.client.DescribeCertificateDetail(t.Context(), "testDownloadBomb"); err != nil || d.Status != 1 {
		t.Fatalf("the bomb's certificate is not issued: %+v %v", d, err)
	}
}

// Before Start the sandbox asks nobody: its own check says why.
func TestNotStartedLooksNothingUp(t *testing.T) {
	l := newLifecycle(t, Options{PublishDelay: -1})
	l.ok(ActionSubmit, submitBody("abcb1234", ""))
	l.ok(ActionCommit, `{"CertificateId":"abcb1234"}`)
	res := l.ok(ActionCheck, `{"CertificateId":"abcb1234"}`)["VerificationResults"].([]any)
	first := res[0].(map[string]any)
	if first["LocalCheck"] != -1.0 || !strings.Contains(first["LocalCheckFailReason"].(string), "not running") {
		t.Fatalf("%v", first)
	}
}
