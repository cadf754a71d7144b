package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// choiceScreen asks one question with a few answers: replace a file, which
// draft to keep... What follows each answer (and esc) is the caller's.
type choiceScreen struct {
	s      *session
	text   string // what the question is about, above the answers
	menu   *picker
	choice string
	at     int // place on the road
	onEsc  func() screen
	onPick func(value string) screen
	width  int
}

func newChoice(s *session, at int, text, question string, answers []pickOption, onPick func(string) screen, onEsc func() screen) *choiceScreen {
	sc := &choiceScreen{s: s, text: text, at: at, onPick: onPick, onEsc: onEsc, choice: answers[0].value}
	sc.menu = newMenu(s.lang, question, answers, &sc.choice)
	return sc
}

func (sc *choiceScreen) place() int    { return sc.at }
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
			return sc.onEsc(), nil
		case key.Matches(k, pickNext):
			if v, ok := sc.menu.hovered(); ok {
				return sc.onPick(v), nil
			}
		}
	}
	sc.menu.Update(msg)
	return sc, nil
}

func (sc *choiceScreen) View() string {
	return wrapWords(sc.text, sc.width) + "\n\n" + sc.menu.View()
}

func (sc *choiceScreen) Keys() []key.Binding {
	return append(sc.menu.KeyBinds(), bind(sc.s.lang, txtKeyBackShort, "esc", "esc"))
}
