package profiles

import (
	"slices"
	"strings"
	"testing"
)

func TestDecodeProfile(t *testing.T) {
	p, err := Decode([]byte(`version: 1
name: acme
updated: 2026-11-20T10:00:00Z
params:
  CertificateId: abcb1234
  PhoneAreaCode: 0755
  PostalCode: 518000
  DomainList:
    - a.example.com
    - b.example.com
  KeyPassword: hunter2
`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "acme" || p.Updated.Year() != 2026 || p.Params.CertificateId != "abcb1234" || p.Params.PhoneAreaCode != "0755" || p.Params.PostalCode != "518000" {
		t.Fatalf("decoded %+v", p)
	}
	if !slices.Equal(p.Params.DomainList, []string{"a.example.com", "b.example.com"}) {
		t.Fatalf("DomainList = %v", p.Params.DomainList)
	}
	if p.Params.KeyPassword != "" || len(p.Warnings) != 1 || strings.Contains(p.Warnings[0], "hunter2") {
		t.Fatalf("KeyPassword kept or shown: %+v", p)
	}
}

func TestDecodeErrorsNameLineAndKey(t *testing.T) {
	for in, want := range map[string]string{
		"version: 1\nparams:\n  CertificateId: a\n  OrganisationName: x\n": "line 4: OrganisationName: unknown parameter (did you mean OrganizationName?)",
		"version: 1\ncolour: blue\n":                                       "line 2: colour: unknown key",
		"version: 1\nCertificateId: abcb1234\n":                            "line 2: CertificateId: parameters belong under params:",
		"version: 2\n":                                                     "line 1: version: version 2 is not supported",
		"version: 1\nparams:\n  CertificateId: [a, b]\n":                   "line 3: CertificateId: must be text",
		"version: 1\nparams:\n  AdminEmail: true\n":                        "line 3: AdminEmail: must be text, not true",
		"version: 1\nparams:\n  DomainList: {a: b}\n":                      "line 3: DomainList: must be a list of names",
		"version: 1\nparams: [1]\n":                                        "line 2: params: must be a mapping",
		"- a\n- b\n":                                                       "line 1: a profile is a mapping",
		"version: 1\nparams:\n  x: [\n":                                    "not valid YAML",
		"":                                                                 "the file is empty",
	} {
		_, err := Decode([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Decode(%q) = %v, want %q", in, err, want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("version: 1\nname: a\nparams:\n  CertificateId: abcb1234\n  DomainList: [a.example.com]\n"))
	f.Add([]byte("params:\n  KeyPassword: x\n"))
	f.Add([]byte("{version: 1, params: {PhoneAreaCode: 0755}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(data)
		if err == nil && p.Params.KeyPassword != "" {
			t.Fatal("a KeyPassword survived decoding")
		}
	})
}

// Newcomer item 24: a file of parameters alone (no version, no params:)
// is the flat form, read as a profile's parameters; unknown names are
// still refused, and a profile's key beside parameters still says where
// parameters belong.
func TestFlatParameters(t *testing.T) {
	p, err := Decode([]byte("CertificateId: abcb1234\nCsrType: online\nDomainList: [a.example.com, b.example.com]\nOrganizationCountry: CN\n"))
	if err != nil || p.Params.CertificateId != "abcb1234" || p.Params.CsrType != "online" || len(p.Params.DomainList) != 2 || p.Params.OrganizationCountry != "CN" || p.Version != FormatVersion {
		t.Fatalf("flat form: %+v %v", p, err)
	}
	if _, err := Decode([]byte("CertificateId: abcb1234\nOrganisationName: Acme\n")); err == nil || !strings.Contains(err.Error(), "OrganisationName") {
		t.Fatalf("a misspelled parameter in the flat form: %v", err)
	}
	if _, err := Decode([]byte("version: 1\nCertificateId: abcb1234\n")); err == nil || !strings.Contains(err.Error(), "parameters belong under params:") {
		t.Fatalf("mixed form: %v", err)
	}
}
