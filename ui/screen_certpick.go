package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/certwiz/certwiz/ui/termtext"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// certPickScreen is the Certificate step when certwiz can ask the
// account: its certificates awaiting information, newest first, and "type
// an ID". Without an answer (no permission, network) it falls back on the
// text field and says why.
type certPickScreen struct {
	s          *session
	fromReview bool
	spin       spinner.Model
	certs      []api.Certificate
	menu       *picker
	choice     string
	width      int
	height     int
}

// certsMsg carries the account's certificates awaiting information.
type certsMsg struct {
	certs []api.Certificate
	err   error
}

const typeAnID = "\x00type"

func newCertPick(s *session, fromReview bool) *certPickScreen {
	return &certPickScreen{s: s, fromReview: fromReview, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

func (sc *certPickScreen) place() int    { return 0 }
func (sc *certPickScreen) waiting() bool { return sc.menu == nil }

func (sc *certPickScreen) Init() tea.Cmd {
	client := sc.s.opts.Client
	return tea.Batch(sc.spin.Tick, func() tea.Msg {
		certs, _, err := client.ListCertificates(context.Background(), api.CertificateQuery{Statuses: []int{api.StatusAwaitingInfo}}, 100)
		return certsMsg{certs: certs, err: err}
	})
}

func (sc *certPickScreen) Resize(w, h int) tea.Cmd {
	sc.width, sc.height = w, h
	if sc.menu != nil {
		sc.menu.WithWidth(w)
		sc.menu.WithHeight(h - 1)
	}
	return nil
}

func (sc *certPickScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if sc.menu == nil {
			return sc, tick(&sc.spin, msg)
		}
	case certsMsg:
		if msg.err != nil {
			var e *api.Error
			reason := msg.err.Error()
			if errors.As(msg.err, &e) {
				reason = e.Guide().Title.In(s.lang) + " (" + safe.Text(e.Code) + ")"
			}
			s.setStatus(fmt.Sprintf(txtNoList.In(s.lang), reason), true)
			return goTo(toStepForm{i: 0, fromReview: sc.fromReview}), nil
		}
		if len(msg.certs) == 0 {
			s.setStatus(txtNoneAwaiting.In(s.lang), false)
			return goTo(toStepForm{i: 0, fromReview: sc.fromReview}), nil
		}
		sc.certs = msg.certs
		sc.choice = s.d.req.CertificateId
		var opts []pickOption
		for _, c := range msg.certs {
			opts = append(opts, pickOption{certLine(c, s.lang), c.CertificateId})
		}
		opts = append(opts, pickOption{txtTypeID.In(s.lang), typeAnID})
		sc.menu = newMenu(s.lang, txtPickCert.In(s.lang), opts, &sc.choice)
		sc.menu.filterable = true // typing an ID finds it, or is taken as the ID
		sc.menu.noMatch = txtUseTypedID.In(s.lang)
		sc.menu.hint = txtFilterCerts.In(s.lang)
		sc.Resize(sc.width, sc.height)
		return sc, nil
	case tea.KeyMsg:
		if key.Matches(msg, keyEsc) && (sc.menu == nil || sc.menu.filter == "") {
			return goTo(leaveBack(s, 0, sc.fromReview)), nil
		}
		if sc.menu == nil {
			return sc, nil
		}
		if key.Matches(msg, pickNext) {
			v, ok := sc.menu.hovered()
			if !ok && strings.TrimSpace(sc.menu.filter) != "" {
				// Not in the list: the typed text is the ID, checked at once.
				s.d.req.CertificateId = strings.TrimSpace(sc.menu.filter)
				return goTo(checkTypedID(s, sc.fromReview)), nil
			}
			if !ok {
				return sc, nil
			}
			if v == typeAnID {
				s.d.forgetPick() // the field starts empty, not with the ID picked before
				return goTo(toStepForm{i: 0, fromReview: sc.fromReview}), nil
			}
			if !safe.Clean(v) {
				// An answer's control characters never go into a field.
				s.setStatus(fmt.Sprintf(txtIDUnusable.In(s.lang), v), true)
				return sc, nil
			}
			for _, c := range sc.certs {
				if c.CertificateId == v {
					takeCertificate(s.d, c)
				}
			}
			return goTo(leaveCertificateStep(s, sc.fromReview)), nil
		}
		sc.menu.Update(msg)
	}
	return sc, nil
}

// certLine is one certificate in a list: ID — domain — product — ordered on.
func certLine(c api.Certificate, lang string) string {
	parts := []string{c.CertificateId}
	if names := c.Names(); len(names) > 0 {
		d := names[0]
		if len(names) > 1 {
			d += fmt.Sprintf(" +%d", len(names)-1)
		}
		parts = append(parts, d)
	}
	if p := firstNonEmpty(c.ProductZhName, c.PackageTypeName); p != "" {
		parts = append(parts, p)
	}
	if label, date := c.KeyDate(); strings.TrimSpace(date) != "" {
		parts = append(parts, label.In(lang)+" "+termtext.ShortTime(date, false))
	}
	return safe.Text(strings.Join(parts, " — "))
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// takeCertificate fills the draft from a certificate of the account: its
// ID, whether it is DV, and its names when the order already has them.
func takeCertificate(d *draft, c api.Certificate) {
	d.forgetPick() // another order picked before: its names go, the user's stay
	d.req.CertificateId = c.CertificateId
	d.req.IsDV = fmt.Sprint(c.IsDv)
	d.picked.id = c.CertificateId
	// Names from the server go into fields only when they print as they are.
	if strings.TrimSpace(d.req.CertificateDomain) != "" || c.Domain == "" || !safe.Clean(strings.Join(c.Names(), "")) {
		return
	}
	d.req.CertificateDomain = c.Domain
	d.picked.domain = c.Domain
	if strings.TrimSpace(d.domains) == "" {
		var more []string
		for _, n := range c.Names()[1:] {
			more = append(more, n)
		}
		d.domains = strings.Join(more, "\n")
		d.picked.domains = d.domains
	}
}

// leaveCertificateStep moves on from the Certificate step: a question
// about a draft of the same certificate, else the next step.
func leaveCertificateStep(s *session, fromReview bool) route {
	if s.d.name == "" {
		if e, ok := s.sameDraft(); ok {
			return toSameDraft{e: e, then: advance(0, fromReview)}
		}
	}
	s.saveQuietly()
	return advance(0, fromReview)
}

// leaveBack goes back from step i without validating: to review, the
// step before, or the start screen.
func leaveBack(s *session, i int, fromReview bool) route {
	s.saveQuietly()
	switch {
	case fromReview:
		return toReview{}
	case i > 0:
		return toStep{i: i - 1}
	case s.fromStart:
		return toStart{}
	}
	return toStep{i: i}
}

func (sc *certPickScreen) View() string {
	title := currentStyle.Render(api.StepCertificate.Label(sc.s.lang))
	if sc.menu == nil {
		return title + "\n" + sc.spin.View() + " " + txtLoadingCerts.In(sc.s.lang)
	}
	return title + "\n" + sc.menu.View()
}

func (sc *certPickScreen) Keys() []key.Binding {
	if sc.menu == nil {
		return []key.Binding{backKey(sc.s.lang)}
	}
	if sc.menu.filter != "" {
		return sc.menu.KeyBinds() // esc clears the filter first
	}
	return append(sc.menu.KeyBinds(), backKey(sc.s.lang))
}
