package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/deploy"
	"github.com/certwiz/certwiz/api/installation"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// "Install here and renew automatically", from the final card: the form
// (folder, deploy hook, server to check, how renewals validate), a
// confirmation naming what will change, the installation with a spinner,
// then its result — or a failure card that retries or goes back to the
// answers, as typed.

var txtStageInstall = t{EN: "Install", ZH: "安装"}

// installFormScreen asks the installation's questions.
type installFormScreen struct {
	s       *session
	a       *installAnswers
	f       *huh.Form
	live    []*liveDescription
	pickers []*picker
	env     formEnv
	width   int
	short   bool // a terminal too short for the line under the title
}

func newInstallForm(s *session, a *installAnswers) *installFormScreen {
	sc := &installFormScreen{s: s, a: a, width: 60, env: formEnv{width: 60}}
	sc.f, sc.live, sc.pickers = buildForm(installGroups(s, a), nil, s.lang, sc.width, &sc.env)
	return sc
}

func (sc *installFormScreen) place() int      { return len(api.Steps) }
func (sc *installFormScreen) stage() t        { return txtStageInstall }
func (sc *installFormScreen) form() *huh.Form { return sc.f }
func (sc *installFormScreen) Init() tea.Cmd   { return sc.f.Init() }

// head is the title and, unless the terminal is short, the line naming
// the installation: the fields need the room more.
func (sc *installFormScreen) head() string {
	s, a := sc.s, sc.a
	if sc.short {
		return currentStyle.Render(txtInstallHere.In(s.lang))
	}
	line := fmt.Sprintf(txtAsInstallation.In(s.lang), a.name)
	if a.existing != nil {
		line = fmt.Sprintf(txtUpdatesInstallation.In(s.lang), a.name)
	}
	return currentStyle.Render(txtInstallHere.In(s.lang)) + "\n" + mutedStyle.Render(wrapWords(line, max(sc.width, 10)))
}

func (sc *installFormScreen) Resize(w, h int) tea.Cmd {
	sc.width, sc.env.width, sc.short = w, w, h < 14
	sc.env.room = max(h-lipgloss.Height(sc.head()), 3)
	for _, p := range sc.pickers {
		p.WithHeight(0)
	}
	refreshDescriptions(sc.live)
	sc.f = sc.f.WithWidth(w).WithHeight(sc.env.room)
	_, cmd := sc.f.Update(tea.WindowSizeMsg{Width: w, Height: sc.env.room})
	return cmd
}

func (sc *installFormScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, keyEsc) && !formUses(sc.f, k) {
		return goTo(toInstalled{res: sc.a.res, d: sc.a.d}), nil // the answers stay with the session
	}
	f, cmd := sc.f.Update(msg)
	sc.f = f.(*huh.Form)
	if refreshDescriptions(sc.live) {
		f, _ = sc.f.Update(relayoutMsg{})
		sc.f = f.(*huh.Form)
	}
	if sc.f.State == huh.StateCompleted {
		return goTo(toInstallConfirm{sc.a}), cmd
	}
	return sc, cmd
}

func (sc *installFormScreen) View() string { return sc.head() + "\n" + sc.f.View() }

func (sc *installFormScreen) Keys() []key.Binding {
	var keys []key.Binding
	if f := sc.f.GetFocusedField(); f != nil {
		keys = f.KeyBinds()
	}
	return append(keys, bind(sc.s.lang, txtKeyBackShort, "esc", "esc"))
}

// installCard is a card of the installation with the actions under it:
// the confirmation, the result, a failure. esc goes back to the answers;
// a card without actions (the result) ends the run on enter, q or esc.
type installCard struct{ actionCard }

func newInstallCard(s *session, a *installAnswers, render func(int) string, ask string, opts []pickOption, act func(string) (route, tea.Cmd)) *installCard {
	return &installCard{newActionCard(s, render, ask, opts, toInstallForm{a}, act)}
}

func (sc *installCard) place() int { return len(api.Steps) }
func (sc *installCard) stage() t   { return txtStageInstall }

// newInstallConfirm names what installing will change and asks; answers
// that make no installation (its folder elsewhere) only go back.
func newInstallConfirm(s *session, a *installAnswers) *installCard {
	in, err := s.prepareInstall(a)
	opts := []pickOption{{txtInstallNow.In(s.lang), "yes"}, {txtBackToAnswers.In(s.lang), "back"}}
	if err != nil {
		opts = opts[1:]
	}
	render := func(width int) string {
		w := width - 4
		if err != nil {
			return errCardStyle.Width(width - 2).Render(badStyle.Bold(true).Render(wrapWords("✗ "+txtNotInstalledTitle.In(s.lang), w)) + "\n" +
				wrapWords(safe.Text(prepareError(err, s.lang)), w))
		}
		plan := planLines(s, a, in)
		lines := []string{wrapWords(plan[0], w)}
		for _, l := range plan[1:] {
			// Wrapped to the pane, a long path cut where it must be: the
			// plan reads whole without scrolling sideways.
			lines = append(lines, "• "+strings.ReplaceAll(wrapWords(l, w-2), "\n", "\n  "))
		}
		return strings.Join(lines, "\n")
	}
	return newInstallCard(s, a, render, txtInstallQ.In(s.lang), opts, func(v string) (route, tea.Cmd) {
		if v == "yes" {
			return toInstalling{a}, nil
		}
		return toInstallForm{a}, nil
	})
}

