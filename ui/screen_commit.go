package ui

import (
	"context"
	"fmt"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	tea "github.com/charmbracelet/bubbletea"
)

// confirmSend asks before the one-way door: it names the validation
// method and says it cannot be undone. "Not now" is first.
func confirmSend(s *session, res api.Result) screen {
	text := fmt.Sprintf(txtConfirmSend.In(s.lang), safe.Text(res.CertificateId), verifyWords(s))
	answers := []pickOption{{txtNotNow.In(s.lang), "no"}, {txtYesSend.In(s.lang), "yes"}}
	back := func() screen { return newResult(s, res) }
	return newChoice(s, len(api.Steps), text, txtConfirmQ.In(s.lang), answers, func(v string) screen {
		if v == "yes" {
			return newCommitting(s, res, 1)
		}
		return back()
	}, back)
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
		return newResult(s, sc.res), nil
	case e != nil:
		e.Action = api.ActionCommit
		s.failure, s.exit = e, e.ExitCode()
		card := newErrorCard(s, e, sc.attempt, s.opts.Now())
		card.retry = func(n int) screen { return newCommitting(s, sc.res, n) }
		card.back = func() screen { return newResult(s, sc.res) }
		return card, nil
	}
	s.failure, s.exit = nil, api.ExitOK
	s.final = fmt.Sprintf("CertificateId: %s\nRequestId: %s\nOrderId: %s\nCommitRequestId: %s\n",
		safe.Text(sc.res.CertificateId), safe.Text(sc.res.RequestId), safe.Text(done.res.OrderId), safe.Text(done.res.RequestId))
	v := newValidation(s, sc.res.CertificateId)
	v.sent = &done.res
	return v, nil
}
