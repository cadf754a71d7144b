package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// confirmSend asks before the one-way door: it names the validation
// method and says it cannot be undone. "Not now" is first.
func confirmSend(s *session, res api.Result) screen {
	text := fmt.Sprintf(txtConfirmSend.In(s.lang), res.CertificateId, verifyWords(s))
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
	res    api.CommitResult
	err    error
	detail *api.CertificateDetail // read after the commit: stage and deadline
}

func newCommitting(s *session, res api.Result, attempt int) *committingScreen {
	return &committingScreen{newInFlight(s, txtCommitting, attempt), res}
}

func (sc *committingScreen) Init() tea.Cmd {
	client, id, vt := sc.s.opts.Client, sc.res.CertificateId, sc.s.d.request().Normalized().VerifyType
	return sc.start(api.ActionCommit, func(ctx context.Context) tea.Msg {
		r, err := client.Commit(ctx, id, vt)
		msg := commitDoneMsg{res: r, err: err}
		if err == nil {
			// The commit answers a bare status; the detail says which stage
			// and by when. Without it the card still tells the truth.
			if d, derr := client.DescribeCertificateDetail(ctx, id); derr == nil {
				msg.detail = &d
			}
		}
		return msg
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
	return newCommitted(s, done.res, done.detail), nil
}

// committedScreen: the order is with the CA; what comes next depends on
// the validation method and the new status.
type committedScreen struct {
	s      *session
	res    api.CommitResult
	detail *api.CertificateDetail // nil when it could not be read
	p      pane
}

func newCommitted(s *session, res api.CommitResult, detail *api.CertificateDetail) *committedScreen {
	sc := &committedScreen{s: s, res: res, detail: detail}
	sc.p = newPane(sc.card, nil)
	return sc
}

func (sc *committedScreen) place() int              { return len(api.Steps) }
func (sc *committedScreen) Init() tea.Cmd           { return nil }
func (sc *committedScreen) Resize(w, h int) tea.Cmd { sc.p.resize(w, h); return nil }

func (sc *committedScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch k.String() {
		case "enter", "q", "esc":
			sc.s.saveQuietly()
			return sc, quit
		}
		sc.p.key(k, sc.s.lang)
	}
	return sc, nil
}

func (sc *committedScreen) card(width int) string {
	s, r := sc.s, sc.res
	w := width - 4
	c := colon(s.lang)
	status := api.StatusText(r.Status, "").In(s.lang)
	var deadline string
	if d := sc.detail; d != nil {
		status, deadline = d.Words(s.lang), d.DVAuthDeadline
	}
	lines := []string{
		goodStyle.Bold(true).Render("✓ " + txtWithCA.In(s.lang)),
		"",
		labelStyle.Render("CertificateId"+c) + safe.Text(r.CertificateId),
		labelStyle.Render(txtOrder.In(s.lang)+c) + safe.Text(r.OrderId),
		labelStyle.Render(txtStatus.In(s.lang)+c) + status,
	}
	if deadline != "" {
		lines = append(lines, labelStyle.Render(txtDeadline.In(s.lang)+c)+fmt.Sprintf(txtBeijing.In(s.lang), safe.Text(deadline)))
	}
	lines = append(lines,
		labelStyle.Render("RequestId"+c)+wrapWords(safe.Text(r.RequestId), w-11),
		"",
		titleStyle.Render(txtNext.In(s.lang)),
		wrapWords(api.AfterCommit(s.d.request().VerifyType, r.Status).In(s.lang), w),
	)
	if g := s.d.generated; g != nil && s.d.csrMode == modeGenerate {
		lines = append(lines, "", warnStyle.Render(wrapWords(fmt.Sprintf(txtKeyReminder.In(s.lang), g.keyPath), w)))
	}
	return cardStyle.Width(width - 2).Render(strings.Join(lines, "\n"))
}

func (sc *committedScreen) View() string { return sc.p.view() }

func (sc *committedScreen) Keys() []key.Binding {
	return []key.Binding{scrollKeys(sc.s.lang), bind(sc.s.lang, txtKeyQuitOnly, "enter", "enter", "q")}
}
