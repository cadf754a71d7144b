package api_test

// The actions around the submission, against the sandbox over loopback:
// listing and paging, reading a certificate, committing, and every error
// code the sandbox can answer for them.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
)

func TestListCertificatesPagesThroughThousands(t *testing.T) {
	sb, hits, url := startSandbox(t, sandbox.Options{ExtraCertificates: 2500, Rate: 1000})
	_ = sb
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 10 * time.Second, Rate: 1000})
	all, total, err := c.ListCertificates(t.Context(), api.CertificateQuery{Statuses: []int{api.StatusAwaitingInfo}}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, cert := range all {
		if seen[cert.CertificateId] || cert.Status != api.StatusAwaitingInfo {
			t.Fatalf("%s twice or at status %d", cert.CertificateId, cert.Status)
		}
		seen[cert.CertificateId] = true
	}
	if len(all) != total || total < 2500 || hits.n.Load() != int32((total+999)/1000) {
		t.Fatalf("%d of %d in %d requests", len(all), total, hits.n.Load())
	}
	page, err := c.DescribeCertificates(t.Context(), api.CertificateQuery{SearchKey: "abcb", Limit: 5})
	if err != nil || page.TotalCount != 1 || page.Certificates[0].CertificateId != "abcb1234" || page.RequestId == "" {
		t.Fatalf("search: %+v %v", page, err)
	}
}

// The detail carries what was submitted, never the key password, and IsDV
// travels as a JSON boolean.
func TestDetailAndCommit(t *testing.T) {
	sb, _, url := startSandbox(t, sandbox.Options{})
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
	r := example(t)
	r.CsrType, r.CsrContent, r.KeyPassword, r.IsDV = "online", "", "pw-secret-123", "true"
	if _, err := c.Submit(t.Context(), r.Normalized()); err != nil {
		t.Fatal(err)
	}
	sub := sb.Submissions()
	if v, ok := sub[len(sub)-1].Params["IsDV"].(bool); !ok || !v {
		t.Fatalf("IsDV sent as %#v", sub[len(sub)-1].Params["IsDV"])
	}
	d, err := c.DescribeCertificateDetail(t.Context(), "abcb1234")
	if err != nil || d.Submitted == nil || d.Submitted.OrganizationName != r.OrganizationName || d.Status != api.StatusAwaitingInfo {
		t.Fatalf("detail %+v %v", d, err)
	}
	if d.Submitted.KeyPassword != "" {
		t.Fatal("the key password came out of api")
	}
	if b, _ := json.Marshal(d); strings.Contains(string(b), "pw-secret-123") {
		t.Fatal("the key password can be marshalled")
	}
	res, err := c.Commit(t.Context(), "abcb1234", "DNS")
	if err != nil || res.OrderId == "" || res.Status != api.StatusReviewing || res.RequestId == "" {
		t.Fatalf("commit %+v %v", res, err)
	}
	d, _ = c.DescribeCertificateDetail(t.Context(), "abcb1234")
	if d.Status != api.StatusReviewing || d.StatusMsg != "PENDING-DCV" || d.OrderId != res.OrderId || d.Words(api.English) != "awaiting domain validation" {
		t.Fatalf("after the commit %+v", d)
	}
	// Once with the CA, a second commit is refused with the real code,
	// explained for a commit.
	_, err = c.Commit(t.Context(), "abcb1234", "DNS")
	var e *api.Error
	if !errors.As(err, &e) || e.Code != "FailedOperation.InvalidCertificateStatusCode" || e.ExitCode() != api.ExitRejected || !strings.Contains(e.Guide().Title.EN, "sent to the CA") {
		t.Fatalf("second commit: %v", err)
	}
}

// Every commit, detail and describe test ID maps through the guide, as
// read for its action.
func TestEveryLifecycleErrorCode(t *testing.T) {
	_, _, url := startSandbox(t, sandbox.Options{SlowDelay: 10 * time.Millisecond})
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second, MaxRetries: -1})
	for _, action := range []string{sandbox.ActionCommit, sandbox.ActionDetail, sandbox.ActionDescribe} {
		for _, f := range sandbox.FaultsFor(action) {
			if f.Action != action || f.Code == "" {
				continue
			}
			var err error
			switch action {
			case sandbox.ActionCommit:
				r := example(t)
				r.CertificateId, r.CsrType, r.CsrContent = f.ID, "online", ""
				if _, err := c.Submit(t.Context(), r.Normalized()); err != nil {
					t.Fatalf("%s: submit %v", f.ID, err)
				}
				_, err = c.Commit(t.Context(), f.ID, "DNS")
			case sandbox.ActionDetail:
				_, err = c.DescribeCertificateDetail(t.Context(), f.ID)
			case sandbox.ActionDescribe:
				_, err = c.DescribeCertificates(t.Context(), api.CertificateQuery{SearchKey: f.ID})
			}
			var e *api.Error
			if !errors.As(err, &e) || e.Code != f.Code || e.Action != action || e.RequestId == "" {
				t.Errorf("%s on %s: %v", f.ID, action, err)
				continue
			}
			gd := e.Guide()
			if gd.Title.EN == "" || gd.Title.ZH == "" || gd.Action.EN == "" || gd.Exit < api.ExitRejected {
				t.Errorf("%s: guide %+v", f.Code, gd)
			}
		}
	}
}

