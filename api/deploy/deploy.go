// Package deploy puts an issued certificate live on this machine: it
// installs it (api/live), runs the deploy hook that makes servers load it
// (api/hook) and checks that each server presents it (api/tlsverify).
// When the hook fails or a server keeps presenting something else, it
// switches DIR/current back to the previous version and runs the hook
// again, and says what each server presented. It knows nothing of
// screens.
package deploy

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/hook"
	"github.com/certwiz/certwiz/api/live"
	"github.com/certwiz/certwiz/api/tlsverify"
)

// DefaultVerifyWait is how long servers have to present the new
// certificate when the plan gives no wait (--verify-wait).
const DefaultVerifyWait = 30 * time.Second // a reload takes seconds

// Plan is one deployment.
type Plan struct {
	Name string // the installation's name (CERTWIZ_NAME)
	Dir  string // where the versions live (CERTWIZ_DIR)
	Cert live.Issued
	// Hook is the deploy hook, run with `sh -c` after the switch (and
	// again after a switch back); "" for none.
	Hook        string
	HookTimeout time.Duration // 0: hook.DefaultTimeout
	// Verify are the HOST:PORT targets that must present the new leaf;
	// none: nothing is checked.
	Verify         []string
	VerifyWait     time.Duration     // 0: DefaultVerifyWait
	VerifyInterval time.Duration     // 0: tlsverify.DefaultInterval
	Checker        tlsverify.Checker // its zero value checks for real
	Now            func() time.Time  // names the version; nil: time.Now
}

// Report is what a deployment did.
type Report struct {
	Install live.Result
	Hook    *hook.Result // the deploy hook's run; nil without a hook
	// Served is what each target presented, in Verify's order; empty
	// when the hook failed (nothing was checked) or without targets.
	Served       []tlsverify.Served
	RolledBack   bool         // current is back on Install.Previous
	RollbackErr  error        // why it is not (live.ErrNoPrevious: there was none; the new one stays)
	RollbackHook *hook.Result // the hook's run after the switch back
}

// Failed is a deployment that installed the certificate but whose hook
// failed or whose servers did not present it; the Report says what was
// done about it.
type Failed struct {
	Stage  Stage
	Report Report
}

// Stage is where a deployment failed.
type Stage string

// The stages a deployment fails at.
const (
	StageHook   Stage = "hook"   // the deploy hook failed
	StageVerify Stage = "verify" // a target did not present the new certificate
)

func (e *Failed) Error() string { return e.In(api.English) }

// In says in lang what failed and what was done about it. It names the
// targets as the user gave them; the hook's output and what the targets
// presented are in the Report.
func (e *Failed) In(lang string) string {
	r := e.Report
	var why string
	if e.Stage == StageHook {
		why = txtHookFailed.In(lang) + r.Hook.Describe(lang)
	} else {
		var bad []string
		for _, s := range r.Served {
			if !s.OK() {
				bad = append(bad, s.Target)
			}
		}
		why = fmt.Sprintf(txtNotPresented.In(lang), strings.Join(bad, ", "))
	}
	switch {
	case r.RolledBack:
		why += fmt.Sprintf(txtBackOn.In(lang), r.Install.Live(), r.Install.Previous)
	case errors.Is(r.RollbackErr, live.ErrNoPrevious):
		why += fmt.Sprintf(txtNoPrevious.In(lang), r.Install.Live(), r.Install.Version)
	case r.RollbackErr != nil:
		why += fmt.Sprintf(txtBackFailed.In(lang), r.Install.Live(), r.RollbackErr)
	}
	if h := r.RollbackHook; h != nil && !h.OK() {
		why += txtHookAgain.In(lang) + h.Describe(lang)
	}
	return fmt.Sprintf(txtCertificate.In(lang), r.Install.Version) + why
}

