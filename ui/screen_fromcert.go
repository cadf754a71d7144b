package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// fromCertScreen starts a new draft from a certificate already submitted
// in the account: its organization and people are copied (never a key
// password: the api does not even read one).
type fromCertScreen struct {
	certList
	certs []api.Certificate
	busy  string // the certificate being read, "" when none
}

// submittedStatuses are those of certificates whose information was sent.
var submittedStatuses = []int{api.StatusReviewing, api.StatusIssued, api.StatusReviewFailed, api.StatusExpired, api.StatusDNSAdded, api.StatusAwaitingLetter}

func newFromCert(s *session) *fromCertScreen {
	return &fromCertScreen{certList: newCertList(s, txtLoadingSubmitted)}
}

func (sc *fromCertScreen) Init() tea.Cmd {
	client := sc.s.opts.Client
	return tea.Batch(sc.spin.Tick, func() tea.Msg {
		certs, _, err := client.ListCertificates(context.Background(), api.CertificateQuery{Statuses: submittedStatuses}, 100)
		return certsMsg{certs: certs, err: err}
	})
}

func (sc *fromCertScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return sc, sc.animate(msg, sc.menu == nil || sc.busy != "")
	case certsMsg:
		switch {
		case msg.err != nil:
			s.setStatus(errorTitle(s, msg.err), true)
			return goTo(toStart{}), nil
		case len(msg.certs) == 0:
			s.setStatus(txtNoSubmitted.In(s.lang), true)
			return goTo(toStart{}), nil
		}
		sc.certs = msg.certs
		var opts []pickOption
		for _, c := range msg.certs {
			opts = append(opts, pickOption{certLine(c, s.lang) + " — " + c.Words(s.lang), c.CertificateId})
		}
		sc.show(txtPickSubmitted, opts)
	case detailMsg:
		sc.busy = ""
		switch {
		case msg.err != nil:
			s.setStatus(errorTitle(s, msg.err), true)
			return sc, nil
		case msg.d.Submitted == nil:
			s.setStatus(fmt.Sprintf(txtNoSubmittedData.In(s.lang), msg.d.CertificateId), true)
			return sc, nil
		}
		var note string
		s.d, note = fromSubmitted(msg.d, s.lang)
		s.setStatus(note, false)
		return goTo(toStep{i: 0}), nil
	case tea.KeyMsg:
		if sc.busy != "" {
			return sc, nil
		}
		if sc.back(msg) {
			return goTo(toStart{}), nil
		}
		if sc.menu == nil {
			return sc, nil
		}
		if key.Matches(msg, pickNext) {
			id, ok := sc.menu.hovered()
			if !ok {
				return sc, nil
			}
			sc.busy = id
			client := s.opts.Client
			return sc, tea.Batch(sc.spin.Tick, func() tea.Msg {
				d, err := client.DescribeCertificateDetail(context.Background(), id)
				return detailMsg{d: d, err: err}
			})
		}
		sc.menu.Update(msg)
	}
	return sc, nil
}

// fromSubmitted starts a draft from a submitted certificate's
// organization and people. Values that would not print as they are (an
// answer's control characters) are left out, never put in a field; the
// note says what was copied and what was left out.
func fromSubmitted(d api.CertificateDetail, lang string) (*draft, string) {
	tpl := profiles.Template(*d.Submitted)
	var left []string
	for _, f := range api.Fields {
		if !safe.Clean(strings.Join(tpl.List(f.Name), "")) {
			_ = tpl.SetList(f.Name, nil)
			left = append(left, f.Label.In(lang))
		}
	}
	note := fmt.Sprintf(txtReused.In(lang), safe.Text(d.CertificateId))
	if len(left) > 0 {
		note += " " + fmt.Sprintf(txtLeftOut.In(lang), strings.Join(left, ", "))
	}
	return newDraft(tpl, ""), note
}

// errorTitle is an error in a line: the guide's title and the code.
func errorTitle(s *session, err error) string {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Guide().Title.In(s.lang) + " (" + safe.Text(e.Code) + "): " + e.Guide().Action.In(s.lang)
	}
	return safe.Text(err.Error())
}

func (sc *fromCertScreen) View() string {
	if sc.busy != "" {
		return sc.spin.View() + " " + fmt.Sprintf(txtCheckingID.In(sc.s.lang), safe.Text(sc.busy))
	}
	return sc.certList.View()
}
