package cli

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/spf13/cobra"
)

// nodeModules finds the node_modules holding Tencent Cloud's Node.js SDK:
// $CERTWIZ_NODE_MODULES, else where .ci/run installs it for the sandbox's
// interop test.
func nodeModules(t *testing.T) string {
	t.Helper()
	_, nodeErr := exec.LookPath("node")
	dir := os.Getenv("CERTWIZ_NODE_MODULES")
	if dir == "" {
		dir, _ = filepath.Abs("../../api/sandbox/testdata/nodesdk/node_modules")
	}
	_, modErr := os.Stat(filepath.Join(dir, "tencentcloud-sdk-nodejs-common"))
	if nodeErr != nil || modErr != nil {
		if os.Getenv("CERTWIZ_REQUIRE_NODE") != "" {
			t.Fatalf("node or the Node.js SDK is missing: %v %v", nodeErr, modErr)
		}
		t.Skip("Node.js SDK not installed: npm install --prefix api/sandbox/testdata/nodesdk")
	}
	return dir
}

// verified is one request as the Node.js verifier saw it.
type verified struct {
	Action, Host, Service, Version string
	Region                         string // X-TC-Region
	SignatureOK                    bool
	Params                         map[string]any
	Problems                       []string
}

// redirect sends every request to addr on loopback, leaving it as it was
// signed for the real endpoint (Host included).
type redirect struct{ addr string }

func (rd redirect) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	r.URL.Scheme, r.URL.Host = "http", rd.addr
	return http.DefaultTransport.RoundTrip(r)
}

