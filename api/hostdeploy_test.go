package api_test

// The first deployment (DeployCertificateInstance, its record, retry and
// rollback) against the sandbox over loopback, its checks before sending,
// and hostile answers.

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
)

// regionSpy records each request's action and X-TC-Region on its way to h.
type regionSpy struct {
	h    http.Handler
	mu   sync.Mutex
	seen []string
}

func (s *regionSpy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seen = append(s.seen, r.Header.Get("X-TC-Action")+" "+r.Header.Get("X-TC-Region"))
	s.mu.Unlock()
	s.h.ServeHTTP(w, r)
}

func TestDeployRetryRollbackAgainstTheSandbox(t *testing.T) {
	clk := &clock{t: time.Now()}
	sb := sandbox.New(sandbox.Options{Now: clk.now})
	spy := &regionSpy{h: sb}
	srv := httptest.NewServer(spy)
	defer srv.Close()
	c := newClient(t, srv.URL, demoCreds(), api.Config{Timeout: 5 * time.Second})
	req := api.DeployRequest{CertificateId: "longlive1", ResourceType: "clb", Region: "ap-guangzhou",
		InstanceIdList: []string{"lb-new00001|lbl-new00001", sandbox.FailTarget + "|lbl-fail0001"}}
	st, err := c.DeployCertificateInstance(t.Context(), req)
	if err != nil || st.RecordID == 0 || !st.Created || st.RequestId == "" {
		t.Fatalf("deploy: %+v %v", st, err)
	}
	// A second one while it runs names it.
	again, err := c.DeployCertificateInstance(t.Context(), req)
	if err != nil || again.RecordID != st.RecordID || again.Created {
		t.Fatalf("while running: %+v %v", again, err)
	}
	rec, err := c.DeployRecordDetail(t.Context(), st.RecordID, "clb", "", "longlive1")
	if err != nil || rec.Pending != 2 || len(rec.Resources) != 2 || rec.Resources[0].Type != "clb" || rec.Resources[0].Listener != "lbl-new00001" {
		t.Fatalf("at once: %+v %v", rec, err)
	}
	clk.add(2 * sandbox.DefaultRolloutStep)
	rec, err = c.DeployRecordDetail(t.Context(), st.RecordID, "clb", "", "")
	if err != nil || !rec.Done() || rec.Success != 1 || rec.Failed != 1 || rec.To != "longlive1" || rec.From != "" {
		t.Fatalf("done: %+v %v", rec, err)
	}
	failed := rec.Resources[1]
	if failed.Status != api.UpdateFailed || failed.OldCertID != "" || !strings.Contains(failed.Error, "CertificateNotDeployInstance") || failed.DetailID == 0 {
		t.Fatalf("failed resource %+v", failed)
	}
	if _, err := c.RetryDeployResource(t.Context(), failed.DetailID); err != nil {
		t.Fatal(err)
	}
	clk.add(2 * sandbox.DefaultRolloutStep)
	if _, err := c.RetryDeploy(t.Context(), st.RecordID); err != nil {
		t.Fatal(err)
	}
	clk.add(2 * sandbox.DefaultRolloutStep)
	back, err := c.RollbackDeploy(t.Context(), st.RecordID)
	if err != nil || back == st.RecordID {
		t.Fatalf("rollback %d %v", back, err)
	}
	clk.add(2 * sandbox.DefaultRolloutStep)
	rb, err := c.DeployRecordDetail(t.Context(), back, "clb", "longlive1", "")
	if err != nil || !rb.Done() || rb.Success != 1 || len(rb.Resources) != 1 || rb.Resources[0].CertID != "" || rb.From != "longlive1" {
		t.Fatalf("rollback record %+v %v", rb, err)
	}
	if n := len(sb.BoundTo("longlive1")); n != 0 {
		t.Fatalf("%d resources serve longlive1 after the rollback", n)
	}
	// Read as the deployment of another certificate: refused.
	_, err = c.DeployRecordDetail(t.Context(), st.RecordID, "clb", "", "exppaid1")
	var e *api.Error
	if !errors.As(err, &e) || e.Code != api.CodeMalformed {
		t.Fatalf("another certificate: %v", err)
	}
	// The region goes with the deployment to CLB only; a CDN's has none.
	if _, err := c.DeployCertificateInstance(t.Context(), api.DeployRequest{CertificateId: "longlive1", ResourceType: "cdn", Region: "ap-guangzhou",
		InstanceIdList: []string{"new.example.com|off"}}); err != nil {
		t.Fatal(err)
	}
	spy.mu.Lock()
	defer spy.mu.Unlock()
	for i, s := range spy.seen {
		action, region, _ := strings.Cut(s, " ")
		if want := map[bool]string{true: "ap-guangzhou", false: ""}[action == api.ActionDeploy && i < 2]; region != want {
			t.Errorf("request %d %s: X-TC-Region %q, want %q", i, action, region, want)
		}
	}
}

