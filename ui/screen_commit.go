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
	res  api.CommitResult
	err  error
	fate api.Fate // what reading the certificate showed when the answer was lost
}

func newCommitting(s *session, res api.Result, attempt int) *committingScreen {
	return &committingScreen{newInFlight(s, txtCommitting, attempt), res}
}

func (sc *committingScreen) Init() tea.Cmd {
	client, id, vt := sc.s.opts.Client, sc.res.CertificateId, sc.s.d.request().Normalized().VerifyType
	return sc.start(api.ActionCommit, func(ctx context.Context) tea.Msg {
		return commitReconciled(ctx, client, id, vt)
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
	e := s.committed(sc.attemptID, sc.res.CertificateId, done)
	switch {
	case e != nil && e.Code == api.CodeCanceled && done.fate == api.FateAnswered:
		s.setStatus(txtCancelled.In(s.lang), true)
		return goTo(toResult{sc.res}), nil
	case e != nil:
		return goTo(toCommitError{e: e, res: sc.res, attempt: sc.attempt, fate: done.fate}), nil
	}
	s.final = fmt.Sprintf("CertificateId: %s\nRequestId: %s\nOrderId: %s\nCommitRequestId: %s\n",
		safe.Text(sc.res.CertificateId), safe.Text(sc.res.RequestId), safe.Text(done.res.OrderId), safe.Text(done.res.RequestId))
	return goTo(toValidation{id: sc.res.CertificateId, sent: &done.res, confirmed: done.fate == api.FateApplied}), nil
}

// commitReconciled sends the order to the CA and, when the answer is
// lost, reads the certificate to learn what became of it
// (api.Client.CommitFate, as the commands do). A commit cancelled with
// esc is left as it is: the user chose to stop waiting, and is told it
// may have arrived.
func commitReconciled(ctx context.Context, client *api.Client, id, verifyType string) commitDoneMsg {
	r, err := client.Commit(ctx, id, verifyType)
	if ctx.Err() != nil {
		return commitDoneMsg{res: r, err: err}
	}
	r, f, err := client.CommitFate(ctx, id, r, err)
	return commitDoneMsg{res: r, err: err, fate: f}
}

// committed records a commit's outcome — after a lost answer, as reading
// the certificate showed it; nothing when it could not be read, so the
// intent stays open, the history's mark of a request whose fate is
// unknown — and sets what the run ends with. It returns the failure, if
// any; what a lost answer showed is kept in s.lost for the card and the
// exit message.
func (s *session) committed(attempt, id string, done commitDoneMsg) *api.Error {
	e := outcome(done.err)
	if done.fate != api.FateUnknown {
		s.recordOutcome(api.ActionCommit, attempt, done.res.RequestId, e)
	}
	s.lost, s.lostCmd = lostFinding(s, id, done.fate), s.commandLine("status", id)
	if done.fate == api.FateUnknown {
		s.onward = "" // never the command that sends it again
	}
	if e == nil {
		s.failure, s.exit = nil, api.ExitOK
		return nil
	}
	if e.Code != api.CodeCanceled || done.fate != api.FateAnswered {
		e.Action = api.ActionCommit
		s.failure, s.exit = e, e.ExitCode()
	}
	return e
}

// lostFinding says what reading the certificate showed after a commit's
// lost answer that did not go through (and that Retry sends it again), or
// could not be read (and the command that shows where it is); "" else.
func lostFinding(s *session, id string, f api.Fate) string {
	text := f.Finding(safe.Text(id), s.commandLine("status", id), false).In(s.lang)
	if f == api.FateNotApplied {
		text += txtRetrySends.In(s.lang)
	}
	return text
}
