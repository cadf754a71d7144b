package api

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The 26 parameters of api.md, in its order, and IsDV (lifecycle.md: a
// boolean added to the action later). The catalogue and the Request struct
// must both hold exactly these.
var apiMDParams = []string{
	"CertificateId", "IsDV", "CsrType", "CsrContent", "CertificateDomain", "DomainList", "KeyPassword",
	"OrganizationName", "OrganizationDivision", "OrganizationAddress", "OrganizationCountry",
	"OrganizationRegion", "OrganizationCity", "PostalCode", "PhoneAreaCode", "PhoneNumber",
	"AdminFirstName", "AdminLastName", "AdminPhoneNum", "AdminEmail", "AdminPosition",
	"ContactFirstName", "ContactLastName", "ContactEmail", "ContactNumber", "ContactPosition",
	"VerifyType",
}

func TestCatalogueMatchesAPIAndRequest(t *testing.T) {
	var names []string
	for _, f := range Fields {
		names = append(names, f.Name)
		if f.Label.EN == "" || f.Label.ZH == "" || f.Hint.EN == "" || f.Hint.ZH == "" {
			t.Errorf("%s lacks a label or hint in one language", f.Name)
		}
		if f.Step == "" || (f.Kind != KindChoice && f.Kind != KindBool && f.check == nil) {
			t.Errorf("%s lacks a step or validator", f.Name)
		}
	}
	if !slices.Equal(names, apiMDParams) {
		t.Fatalf("catalogue = %v\nwant %v", names, apiMDParams)
	}
	rt := reflect.TypeFor[Request]()
	if rt.NumField() != len(apiMDParams) {
		t.Fatalf("Request has %d fields, want %d", rt.NumField(), len(apiMDParams))
	}
	for i := range rt.NumField() {
		sf := rt.Field(i)
		if sf.Tag.Get("json") != sf.Name+",omitempty" {
			t.Errorf("field %s has json tag %q", sf.Name, sf.Tag.Get("json"))
		}
		if _, ok := Lookup(sf.Name); !ok {
			t.Errorf("Request.%s is not in the catalogue", sf.Name)
		}
	}
}

func TestNeedMatchesAPIMD(t *testing.T) {
	optional := []string{"IsDV", "DomainList", "KeyPassword", "PostalCode", "VerifyType"}
	for _, f := range Fields {
		var want Need
		switch {
		case f.Name == "CertificateId" || f.Name == "CsrType" || f.Name == "CertificateDomain":
			want = Always
		case f.Name == "CsrContent":
			want = WhenParse
		case slices.Contains(optional, f.Name):
			want = Optional
		default:
			want = Required
		}
		if f.Need != want {
			t.Errorf("%s: need %d, want %d", f.Name, f.Need, want)
		}
	}
}

func TestSuggestCatchesCommonMisspellings(t *testing.T) {
	for in, want := range map[string]string{
		"OrganisationName": "OrganizationName",
		"certificateid":    "CertificateId",
		"admin_email":      "AdminEmail",
		"Nonsense":         "",
	} {
		if got := Suggest(in); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCountries(t *testing.T) {
	if len(Countries) != 249 {
		t.Fatalf("%d countries, want the 249 of ISO 3166-1", len(Countries))
	}
	seen := map[string]bool{}
	for _, c := range Countries {
		if len(c.Code) != 2 || seen[c.Code] || c.Name.EN == "" || c.Name.ZH == "" {
			t.Errorf("bad or duplicate entry %+v", c)
		}
		seen[c.Code] = true
	}
	cn, ok := CountryByCode("CN")
	if !ok || cn.Label() != "CN — China 中国" {
		t.Fatalf("CN = %+v", cn)
	}
	if _, ok := CountryByCode("XX"); ok {
		t.Fatal("XX accepted")
	}
}

// KeyPassword's hint says what it protects: the .jks and .pfx files in
// Tencent's archive, not the key certwiz writes for nginx and Apache.
func TestKeyPasswordHintSaysWhatItProtects(t *testing.T) {
	f, _ := Lookup("KeyPassword")
	for _, lang := range []string{English, Chinese} {
		h := f.Hint.In(lang)
		if !strings.Contains(h, ".jks") || !strings.Contains(h, ".pfx") || !strings.Contains(h, "nginx") || strings.Contains(h, "jks/pfx") {
			t.Errorf("%s hint %q", lang, h)
		}
	}
}
