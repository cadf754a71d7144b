package ui

import (
	"context"
	"fmt"
	"slices"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// validatingStatuses are those of certificates on their way to the CA's
// validation: reviewing, DNS record added, awaiting a confirmation letter.
var validatingStatuses = []int{api.StatusReviewing, api.StatusDNSAdded, api.StatusAwaitingLetter}

// valPickScreen lists the certificates in validation — the account's, and
// those certwiz sent to the CA from this machine (which may be issued by
// now) — and opens the validation screen for the one picked.
type valPickScreen struct{ certList }

type validatingMsg struct {
	certs []api.Certificate
	sent  []profiles.Record // certwiz's commits on this endpoint, newest first
	err   error
}

func newValPick(s *session) *valPickScreen {
	return &valPickScreen{newCertList(s, txtLoadingValid)}
}

func (sc *valPickScreen) Init() tea.Cmd {
	client, hist, endpoint := sc.s.opts.Client, sc.s.opts.History, sc.s.opts.Endpoint
	return tea.Batch(sc.spin.Tick, func() tea.Msg {
		certs, _, err := client.ListCertificates(context.Background(), api.CertificateQuery{Statuses: validatingStatuses}, 100)
		return validatingMsg{certs: certs, sent: sentToCA(hist, endpoint), err: err}
	})
}

// validatingOptions are the certificates in validation: the account's,
// then those certwiz sent from here that the account did not list (they
// may be issued by now).
func validatingOptions(certs []api.Certificate, sent []profiles.Record, lang string) []pickOption {
	var opts []pickOption
	listed := map[string]bool{}
	for _, c := range certs {
		listed[c.CertificateId] = true
		opts = append(opts, pickOption{certLine(c, lang) + " — " + c.Words(lang), c.CertificateId})
	}
	for _, r := range sent {
		if !listed[r.CertificateId] {
			opts = append(opts, pickOption{safe.Text(r.CertificateId) + " — " + fmt.Sprintf(txtSentByCertwiz.In(lang), r.Time.Local().Format("2006-01-02 15:04")), r.CertificateId})
		}
	}
	return opts
}

// sentToCA lists the certificates certwiz committed on an endpoint,
// newest first, one record each; none when there is no history.
func sentToCA(h *profiles.History, endpoint string) []profiles.Record {
	if h == nil {
		return nil
	}
	recs, err := h.Read()
	if err != nil {
		return nil
	}
	var out []profiles.Record
	seen := map[string]bool{}
	for _, r := range slices.Backward(recs) {
		if r.Result() == (profiles.Outcome{Commit: true, Code: profiles.OutcomeOK}) && r.Endpoint == endpoint && !seen[r.CertificateId] {
			seen[r.CertificateId] = true
			out = append(out, r)
		}
	}
	return out
}

func (sc *valPickScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return sc, sc.animate(msg, sc.menu == nil)
	case validatingMsg:
		if msg.err != nil && len(msg.sent) == 0 {
			s.setStatus(errorTitle(s, msg.err), true)
			return goTo(toStart{}), nil
		}
		opts := validatingOptions(msg.certs, msg.sent, s.lang)
		if len(opts) == 0 {
			s.setStatus(txtNoValidating.In(s.lang), true)
			return goTo(toStart{}), nil
		}
		if msg.err != nil {
			s.setStatus(errorTitle(s, msg.err), true)
		}
		sc.show(txtPickValidating, opts)
	case tea.KeyMsg:
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
			return goTo(toValidation{id: id}), nil
		}
		sc.menu.Update(msg)
	}
	return sc, nil
}
