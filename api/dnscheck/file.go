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
	// pkiPath is where the CA looks for a validation file, and the only
	// path certwiz fetches.
	pkiPath = "/.well-known/pki-validation/"
	// maxFileName bounds the file's name: the CA's are a few dozen bytes.
	maxFileName = 128
)

// errOtherHost: the CA does not follow a redirect to another host either
// (and a check should not be sent anywhere the user did not name).
var errOtherHost = errors.New("redirect to another host not followed")

// CheckFile fetches a FILE record's URLs (rec.URLs, http and https) and
// compares each body, trimmed of surrounding white space, with rec.Value.
// Only a validation URL is fetched (see FileURL); a redirect is followed
// only from http to https on the same host and path; a body over 16 KB is
// refused. Found when at least one URL serves the value. The fetches end
// by o.Round.
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
	ctx, cancel := context.WithTimeout(ctx, o.round())
	defer cancel()
	client := o.httpClient()
	defer client.CloseIdleConnections()
	res.Servers = append(res.Servers, urls...)
	res.Answers = make([]ServerAnswer, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			checked, err := FileURL(u)
			if err != nil {
				res.Answers[i] = ServerAnswer{Server: u, Values: []string{}, Err: err.Error()}
				return
			}
			res.Answers[i] = fetch(ctx, client, checked, o)
		}()
	}
	wg.Wait()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		res.Skipped = append(res.Skipped, fmt.Sprintf("the round's %s ran out: fetches still going were stopped", o.round()))
	}
	for _, a := range res.Answers {
		if servesFile(rec, a) {
			res.Found = true
		}
	}
	return res
}

// FileURL checks that raw is a validation URL and returns it in its plain
// form: http or https, no user information, a host that is a DNS name (on
// the scheme's own port) or on this machine (loopback, any port: tests'
// servers), the path /.well-known/pki-validation/ and a plain file name,
// nothing after it. Anything else — an answer's DvAuthDomain carrying a
// path, a query, credentials or a port — is refused, so a check fetches
// nothing but the file the CA will.
func FileURL(raw string) (string, error) {
	refuse := func(why string) (string, error) {
		return "", fmt.Errorf("not fetched: %s is not a validation URL (%s)", raw, why)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return refuse("unreadable")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return refuse("only http and https")
	}
	if u.User != nil {
		return refuse("user information")
	}
	host, port := u.Hostname(), u.Port()
	switch {
	case api.IsLoopback(host):
	case !dnsName(host):
		return refuse("the host is not a DNS name")
	case port != "":
		return refuse("a DNS name is fetched on the scheme's own port only")
	}
	file, ok := strings.CutPrefix(u.Path, pkiPath)
	if !ok || !fileName(file) {
		return refuse("the path is not " + pkiPath + " and a plain file name")
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	plain := u.Scheme + "://" + strings.ToLower(host) + pkiPath + file
	// A query, a fragment or an escape in the path would make them differ.
	if !strings.EqualFold(raw, plain) {
		return refuse("only the host and the path")
	}
	return plain, nil
}

// dnsName is a host name as the CA validates one: at least two labels of
// letters, digits and inner hyphens, at most 253 bytes, not an address.
func dnsName(h string) bool {
	if len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range []byte(l) {
			if !isAlnum(c) && c != '-' {
				return false
			}
		}
	}
	top := labels[len(labels)-1]
	return strings.Trim(top, "0123456789") != ""
}

// fileName is a plain file name: letters, digits, '.', '_' and '-', not
// starting with a dot.
func fileName(f string) bool {
	if f == "" || len(f) > maxFileName || f[0] == '.' {
		return false
	}
	for _, c := range []byte(f) {
		if !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
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
	return &http.Client{Transport: tr, Timeout: o.timeout(), CheckRedirect: sameFile}
}

// sameFile follows a redirect only from http to https on the same host
// and path, as a site moving its visitors to https does: the new URL is a
// validation URL too, so a DNS name keeps to port 443 (loopback tests'
// servers may listen anywhere).
func sameFile(req *http.Request, via []*http.Request) error {
	from, to := via[len(via)-1].URL, req.URL
	if !strings.EqualFold(to.Hostname(), from.Hostname()) {
		return fmt.Errorf("%w: %s", errOtherHost, to.Redacted())
	}
	if from.Scheme != "http" || to.Scheme != "https" || to.Path != from.Path {
		return fmt.Errorf("redirect to %s not followed: only from http to https, to the same path", to.Redacted())
	}
	if _, err := FileURL(to.String()); err != nil {
		return fmt.Errorf("redirect %w", err)
	}
	return nil
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
			a.Err = fmt.Sprintf("timeout: no answer within %s", min(o.timeout(), o.round()))
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