func TestDeployRequestIsCheckedBeforeSending(t *testing.T) {
	_, hits, url := startSandbox(t, sandbox.Options{})
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
	gz := "ap-guangzhou"
	for _, tc := range []struct {
		req   api.DeployRequest
		param string
	}{
		{api.DeployRequest{ResourceType: "cdn", InstanceIdList: []string{"a.example.com|on"}}, "CertificateId"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "ftp", InstanceIdList: []string{"x"}}, "ResourceType"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "cdn"}, "InstanceIdList"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "clb", InstanceIdList: []string{"lb-a|lbl-b"}}, "Region"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "clb", Region: "ap guangzhou", InstanceIdList: []string{"lb-a|lbl-b"}}, "Region"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "clb", Region: gz, InstanceIdList: []string{"lbl-b|lb-a"}}, "InstanceIdList"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "clb", Region: gz, InstanceIdList: []string{"lb-a|lbl-b|a.example.com|x"}}, "InstanceIdList"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "clb", Region: gz, InstanceIdList: []string{"lb-a|lbl-b|not a name"}}, "InstanceIdList"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "clb", Region: gz, InstanceIdList: []string{"lb-a|lbl-b", "lb-a|lbl-b"}}, "InstanceIdList"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "cdn", InstanceIdList: []string{"a.example.com"}}, "InstanceIdList"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "cdn", InstanceIdList: []string{"a.example.com|yes"}}, "InstanceIdList"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "cdn", InstanceIdList: []string{"a.example.com\x1b[2J|on"}}, "InstanceIdList"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "ddos", InstanceIdList: []string{"bgpip-1|a.example.com|99999"}}, "InstanceIdList"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "cos", Region: gz, InstanceIdList: []string{"ap-shanghai|bucket-1|a.example.com"}}, "InstanceIdList"},
		{api.DeployRequest{CertificateId: "longlive1", ResourceType: "live", InstanceIdList: []string{"|"}}, "InstanceIdList"},
	} {
		_, err := c.DeployCertificateInstance(t.Context(), tc.req)
		var ps api.Problems
		if !errors.As(err, &ps) || len(ps.For(tc.param)) == 0 {
			t.Errorf("%+v: %v, want a problem of %s", tc.req, err, tc.param)
		}
	}
	for name, call := range map[string]func() error{
		"detail":         func() error { _, err := c.DeployRecordDetail(t.Context(), 0, "clb", "", "longlive1"); return err },
		"retry":          func() error { _, err := c.RetryDeploy(t.Context(), 0); return err },
		"retry resource": func() error { _, err := c.RetryDeployResource(t.Context(), 0); return err },
		"rollback":       func() error { _, err := c.RollbackDeploy(t.Context(), 0); return err },
	} {
		var ps api.Problems
		if err := call(); !errors.As(err, &ps) {
			t.Errorf("%s of record 0: %v", name, err)
		}
	}
	if hits.n.Load() != 0 {
		t.Fatalf("%d requests sent for refused input", hits.n.Load())
	}
	// Every type's form is accepted as the SDK writes it.
	for typ, entry := range map[string]string{"clb": "lb-bid2fs4g|lbl-a8af11gs|tencent.com", "cdn": "cdn2.tencent.com|off", "ddos": "bgpip-000001ms|tencent.com|443",
		"live": "live1.tencent.com", "vod": "vod1.tencent.com", "waf": "waf1.tencent.com", "apigateway": "service-8sk7cqmd|apigw1.tencent.com",
		"teo": "edgeone1.tencent.com", "tke": "cls-42sa0ae0|default|test-tencent", "cos": "ap-hongkong|ssl-server-1251810746|tencent.com",
		"tse": "gateway-s1da9151|fa61bc05-cc54-4eea-c932-24de52577372", "tcb": "AccessService|ap-hongkong|ceshi-4s5h0ymg11c839c7|tencent.com",
		"mqtt": "mqtt-rdnwp7kb|gehs6jsx", "gaap": "ga-a3e4z3ae|lsr-a73amjob"} {
		if ps := (api.DeployRequest{CertificateId: "longlive1", ResourceType: typ, Region: "ap-hongkong", InstanceIdList: []string{entry}}).Validate(); len(ps) > 0 {
			t.Errorf("%s %s: %v", typ, entry, ps)
		}
	}
}

