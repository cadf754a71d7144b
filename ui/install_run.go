package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/deploy"
	"github.com/certwiz/certwiz/api/hook"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/api/installation"
	livedir "github.com/certwiz/certwiz/api/live"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
)

// What the wizard and accessible mode share to install: the installation
// the answers make, the deployment beside the terminal, the history's
// records before and after, and what it did in words.

// installResult is what one installation did.
type installResult struct {
	in      profiles.Installation
	report  deploy.Report
	err     error // nil: installed and served; a *deploy.Failed: installed, not served
	current bool  // the certificate is what DIR/current names, and the installation says so
	saveErr error // the installation file could not be written
}

// ok reports an installation done whole: served and saved.
func (r installResult) ok() bool { return r.err == nil && r.saveErr == nil }

// prepareInstall is the installation the answers make, as `certwiz
// install` makes it from the same answers.
func (s *session) prepareInstall(a *installAnswers) (profiles.Installation, error) {
	answers := a.answers()
	if c := s.opts.Client; c != nil {
		answers.Local = c.Endpoint().Local()
	}
	return installation.Prepare(s.opts.Store, a.d, answers, s.recorder().Read)
}

// deployJob is one installation to run beside the terminal: what it
// needs, taken from the session before it starts.
type deployJob struct {
	store  *profiles.Store
	client *api.Client
	in     profiles.Installation
	d      api.CertificateDetail
	keys   []install.KnownKey
	lang   string
	wait   time.Duration // 0: the installation's
}

// installJob is the job that deploys a's certificate as in says.
func (s *session) installJob(a *installAnswers, in profiles.Installation) deployJob {
	// The keys' look-up failing leaves those found: with none that
	// matches, the deployment says so.
	keys, _ := s.keysFor(a.d.CertificateId)
	return deployJob{store: s.opts.Store, client: s.opts.Client, in: in, d: a.d, keys: keys, lang: s.lang, wait: s.opts.VerifyWait}
}

// run deploys under the installation's lock, as `certwiz install` does,
// and saves the installation once its certificate is current.
func (j deployJob) run(ctx context.Context) installResult {
	res := installResult{in: j.in}
	unlock, err := j.store.LockInstallation(j.in.Name)
	if err != nil {
		res.err = err
		return res
	}
	defer unlock()
	run := j.in
	if j.wait > 0 {
		run.VerifyWait = j.wait // the servers' wait, never saved
	}
	id := j.d.CertificateId
	res.report, _, res.err = installation.Deploy(ctx, j.client, run, id, j.d.Names(), j.keys, j.lang)
	res.current, res.saveErr = installation.Keep(j.store, &res.in, id, res.report, res.err)
	return res
}

// installIntent records, before the installation starts, that it is
// about to; it returns the attempt its outcome carries.
func (s *session) installIntent(in profiles.Installation, id string) string {
	if s.opts.History == nil {
		return ""
	}
	rec, err := s.recorder().Intent(s.installRecord(in, id))
	s.recorded(rec, err)
	return rec.Attempt
}

// installOutcome records what became of the installation of attempt.
func (s *session) installOutcome(attempt, id string, r installResult) {
	if s.opts.History == nil {
		return
	}
	rec := s.installRecord(r.in, id)
	rec.Outcome = installation.Outcome(r.err)
	s.recorded(s.recorder().Outcome(rec, attempt))
}

func (s *session) installRecord(in profiles.Installation, id string) profiles.Record {
	return profiles.Record{Time: s.opts.Now().UTC(), Action: installation.Action, CertificateId: id, Endpoint: s.opts.Endpoint, Profile: in.Profile}
}

// installTitle is a failure's title.
func installTitle(r installResult, lang string) string {
	var failed *deploy.Failed
	switch {
	case errors.As(r.err, &failed) && failed.Stage == deploy.StageHook:
		return txtHookFailedTitle.In(lang)
	case errors.As(r.err, &failed):
		return txtNotServedTitle.In(lang)
	case errors.As(r.err, new(*profiles.BusyError)):
		return txtBusyTitle.In(lang)
	case r.err == nil && r.saveErr != nil:
		return txtNotSavedTitle.In(lang)
	case outcome(r.err) != nil && errors.As(r.err, new(*api.Error)):
		return outcome(r.err).Guide().Title.In(lang)
	}
	return txtNotInstalledTitle.In(lang)
}

// installAdvice is what to do about a failure.
func installAdvice(r installResult, lang string) string {
	var failed *deploy.Failed
	switch {
	case errors.As(r.err, &failed) && failed.Stage == deploy.StageHook:
		return txtHookAdvice.In(lang)
	case errors.As(r.err, &failed):
		return txtNotServedAdvice.In(lang)
	case errors.As(r.err, new(*profiles.BusyError)):
		return txtBusyAdvice.In(lang)
	case r.err == nil:
		return txtNotSavedAdvice.In(lang)
	case outcome(r.err) != nil && errors.As(r.err, new(*api.Error)):
		return outcome(r.err).Hint(lang)
	}
	return txtNotInstalledAdvice.In(lang)
}

