package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/spf13/cobra"
)

// RenewOptions are the flags of `certwiz renew`.
type RenewOptions struct {
	*Globals
	Days        int
	DryRun      bool
	Force       bool
	MaxWait     time.Duration
	Interval    time.Duration
	AuthHook    string
	CleanupHook string
	JSON        bool
	Yes         bool
	// SilenceOld: after a rollout (rollout: true), turn the old
	// certificate's expiry notices off once nothing uses it.
	SilenceOld bool
	now        func() time.Time
	// tencentEvery replaces the watch's least gap between Tencent checks
	// (tests: the sandbox validates at once).
	tencentEvery time.Duration
}

// ExitNeedsUser is exit code 7: an installation needs the user (a paid
// renewal to buy, a profile to name); renew never spends money.
const ExitNeedsUser = 7

// NewRenewCmd returns `certwiz renew [NAME...]`.
func NewRenewCmd(g *Globals) *cobra.Command { return newRenewCmd(g, 0) }

func newRenewCmd(g *Globals, tencentEvery time.Duration) *cobra.Command {
	o := &RenewOptions{Globals: g, now: time.Now, tencentEvery: tencentEvery}
	cmd := &cobra.Command{
		Use:   "renew [NAME...]",
		Short: "Renew the installed certificates that expire within --days, and install the new ones (from a timer)",
		Long: `Renew every installation (certwiz install), or the ones named, whose
certificate — as DIR/current/cert.pem says — expires within --days (30). An
installation that is not due costs no request: twice a day from a timer is
safe and cheap (certwiz timer).

Free certificates: ApplyCertificate with OldCertificateId (Tencent Cloud
accepts it in the last 30 days) and the installation's validation method;
Tencent Cloud makes the key.
Paid certificates: renew never spends money. It finds the renewal order
you bought in the console (a certificate awaiting information for the same
domains), fills it from the installation's profile with a new key generated
here (CsrType parse), submits and commits it. No renewal order: exit 7.

Validation without a person: DNS_AUTO needs nothing; DNS and FILE run
--auth-hook once per record with CERTWIZ_DOMAIN, CERTWIZ_RECORD_TYPE,
CERTWIZ_RECORD_ZONE, CERTWIZ_RECORD_HOST (relative to the zone),
CERTWIZ_RECORD_NAME, CERTWIZ_RECORD_VALUE, CERTWIZ_FILE_PATH and
CERTWIZ_FILE_CONTENT, then watch as status --watch does, then run
--cleanup-hook with the same values. With no hook and no terminal the
records are printed and renew exits 6; the next run goes on with the same
new certificate. Then the new certificate is installed as certwiz install
does (deploy hook, --verify servers, roll back when not served).

Every step is saved in the installation before the next, so a crash, a
timeout or exit 6 resumes where it stopped and nothing is applied or
submitted twice. One renew at a time per installation: a second one says
so and skips it.

On a terminal renew says what is due and asks; without one --yes is
required. --dry-run says for each installation what would happen, sending
only read requests.

Exit codes: 0 renewed or nothing due; 3 a renewal failed (rolled back where
it got that far); 7 an installation needs you; 6 validation still waiting.
The worst wins: 3, then 7, then 6. --json prints one object a line.`,
		Example: `  certwiz renew --dry-run
  certwiz renew --yes
  certwiz renew www.example.com --force --auth-hook /usr/local/bin/add-txt --cleanup-hook /usr/local/bin/del-txt`,
		RunE: func(cmd *cobra.Command, args []string) error { return runRenew(cmd.Context(), o, args) },
	}
	f := cmd.Flags()
	f.IntVar(&o.Days, "days", renewDays, "renew what expires within `DAYS`")
	f.BoolVar(&o.DryRun, "dry-run", false, "say what would happen; send only read requests")
	f.BoolVar(&o.Force, "force", false, "renew even when not due")
	f.DurationVar(&o.MaxWait, "max-wait", 2*time.Hour, "how long to watch a validation before exit 6 (the next run goes on)")
	f.DurationVar(&o.Interval, "interval", 30*time.Second, "how often a validation is checked while watching")
	f.StringVar(&o.AuthHook, "auth-hook", "", "`CMD` that puts a validation record in place (sh -c; values in CERTWIZ_RECORD_*)")
	f.StringVar(&o.CleanupHook, "cleanup-hook", "", "`CMD` that removes it after validation")
	f.BoolVar(&o.JSON, "json", false, "print one JSON object a line, one per installation")
	f.BoolVarP(&o.Yes, "yes", "y", false, "renew without asking (required without a terminal)")
	f.BoolVar(&o.SilenceOld, "silence-old", false, "after a rollout (rollout: true), turn the old certificate's expiry notices off once nothing uses it (as rollout --silence-old)")
	return cmd
}

// renewal is what became of one installation.
type renewal struct {
	Name           string   `json:"name"`
	Due            bool     `json:"due"`
	DaysLeft       *int     `json:"daysLeft,omitempty"`
	Kind           string   `json:"kind,omitempty"`
	Outcome        string   `json:"outcome"` // renewed, not-due, would-renew, failed, waiting, needs-user, busy
	Certificate    string   `json:"certificateId,omitempty"`
	NewCertificate string   `json:"newCertificateId,omitempty"`
	Message        string   `json:"message,omitempty"`
	Records        []string `json:"records,omitempty"`

	notAfter time.Time // when what DIR/current serves ends
}

// The outcomes, and the exit code each means.
const (
	outRenewed    = "renewed"
	outNotDue     = "not-due"
	outWould      = "would-renew"
	outFailed     = "failed"
	outWaiting    = "waiting"
	outNeedsUser  = "needs-user"
	outBusy       = "busy"
	outInProgress = "in-progress"
)

