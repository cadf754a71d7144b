package termtext

import (
	"fmt"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/watch"
	"github.com/certwiz/certwiz/ui/safe"
)

// txtNotSentYet names the command that sends an order to the CA.
var txtNotSentYet = api.Text{EN: "Certificate %s has not been sent to the CA yet: send it with %s.", ZH: "证书 %s 尚未发送给 CA：请用 %s 发送。"}

// Why is what the watch says of a round, made safe: for an order not sent
// to the CA yet, the command that sends it goes through CommandLine (it
// names the answer's CertificateId).
func Why(snap watch.Snapshot, lang string) string {
	if id := snap.Detail.CertificateId; snap.Detail.Status == api.StatusAwaitingInfo {
		return fmt.Sprintf(txtNotSentYet.In(lang), safe.Text(id), CommandLine("certwiz", "commit", id))
	}
	return safe.Text(snap.Why.In(lang))
}

// VerdictLine says a record's verdict (the watch's) in a line, made safe,
// with its mark: ✓ found, ? not checked, ≠ another value, ✗ not yet. The
// validation screen, its accessible lines and certwiz status show it.
func VerdictLine(v watch.Verdict, lang string) string {
	mark := "✗"
	switch {
	case v.Found():
		mark = "✓"
	case v.Err != "":
		mark = "?"
	case v.Outcome == watch.Other:
		mark = "≠"
	}
	return mark + " " + safe.Text(v.Reason().In(lang))
}

// ShortTime is a time the service gave, for a list: its day, with minute
// its minute too. What does not read as a time is given back as it came
// (the caller escapes it), never cut.
func ShortTime(s string, minute bool) string {
	t, ok := watch.Time(s)
	switch {
	case !ok:
		return s
	case minute:
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("2006-01-02")
}
