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

// inFlight is what the submitting and committing screens share: a
// spinner with the endpoint and the time elapsed, the attempt number after
// a retry, and esc to cancel.
type inFlight struct {
	s         *session
	label     t // "… to %s … %s": endpoint, elapsed
	attempt   int
	spin      spinner.Model
	started   time.Time
	width     int
	attemptID string // the history's name for this request
}

func newInFlight(s *session, label t, attempt int) inFlight {
	return inFlight{s: s, label: label, attempt: attempt, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

// start records the intent, then runs call beside the program,
// cancellable with esc.
func (f *inFlight) start(action string, call func(ctx context.Context) tea.Msg) tea.Cmd {
	f.attemptID = f.s.intent(action)
	f.started = f.s.opts.Now()
	ctx, cancel := context.WithCancel(context.Background())
	f.s.cancel = cancel
	return tea.Batch(f.spin.Tick, func() tea.Msg { return call(ctx) })
}

// update animates the spinner and cancels on esc; it reports whether it
// took the message.
func (f *inFlight) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return tick(&f.spin, msg), true
	case tea.KeyMsg:
		if key.Matches(msg, keyEsc) && f.s.cancel != nil {
			f.s.cancel()
		}
		return nil, true
	}
	return nil, false
}

func (f *inFlight) place() int              { return len(api.Steps) }
func (f *inFlight) Resize(w, _ int) tea.Cmd { f.width = w; return nil }

func (f *inFlight) View() string {
	s := f.s
	elapsed := s.opts.Now().Sub(f.started).Round(100 * time.Millisecond)
	line := f.spin.View() + " " + fmt.Sprintf(f.label.In(s.lang), s.opts.Endpoint, elapsed)
	if f.attempt > 1 {
		line += " " + fmt.Sprintf(txtAttempt.In(s.lang), f.attempt)
	}
	return wrapWords(line, f.width)
}

func (f *inFlight) Keys() []key.Binding {
	return []key.Binding{bind(f.s.lang, txtKeyCancel, "esc", "esc")}
}

// submittingScreen sends the draft and waits.
type submittingScreen struct{ inFlight }

type submitDoneMsg struct {
	res  api.Result
	err  error
	fate api.Fate
}

func newSubmitting(s *session, attempt int) *submittingScreen {
	s.setStatus("", false)
	return &submittingScreen{newInFlight(s, txtSubmitting, attempt)}
}

func (sc *submittingScreen) Init() tea.Cmd {
	req, client := sc.s.d.request().Normalized(), sc.s.opts.Client
	return sc.start(api.ActionSubmit, func(ctx context.Context) tea.Msg {
		res, err := client.Submit(ctx, req)
		// A lost answer is read back first: the submission may be there.
		res, fate, err := client.SubmitFate(ctx, req, res, err)
		return submitDoneMsg{res: res, err: err, fate: fate}
	})
}

func (sc *submittingScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	if cmd, ok := sc.update(msg); ok {
		return sc, cmd
	}
	done, ok := msg.(submitDoneMsg)
	if !ok {
		return sc, nil
	}
	s.cancel = nil
	e := outcome(done.err)
	s.record(sc.attemptID, done.res, e)
	switch {
	case e != nil && e.Code == api.CodeCanceled:
		s.setStatus(txtCancelled.In(s.lang), true)
		return goTo(toReview{}), nil
	case e != nil:
		s.failure, s.exit = e, e.ExitCode()
		return goTo(toSubmitError{e: e, attempt: sc.attempt}), nil
	}
	s.failure, s.exit = nil, api.ExitOK
	s.final = fmt.Sprintf("CertificateId: %s\nRequestId: %s\n", safe.Text(done.res.CertificateId), safe.Text(done.res.RequestId))
	s.submitConfirmed = done.fate == api.FateApplied
	return goTo(toResult{done.res}), nil
}
