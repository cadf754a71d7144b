package dnscheck

import (
	"net/http"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/miekg/dns"
)

// Holds reports whether one server's answer (FILE: one URL's) holds the
// record's value, by the rule Check and CheckFile count it: DNS, one of
// its values is the value (a CNAME's target in any case, the root's dot
// optional); FILE, the URL answered 200 with exactly the content.
func Holds(rec api.Record, a ServerAnswer) bool {
	if rec.Method() == api.MethodFile {
		return servesFile(rec, a)
	}
	for _, v := range a.Values {
		if Matches(rec, v) {
			return true
		}
	}
	return false
}

// servesFile: the URL answered 200 with exactly the file's content.
func servesFile(rec api.Record, a ServerAnswer) bool {
	return a.Err == "" && a.Status == http.StatusOK && len(a.Values) == 1 && a.Values[0] == strings.TrimSpace(rec.Value)
}

// Matches reports whether one value an answer carried is the record's.
func Matches(rec api.Record, v string) bool {
	if rec.Method() == api.MethodFile {
		return v == strings.TrimSpace(rec.Value)
	}
	qtype := dns.TypeTXT
	if strings.EqualFold(rec.Type, "CNAME") {
		qtype = dns.TypeCNAME
	}
	return contains([]string{v}, normalize(rec.Value, qtype), qtype)
}
