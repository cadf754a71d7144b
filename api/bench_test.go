package api

import (
	"encoding/json"
	"testing"
)

func BenchmarkValidateComplete(b *testing.B) {
	r := exampleRequest(b)
	b.ReportAllocs()
	for b.Loop() {
		if ps := Validate(r, Complete); len(ps) != 0 {
			b.Fatal(ps)
		}
	}
}

func BenchmarkValidateWithCSR(b *testing.B) {
	r := exampleRequest(b)
	r.CsrType, r.CsrContent, r.DomainList = "parse", fixtureCSR(b, "rsa2048.csr"), []string{"example.com"}
	b.ReportAllocs()
	for b.Loop() {
		if ps := Validate(r, Complete); len(ps) != 0 {
			b.Fatal(ps)
		}
	}
}

// BenchmarkEncode measures turning a Request into the JSON body the SDK sends.
func BenchmarkEncode(b *testing.B) {
	r := exampleRequest(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(r.Params()); err != nil {
			b.Fatal(err)
		}
	}
}
