// Package installation is what `certwiz install`, `certwiz renew` and the
// wizard's "install here" share about an installation
// (profiles.Installation): the one an issued certificate and the user's
// answers make, its certificate deployed (api/deploy) with the key that is
// the leaf's (api/install), and the file saved once that certificate is
// current. Every face calls it, so each saves the same installation for
// the same answers. It knows nothing of screens.
package installation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/deploy"
	"github.com/certwiz/certwiz/api/hook"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/api/live"
	"github.com/certwiz/certwiz/profiles"
)

// DefaultVerifyWait is how long the servers to check have to present a
// new certificate unless the installation says otherwise (deploy's).
const DefaultVerifyWait = deploy.DefaultVerifyWait

// Action names an installation in the history.
const Action = "Install"

// Answers are what the user said about an installation: the flags of
// `certwiz install` or the wizard's form. What is not said keeps what the
// installation of that name already holds, or the default for a new one.
type Answers struct {
	Name string // "": DefaultName of the certificate's domain
	Dir  string // absolute: the versions and DIR/current
	// DeployHook, AuthHook and CleanupHook: nil keeps the installation's
	// (none for a new one); "" removes it.
	DeployHook, AuthHook, CleanupHook *string
	// Verify are the HOST:PORT servers to check: nil keeps the
	// installation's, an empty list checks none.
	Verify      []string
	VerifyWait  time.Duration // 0: the installation's, else DefaultVerifyWait
	HookTimeout time.Duration // 0: the installation's, else hook.DefaultTimeout
	Validation  api.Method    // "": the installation's, else the certificate's method
	// Profile holds the organization and people for paid renewals: ""
	// keeps the installation's, else the profile that submitted the
	// certificate, as the history says.
	Profile string
	// Local: the certificate comes from an endpoint on this machine (the
	// sandbox): renew then renews it only against one.
	Local bool
}

// ErrNoName: the certificate's domain makes no installation name, and
// none was given.
var ErrNoName = errors.New("the certificate's domain makes no installation name")

// ElsewhereError is an installation of the name asked for that lives in
// another folder: one name, one folder.
type ElsewhereError struct{ Name, Dir, Want string }

func (e *ElsewhereError) Error() string {
	return fmt.Sprintf("the installation %q is in %s, not %s", e.Name, e.Dir, e.Want)
}

// DefaultName is the default name of a certificate's installation: its
// domain, a wildcard's "*" written "wildcard"; "" when it makes no name.
func DefaultName(domain string) string {
	n, ok := bundle.FolderName(strings.ToLower(domain))
	if !ok {
		return ""
	}
	if rest, ok := strings.CutPrefix(n, "_."); ok {
		n = "wildcard." + rest
	}
	if profiles.ValidName(n) != nil {
		return ""
	}
	return n
}

// Prepare is the installation certificate d is installed as, after a:
// the one of that name updated by the answers given, or a new one. An
// installation file that cannot be read is the store's error, as is.
// history is read only for a paid certificate with no profile yet.
func Prepare(store *profiles.Store, d api.CertificateDetail, a Answers, history func() ([]profiles.Record, error)) (profiles.Installation, error) {
	name := a.Name
	if name == "" {
		if name = DefaultName(d.Domain); name == "" {
			return profiles.Installation{}, ErrNoName
		}
	}
	in, err := store.LoadInstallation(name)
	switch {
	case errors.Is(err, profiles.ErrNoInstallation):
		in = profiles.Installation{Name: name, Dir: a.Dir}
	case err != nil:
		return in, err
	case in.Dir != a.Dir:
		return in, &ElsewhereError{Name: name, Dir: in.Dir, Want: a.Dir}
	}
	in.Domains = d.Names()
	in.Kind = profiles.KindPaid
	if d.IsFree() {
		in.Kind = profiles.KindFree
	}
	set := func(to *string, v *string) {
		if v != nil {
			*to = *v
		}
	}
	set(&in.DeployHook, a.DeployHook)
	set(&in.AuthHook, a.AuthHook)
	set(&in.CleanupHook, a.CleanupHook)
	if a.Verify != nil {
		in.Verify = slices.Clone(a.Verify)
		if len(in.Verify) == 0 {
			in.Verify = nil
		}
	}
	switch {
	case a.VerifyWait > 0:
		in.VerifyWait = a.VerifyWait
	case in.VerifyWait == 0:
		in.VerifyWait = DefaultVerifyWait
	}
	switch {
	case a.HookTimeout > 0:
		in.HookTimeout = a.HookTimeout
	case in.HookTimeout == 0:
		in.HookTimeout = hook.DefaultTimeout
	}
	switch {
	case a.Validation != "":
		in.Validation = a.Validation
	case in.Validation == "":
		in.Validation = api.MethodOf(d.VerifyType)
	}
	switch {
	case a.Profile != "":
		in.Profile = a.Profile
	case in.Profile == "" && in.Kind == profiles.KindPaid && history != nil:
		in.Profile = submittedBy(history, d.CertificateId)
	}
	in.Local = a.Local
	return in, nil
}

