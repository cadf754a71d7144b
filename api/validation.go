package api

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"github.com/certwiz/certwiz/api/newfile"
)

// The actions of domain validation and issuance (lifecycle.md).
const (
	ActionCheck    = "CheckCertificateDomainVerification"
	ActionComplete = "CompleteCertificate"
	ActionDownload = "DownloadCertificate"
)

// dvAuth is one validation record as the service sends it, in
// DvAuthDetail.DvAuths (or, for a single name, at DvAuthDetail's top).
type dvAuth struct {
	DvAuthKey          string `json:"DvAuthKey"`
	DvAuthValue        string `json:"DvAuthValue"`
	DvAuthDomain       string `json:"DvAuthDomain"`
	DvAuthPath         string `json:"DvAuthPath"`
	DvAuthSubDomain    string `json:"DvAuthSubDomain"`
	DvAuthKeySubDomain string `json:"DvAuthKeySubDomain"`
	DvAuthVerifyType   string `json:"DvAuthVerifyType"`
}

type dvAuthDetail struct {
	dvAuth
	DvAuths []dvAuth `json:"DvAuths"`
}

// Record is what proves control of one name: a DNS record to create, or
// a file to serve, in every form a zone editor or a web server may want.
type Record struct {
	// Domain is the name being validated: for DNS the record's name
	// without its leading _dnsauth (or other "_") label, for FILE the site.
	// Tencent's check results name it the same way (see DomainCheck).
	Domain string
	Type   string // TXT, CNAME or FILE
	Zone   string // DNS: the zone the record goes in (example.com); FILE: the site
	Host   string // DNS: relative to the zone (_dnsauth.www), as DNSPod's SubDomain
	Name   string // DNS: the full name, _dnsauth.www.example.com
	FQDN   string // DNS: the full name with the root's dot, _dnsauth.www.example.com.
	Value  string // DNS: the record's value; FILE: the file's exact content
	Path   string // FILE: the path on the site, /.well-known/pki-validation/NAME
	URLs   []string
}

// Records lists the validation records of a certificate with the CA, one
// per name (DvAuths), or the single one DvAuthDetail carries at its top.
func (d CertificateDetail) Records() []Record {
	if d.auth == nil {
		return nil
	}
	auths := d.auth.DvAuths
	if len(auths) == 0 && (d.auth.DvAuthKey != "" || d.auth.DvAuthValue != "") {
		auths = []dvAuth{d.auth.dvAuth}
	}
	var out []Record
	for _, a := range auths {
		out = append(out, recordOf(a))
	}
	return out
}

func recordOf(a dvAuth) Record {
	typ := strings.ToUpper(strings.TrimSpace(a.DvAuthVerifyType))
	zone := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(a.DvAuthDomain)), ".")
	if MethodOf(typ) == MethodFile {
		path := a.DvAuthPath
		if path == "" {
			path = "/.well-known/pki-validation/"
		}
		if !strings.HasSuffix(path, "/") {
			path += "/"
		}
		path += a.DvAuthKey
		return Record{Domain: zone, Type: typ, Zone: zone, Value: a.DvAuthValue, Path: path,
			URLs: []string{"http://" + zone + path, "https://" + zone + path}}
	}
	host := firstNonBlank(a.DvAuthSubDomain, a.DvAuthKeySubDomain, a.DvAuthKey)
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	// Some answers give the full name as the key: make it relative.
	if zone != "" && strings.HasSuffix(host, "."+zone) {
		host = strings.TrimSuffix(host, "."+zone)
	}
	name := host
	if zone != "" {
		name = host + "." + zone
		if host == "" || host == "@" {
			host, name = "@", zone
		}
	}
	if typ == "" {
		typ = "TXT"
	}
	return Record{Domain: validated(name), Type: typ, Zone: zone, Host: host, Name: name, FQDN: name + ".", Value: a.DvAuthValue}
}

// validated is the name a DNS record proves: its own name without the
// leading label the CA chose (_dnsauth, or a random "_" label for CNAME).
func validated(name string) string {
	if first, rest, ok := strings.Cut(name, "."); ok && strings.HasPrefix(first, "_") {
		return rest
	}
	return name
}

