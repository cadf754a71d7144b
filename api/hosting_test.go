package api_test

// The hosting actions (where a certificate is used; replacing it there)
// against the sandbox over loopback, and hostile answers.

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
)

// clock is a sandbox clock the test moves (near the real time: the
// sandbox checks the signature's timestamp against it).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestBindingsQueryListsExppaid1(t *testing.T) {
	_, hits, url := startSandbox(t, sandbox.Options{})
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
	task, err := c.StartBindingsQuery(t.Context(), "exppaid1")
	if err != nil || task == "" {
		t.Fatalf("start: %q %v", task, err)
	}
	b, err := c.BindingsQuery(t.Context(), "exppaid1", task)
	if err != nil || b.Status != api.BindQuerying || len(b.Resources) != 0 {
		t.Fatalf("first read: %+v %v", b, err)
	}
	b, err = c.BindingsQuery(t.Context(), "exppaid1", task)
	if err != nil || b.Status != api.BindDone {
		t.Fatalf("second read: %+v %v", b, err)
	}
	var got []string
	for _, r := range b.Resources {
		got = append(got, strings.Join([]string{r.Type, r.Region, r.Instance, r.Listener, strings.Join(r.Names, ",")}, " "))
	}
	want := []string{
		"clb ap-guangzhou lb-shop0gz1 lbl-https0gz shop.example.com,www.shop.example.com",
		"clb ap-shanghai lb-shop0sh1 lbl-https0sh www.shop.example.com",
		"cdn  shop.example.com  shop.example.com",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("resources\n%q\nwant\n%q", got, want)
	}
	if hits.n.Load() != 3 {
		t.Fatalf("%d requests", hits.n.Load())
	}
}

func TestBindingsQueryNoRoleIsExplained(t *testing.T) {
	_, _, url := startSandbox(t, sandbox.Options{})
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
	_, err := c.StartBindingsQuery(t.Context(), sandbox.RolloutNoRole)
	var e *api.Error
	if !errors.As(err, &e) || e.Code != "FailedOperation.RoleNotFoundAuthorization" || e.ExitCode() != api.ExitAuth || e.RequestId == "" {
		t.Fatalf("no role: %v", err)
	}
	if h := e.Hint(api.English); !strings.Contains(h, "service authorization") || !strings.Contains(e.Guide().Meaning.EN, "SSL_QCSLinkedRoleInReplaceLoadCertificate") {
		t.Fatalf("hint %q", h)
	}
	if h := e.Hint(api.Chinese); !strings.Contains(h, "服务授权") {
		t.Fatalf("Chinese hint %q", h)
	}
}

