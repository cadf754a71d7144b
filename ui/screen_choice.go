package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// choiceScreen asks one question with a few answers: replace a file, which
// draft to keep... What follows each answer (and esc) is the question's.
type choiceScreen struct {
	s      *session
	q      question
	menu   *picker
	choice string
	width  int
}

// question is what a choice screen asks and where each answer goes.
type question struct {
	at      int    // place on the road
	text    string // what the question is about, above the answers
	ask     string
	answers []pickOption
	onPick  func(value string) route
	onEsc   route
}

func newChoice(s *session, q question) *choiceScreen {
	sc := &choiceScreen{s: s, q: q, choice: q.answers[0].value}
	sc.menu = newMenu(s.lang, q.ask, q.answers, &sc.choice)
	return sc
}

func (sc *choiceScreen) place() int    { return sc.q.at }
func (sc *choiceScreen) Init() tea.Cmd { return nil }

func (sc *choiceScreen) Resize(w, h int) tea.Cmd {
	sc.width = w
	sc.menu.WithWidth(w)
	return nil
}

func (sc *choiceScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, keyEsc):
			return goTo(sc.q.onEsc), nil
		case key.Matches(k, pickNext):
			if v, ok := sc.menu.hovered(); ok {
				return goTo(sc.q.onPick(v)), nil
			}
		}
	}
	sc.menu.Update(msg)
	return sc, nil
}

func (sc *choiceScreen) View() string {
	return wrapWords(sc.q.text, sc.width) + "\n\n" + sc.menu.View()
}

func (sc *choiceScreen) Keys() []key.Binding {
	return append(sc.menu.KeyBinds(), bind(sc.s.lang, txtKeyBackShort, "esc", "esc"))
}