var (
	txtCertificate  = api.Text{EN: "certificate %s: ", ZH: "证书 %s："}
	txtHookFailed   = api.Text{EN: "the deploy hook ", ZH: "部署钩子"}
	txtNotPresented = api.Text{EN: "%s did not present the new certificate", ZH: "%s 未使用新证书"}
	txtBackOn       = api.Text{EN: "; %s is back on %s", ZH: "；%s 已切回 %s"}
	txtNoPrevious   = api.Text{EN: "; there is no previous version, so %s stays on %s", ZH: "；没有之前的版本，%s 仍指向 %s"}
	txtBackFailed   = api.Text{EN: "; switching %s back failed: %v", ZH: "；%s 切回失败：%v"}
	txtHookAgain    = api.Text{EN: "; the deploy hook, run again, ", ZH: "；再次运行的部署钩子"}
)

// Deploy installs p.Cert in p.Dir and makes it current, runs the hook,
// then checks every target at once. An install refused (live.Install's
// errors) changes nothing and runs nothing. A hook that fails, or a
// target that does not present the new leaf by the end of the wait,
// switches current back (live.Rollback) and runs the hook again — even
// when ctx has ended meanwhile, so that servers load what current names —
// and the error is a *Failed.
func Deploy(ctx context.Context, p Plan) (Report, error) {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	var r Report
	var err error
	if r.Install, err = live.Install(p.Dir, p.Cert, now()); err != nil {
		return r, err
	}
	names := namesOf(r.Install.Leaf)
	if p.Hook != "" {
		res, err := hook.Run(ctx, p.Hook, env(p.Name, r.Install, p.Cert.CertificateID, r.Install.PreviousID, names), p.HookTimeout)
		r.Hook = &res
		if err != nil {
			return p.rollback(ctx, r, StageHook)
		}
	}
	r.Served = p.verify(ctx, tlsverify.SNI(names), r.Install.SHA256)
	for _, s := range r.Served {
		if !s.OK() {
			return p.rollback(ctx, r, StageVerify)
		}
	}
	return r, nil
}

// verify checks every target at once.
func (p Plan) verify(ctx context.Context, sni string, want [32]byte) []tlsverify.Served {
	if len(p.Verify) == 0 {
		return nil
	}
	wait := p.VerifyWait
	if wait <= 0 {
		wait = DefaultVerifyWait
	}
	out := make([]tlsverify.Served, len(p.Verify))
	var wg sync.WaitGroup
	for i, target := range p.Verify {
		wg.Go(func() { out[i] = p.Checker.Verify(ctx, target, sni, want, wait, p.VerifyInterval) })
	}
	wg.Wait()
	return out
}

// rollback switches current back to the previous version and runs the
// hook again for it.
func (p Plan) rollback(ctx context.Context, r Report, stage Stage) (Report, error) {
	r.RollbackErr = live.Rollback(r.Install)
	r.RolledBack = r.RollbackErr == nil
	if r.RolledBack && p.Hook != "" {
		names := namesOf(r.Install.Leaf)
		if leaf, err := live.Leaf(r.Install.Dir, r.Install.Previous); err == nil {
			names = namesOf(leaf)
		}
		e := env(p.Name, r.Install, r.Install.PreviousID, p.Cert.CertificateID, names)
		res, _ := hook.Run(context.WithoutCancel(ctx), p.Hook, e, p.HookTimeout)
		r.RollbackHook = &res
	}
	return r, &Failed{Stage: stage, Report: r}
}

// env is the hook's environment: the installation, the folder, the link
// servers read, and the certificate now current with the one before.
func env(name string, r live.Result, id, previousID string, domains []string) map[string]string {
	return map[string]string{
		"CERTWIZ_NAME":                    name,
		"CERTWIZ_DIR":                     r.Dir,
		"CERTWIZ_LIVE":                    r.Live(),
		"CERTWIZ_CERTIFICATE_ID":          id,
		"CERTWIZ_PREVIOUS_CERTIFICATE_ID": previousID,
		"CERTWIZ_DOMAINS":                 strings.Join(domains, " "),
	}
}

// namesOf is the names a certificate covers: its DNS names, or its
// common name when it has none.
func namesOf(leaf *x509.Certificate) []string {
	if len(leaf.DNSNames) > 0 || leaf.Subject.CommonName == "" {
		return leaf.DNSNames
	}
	return []string{leaf.Subject.CommonName}
}