func TestUpdateRetryRollbackAgainstTheSandbox(t *testing.T) {
	clk := &clock{t: time.Now()}
	sb, _, url := startSandbox(t, sandbox.Options{Now: clk.now})
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
	req := api.UpdateRequest{OldCertificateId: sandbox.RolloutPartial, CertificateId: "longlive1", Types: []string{"clb"},
		Regions: map[string][]string{"clb": {"ap-guangzhou"}}}
	st, err := c.UpdateCertificateInstance(t.Context(), req)
	if err != nil || st.RecordID != 0 || !st.Created {
		t.Fatalf("first update: %+v %v", st, err)
	}
	st, err = c.UpdateCertificateInstance(t.Context(), req)
	if err != nil || st.RecordID == 0 || !st.Created || st.RequestId == "" {
		t.Fatalf("second update: %+v %v", st, err)
	}
	rec, err := c.UpdateRecordDetail(t.Context(), st.RecordID, sandbox.RolloutPartial, "longlive1")
	if err != nil || rec.Pending != 2 || rec.Done() || len(rec.Resources) != 2 {
		t.Fatalf("at once: %+v %v", rec, err)
	}
	clk.add(2 * sandbox.DefaultRolloutStep)
	rec, err = c.UpdateRecordDetail(t.Context(), st.RecordID, sandbox.RolloutPartial, "longlive1")
	if err != nil || !rec.Done() || rec.Success != 1 || rec.Failed != 1 {
		t.Fatalf("done: %+v %v", rec, err)
	}
	failed := rec.Resources[1]
	if failed.Status != api.UpdateFailed || failed.Listener != "lbl-part0002" || !strings.Contains(failed.Error, "CertificateNotDeployInstance") || failed.DetailID == 0 {
		t.Fatalf("failed resource %+v", failed)
	}
	if _, err := c.RetryUpdate(t.Context(), st.RecordID); err != nil {
		t.Fatal(err)
	}
	clk.add(2 * sandbox.DefaultRolloutStep)
	back, err := c.RollbackUpdate(t.Context(), st.RecordID)
	if err != nil || back == st.RecordID {
		t.Fatalf("rollback %d %v", back, err)
	}
	clk.add(2 * sandbox.DefaultRolloutStep)
	rb, err := c.UpdateRecordDetail(t.Context(), back, "longlive1", sandbox.RolloutPartial)
	if err != nil || !rb.Done() || rb.Success != 1 || len(rb.Resources) != 1 || rb.Resources[0].Listener != "lbl-part0001" {
		t.Fatalf("rollback record %+v %v", rb, err)
	}
	if n := len(sb.BoundTo(sandbox.RolloutPartial)); n != 2 {
		t.Fatalf("%d resources serve testRolloutPartial after the rollback", n)
	}
	// Reading the record as another pair of certificates: refused.
	_, err = c.UpdateRecordDetail(t.Context(), st.RecordID, "exppaid1", "longlive1")
	var e *api.Error
	if !errors.As(err, &e) || e.Code != api.CodeMalformed {
		t.Fatalf("another pair: %v", err)
	}
}

func TestUpdateRequestIsCheckedBeforeSending(t *testing.T) {
	_, hits, url := startSandbox(t, sandbox.Options{})
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
	for _, tc := range []struct {
		req   api.UpdateRequest
		param string
	}{
		{api.UpdateRequest{CertificateId: "longlive1", Types: []string{"cdn"}}, "OldCertificateId"},
		{api.UpdateRequest{OldCertificateId: "exppaid1", CertificateId: "exppaid1", Types: []string{"cdn"}}, "CertificateId"},
		{api.UpdateRequest{OldCertificateId: "exppaid1", CertificateId: "long live", Types: []string{"cdn"}}, "CertificateId"},
		{api.UpdateRequest{OldCertificateId: "exppaid1", CertificateId: "longlive1"}, "ResourceTypes"},
		{api.UpdateRequest{OldCertificateId: "exppaid1", CertificateId: "longlive1", Types: []string{"ftp"}}, "ResourceTypes"},
		{api.UpdateRequest{OldCertificateId: "exppaid1", CertificateId: "longlive1", Types: []string{"clb"}}, "ResourceTypesRegions"},
		{api.UpdateRequest{OldCertificateId: "exppaid1", CertificateId: "longlive1", Types: []string{"clb"}, Regions: map[string][]string{"clb": {"ap guangzhou"}}}, "ResourceTypesRegions"},
	} {
		_, err := c.UpdateCertificateInstance(t.Context(), tc.req)
		var ps api.Problems
		if !errors.As(err, &ps) || len(ps.For(tc.param)) == 0 {
			t.Errorf("%+v: %v, want a problem of %s", tc.req, err, tc.param)
		}
	}
	if _, err := c.StartBindingsQuery(t.Context(), "a/b"); err == nil {
		t.Error("a bad ID was sent")
	}
	if _, err := c.BindingsQuery(t.Context(), "exppaid1", "task\x1b[2J"); err == nil {
		t.Error("a bad task ID was sent")
	}
	if hits.n.Load() != 0 {
		t.Fatalf("%d requests sent for refused input", hits.n.Load())
	}
}