func TestStatusWords(t *testing.T) {
	for _, c := range []struct {
		status int
		msg    string
		en, zh string
	}{{5, "", "awaiting information", "待提交资料"}, {0, "PENDING-DCV", "awaiting domain validation", "等待域名验证"}, {0, "CA-REVIEWING", "CA review", "CA 审核中"},
		{1, "", "issued", "已签发"}, {8, "", "awaiting confirmation letter", "待上传确认函"}, {99, "", "status 99 (unknown)", "状态 99（未知）"},
		// Any number the server sends is words, never a crash (itoa recursed forever on MinInt64).
		{math.MinInt64, "", "status -9223372036854775808 (unknown)", "状态 -9223372036854775808（未知）"},
		{math.MaxInt64, "PENDING-DCV", "status 9223372036854775807 (unknown)", "状态 9223372036854775807（未知）"}} {
		if got := api.StatusText(c.status, c.msg); got.EN != c.en || got.ZH != c.zh {
			t.Errorf("%d %s: %+v", c.status, c.msg, got)
		}
	}
}

// After a commit the sandbox lays out validation records as the service
// does, and api reads them in every form.
func TestSandboxRecordsAfterCommit(t *testing.T) {
	_, _, url := startSandbox(t, sandbox.Options{})
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
	r := example(t)
	r.CertificateDomain, r.DomainList = "www.example.com", []string{"example.com", "img.shop.example.com"}
	r.CsrType, r.CsrContent = "online", ""
	if _, err := c.Submit(t.Context(), r.Normalized()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Commit(t.Context(), "abcb1234", "DNS"); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeCertificateDetail(t.Context(), "abcb1234")
	if err != nil {
		t.Fatal(err)
	}
	var hosts []string
	for _, rec := range d.Records() {
		if rec.Type != "TXT" || rec.Zone != "example.com" || rec.Value == "" || rec.FQDN != rec.Name+"." {
			t.Errorf("record %+v", rec)
		}
		hosts = append(hosts, rec.Host)
	}
	if strings.Join(hosts, ",") != "_dnsauth.www,_dnsauth,_dnsauth.img.shop" {
		t.Fatalf("hosts %v", hosts)
	}
}

// Issue 17, item 11: paging ends by itself whatever the counts say. The
// endpoint answers full pages of fresh certificates with any TotalCount;
// after 150 requests it refuses, so that a walk that never stops fails
// here instead of growing without bound.
func TestListCertificatesStops(t *testing.T) {
	for _, c := range []struct {
		name     string
		page     func(offset, limit int) (ids []string, total int)
		requests int
		listed   int
		err      string
	}{
		{"endless count", func(o, l int) ([]string, int) { return ids(o, l), math.MaxInt64 }, api.MaxListed / 1000, api.MaxListed, "more than 100000 certificates"},
		{"growing count", func(o, l int) ([]string, int) { return ids(o, l), o + 2*l }, api.MaxListed / 1000, api.MaxListed, "more than 100000 certificates"},
		{"offset ignored", func(o, l int) ([]string, int) { return ids(0, l), 1 << 40 }, 2, 1000, ""},
		{"one repeat", func(o, l int) ([]string, int) { return append(ids(o, l-1), "c0"), 1 << 40 }, 1, 999, ""},
		{"short page", func(o, l int) ([]string, int) { return ids(o, l-1), 1 << 40 }, 1, 999, ""},
		{"empty page", func(o, l int) ([]string, int) { return nil, 1 << 40 }, 1, 0, ""},
		{"at the count", func(o, l int) ([]string, int) { return ids(o, l), 2000 }, 2, 2000, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var requests atomic.Int32
			url := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if requests.Add(1) > 150 {
					io.WriteString(w, `{"Response":{"Error":{"Code":"InternalError","Message":"still paging"},"RequestId":"r"}}`)
					return
				}
				var q struct{ Offset, Limit int }
				json.NewDecoder(r.Body).Decode(&q)
				page, total := c.page(q.Offset, q.Limit)
				var b strings.Builder
				fmt.Fprintf(&b, `{"Response":{"TotalCount":%d,"Certificates":[`, total)
				for i, id := range page {
					if i > 0 {
						b.WriteString(",")
					}
					fmt.Fprintf(&b, `{"CertificateId":%q,"Status":5}`, id)
				}
				b.WriteString(`],"RequestId":"r"}}`)
				io.WriteString(w, b.String())
			}))
			cl := newClient(t, url, demoCreds(), api.Config{Timeout: 10 * time.Second, Rate: 1000})
			all, _, err := cl.ListCertificates(t.Context(), api.CertificateQuery{}, 1000)
			var e *api.Error
			if c.err == "" && err != nil || c.err != "" && (!errors.As(err, &e) || e.ExitCode() != api.ExitTransport || !strings.Contains(err.Error(), c.err)) {
				t.Fatalf("err %v, want %q", err, c.err)
			}
			if int(requests.Load()) != c.requests || len(all) != c.listed {
				t.Fatalf("%d requests, %d listed; want %d, %d", requests.Load(), len(all), c.requests, c.listed)
			}
			seen := map[string]bool{}
			for _, cert := range all {
				if seen[cert.CertificateId] {
					t.Fatalf("%s listed twice", cert.CertificateId)
				}
				seen[cert.CertificateId] = true
			}
		})
	}
}

// ids names n certificates from the offset on.
func ids(offset, n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("c%d", offset+i))
	}
	return out
}
