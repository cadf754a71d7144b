package watch

import (
	"fmt"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
)

// Outcome is a record's verdict in a word.
type Outcome int

const (
	// NotFound: no server has the record yet, and none has another value.
	NotFound Outcome = iota
	// Found: every authoritative server has it (FILE: a URL serves it),
	// or Tencent's check found it where no local check could be made.
	Found
	// Other: neither — a server has another value, or no check could be
	// made and Tencent has not found it.
	Other
)

// Verdict is what the watch concludes of one record from the local check
// and Tencent's answer. The wizard, its accessible lines and `certwiz
// status` (text and JSON) all show this one conclusion, and a snapshot
// counts the records it finds (Snapshot.Found).
type Verdict struct {
	Outcome Outcome
	// At are the servers (FILE: the URLs) that have the value, when found
	// by the local check.
	At []string
	// ByTencent: found on Tencent's word, since no local check could be
	// made (Err says why).
	ByTencent bool
	// Err is why the local check could not be made.
	Err string
	// Server has another value, Values are what it holds (Other without
	// Err).
	Server string
	Values []string
	// Asked is how many servers the local check asked (NotFound).
	Asked int
}

// Verdict decides whether the record is in place.
func (r RecordState) Verdict() Verdict {
	l := r.Local
	switch {
	case l.Found:
		var at []string
		for _, a := range l.Answers {
			// DNS: the authoritative servers; FILE: the URLs that serve it.
			if (a.Authoritative || r.Method() == api.MethodFile) && r.Holds(a) {
				at = append(at, serverName(a))
			}
		}
		return Verdict{Outcome: Found, At: at}
	case l.Err != "" || noneAnswered(l.Answers):
		// No check could be made (a FILE check whose every fetch failed
		// too): Tencent's finding stands in, and nothing was "asked".
		err := l.Err
		if err == "" {
			err = l.Answers[0].Err
		}
		if r.Tencent != nil && r.Tencent.LocalCheck == 1 {
			return Verdict{Outcome: Found, ByTencent: true, Err: err}
		}
		return Verdict{Outcome: Other, Err: err}
	}
	for _, a := range l.Answers {
		for _, v := range a.Values {
			if !dnscheck.Matches(r.Record, v) {
				return Verdict{Outcome: Other, Server: serverName(a), Values: a.Values}
			}
		}
	}
	return Verdict{Outcome: NotFound, Asked: len(l.Answers)}
}

// noneAnswered reports answers that all failed: servers (FILE: URLs)
// that could not be reached are no check at all.
func noneAnswered(answers []dnscheck.ServerAnswer) bool {
	for _, a := range answers {
		if a.Err == "" {
			return false
		}
	}
	return len(answers) > 0
}

// Holds reports whether one server's answer (FILE: one URL's) has the
// record's value, by the rule the local check counts it.
func (r RecordState) Holds(a dnscheck.ServerAnswer) bool { return dnscheck.Holds(r.Record, a) }

// Found reports the record in place.
func (v Verdict) Found() bool { return v.Outcome == Found }

// Reason says the verdict in a line, not yet made safe for a terminal:
// server names and values come from answers.
func (v Verdict) Reason() api.Text {
	switch {
	case v.ByTencent:
		return api.Text{EN: fmt.Sprintf("could not check: %s; Tencent's check found it", v.Err),
			ZH: fmt.Sprintf("无法检查：%s；腾讯云的检查已找到", v.Err)}
	case v.Outcome == Found:
		at := strings.Join(v.At, ", ")
		return api.Text{EN: fmt.Sprintf("found at %s", at), ZH: fmt.Sprintf("已在 %s 找到", at)}
	case v.Err != "":
		return api.Text{EN: fmt.Sprintf("could not check: %s", v.Err), ZH: fmt.Sprintf("无法检查：%s", v.Err)}
	case v.Outcome == Other:
		vals := strings.Join(v.Values, " ")
		return api.Text{EN: fmt.Sprintf("%s has another value: %s", v.Server, vals), ZH: fmt.Sprintf("%s 上的值不同：%s", v.Server, vals)}
	}
	return api.Text{EN: fmt.Sprintf("not found yet (%d asked)", v.Asked), ZH: fmt.Sprintf("尚未找到（已查询 %d 处）", v.Asked)}
}

// serverName names a server by its host name when known.
func serverName(a dnscheck.ServerAnswer) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Server
}
