package api

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

// Environment variables of the credential chain.
const (
	EnvSecretID     = "TENCENTCLOUD_SECRET_ID"
	EnvSecretKey    = "TENCENTCLOUD_SECRET_KEY"
	EnvSessionToken = "TENCENTCLOUD_SESSION_TOKEN"
)

// Credentials is a signing key and where it came from. It never prints the
// SecretKey or token: String shows the source and the masked SecretId.
type Credentials struct {
	cred     common.CredentialIface
	Source   string   // e.g. "environment (TENCENTCLOUD_SECRET_ID)"
	source   Text     // Source in both languages; empty when Source is already the user's words
	Warnings []string // things the user should fix, e.g. stray whitespace
}

// StaticCredentials wraps a known key, e.g. the sandbox's demo key.
func StaticCredentials(secretID, secretKey, token, source string) Credentials {
	return Credentials{cred: common.NewTokenCredential(secretID, secretKey, token), Source: source}
}

// SecretID returns the SecretId masked to its last four characters.
func (c Credentials) SecretID() string {
	if c.cred == nil {
		return ""
	}
	return MaskSecretID(c.cred.GetSecretId())
}

// String says which source is used, with the SecretId masked.
func (c Credentials) String() string {
	return fmt.Sprintf("%s, SecretId %s", c.Source, c.SecretID())
}

// In is String in the user's language.
func (c Credentials) In(lang string) string {
	if IsChinese(lang) && c.source.ZH != "" {
		return fmt.Sprintf("%s，SecretId %s", c.source.ZH, c.SecretID())
	}
	return c.String()
}

// MaskSecretID hides all but the last four characters of a SecretId.
func MaskSecretID(id string) string {
	// A fixed-width mask hides the length too.
	if len(id) <= 4 {
		return "****"
	}
	return "****" + id[len(id)-4:]
}

// roleTimeout bounds the CVM metadata probe: off Tencent Cloud it must not stall the CLI.
const roleTimeout = 1500 * time.Millisecond

// FindCredentials walks the chain of ux.md, first found wins: environment
// (with an optional session token), the ~/.tencentcloud/credentials file
// (or $TENCENTCLOUD_CREDENTIALS_FILE), the tccli profile ($TCCLI_PROFILE,
// default "default"), then the CVM instance role when instanceRole is set.
// The SDK's providers do the reading; certwiz adds the token, the order,
// the naming of the source and the clear error when nothing is found.
func FindCredentials(instanceRole bool) (Credentials, error) {
	if c, ok, err := envCredentials(); ok || err != nil {
		return c, err
	}
	file := os.Getenv(common.EnvCredentialFile)
	if file == "" {
		file = "~/.tencentcloud/credentials"
	}
	tccli := os.Getenv(common.EnvTCCLIProfile)
	if tccli == "" {
		tccli = "default"
	}
	type step struct {
		source   Text
		provider common.Provider
	}
	steps := []step{
		{Text{"credentials file " + file, "凭证文件 " + file}, common.DefaultProfileProvider()},
		{Text{"tccli profile " + tccli + " (~/.tccli/" + tccli + ".credential)", "tccli 配置 " + tccli + "（~/.tccli/" + tccli + ".credential）"}, common.DefaultTccliProfileProvider()},
	}
	if instanceRole {
		steps = append(steps, step{Text{"CVM instance role", "CVM 实例角色"}, timedProvider{common.DefaultCvmRoleProvider(), roleTimeout}})
	}
	for _, s := range steps {
		cred, err := common.NewProviderChain([]common.Provider{s.provider}).GetCredential()
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return Credentials{}, &Error{Code: CodeCredentials, Message: fmt.Sprintf("%s: %s", s.source.EN, sdkMessage(err)), Err: err}
		}
		return Credentials{cred: cred, Source: s.source.EN, source: s.source}, nil
	}
	return Credentials{}, &Error{Code: CodeCredentials,
		Message: "no credentials found: not in " + EnvSecretID + "/" + EnvSecretKey + ", " + file + ", nor the tccli profile " + tccli}
}

func envCredentials() (Credentials, bool, error) {
	id, idSet := os.LookupEnv(EnvSecretID)
	key, keySet := os.LookupEnv(EnvSecretKey)
	if !idSet && !keySet {
		return Credentials{}, false, nil
	}
	if id == "" || key == "" {
		missing := EnvSecretKey
		if id == "" {
			missing = EnvSecretID
		}
		return Credentials{}, false, &Error{Code: CodeCredentials, Message: missing + " is empty or unset while its partner is set: set both, or neither"}
	}
	c := Credentials{source: Text{"environment (" + EnvSecretID + ")", "环境变量（" + EnvSecretID + "）"}}
	token := os.Getenv(EnvSessionToken)
	// Stray whitespace from a copy-paste is the commonest cause of
	// AuthFailure.SecretIdNotFound: drop it and say so.
	for _, v := range []struct {
		name string
		val  *string
	}{{EnvSecretID, &id}, {EnvSecretKey, &key}, {EnvSessionToken, &token}} {
		if t := strings.TrimSpace(*v.val); t != *v.val {
			*v.val = t
			c.Warnings = append(c.Warnings, v.name+" had surrounding whitespace; certwiz ignored it")
		}
	}
	if token != "" {
		c.source = Text{"environment (" + EnvSecretID + " with " + EnvSessionToken + ")", "环境变量（" + EnvSecretID + " 及 " + EnvSessionToken + "）"}
	}
	c.cred, c.Source = common.NewTokenCredential(id, key, token), c.source.EN
	return c, true, nil
}

// isNotFound tells "this source has nothing" from "this source is broken":
// a one-provider SDK chain answers its own not-found message for the former.
func isNotFound(err error) bool {
	var e *tcerr.TencentCloudSDKError
	return errors.As(err, &e) && e.Message == "no credential found in every providers"
}

func sdkMessage(err error) string {
	var e *tcerr.TencentCloudSDKError
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// timedProvider gives up on a provider that does not answer in time.
type timedProvider struct {
	p       common.Provider
	timeout time.Duration
}

func (t timedProvider) GetCredential() (common.CredentialIface, error) {
	type result struct {
		c   common.CredentialIface
		err error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := t.p.GetCredential()
		ch <- result{c, err}
	}()
	select {
	case r := <-ch:
		return r.c, r.err
	case <-time.After(t.timeout):
		// Treat as "no role": the SDK chain skips providers that have nothing.
		return common.NewProviderChain(nil).GetCredential()
	}
}
