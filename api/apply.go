package api

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ActionApply applies for a free DV certificate, new or renewing one.
const ActionApply = "ApplyCertificate"

// MaxFreeDomain is the longest DomainName ApplyCertificate takes (the
// service: "域名不能超过64位").
const MaxFreeDomain = 64

// Password is a key password: it is sent, and never printed, logged or
// marshalled.
type Password string

func (Password) String() string               { return "(password, hidden)" }
func (p Password) Format(f fmt.State, _ rune) { io.WriteString(f, p.String()) } // every verb
func (Password) MarshalJSON() ([]byte, error) { return []byte(`"(hidden)"`), nil }
func (Password) MarshalText() ([]byte, error) { return []byte("(hidden)"), nil }

// ApplyRequest is ApplyCertificate's request: a free DV certificate
// (PackageType 83, 3 months, one name; Tencent generates the key, which
// comes in the download). With OldCertificateId it renews that free
// certificate, which must be issued and in its last 30 days.
type ApplyRequest struct {
	DomainName   string // required: one DNS name, no wildcard, at most 64 characters
	DvAuthMethod Method // required: MethodDNSAuto, MethodDNS or MethodFile
	// OldCertificateId is the free certificate this one renews; "" for a
	// new certificate.
	OldCertificateId string
	// DeleteDnsAutoRecord (DNS_AUTO only): Tencent removes the record it
	// added once the certificate is issued.
	DeleteDnsAutoRecord bool
	Alias               string // the console's note
	ProjectId           int    // 0 = the default project (not sent)
	ContactEmail        string // default: the account's
	ContactPhone        string
	CsrEncryptAlgo      string   // "" or RSA (RSA 2048), or ECC (prime256v1)
	CsrKeyParameter     string   // RSA: "" or 2048; ECC: prime256v1
	CsrKeyPassword      Password // for the jks/pfx downloads; "" for none
}

// Normalized is the request as it is checked and sent: spaces trimmed, the
// name in lower case with an IDN in punycode, the algorithm in upper case.
func (r ApplyRequest) Normalized() ApplyRequest {
	r.DomainName = normalizeDomain(strings.TrimSpace(r.DomainName))
	if m, ok := ParseMethod(string(r.DvAuthMethod)); ok {
		r.DvAuthMethod = m
	}
	r.OldCertificateId = strings.TrimSpace(r.OldCertificateId)
	r.Alias = strings.TrimSpace(r.Alias)
	r.ContactEmail = strings.TrimSpace(r.ContactEmail)
	r.ContactPhone = strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(r.ContactPhone))
	r.CsrEncryptAlgo = strings.ToUpper(strings.TrimSpace(r.CsrEncryptAlgo))
	r.CsrKeyParameter = strings.ToLower(strings.TrimSpace(r.CsrKeyParameter))
	return r
}

