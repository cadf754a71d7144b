package tlsverify

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
)

// Outcome is what one target did.
type Outcome int

// The outcomes, Match first.
const (
	Match            Outcome = iota // it presents the certificate installed
	OtherCertificate                // another certificate (the old one, say)
	WrongName                       // a certificate that does not cover the name asked for
	SelfSigned                      // a self-signed certificate
	Expired                         // an expired certificate
	Refused                         // the connection was refused
	TimedOut                        // no connection or handshake in time
	NoAddress                       // the host name does not resolve
	HandshakeFailed                 // no TLS handshake (not TLS, an alert, no certificate)
	Unreachable                     // the network could not reach it
	BadTarget                       // not HOST:PORT, or no name to ask for
)

var outcomeText = map[Outcome]api.Text{
	Match:            {EN: "presents the new certificate", ZH: "已在使用新证书"},
	OtherCertificate: {EN: "presents another certificate", ZH: "使用的是另一张证书"},
	WrongName:        {EN: "presents a certificate for another name", ZH: "使用的是其他域名的证书"},
	SelfSigned:       {EN: "presents a self-signed certificate", ZH: "使用的是自签名证书"},
	Expired:          {EN: "presents an expired certificate", ZH: "使用的是已过期的证书"},
	Refused:          {EN: "refused the connection", ZH: "拒绝了连接"},
	TimedOut:         {EN: "did not answer in time", ZH: "未及时响应"},
	NoAddress:        {EN: "has no address: the name does not resolve", ZH: "没有地址：域名无法解析"},
	HandshakeFailed:  {EN: "failed the TLS handshake", ZH: "TLS 握手失败"},
	Unreachable:      {EN: "could not be reached", ZH: "无法连接"},
	BadTarget:        {EN: "cannot be checked", ZH: "无法检查"},
}

// In is the outcome in words.
func (o Outcome) In(lang string) string { return outcomeText[o].In(lang) }

// Presented is the leaf a server presented. Subject, Issuer and Names
// come from the server: escape them before printing (ui/safe).
type Presented struct {
	Subject, Issuer string
	Names           []string
	NotAfter        time.Time
	SHA256          [32]byte
	SelfSigned      bool // signed by its own key
	WrongName       bool // does not cover the SNI asked for
	Expired         bool // past its NotAfter at the time of the check
}

// outcome is how the leaf compares with the one wanted; of its faults
// the one most telling is named.
func (p Presented) outcome(want [32]byte) Outcome {
	switch {
	case p.SHA256 == want:
		return Match
	case p.WrongName:
		return WrongName
	case p.SelfSigned:
		return SelfSigned
	case p.Expired:
		return Expired
	}
	return OtherCertificate
}

// SHA256Prefix is the start of the leaf's SHA-256 in hex, enough to tell
// certificates apart on a screen.
func (p Presented) SHA256Prefix() string { return hex.EncodeToString(p.SHA256[:8]) }

// Served is what a target did on the last attempt.
type Served struct {
	Target   string // as given
	SNI      string
	Outcome  Outcome
	Attempts int
	Cert     *Presented // the leaf it presented; nil when none was
	Err      error      // why there was no certificate to compare
}

// OK reports a target presenting the certificate installed.
func (s Served) OK() bool { return s.Outcome == Match }

// Describe is one line in lang: the target, what it did, and the
// certificate it presented (subject, issuer, not-after, SHA-256 prefix)
// or the error. It holds the server's text: escape it before printing.
func (s Served) Describe(lang string) string {
	line := s.Target + ": " + s.Outcome.In(lang)
	if p := s.Cert; p != nil {
		var faults []string
		for _, f := range []struct {
			on bool
			o  Outcome
		}{{p.WrongName, WrongName}, {p.SelfSigned, SelfSigned}, {p.Expired, Expired}} {
			if f.on && f.o != s.Outcome && s.Outcome != Match {
				faults = append(faults, f.o.In(lang))
			}
		}
		if len(faults) > 0 {
			line += "; " + strings.Join(faults, "; ")
		}
		return line + fmt.Sprintf(txtPresented.In(lang), p.Subject, p.Issuer, p.NotAfter.UTC().Format("2006-01-02 15:04 MST"), p.SHA256Prefix())
	}
	if s.Err != nil {
		line += ": " + s.Err.Error()
	}
	return line
}

var txtPresented = api.Text{EN: " — %s, issued by %s, valid until %s, SHA-256 %s…", ZH: " —— %s，签发者 %s，有效期至 %s，SHA-256 %s…"}