// A target is held by a binding of the same resource, and for the types
// whose bindings do not say, never.
func TestDeployTargetHeldBy(t *testing.T) {
	for _, tc := range []struct {
		typ, entry, region string
		r                  api.BoundResource
		held               bool
	}{
		{"clb", "lb-a|lbl-b", "ap-guangzhou", api.BoundResource{Type: "clb", Region: "ap-guangzhou", Instance: "lb-a", Listener: "lbl-b"}, true},
		{"clb", "lb-a|lbl-b", "ap-shanghai", api.BoundResource{Type: "clb", Region: "ap-guangzhou", Instance: "lb-a", Listener: "lbl-b"}, false},
		{"clb", "lb-a|lbl-c", "ap-guangzhou", api.BoundResource{Type: "clb", Region: "ap-guangzhou", Instance: "lb-a", Listener: "lbl-b"}, false},
		{"clb", "lb-a|lbl-b|www.example.com", "ap-guangzhou", api.BoundResource{Type: "clb", Region: "ap-guangzhou", Instance: "lb-a", Listener: "lbl-b", Names: []string{"www.example.com"}}, true},
		{"clb", "lb-a|lbl-b|api.example.com", "ap-guangzhou", api.BoundResource{Type: "clb", Region: "ap-guangzhou", Instance: "lb-a", Listener: "lbl-b", Names: []string{"www.example.com"}}, false},
		{"cdn", "www.example.com|on", "", api.BoundResource{Type: "cdn", Instance: "www.example.com", Names: []string{"www.example.com"}}, true},
		{"cdn", "www.example.com|on", "", api.BoundResource{Type: "waf", Instance: "www.example.com", Names: []string{"www.example.com"}}, false},
		{"teo", "www.example.com", "", api.BoundResource{Type: "teo", Instance: "zone-1", Names: []string{"www.example.com"}}, true},
		{"tke", "cls-1|default|tls", "ap-guangzhou", api.BoundResource{Type: "tke", Region: "ap-guangzhou", Instance: "cls-1"}, false},
	} {
		tg, ps := api.ParseDeployTarget(tc.typ, tc.entry, tc.region)
		if ps != nil {
			t.Fatalf("%s %s: %v", tc.typ, tc.entry, ps)
		}
		if got := tg.HeldBy(tc.r); got != tc.held {
			t.Errorf("%s %s in %s held by %+v: %v", tc.typ, tc.entry, tc.region, tc.r, got)
		}
	}
}