// worse is the exit code that wins: 3, then 7, then 6, then 0.
func worse(a, b int) int {
	rank := map[int]int{0: 0, ExitWaiting: 1, ExitNeedsUser: 2, api.ExitRejected: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func exitOf(outcome string) int {
	switch outcome {
	case outFailed:
		return api.ExitRejected
	case outNeedsUser:
		return ExitNeedsUser
	case outWaiting:
		return ExitWaiting
	}
	return 0
}

func runRenew(ctx context.Context, o *RenewOptions, names []string) error {
	lang := o.Language
	switch {
	case o.Days < 1 || o.Days > 3650:
		return usageFail(o.Globals, o.JSON, "renew", say(lang, "--days must be 1 to 3650", "--days 必须在 1 到 3650 之间"))
	case o.MaxWait <= 0 || o.Interval <= 0:
		return usageFail(o.Globals, o.JSON, "renew", say(lang, "--max-wait and --interval must be more than 0", "--max-wait 和 --interval 必须大于 0"))
	}
	store, err := o.store()
	if err != nil {
		return err
	}
	entries, err := o.chosen(store, names)
	if err != nil {
		return err
	}
	r := &renewer{o: o, store: store}
	// What is due is known from disk alone: nothing due, no request.
	var due []renewal
	var rollouts []string // the due installations that also roll out (rollout: true)
	code := 0
	for _, e := range entries {
		if e.Err != nil {
			code = worse(code, r.say(renewal{Name: e.Name, Outcome: outFailed, Message: e.Err.Error()}))
			continue
		}
		res, isDue := r.dueCheck(e.Installation)
		if !isDue {
			code = worse(code, r.say(res))
			continue
		}
		if e.Installation.Rollout {
			rollouts = append(rollouts, e.Name)
		}
		due = append(due, res)
	}
	if len(due) == 0 {
		return codeErr(code)
	}
	if !o.DryRun && !o.Yes {
		if !(o.IO.termIn() && o.IO.termErr()) {
			return usageFail(o.Globals, o.JSON, "renew", say(lang,
				"--yes required when not running interactively: a renewal changes what the account and the servers hold, so certwiz asks on a terminal first (the timer's service passes --yes); nothing was changed",
				"非交互运行时必须加 --yes：续期会改变账号与服务器上的证书，certwiz 只在终端上先询问确认（定时器的服务已带 --yes）；未做任何更改"))
		}
		var list []string
		for _, d := range due {
			list = append(list, d.Name)
		}
		question := fmt.Sprintf(say(lang, "Renew %s now? [y/N] ", "现在续期 %s？[y/N] "), safe.Text(strings.Join(list, ", ")))
		if len(rollouts) > 0 {
			question = fmt.Sprintf(say(lang, "Renew %s now, and replace the renewed certificate on the Tencent Cloud resources that serve %s (rollout: true)? [y/N] ",
				"现在续期 %s，并在 %s 使用的云资源上替换续期后的证书（rollout: true）？[y/N] "), safe.Text(strings.Join(list, ", ")), safe.Text(strings.Join(rollouts, ", ")))
		}
		yes, err := confirm(ctx, o.IO, question)
		if err != nil {
			fmt.Fprintln(o.IO.Err, say(lang, "\nInterrupted: nothing was renewed.", "\n已中断：未续期任何证书。"))
			return shown(api.ExitInterrupted)
		}
		if !yes {
			fmt.Fprintln(o.IO.Err, say(lang, "Not renewed: nothing was changed.", "未续期：未做任何更改。"))
			return codeErr(code)
		}
	}
	client, lookup, stop, err := o.dial(o.JSON)
	if err != nil {
		return err
	}
	defer stop()
	r.client = client
	r.lookup = offLoopback(client.Endpoint().String(), o.Sandbox, lookupOptions(lookup, "", nil), say(lang,
		"the endpoint is on this machine: no local check of the records (Tencent's check decides)", "接入点在本机：不做本机记录检查（以腾讯云的检查为准）"))
	r.rec = o.newRecorder()
	for _, d := range due {
		code = worse(code, r.say(r.renewOne(ctx, d)))
		if ctx.Err() != nil {
			fmt.Fprintln(o.IO.Err, say(lang, "Interrupted: what was done is saved; certwiz renew goes on from there.", "已中断：已完成的步骤已保存；再次运行 certwiz renew 会从那里继续。"))
			return r.rec.finish(shown(api.ExitInterrupted))
		}
	}
	return r.rec.finish(codeErr(code))
}

func codeErr(code int) error {
	if code == 0 {
		return nil
	}
	return shown(code)
}

// chosen are the installations named, or all of them.
func (o *RenewOptions) chosen(store *profiles.Store, names []string) ([]profiles.InstallEntry, error) {
	if len(names) == 0 {
		entries, err := store.ListInstallations()
		if err != nil {
			return nil, exit(api.ExitFailure, err)
		}
		if len(entries) == 0 && !o.JSON {
			fmt.Fprintln(o.IO.Err, say(o.Language, "No installations: certwiz install ID --dir DIR makes one; nothing to renew.", "没有安装记录：用 certwiz install ID --dir DIR 创建；无需续期。"))
		}
		return entries, nil
	}
	var entries []profiles.InstallEntry
	for _, n := range names {
		in, err := store.LoadInstallation(n)
		if errors.Is(err, profiles.ErrNoInstallation) || errors.As(err, new(*profiles.NameError)) {
			return nil, usageFail(o.Globals, o.JSON, "renew", fmt.Sprintf(say(o.Language, "no installation %q (certwiz installs lists them)", "没有名为 %q 的安装（certwiz installs 可列出）"), safe.Text(n)))
		}
		entries = append(entries, profiles.InstallEntry{Name: n, Installation: in, Err: err})
	}
	return entries, nil
}
