package ui

import (
	"context"
	"errors"
	"io"
	"strings"
)

// accessibleInstall is "install here and renew automatically" as plain
// prompts: the form's questions one a line (installGroups), what will
// change and y/N, the installation, then what it did — or the failure,
// with retry, back to the questions, quit. The download is done: input
// that ends here leaves with success and the command that installs later.
func accessibleInstall(ctx context.Context, s *session, p *prompter, a *installAnswers) (route, int, error) {
	lang := p.lang
	p.say("\n== %s ==", txtInstallHere.In(lang))
	if a.existing != nil {
		p.say(txtUpdatesInstallation.In(lang), a.name)
	} else {
		p.say(txtAsInstallation.In(lang), a.name)
	}
	later := func() (route, int, error) {
		p.say("%s\n  %s", txtNotInstalledLater.In(lang), s.installCommand(a))
		return nil, 0, nil
	}
	switch err := askFields(p, installGroups(s, a)); {
	case errors.Is(err, io.EOF), errors.Is(err, errBack):
		return later()
	case err != nil:
		return nil, 0, err
	}
	in, err := s.prepareInstall(a)
	if err != nil {
		p.say("✗ %s", prepareError(err, lang))
		return toInstallForm{a}, 0, nil
	}
	p.say("")
	plan := planLines(s, a, in)
	p.say("%s", plan[0])
	for _, l := range plan[1:] {
		p.say("  • %s", l)
	}
	answer, err := p.ask(txtInstallYN.In(lang))
	switch answer = strings.ToLower(strings.TrimSpace(answer)); {
	case errors.Is(err, io.EOF):
		return later()
	case err != nil:
		return nil, 0, err
	case answer == "<":
		return toInstallForm{a}, 0, nil
	case answer != "y" && answer != "yes" && answer != "是":
		return later()
	}
	for {
		in, err := s.prepareInstall(a) // again: a failed attempt may have saved it
		r := installResult{in: in, err: err}
		if err == nil {
			p.say("%s…", s.installingWords(in))
			attempt := s.installIntent(in, a.d.CertificateId)
			r = s.installJob(a, in).run(ctx)
			if attempt != "" {
				s.installOutcome(attempt, a.d.CertificateId, r)
			}
		}
		a.attempt++
		if r.ok() {
			p.say("\n✓ %s\n%s", txtInstalledTitle.In(lang), strings.TrimSuffix(s.installSummary(r), "\n"))
			if s.opts.Client == nil {
				return nil, 0, nil
			}
			if answer, err := p.ask(txtRolloutAlsoYN.In(lang)); err == nil && strings.EqualFold(strings.TrimSpace(answer), "y") {
				ra := &rolloutAnswers{new: a.d.CertificateId}
				if len(r.in.Previous) > 0 {
					ra.old = r.in.Previous[0]
				}
				return toRolloutForm{ra}, 0, nil
			}
			return nil, 0, nil
		}
		p.say("\n✗ %s", installTitle(r, lang))
		for _, l := range failureLines(s, r) {
			p.say("%s", l)
		}
		p.say("%s%s%s", txtWhat.In(lang), colon(lang), installAdvice(r, lang))
		i, err := choose(p, txtInstallQ.In(lang), []string{txtRetry.In(lang), txtBackToAnswers.In(lang), txtQuitNotInstalled.In(lang)})
		switch {
		case err != nil && !errors.Is(err, io.EOF):
			return nil, 0, err
		case err == nil && i == 0:
			continue
		case err == nil && i == 1:
			return toInstallForm{a}, 0, nil
		}
		s.leaveFailedInstall(a, r)
		p.say("%s", strings.TrimSuffix(s.finalErr, "\n"))
		return nil, s.exit, nil
	}
}

// askFields asks the visible fields of groups in order, as accessibleStep
// does a step's; "<" goes back to the question before (errBack from the
// first).
func askFields(p *prompter, groups []group) error {
	type question struct {
		g int
		f fieldDef
	}
	var all []question
	for i, g := range groups {
		for _, f := range g.fields {
			all = append(all, question{i, f})
		}
	}
	shown := func(i int) bool { h := groups[all[i].g].hidden; return h == nil || !h(nil) }
	for i := 0; i < len(all); {
		if !shown(i) {
			i++
			continue
		}
		err := accessibleField(nil, p, all[i].f)
		if errors.Is(err, errBack) {
			j := i - 1
			for j >= 0 && !shown(j) {
				j--
			}
			if j < 0 {
				return errBack
			}
			i = j
			continue
		}
		if err != nil {
			return err
		}
		i++
	}
	return nil
}

// accessibleOfferInstall asks, after the download, whether to install the
// certificate here; no answer is no.
func accessibleOfferInstall(s *session, p *prompter, a *installAnswers) route {
	p.say("")
	answer, err := p.ask(txtInstallHereYN.In(p.lang))
	if err != nil {
		return nil
	}
	if answer = strings.ToLower(strings.TrimSpace(answer)); answer == "y" || answer == "yes" || answer == "是" {
		return toInstallForm{a}
	}
	return nil
}

var (
	txtInstallHereYN     = t{EN: "Install here and renew automatically? y/N", ZH: "安装到本机并自动续期？y/N"}
	txtInstallYN         = t{EN: "Install now? y/N ('<' goes back to the questions)", ZH: "现在安装？y/N（输入 '<' 返回修改设置）"}
	txtNotInstalledLater = t{EN: "Not installed. To install it later with the same answers:", ZH: "未安装。稍后用相同设置安装："}
)