// Answers about another certificate, or not as documented, are unreadable
// and their text is not repeated.
func TestDeployRefusesBadAnswers(t *testing.T) {
	cdn := api.DeployRequest{CertificateId: "longlive1", ResourceType: "cdn", InstanceIdList: []string{"new.example.com|off"}}
	refusesBadAnswers(t, []badAnswer{
		{"deployment of another certificate", `{"Response":{"TotalCount":1,"DeployRecordDetailList":[{"Id":1,"CertId":"evil0001","Status":1,"Domains":["evil.example"]}],"RequestId":"r-1"}}`,
			func(c *api.Client) error {
				_, err := c.DeployRecordDetail(t.Context(), 7, "cdn", "", "longlive1")
				return err
			}},
		{"rollback of another certificate", `{"Response":{"TotalCount":1,"DeployRecordDetailList":[{"Id":1,"CertId":null,"OldCertId":"evil0001","Status":1}],"RequestId":"r-1"}}`,
			func(c *api.Client) error {
				_, err := c.DeployRecordDetail(t.Context(), 7, "cdn", "longlive1", "")
				return err
			}},
		{"hostile certificate learned", `{"Response":{"TotalCount":1,"DeployRecordDetailList":[{"Id":1,"CertId":"evil\u001b[2J","Status":1}],"RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.DeployRecordDetail(t.Context(), 7, "cdn", "", ""); return err }},
		{"status out of range", `{"Response":{"TotalCount":1,"DeployRecordDetailList":[{"Id":1,"CertId":"longlive1","Status":9}],"RequestId":"r-1"}}`,
			func(c *api.Client) error {
				_, err := c.DeployRecordDetail(t.Context(), 7, "cdn", "", "longlive1")
				return err
			}},
		{"no total", `{"Response":{"DeployRecordDetailList":[],"RequestId":"r-1"}}`,
			func(c *api.Client) error {
				_, err := c.DeployRecordDetail(t.Context(), 7, "cdn", "", "longlive1")
				return err
			}},
		{"deployment without a status", `{"Response":{"DeployRecordId":5,"RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.DeployCertificateInstance(t.Context(), cdn); return err }},
		{"deployment status out of range", `{"Response":{"DeployRecordId":5,"DeployStatus":3,"RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.DeployCertificateInstance(t.Context(), cdn); return err }},
		{"rollback naming the same record", `{"Response":{"DeployRecordId":7,"RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.RollbackDeploy(t.Context(), 7); return err }},
	})
}

// Every code the sandbox's deployment answers reads in both languages.
func TestDeployCodesAreExplained(t *testing.T) {
	explainsCodes(t, []codeOf{
		{api.ActionDeploy, "FailedOperation.CertificateDeployInstanceFormatError", api.ExitRejected},
		{api.ActionDeploy, "InvalidParameter.RegionNotEmpty", api.ExitRejected},
		{api.ActionDeploy, "FailedOperation.CertificateHostResourceInnerInterrupt", api.ExitRejected},
		{api.ActionDeploy, "FailedOperation.CertificateNotDeployInstance", api.ExitRejected},
		{api.ActionDeploy, "FailedOperation.CertificateDeployHasPendingRecord", api.ExitRejected},
		{api.ActionDeploy, "FailedOperation.AuthError", api.ExitAuth},
		{api.ActionDeployDetail, "FailedOperation.AuthError", api.ExitAuth},
		{api.ActionDeployRetry, "FailedOperation.AuthError", api.ExitAuth},
		{api.ActionDeployRollback, "FailedOperation.AuthError", api.ExitAuth},
	})
	if gd := mustExplainAPI(t, api.ActionDeploy, "FailedOperation.AuthError"); !strings.Contains(gd.Action.EN, "ssl:DeployCertificateInstance") {
		t.Errorf("deploy AuthError: %q", gd.Action.EN)
	}
}
