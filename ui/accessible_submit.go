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

// accessibleReview prints the review and asks what to do: it leads to
// the submission or to a step to edit; nil when the session ends, with
// its exit code.
func accessibleReview(s *session, p *prompter) (route, int, error) {
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
			return nil, 0, err
		}
		switch i {
		case 0:
			if n > 0 {
				continue
			}
			return toSubmit{attempt: 1}, 0, nil
		case 1:
			labels := make([]string, len(api.Steps))
			for i, st := range api.Steps {
				labels[i] = st.Label.In(p.lang)
			}
			st, err := choose(p, txtWhichStep.In(p.lang), labels)
			if err != nil {
				return nil, 0, err
			}
			return toStep{i: st, fromReview: true}, 0, nil
		case 2:
			if err := s.save(); err != nil {
				return nil, api.ExitFailure, err
			}
			p.say("%s", strings.TrimSpace(s.savedLine()))
			return nil, 0, nil
		case 3:
			s.saveQuietly()
			path := s.exportPath()
			err := s.export(path, false)
			if errors.Is(err, errExists) {
				p.say(txtFileExists.In(p.lang), path)
				a, aerr := p.ask(txtReplaceYN.In(p.lang))
				if aerr != nil {
					return nil, 0, aerr
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

// accessibleSubmit sends the draft: to the result when stored, else the
// error card's question and where its answer leads.
func accessibleSubmit(ctx context.Context, s *session, p *prompter, attempt int) (route, int, error) {
	line := fmt.Sprintf(txtSubmitting.In(p.lang), s.opts.Endpoint, "")
	if attempt > 1 {
		line += " " + fmt.Sprintf(txtAttempt.In(p.lang), attempt)
	}
	p.say("\n%s", line)
	attemptID := s.intent(api.ActionSubmit)
	req := s.d.request().Normalized()
	res, serr := s.opts.Client.Submit(ctx, req)
	res, fate, serr := s.opts.Client.SubmitFate(ctx, req, res, serr) // a lost answer is read back first
	e := outcome(serr)
	s.record(attemptID, res, e)
	if e == nil {
		s.failure = nil
		if fate == api.FateApplied {
			p.say("%s", api.ConfirmedAfterLost(true).In(p.lang))
		}
		return toResult{res}, 0, nil
	}
	if e.Code == api.CodeCanceled {
		p.say("%s", txtCancelled.In(p.lang))
		return toReview{}, 0, nil
	}
	s.failure = e
	gd := e.Guide()
	p.say("\n%s\n%s\n%s: %s\n%s: %s\n%s: %s\nRequestId: %s", gd.Title.In(p.lang), gd.Meaning.In(p.lang), txtWhat.In(p.lang), e.Hint(p.lang),
		txtServerSaid.In(p.lang), safe.Text(e.Message), txtCode.In(p.lang), safe.Text(e.Code), safe.Text(e.RequestId))
	acts := errorActions(s, e, api.FateAnswered)
	labels := labelsOf(acts)
	i, err := choose(p, txtWhat.In(p.lang), labels)
	if err != nil {
		return nil, 0, err
	}
	switch acts[i].value {
	case "edit":
		return toStep{i: s.stepIndex(gd.Step), fromReview: true}, 0, nil
	case "retry":
		return toSubmit{attempt: attempt + 1}, 0, nil
	case "review":
		return toReview{}, 0, nil
	}
	s.saveQuietly()
	p.say("%s", strings.TrimSpace(s.lastErrorLine()+s.savedLine()))
	return nil, e.ExitCode(), nil
}

// accessibleResult is the result card as lines: where the information
// is, and that the order is not with the CA until it is sent.
func accessibleResult(s *session, p *prompter, res api.Result) route {
	p.say("%s\nCertificateId: %s\nRequestId: %s\n%s: %s", storedWords(s), safe.Text(res.CertificateId), safe.Text(res.RequestId), txtNext.In(p.lang), api.NextSteps(s.d.request().VerifyType).In(p.lang))
	if s.opts.History != nil {
		p.say(txtHistoryAt.In(p.lang), s.opts.History.Path)
	}
	p.say("\n%s", notWithCA(s))
	return toConfirmSend{res}
}

// accessibleConfirm asks before the order goes to the CA, as the wizard
// does; "no" is the default, and leaves with the command that sends it.
func accessibleConfirm(s *session, p *prompter, res api.Result) (route, error) {
	p.say("%s", fmt.Sprintf(txtConfirmSend.In(p.lang), res.CertificateId, verifyWords(s)))
	a, err := p.ask("y/N")
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	// No answer (the end of piped answers) is "not now": the submission
	// itself succeeded.
	if a = strings.ToLower(strings.TrimSpace(a)); a != "y" && a != "yes" && a != "是" {
		p.say(txtSendLater.In(p.lang), s.commandLine("commit", res.CertificateId))
		return nil, nil
	}
	return toCommit{res: res, attempt: 1}, nil
}

// accessibleCommit sends the order to the CA: on to validation, or the
// question again after a failure worth retrying.
func accessibleCommit(ctx context.Context, s *session, p *prompter, res api.Result) (route, int) {
	p.say(txtCommitting.In(p.lang), s.opts.Endpoint, "")
	attemptID := s.intent(api.ActionCommit)
	done := commitReconciled(ctx, s.opts.Client, res.CertificateId, s.d.request().Normalized().VerifyType)
	e := s.committed(attemptID, res.CertificateId, done)
	if e == nil {
		r := done.res
		p.say("%s", txtWithCA.In(p.lang))
		if done.fate == api.FateApplied {
			p.say("%s", api.ConfirmedAfterLost(false).In(p.lang))
		}
		p.say("%s: %s\n%s: %s\n%s: %s", txtOrder.In(p.lang), safe.Text(r.OrderId), txtStatus.In(p.lang),
			api.StatusText(r.Status, "").In(p.lang), txtNext.In(p.lang), api.AfterCommit(s.commandLine("status", res.CertificateId), s.d.request().VerifyType, r.Status).In(p.lang))
		return toValidation{id: res.CertificateId}, 0
	}
	gd := e.Guide()
	p.say("\n%s\n%s", gd.Title.In(p.lang), gd.Meaning.In(p.lang))
	if s.lost != "" {
		p.say("%s", s.lost) // before anything else: what reading the certificate showed
	}
	p.say("%s: %s\n%s: %s\n%s: %s\nRequestId: %s", txtWhat.In(p.lang), e.Hint(p.lang),
		txtServerSaid.In(p.lang), safe.Text(e.Message), txtCode.In(p.lang), safe.Text(e.Code), safe.Text(e.RequestId))
	if done.fate == api.FateUnknown || !gd.Retry && done.fate != api.FateNotApplied {
		return nil, e.ExitCode()
	}
	return toConfirmSend{res}, 0
}
