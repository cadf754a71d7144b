package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// card is a bordered text that scrolls when the terminal is short: no
// line of a result or an error is ever out of reach.
type card struct {
	vp      viewport.Model
	render  func(width int) string
	reserve int // lines kept under the card (actions)
}

func (c *card) resize(w, h int) {
	c.vp.Width, c.vp.Height = w, max(h-c.reserve, 2)
	c.vp.SetContent(c.render(w))
}

var cardScroll = key.NewBinding(key.WithKeys("pgup", "pgdown", "up", "down", "k", "j"))

// resultScreen is the submission's receipt and what comes next.
type resultScreen struct {
	s   *session
	res api.Result
	c   card
}

func newResult(s *session, res api.Result) *resultScreen {
	sc := &resultScreen{s: s, res: res}
	sc.c = card{vp: viewport.New(60, 10), render: sc.card}
	return sc
}

func (sc *resultScreen) place() int              { return len(api.Steps) }
func (sc *resultScreen) Init() tea.Cmd           { return nil }
func (sc *resultScreen) Resize(w, h int) tea.Cmd { sc.c.resize(w, h); return nil }

func (sc *resultScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch k.String() {
		case "enter", "q", "esc":
			sc.s.saveQuietly()
			return sc, quit
		}
		sc.c.vp, _ = sc.c.vp.Update(msg)
	}
	return sc, nil
}

func (sc *resultScreen) card(width int) string {
	s := sc.s
	w := width - 4
	lines := []string{
		goodStyle.Bold(true).Render("✓ " + txtDone.In(s.lang)),
		"",
		labelStyle.Render("CertificateId: ") + sc.res.CertificateId,
		labelStyle.Render("RequestId:     ") + wrapWords(sc.res.RequestId, w-15),
		"",
		titleStyle.Render(txtNext.In(s.lang)),
		wrapWords(api.NextSteps(s.d.request().VerifyType).In(s.lang), w),
	}
	if g := s.d.generated; g != nil && s.d.csrMode == modeGenerate {
		lines = append(lines, "", warnStyle.Render(wrapWords(fmt.Sprintf(txtKeyReminder.In(s.lang), g.keyPath), w)))
	}
	if s.opts.History != nil {
		lines = append(lines, "", mutedStyle.Render(wrapWords(fmt.Sprintf(txtHistoryAt.In(s.lang), s.opts.History.Path), w)))
	}
	return cardStyle.Width(width - 2).Render(strings.Join(lines, "\n"))
}

func (sc *resultScreen) View() string { return sc.c.vp.View() }

func (sc *resultScreen) Keys() []key.Binding {
	return []key.Binding{scrollKeys(sc.s.lang), bind(sc.s.lang, txtKeyQuitOnly, "enter", "enter", "q")}
}

// errorScreen explains a refusal in plain words, with the actions that
// can help: edit the step it points to, retry, review, save and quit.
type errorScreen struct {
	s       *session
	e       *api.Error
	attempt int
	at      time.Time
	c       card
	menu    *picker
	choice  string
}

func newErrorCard(s *session, e *api.Error, attempt int, at time.Time) *errorScreen {
	sc := &errorScreen{s: s, e: e, attempt: attempt, at: at}
	gd := e.Guide()
	var opts []pickOption
	if gd.Step != "" {
		opts = append(opts, pickOption{fmt.Sprintf(txtEditPointed.In(s.lang), gd.Step.Label(s.lang)), "edit"})
	}
	if gd.Retry {
		opts = append(opts, pickOption{txtRetry.In(s.lang), "retry"})
	}
	opts = append(opts, pickOption{txtBackReview.In(s.lang), "review"}, pickOption{txtSaveQuit.In(s.lang), "save"})
	sc.choice = opts[0].value
	sc.menu = newMenu(s.lang, "", opts, &sc.choice)
	sc.c = card{vp: viewport.New(60, 10), render: sc.card, reserve: len(opts) + 1}
	return sc
}

func (sc *errorScreen) place() int    { return len(api.Steps) }
func (sc *errorScreen) Init() tea.Cmd { return nil }

func (sc *errorScreen) Resize(w, h int) tea.Cmd {
	sc.menu.WithWidth(w)
	sc.c.reserve = lipgloss.Height(sc.menu.View()) + 1
	sc.c.resize(w, h)
	return nil
}

func (sc *errorScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return sc, nil
	}
	switch {
	case key.Matches(k, scrollKeys(s.lang)):
		sc.c.vp, _ = sc.c.vp.Update(msg)
		return sc, nil
	case key.Matches(k, keyEsc):
		return newReview(s), nil
	case !key.Matches(k, pickNext):
		sc.menu.Update(msg)
		return sc, nil
	}
	switch v, _ := sc.menu.hovered(); v {
	case "edit":
		return newStep(s, s.stepIndex(sc.e.Guide().Step), true), nil
	case "retry":
		return newSubmitting(s, sc.attempt+1), nil
	case "save":
		msg := ""
		if err := s.save(); err != nil {
			msg = err.Error() + "\n"
		}
		s.finalErr = msg + s.lastErrorLine() + s.savedLine()
		return sc, quit
	}
	return newReview(s), nil
}

func (sc *errorScreen) card(width int) string {
	s, e := sc.s, sc.e
	gd := e.Guide()
	w := width - 4
	lines := []string{
		badStyle.Bold(true).Render(wrapWords("✗ "+gd.Title.In(s.lang), w)),
		wrapWords(gd.Meaning.In(s.lang), w),
		"",
		titleStyle.Render(txtWhat.In(s.lang)) + ": " + wrapWords(e.Hint(s.lang), w-lipgloss.Width(txtWhat.In(s.lang))-2),
	}
	if e.Message != "" {
		label := txtDetails
		if e.Service {
			label = txtServerSaid
		}
		lines = append(lines, labelStyle.Render(label.In(s.lang)+": ")+wrapWords(e.Message, w-lipgloss.Width(label.In(s.lang))-2))
	}
	lines = append(lines, labelStyle.Render(txtCode.In(s.lang)+": ")+e.Code)
	if e.RequestId != "" {
		lines = append(lines, labelStyle.Render("RequestId: ")+e.RequestId)
	}
	if sc.attempt > 1 {
		lines = append(lines, mutedStyle.Render(fmt.Sprintf(txtAttemptAt.In(s.lang), sc.attempt, sc.at.Local().Format("15:04:05"))))
	}
	return errCardStyle.Width(width - 2).Render(strings.Join(lines, "\n"))
}

func (sc *errorScreen) View() string { return sc.c.vp.View() + "\n" + sc.menu.View() }

func (sc *errorScreen) Keys() []key.Binding {
	return append(sc.menu.KeyBinds(), scrollKeys(sc.s.lang), bind(sc.s.lang, txtKeyBackShort, "esc", "esc"))
}
