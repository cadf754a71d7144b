package dnscheck

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/certwiz/certwiz/api"
)

const (
	// maxBody bounds a validation file: its content is a short token.
	maxBody = 16 << 10
	// maxRedirects on the same host (http to https, a trailing slash).
	maxRedirects = 3
)

// errOtherHost: the CA does not follow a redirect to another host either
// (and a check should not be sent anywhere the user did not name).
var errOtherHost = errors.New("redirect to another host not followed")

// CheckFile fetches a FILE record's URLs (rec.URLs, http and https) and
// compares each body, trimmed of surrounding white space, with rec.Value.
// Redirects are followed on the same host only, at most 3; a body over
// 16 KB is refused. Found when at least one URL serves the value.
func CheckFile(ctx context.Context, rec api.Record, o Options) Result {
	if o.Off != "" {
		return Result{Err: o.Off}
	}
	res := Result{}
	urls := rec.URLs
	if len(urls) == 0 && rec.Zone != "" && rec.Path != "" {
		urls = []string{"http://" + rec.Zone + rec.Path, "https://" + rec.Zone + rec.Path}
	}
	if len(urls) == 0 {
		res.Err = "dnscheck: the record has no URL to fetch"
		return res
	}
	client := o.httpClient()
	defer client.CloseIdleConnections()
	res.Servers = append(res.Servers, urls...)
	res.Answers = make([]ServerAnswer, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res.Answers[i] = fetch(ctx, client, u, o)
		}()
	}
	wg.Wait()
	want := strings.TrimSpace(rec.Value)
	for _, a := range res.Answers {
		if a.Err == "" && a.Status == http.StatusOK && len(a.Values) == 1 && a.Values[0] == want {
			res.Found = true
		}
	}
	return res
}

func (o Options) httpClient() *http.Client {
	dialer := &net.Dialer{Timeout: o.timeout()}
	dial := o.Dial
	if dial == nil {
		dial = dialer.DialContext
	}
	tr := &http.Transport{
		DialContext:           dial,
		TLSClientConfig:       &tls.Config{RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   o.timeout(),
		ResponseHeaderTimeout: o.timeout(),
		DisableKeepAlives:     true,
		// Never through a proxy: the check is of what the site serves.
		Proxy: nil,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   o.timeout(),
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if !strings.EqualFold(req.URL.Hostname(), via[0].URL.Hostname()) {
				return fmt.Errorf("%w: %s", errOtherHost, req.URL.Redacted())
			}
			if len(via) > maxRedirects {
				return fmt.Errorf("more than %d redirects", maxRedirects)
			}
			return nil
		},
	}
}

func fetch(ctx context.Context, client *http.Client, u string, o Options) ServerAnswer {
	a := ServerAnswer{Server: u, Values: []string{}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		a.Err = err.Error()
		return a
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ue != nil && ue.Timeout() {
			a.Err = fmt.Sprintf("timeout: no answer within %s", o.timeout())
		} else {
			a.Err = err.Error()
		}
		return a
	}
	defer resp.Body.Close()
	a.Status = resp.StatusCode
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		a.Err = err.Error()
		return a
	}
	if len(body) > maxBody {
		a.Err = fmt.Sprintf("body larger than %d KB, refused", maxBody>>10)
		return a
	}
	if resp.StatusCode != http.StatusOK {
		a.Err = fmt.Sprintf("HTTP %s", resp.Status)
		return a
	}
	a.Values = []string{strings.TrimSpace(string(body))}
	return a
}
