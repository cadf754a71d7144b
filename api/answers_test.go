package api_test

// Issue 12: what a hostile or broken endpoint answers never becomes a
// success, a panic, or a second copy of the request somewhere else.

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

// listenOn starts a server on a given loopback address (127.0.0.2 is
// another host than 127.0.0.1, and still this machine).
func listenOn(t *testing.T, addr string, h http.Handler) string {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestRedirectsAreNeverFollowed(t *testing.T) {
	var target atomic.Int32
	elsewhere := listenOn(t, "127.0.0.2:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target.Add(1)
		io.WriteString(w, `{"Response":{"CertificateId":"abcb1234","RequestId":"stolen"}}`)
	}))
	samehost := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target.Add(1)
		io.WriteString(w, `{"Response":{"CertificateId":"abcb1234","RequestId":"stolen"}}`)
	}))
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, to := range []string{elsewhere, samehost} {
			t.Run(fmt.Sprintf("%d to %s", status, to), func(t *testing.T) {
				var hits atomic.Int32
				from := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hits.Add(1)
					http.Redirect(w, r, to+"/", status)
				}))
				before := target.Load()
				c := newClient(t, from, demoCreds(), api.Config{Timeout: 5 * time.Second})
				_, err := c.Submit(t.Context(), example(t))
				var e *api.Error
				if !errors.As(err, &e) || e.Code != api.CodeHTTPStatus || e.ExitCode() != api.ExitTransport || !strings.Contains(e.Message, to) {
					t.Fatalf("err %v", err)
				}
				if hits.Load() != 1 || target.Load() != before {
					t.Fatalf("endpoint got %d requests, the redirect target %d", hits.Load(), target.Load()-before)
				}
			})
		}
	}
}

func TestAnswersThatAreNotSuccesses(t *testing.T) {
	for name, body := range map[string]string{
		"null":                `null`,
		"array":               `[]`,
		"Response null":       `{"Response":null}`,
		"Error null":          `{"Response":{"Error":null,"RequestId":"r1","CertificateId":"abcb1234"}}`,
		"Error without Code":  `{"Response":{"Error":{"Message":"x"},"RequestId":"r1","CertificateId":"abcb1234"}}`,
		"another certificate": `{"Response":{"CertificateId":"other999","RequestId":"r1"}}`,
		"no RequestId":        `{"Response":{"CertificateId":"abcb1234"}}`,
		"wrong types":         `{"Response":{"CertificateId":7,"RequestId":"r1"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			url := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, body)
			}))
			c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
			res, err := c.Submit(t.Context(), example(t))
			var e *api.Error
			if !errors.As(err, &e) || e.ExitCode() != api.ExitTransport || e.Message == "" {
				t.Fatalf("result %+v, err %v", res, err)
			}
		})
	}
}

// A ClientError.* code in the server's answer is the server's: its
// RequestId is kept.
func TestServerSentClientErrorKeepsRequestId(t *testing.T) {
	url := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"Response":{"Error":{"Code":"ClientError.NetworkError","Message":"odd"},"RequestId":"srv-1"}}`)
	}))
	c := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second})
	_, err := c.Submit(t.Context(), example(t))
	var e *api.Error
	if !errors.As(err, &e) || e.RequestId != "srv-1" || !e.Service || !strings.Contains(e.Guide().Meaning.EN, "the server sent it") || e.ExitCode() != api.ExitTransport {
		t.Fatalf("err %#v", err)
	}
}

