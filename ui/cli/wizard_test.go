package cli

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

func TestResumeArgsKeepTheFlagsThatReopenTheSession(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	abs := filepath.Join(dir, "conf")
	cases := []struct {
		name string
		g    Globals
		want []string
	}{
		{"nothing given", Globals{Endpoint: api.DefaultEndpoint, Language: api.English, Changed: map[string]bool{}},
			[]string{"certwiz"}},
		{"language from the environment is not repeated", Globals{Endpoint: api.DefaultEndpoint, Language: api.Chinese},
			[]string{"certwiz"}},
		{"sandbox drops its random endpoint; config dir made absolute; language given",
			Globals{Sandbox: true, Endpoint: "http://127.0.0.1:40123", ConfigDir: "conf", Language: api.Chinese,
				Changed: map[string]bool{"sandbox": true, "config-dir": true, "language": true}},
			[]string{"certwiz", "--sandbox", "--config-dir", abs, "--language", "zh-CN"}},
		{"own endpoint and an explicit --accessible",
			Globals{Endpoint: "http://127.0.0.1:8417", Language: api.English, Accessible: true, AccessibleAsked: true,
				Changed: map[string]bool{"endpoint": true, "accessible": true}},
			[]string{"certwiz", "--endpoint", "http://127.0.0.1:8417", "--accessible"}},
		{"the default endpoint spelled out is not repeated; prompts from ACCESSIBLE=1 resume as prompts",
			Globals{Endpoint: "https://ssl.tencentcloudapi.com/", Language: api.English, Accessible: true,
				Changed: map[string]bool{"endpoint": true}},
			[]string{"certwiz", "--accessible"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ResumeArgs(&c.g); !slices.Equal(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestWizardWithoutATerminalExits2AndReadsNothing(t *testing.T) {
	in := strings.NewReader("1\n")
	var out, errb bytes.Buffer
	// ACCESSIBLE=1 or TERM=dumb set Accessible, but only the flag asks.
	for _, lang := range []string{api.English, api.Chinese} {
		out.Reset()
		errb.Reset()
		g := &Globals{IO: IO{In: in, Out: &out, Err: &errb}, Language: lang, Accessible: true, ConfigDir: t.TempDir()}
		code := ExitCode(RunWizard(context.Background(), g, ""), &errb)
		if code != api.ExitInput || in.Len() != 2 || out.Len() != 0 || !strings.Contains(errb.String(), "certwiz submit") {
			t.Fatalf("%s: exit %d, %d bytes left to read, stdout %q, stderr %q", lang, code, in.Len(), out.String(), errb.String())
		}
	}
	if !strings.Contains(errb.String(), "需要终端") {
		t.Fatalf("zh-CN: %q", errb.String())
	}
}

// headerTap is a transport that notes every request's action and headers
// and carries it to the sandbox, wherever the client meant to send it.
type headerTap struct {
	to   string // the sandbox's host:port
	mu   sync.Mutex
	seen []http.Header
}

func (rc *headerTap) RoundTrip(r *http.Request) (*http.Response, error) {
	rc.mu.Lock()
	rc.seen = append(rc.seen, r.Header.Clone())
	rc.mu.Unlock()
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = "http", rc.to
	return http.DefaultTransport.RoundTrip(r)
}

func (rc *headerTap) actions() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for _, h := range rc.seen {
		out = append(out, h.Get("X-TC-Action"))
	}
	return out
}

// The wizard's client is the commands' client: its requests go through
// the transport the commands use (here one that leads from an endpoint
// nobody listens on to the sandbox) with the same identifying headers.
func TestWizardUsesTheCommandsClient(t *testing.T) {
	e := newEnv(t)
	u, _ := url.Parse(e.url)
	rc := &headerTap{to: u.Host}
	e.url, e.transport = "http://127.0.0.1:1", rc

	if r := e.certs(t); r.code != 0 {
		t.Fatalf("certs: exit %d %s", r.code, r.stderr)
	}
	if got := rc.actions(); len(got) != 1 || got[0] != "DescribeCertificates" {
		t.Fatalf("certs sent %v", got)
	}
	command := rc.seen[0]

	// The accessible wizard: "continue a certificate in validation" lists
	// them, then the answers end.
	var out, errb bytes.Buffer
	g := &Globals{IO: IO{In: strings.NewReader("2\n"), Out: &out, Err: &errb}, Endpoint: e.url, Timeout: 10 * time.Second,
		Language: api.English, Version: "test", Accessible: true, AccessibleAsked: true, ConfigDir: t.TempDir(), transport: rc}
	// The answers end at the second question: the wizard stops there.
	ExitCode(RunWizard(context.Background(), g, ""), &errb)
	if !strings.Contains(out.String(), "dcvwait1") {
		t.Fatalf("the wizard listed no certificate in validation:\n%s\n%s", out.String(), errb.String())
	}
	if got := rc.actions(); len(got) != 2 || got[1] != "DescribeCertificates" {
		t.Fatalf("the wizard's requests did not go through the commands' transport: %v\n%s", got, out.String())
	}
	wizard := rc.seen[1]
	for _, h := range []string{"User-Agent", "X-TC-Language", "Host"} {
		if wizard.Get(h) != command.Get(h) {
			t.Errorf("%s: wizard %q, command %q", h, wizard.Get(h), command.Get(h))
		}
	}
}

// One constructor builds every face's client: api.NewClient is called
// from newClient only, so no face leaves out the rate or the transport.
func TestOneClientConstructor(t *testing.T) {
	root := filepath.Join("..", "..")
	var callers []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.Contains(line, "NewClient(") && !strings.HasPrefix(strings.TrimSpace(line), "//") && !strings.HasPrefix(line, "func NewClient(") {
				callers = append(callers, fmt.Sprintf("%s:%d", filepath.ToSlash(path), i+1))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(callers) != 1 || !strings.HasPrefix(callers[0], "../../ui/cli/output.go:") {
		t.Fatalf("api.NewClient is called from %v; build clients with Globals.newClient", callers)
	}
}
