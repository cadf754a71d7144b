package sandbox

import (
	"io"
	"os"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
)

// The demo key the sandbox accepts unless its environment names another.
// It is public on purpose: it only opens the sandbox.
const (
	DemoSecretID  = "AKIDcertwizSandboxDemoKey0000000DEMO"
	DemoSecretKey = "certwiz-sandbox-demo-secret-key"
)

// Options configure a sandbox. Zero values take the defaults.
type Options struct {
	SecretID  string // default DemoSecretID
	SecretKey string // default DemoSecretKey
	Token     string // when set, X-TC-Token must equal it
	// Rate is how many requests of one action may start in any rolling
	// second before RequestLimitExceeded; each action counts on its own, as
	// the service does (default api.DefaultRate).
	Rate      int
	SlowDelay time.Duration // how long the slow faults wait (default 30s)
	Now       func() time.Time
	Log       io.Writer     // one line per request; nil for none
	RequestID func() string // makes RequestIds; default random UUIDs (tests fix them)
	// ExtraCertificates adds that many DV certificates awaiting
	// information, bulk00001, bulk00002…, ordered a minute apart, so that
	// listing them takes several pages.
	ExtraCertificates int

	// PublishDelay: a committed certificate's records appear on the
	// sandbox's DNS and HTTP servers this long after the commit (seeded
	// committed certificates: after New); default 20s, negative = at once.
	PublishDelay time.Duration
	// NoPublish: never publish (tests add records to servers of their own).
	NoPublish bool
	// Lookup is where the sandbox's own check and the CA's look records up;
	// nil = its own servers (Lookup), once started.
	Lookup *dnscheck.Options
	// FrequentWindow: a second Check of one certificate within it answers
	// Frequently; default 5s, negative = never (tests that check in quick
	// succession, so the answer never hangs on how fast the machine is).
	FrequentWindow time.Duration
	// IssueDelay: from a successful CA check to issuance; default 3s,
	// negative = at once.
	IssueDelay time.Duration
	// FreeLimit: how many free certificates ApplyCertificate makes before
	// it answers FailedOperation.ExceedsFreeLimit; 0 = no limit.
	FreeLimit int
	// RolloutStep: an UpdateCertificateInstance resource stays pending this
	// long, then running as long again, before it ends; default
	// DefaultRolloutStep, negative = at once.
	RolloutStep time.Duration
}

// OptionsFromEnv takes the key from TENCENTCLOUD_SECRET_ID / _SECRET_KEY
// (and _SESSION_TOKEN) when both are set.
func OptionsFromEnv() Options {
	var o Options
	id, key := os.Getenv(api.EnvSecretID), os.Getenv(api.EnvSecretKey)
	if id != "" && key != "" {
		o.SecretID, o.SecretKey, o.Token = id, key, os.Getenv(api.EnvSessionToken)
	}
	return o
}

// orDefault: zero takes the default, negative means none.
func orDefault(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

// Defaults of the validation options.
const (
	DefaultPublishDelay   = 20 * time.Second
	DefaultFrequentWindow = 5 * time.Second
	DefaultIssueDelay     = 3 * time.Second
)
