package api_test

import (
	"testing"

	"github.com/certwiz/certwiz/api"
)

// Methods are read as --verify-type and the request's normalization read
// them: any case, spaces around ignored; anything else is none.
func TestParseMethod(t *testing.T) {
	for in, want := range map[string]api.Method{
		"DNS_AUTO": api.MethodDNSAuto, " dns_auto ": api.MethodDNSAuto, "Dns": api.MethodDNS, "file": api.MethodFile,
		"": "", "EMAIL": "", "DNS AUTO": "",
	} {
		m, ok := api.ParseMethod(in)
		if m != want || ok != (want != "") {
			t.Errorf("ParseMethod(%q) = %q, %v; want %q", in, m, ok, want)
		}
	}
	if api.Method("").Label() != "DNS" || api.MethodFile.Label() != "FILE" {
		t.Errorf("labels %q %q", api.Method("").Label(), api.MethodFile.Label())
	}
	for typ, want := range map[string]api.Method{"TXT": api.MethodDNS, "CNAME": api.MethodDNS, "FILE": api.MethodFile, "file": api.MethodFile} {
		if got := (api.Record{Type: typ}).Method(); got != want {
			t.Errorf("record of type %s: method %q, want %q", typ, got, want)
		}
	}
}
