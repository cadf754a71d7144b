package profiles

import (
	"strings"
	"testing"
)

// csr: holds the wizard's CSR choices, read back as written; never a
// passphrase, and its paths are checked like keyFile's.
func TestCSRChoiceInTheProfileFormat(t *testing.T) {
	c := CSRChoice{Mode: "generate", KeyType: "rsa-3072", KeyPath: "/home/me/shop.key", Encrypt: true, File: "/home/me/shop.csr"}
	data := Encode(Profile{Name: "x", CSR: c}, nil, "")
	if !strings.Contains(string(data), "\ncsr:\n  mode: generate\n  keyType: rsa-3072\n  keyPath: /home/me/shop.key\n  file: /home/me/shop.csr\n  encrypt: true\n") {
		t.Fatalf("encoded:\n%s", data)
	}
	p, err := Decode(data)
	if err != nil || p.CSR != c {
		t.Fatalf("decoded %+v %v", p.CSR, err)
	}
	for doc, want := range map[string]string{
		"csr:\n  passphrase: x\n":  "csr.passphrase: unknown key",
		"csr:\n  keyPath: k.key\n": "keyPath: must be an absolute path",
		"csr:\n  mode: online\n":   `mode "online": only generate`,
		"csr: generate\n":          "csr: must be a mapping",
	} {
		if _, err := Decode([]byte("version: 1\n" + doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", doc, err, want)
		}
	}
	if strings.Contains(string(Encode(Profile{Name: "x"}, nil, "")), "csr") {
		t.Fatal("an empty csr: is written")
	}
}

func TestCSRChoiceKeptBySave(t *testing.T) {
	s, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := CSRChoice{Mode: "generate", KeyType: "ecdsa-p384", Encrypt: true}
	if err := s.Save(Profile{Name: "acme", CSR: c}); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Load("acme"); err != nil || p.CSR != c {
		t.Fatalf("loaded %+v %v", p.CSR, err)
	}
}
