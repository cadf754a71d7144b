package api

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
)

// ParseCSR decodes one PEM certificate request, checks that its signature
// verifies and that its key is one the CA accepts (RSA ≥ 2048 bits, ECDSA
// P-256 or P-384). The flaw says what is wrong and what to do.
func ParseCSR(text string) (*x509.CertificateRequest, *flaw) {
	block, rest := pem.Decode([]byte(strings.TrimSpace(text)))
	if block == nil {
		return nil, &flaw{Text{"is not PEM: no -----BEGIN CERTIFICATE REQUEST----- block found", "不是 PEM 格式：找不到 -----BEGIN CERTIFICATE REQUEST----- 块"},
			Text{"Paste the whole CSR, BEGIN and END lines included, or give the .csr file", "请粘贴完整的 CSR（包括 BEGIN 和 END 行），或提供 .csr 文件"}}
	}
	if block.Type != "CERTIFICATE REQUEST" && block.Type != "NEW CERTIFICATE REQUEST" {
		what := Text{fmt.Sprintf("holds a %q block, not a certificate request", block.Type), fmt.Sprintf("包含的是 %q 块，而不是证书请求", block.Type)}
		if strings.Contains(block.Type, "PRIVATE KEY") {
			// Say it plainly: a private key must never be sent anywhere.
			what = Text{"holds a PRIVATE KEY, not a certificate request — never send a private key", "包含的是私钥而不是证书请求——切勿提交私钥"}
		}
		return nil, &flaw{what, Text{"Give the .csr file (BEGIN CERTIFICATE REQUEST)", "请提供 .csr 文件（BEGIN CERTIFICATE REQUEST）"}}
	}
	if len(strings.TrimSpace(string(rest))) > 0 {
		return nil, &flaw{Text{"has more than one PEM block", "包含多个 PEM 块"},
			Text{"Give exactly one certificate request", "请只提供一个证书请求"}}
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		return nil, &flaw{Text{"cannot be parsed: " + err.Error(), "无法解析：" + err.Error()},
			Text{"Generate the CSR again, e.g. with openssl req -new", "请重新生成 CSR，例如用 openssl req -new"}}
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, &flaw{Text{"has a signature that does not verify: " + err.Error(), "签名校验失败：" + err.Error()},
			Text{"The CSR was altered or damaged; generate it again", "CSR 已被修改或损坏，请重新生成"}}
	}
	if fl := checkCSRKey(csr.PublicKey); fl != nil {
		return nil, fl
	}
	return csr, nil
}

func checkCSRKey(pub any) *flaw {
	fix := Text{"Generate a new key and CSR with RSA 2048+ or ECDSA P-256/P-384", "请用 RSA 2048 位以上或 ECDSA P-256/P-384 重新生成私钥和 CSR"}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if bits := k.N.BitLen(); bits < 2048 {
			return &flaw{Text{fmt.Sprintf("has a weak %d-bit RSA key", bits), fmt.Sprintf("RSA 密钥只有 %d 位，强度不足", bits)}, fix}
		}
		return nil
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() || k.Curve == elliptic.P384() {
			return nil
		}
		return &flaw{Text{"uses the curve " + k.Curve.Params().Name + ", which the CA does not accept", "使用的曲线 " + k.Curve.Params().Name + " 不被 CA 接受"}, fix}
	case ed25519.PublicKey:
		return &flaw{Text{"has an Ed25519 key, which the CA does not accept", "使用的 Ed25519 密钥不被 CA 接受"}, fix}
	}
	return &flaw{Text{fmt.Sprintf("has an unsupported key type %T", pub), fmt.Sprintf("密钥类型 %T 不受支持", pub)}, fix}
}

func checkCSR(v string) *flaw {
	_, fl := ParseCSR(v)
	return fl
}

// CSRInfo is what a CSR says about itself, for showing and pre-filling.
type CSRInfo struct {
	CommonName   string
	DNSNames     []string
	Key          string // e.g. "RSA 2048", "ECDSA P-256"
	Organization string
	Unit         string
	Country      string
	Province     string
	City         string
}

// InspectCSR parses and checks a CSR (see ParseCSR) and describes it; the
// problem, when there is one, is the CsrContent problem validation reports.
func InspectCSR(text string) (CSRInfo, *Problem) {
	csr, fl := ParseCSR(text)
	if fl != nil {
		return CSRInfo{}, &Problem{Param: "CsrContent", Step: StepCSR, What: fl.What, Fix: fl.Fix}
	}
	first := func(s []string) string {
		if len(s) == 0 {
			return ""
		}
		return s[0]
	}
	info := CSRInfo{
		CommonName: csr.Subject.CommonName, DNSNames: csr.DNSNames,
		Organization: first(csr.Subject.Organization), Unit: first(csr.Subject.OrganizationalUnit),
		Country: first(csr.Subject.Country), Province: first(csr.Subject.Province), City: first(csr.Subject.Locality),
	}
	switch k := csr.PublicKey.(type) {
	case *rsa.PublicKey:
		info.Key = fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		info.Key = "ECDSA " + k.Curve.Params().Name
	}
	return info, nil
}
