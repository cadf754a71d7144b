package sandbox

import (
	"net/http"
	"strings"
	"testing"
)

// Tencent's published TC3-HMAC-SHA256 example (api.md), byte for byte.
const (
	katSecretID  = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
	katSecretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
	katTimestamp = 1551113065
	katBody      = `{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`
	katBodyHash  = "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
	katCanonHash = "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
	katSignature = "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
)

func katRequest(t *testing.T) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, "https://cvm.tencentcloudapi.com/", strings.NewReader(katBody))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	r.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential="+katSecretID+"/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature="+katSignature)
	return r
}

func TestKnownAnswerVector(t *testing.T) {
	r := katRequest(t)
	if got := sha256Hex([]byte(katBody)); got != katBodyHash {
		t.Fatalf("body hash = %s, want %s", got, katBodyHash)
	}
	auth, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	if auth.SecretID != katSecretID || auth.Date != "2019-02-25" || auth.Service != "cvm" {
		t.Fatalf("parsed %+v", auth)
	}
	header := func(name string) string {
		if name == "host" {
			return r.Host
		}
		return r.Header.Get(name)
	}
	canonical := CanonicalRequest(header, auth.SignedHeaders, []byte(katBody))
	wantCanonical := "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n" + katBodyHash
	if canonical != wantCanonical {
		t.Fatalf("canonical request:\n%q\nwant\n%q", canonical, wantCanonical)
	}
	if got := sha256Hex([]byte(canonical)); got != katCanonHash {
		t.Fatalf("canonical hash = %s, want %s", got, katCanonHash)
	}
	if got := Signature(katSecretKey, "cvm", katTimestamp, canonical); got != katSignature {
		t.Fatalf("signature = %s, want %s", got, katSignature)
	}
}

func TestParseAuthorizationRefusesMalformed(t *testing.T) {
	for _, h := range []string{
		"",
		"Basic abc",
		"TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host",
		"TC3-HMAC-SHA256 Credential=AKID/2019-02-25/tc3_request, SignedHeaders=content-type;host, Signature=" + katSignature,
		"TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/other, SignedHeaders=content-type;host, Signature=" + katSignature,
		"TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=short",
		"TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, Extra=1, SignedHeaders=content-type;host, Signature=" + katSignature,
	} {
		if _, err := ParseAuthorization(h); err == nil {
			t.Errorf("ParseAuthorization(%q) accepted a malformed header", h)
		}
	}
}
