package sandbox

import (
	"crypto/hmac"
	"maps"
	"mime"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
)

// MaxSkew is how far a request's timestamp may be from the server clock.
const MaxSkew = 300 * time.Second

// maxBody is the largest request body accepted.
const maxBody = 1 << 20

// check runs every check of the real endpoint, in its order: method, rate
// (per action), size, content type, action, version, timestamp,
// Authorization, key, signature, token, then the action's parameters. It
// returns the action and its parameters.
func (s *Server) check(r *http.Request, body []byte) (string, map[string]any, *apiError) {
	if r.Method != http.MethodPost {
		return "", nil, fail("UnsupportedProtocol", "The sandbox accepts POST requests with a JSON body only, not %s.", r.Method)
	}
	action := r.Header.Get("X-TC-Action")
	if !s.allow(action) {
		return "", nil, fail("RequestLimitExceeded", "Your current request rate has exceeded the limit of %d per second for %s.", s.opts.Rate, action)
	}
	if len(body) > maxBody {
		return "", nil, fail("RequestSizeLimitExceeded", "The request body exceeds %d bytes.", maxBody)
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return "", nil, fail("InvalidParameter", "Content-Type %q is not supported: use application/json.", r.Header.Get("Content-Type"))
	}
	switch {
	case action == "":
		return "", nil, fail("MissingParameter", "The request is missing the X-TC-Action header.")
	case !slices.Contains(Actions, action):
		return "", nil, fail("InvalidAction", "The action %q is not found; the sandbox serves %s.", action, strings.Join(Actions, ", "))
	}
	switch v := r.Header.Get("X-TC-Version"); {
	case v == "":
		return "", nil, fail("MissingParameter", "The request is missing the X-TC-Version header.")
	case v != api.Version:
		return "", nil, fail("NoSuchVersion", "The API version %q does not exist; use %s.", v, api.Version)
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return "", nil, fail("MissingParameter", "X-TC-Timestamp is missing or not a Unix time.")
	}
	now := s.opts.Now()
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return "", nil, fail("AuthFailure.SignatureExpire", "Signature expired. Timestamp %d is %s from the server time %d; the limit is 300 seconds.", ts, d.Round(time.Second), now.Unix())
	}
	auth, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return "", nil, fail("AuthFailure.InvalidAuthorization", "The Authorization header is invalid: %v.", err)
	}
	if auth.SecretID != s.opts.SecretID {
		return "", nil, fail("AuthFailure.SecretIdNotFound", "The SecretId is not found; check it is correct and has no surrounding spaces.")
	}
	wantDate := time.Unix(ts, 0).UTC().Format("2006-01-02")
	if !serviceOK(auth.Service, r.Host) || auth.Date != wantDate || !slices.Contains(auth.SignedHeaders, "content-type") || !slices.Contains(auth.SignedHeaders, "host") {
		return "", nil, fail("AuthFailure.SignatureFailure", "The credential scope %s/%s does not match the request (want %s/%s, content-type and host signed).", auth.Date, auth.Service, wantDate, api.Service)
	}
	if !s.signatureMatches(r, auth, ts, body) {
		return "", nil, fail("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.")
	}
	if s.opts.Token != "" && r.Header.Get("X-TC-Token") != s.opts.Token {
		return "", nil, fail("AuthFailure.TokenFailure", "The session token is invalid or expired.")
	}
	params, aerr := parseAction(action, body)
	return action, params, aerr
}

// serviceOK accepts the scope's service: "ssl", or — on a loopback sandbox
// only — the first label of the host, which is what Tencent's Node.js SDK
// derives from an endpoint such as 127.0.0.1:8417 ("127"). The signature
// must still verify with it; the real endpoint never sees such a host.
func serviceOK(service, host string) bool {
	if service == api.Service {
		return true
	}
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	first, _, _ := strings.Cut(h, ".")
	return api.IsLoopback(h) && service == first
}

// signatureMatches checks the signature over the Host header as received.
// The Go SDK signs host[:port] as sent, while the Node.js SDK signs the host
// name without its port; against the real endpoint (port 443, never written)
// both are the same, so on a sandbox port either form is accepted.
func (s *Server) signatureMatches(r *http.Request, auth Authorization, ts int64, body []byte) bool {
	hosts := []string{r.Host}
	if h, _, err := net.SplitHostPort(r.Host); err == nil {
		hosts = append(hosts, h)
	}
	for _, host := range hosts {
		header := func(name string) string {
			if name == "host" {
				return host
			}
			return r.Header.Get(name)
		}
		want := Signature(s.opts.SecretKey, auth.Service, ts, CanonicalRequest(header, auth.SignedHeaders, body))
		if hmac.Equal([]byte(want), []byte(auth.Signature)) {
			return true
		}
	}
	return false
}

// parseParams reads SubmitCertificateInformation's JSON body as the
// service does: an object whose keys are the catalogue's parameters
// (api.Fields), strings except DomainList (array of strings) and IsDV
// (boolean), with CertificateId present.
func parseParams(body []byte) (map[string]any, *apiError) {
	raw, aerr := decodeObject(body)
	if aerr != nil {
		return nil, aerr
	}
	for _, name := range slices.Sorted(maps.Keys(raw)) {
		v := raw[name]
		f, ok := api.Lookup(name)
		if !ok {
			return nil, fail("UnknownParameter", "The parameter `%s` is not recognized.", name)
		}
		if f.Kind == api.KindBool { // IsDV
			if _, ok := v.(bool); !ok {
				return nil, fail("InvalidParameter", "The parameter `%s` must be a boolean.", name)
			}
			continue
		}
		if f.Kind == api.KindList {
			items, ok := v.([]any)
			if !ok {
				return nil, fail("InvalidParameter", "The parameter `%s` must be an array of strings.", name)
			}
			for _, it := range items {
				if _, ok := it.(string); !ok {
					return nil, fail("InvalidParameter", "The parameter `%s` must be an array of strings.", name)
				}
			}
			continue
		}
		str, ok := v.(string)
		if !ok {
			return nil, fail("InvalidParameter", "The parameter `%s` must be a string.", name)
		}
		if f.Kind == api.KindChoice && !choiceOK(f, str) {
			return nil, fail("InvalidParameterValue", "The value `%s` of parameter `%s` is invalid.", str, name)
		}
	}
	if id, _ := raw["CertificateId"].(string); id == "" {
		return nil, fail("MissingParameter", "The request is missing a required parameter `CertificateId`.")
	}
	return raw, nil
}

func choiceOK(f api.Field, v string) bool {
	for _, c := range f.Choices {
		if c.Value == v {
			return true
		}
	}
	return false
}