// Answers naming another certificate, or with IDs that are not IDs, are
// unreadable, and their text is not repeated.
func TestHostingRefusesBadAnswers(t *testing.T) {
	refusesBadAnswers(t, []badAnswer{
		{"task of another certificate", `{"Response":{"CertTaskIds":[{"CertId":"evil0001","TaskId":"task-1"}],"RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.StartBindingsQuery(t.Context(), "exppaid1"); return err }},
		{"two tasks", `{"Response":{"CertTaskIds":[{"CertId":"exppaid1","TaskId":"t1"},{"CertId":"exppaid1","TaskId":"t2"}],"RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.StartBindingsQuery(t.Context(), "exppaid1"); return err }},
		{"hostile task ID", `{"Response":{"CertTaskIds":[{"CertId":"exppaid1","TaskId":"evil\u001b[2J"}],"RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.StartBindingsQuery(t.Context(), "exppaid1"); return err }},
		{"CDN of another certificate", `{"Response":{"Status":1,"CDN":[{"InstanceList":[{"Domain":"evil.example","CertId":"evil0001"}]}],"RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.BindingsQuery(t.Context(), "exppaid1", "task-1"); return err }},
		{"CLB of another certificate", `{"Response":{"Status":1,"CLB":[{"Region":"ap-x","InstanceList":[{"LoadBalancerId":"lb-evil","Listeners":[{"ListenerId":"lbl-evil","Certificate":{"CertId":"evil0001"}}]}]}],"RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.BindingsQuery(t.Context(), "exppaid1", "task-1"); return err }},
		{"status out of range", `{"Response":{"Status":9,"RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.BindingsQuery(t.Context(), "exppaid1", "task-1"); return err }},
		{"CDN list not a list", `{"Response":{"Status":1,"CDN":"evil","RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.BindingsQuery(t.Context(), "exppaid1", "task-1"); return err }},
		{"record of another certificate", `{"Response":{"TotalCount":1,"RecordDetailList":[{"ResourceType":"clb","List":[{"Id":1,"CertId":"evil0001","OldCertId":"exppaid1","Status":1}]}],"RequestId":"r-1"}}`,
			func(c *api.Client) error {
				_, err := c.UpdateRecordDetail(t.Context(), 7, "exppaid1", "longlive1")
				return err
			}},
		{"record status out of range", `{"Response":{"TotalCount":1,"RecordDetailList":[{"ResourceType":"clb","List":[{"Id":1,"CertId":"longlive1","OldCertId":"exppaid1","Status":77}]}],"RequestId":"r-1"}}`,
			func(c *api.Client) error {
				_, err := c.UpdateRecordDetail(t.Context(), 7, "exppaid1", "longlive1")
				return err
			}},
		{"update without a status", `{"Response":{"DeployRecordId":5,"RequestId":"r-1"}}`,
			func(c *api.Client) error {
				_, err := c.UpdateCertificateInstance(t.Context(), api.UpdateRequest{OldCertificateId: "exppaid1", CertificateId: "longlive1", Types: []string{"cdn"}})
				return err
			}},
		{"rollback naming the same record", `{"Response":{"DeployRecordId":7,"RequestId":"r-1"}}`,
			func(c *api.Client) error { _, err := c.RollbackUpdate(t.Context(), 7); return err }},
	})
}

// badAnswer is an answer a call must refuse as unreadable.
type badAnswer struct {
	name   string
	answer string
	run    func(c *api.Client) error
}

// refusesBadAnswers runs each call against its answer: an unreadable
// answer (exit 5) whose text the error does not repeat.
func refusesBadAnswers(t *testing.T, cases []badAnswer) {
	t.Helper()
	for _, tc := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, tc.answer)
		}))
		c := newClient(t, srv.URL, demoCreds(), api.Config{Timeout: 5 * time.Second})
		err := tc.run(c)
		srv.Close()
		var e *api.Error
		if !errors.As(err, &e) || e.Code != api.CodeMalformed || e.ExitCode() != api.ExitTransport {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		for _, bit := range []string{"\x1b", "evil.example", "lb-evil"} {
			if strings.Contains(e.Error(), bit) {
				t.Errorf("%s: the error repeats the answer: %v", tc.name, e)
			}
		}
	}
}

// Every code the sandbox's hosting actions answer reads in both languages.
func TestHostingCodesAreExplained(t *testing.T) {
	explainsCodes(t, []codeOf{
		{api.ActionUpdate, "FailedOperation.RoleNotFoundAuthorization", api.ExitAuth},
		{api.ActionBindSync, "FailedOperation.RoleNotFoundAuthorization", api.ExitAuth},
		{api.ActionUpdate, "FailedOperation.CertificateNotDeployInstance", api.ExitRejected},
		{api.ActionUpdate, "FailedOperation.CertificateDeployHasPendingRecord", api.ExitRejected},
		{api.ActionUpdate, "FailedOperation.CertificateDeployInstanceEmpty", api.ExitRejected},
		{api.ActionUpdate, "FailedOperation.CertificateHostResourceTypeInvalid", api.ExitRejected},
		{api.ActionUpdate, "FailedOperation.CertificateNotAvailable", api.ExitRejected},
		{api.ActionUpdate, "FailedOperation.CertificateHostDeployCanNotAllow", api.ExitRejected},
		{api.ActionUpdate, "FailedOperation.AuthError", api.ExitAuth},
		{api.ActionUpdateDetail, "FailedOperation.CertificateDeployNotExist", api.ExitRejected},
		{api.ActionUpdateRetry, "FailedOperation.CertificateDeployRetryStatusInvalid", api.ExitRejected},
		{api.ActionUpdateRollback, "FailedOperation.CertificateDeployRollbackStatusInvalid", api.ExitRejected},
		{api.ActionUpdateRollback, "FailedOperation.CertificateDeployDetailRollbackStatusInvalid", api.ExitRejected},
		{api.ActionBindDetail, "FailedOperation.CertificateSyncTaskIdInvalid", api.ExitRejected},
		{api.ActionBindSync, "FailedOperation.CertificateSyncTaskCertificateIdCountInvalid", api.ExitRejected},
		{api.ActionBindSync, "FailedOperation.CAMAuthorizedFail", api.ExitAuth},
		{api.ActionUpdate, "LimitExceeded.RateLimitExceeded", api.ExitTransport},
	})
	if gd := mustExplainAPI(t, api.ActionUpdate, "FailedOperation.AuthError"); !strings.Contains(gd.Action.EN, "ssl:UpdateCertificateInstance") {
		t.Errorf("update AuthError: %q", gd.Action.EN)
	}
}

// codeOf is a code an action answers, and its exit.
type codeOf struct {
	action, code string
	exit         int
}

// explainsCodes checks each code reads for its action in both languages,
// with its exit.
func explainsCodes(t *testing.T, cases []codeOf) {
	t.Helper()
	for _, tc := range cases {
		gd, known := api.ExplainFor(tc.action, tc.code)
		if !known || gd.Exit != tc.exit {
			t.Errorf("%s on %s: known %v, exit %d, want %d", tc.code, tc.action, known, gd.Exit, tc.exit)
		}
		for _, txt := range []api.Text{gd.Title, gd.Meaning, gd.Action} {
			if txt.EN == "" || txt.ZH == "" || txt.EN == txt.ZH {
				t.Errorf("%s lacks English or Chinese guidance", tc.code)
			}
		}
	}
}

func mustExplainAPI(t *testing.T, action, code string) api.Guide {
	t.Helper()
	gd, known := api.ExplainFor(action, code)
	if !known {
		t.Fatalf("%s on %s is not explained", code, action)
	}
	return gd
}