// planLines say what installing will change: a sentence, then one line
// per change. The wizard's confirmation and accessible mode's both.
func planLines(s *session, a *installAnswers, in profiles.Installation) []string {
	lang := s.lang
	lines := []string{fmt.Sprintf(txtPlanHead.In(lang), safe.Text(a.d.CertificateId), safe.Text(strings.Join(in.Domains, ", ")), in.Name)}
	lines = append(lines, fmt.Sprintf(txtPlanVersion.In(lang), safe.Text(in.Dir)))
	cert, key := liveFiles(in.Dir)
	lines = append(lines, fmt.Sprintf(txtPlanServersRead.In(lang), safe.Text(cert), safe.Text(key)))
	if in.DeployHook != "" {
		lines = append(lines, txtPlanHook.In(lang)+safe.Text(in.DeployHook))
	} else {
		lines = append(lines, txtNoDeployHook.In(lang))
	}
	if len(in.Verify) > 0 {
		lines = append(lines, fmt.Sprintf(txtPlanVerify.In(lang), safe.Text(strings.Join(in.Verify, ", ")), in.VerifyWait))
	} else {
		lines = append(lines, txtNoServerChecked.In(lang))
	}
	lines = append(lines, txtRenewals.In(lang)+colon(lang)+renewWords(in, lang))
	saved := fmt.Sprintf(txtPlanSaved.In(lang), safe.Text(s.opts.Store.InstallationPath(in.Name)))
	if a.existing != nil && a.existing.Certificate != "" {
		saved += fmt.Sprintf(txtPlanReplaces.In(lang), safe.Text(a.existing.Certificate))
	}
	return append(lines, saved)
}

// prepareError says why the answers make no installation.
func prepareError(err error, lang string) string {
	var elsewhere *installation.ElsewhereError
	if errors.As(err, &elsewhere) {
		return fmt.Sprintf(txtInstallElsewhere.In(lang), elsewhere.Name, elsewhere.Dir)
	}
	return err.Error()
}

// installingScreen installs, under a spinner; keys typed meanwhile wait.
type installingScreen struct {
	s       *session
	a       *installAnswers
	in      profiles.Installation
	prepErr error
	spin    spinner.Model
	started time.Time
	attempt string // the history's name for this installation
	width   int
}

type installDoneMsg struct{ r installResult }

func newInstalling(s *session, a *installAnswers) *installingScreen {
	sc := &installingScreen{s: s, a: a, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
	sc.in, sc.prepErr = s.prepareInstall(a) // read again: a failed attempt may have saved it
	return sc
}

func (sc *installingScreen) place() int    { return len(api.Steps) }
func (sc *installingScreen) stage() t      { return txtStageInstall }
func (sc *installingScreen) waiting() bool { return true }

func (sc *installingScreen) Init() tea.Cmd {
	s := sc.s
	if sc.prepErr != nil {
		r := installResult{in: sc.in, err: sc.prepErr}
		return func() tea.Msg { return installDoneMsg{r} }
	}
	sc.started = s.opts.Now()
	sc.attempt = s.installIntent(sc.in, sc.a.d.CertificateId)
	job := s.installJob(sc.a, sc.in)
	return tea.Batch(sc.spin.Tick, func() tea.Msg { return installDoneMsg{job.run(context.Background())} })
}

func (sc *installingScreen) Resize(w, _ int) tea.Cmd { sc.width = w; return nil }

func (sc *installingScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return sc, tick(&sc.spin, msg)
	case installDoneMsg:
		r := msg.r
		if sc.attempt != "" {
			s.installOutcome(sc.attempt, sc.a.d.CertificateId, r)
		}
		sc.a.attempt++
		if r.ok() {
			s.exit = api.ExitOK
			s.final = s.installSummary(r)
			return goTo(toInstallDone{a: sc.a, r: r}), nil
		}
		return goTo(toInstallFailed{a: sc.a, r: r}), nil
	}
	return sc, nil
}

