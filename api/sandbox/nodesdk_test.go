package sandbox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
)

// TestNodeSDKSignerInterop sends requests signed by Tencent Cloud's own
// Node.js SDK (testdata/nodesdk) to the sandbox: an independent signer
// checking the verifier. .ci/run installs the SDK and sets
// CERTWIZ_REQUIRE_NODE=1 so this always runs there; elsewhere it runs when
// `npm install --prefix api/sandbox/testdata/nodesdk` has been done.
func TestNodeSDKSignerInterop(t *testing.T) {
	_, nodeErr := exec.LookPath("node")
	_, modErr := os.Stat("testdata/nodesdk/node_modules/tencentcloud-sdk-nodejs-common")
	if nodeErr != nil || modErr != nil {
		if os.Getenv("CERTWIZ_REQUIRE_NODE") != "" {
			t.Fatalf("node or the Node.js SDK is missing: %v %v", nodeErr, modErr)
		}
		t.Skip("Node.js SDK not installed: npm install --prefix api/sandbox/testdata/nodesdk")
	}
	// Started with its validation servers, records at once, issuance
	// right after the CA's check and deployments ending at once: the SDK's
	// requests walk the whole road.
	sb := New(Options{PublishDelay: -1, IssueDelay: -1, RolloutStep: -1})
	url, stop, err := Start(sb)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	out, err := exec.Command("node", "testdata/nodesdk/interop.js", url, DemoSecretID, DemoSecretKey).Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	want := map[string]string{
		"common-client":        "",
		"common-client-direct": "",
		"signer":               "",
		"signer-tampered":      "AuthFailure.SignatureFailure",
		"signer-hour-old":      "AuthFailure.SignatureExpire",
		"describe":             "",
		"commit":               "",
		"detail":               "",
		"check":                "",
		"complete":             "",
		"download":             "",
		"bind-sync":            "",
		"bind-detail":          "FailedOperation.CertificateSyncTaskIdInvalid",
		"update":               "",
		"update-detail":        "FailedOperation.CertificateDeployNotExist",
		"update-retry":         "FailedOperation.CertificateDeployNotExist",
		"update-rollback":      "FailedOperation.CertificateDeployNotExist",
		"deploy-no-region":     "InvalidParameter.RegionNotEmpty",
		"deploy-cdn":           "",
		"deploy-detail":        "FailedOperation.CertificateDeployNotExist",
		"deploy-retry":         "FailedOperation.CertificateDeployNotExist",
		"deploy-rollback":      "FailedOperation.CertificateDeployNotExist",
		"deploy-clb":           "",
	}
	got := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var line struct {
			Case, Code, RequestId string
			Total                 int
			LocalChecks           []int
			ContentType           string
			ContentLength         int
			Tasks                 int
			DeployRecordId        *int
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("bad line %q", sc.Text())
		}
		if line.RequestId == "" {
			t.Errorf("%s: no RequestId", line.Case)
		}
		got[line.Case] = line.Code
		if line.Case == "describe" && line.Total != 1 {
			t.Errorf("describe: TotalCount %d, want 1 (abcb1234)", line.Total)
		}
		if line.Case == "check" && (len(line.LocalChecks) != 2 || line.LocalChecks[0] != 1 || line.LocalChecks[1] != 1) {
			t.Errorf("check: LocalCheck %v, want [1 1]", line.LocalChecks)
		}
		if line.Case == "bind-sync" && line.Tasks != 1 {
			t.Errorf("bind-sync: %d tasks, want 1", line.Tasks)
		}
		if line.Case == "update" && (line.DeployRecordId == nil || *line.DeployRecordId != 0) {
			t.Errorf("update: DeployRecordId %v, want 0 (still creating)", line.DeployRecordId)
		}
		if (line.Case == "deploy-cdn" || line.Case == "deploy-clb") && (line.DeployRecordId == nil || *line.DeployRecordId == 0) {
			t.Errorf("%s: DeployRecordId %v, want a record", line.Case, line.DeployRecordId)
		}
		if line.Case == "download" && (line.ContentType != "application/zip" || line.ContentLength < 1000) {
			t.Errorf("download: %q, %d base64 characters", line.ContentType, line.ContentLength)
		}
	}
	for c, code := range want {
		if g, ok := got[c]; !ok || g != code {
			t.Errorf("%s: code %q, want %q", c, g, code)
		}
	}
	if n := len(sb.Submissions()); n != 3 {
		t.Errorf("sandbox accepted %d submissions, want 3", n)
	}
	if st, _ := sb.Certificate("abcb1234"); st.Status != 1 || st.OrderId == "" {
		t.Errorf("the SDK's commit, check and completion left abcb1234 at %+v", st)
	}
	if b := sb.BoundTo("longlive1"); len(b) != 2 {
		t.Errorf("the SDK's deployments made longlive1 serve %d resources, want 2 (the CDN domain and the listener)", len(b))
	}
	if n := sb.Completions("abcb1234"); n != 1 {
		t.Errorf("%d completions, want 1", n)
	}
}