// Validate reports every problem of the (normalized) request at once.
func (r ApplyRequest) Validate() Problems {
	r = r.Normalized()
	var ps Problems
	add := func(param string, fl *flaw) {
		if fl != nil {
			ps = append(ps, Problem{Param: param, What: fl.What, Fix: fl.Fix})
		}
	}
	switch d := r.DomainName; {
	case d == "":
		ps = append(ps, Problem{Param: "DomainName", Missing: true,
			What: Text{"is missing", "未填写"}, Fix: Text{"Give the one DNS name the free certificate is for, e.g. www.example.com", "请填写免费证书对应的域名，如 www.example.com"}})
	case strings.HasPrefix(d, "*."):
		add("DomainName", &flaw{Text{fmt.Sprintf("%q is a wildcard: free certificates cover one name", d), fmt.Sprintf("%q 是通配符域名：免费证书只支持单个域名", d)},
			Text{"Give one DNS name, or buy a wildcard certificate", "请填写单个域名，或购买通配符证书"}})
	case utf8.RuneCountInString(d) > MaxFreeDomain:
		add("DomainName", &flaw{Text{fmt.Sprintf("is %d characters long; free certificates take at most %d", utf8.RuneCountInString(d), MaxFreeDomain), fmt.Sprintf("长度为 %d 个字符；免费证书的域名最多 %d 个字符", utf8.RuneCountInString(d), MaxFreeDomain)},
			Text{"Use a shorter name, or a paid certificate", "请使用更短的域名，或购买付费证书"}})
	default:
		add("DomainName", checkDomain(d))
	}
	if _, ok := ParseMethod(string(r.DvAuthMethod)); !ok {
		list := fmt.Sprintf("%s, %s, %s", MethodDNSAuto, MethodDNS, MethodFile)
		ps = append(ps, Problem{Param: "DvAuthMethod", Missing: r.DvAuthMethod == "",
			What: Text{fmt.Sprintf("%q is not a validation method", string(r.DvAuthMethod)), fmt.Sprintf("%q 不是验证方式", string(r.DvAuthMethod))},
			Fix:  Text{"Use one of: " + list, "请使用：" + list}})
	}
	if r.OldCertificateId != "" {
		add("OldCertificateId", checkCertificateID(r.OldCertificateId))
	}
	if r.DeleteDnsAutoRecord && r.DvAuthMethod != MethodDNSAuto {
		add("DeleteDnsAutoRecord", &flaw{Text{"only applies to DNS_AUTO validation", "仅适用于 DNS_AUTO 验证"},
			Text{"Leave it off, or validate with DNS_AUTO", "请不要设置，或改用 DNS_AUTO 验证"}})
	}
	if r.ProjectId < 0 {
		add("ProjectId", &flaw{Text{"is negative", "为负数"}, Text{"Give the project's ID from the console, or 0 for the default project", "请填写控制台中的项目 ID，默认项目为 0"}})
	}
	if r.ContactEmail != "" {
		add("ContactEmail", checkEmail(r.ContactEmail))
	}
	if r.ContactPhone != "" {
		add("ContactPhone", checkMobile(r.ContactPhone))
	}
	if strings.ContainsFunc(r.Alias, unicode.IsControl) || !utf8.ValidString(r.Alias) {
		add("Alias", &flaw{Text{"contains a control character or invalid text", "包含控制字符或无效文本"}, Text{"Retype it without tabs or line breaks", "请重新输入，不要包含制表符或换行"}})
	}
	switch r.CsrEncryptAlgo {
	case "", "RSA":
		if r.CsrKeyParameter != "" && r.CsrKeyParameter != "2048" {
			add("CsrKeyParameter", &flaw{Text{fmt.Sprintf("%q is not offered with RSA", r.CsrKeyParameter), fmt.Sprintf("RSA 不支持 %q", r.CsrKeyParameter)}, Text{"Use 2048, or leave it empty", "请使用 2048，或留空"}})
		}
	case "ECC":
		if r.CsrKeyParameter != "prime256v1" {
			add("CsrKeyParameter", &flaw{Text{fmt.Sprintf("%q is not offered with ECC", r.CsrKeyParameter), fmt.Sprintf("ECC 不支持 %q", r.CsrKeyParameter)}, Text{"Use prime256v1 (required with ECC)", "请使用 prime256v1（ECC 必填）"}})
		}
	default:
		add("CsrEncryptAlgo", &flaw{Text{fmt.Sprintf("%q is not RSA or ECC", r.CsrEncryptAlgo), fmt.Sprintf("%q 不是 RSA 或 ECC", r.CsrEncryptAlgo)}, Text{"Use RSA or ECC, or leave it empty (RSA)", "请使用 RSA 或 ECC，或留空（RSA）"}})
	}
	if strings.ContainsFunc(string(r.CsrKeyPassword), unicode.IsControl) {
		add("CsrKeyPassword", &flaw{Text{"contains a control character", "包含控制字符"}, Text{"Retype it without tabs or line breaks", "请重新输入，不要包含制表符或换行"}})
	}
	return ps
}

// params are the request's parameters as sent: PackageType 83 always,
// the rest only when set.
func (r ApplyRequest) params() map[string]any {
	p := map[string]any{"DvAuthMethod": string(r.DvAuthMethod), "DomainName": r.DomainName, "PackageType": PackageFreeDV}
	for name, v := range map[string]string{
		"OldCertificateId": r.OldCertificateId, "Alias": r.Alias, "ContactEmail": r.ContactEmail, "ContactPhone": r.ContactPhone,
		"CsrEncryptAlgo": r.CsrEncryptAlgo, "CsrKeyParameter": r.CsrKeyParameter, "CsrKeyPassword": string(r.CsrKeyPassword),
	} {
		if v != "" {
			p[name] = v
		}
	}
	if r.DeleteDnsAutoRecord {
		p["DeleteDnsAutoRecord"] = true
	}
	if r.ProjectId > 0 {
		p["ProjectId"] = r.ProjectId
	}
	return p
}

// ApplyCertificate applies for a free DV certificate and returns the new
// certificate's ID. The request is normalized and checked first: with a
// problem nothing is sent and the error is the Problems. The new
// certificate then waits for domain validation (status 0 PENDING-DCV, or
// 4 with DNS_AUTO) like a committed one. An answer without a valid
// CertificateId is refused as unreadable, without quoting it.
//
// The call changes the account: on a timeout or a cancel the application
// may have arrived. Before applying again, list the account's certificates
// or read the old certificate's HasRenewOrder: the service refuses a second
// renewal of one certificate.
func (c *Client) ApplyCertificate(ctx context.Context, req ApplyRequest) (string, error) {
	req = req.Normalized()
	if ps := req.Validate(); len(ps) > 0 {
		return "", ps
	}
	var out struct {
		CertificateId string `json:"CertificateId"`
	}
	id, err := c.call(ctx, ActionApply, req.params(), &out)
	if err != nil {
		return "", err
	}
	if out.CertificateId == "" || len(out.CertificateId) > maxCertificateID || checkCertificateID(out.CertificateId) != nil {
		return "", &Error{Code: CodeMalformed, Action: ActionApply, RequestId: id,
			Message: "the answer's CertificateId is missing or not a certificate ID (" + fmt.Sprintf("%d bytes", len(out.CertificateId)) + ", not shown)"}
	}
	return out.CertificateId, nil
}

// maxCertificateID bounds an ID read from an answer (Tencent's are 8
// characters).
const maxCertificateID = 64
