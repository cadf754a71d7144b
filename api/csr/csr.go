// Package csr reads certificate signing requests exactly, checks them
// against a submission, and generates a key and CSR locally.
//
// It reads PEM, PEM with surrounding text or CRLF line ends, and DER; a
// key it generates never leaves the machine. It knows nothing of the API
// client, profiles or screens.
package csr

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Text is a message in English and Chinese (the same shape as api.Text).
type Text struct {
	EN string
	ZH string
}

// Error is what is wrong with a CSR and what to do about it.
type Error struct {
	What Text
	Fix  Text
}

func (e *Error) Error() string { return e.What.EN + ": " + e.Fix.EN }

// Attribute is one subject attribute, in the order the CSR holds them.
type Attribute struct {
	Short string // CN, O, OU, L, ST, C, emailAddress… (the OID when unknown)
	Long  string // commonName, organizationName… as openssl names them
	Value string
}

// Info is everything certwiz reads from a CSR.
type Info struct {
	Subject            []Attribute
	CommonName         string
	DNSNames           []string
	IPAddresses        []string
	EmailAddresses     []string
	URIs               []string
	KeyAlgorithm       string // RSA, ECDSA or Ed25519
	KeyBits            int
	Curve              string // P-256, P-384… for ECDSA
	SignatureAlgorithm string
	// PEM is the request as certwiz sends it: the file's own PEM text when
	// it was exactly one clean block, else the block re-encoded.
	PEM     string
	Request *x509.CertificateRequest
}

var attributeNames = map[string][2]string{
	"2.5.4.3": {"CN", "commonName"}, "2.5.4.6": {"C", "countryName"}, "2.5.4.7": {"L", "localityName"},
	"2.5.4.8": {"ST", "stateOrProvinceName"}, "2.5.4.9": {"street", "streetAddress"}, "2.5.4.10": {"O", "organizationName"},
	"2.5.4.11": {"OU", "organizationalUnitName"}, "2.5.4.5": {"serialNumber", "serialNumber"}, "2.5.4.17": {"postalCode", "postalCode"},
	"2.5.4.12": {"title", "title"}, "2.5.4.4": {"SN", "surname"}, "2.5.4.42": {"GN", "givenName"},
	"1.2.840.113549.1.9.1": {"emailAddress", "emailAddress"}, "2.5.4.15": {"businessCategory", "businessCategory"},
	"1.3.6.1.4.1.311.60.2.1.3": {"jurisdictionC", "jurisdictionCountryName"},
}

var (
	fixRegenerate = Text{"Generate the CSR again, e.g. with certwiz csr generate or openssl req -new", "请重新生成 CSR，例如使用 certwiz csr generate 或 openssl req -new"}
	fixGiveCSR    = Text{"Give the .csr file (BEGIN CERTIFICATE REQUEST), PEM or DER", "请提供 .csr 文件（BEGIN CERTIFICATE REQUEST），PEM 或 DER 格式"}
)

// Read finds the one certificate request in data — a PEM block (text around
// it and CRLF line ends are fine) or DER — parses it and checks that its
// signature verifies. A private key in data is refused: it must never be sent.
func Read(data []byte) (*Info, error) {
	der, canonical, err := find(data)
	if err != nil {
		return nil, err
	}
	req, perr := x509.ParseCertificateRequest(der)
	if perr != nil {
		return nil, &Error{Text{"cannot be parsed: " + perr.Error(), "无法解析：" + perr.Error()}, fixRegenerate}
	}
	if serr := req.CheckSignature(); serr != nil {
		return nil, &Error{Text{"has a signature that does not verify: " + serr.Error(), "签名校验失败：" + serr.Error()},
			Text{"The CSR was altered or damaged; generate it again", "CSR 已被修改或损坏，请重新生成"}}
	}
	return describe(req, canonical), nil
}

