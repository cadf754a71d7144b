package api

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// isolate clears every credential source for the test.
func isolate(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	for _, v := range []string{EnvSecretID, EnvSecretKey, EnvSessionToken, "TENCENTCLOUD_CREDENTIALS_FILE", "TCCLI_PROFILE"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	return home
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCredentialChainOrder(t *testing.T) {
	home := isolate(t)
	write(t, filepath.Join(home, ".tccli", "work.credential"), `{"secretId":"AKIDtccli0000WORK","secretKey":"k3","token":"t3"}`)
	t.Setenv("TCCLI_PROFILE", "work")
	c, err := FindCredentials(false)
	if err != nil || !strings.HasPrefix(c.Source, "tccli profile work") || c.SecretID() != "****WORK" {
		t.Fatalf("tccli: %v %v", c, err)
	}
	if _, _, tok := c.cred.GetCredential(); tok != "t3" {
		t.Fatalf("tccli token = %q", tok)
	}

	write(t, filepath.Join(home, ".tencentcloud", "credentials"), "[default]\nsecret_id = AKIDfile0000FILE\nsecret_key = k2\n")
	c, err = FindCredentials(false)
	if err != nil || !strings.HasPrefix(c.Source, "credentials file") || c.SecretID() != "****FILE" {
		t.Fatalf("file: %v %v", c, err)
	}

	t.Setenv(EnvSecretID, " AKIDenv00000ENV1 ")
	t.Setenv(EnvSecretKey, "k1")
	t.Setenv(EnvSessionToken, "tok")
	c, err = FindCredentials(false)
	if err != nil || !strings.Contains(c.Source, "environment") || !strings.Contains(c.Source, EnvSessionToken) || c.SecretID() != "****ENV1" {
		t.Fatalf("env: %v %v", c, err)
	}
	if id, key, tok := c.cred.GetCredential(); id != "AKIDenv00000ENV1" || key != "k1" || tok != "tok" {
		t.Fatalf("env credential = %q %q %q", id, key, tok)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], EnvSecretID) {
		t.Fatalf("warnings = %v", c.Warnings)
	}
	if strings.Contains(c.String(), "k1") || strings.Contains(c.String(), "AKIDenv") {
		t.Fatalf("String() shows a secret: %s", c)
	}
}

func TestNoCredentials(t *testing.T) {
	isolate(t)
	_, err := FindCredentials(false)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeCredentials || e.ExitCode() != ExitAuth {
		t.Fatalf("err = %v", err)
	}
}

func TestHalfSetEnvironmentIsAnError(t *testing.T) {
	isolate(t)
	t.Setenv(EnvSecretID, "AKIDonly")
	_, err := FindCredentials(false)
	if err == nil || !strings.Contains(err.Error(), EnvSecretKey) {
		t.Fatalf("err = %v", err)
	}
}

func TestBrokenCredentialsFileIsNamed(t *testing.T) {
	home := isolate(t)
	write(t, filepath.Join(home, ".tencentcloud", "credentials"), "[default]\nsecret_id = AKIDx\n")
	_, err := FindCredentials(false)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeCredentials || !strings.Contains(e.Message, "credentials file") {
		t.Fatalf("err = %v", err)
	}
}

func TestMaskSecretID(t *testing.T) {
	for in, want := range map[string]string{"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE": "****MPLE", "abc": "****", "": "****"} {
		if got := MaskSecretID(in); got != want {
			t.Errorf("MaskSecretID(%q) = %q, want %q", in, got, want)
		}
	}
}

// The source is said in the user's language; the key itself never.
func TestCredentialsSourceInChinese(t *testing.T) {
	t.Setenv(EnvSecretID, "AKIDexample0000000000000000000001234")
	t.Setenv(EnvSecretKey, "not-to-be-printed")
	t.Setenv(EnvSessionToken, "")
	c, err := FindCredentials(false)
	if err != nil {
		t.Fatal(err)
	}
	zh, en := c.In(Chinese), c.In(English)
	if zh != "环境变量（TENCENTCLOUD_SECRET_ID），SecretId ****1234" || en != c.String() || strings.Contains(zh+en, "not-to-be-printed") {
		t.Fatalf("zh %q, en %q", zh, en)
	}
}
