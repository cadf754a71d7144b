package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/deploy"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/api/installation"
	"github.com/certwiz/certwiz/api/live"
	"github.com/certwiz/certwiz/api/tlsverify"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/spf13/cobra"
)

// InstallOptions are the flags of `certwiz install`.
type InstallOptions struct {
	*Globals
	Dir         string
	Name        string
	DeployHook  string
	AuthHook    string
	CleanupHook string
	Verify      []string
	VerifyWait  time.Duration
	HookTimeout time.Duration
	Validation  string
	Profile     string
	ReuseKey    bool
	// Rollout: renew also replaces the certificate on the Tencent Cloud
	// resources that serve it, by RolloutOnFailure's rule.
	Rollout          bool
	RolloutOnFailure string
	JSON             bool
	DryRun           bool
	Yes              bool
	// changed reports a flag given on the command line (nil: none was).
	changed func(name string) bool
}

func (o *InstallOptions) flagSet(name string) bool { return o.changed != nil && o.changed(name) }

// NewInstallCmd returns `certwiz install ID --dir DIR`.
func NewInstallCmd(g *Globals) *cobra.Command {
	o := &InstallOptions{Globals: g}
	cmd := &cobra.Command{
		Use:   "install ID --dir DIR",
		Short: "Put an issued certificate where servers read it, reload them, check they serve it; renew keeps it so",
		Long: `Install an issued certificate for servers, and remember how, for renew.

The certificate and its key go into a new version folder,
DIR/<time>-<ID>/{cert,chain,fullchain,privkey}.pem (files 0600, folders
0700), and DIR/current — a symlink servers are configured with — is
switched to it atomically. Point nginx at DIR/current/fullchain.pem and
DIR/current/privkey.pem once; a reload is enough afterwards. The key is
Tencent Cloud's when it made it, else the key generated here that the
certificate is for: a key that does not match is never installed.

Then --deploy-hook runs (sh -c; its values only in the environment:
CERTWIZ_NAME, CERTWIZ_DIR, CERTWIZ_LIVE (DIR/current),
CERTWIZ_CERTIFICATE_ID, CERTWIZ_PREVIOUS_CERTIFICATE_ID, CERTWIZ_DOMAINS),
and each --verify HOST:PORT is asked for its certificate (TLS, the
certificate's first name as SNI) until it presents the new one or
--verify-wait ends. A hook that fails or a server that keeps presenting
something else switches current back, runs the hook again, says what each
server presented, and exits 3. The last three versions are kept.

The installation — name, domains, certificate, folder, hooks, servers, how
renewals validate, the profile holding the organization and people — is
saved as <config>/installs/NAME.yaml for certwiz renew and certwiz installs.
Renewals validate by --validation (default: the certificate's method); for
DNS and FILE, --auth-hook and --cleanup-hook are saved for renew to put the
record in place and remove it. A flag not given keeps what an installation
of that name holds; a hook flag given as '' removes the saved hook. The
wizard's "Install here and renew automatically" saves the same file.

On a terminal certwiz shows the plan and asks; without one --yes is
required. --dry-run reads the certificate, downloads and checks it, says
what would happen, and changes nothing.

Exit codes: 0 installed (and served); 2 usage, a DIR certwiz will not
write, or an installation NAME elsewhere; 3 not issued, no key that
matches, a hook that failed or a server that did not present it (rolled
back); 4 credentials; 5 transport or an unsafe archive.`,
		Example: `  certwiz install abcb1234 --dir /etc/certwiz/www --deploy-hook 'nginx -t && systemctl reload nginx' --verify www.example.com:443
  certwiz install abcb1234 --dir ~/certs/www --dry-run`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.changed = cmd.Flags().Changed
			return runInstall(cmd.Context(), o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Dir, "dir", "", "`DIR` of the versions and the current link (created 0700 if missing)")
	f.StringVar(&o.Name, "name", "", "the installation's `NAME` (default: the certificate's domain)")
	f.StringVar(&o.DeployHook, "deploy-hook", "", "`CMD` run with sh -c after the switch, e.g. 'nginx -t && systemctl reload nginx' ('' removes the saved one)")
	f.StringVar(&o.AuthHook, "auth-hook", "", "`CMD` that renew runs to put a DNS or FILE validation record in place (saved; '' removes it)")
	f.StringVar(&o.CleanupHook, "cleanup-hook", "", "`CMD` that renew runs to remove it after validation (saved; '' removes it)")
	f.StringArrayVar(&o.Verify, "verify", nil, "`HOST:PORT` that must present the new certificate (repeatable)")
	f.DurationVar(&o.VerifyWait, "verify-wait", installation.DefaultVerifyWait, "how long the --verify servers have to present it")
	f.DurationVar(&o.HookTimeout, "hook-timeout", 5*time.Minute, "a hook running longer is stopped (its whole process group)")
	f.StringVar(&o.Validation, "validation", "", "how renewals validate: DNS_AUTO, DNS or FILE (default: the certificate's method)")
	f.StringVar(&o.Profile, "profile", "", "the profile with the organization and people for paid renewals (default: the one that submitted it)")
	f.BoolVar(&o.ReuseKey, "reuse-key", false, "paid renewals keep the key installed now (default: a new key each renewal)")
	f.BoolVar(&o.Rollout, "rollout", false, "renewals also replace the certificate on the Tencent Cloud resources that serve it (as certwiz rollout; saved)")
	f.StringVar(&o.RolloutOnFailure, "rollout-on-failure", "", "when resources fail in such a rollout: `stop` (default), retry or rollback (saved)")
	f.BoolVar(&o.JSON, "json", false, "print exactly one JSON object: the installation and what was done, or the error")
	f.BoolVar(&o.DryRun, "dry-run", false, "say what would happen; change nothing (reads and downloads only)")
	f.BoolVarP(&o.Yes, "yes", "y", false, "install without asking (required without a terminal)")
	_ = cmd.MarkFlagRequired("dir")
	return cmd
}

// installFlags checks the flags before anything is read: the message of
// a usage error, or "".
func (o *InstallOptions) installFlags() string {
	lang := o.Language
	if strings.TrimSpace(o.Dir) == "" {
		return say(lang, "--dir DIR is required: the folder of the versions and the current link", "必须指定 --dir DIR：存放各版本和 current 链接的文件夹")
	}
	for _, t := range o.Verify {
		if _, err := tlsverify.ParseTarget(t); err != nil {
			return fmt.Sprintf(say(lang, "--verify %q: %v (give HOST:PORT, e.g. www.example.com:443)", "--verify %q：%v（请写成 HOST:PORT，例如 www.example.com:443）"), safe.Text(t), err)
		}
	}
	if _, ok := api.ParseMethod(o.Validation); !ok && strings.TrimSpace(o.Validation) != "" {
		return fmt.Sprintf(say(lang, "--validation %q: use DNS_AUTO, DNS or FILE", "--validation %q：请使用 DNS_AUTO、DNS 或 FILE"), safe.Text(o.Validation))
	}
	if o.VerifyWait <= 0 || o.HookTimeout <= 0 {
		return say(lang, "--verify-wait and --hook-timeout must be more than 0 (e.g. 30s, 5m)", "--verify-wait 和 --hook-timeout 必须大于 0（例如 30s、5m）")
	}
	if o.RolloutOnFailure != "" && !slices.Contains(profiles.RolloutRules, o.RolloutOnFailure) {
		return fmt.Sprintf(say(lang, "--rollout-on-failure %q: use stop, retry or rollback", "--rollout-on-failure %q：请使用 stop、retry 或 rollback"), safe.Text(o.RolloutOnFailure))
	}
	if o.Name != "" && profiles.ValidName(o.Name) != nil {
		return fmt.Sprintf(say(lang, "--name %q: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit", "--name %q：只能用小写字母、数字、“.”、“_”和“-”，以字母或数字开头"), safe.Text(o.Name))
	}
	return ""
}

func runInstall(ctx context.Context, o *InstallOptions, id string) error {
	lang := o.Language
	id = strings.TrimSpace(id)
	if msg := badID(id, lang); msg != "" {
		return usageFail(o.Globals, o.JSON, "install", msg)
	}
	if msg := o.installFlags(); msg != "" {
		return usageFail(o.Globals, o.JSON, "install", msg)
	}
	if !o.Yes && !o.DryRun && !(o.IO.termIn() && o.IO.termErr()) {
		return usageFail(o.Globals, o.JSON, "install", say(lang,
			"--yes required when not running interactively: install switches what servers read and runs the deploy hook, so certwiz asks on a terminal first; nothing was changed",
			"非交互运行时必须加 --yes：安装会切换服务器读取的证书并运行部署钩子，certwiz 只在终端上先询问确认；未做任何更改"))
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return usageFail(o.Globals, o.JSON, "install", fmt.Sprintf("--dir %q: %v", safe.Text(o.Dir), err))
	}
	store, err := o.store()
	if err != nil {
		return err
	}
	if o.Profile != "" {
		if _, err := store.Load(o.Profile); err != nil {
			return profileError(err)
		}
	}
	client, _, stop, err := o.dial(o.JSON)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(o.IO.Err, "%s %s ← %s\n", say(lang, "Reading certificate", "正在读取证书"), id, client.Endpoint())
	d, err := client.DescribeCertificateDetail(ctx, id)
	if err != nil {
		return failOut(o.Globals, o.JSON, err, nil, "")
	}
	if d.Status != api.StatusIssued {
		return localFail(o.Globals, o.JSON, api.ExitRejected, say(lang, "Not issued", "尚未签发"), fmt.Sprintf(say(lang,
			"certificate %s is at status %d (%s), not issued (1): nothing was installed; follow it with %s",
			"证书 %s 的状态为 %d（%s），尚未签发（1）：未安装任何内容；可用 %s 跟进"), safe.Text(id), d.Status, safe.Text(d.Words(lang)), commandLine(o.Globals, "status", id, "--watch")))
	}
	in, err := o.installation(store, d, dir, client.Endpoint().Local())
	if err != nil {
		return err
	}
	unlock, err := store.LockInstallation(in.Name)
	if err != nil {
		return o.busy(err)
	}
	defer unlock()
	o.showInstallPlan(in, id)
	if o.DryRun {
		return o.installDryRun(ctx, client, in, id, d.Names())
	}
	if !o.Yes {
		question := say(lang, "Install it? [y/N] ", "安装？[y/N] ")
		if in.DeployHook != "" {
			question = say(lang, "Install it and run the deploy hook? [y/N] ", "安装并运行部署钩子？[y/N] ")
		}
		yes, err := confirm(ctx, o.IO, question)
		if err != nil {
			fmt.Fprintln(o.IO.Err, say(lang, "\nInterrupted: nothing was installed.", "\n已中断：未安装任何内容。"))
			return shown(api.ExitInterrupted)
		}
		if !yes {
			fmt.Fprintln(o.IO.Err, say(lang, "Not installed: nothing was changed.", "未安装：未做任何更改。"))
			return nil
		}
	}
	rec := o.newRecorder()
	record := profiles.Record{Action: installation.Action, CertificateId: id, Endpoint: client.Endpoint().String(), Profile: in.Profile}
	attempt := rec.intent(record)
	report, err := o.deployIssued(ctx, client, in, id, d.Names())
	record.Outcome = installation.Outcome(err)
	rec.outcome(record, attempt)
	done := o.installed(store, in, id, report, err)
	if err != nil && ctx.Err() != nil {
		// ctrl+c stopped the hook or the check: said as an interruption
		// (what current names was said above), exit 130.
		fmt.Fprintln(o.IO.Err, say(o.Language, "Interrupted: see above for what current names now.", "已中断：current 现在指向的版本见上文。"))
		done = shown(api.ExitInterrupted)
	}
	return rec.finish(done)
}

// installation is the installation certificate d is installed as: the
// one of that name, updated by the flags given, or a new one
// (installation.Prepare, as the wizard makes it).
func (o *InstallOptions) installation(store *profiles.Store, d api.CertificateDetail, dir string, local bool) (profiles.Installation, error) {
	lang := o.Language
	a := installation.Answers{Name: o.Name, Dir: dir, Verify: o.Verify, Profile: o.Profile, Local: local}
	if len(a.Verify) == 0 {
		a.Verify = nil // not given: the installation's
	}
	if o.flagSet("deploy-hook") {
		a.DeployHook = &o.DeployHook
	}
	if o.flagSet("auth-hook") {
		a.AuthHook = &o.AuthHook
	}
	if o.flagSet("cleanup-hook") {
		a.CleanupHook = &o.CleanupHook
	}
	if o.flagSet("verify-wait") {
		a.VerifyWait = o.VerifyWait
	}
	if o.flagSet("hook-timeout") {
		a.HookTimeout = o.HookTimeout
	}
	if m, ok := api.ParseMethod(o.Validation); ok {
		a.Validation = m
	}
	in, err := installation.Prepare(store, d, a, func() ([]profiles.Record, error) { return o.newRecorder().read() })
	var elsewhere *installation.ElsewhereError
	switch {
	case errors.Is(err, installation.ErrNoName):
		return in, usageFail(o.Globals, o.JSON, "install", say(lang, "the certificate's domain makes no installation name: give --name", "无法用证书的域名作为安装名称：请指定 --name"))
	case errors.As(err, &elsewhere):
		return in, usageFail(o.Globals, o.JSON, "install", fmt.Sprintf(say(lang,
			"the installation %q is in %s, not %s: give another --name, or the same --dir",
			"安装 %q 位于 %s，而非 %s：请换一个 --name，或使用相同的 --dir"), elsewhere.Name, safe.Text(elsewhere.Dir), safe.Text(dir)))
	case err != nil:
		return in, localFail(o.Globals, o.JSON, api.ExitInput, say(lang, "Installation unreadable", "安装记录无法读取"), safe.Text(err.Error()))
	}
	if o.flagSet("reuse-key") {
		in.ReuseKey = o.ReuseKey
	}
	if o.flagSet("rollout") {
		in.Rollout = o.Rollout
	}
	if o.flagSet("rollout-on-failure") {
		in.RolloutOnFailure = o.RolloutOnFailure
	}
	return in, nil
}

// busy says another certwiz holds an installation.
func (g *Globals) busy(err error) error {
	var b *profiles.BusyError
	if errors.As(err, &b) {
		return localFail(g, false, api.ExitFailure, "", fmt.Sprintf(say(g.Language,
			"another certwiz (install or renew) is working on the installation %q right now: try again when it is done",
			"另一个 certwiz（install 或 renew）正在处理安装 %q：请等它结束后再试"), b.Name))
	}
	return exit(api.ExitFailure, err)
}

// showInstallPlan says what install is about to do.
func (o *InstallOptions) showInstallPlan(in profiles.Installation, id string) {
	w, lang := o.IO.Err, o.Language
	fmt.Fprintf(w, say(lang, "Install %s (%s) as %q in %s\n", "安装 %s（%s）为 %q，位于 %s\n"), safe.Text(id), safe.Text(strings.Join(in.Domains, ", ")), in.Name, safe.Text(in.Dir))
	fmt.Fprintf(w, say(lang, "  servers read %s\n", "  服务器读取 %s\n"), safe.Text(filepath.Join(in.Dir, live.CurrentLink, live.FullchainFile)))
	hookLine := say(lang, "none", "无")
	if in.DeployHook != "" {
		hookLine = in.DeployHook
	}
	fmt.Fprintf(w, say(lang, "  deploy hook: %s\n", "  部署钩子：%s\n"), safe.Text(hookLine))
	if len(in.Verify) > 0 {
		fmt.Fprintf(w, say(lang, "  check it is served by: %s (within %s)\n", "  检查这些服务器是否提供它：%s（%s 内）\n"), safe.Text(strings.Join(in.Verify, ", ")), in.VerifyWait)
	}
	if in.Rollout {
		fmt.Fprintf(w, say(lang, "  renewals also replace it on the Tencent Cloud resources that serve it (on failure: %s)\n", "  续期时也在使用它的云资源上替换（失败时：%s）\n"), cmp.Or(in.RolloutOnFailure, onFailureStop))
	}
}

// installDryRun downloads and checks the certificate and its key and says
// what install would do; nothing is written.
func (o *InstallOptions) installDryRun(ctx context.Context, client *api.Client, in profiles.Installation, id string, names []string) error {
	lang := o.Language
	f, err := install.Fetch(ctx, client, id, func() ([]string, error) { return names, nil })
	if err == nil {
		_, _, err = f.Key(o.keysFor(id), lang)
	}
	if err != nil {
		return o.installFailed(err)
	}
	if o.JSON {
		return writeJSON(o.IO.Out, installJSON{Name: in.Name, CertificateId: id, Domains: in.Domains, Dir: in.Dir, DryRun: true})
	}
	fmt.Fprintln(o.IO.Out, say(lang, "Dry run: the certificate and its key check out; nothing was installed, no hook ran.", "演练：证书和私钥检查通过；未安装任何内容，未运行钩子。"))
	return nil
}

type installJSON struct {
	Name                  string      `json:"name"`
	CertificateId         string      `json:"certificateId"`
	PreviousCertificateId string      `json:"previousCertificateId,omitempty"`
	Domains               []string    `json:"domains"`
	Dir                   string      `json:"dir"`
	DryRun                bool        `json:"dryRun,omitempty"`
	Deploy                *deployJSON `json:"deploy,omitempty"`
	Saved                 bool        `json:"saved"`
}

// installed says what the deployment did and saves the installation when
// the certificate is current.
func (o *InstallOptions) installed(store *profiles.Store, in profiles.Installation, id string, r deploy.Report, err error) error {
	lang := o.Language
	var failed *deploy.Failed
	if err != nil && !errors.As(err, &failed) {
		return o.installFailed(err)
	}
	previous := in.Certificate
	current, saveErr := installation.Keep(store, &in, id, r, err)
	if o.JSON {
		out := installJSON{Name: in.Name, CertificateId: id, Domains: in.Domains, Dir: in.Dir, Deploy: deployedJSON(r), Saved: current && saveErr == nil}
		if previous != id {
			out.PreviousCertificateId = previous
		}
		if werr := writeJSON(o.IO.Out, out); werr != nil {
			return werr
		}
	} else {
		o.printDeployed(o.IO.Out, in.Name, id, r, err)
	}
	if saveErr != nil {
		fmt.Fprintf(o.IO.Err, say(lang, "Error: %s: certwiz renew will not know of it.\n", "错误：%s：certwiz renew 将不知道它。\n"), safe.Text(saveErr.Error()))
		return shown(api.ExitFailure)
	}
	if err != nil {
		return shown(api.ExitRejected)
	}
	if !o.JSON {
		fmt.Fprintf(o.IO.Out, say(lang, "Saved as installation %q: certwiz renew renews it before it expires (see certwiz installs; certwiz timer runs renew twice a day).\n",
			"已保存为安装 %q：certwiz renew 会在到期前续期（见 certwiz installs；certwiz timer 每天运行两次 renew）。\n"), in.Name)
	}
	return nil
}

// installFailed says why nothing was installed.
func (o *InstallOptions) installFailed(err error) error {
	lang := o.Language
	var archive *install.ArchiveError
	var key *install.KeyError
	switch {
	case errors.As(err, new(*api.Error)):
		return failOut(o.Globals, o.JSON, err, nil, "")
	case errors.As(err, &archive):
		return localFail(o.Globals, o.JSON, api.ExitTransport, say(lang, "Unsafe or unreadable certificate archive", "证书压缩包不安全或无法读取"),
			safe.Text(archive.Err.Error())+say(lang, " — nothing was installed", "——未安装任何内容"))
	case errors.As(err, &key), errors.Is(err, live.ErrKeyMismatch):
		return localFail(o.Globals, o.JSON, api.ExitRejected, say(lang, "No matching key", "没有匹配的私钥"),
			safe.Text(err.Error())+say(lang, " — nothing was installed: a server cannot start with a certificate and another key", "——未安装任何内容：证书与另一把私钥无法让服务器启动"))
	case errors.As(err, new(*install.FolderError)), errors.As(err, new(*install.LinkError)), errors.Is(err, install.ErrNotFolder), errors.Is(err, fs.ErrPermission), errors.As(err, new(*live.CurrentError)):
		return localFail(o.Globals, o.JSON, api.ExitInput, say(lang, "Not installed", "未安装"), safe.Text(err.Error())+say(lang, " — nothing was changed", "——未做任何更改"))
	}
	return localFail(o.Globals, o.JSON, api.ExitFailure, say(lang, "Not installed", "未安装"), safe.Text(err.Error()))
}
