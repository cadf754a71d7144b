package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// checkIDScreen asks the account about a typed CertificateId before the
// user fills seven more steps: it must exist and await information.
type checkIDScreen struct {
	s          *session
	fromReview bool
	spin       spinner.Model
	cancel     context.CancelFunc
}

type detailMsg struct {
	d   api.CertificateDetail
	err error
}

// checkTypedID asks the account about the typed ID once it passes the
// field's own rule; blanks copied around it (from a spreadsheet, say) are
// no part of it, and one inside it is said before anything is sent.
func checkTypedID(s *session, fromReview bool) route {
	s.d.req.CertificateId = strings.TrimSpace(s.d.req.CertificateId)
	var r api.Request
	_ = r.Set("CertificateId", s.d.req.CertificateId)
	if ps := api.Validate(r, api.Partial).For("CertificateId"); len(ps) > 0 {
		return toStepForm{i: 0, fromReview: fromReview, note: safe.Text(ps[0].Message(s.lang))}
	}
	return toCheckID{fromReview}
}

func newCheckID(s *session, fromReview bool) *checkIDScreen {
	return &checkIDScreen{s: s, fromReview: fromReview, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

func (sc *checkIDScreen) place() int    { return 0 }
func (sc *checkIDScreen) waiting() bool { return true }

func (sc *checkIDScreen) Init() tea.Cmd {
	ctx, cancel := context.WithCancel(context.Background())
	sc.cancel = cancel
	client, id := sc.s.opts.Client, sc.s.d.req.CertificateId
	return tea.Batch(sc.spin.Tick, func() tea.Msg {
		d, err := client.DescribeCertificateDetail(ctx, id)
		return detailMsg{d: d, err: err}
	})
}

func (sc *checkIDScreen) Resize(int, int) tea.Cmd { return nil }

func (sc *checkIDScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return sc, tick(&sc.spin, msg)
	case tea.KeyMsg:
		if key.Matches(msg, keyEsc) {
			sc.cancel()
			return goTo(toStepForm{i: 0, fromReview: sc.fromReview}), nil
		}
	case detailMsg:
		id := s.d.req.CertificateId
		var e *api.Error
		switch {
		case errors.As(msg.err, &e) && e.Code == "FailedOperation.CertificateNotFound":
			return goTo(toStepForm{i: 0, fromReview: sc.fromReview, note: fmt.Sprintf(txtIDNotFound.In(s.lang), safe.Text(id))}), nil
		case errors.As(msg.err, &e) && e.Code == api.CodeCanceled:
			return goTo(toStepForm{i: 0, fromReview: sc.fromReview}), nil
		case msg.err != nil:
			// The check is a courtesy: an account that cannot be asked
			// (permission, network) may still take the submission.
			reason := safe.Text(msg.err.Error())
			if e != nil {
				reason = e.Guide().Title.In(s.lang) + " (" + safe.Text(e.Code) + ")"
			}
			s.setStatus(fmt.Sprintf(txtIDUnchecked.In(s.lang), safe.Text(id), reason), true)
		case msg.d.Status != api.StatusAwaitingInfo:
			return goTo(toStepForm{i: 0, fromReview: sc.fromReview, note: fmt.Sprintf(txtIDNotAwaiting.In(s.lang), safe.Text(id), msg.d.Words(s.lang))}), nil
		default:
			takeCertificate(s.d, msg.d.Certificate)
		}
		return goTo(leaveCertificateStep(s, sc.fromReview)), nil
	}
	return sc, nil
}

func (sc *checkIDScreen) View() string {
	return currentStyle.Render(api.StepCertificate.Label(sc.s.lang)) + "\n" +
		sc.spin.View() + " " + fmt.Sprintf(txtCheckingID.In(sc.s.lang), safe.Text(sc.s.d.req.CertificateId))
}

func (sc *checkIDScreen) Keys() []key.Binding {
	return []key.Binding{bind(sc.s.lang, txtKeyCancel, "esc", "esc")}
}
