package ui

import (
	"context"
	"fmt"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// submittingScreen sends the draft and waits, with a spinner; esc cancels.
type submittingScreen struct {
	s       *session
	attempt int // 1, then 2… after Retry: the user sees it ran again
	spin    spinner.Model
	started time.Time
	width   int
}

type submitDoneMsg struct {
	res api.Result
	err error
}

func newSubmitting(s *session, attempt int) *submittingScreen {
	s.setStatus("", false)
	return &submittingScreen{s: s, attempt: attempt, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

func (sc *submittingScreen) place() int { return len(api.Steps) }

func (sc *submittingScreen) Init() tea.Cmd {
	s := sc.s
	sc.started = s.opts.Now()
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	req := s.d.request().Normalized()
	client := s.opts.Client
	return tea.Batch(sc.spin.Tick, func() tea.Msg {
		res, err := client.Submit(ctx, req)
		return submitDoneMsg{res: res, err: err}
	})
}

func (sc *submittingScreen) Resize(w, _ int) tea.Cmd { sc.width = w; return nil }

func (sc *submittingScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	switch msg := msg.(type) {
	case spinner.TickMsg:
		var cmd tea.Cmd
		sc.spin, cmd = sc.spin.Update(msg)
		return sc, cmd
	case tea.KeyMsg:
		if key.Matches(msg, keyEsc) && s.cancel != nil {
			s.cancel()
		}
		return sc, nil
	case submitDoneMsg:
		s.cancel = nil
		e := outcome(msg.err)
		s.record(msg.res, e)
		switch {
		case e != nil && e.Code == api.CodeCanceled:
			s.setStatus(txtCancelled.In(s.lang), true)
			return newReview(s), nil
		case e != nil:
			s.failure, s.exit = e, e.ExitCode()
			return newErrorCard(s, e, sc.attempt, s.opts.Now()), nil
		}
		s.failure, s.exit = nil, api.ExitOK
		s.final = fmt.Sprintf("CertificateId: %s\nRequestId: %s\n", safe.Text(msg.res.CertificateId), safe.Text(msg.res.RequestId))
		return newResult(s, msg.res), nil
	}
	return sc, nil
}

func (sc *submittingScreen) View() string {
	s := sc.s
	elapsed := s.opts.Now().Sub(sc.started).Round(100 * time.Millisecond)
	line := sc.spin.View() + " " + fmt.Sprintf(txtSubmitting.In(s.lang), s.opts.Endpoint, elapsed)
	if sc.attempt > 1 {
		line += " " + fmt.Sprintf(txtAttempt.In(s.lang), sc.attempt)
	}
	return wrapWords(line, sc.width)
}

func (sc *submittingScreen) Keys() []key.Binding {
	return []key.Binding{bind(sc.s.lang, txtKeyCancel, "esc", "esc")}
}
