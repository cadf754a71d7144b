package api

import "strings"

// Method is a domain validation method: CommitCertificateInformation's
// VerifyType. The answers and the requests carry it as a string; code
// that compares or chooses one uses these, so the spelling lives here.
type Method string

// The validation methods a commit may name.
const (
	MethodDNSAuto Method = "DNS_AUTO" // Tencent Cloud adds the DNS record itself
	MethodDNS     Method = "DNS"      // the user adds a TXT or CNAME record
	MethodFile    Method = "FILE"     // the user serves a file on the site
)

// Methods lists the validation methods in the order they are offered.
var Methods = []Method{MethodDNSAuto, MethodDNS, MethodFile}

// ParseMethod reads a validation method in any case, spaces around it
// ignored ("dns_auto" is DNS_AUTO); false for anything else, "" included.
func ParseMethod(s string) (Method, bool) {
	m := Method(strings.ToUpper(strings.TrimSpace(s)))
	for _, known := range Methods {
		if m == known {
			return m, true
		}
	}
	return "", false
}

// MethodOf is the method a VerifyType names, read as ParseMethod reads
// it; "" for none or one not known.
func MethodOf(verifyType string) Method {
	m, _ := ParseMethod(verifyType)
	return m
}

// Label is the method as the API and the console name it; DNS when none
// is named, as the service then validates by DNS.
func (m Method) Label() string {
	if m == "" {
		return string(MethodDNS)
	}
	return string(m)
}

// Method is how the record proves its name: FILE for a file on the site,
// DNS for a TXT or CNAME record.
func (r Record) Method() Method {
	if MethodOf(r.Type) == MethodFile {
		return MethodFile
	}
	return MethodDNS
}
