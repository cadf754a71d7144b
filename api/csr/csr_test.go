package csr

import (
	"bytes"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func needOpenSSL(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Fatal("openssl is required: it is the independent source of CSRs (.ci/run installs it)")
	}
}

func openssl(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("openssl", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// opensslView is what `openssl req -noout -text` says about a CSR.
type opensslView struct {
	subject [][2]string // long name, value
	keyAlg  string
	bits    int
	curve   string
	sans    []string // as openssl prints them: DNS:x, IP Address:y, email:z
}

func readWithOpenSSL(t *testing.T, path string) opensslView {
	t.Helper()
	text := openssl(t, "req", "-in", path, "-noout", "-text", "-nameopt", "multiline,utf8,-esc_msb")
	var v opensslView
	lines := strings.Split(text, "\n")
	inSubject := false
	for i, line := range lines {
		l := strings.TrimSpace(line)
		switch {
		case l == "Subject:":
			inSubject = true
		case strings.HasPrefix(l, "Subject Public Key Info:"):
			inSubject = false
		case inSubject:
			k, val, _ := strings.Cut(l, "=")
			v.subject = append(v.subject, [2]string{strings.TrimSpace(k), strings.TrimSpace(val)})
		case strings.HasPrefix(l, "Public Key Algorithm:"):
			v.keyAlg = strings.TrimSpace(strings.TrimPrefix(l, "Public Key Algorithm:"))
		case strings.HasPrefix(l, "Public-Key: ("):
			v.bits, _ = strconv.Atoi(strings.Fields(strings.TrimPrefix(l, "Public-Key: ("))[0])
		case strings.HasPrefix(l, "NIST CURVE:"):
			v.curve = strings.TrimSpace(strings.TrimPrefix(l, "NIST CURVE:"))
		case strings.HasPrefix(l, "X509v3 Subject Alternative Name"):
			for _, s := range strings.Split(strings.TrimSpace(lines[i+1]), ", ") {
				v.sans = append(v.sans, s)
			}
		}
	}
	return v
}

// Every CSR openssl makes is read exactly as openssl itself reads it.
func TestReadsOpenSSLCSRsExactly(t *testing.T) {
	needOpenSSL(t)
	dir := t.TempDir()
	cases := []struct {
		name    string
		key     []string
		subject string
		sans    string
	}{
		{"rsa2048-sans", []string{"-newkey", "rsa:2048"}, "/C=CN/ST=Guangdong/L=Shenzhen/O=Example Technology Co., Ltd./OU=IT/CN=www.example.com", "DNS:www.example.com,DNS:example.com,IP:10.0.0.1,email:admin@example.com"},
		{"rsa4096-nosans", []string{"-newkey", "rsa:4096"}, "/CN=www.example.com/O=Example", ""},
		{"p256-utf8", []string{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"}, "/C=CN/ST=广东省/L=深圳市/O=腾讯科技（深圳）有限公司/OU=运维部/CN=*.example.com", "DNS:*.example.com,DNS:example.com"},
		{"p384", []string{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"}, "/CN=shop.example.com/emailAddress=ops@example.com", "DNS:shop.example.com"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name+".csr")
			args := append([]string{"req", "-new", "-nodes", "-utf8", "-keyout", filepath.Join(dir, c.name+".key"), "-subj", c.subject, "-out", path}, c.key...)
			if c.sans != "" {
				args = append(args, "-addext", "subjectAltName="+c.sans)
			}
			openssl(t, args...)
			data, _ := os.ReadFile(path)
			info, err := Read(data)
			if err != nil {
				t.Fatal(err)
			}
			want := readWithOpenSSL(t, path)
			var got [][2]string
			for _, a := range info.Subject {
				got = append(got, [2]string{a.Long, a.Value})
			}
			if !slices.Equal(got, want.subject) {
				t.Errorf("subject %q, openssl %q", got, want.subject)
			}
			alg := map[string]string{"rsaEncryption": "RSA", "id-ecPublicKey": "ECDSA"}[want.keyAlg]
			if info.KeyAlgorithm != alg || info.KeyBits != want.bits || info.Curve != want.curve {
				t.Errorf("key %s %d %s, openssl %s %d %s", info.KeyAlgorithm, info.KeyBits, info.Curve, want.keyAlg, want.bits, want.curve)
			}
			var sans []string
			for _, n := range info.DNSNames {
				sans = append(sans, "DNS:"+n)
			}
			for _, ip := range info.IPAddresses {
				sans = append(sans, "IP Address:"+ip)
			}
			for _, e := range info.EmailAddresses {
				sans = append(sans, "email:"+e)
			}
			slices.Sort(sans)
			slices.Sort(want.sans)
			if !slices.Equal(sans, want.sans) {
				t.Errorf("SANs %q, openssl %q", sans, want.sans)
			}
			if info.PEM != strings.TrimSpace(string(data)) {
				t.Error("a clean PEM file is not kept verbatim")
			}
			if info.KeyProblem() != nil {
				t.Errorf("a strong key refused: %v", info.KeyProblem())
			}
		})
	}
}

func TestReadFormats(t *testing.T) {
	data, err := os.ReadFile("../testdata/rsa2048.csr")
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	clean := strings.TrimSpace(string(data))
	for name, in := range map[string][]byte{
		"CRLF":             bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")),
		"DER":              block.Bytes,
		"surrounding text": append(append([]byte("Here is my CSR:\n\n"), data...), []byte("\nThanks!\n")...),
		"old header":       pem.EncodeToMemory(&pem.Block{Type: "NEW CERTIFICATE REQUEST", Bytes: block.Bytes}),
	} {
		info, err := Read(in)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if info.CommonName != "www.example.com" || info.PEM != clean {
			t.Errorf("%s: CN %q, PEM sent differs from the canonical block", name, info.CommonName)
		}
	}
	key, _ := os.ReadFile("../testdata/rsa2048.csr")
	for name, in := range map[string]string{
		"private key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + string(key),
		"certificate": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"two CSRs":    string(key) + string(key),
		"garbage":     "hello",
	} {
		if _, err := Read([]byte(in)); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestCheckNamesEveryMissingSAN(t *testing.T) {
	data, _ := os.ReadFile("../testdata/rsa2048.csr")
	info, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	if m := info.Check("www.example.com", []string{"example.com"}); len(m) != 0 {
		t.Fatalf("matching CSR: %v", m)
	}
	m := info.Check("shop.example.com", []string{"example.com", "a.example.com", "b.example.com"})
	if len(m) != 2 || m[0].Param != "CsrContent" || m[1].Param != "DomainList" || !strings.Contains(m[1].What.EN, "a.example.com, b.example.com") {
		t.Fatalf("mismatches %+v", m)
	}
	s := info.Suggest()
	if s["CertificateDomain"] != "www.example.com" || s["DomainList"] != "example.com" || s["OrganizationName"] != "Example Technology Co., Ltd." || s["OrganizationCountry"] != "CN" {
		t.Fatalf("suggestions %v", s)
	}
}

// A generated CSR passes openssl's own verification, carries every SAN,
// matches its key file, and the key file is new and 0600.
func TestGenerateIsVerifiedByOpenSSL(t *testing.T) {
	needOpenSSL(t)
	dir := t.TempDir()
	subject := Subject{CommonName: "www.example.com", Organization: "腾讯科技（深圳）有限公司", OrganizationalUnit: "IT", Locality: "Shenzhen", Province: "Guangdong", Country: "CN"}
	for _, kt := range []KeyType{ECDSAP256, ECDSAP384, RSA2048, RSA3072} {
		t.Run(string(kt), func(t *testing.T) {
			pass := []byte(nil)
			if kt == ECDSAP384 {
				pass = []byte("correct horse battery staple")
			}
			g, err := Generate(kt, subject, []string{"example.com", "www.example.com", "xn--fsqu00a.xn--fiqs8s"}, pass)
			if err != nil {
				t.Fatal(err)
			}
			keyPath, csrPath := filepath.Join(dir, string(kt)+".key"), filepath.Join(dir, string(kt)+".csr")
			if err := WritePair(g, keyPath, csrPath); err != nil {
				t.Fatal(err)
			}
			if out := openssl(t, "req", "-in", csrPath, "-noout", "-verify"); !strings.Contains(out, "verify OK") {
				t.Fatalf("openssl req -verify: %s", out)
			}
			v := readWithOpenSSL(t, csrPath)
			if !slices.Equal(v.sans, []string{"DNS:www.example.com", "DNS:example.com", "DNS:xn--fsqu00a.xn--fiqs8s"}) {
				t.Fatalf("SANs %q", v.sans)
			}
			if !slices.Contains(v.subject, [2]string{"organizationName", "腾讯科技（深圳）有限公司"}) || !slices.Contains(v.subject, [2]string{"commonName", "www.example.com"}) {
				t.Fatalf("subject %q", v.subject)
			}
			pkeyArgs := []string{"pkey", "-in", keyPath, "-pubout"}
			if pass != nil {
				pkeyArgs = append(pkeyArgs, "-passin", "pass:"+string(pass))
			}
			if openssl(t, pkeyArgs...) != openssl(t, "req", "-in", csrPath, "-noout", "-pubkey") {
				t.Fatal("the CSR's public key does not match the key file")
			}
			for _, p := range []string{keyPath, csrPath} {
				if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
					t.Fatalf("%s has mode %o", p, fi.Mode().Perm())
				}
			}
		})
	}
}

func TestWriteNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "www.key")
	os.WriteFile(keyPath, []byte("precious"), 0o600)
	g, err := Generate(ECDSAP256, Subject{CommonName: "www.example.com"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := WritePair(g, keyPath, filepath.Join(dir, "www.csr")); err == nil || !strings.Contains(err.Error(), "never overwrites") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(keyPath); string(data) != "precious" {
		t.Fatal("the existing key was changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "www.csr")); err == nil {
		t.Fatal("a CSR was written although the key was not")
	}
}

func FuzzRead(f *testing.F) {
	data, _ := os.ReadFile("../testdata/rsa2048.csr")
	block, _ := pem.Decode(data)
	f.Add(data)
	f.Add(block.Bytes)
	f.Add([]byte("text before\n" + string(data)))
	f.Add([]byte("-----BEGIN CERTIFICATE REQUEST-----\n!!!\n-----END CERTIFICATE REQUEST-----"))
	f.Fuzz(func(t *testing.T, in []byte) {
		info, err := Read(in)
		if (info == nil) == (err == nil) {
			t.Fatalf("Read = %v, %v: want exactly one", info, err)
		}
		if err == nil {
			again, err := Read([]byte(info.PEM))
			if err != nil || again.CommonName != info.CommonName {
				t.Fatalf("the PEM certwiz sends does not read back: %v", err)
			}
		}
	})
}