// submittedBy is the profile that last submitted certificate id, as the
// history says; "" when none did or the history cannot be read.
func submittedBy(history func() ([]profiles.Record, error), id string) string {
	recs, err := history()
	if err != nil {
		return ""
	}
	for _, r := range slices.Backward(recs) {
		if r.CertificateId == id && r.Profile != "" {
			return r.Profile
		}
	}
	return ""
}

// Deploy downloads certificate id, checks it covers names, and deploys it
// as installation in says: the key is Tencent's from the archive, or the
// one among keys (generated here) that the leaf is for — never another.
func Deploy(ctx context.Context, client *api.Client, in profiles.Installation, id string, names []string, keys []install.KnownKey, lang string) (deploy.Report, install.KeyCheck, error) {
	f, err := install.Fetch(ctx, client, id, func() ([]string, error) { return names, nil })
	if err != nil {
		return deploy.Report{}, install.KeyCheck{}, err
	}
	key, check, err := f.Key(keys, lang)
	if err != nil {
		return deploy.Report{}, check, err
	}
	wait := in.VerifyWait
	if wait <= 0 {
		wait = DefaultVerifyWait
	}
	r, err := deploy.Deploy(ctx, deploy.Plan{
		Name: in.Name, Dir: in.Dir,
		Cert:        live.Issued{CertificateID: id, ChainPEM: []byte(f.Info.ChainPEM), KeyPEM: key},
		Hook:        in.DeployHook,
		HookTimeout: in.HookTimeout,
		Verify:      in.Verify,
		VerifyWait:  wait,
	})
	return r, check, err
}

// Current reports whether a deployment that ended with err left
// certificate id current: it succeeded, or it failed with no previous
// version to switch back to.
func Current(r deploy.Report, err error) bool {
	var failed *deploy.Failed
	if err != nil && !errors.As(err, &failed) {
		return false
	}
	return err == nil || !r.RolledBack
}

// Keep saves in with certificate id current when the deployment that
// ended with err left it so; it reports whether id is current. An
// installation whose certificate did not become current is not saved:
// the file keeps naming the certificate servers read.
func Keep(store *profiles.Store, in *profiles.Installation, id string, r deploy.Report, err error) (bool, error) {
	if !Current(r, err) {
		return false, nil
	}
	in.SetCertificate(id)
	if in.Renewing != nil && in.Renewing.Certificate == id {
		// The renewal in flight is what was just installed: renew must not
		// install it again.
		in.Renewing = nil
	}
	if err := store.SaveInstallation(*in); err != nil {
		return true, fmt.Errorf("save the installation %q: %w", in.Name, err)
	}
	return true, nil
}

// Outcome is a deployment's outcome in the history.
func Outcome(err error) string {
	var failed *deploy.Failed
	switch {
	case err == nil:
		return profiles.OutcomeOK
	case errors.As(err, &failed) && failed.Report.RolledBack:
		return "ClientError.RolledBack"
	case errors.As(err, &failed):
		return "ClientError.DeployFailed"
	}
	var e *api.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "ClientError.NotInstalled"
}