// FuzzAnswer feeds the client any status, headers and body: it never
// panics, and a success is only ever one with a RequestId and the
// certificate that was sent.
func FuzzAnswer(f *testing.F) {
	f.Add(200, "application/json", `{"Response":{"CertificateId":"abcb1234","RequestId":"r"}}`)
	f.Add(200, "application/json", `null`)
	f.Add(302, "text/html", `moved`)
	f.Add(500, "text/plain", `oops`)
	f.Add(200, "application/json", `{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"r"}}`)
	req := api.Request{CertificateId: "abcb1234", CsrType: "online", CertificateDomain: "www.example.com"}
	f.Fuzz(func(t *testing.T, status int, ctype, body string) {
		if status < 100 || status > 599 {
			status = 200
		}
		rt := roundTrip(func(r *http.Request) (*http.Response, error) {
			h := http.Header{}
			h.Set("Content-Type", ctype)
			h.Set("Location", "http://127.0.0.9/")
			return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
		})
		c, err := api.NewClient(demoCreds(), api.Config{Endpoint: "http://127.0.0.1:9", Timeout: 2 * time.Second, Transport: rt, MaxRetries: -1, Rate: 1000})
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Submit(t.Context(), req)
		if err == nil && (res.RequestId == "" || res.CertificateId != "abcb1234" || status != 200) {
			t.Fatalf("a false success: %+v from %d %q", res, status, body)
		}
		var e *api.Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Issue 17, item 5: no error quotes an answer. A detail answer carries
// the private key Tencent made; one mistyped field after it printed the
// key in the "not as documented" message. Messages name the field and its
// type instead.
func TestErrorsNeverQuoteTheAnswer(t *testing.T) {
	const key = "-----BEGIN PRIVATE KEY-----\nMIIsecretKEYmaterial\n-----END PRIVATE KEY-----\n"
	detail := `{"Response":{"CertificatePrivateKey":"` + strings.ReplaceAll(key, "\n", `\n`) + `","CertificateId":"abcb1234",`
	for name, c := range map[string]struct {
		status    int
		body, msg string
	}{
		"mistyped IsDv":      {200, detail + `"IsDv":"true","RequestId":"r1"}}`, `the answer's fields are not as documented: field "IsDv": got string, want boolean`},
		"mistyped Status":    {200, detail + `"Status":"1","RequestId":"r1"}}`, `field "Status": got string, want integer`},
		"nested":             {200, detail + `"DvAuthDetail":{"DvAuths":[{"DvAuthKey":7}]},"RequestId":"r1"}}`, `field "DvAuthDetail.DvAuths.DvAuthKey": got number, want string`},
		"embedded, nested":   {200, detail + `"DvAuthDetail":{"DvAuthValue":false},"RequestId":"r1"}}`, `field "DvAuthDetail.DvAuthValue": got boolean, want string`},
		"key mistyped":       {200, `{"Response":{"CertificatePrivateKey":["MIIsecretKEYmaterial"],"RequestId":"r1"}}`, `field "CertificatePrivateKey": got array, want string`},
		"Error without code": {200, detail + `"Error":{},"RequestId":"r1"}}`, "the answer carries an Error without a code"},
		"no RequestId":       {200, detail + `"Status":1}}`, "the answer has no Response.RequestId"},
		"RequestId mistyped": {200, detail + `"RequestId":{"x":1}}}`, "the answer is not the API's JSON (a body of "},
		"HTTP 500":           {500, detail + `"RequestId":"r1"}}`, "HTTP 500 Internal Server Error (a body of "},
		"HTTP 502, a page":   {502, "<html>Bad gateway</html>" + strings.Repeat(" ", 200) + key, "HTTP 502 Bad Gateway: <html>Bad gateway</html>"},
		"not JSON":           {200, key, "the answer is not the API's JSON (a body of "},
	} {
		t.Run(name, func(t *testing.T) {
			url := listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(c.status)
				io.WriteString(w, c.body)
			}))
			cl := newClient(t, url, demoCreds(), api.Config{Timeout: 5 * time.Second, MaxRetries: -1})
			_, err := cl.DescribeCertificateDetail(t.Context(), "abcb1234")
			var e *api.Error
			if !errors.As(err, &e) || e.ExitCode() != api.ExitTransport || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("err %v, want it to hold %q", err, c.msg)
			}
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", e), e.Hint(api.English)} {
				if strings.Contains(s, "MIIsecret") || strings.Contains(s, "PRIVATE KEY") {
					t.Fatalf("the key is in the error: %s", s)
				}
			}
		})
	}
}

// Issue 17, item 4: an answer about another certificate is no answer.
// Every action whose answer names a certificate must name the one asked
// for (an answer that leaves it out, where that is documented or seen, is
// taken as about it).
func TestAnswersAboutAnotherCertificate(t *testing.T) {
	calls := map[string]func(c *api.Client) error{
		api.ActionDetail: func(c *api.Client) error {
			_, err := c.DescribeCertificateDetail(t.Context(), "abcb1234")
			return err
		},
		api.ActionCommit: func(c *api.Client) error {
			_, err := c.Commit(t.Context(), "abcb1234", "DNS")
			return err
		},
		api.ActionComplete: func(c *api.Client) error {
			_, err := c.CompleteCertificate(t.Context(), "abcb1234")
			return err
		},
	}
	for action, call := range calls {
		for named, ok := range map[string]bool{`"other999"`: false, `"ABCB1234"`: false, `"abcb1234"`: true, `""`: true, `null`: true} {
			t.Run(action+" "+named, func(t *testing.T) {
				c := answering(t, map[string]string{action: `{"Response":{"CertificateId":` + named + `,"Status":0,"OrderId":"CA1","RequestId":"r1"}}`})
				err := call(c)
				var e *api.Error
				switch {
				case ok && err != nil:
					t.Fatalf("refused: %v", err)
				case !ok && (!errors.As(err, &e) || e.ExitCode() != api.ExitTransport || e.Action != action || e.RequestId != "r1" ||
					!strings.Contains(e.Message, "not \"abcb1234\" that was asked for")):
					t.Fatalf("taken: %v", err)
				}
			})
		}
	}
}