// TestNodeSDKVerifiesCertsCommitAndSubmitCommit points certs, commit,
// submit --commit and status (--watch) at an endpoint that re-signs every request with Tencent
// Cloud's Node.js SDK signer: the signatures match (for the real host
// name), the bodies are exactly the documented parameters, and the
// answers are mapped.
func TestNodeSDKVerifiesCertsCommitAndSubmitCommit(t *testing.T) {
	modules := nodeModules(t)
	e := newEnv(t) // isolates HOME and puts the demo key in the environment
	var names []string
	for _, f := range api.Fields {
		names = append(names, f.Name)
	}
	fields, _ := json.Marshal(names)
	cmd := exec.Command("node", "testdata/nodeverify/verify.js", sandbox.DemoSecretID, sandbox.DemoSecretKey, string(fields))
	// node0002's certificate once issued: Tencent's archive layout, the key
	// included (CsrType online).
	issued := bundletest.Issue(t, nil, "bank.example.com")
	archive := bundletest.Zip(t, bundletest.Layout("bank.example.com", issued, true))
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules, "CERTWIZ_NODE_ZIP="+base64.StdEncoding.EncodeToString(archive))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 100)
	sc := bufio.NewScanner(stdout)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var addr string
	select {
	case l := <-lines:
		addr, _ = strings.CutPrefix(l, "listening ")
	case <-time.After(10 * time.Second):
		t.Fatal("the verifier did not start")
	}
	e.url, e.transport = api.DefaultEndpoint, redirect{addr}
	next := func() verified {
		t.Helper()
		select {
		case l := <-lines:
			var v verified
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				t.Fatalf("verifier said %q", l)
			}
			if !v.SignatureOK || v.Host != "ssl.tencentcloudapi.com" || v.Service != "ssl" || v.Version != api.Version || len(v.Problems) > 0 {
				t.Fatalf("verifier: %+v", v)
			}
			return v
		case <-time.After(5 * time.Second):
			t.Fatal("no request reached the verifier")
		}
		return verified{}
	}
	body := func(v verified) string {
		data, _ := json.Marshal(v.Params)
		return string(data)
	}

	// certs: the default selection, and --status all.
	r := e.certs(t, "--json")
	if v := next(); r.code != 0 || v.Action != api.ActionList || body(v) != `{"CertificateStatus":[5,0,4,8],"Limit":1000,"Offset":0}` {
		t.Fatalf("certs: exit %d %s %+v", r.code, r.stderr, v)
	}
	var list struct {
		TotalCount   int
		Certificates []map[string]any
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || list.TotalCount != 2 ||
		list.Certificates[0]["StatusName"] != "awaiting information" || list.Certificates[1]["ProductName"] != "SecureSite 增强型(EV)" ||
		list.Certificates[1]["StatusName"] != "awaiting domain validation" {
		t.Fatalf("certs answer mapped as %s", r.stdout)
	}
	r = e.certs(t, "--status", "all", "--search", "example")
	if v := next(); r.code != 0 || body(v) != `{"Limit":1000,"Offset":0,"SearchKey":"example"}` {
		t.Fatalf("certs --status all: exit %d %+v", r.code, v)
	}

	// commit --yes: the commit, with --verify-type when given, then the
	// detail that names the stage (in --json too).
	r = e.commit(t, how{}, "node0001", "--yes", "--json")
	if v := next(); r.code != 0 || v.Action != api.ActionCommit || body(v) != `{"CertificateId":"node0001"}` {
		t.Fatalf("commit: exit %d %s %+v", r.code, r.stderr, v)
	}
	if v := next(); v.Action != api.ActionDetail || body(v) != `{"CertificateId":"node0001"}` {
		t.Fatalf("after the JSON commit: %+v", v)
	}
	if m := decodeOne(t, r.stdout); m["OrderId"] != "CA000000000042" || m["Status"] != 0.0 || m["CertificateId"] != "node0001" {
		t.Fatalf("commit answer mapped as %v", m)
	}
	r = e.commit(t, how{}, "node0001", "--yes", "--verify-type", "dns_auto")
	if v := next(); r.code != 0 || body(v) != `{"CertificateId":"node0001","VerifyType":"DNS_AUTO"}` || !strings.Contains(r.stdout, "(4)") {
		t.Fatalf("commit --verify-type: exit %d %+v %s", r.code, v, r.stdout)
	}
	// The human output reads the detail after the commit: stage and deadline.
	if v := next(); v.Action != api.ActionDetail {
		t.Fatalf("after the commit: %+v", v)
	}

	// commit on a terminal: the detail first (its secrets never shown).
	r = e.commit(t, how{stdin: "y\n", tty: true}, "node0001")
	if d, c := next(), next(); r.code != 0 || d.Action != api.ActionDetail || body(d) != `{"CertificateId":"node0001"}` || c.Action != api.ActionCommit {
		t.Fatalf("terminal commit: exit %d %+v %+v %s", r.code, d, c, r.stderr)
	}
	if !strings.Contains(r.stderr, "Example Node Co.") || strings.Contains(r.stdout+r.stderr, "never shown") {
		t.Fatalf("terminal commit showed:\n%s%s", r.stdout, r.stderr)
	}
	if v := next(); v.Action != api.ActionDetail {
		t.Fatalf("after the terminal commit: %+v", v)
	}

	// submit --commit: the submit's exact parameters, then the commit with its VerifyType.
	r = e.run(t, "", "--input", exampleFile(t), "--set", "CertificateId=node0003", "--set", "VerifyType=FILE", "--commit", "--json")
	s, c := next(), next()
	want := readRequest(t, exampleFile(t))
	want.CertificateId, want.VerifyType = "node0003", "FILE"
	want = want.Normalized()
	wantBody, _ := json.Marshal(want.Params())
	if r.code != 0 || s.Action != api.ActionSubmit || body(s) != string(wantBody) {
		t.Fatalf("submit: exit %d %s\n got %s\nwant %s", r.code, r.stderr, body(s), wantBody)
	}
	if c.Action != api.ActionCommit || body(c) != `{"CertificateId":"node0003","VerifyType":"FILE"}` {
		t.Fatalf("commit after submit: %+v", c)
	}
	if m := decodeOne(t, r.stdout); m["CertificateId"] != "node0003" || m["Commit"].(map[string]any)["OrderId"] != "CA000000000042" {
		t.Fatalf("submit --commit answer mapped as %v", m)
	}
	if v := next(); v.Action != api.ActionDetail || body(v) != `{"CertificateId":"node0003"}` {
		t.Fatalf("after submit --commit: %+v", v)
	}

	// status: one round reads the detail and asks Tencent; --watch tells
	// the CA to validate once the record is found, and reads the issued
	// certificate again (its secrets never shown).
	z := newTXTZone(t)
	statusCmd := func(knobs statusKnobs) func(*Globals) *cobra.Command {
		knobs.lookup = z.lookup()
		return func(g *Globals) *cobra.Command { return newStatusCmd(g, knobs) }
	}
	r = e.exec(t, statusCmd(statusKnobs{}), how{}, "node0002", "--json")
	if d, c := next(), next(); r.code != ExitWaiting || d.Action != api.ActionDetail || c.Action != api.ActionCheck || body(c) != `{"CertificateId":"node0002"}` {
		t.Fatalf("status: exit %d %s %+v %+v", r.code, r.stderr, d, c)
	}
	m := decodeOne(t, r.stdout)
	rec := m["Records"].([]any)[0].(map[string]any)
	if m["OrderId"] != "CA000000000043" || rec["FQDN"] != "_dnsauth.bank.example.com." || rec["Tencent"].(map[string]any)["LocalCheck"] != -1.0 ||
		rec["Local"].(map[string]any)["Found"] != false {
		t.Fatalf("status answer mapped as %v", m)
	}
	z.set("_dnsauth.bank.example.com", "node-dcv-value")
	r = e.exec(t, statusCmd(statusKnobs{interval: 50 * time.Millisecond}), how{}, "node0002", "--watch", "--json")
	var got []string
	for _, v := range []verified{next(), next(), next(), next()} {
		got = append(got, v.Action+" "+body(v))
	}
	calls := []string{api.ActionDetail, api.ActionComplete, api.ActionCheck, api.ActionDetail}
	for i := range calls {
		calls[i] += ` {"CertificateId":"node0002"}`
	}
	if r.code != 0 || strings.Join(got, "\n") != strings.Join(calls, "\n") {
		t.Fatalf("status --watch: exit %d %s\n got %q\nwant %q", r.code, r.stderr, got, calls)
	}
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 1 || !strings.Contains(lines[0], `"Status":1,`) || !strings.Contains(lines[0], `"Issued":true`) {
		t.Fatalf("status --watch printed %s", r.stdout)
	}
	if out := r.stdout + r.stderr; strings.Contains(out, "never shown") || strings.Contains(out, "PRIVATE KEY") {
		t.Fatalf("a secret shown:\n%s", out)
	}

	// download: DownloadCertificate with its one parameter; the archive
	// unpacked, the key Tencent made checked against the certificate.
	out := filepath.Join(t.TempDir(), "bank")
	r = e.exec(t, NewDownloadCmd, how{}, "node0002", "--out", out, "--json")
	if v := next(); r.code != 0 || v.Action != api.ActionDownload || body(v) != `{"CertificateId":"node0002"}` {
		t.Fatalf("download: exit %d %s %+v", r.code, r.stderr, v)
	}
	// The archive passed: the detail says which names it must cover.
	if v := next(); v.Action != api.ActionDetail || body(v) != `{"CertificateId":"node0002"}` {
		t.Fatalf("download, after the archive: %+v", v)
	}
	if m := decodeOne(t, r.stdout); m["KeyMatches"] != true || len(m["Files"].([]any)) == 0 || strings.Contains(r.stdout+r.stderr, "PRIVATE KEY") {
		t.Fatalf("download answer mapped as %s %s", r.stdout, r.stderr)
	}

	// bindings: the sync task for the one certificate, then its detail.
	r = e.exec(t, fastBindings, how{}, "node0001", "--json")
	if v := next(); r.code != 0 || v.Action != api.ActionBindSync || body(v) != `{"CertificateIds":["node0001"],"IsCache":0}` {
		t.Fatalf("bindings: exit %d %s %+v", r.code, r.stderr, v)
	}
	if v := next(); v.Action != api.ActionBindDetail || body(v) != `{"TaskId":"node-task-node0001"}` {
		t.Fatalf("bindings, the task: %+v", v)
	}
	if m := decodeOne(t, r.stdout); len(m["Resources"].([]any)) != 1 || m["Resources"].([]any)[0].(map[string]any)["instance"] != "www.example.com" {
		t.Fatalf("bindings answer mapped as %s", r.stdout)
	}

	// rollout: both certificates read, OLD's bindings, the update (asked
	// again after "still being created"), its record read to the end.
	r = e.exec(t, fastRollout, how{}, "node0001", "node0005", "--yes", "--json", "--silence-old")
	var sent []string
	for range 10 {
		v := next()
		sent = append(sent, v.Action+" "+body(v))
	}
	wantSent := []string{
		api.ActionDetail + ` {"CertificateId":"node0001"}`,
		api.ActionDetail + ` {"CertificateId":"node0005"}`,
		api.ActionBindSync + ` {"CertificateIds":["node0001"],"IsCache":0}`,
		api.ActionBindDetail + ` {"TaskId":"node-task-node0001"}`,
		api.ActionUpdate + ` {"CertificateId":"node0005","OldCertificateId":"node0001","ResourceTypes":["cdn"]}`,
		api.ActionUpdate + ` {"CertificateId":"node0005","OldCertificateId":"node0001","ResourceTypes":["cdn"]}`,
		api.ActionUpdateDetail + ` {"DeployRecordId":"4242","Limit":"200","Offset":"0"}`,
		// --silence-old: nothing uses node0001 now (a fresh look), then its notices off.
		api.ActionBindSync + ` {"CertificateIds":["node0001"],"IsCache":0}`,
		api.ActionBindDetail + ` {"TaskId":"node-task-node0001"}`,
		api.ActionNotices + ` {"CertificateIds":["node0001"],"SwitchStatus":1}`,
	}
	if r.code != 0 || !slices.Equal(sent, wantSent) {
		t.Fatalf("rollout: exit %d %s\n%q\nwant\n%q", r.code, r.stderr, sent, wantSent)
	}
	if m := decodeOne(t, r.stdout); m["Outcome"] != "replaced" || m["RecordId"] != float64(4242) || m["NoticesOff"] != true {
		t.Fatalf("rollout answer mapped as %s", r.stdout)
	}

	// deploy: the certificate read, its bindings (the CDN domain serves it
	// already: skipped, nothing sent for it), the deployment to the listener
	// (asked again after "still being created"), with the region, and its
	// record read to the end.
	r = e.exec(t, fastDeploy, how{}, "node0005", "--to", "clb:lb-node0001|lbl-node0001|www.example.com,cdn:www.example.com|off", "--region", "ap-guangzhou", "--yes", "--json")
	sent = nil
	for range 6 {
		v := next()
		sent = append(sent, v.Action+" "+v.Region+" "+body(v))
	}
	wantSent = []string{
		api.ActionDetail + `  {"CertificateId":"node0005"}`,
		api.ActionBindSync + `  {"CertificateIds":["node0005"],"IsCache":0}`,
		api.ActionBindDetail + `  {"TaskId":"node-task-node0005"}`,
		api.ActionDeploy + ` ap-guangzhou {"CertificateId":"node0005","InstanceIdList":["lb-node0001|lbl-node0001|www.example.com"],"ResourceType":"clb"}`,
		api.ActionDeploy + ` ap-guangzhou {"CertificateId":"node0005","InstanceIdList":["lb-node0001|lbl-node0001|www.example.com"],"ResourceType":"clb"}`,
		api.ActionDeployDetail + `  {"DeployRecordId":"4343","Limit":200,"Offset":0}`,
	}
	if r.code != 0 || !slices.Equal(sent, wantSent) {
		t.Fatalf("deploy: exit %d %s\n%q\nwant\n%q", r.code, r.stderr, sent, wantSent)
	}
	if m := decodeOne(t, r.stdout); m["Outcome"] != "deployed" || len(m["Plan"].(map[string]any)["Skipped"].([]any)) != 1 ||
		m["Records"].([]any)[0].(map[string]any)["RecordId"] != float64(4343) || !strings.Contains(r.stderr, "Skipped: cdn www.example.com|off serves node0005 already") {
		t.Fatalf("deploy answer mapped as %s\n%s", r.stdout, r.stderr)
	}

	// The verifier does check: a request signed with another key fails there.
	t.Setenv(api.EnvSecretKey, "not-the-key")
	r = e.certs(t)
	select {
	case l := <-lines:
		if !strings.Contains(l, `"signatureOK":false`) || r.code != api.ExitAuth {
			t.Fatalf("wrong key: exit %d, verifier %s", r.code, l)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no request reached the verifier")
	}
}

// readRequest reads an --input file as submit does.
func readRequest(t *testing.T, path string) api.Request {
	t.Helper()
	req, _, err := readInput(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