// deployedLines say what an installation did, one plain line each (what
// a hook printed or a server presented made safe): the version made
// current, the hook, what each server presented, and after a failure the
// switch back — or why nothing was installed.
func deployedLines(r installResult, lang string) []string {
	var failed *deploy.Failed
	if r.err != nil && !errors.As(r.err, &failed) {
		return []string{"✗ " + safe.Text(r.err.Error())}
	}
	in := r.report.Install
	var lines []string
	if in.Previous != "" {
		lines = append(lines, fmt.Sprintf(txtSwitchedWas.In(lang), safe.Text(in.Live()), in.Version, in.Previous))
	} else {
		lines = append(lines, fmt.Sprintf(txtSwitched.In(lang), safe.Text(in.Live()), in.Version))
	}
	if h := r.report.Hook; h != nil {
		lines = append(lines, hookLines(txtDeployHook.In(lang), *h, lang)...)
	} else {
		lines = append(lines, txtNoDeployHook.In(lang))
	}
	for _, sv := range r.report.Served {
		mark := "✓ "
		if !sv.OK() {
			mark = "✗ "
		}
		lines = append(lines, mark+safe.Text(sv.Describe(lang)))
	}
	if len(r.in.Verify) == 0 {
		lines = append(lines, txtNoServerChecked.In(lang))
	}
	switch rep := r.report; {
	case r.err == nil:
	case rep.RolledBack:
		lines = append(lines, fmt.Sprintf(txtRolledBack.In(lang), safe.Text(in.Live()), in.Previous))
		if h := rep.RollbackHook; h != nil {
			lines = append(lines, hookLines(txtHookAgainLabel.In(lang), *h, lang)...)
		}
	case errors.Is(rep.RollbackErr, livedir.ErrNoPrevious):
		lines = append(lines, fmt.Sprintf(txtNoPreviousStays.In(lang), safe.Text(in.Live()), in.Version))
	case rep.RollbackErr != nil:
		lines = append(lines, "✗ "+fmt.Sprintf(txtBackFailedLine.In(lang), safe.Text(rep.RollbackErr.Error())))
	}
	return lines
}

// hookLines say how a hook ended and, when it failed, the last lines it
// printed.
func hookLines(what string, h hook.Result, lang string) []string {
	if h.OK() {
		return []string{"✓ " + fmt.Sprintf(txtHookDone.In(lang), what, h.Elapsed.Round(10*time.Millisecond))}
	}
	lines := []string{"✗ " + what + colon(lang) + safe.Text(h.Describe(lang))}
	if h.Output != nil {
		tail := strings.Split(strings.TrimRight(h.Output.Tail(), "\n"), "\n")
		if len(tail) > 5 {
			tail = tail[len(tail)-5:]
		}
		for _, l := range tail {
			if l != "" {
				lines = append(lines, "  | "+safe.Text(l))
			}
		}
	}
	return lines
}

// renewWords say how renewals validate.
func renewWords(in profiles.Installation, lang string) string {
	switch {
	case in.Validation == api.MethodDNSAuto:
		return txtRenewAuto.In(lang)
	case in.AuthHook != "":
		return fmt.Sprintf(txtRenewByHook.In(lang), in.Validation.Label(), safe.Text(in.AuthHook))
	}
	return fmt.Sprintf(txtRenewAsks.In(lang), in.Validation.Label())
}

// nextLines are what to do after an installation: the nginx lines once,
// what renew would do, and the timer that renews from now on.
func (s *session) nextLines(in profiles.Installation) []string {
	lang := s.lang
	cert, key := liveFiles(in.Dir)
	lines := []string{txtNginxOnce.In(lang), "  ssl_certificate " + safe.Text(cert) + ";", "  ssl_certificate_key " + safe.Text(key) + ";",
		txtDryRunFirst.In(lang), "  " + s.commandLine("renew", "--dry-run")}
	h := s.hostFacts()
	if h.root && h.systemd {
		lines = append(lines, txtTimerEnable.In(lang))
	} else {
		lines = append(lines, txtTimerPrint.In(lang))
	}
	for _, l := range timerLines(h) {
		lines = append(lines, "  "+l)
	}
	return lines
}

