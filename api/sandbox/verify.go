package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// This verifier is written from api.md's description of TC3-HMAC-SHA256,
// independently of the SDK's signer, so the two check each other.

// Authorization is a parsed TC3 Authorization header.
type Authorization struct {
	SecretID      string
	Date          string // YYYY-MM-DD (UTC)
	Service       string
	SignedHeaders []string
	Signature     string
}

var errBadAuthorization = errors.New("authorization is not TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…")

// ParseAuthorization reads "TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=a;b, Signature=HEX".
func ParseAuthorization(h string) (Authorization, error) {
	alg, rest, ok := strings.Cut(h, " ")
	if !ok || alg != "TC3-HMAC-SHA256" {
		return Authorization{}, errBadAuthorization
	}
	var a Authorization
	var scope string
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return Authorization{}, errBadAuthorization
		}
		switch k {
		case "Credential":
			scope = v
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			a.Signature = v
		default:
			return Authorization{}, errBadAuthorization
		}
	}
	p := strings.Split(scope, "/")
	if len(p) != 4 || p[3] != "tc3_request" || p[0] == "" || len(a.SignedHeaders) == 0 || len(a.Signature) != 64 {
		return Authorization{}, errBadAuthorization
	}
	a.SecretID, a.Date, a.Service = p[0], p[1], p[2]
	return a, nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// CanonicalRequest builds the canonical request of a POST to "/" from the
// signed headers' values as received ("host" is the Host header verbatim).
func CanonicalRequest(header func(name string) string, signed []string, body []byte) string {
	var b strings.Builder
	b.WriteString("POST\n/\n\n")
	for _, name := range signed {
		b.WriteString(name + ":" + strings.TrimSpace(header(name)) + "\n")
	}
	b.WriteString("\n" + strings.Join(signed, ";") + "\n" + sha256Hex(body))
	return b.String()
}

// Signature computes the TC3 signature of a canonical request.
func Signature(secretKey, service string, timestamp int64, canonical string) string {
	date := time.Unix(timestamp, 0).UTC().Format("2006-01-02")
	toSign := "TC3-HMAC-SHA256\n" + strconv.FormatInt(timestamp, 10) + "\n" + date + "/" + service + "/tc3_request\n" + sha256Hex([]byte(canonical))
	kDate := hmacSHA256([]byte("TC3"+secretKey), date)
	kService := hmacSHA256(kDate, service)
	kSigning := hmacSHA256(kService, "tc3_request")
	return hex.EncodeToString(hmacSHA256(kSigning, toSign))
}