// installingWords say what an installation is doing, while it does.
func (s *session) installingWords(in profiles.Installation) string {
	text := fmt.Sprintf(txtInstallingInto.In(s.lang), safe.Text(in.Dir))
	if len(in.Verify) > 0 {
		wait := in.VerifyWait
		if s.opts.VerifyWait > 0 {
			wait = s.opts.VerifyWait
		}
		text += fmt.Sprintf(txtInstallingCheck.In(s.lang), safe.Text(strings.Join(in.Verify, ", ")), wait)
	}
	return text
}

func (sc *installingScreen) View() string {
	s := sc.s
	text := s.installingWords(sc.in)
	if !sc.started.IsZero() {
		text += " … " + s.opts.Now().Sub(sc.started).Round(time.Second).String()
	}
	return currentStyle.Render(txtInstallHere.In(s.lang)) + "\n" + sc.spin.View() + " " + wrapWords(text, max(sc.width-2, 10))
}

func (sc *installingScreen) Keys() []key.Binding { return nil }

// newInstallDone is the end of the road: installed, saved, and what to
// do from now on.
func newInstallDone(s *session, a *installAnswers, r installResult) *installCard {
	lang := s.lang
	render := func(width int) string {
		w := width - 4
		c := colon(lang)
		lines := []string{goodStyle.Bold(true).Render("✓ " + txtInstalledTitle.In(lang)), "",
			labelStyle.Render(txtInstallation.In(lang)+c) + r.in.Name}
		lines = append(lines, resultLines(deployedLines(r, lang), w)...)
		lines = append(lines, wrapStyled(labelStyle.Render(txtRenewals.In(lang)+c)+renewWords(r.in, lang), w))
		next := []string{"", titleStyle.Render(txtNext.In(lang))}
		for _, l := range s.nextLines(r.in) {
			if !strings.HasPrefix(l, "  ") {
				l = wrapWords(l, width) // the lines to copy (indented) stay whole
			}
			next = append(next, l)
		}
		return cardOf(cardStyle, lines, width) + strings.Join(next, "\n")
	}
	if s.opts.Client == nil {
		return newInstallCard(s, a, render, "", nil, nil)
	}
	// The certificate may also replace an older one on Tencent Cloud
	// resources: the one this installation served before, when it did.
	opts := []pickOption{{txtDone.In(lang), "quit"}, {txtRolloutAlso.In(lang), "rollout"}}
	sc := newInstallCard(s, a, render, "", opts, func(v string) (route, tea.Cmd) {
		if v == "rollout" {
			ra := &rolloutAnswers{new: a.d.CertificateId, from: toInstallDone{a: a, r: r}, before: s.final, installation: r.in.Name}
			if len(r.in.Previous) > 0 {
				ra.old = r.in.Previous[0]
			}
			return toRolloutForm{ra}, nil
		}
		return nil, quit
	})
	sc.final = true
	return sc
}

// resultLines lay out deployedLines: the switch of current (a path, to be
// read whole) as it is, the others wrapped.
func resultLines(lines []string, w int) []string {
	out := make([]string, 0, len(lines))
	for i, l := range lines {
		if i == 0 || strings.HasPrefix(l, "  | ") {
			out = append(out, l)
			continue
		}
		out = append(out, wrapWords(l, w))
	}
	return out
}

// cardOf is lines in a card as wide as its widest whole line, at least
// the pane: lipgloss would wrap anything wider.
func cardOf(style lipgloss.Style, lines []string, width int) string {
	inner := width - 2
	for _, l := range lines {
		inner = max(inner, lipgloss.Width(l)+2)
	}
	return style.Width(inner).Render(strings.Join(lines, "\n"))
}

// newInstallFailed says why the installation failed and what was done
// about it, with Retry, Back to the answers and Quit.
func newInstallFailed(s *session, a *installAnswers, r installResult) *installCard {
	lang, at := s.lang, s.opts.Now()
	render := func(width int) string {
		w := width - 4
		lines := []string{badStyle.Bold(true).Render(wrapWords("✗ "+installTitle(r, lang), w)), ""}
		lines = append(lines, resultLines(failureLines(s, r), w)...)
		lines = append(lines, "", titleStyle.Render(txtWhat.In(lang))+colon(lang)+wrapWords(installAdvice(r, lang), w-lipgloss.Width(txtWhat.In(lang))-2))
		if a.attempt > 1 {
			lines = append(lines, mutedStyle.Render(fmt.Sprintf(txtAttemptAt.In(lang), a.attempt, at.Local().Format("15:04:05"))))
		}
		return cardOf(errCardStyle, lines, width)
	}
	opts := []pickOption{{txtRetry.In(lang), "retry"}, {txtBackToAnswers.In(lang), "back"}, {txtQuitNotInstalled.In(lang), "quit"}}
	return newInstallCard(s, a, render, "", opts, func(v string) (route, tea.Cmd) {
		switch v {
		case "retry":
			return toInstalling{a}, nil
		case "back":
			return toInstallForm{a}, nil
		}
		s.leaveFailedInstall(a, r)
		return nil, quit
	})
}

