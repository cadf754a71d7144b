package ui

import (
	"context"
	"fmt"
	"slices"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
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
type valPickScreen struct {
	s      *session
	spin   spinner.Model
	menu   *picker
	choice string
	width  int
	height int
}

type validatingMsg struct {
	certs []api.Certificate
	sent  []profiles.Record // certwiz's commits on this endpoint, newest first
	err   error
}

func newValPick(s *session) *valPickScreen {
	return &valPickScreen{s: s, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

func (sc *valPickScreen) Init() tea.Cmd {
	client, hist, endpoint := sc.s.opts.Client, sc.s.opts.History, sc.s.opts.Endpoint
	return tea.Batch(sc.spin.Tick, func() tea.Msg {
		certs, _, err := client.ListCertificates(context.Background(), api.CertificateQuery{Statuses: validatingStatuses}, 100)
		return validatingMsg{certs: certs, sent: sentToCA(hist, endpoint), err: err}
	})
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
		if r.Outcome == "COMMIT:"+profiles.OutcomeOK && r.Endpoint == endpoint && !seen[r.CertificateId] {
			seen[r.CertificateId] = true
			out = append(out, r)
		}
	}
	return out
}

func (sc *valPickScreen) Resize(w, h int) tea.Cmd {
	sc.width, sc.height = w, h
	if sc.menu != nil {
		sc.menu.WithWidth(w)
		sc.menu.WithHeight(h)
	}
	return nil
}

func (sc *valPickScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if sc.menu == nil {
			var cmd tea.Cmd
			sc.spin, cmd = sc.spin.Update(msg)
			return sc, cmd
		}
	case validatingMsg:
		if msg.err != nil && len(msg.sent) == 0 {
			s.setStatus(errorTitle(s, msg.err), true)
			return newStart(s), nil
		}
		var opts []pickOption
		listed := map[string]bool{}
		for _, c := range msg.certs {
			listed[c.CertificateId] = true
			opts = append(opts, pickOption{certLine(c, s.lang) + " — " + c.Words(s.lang), c.CertificateId})
		}
		for _, r := range msg.sent {
			if !listed[r.CertificateId] {
				opts = append(opts, pickOption{r.CertificateId + " — " + fmt.Sprintf(txtSentByCertwiz.In(s.lang), r.Time.Local().Format("2006-01-02 15:04")), r.CertificateId})
			}
		}
		if len(opts) == 0 {
			s.setStatus(txtNoValidating.In(s.lang), true)
			return newStart(s), nil
		}
		if msg.err != nil {
			s.setStatus(errorTitle(s, msg.err), true)
		}
		sc.choice = opts[0].value
		sc.menu = newMenu(s.lang, txtPickValidating.In(s.lang), opts, &sc.choice)
		sc.menu.filterable = len(opts) > 8
		sc.Resize(sc.width, sc.height)
	case tea.KeyMsg:
		if key.Matches(msg, keyEsc) && (sc.menu == nil || sc.menu.filter == "") {
			return newStart(s), nil
		}
		if sc.menu == nil {
			return sc, nil
		}
		if key.Matches(msg, pickNext) {
			id, ok := sc.menu.hovered()
			if !ok {
				return sc, nil
			}
			return newValidation(s, id), nil
		}
		sc.menu.Update(msg)
	}
	return sc, nil
}

func (sc *valPickScreen) waiting() bool { return sc.menu == nil }

func (sc *valPickScreen) View() string {
	if sc.menu == nil {
		return sc.spin.View() + " " + txtLoadingValid.In(sc.s.lang)
	}
	return sc.menu.View()
}

func (sc *valPickScreen) Keys() []key.Binding {
	keys := []key.Binding{bind(sc.s.lang, txtKeyBackShort, "esc", "esc")}
	if sc.menu != nil {
		keys = append(sc.menu.KeyBinds(), keys...)
	}
	return keys
}
