package ui

import (
	"context"
	"fmt"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	tea "github.com/charmbracelet/bubbletea"
)

// sendQuestion asks before the one-way door: it names the validation
// method and says it cannot be undone. "Not now" is first.
func sendQuestion(s *session, res api.Result) question {
	text := fmt.Sprintf(txtConfirmSend.In(s.lang), safe.Text(res.CertificateId), verifyWords(s))
	answers := []pickOption{{txtNotNow.In(s.lang), "no"}, {txtYesSend.In(s.lang), "yes"}}
	return question{at: len(api.Steps), text: text, ask: txtConfirmQ.In(s.lang), answers: answers,
		onPick: func(v string) route {
			if v == "yes" {
				return toCommit{res: res, attempt: 1}
			}
			return toResult{res}
		},
		onEsc: toResult{res}}
}

// committingScreen sends the order to the CA and waits.
type committingScreen struct {
	inFlight
	res api.Result
}

type commitDoneMsg struct {
	res api.CommitResult
	err error
}

func newCommitting(s *session, res api.Result, attempt int) *committingScreen {
	return &committingScreen{newInFlight(s, txtCommitting, attempt), res}
}

func (sc *committingScreen) Init() tea.Cmd {
	client, id, vt := sc.s.opts.Client, sc.res.CertificateId, sc.s.d.request().Normalized().VerifyType
	return sc.start(api.ActionCommit, func(ctx context.Context) tea.Msg {
		r, err := client.Commit(ctx, id, vt)
		return commitDoneMsg{res: r, err: err}
	})
}

func (sc *committingScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	if cmd, ok := sc.update(msg); ok {
		return sc, cmd
	}
	done, ok := msg.(commitDoneMsg)
	if !ok {
		return sc, nil
	}
	s.cancel = nil
	e := outcome(done.err)
	s.recordCommit(sc.attemptID, done.res, e)
	switch {
	case e != nil && e.Code == api.CodeCanceled:
		s.setStatus(txtCancelled.In(s.lang), true)
		return goTo(toResult{sc.res}), nil
	case e != nil:
		e.Action = api.ActionCommit
		s.failure, s.exit = e, e.ExitCode()
		return goTo(toCommitError{e: e, res: sc.res, attempt: sc.attempt}), nil
	}
	s.failure, s.exit = nil, api.ExitOK
	s.final = fmt.Sprintf("CertificateId: %s\nRequestId: %s\nOrderId: %s\nCommitRequestId: %s\n",
		safe.Text(sc.res.CertificateId), safe.Text(sc.res.RequestId), safe.Text(done.res.OrderId), safe.Text(done.res.RequestId))
	return goTo(toValidation{id: sc.res.CertificateId, sent: &done.res}), nil
}