// failureLines are what a failed installation did, with whether the
// installation was saved.
func failureLines(s *session, r installResult) []string {
	lang := s.lang
	lines := deployedLines(r, lang)
	if errors.As(r.err, new(*installation.ElsewhereError)) {
		lines = []string{"✗ " + safe.Text(prepareError(r.err, lang))}
	}
	switch {
	case r.saveErr != nil:
		lines = append(lines, "✗ "+safe.Text(r.saveErr.Error()))
	case r.current:
		lines = append(lines, fmt.Sprintf(txtSavedCurrent.In(lang), r.in.Name))
	}
	return lines
}

// leaveFailedInstall ends the run after a failed installation: its exit
// code, and what stderr says — what happened and the command that tries
// again.
func (s *session) leaveFailedInstall(a *installAnswers, r installResult) {
	var failed *deploy.Failed
	switch {
	case errors.As(r.err, &failed):
		s.exit = api.ExitRejected
	case outcome(r.err) != nil && errors.As(r.err, new(*api.Error)):
		s.exit = outcome(r.err).ExitCode()
	default:
		s.exit = api.ExitFailure
	}
	lines := append([]string{installTitle(r, s.lang)}, failureLines(s, r)...)
	lines = append(lines, txtTryLater.In(s.lang), "  "+s.installCommand(a))
	s.finalErr = strings.Join(lines, "\n") + "\n"
}

// installCommand is the `certwiz install` command that makes the same
// installation from the same answers.
func (s *session) installCommand(a *installAnswers) string {
	args := []string{"install", a.d.CertificateId, "--dir", a.folder()}
	if h := strings.TrimSpace(a.deployHook); h != "" {
		args = append(args, "--deploy-hook", h)
	}
	for _, v := range a.servers() {
		args = append(args, "--verify", v)
	}
	args = append(args, "--validation", string(a.method()))
	if a.byHooks() {
		args = append(args, "--auth-hook", strings.TrimSpace(a.authHook))
		if c := strings.TrimSpace(a.cleanupHook); c != "" {
			args = append(args, "--cleanup-hook", c)
		}
	}
	return s.commandLine(args...)
}

var (
	txtAsInstallation      = t{EN: "Installed as %q and saved for certwiz renew.", ZH: "安装为 %q，并保存供 certwiz renew 使用。"}
	txtUpdatesInstallation = t{EN: "Updates the installation %q saved before: its answers are shown.", ZH: "更新之前保存的安装 %q：显示的是它的设置。"}
	txtInstallNow          = t{EN: "Install now", ZH: "现在安装"}
	txtBackToAnswers       = t{EN: "Back to the answers", ZH: "返回修改设置"}
	txtQuitNotInstalled    = t{EN: "Quit (the downloaded files stay)", ZH: "退出（已下载的文件保留）"}
	txtInstallQ            = t{EN: "Install it?", ZH: "要安装吗？"}
	txtPlanHead            = t{EN: "Install certificate %s (%s) as the installation %q:", ZH: "将证书 %s（%s）安装为 %q："}
	txtPlanVersion         = t{EN: "a new version in %s/<version>, and current switched to it (the folder is made 0700 if missing)", ZH: "在 %s/<版本> 中放入新版本，并将 current 切换到它（文件夹不存在时创建，权限 0700）"}
	txtPlanServersRead     = t{EN: "servers read %s and %s", ZH: "服务器读取 %s 和 %s"}
	txtPlanHook            = t{EN: "then the deploy hook runs (sh -c): ", ZH: "然后运行部署钩子（sh -c）："}
	txtPlanVerify          = t{EN: "then %s must present it within %s, else current is switched back", ZH: "然后 %s 必须在 %s 内提供新证书，否则 current 切回"}
	txtPlanSaved           = t{EN: "saved in %s, for certwiz renew", ZH: "保存到 %s，供 certwiz renew 使用"}
	txtPlanReplaces        = t{EN: " (it named %s)", ZH: "（之前为 %s）"}
	txtInstallingInto      = t{EN: "Installing into %s, running the deploy hook", ZH: "正在安装到 %s，运行部署钩子"}
	txtInstallingCheck     = t{EN: ", then checking %s (up to %s)", ZH: "，然后检查 %s（最多 %s）"}
	txtSavedCurrent        = t{EN: "Saved as the installation %q: it names the certificate current serves.", ZH: "已保存为安装 %q：记录的是 current 当前提供的证书。"}
	txtTryLater            = t{EN: "To try again later:", ZH: "稍后重试："}
)

func (sc *installCard) Update(msg tea.Msg) (screen, tea.Cmd) { return sc.update(sc, msg) }