func firstNonBlank(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// Secret is a private key the service holds when it generated the key
// (CsrType online). It cannot be printed or marshalled by accident: it
// only goes to a file the user asked for.
type Secret struct{ pem string }

func (Secret) String() string                  { return "(private key, hidden)" }
func (s Secret) Format(f fmt.State, _ rune)    { io.WriteString(f, s.String()) } // every verb: %d, %x…
func (Secret) MarshalJSON() ([]byte, error)    { return []byte(`"(hidden)"`), nil }
func (Secret) MarshalText() ([]byte, error)    { return []byte("(hidden)"), nil }
func (s Secret) Empty() bool                   { return strings.TrimSpace(s.pem) == "" }
func (s *Secret) UnmarshalJSON(b []byte) error { return unmarshalString(b, &s.pem) }

// WriteFile writes the key to a new file, 0600, never replacing one.
func (s Secret) WriteFile(path string) error {
	if s.Empty() {
		return fmt.Errorf("write key %s: the service holds no private key for this certificate", path)
	}
	if err := newfile.Write(path, []byte(s.pem)); err != nil {
		return fmt.Errorf("write key %s: %w", path, err)
	}
	return nil
}

// DomainCheck is how far one name's validation has got.
type DomainCheck struct {
	Domain     string   `json:"Domain"`
	VerifyType string   `json:"VerifyType"`
	LocalCheck int      `json:"LocalCheck"`
	Reason     string   `json:"LocalCheckFailReason"`
	Found      []string `json:"CheckValue"`
	CaCheck    int      `json:"CaCheck"`
	Frequently bool     `json:"Frequently"` // refused for asking too often: wait before the next check
	Issued     bool     `json:"Issued"`
}

// localChecks explains LocalCheck, Tencent's own look at a record.
var localChecks = map[int]Text{
	1:   {"found and matching", "已找到且匹配"},
	-1:  {"TXT record not found (or the check was rate-limited)", "未找到 TXT 记录（或检查过于频繁）"},
	-2:  {"TXT record found with another value", "找到 TXT 记录但值不匹配"},
	-3:  {"NS record not found", "未找到 NS 记录"},
	-4:  {"validation file not found", "未找到验证文件"},
	-5:  {"validation file found with other content", "找到验证文件但内容不匹配"},
	-6:  {"CNAME record not found", "未找到 CNAME 记录"},
	-7:  {"CNAME record found with another value", "找到 CNAME 记录但值不匹配"},
	-8:  {"NS record not found", "未找到 NS 记录"},
	-9:  {"validation file not found", "未找到验证文件"},
	-10: {"validation file found with other content", "找到验证文件但内容不匹配"},
}

// LocalCheckText says what a LocalCheck value means.
func LocalCheckText(v int) Text {
	if t, ok := localChecks[v]; ok {
		return t
	}
	if v == 0 {
		return Text{"not checked yet", "尚未检查"}
	}
	return Text{fmt.Sprintf("check result %d", v), fmt.Sprintf("检查结果 %d", v)}
}

// CheckDomainVerification asks how far validation has got, per name.
func (c *Client) CheckDomainVerification(ctx context.Context, certificateID string) ([]DomainCheck, string, error) {
	var out struct {
		VerificationResults []DomainCheck `json:"VerificationResults"`
	}
	id, err := c.call(ctx, ActionCheck, map[string]any{"CertificateId": certificateID}, &out)
	return out.VerificationResults, id, err
}

// CompleteCertificate asks the CA to validate now (once the records are
// in place); it returns the RequestId.
func (c *Client) CompleteCertificate(ctx context.Context, certificateID string) (string, error) {
	var out struct {
		CertificateId string `json:"CertificateId"`
	}
	id, err := c.call(ctx, ActionComplete, map[string]any{"CertificateId": certificateID}, &out)
	if err != nil {
		return id, err
	}
	return id, otherCertificate(ActionComplete, id, certificateID, cmp.Or(out.CertificateId, certificateID))
}

// maxDownload bounds an issued certificate's archive: a few tens of KB.
const maxDownload = 1 << 20

// DownloadCertificate fetches the issued certificate: a ZIP archive (one
// folder per server type) to be unpacked with care by the caller.
func (c *Client) DownloadCertificate(ctx context.Context, certificateID string) ([]byte, string, error) {
	var out struct {
		Content     string `json:"Content"`
		ContentType string `json:"ContentType"`
	}
	id, err := c.call(ctx, ActionDownload, map[string]any{"CertificateId": certificateID}, &out)
	if err != nil {
		return nil, id, err
	}
	if base64.StdEncoding.DecodedLen(len(out.Content)) > maxDownload {
		return nil, id, &Error{Code: CodeMalformed, Action: ActionDownload, RequestId: id, Message: "the archive is larger than a certificate's can be"}
	}
	zip, derr := base64.StdEncoding.DecodeString(out.Content)
	if derr != nil || len(zip) == 0 {
		return nil, id, &Error{Code: CodeMalformed, Action: ActionDownload, RequestId: id, Message: "the answer's Content is not a base64 archive"}
	}
	return zip, id, nil
}