// find returns the DER of the request and its PEM text as certwiz sends it.
func find(data []byte) ([]byte, string, error) {
	if !bytes.Contains(data, []byte("-----BEGIN")) {
		if _, err := x509.ParseCertificateRequest(data); err == nil {
			return data, strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: data}))), nil
		}
		return nil, "", &Error{Text{"is neither PEM nor DER: no -----BEGIN CERTIFICATE REQUEST----- block found", "既不是 PEM 也不是 DER：找不到 -----BEGIN CERTIFICATE REQUEST----- 块"}, fixGiveCSR}
	}
	var found []*pem.Block
	var other string
	rest := data
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		switch {
		case strings.Contains(b.Type, "PRIVATE KEY"):
			return nil, "", &Error{Text{"holds a PRIVATE KEY — never send a private key", "包含私钥——切勿提交私钥"},
				Text{"Give only the .csr file; keep the key on this machine", "请只提供 .csr 文件，私钥请留在本机"}}
		case b.Type == "CERTIFICATE REQUEST" || b.Type == "NEW CERTIFICATE REQUEST":
			found = append(found, b)
		default:
			other = b.Type
		}
	}
	switch {
	case len(found) == 0 && other != "":
		return nil, "", &Error{Text{fmt.Sprintf("holds a %q block, not a certificate request", other), fmt.Sprintf("包含的是 %q 块，而不是证书请求", other)}, fixGiveCSR}
	case len(found) == 0:
		return nil, "", &Error{Text{"has a damaged PEM block", "PEM 块已损坏"}, fixGiveCSR}
	case len(found) > 1:
		return nil, "", &Error{Text{"holds more than one certificate request", "包含多个证书请求"}, Text{"Give exactly one", "请只提供一个"}}
	}
	canonical := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: found[0].Bytes}))
	// A clean file is sent as it is, byte for byte (but for surrounding space).
	if t := strings.TrimSpace(string(data)); t == strings.TrimSpace(canonical) {
		canonical = t
	} else {
		canonical = strings.TrimSpace(canonical)
	}
	return found[0].Bytes, canonical, nil
}

func describe(req *x509.CertificateRequest, canonical string) *Info {
	info := &Info{Request: req, PEM: canonical, CommonName: req.Subject.CommonName,
		DNSNames: req.DNSNames, EmailAddresses: req.EmailAddresses, SignatureAlgorithm: req.SignatureAlgorithm.String()}
	for _, n := range req.Subject.Names {
		oid := n.Type.String()
		names, ok := attributeNames[oid]
		if !ok {
			names = [2]string{oid, oid}
		}
		info.Subject = append(info.Subject, Attribute{Short: names[0], Long: names[1], Value: fmt.Sprint(n.Value)})
	}
	for _, ip := range req.IPAddresses {
		info.IPAddresses = append(info.IPAddresses, ip.String())
	}
	for _, u := range req.URIs {
		info.URIs = append(info.URIs, u.String())
	}
	switch k := req.PublicKey.(type) {
	case *rsa.PublicKey:
		info.KeyAlgorithm, info.KeyBits = "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		info.KeyAlgorithm, info.KeyBits, info.Curve = "ECDSA", k.Curve.Params().BitSize, k.Curve.Params().Name
	case ed25519.PublicKey:
		info.KeyAlgorithm, info.KeyBits = "Ed25519", 256
	}
	return info
}

// Key describes the key: "RSA 2048", "ECDSA P-256".
func (i *Info) Key() string {
	if i.Curve != "" {
		return i.KeyAlgorithm + " " + i.Curve
	}
	return fmt.Sprintf("%s %d", i.KeyAlgorithm, i.KeyBits)
}

