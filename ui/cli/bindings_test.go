package cli

// `certwiz bindings` against the sandbox over loopback.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/spf13/cobra"
)

// fastBindings is `bindings` reading the task every millisecond.
func fastBindings(g *Globals) *cobra.Command {
	return newBindingsCmd(g, bindingsKnobs{interval: time.Millisecond})
}

func TestBindingsListsTheThreeResourcesOfExppaid1(t *testing.T) {
	e := newEnv(t)
	r := e.exec(t, fastBindings, how{}, "exppaid1")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := "TYPE\tREGION\tINSTANCE\tLISTENER\tNAMES\n" +
		"clb\tap-guangzhou\tlb-shop0gz1\tlbl-https0gz\tshop.example.com,www.shop.example.com\n" +
		"clb\tap-shanghai\tlb-shop0sh1\tlbl-https0sh\twww.shop.example.com\n" +
		"cdn\t\tshop.example.com\t\tshop.example.com\n"
	if r.stdout != want {
		t.Fatalf("stdout\n%s\nwant\n%s", r.stdout, want)
	}
	if !strings.Contains(r.stderr, "3 resource(s) serve exppaid1.") {
		t.Fatalf("stderr %q", r.stderr)
	}
	// One task, read until done (the sandbox says "querying" once); nothing changed.
	if n := len(e.sb.Calls(sandbox.ActionBindSync)); n != 1 {
		t.Fatalf("%d sync tasks", n)
	}
	if n := len(e.sb.Calls(sandbox.ActionBindDetail)); n != 2 {
		t.Fatalf("%d detail reads", n)
	}
	if e.sb.UpdateCalls() != 0 {
		t.Fatal("bindings changed something")
	}
}

