package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/sandbox"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// `certwiz sandbox` says where its DNS and HTTP servers are and how to
// point certwiz status at them; its DNS server answers there.
func TestSandboxCommandPrintsItsValidationServers(t *testing.T) {
	var out, errb lockedBuffer
	g := &Globals{IO: IO{Out: &out, Err: &errb}, Language: api.English}
	o := &SandboxOptions{Globals: g, Listen: "127.0.0.1:0", Rate: 10, Quiet: true, PublishDelay: 2 * time.Second, FreeLimit: 1}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- runSandbox(ctx, o) }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "Press Ctrl+C") {
		if time.Now().After(deadline) {
			t.Fatalf("no start banner: %s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	text := out.String()
	m := regexp.MustCompile(`DNS:\s+(127\.0\.0\.1:\d+)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no DNS address:\n%s", text)
	}
	for _, want := range []string{"HTTP:  127.0.0.1:", "HTTPS: 127.0.0.1:", "--resolver " + m[1] + " --nameserver " + m[1],
		"Records are published 2s after a commit", "testDownloadBomb", "testCheckNotAllowVerify",
		"expfree1                 free DV, issued, expires 10 days after the sandbox starts", "renpaid1 ",
		"testApplyLost            the renewal is made, then the connection closes without an answer (as OldCertificateId, with DomainName testapplylost.example.com)"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	// --free-limit 1: one free certificate, then the refusal.
	ep := regexp.MustCompile(`endpoint: (http://\S+)`).FindStringSubmatch(text)
	if ep == nil {
		t.Fatalf("no endpoint:\n%s", text)
	}
	client, err := api.NewClient(api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "test"), api.Config{Endpoint: ep[1], Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"", "FailedOperation.ExceedsFreeLimit"} {
		_, err := client.ApplyCertificate(t.Context(), api.ApplyRequest{DomainName: fmt.Sprintf("n%d.example.com", i), DvAuthMethod: api.MethodFile})
		var e *api.Error
		if want == "" && err != nil || want != "" && (!errors.As(err, &e) || e.Code != want) {
			t.Fatalf("application %d: %v, want %q", i+1, err, want)
		}
	}
	q := new(dns.Msg)
	q.SetQuestion("example.com.", dns.TypeSOA)
	if in, err := dns.Exchange(q, m[1]); err != nil || len(in.Answer) != 1 || !in.Authoritative {
		t.Fatalf("the printed DNS server: %v %v", in, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestSandboxRefusesANegativeDelay(t *testing.T) {
	var out, errb bytes.Buffer
	g := &Globals{IO: IO{Out: &out, Err: &errb}, Language: api.English}
	err := runSandbox(t.Context(), &SandboxOptions{Globals: g, Listen: "127.0.0.1:0", Rate: 10, PublishDelay: -time.Second})
	if ExitCode(err, &errb) != api.ExitInput || out.Len() != 0 {
		t.Fatalf("%v %s", err, out.String())
	}
	err = runSandbox(t.Context(), &SandboxOptions{Globals: g, Listen: "127.0.0.1:0", Rate: 10, FreeLimit: -1})
	if ExitCode(err, &errb) != api.ExitInput || out.Len() != 0 || !strings.Contains(err.Error(), "--free-limit -1") {
		t.Fatalf("--free-limit -1: %v %s", err, out.String())
	}
}

// --sandbox gives the local check the sandbox's own servers, with
// --sandbox-delay 0 the records are there at once, and the flags
// --resolver/--nameserver win over them.
func TestSandboxFlagGivesTheLocalCheckItsServers(t *testing.T) {
	for _, noPublish := range []bool{false, true} {
		g := &Globals{IO: IO{Err: &bytes.Buffer{}}, Language: api.English, Sandbox: true, SandboxNoPublish: noPublish, Timeout: 10 * time.Second}
		creds, url, stop, err := g.connect(func(err error) error { return err })
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		if l := creds.sandbox; l == nil || l.Resolver == "" || l.Dial == nil || l.RootCAs == nil {
			t.Fatalf("lookup %+v", l)
		}
		client, err := g.newClient(creds.Credentials, url, 0)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile("../../example.json")
		if err != nil {
			t.Fatal(err)
		}
		req, err := api.DecodeJSON(data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.Submit(t.Context(), req); err != nil {
			t.Fatal(err)
		}
		if _, err := client.Commit(t.Context(), req.CertificateId, "DNS"); err != nil {
			t.Fatal(err)
		}
		d, err := client.DescribeCertificateDetail(t.Context(), req.CertificateId)
		if err != nil || len(d.Records()) != 2 {
			t.Fatalf("%+v %v", d, err)
		}
		for _, rec := range d.Records() {
			if res := dnscheck.Check(t.Context(), rec, lookupOptions(creds.sandbox, "", nil)); res.Found == noPublish {
				t.Fatalf("no-publish %v: %s found %v: %+v", noPublish, rec.FQDN, res.Found, res)
			}
		}
	}

	sb := &dnscheck.Options{Resolver: "127.0.0.1:5301", Nameservers: []string{"127.0.0.1:5301"}, Timeout: time.Second}
	o := lookupOptions(sb, "127.0.0.2:53", []string{"127.0.0.3:53", "127.0.0.4:53"})
	if o.Resolver != "127.0.0.2:53" || strings.Join(o.Nameservers, " ") != "127.0.0.3:53 127.0.0.4:53" || o.Timeout != time.Second {
		t.Fatalf("flags over the sandbox: %+v", o)
	}
	if o := lookupOptions(sb, "", nil); o.Resolver != "127.0.0.1:5301" {
		t.Fatalf("the sandbox's: %+v", o)
	}
	if o := lookupOptions(nil, "", nil); o.Resolver != "" || o.Nameservers != nil || o.Dial != nil {
		t.Fatalf("without sandbox and flags: %+v", o)
	}
}