// installSummary is what the wizard prints when it ends after an
// installation, for the terminal's scrollback: the download's folder, and
// the installation in place of the download's nginx lines.
func (s *session) installSummary(r installResult) string {
	lang := s.lang
	c := colon(lang)
	lines := []string{txtCertificate.In(lang) + c + safe.Text(s.install.d.CertificateId) + " (" + txtDownloadedTo.In(lang) + " " + safe.Text(s.install.res.Dir) + ")",
		txtInstallation.In(lang) + c + r.in.Name + " (" + safe.Text(s.opts.Store.InstallationPath(r.in.Name)) + ")"}
	lines = append(lines, deployedLines(r, lang)...)
	lines = append(lines, txtRenewals.In(lang)+c+renewWords(r.in, lang))
	lines = append(lines, s.nextLines(r.in)...)
	return strings.Join(lines, "\n") + "\n"
}

var (
	txtInstalledTitle     = t{EN: "Installed, and saved for renewals", ZH: "已安装，并已保存以便续期"}
	txtInstallation       = t{EN: "Installation", ZH: "安装"}
	txtDownloadedTo       = t{EN: "downloaded to", ZH: "已下载到"}
	txtRenewals           = t{EN: "Renewals", ZH: "续期"}
	txtSwitched           = t{EN: "%s → %s", ZH: "%s → %s"}
	txtSwitchedWas        = t{EN: "%s → %s (was %s)", ZH: "%s → %s（之前为 %s）"}
	txtNoDeployHook       = t{EN: "Deploy hook: none", ZH: "部署钩子：无"}
	txtHookDone           = t{EN: "%s: done in %s", ZH: "%s：完成，用时 %s"}
	txtHookAgainLabel     = t{EN: "Deploy hook, run again", ZH: "再次运行的部署钩子"}
	txtNoServerChecked    = t{EN: "Server check: none", ZH: "服务器检查：无"}
	txtRolledBack         = t{EN: "Switched back: %s → %s again.", ZH: "已切回：%s 重新指向 %s。"}
	txtNoPreviousStays    = t{EN: "No previous version to go back to: %s stays on %s.", ZH: "没有可切回的旧版本：%s 仍指向 %s。"}
	txtBackFailedLine     = t{EN: "switching back failed: %s", ZH: "切回失败：%s"}
	txtRenewByHook        = t{EN: "%s, by the auth hook %s", ZH: "%s，由验证钩子 %s 完成"}
	txtRenewAsks          = t{EN: "%s, asking you: renew prints the records (exit 6 from the timer)", ZH: "%s，询问您：renew 打印记录（定时器中以 6 退出）"}
	txtNginxOnce          = t{EN: "nginx: these two lines in the server block, once; renewals then only switch current and run the hook:", ZH: "nginx：在 server 块中写入以下两行（只需一次）；之后续期只切换 current 并运行钩子："}
	txtDryRunFirst        = t{EN: "See what renew would do (it changes nothing):", ZH: "查看 renew 将做什么（不做任何更改）："}
	txtTimerEnable        = t{EN: "Renew twice a day, from the systemd timer:", ZH: "每天续期两次，使用 systemd 定时器："}
	txtTimerPrint         = t{EN: "Renew twice a day: this prints the systemd units and a crontab line to use:", ZH: "每天续期两次：以下命令打印可用的 systemd 单元和 crontab 行："}
	txtHookFailedTitle    = t{EN: "The deploy hook failed", ZH: "部署钩子失败"}
	txtNotServedTitle     = t{EN: "The server did not present the new certificate", ZH: "服务器未使用新证书"}
	txtBusyTitle          = t{EN: "Another certwiz is working on this installation", ZH: "另一个 certwiz 正在处理此安装"}
	txtNotSavedTitle      = t{EN: "Installed, but not saved for renewals", ZH: "已安装，但未能保存以便续期"}
	txtNotInstalledTitle  = t{EN: "Not installed", ZH: "未安装"}
	txtHookAdvice         = t{EN: "Run the hook yourself to see why, fix it, then Retry; or go back and change it (empty: no hook).", ZH: "请自己运行该钩子查看原因，修正后重试；或返回修改它（留空：不运行钩子）。"}
	txtNotServedAdvice    = t{EN: "The server must read current/fullchain.pem and current/privkey.pem in the folder, and the deploy hook must reload it. Fix that, then Retry; or go back and change the server to check (empty: none).", ZH: "服务器必须读取该文件夹中的 current/fullchain.pem 和 current/privkey.pem，且部署钩子必须让它重新加载。修正后重试；或返回修改要检查的服务器（留空：不检查）。"}
	txtBusyAdvice         = t{EN: "Wait until it is done (an install or a renew), then Retry.", ZH: "请等它（install 或 renew）结束后重试。"}
	txtNotSavedAdvice     = t{EN: "The servers read the new certificate, but certwiz renew will not know of it: fix what the message names, then Retry.", ZH: "服务器已读取新证书，但 certwiz renew 不会知道它：请修正消息所指的问题后重试。"}
	txtNotInstalledAdvice = t{EN: "Nothing was changed. Go back and change the folder, or fix what the message names, then Retry.", ZH: "未做任何更改。请返回修改文件夹，或修正消息所指的问题后重试。"}
)
