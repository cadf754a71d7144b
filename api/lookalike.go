package api

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
)

// Lookalikes warns about names whose labels mix scripts (Latin with
// Cyrillic or Greek, say), as browsers' IDN display rules do: "аpple.com"
// with a Cyrillic "а" looks like apple.com but is another name. It names
// the characters from the other script. It is a warning: such names can
// be genuine.
func Lookalikes(r Request) []Text {
	var out []Text
	for _, name := range append([]string{r.CertificateDomain}, r.DomainList...) {
		for _, label := range strings.Split(strings.TrimSpace(name), ".") {
			u := label
			if strings.HasPrefix(strings.ToLower(label), "xn--") {
				if dec, err := idna.Registration.ToUnicode(label); err == nil {
					u = dec
				}
			}
			if odd := mixedScript(u); odd != "" {
				out = append(out, Text{
					fmt.Sprintf("%s mixes scripts: %s look like Latin letters but are not; check it is the name you mean", name, odd),
					fmt.Sprintf("%s 混用了多种文字：%s 看似拉丁字母但并不是；请确认这是您要的域名", name, odd)})
				break
			}
		}
	}
	return out
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