// KeySHA256 names a public key: the SHA-256, in hex, of its
// SubjectPublicKeyInfo (DER) as Go encodes it — the same for a CSR and
// the certificate issued from it, whatever encoding the CA chose. ""
// when the key is of a kind Go cannot encode.
func KeySHA256(pub crypto.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// KeySHA256 names the CSR's public key (see the function KeySHA256).
func (i *Info) KeySHA256() string {
	if i == nil || i.Request == nil {
		return ""
	}
	return KeySHA256(i.Request.PublicKey)
}

// Attr returns the first value of a subject attribute by short name.
func (i *Info) Attr(short string) string {
	for _, a := range i.Subject {
		if a.Short == short {
			return a.Value
		}
	}
	return ""
}

// KeyProblem refuses keys the CA does not accept: RSA below 2048 bits and
// anything but ECDSA P-256 or P-384.
func (i *Info) KeyProblem() *Error {
	fix := Text{"Generate a new key and CSR: ECDSA P-256/P-384 or RSA 2048+ (certwiz csr generate)", "请重新生成私钥和 CSR：ECDSA P-256/P-384 或 RSA 2048 位以上（certwiz csr generate）"}
	switch {
	case i.KeyAlgorithm == "RSA" && i.KeyBits < 2048:
		return &Error{Text{fmt.Sprintf("has a weak %d-bit RSA key", i.KeyBits), fmt.Sprintf("RSA 密钥只有 %d 位，强度不足", i.KeyBits)}, fix}
	case i.KeyAlgorithm == "RSA":
		return nil
	case i.KeyAlgorithm == "ECDSA" && (i.Curve == elliptic.P256().Params().Name || i.Curve == elliptic.P384().Params().Name):
		return nil
	case i.KeyAlgorithm == "ECDSA":
		return &Error{Text{"uses the curve " + i.Curve + ", which the CA does not accept", "使用的曲线 " + i.Curve + " 不被 CA 接受"}, fix}
	}
	return &Error{Text{"has an " + i.KeyAlgorithm + " key, which the CA does not accept", "使用的 " + i.KeyAlgorithm + " 密钥不被 CA 接受"}, fix}
}

// Mismatch is a difference between the CSR and the submission.
type Mismatch struct {
	Param string // CsrContent or DomainList
	What  Text
	Fix   Text
}

// Check compares the CSR with the submission's names (normalized: lower
// case, punycode): the CN must equal the domain, and the SANs should cover
// the domain list — every missing name is named.
func (i *Info) Check(domain string, list []string) []Mismatch {
	var out []Mismatch
	if cn := Normalize(i.CommonName); domain != "" && cn != domain {
		out = append(out, Mismatch{Param: "CsrContent",
			What: Text{fmt.Sprintf("the CSR's common name %q differs from CertificateDomain %q", i.CommonName, domain), fmt.Sprintf("CSR 的通用名称 %q 与绑定域名 %q 不一致", i.CommonName, domain)},
			Fix:  Text{"Generate the CSR for " + domain + ", or set CertificateDomain to " + i.CommonName, "请为 " + domain + " 重新生成 CSR，或将绑定域名改为 " + i.CommonName}})
	}
	have := make([]string, 0, len(i.DNSNames))
	for _, n := range i.DNSNames {
		have = append(have, Normalize(n))
	}
	var missing []string
	for _, d := range list {
		if !slices.Contains(have, d) {
			missing = append(missing, d)
		}
	}
	if len(missing) > 0 {
		m := strings.Join(missing, ", ")
		out = append(out, Mismatch{Param: "DomainList",
			What: Text{"not among the CSR's subject alternative names: " + m, "不在 CSR 的备用名称（SAN）中：" + m},
			Fix:  Text{"Remove them, or generate a CSR that includes them", "请删除这些域名，或重新生成包含它们的 CSR"}})
	}
	return out
}

// Normalize lower-cases a DNS name (a leading "*." kept) and converts an IDN
// to punycode, as the submission's names are; a name that cannot be
// converted is returned as typed, for validation to report.
func Normalize(name string) string {
	prefix := ""
	if strings.HasPrefix(name, "*.") {
		prefix, name = "*.", name[2:]
	}
	if a, err := idna.Lookup.ToASCII(name); err == nil {
		name = a
	}
	return prefix + strings.ToLower(name)
}

// Suggest proposes values for the submission from the CSR's subject: the
// domain, the extra names and the organization fields, by parameter name.
func (i *Info) Suggest() map[string]string {
	s := map[string]string{}
	set := func(param, v string) {
		if v = strings.TrimSpace(v); v != "" && utf8.ValidString(v) {
			s[param] = v
		}
	}
	set("CertificateDomain", i.CommonName)
	var extra []string
	for _, n := range i.DNSNames {
		if !strings.EqualFold(n, i.CommonName) {
			extra = append(extra, n)
		}
	}
	set("DomainList", strings.Join(extra, ","))
	set("OrganizationName", i.Attr("O"))
	set("OrganizationDivision", i.Attr("OU"))
	set("OrganizationCountry", strings.ToUpper(i.Attr("C")))
	set("OrganizationRegion", i.Attr("ST"))
	set("OrganizationCity", i.Attr("L"))
	set("OrganizationAddress", i.Attr("street"))
	set("PostalCode", i.Attr("postalCode"))
	return s
}
