package ui

import (
	"fmt"
	"strconv"

	"github.com/certwiz/certwiz/api"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// editPickScreen asks which step to edit from review; the step returns
// to review when done.
type editPickScreen struct {
	s      *session
	menu   *picker
	choice string
}

func newEditPick(s *session) *editPickScreen {
	sc := &editPickScreen{s: s, choice: "0"}
	pr := s.progress()
	var opts []pickOption
	for i, st := range api.Steps {
		opts = append(opts, pickOption{fmt.Sprintf("%d. %s", i+1, st.Label.In(s.lang)), strconv.Itoa(i)})
		if sc.choice == "0" && pr.Steps[i].State != api.StepDone {
			sc.choice = strconv.Itoa(i) // the first step that needs the user
		}
	}
	sc.menu = newMenu(s.lang, txtWhichStep.In(s.lang), opts, &sc.choice)
	return sc
}

func (sc *editPickScreen) place() int    { return len(api.Steps) }
func (sc *editPickScreen) Init() tea.Cmd { return nil }

func (sc *editPickScreen) Resize(w, h int) tea.Cmd {
	sc.menu.WithWidth(w)
	sc.menu.WithHeight(h)
	return nil
}

func (sc *editPickScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, keyEsc):
			return goTo(toReview{}), nil
		case key.Matches(k, pickNext):
			v, _ := sc.menu.hovered()
			i, _ := strconv.Atoi(v)
			return goTo(toStep{i: i, fromReview: true}), nil
		}
	}
	sc.menu.Update(msg)
	return sc, nil
}

func (sc *editPickScreen) View() string { return sc.menu.View() }

func (sc *editPickScreen) Keys() []key.Binding {
	return append(sc.menu.KeyBinds(), bind(sc.s.lang, txtKeyBackShort, "esc", "esc"))
}
