package api

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Warning is worth a second look but is never a refusal: the parameter
// it is about and what to check.
type Warning struct {
	Param string
	Text  Text
}

// Warnings lists what validation lets through but a person should look at
// again: names whose letters only look Latin, e-mail addresses whose
// top-level domain does not exist.
func Warnings(r Request) []Warning {
	var out []Warning
	for i, name := range append([]string{r.CertificateDomain}, r.DomainList...) {
		param := "CertificateDomain"
		if i > 0 {
			param = "DomainList"
		}
		if w, ok := lookalike(name); ok {
			out = append(out, Warning{param, w})
		}
	}
	for _, param := range []string{"AdminEmail", "ContactEmail"} {
		if w, ok := emailTLD(param, r.Get(param)); ok {
			out = append(out, Warning{param, w})
		}
	}
	return out
}

// lookalike warns about a name whose labels mix scripts (Latin with
// Cyrillic or Greek, say), as browsers' IDN display rules do: "аpple.com"
// with a Cyrillic "а" looks like apple.com but is another name. It names
// the characters from the other script; such names can be genuine.
func lookalike(name string) (Text, bool) {
	for _, label := range strings.Split(strings.TrimSpace(name), ".") {
		u := label
		if strings.HasPrefix(strings.ToLower(label), "xn--") {
			if dec, err := idna.Registration.ToUnicode(label); err == nil {
				u = dec
			}
		}
		if odd := mixedScript(u); odd != "" {
			return Text{
				fmt.Sprintf("%s mixes scripts: %s look like Latin letters but are not; check it is the name you mean", name, odd),
				fmt.Sprintf("%s 混用了多种文字：%s 看似拉丁字母但并不是；请确认这是您要的域名", name, odd)}, true
		}
	}
	return Text{}, false
}

// tldTypos are slips of the fingers for the commonest top-level domains.
var tldTypos = map[string]string{"con": "com", "cmo": "com", "ocm": "com", "vom": "com", "xom": "com", "comm": "com",
	"coom": "com", "nte": "net", "ent": "net", "nett": "net", "ogr": "org", "rog": "org", "orgg": "org", "cnn": "cn"}

// emailTLD warns about an address whose top-level domain is in no public
// suffix list (admin@example.con): the CA's mail would never arrive.
func emailTLD(param, addr string) (Text, bool) {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return Text{}, false
	}
	domain := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(addr[at+1:])), ".")
	suffix, icann := publicsuffix.PublicSuffix(domain)
	if icann || strings.Contains(suffix, ".") || suffix == domain {
		return Text{}, false
	}
	w := Text{fmt.Sprintf("%s %s ends in .%s, which is not a top-level domain; check the address", param, addr, suffix),
		fmt.Sprintf("%s %s 以 .%s 结尾，这不是顶级域名；请核对邮箱地址", param, addr, suffix)}
	if fix, ok := tldTypos[suffix]; ok {
		w.EN = fmt.Sprintf("%s %s ends in .%s, which is not a top-level domain: did you mean .%s?", param, addr, suffix, fix)
		w.ZH = fmt.Sprintf("%s %s 以 .%s 结尾，这不是顶级域名：是否应为 .%s？", param, addr, suffix, fix)
	}
	return w, true
}

// mixedScript returns the non-Latin letters of a label that also has
// Latin letters, quoted with their code points; "" when it does not mix.
func mixedScript(label string) string {
	scripts := map[string]bool{}
	var other []string
	for _, c := range label {
		switch {
		case unicode.Is(unicode.Latin, c):
			scripts["Latin"] = true
		case unicode.Is(unicode.Cyrillic, c):
			scripts["Cyrillic"] = true
			other = append(other, fmt.Sprintf("%q (%U, Cyrillic)", c, c))
		case unicode.Is(unicode.Greek, c):
			scripts["Greek"] = true
			other = append(other, fmt.Sprintf("%q (%U, Greek)", c, c))
		}
	}
	if !scripts["Latin"] || len(scripts) < 2 {
		return ""
	}
	return strings.Join(other, ", ")
}
