package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/watch"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/certwiz/certwiz/ui/termtext"
)

// recordDomain names the domain a record proves: Tencent's name for it
// once known (a wildcard and its bare name share one record name).
func recordDomain(r watch.RecordState) string {
	if r.Tencent != nil && r.Tencent.Domain != "" {
		return r.Tencent.Domain
	}
	return r.Domain
}

// hardWrap breaks a value without spaces (a hash, a URL) at the width,
// indenting the following lines; copying takes the whole value anyway.
func hardWrap(v string, width, indent int) string {
	width = max(width, 8)
	var parts []string
	for v != "" {
		var head string
		head, v = termtext.SplitWidth(v, width)
		parts = append(parts, head)
	}
	return strings.Join(parts, "\n"+strings.Repeat(" ", indent))
}

// howTo says what to do with the records, and what wildcard and bare
// names mean for them.
func howTo(snap watch.Snapshot, lang string) string {
	var b strings.Builder
	switch {
	case snap.Detail.Status == api.StatusDNSAdded:
		// The watch's Why says it: nothing to do.
	case api.MethodOf(snap.Detail.VerifyType) == api.MethodDNSAuto:
		b.WriteString(txtHowAuto.In(lang))
	case len(snap.Records) > 0 && snap.Records[0].Method() == api.MethodFile:
		b.WriteString(txtHowFile.In(lang))
	default:
		b.WriteString(txtHowDNS.In(lang))
	}
	// In the records' order, so the same round always says the same.
	names := map[string]bool{}
	sameName := map[string]int{}
	for _, r := range snap.Records {
		names[recordDomain(r)] = true
		if r.Method() != api.MethodFile {
			sameName[r.FQDN]++
		}
	}
	for _, r := range snap.Records {
		if n := sameName[r.FQDN]; n > 1 && r.Method() != api.MethodFile {
			// A wildcard and its bare name: two values at one name.
			b.WriteString(sep(b.Len()) + fmt.Sprintf(txtHowTwoValues.In(lang), n, safe.Text(strings.TrimSuffix(r.FQDN, "."))))
			break
		}
	}
	for _, r := range snap.Records {
		if n := recordDomain(r); strings.HasPrefix(n, "*.") {
			b.WriteString(sep(b.Len()) + fmt.Sprintf(txtHowWildcard.In(lang), safe.Text(n), safe.Text(strings.TrimPrefix(n, "*."))))
			break
		}
	}
	for _, r := range snap.Records {
		if n := recordDomain(r); strings.HasPrefix(n, "www.") && names[strings.TrimPrefix(n, "www.")] {
			how := txtHowBareWWW
			if r.Method() == api.MethodFile {
				how = txtHowBareWWWFile
			}
			b.WriteString(sep(b.Len()) + fmt.Sprintf(how.In(lang), safe.Text(strings.TrimPrefix(n, "www.")), safe.Text(n)))
			break
		}
	}
	return b.String()
}

// sep is the space between sentences, none before the first.
func sep(n int) string {
	if n == 0 {
		return ""
	}
	return " "
}

func kindWords(typ, lang string) string {
	if api.MethodOf(typ) == api.MethodFile {
		return txtKindFile.In(lang)
	}
	return fmt.Sprintf(txtKindDNS.In(lang), safe.Text(typ))
}

// localWords is the record's verdict in a line, in its colour.
func localWords(r watch.RecordState, lang string) string {
	v := r.Verdict()
	style := warnStyle
	switch {
	case v.Found():
		style = goodStyle
	case v.Outcome == watch.Other && v.Err == "":
		style = badStyle
	}
	return style.Render(termtext.VerdictLine(v, lang))
}

// checkLabels label the local check's line and Tencent's. Tencent is
// asked at most once a minute, so its answer may lag behind certwiz's own
// look: then the labels say first which is the latest and how old
// Tencent's is.
func checkLabels(at time.Time, lang string) (local, tencent string) {
	if at.IsZero() {
		return txtHere.In(lang), txtTencent.In(lang)
	}
	ago := time.Since(at).Round(time.Second)
	if ago < 5*time.Second {
		return txtHere.In(lang), txtTencent.In(lang)
	}
	return txtHereLatest.In(lang), fmt.Sprintf(txtTencentAgo.In(lang), ago)
}

// tencentWords is Tencent's look at a record and the CA's, in a line.
func tencentWords(c *api.DomainCheck, lang string) string {
	if c == nil {
		return mutedStyle.Render(txtNotAsked.In(lang))
	}
	words := api.LocalCheckText(c.LocalCheck).In(lang)
	if c.Reason != "" && c.LocalCheck != 1 {
		words += " (" + safe.Text(c.Reason) + ")"
	}
	if c.CaCheck == 2 {
		words += " · " + txtCAPassed.In(lang)
	}
	if c.Frequently {
		words += " · " + txtFrequently.In(lang)
	}
	return words
}