func TestBindingsTableAndChinese(t *testing.T) {
	e := newEnv(t)
	r := e.exec(t, fastBindings, how{tty: true, cols: 120}, "exppaid1")
	if r.code != 0 || !strings.Contains(r.stdout, "lb-shop0gz1 (shop-gz)") || !strings.Contains(r.stdout, "lbl-https0sh (https-443)") ||
		!strings.Contains(r.stdout, "cdn   -") {
		t.Fatalf("exit %d table\n%s", r.code, r.stdout)
	}
	r = e.exec(t, fastBindings, how{lang: api.Chinese}, "expfree1")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "类型\t地域\t实例\t监听器\t域名\ncdn\t\tfree.example.com\t\tfree.example.com\n") ||
		!strings.Contains(r.stderr, "1 个云资源使用 expfree1") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestBindingsJSON(t *testing.T) {
	e := newEnv(t)
	r := e.exec(t, fastBindings, how{}, "exppaid1", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	m := decodeOne(t, r.stdout)
	res, _ := m["Resources"].([]any)
	if m["CertificateId"] != "exppaid1" || len(res) != 3 || m["CacheTime"] == "" {
		t.Fatalf("json %v", m)
	}
	first := res[0].(map[string]any)
	if first["type"] != "clb" || first["listener"] != "lbl-https0gz" || first["instanceName"] != "shop-gz" || len(first["names"].([]any)) != 2 {
		t.Fatalf("first %v", first)
	}
	// A certificate on nothing: an empty list, exit 0.
	r = e.exec(t, fastBindings, how{}, "issued01", "--json")
	if m := decodeOne(t, r.stdout); r.code != 0 || len(m["Resources"].([]any)) != 0 {
		t.Fatalf("issued01: exit %d %s", r.code, r.stdout)
	}
}

func TestBindingsFaults(t *testing.T) {
	e := newEnv(t)
	// The SSL service role is not authorized: explained, exit 4.
	r := e.exec(t, fastBindings, how{}, sandbox.RolloutNoRole)
	if r.code != api.ExitAuth || !strings.Contains(r.stderr, "SSL service role not authorized") || !strings.Contains(r.stderr, "service authorization") {
		t.Fatalf("no role: exit %d %s", r.code, r.stderr)
	}
	// A bad ID: nothing sent.
	before := e.calls.Load()
	r = e.exec(t, fastBindings, how{}, "exp paid1")
	if r.code != api.ExitInput || e.calls.Load() != before {
		t.Fatalf("bad ID: exit %d, %d requests", r.code, e.calls.Load()-before)
	}
	// Still querying at --max-wait: exit 6, said (the next read would come
	// after the default 2 s interval, past a 1 ms wait).
	r = e.exec(t, NewBindingsCmd, how{}, "exppaid1", "--max-wait", "1ms")
	if r.code != ExitWaiting || !strings.Contains(r.stderr, "still looking") {
		t.Fatalf("max-wait: exit %d %s", r.code, r.stderr)
	}
	// The rate limit of the detail: the client's pacing and retries keep
	// the command working at 10/s.
	e2 := newEnvWith(t, sandbox.Options{Rate: 1})
	r = e2.exec(t, fastBindings, how{}, "expfree1")
	if r.code != 0 || !strings.Contains(r.stdout, "free.example.com") {
		t.Fatalf("rate 1/s: exit %d %s", r.code, r.stderr)
	}
}

// Hostile text in resource names reaches the terminal only through
// ui/safe; an answer about another certificate is refused unquoted.
func TestBindingsHostileAnswers(t *testing.T) {
	newEnv(t) // isolates HOME, the demo key in the environment
	serve := func(detail string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if r.Header.Get("X-TC-Action") == sandbox.ActionBindSync {
				io.WriteString(w, `{"Response":{"CertTaskIds":[{"CertId":"exppaid1","TaskId":"task-1"}],"RequestId":"r-1"}}`)
				return
			}
			io.WriteString(w, detail)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	hostile := serve(`{"Response":{"Status":1,"CLB":[{"Region":"ap-\u001b]52;c;ZXZpbA==\u0007x","InstanceList":[{"LoadBalancerId":"lb-1","LoadBalancerName":"name\u001b[2J\u202e","Listeners":[` +
		`{"ListenerId":"lbl-1","ListenerName":"l\r\nFAKE LINE","Certificate":{"CertId":"exppaid1"},"Rules":[{"Domain":"www.\u001b[31mevil","Certificate":{"CertId":"exppaid1"}}]}]}]}],"RequestId":"r-2"}}`)
	for _, tty := range []bool{false, true} {
		r := env{url: hostile}.exec(t, fastBindings, how{tty: tty, cols: 120}, "exppaid1")
		if r.code != 0 {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
		for _, bad := range []string{"\x1b", "\u202e", "\r", "\a", "\nFAKE"} {
			if strings.Contains(r.stdout+r.stderr, bad) {
				t.Fatalf("tty %v: %q reached the terminal:\n%q", tty, bad, r.stdout)
			}
		}
	}
	other := serve(`{"Response":{"Status":1,"CDN":[{"InstanceList":[{"Domain":"evil.example","CertId":"evil0001"}]}],"RequestId":"r-2"}}`)
	r := env{url: other}.exec(t, fastBindings, how{}, "exppaid1")
	if r.code != api.ExitTransport || strings.Contains(r.stdout+r.stderr, "evil.example") || r.stdout != "" {
		t.Fatalf("another certificate: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// ctrl+c while waiting for Tencent's lookup: said, exit 130, nothing changed.
func TestBindingsInterrupted(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.sb.ServeHTTP(w, r)
		if r.Header.Get("X-TC-Action") == sandbox.ActionBindDetail {
			cancel() // the first read said "querying": the user presses ctrl+c
		}
	}))
	defer srv.Close()
	var out, errb bytes.Buffer
	g := &Globals{IO: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Endpoint: srv.URL, Timeout: 10 * time.Second, Language: api.English, Version: "test"}
	cmd := newBindingsCmd(g, bindingsKnobs{interval: time.Hour})
	cmd.SetArgs([]string{"exppaid1"})
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	code := ExitCode(cmd.ExecuteContext(ctx), &errb)
	if code != api.ExitInterrupted || !strings.Contains(errb.String(), "Interrupted: certwiz was only reading, nothing was changed.") || out.String() != "" {
		t.Fatalf("exit %d stdout %q stderr %q", code, out.String(), errb.String())
	}
}
