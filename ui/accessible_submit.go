package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
)

// accessibleReview prints the review and asks what to do: the step to
// edit, or done with an exit code.
func accessibleReview(ctx context.Context, s *session, p *prompter) (next int, done bool, code int, err error) {
	for {
		if err := s.generateIfNeeded(); err != nil {
			p.say("%s", err)
		} else if s.status != "" {
			p.say("%s", s.status)
		}
		s.status = ""
		p.say("\n== %s ==\n%s", txtReview.In(p.lang), reviewText(s, 80))
		n := s.blockers()
		submit := txtSubmit.In(p.lang)
		if n > 0 {
			submit = fmt.Sprintf(txtSubmitBlock.In(p.lang), n)
		}
		i, err := choose(p, txtReview.In(p.lang), []string{submit, txtEditStep.In(p.lang), txtSaveQuit.In(p.lang), txtExportJSON.In(p.lang)})
		if err != nil {
			return 0, false, 0, err
		}
		switch i {
		case 0:
			if n > 0 {
				continue
			}
			if code, again, err := accessibleSubmit(ctx, s, p); err != nil || !again {
				return 0, true, code, err
			}
		case 1:
			labels := make([]string, len(api.Steps))
			for i, st := range api.Steps {
				labels[i] = st.Label.In(p.lang)
			}
			st, err := choose(p, txtWhichStep.In(p.lang), labels)
			if err != nil {
				return 0, false, 0, err
			}
			if err := accessibleStep(s, p, st); err != nil && !errors.Is(err, errBack) {
				return 0, false, 0, err
			}
			if err := accessibleStepDone(s, p, st); err != nil {
				return 0, false, 0, err
			}
		case 2:
			if err := s.save(); err != nil {
				return 0, true, api.ExitFailure, err
			}
			p.say("%s", strings.TrimSpace(s.savedLine()))
			return 0, true, 0, nil
		case 3:
			s.saveQuietly()
			path := s.exportPath()
			err := s.export(path, false)
			if errors.Is(err, errExists) {
				p.say(txtFileExists.In(p.lang), path)
				a, aerr := p.ask(txtReplaceYN.In(p.lang))
				if aerr != nil {
					return 0, false, 0, aerr
				}
				if strings.ToLower(strings.TrimSpace(a)) != "y" && strings.TrimSpace(a) != "是" {
					p.say(txtNotExported.In(p.lang), path)
					continue
				}
				err = s.export(path, true)
			}
			if err != nil {
				p.say("%s", err)
			} else {
				p.say(txtExported.In(p.lang), path)
			}
		}
	}
}

// accessibleSubmit sends the draft and shows the result or the error card;
// again reports that the user wants the review once more.
func accessibleSubmit(ctx context.Context, s *session, p *prompter) (code int, again bool, err error) {
	for attempt := 1; ; attempt++ {
		line := fmt.Sprintf(txtSubmitting.In(p.lang), s.opts.Endpoint, "")
		if attempt > 1 {
			line += " " + fmt.Sprintf(txtAttempt.In(p.lang), attempt)
		}
		p.say("\n%s", line)
		attemptID := s.intent(api.ActionSubmit)
		res, serr := s.opts.Client.Submit(ctx, s.d.request().Normalized())
		e := outcome(serr)
		s.record(attemptID, res, e)
		if e == nil {
			s.failure = nil
			p.say("%s\nCertificateId: %s\nRequestId: %s\n%s: %s", storedWords(s), safe.Text(res.CertificateId), safe.Text(res.RequestId), txtNext.In(p.lang), api.NextSteps(s.d.request().VerifyType).In(p.lang))
			if s.opts.History != nil {
				p.say(txtHistoryAt.In(p.lang), s.opts.History.Path)
			}
			return accessibleCommit(ctx, s, p, res)
		}
		if e.Code == api.CodeCanceled {
			p.say("%s", txtCancelled.In(p.lang))
			return 0, true, nil
		}
		s.failure = e
		gd := e.Guide()
		p.say("\n%s\n%s\n%s: %s\n%s: %s\n%s: %s\nRequestId: %s", gd.Title.In(p.lang), gd.Meaning.In(p.lang), txtWhat.In(p.lang), e.Hint(p.lang),
			txtServerSaid.In(p.lang), safe.Text(e.Message), txtCode.In(p.lang), safe.Text(e.Code), safe.Text(e.RequestId))
		acts := errorActions(s, e)
		labels := make([]string, len(acts))
		for i, a := range acts {
			labels[i] = a.label
		}
		i, err := choose(p, txtWhat.In(p.lang), labels)
		if err != nil {
			return 0, false, err
		}
		switch acts[i].value {
		case "edit":
			st := s.stepIndex(gd.Step)
			if err := accessibleStep(s, p, st); err != nil && !errors.Is(err, errBack) {
				return 0, false, err
			}
			if err := accessibleStepDone(s, p, st); err != nil {
				return 0, false, err
			}
			return 0, true, nil
		case "retry":
			continue
		case "review":
			return 0, true, nil
		}
		s.saveQuietly()
		p.say("%s", strings.TrimSpace(s.lastErrorLine()+s.savedLine()))
		return e.ExitCode(), false, nil
	}
}

// accessibleCommit offers to send the order to the CA, as the wizard's
// result card does; "no" is the default.
func accessibleCommit(ctx context.Context, s *session, p *prompter, res api.Result) (int, bool, error) {
	p.say("\n%s", notWithCA(s))
	for {
		p.say("%s", fmt.Sprintf(txtConfirmSend.In(p.lang), res.CertificateId, verifyWords(s)))
		a, err := p.ask("y/N")
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, false, err
		}
		// No answer (the end of piped answers) is "not now": the submission
		// itself succeeded.
		if a = strings.ToLower(strings.TrimSpace(a)); a != "y" && a != "yes" && a != "是" {
			p.say(txtSendLater.In(p.lang), s.commandLine("commit", res.CertificateId))
			return 0, false, nil
		}
		p.say(txtCommitting.In(p.lang), s.opts.Endpoint, "")
		attemptID := s.intent(api.ActionCommit)
		r, cerr := s.opts.Client.Commit(ctx, res.CertificateId, s.d.request().Normalized().VerifyType)
		e := outcome(cerr)
		s.recordCommit(attemptID, r, e)
		if e == nil {
			p.say("%s\n%s: %s\n%s: %s\n%s: %s", txtWithCA.In(p.lang), txtOrder.In(p.lang), safe.Text(r.OrderId), txtStatus.In(p.lang),
				api.StatusText(r.Status, "").In(p.lang), txtNext.In(p.lang), api.AfterCommit(s.commandLine("status", res.CertificateId), s.d.request().VerifyType, r.Status).In(p.lang))
			code, err := accessibleValidation(ctx, s, p, res.CertificateId)
			return code, false, err
		}
		e.Action = api.ActionCommit
		gd := e.Guide()
		p.say("\n%s\n%s\n%s: %s\n%s: %s\n%s: %s\nRequestId: %s", gd.Title.In(p.lang), gd.Meaning.In(p.lang), txtWhat.In(p.lang), e.Hint(p.lang),
			txtServerSaid.In(p.lang), safe.Text(e.Message), txtCode.In(p.lang), safe.Text(e.Code), safe.Text(e.RequestId))
		if !gd.Retry {
			return e.ExitCode(), false, nil
		}
	}
}
