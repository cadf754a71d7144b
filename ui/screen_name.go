package ui

import (
	"github.com/certwiz/certwiz/api"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// nameScreen asks once, after the domains, what to call the draft's
// profile; it is part of the Domains step.
type nameScreen struct {
	s          *session
	f          *huh.Form
	name       string
	back       bool
	fromReview bool
	room       int // the form's height: its error must stay in view
}

func newName(s *session, fromReview bool) *nameScreen {
	sc := &nameScreen{s: s, fromReview: fromReview, name: s.d.defaultName()}
	if s.d.name != "" && sc.name != s.d.name && s.taken(sc.name) {
		sc.name = s.d.name
	}
	label := txtSaveAs.In(s.lang)
	in := huh.NewInput().Title(label).Description(txtSaveAsHint.In(s.lang)).Value(&sc.name).
		Validate(func(v string) error {
			if sc.back {
				return nil
			}
			return s.checkName(v)
		})
	field := &framed{Field: in, label: label, lang: s.lang, back: &sc.back, room: &sc.room}
	sc.f = huh.NewForm(huh.NewGroup(field)).WithShowHelp(false).WithShowErrors(false).WithTheme(theme())
	return sc
}

func (sc *nameScreen) place() int      { return sc.s.stepIndex(api.StepDomains) }
func (sc *nameScreen) form() *huh.Form { return sc.f }
func (sc *nameScreen) Init() tea.Cmd   { return sc.f.Init() }

func (sc *nameScreen) Resize(w, h int) tea.Cmd {
	sc.room = max(h-1, 3) // a line for the step's title
	sc.f = sc.f.WithWidth(w).WithHeight(sc.room)
	_, cmd := sc.f.Update(tea.WindowSizeMsg{Width: w, Height: sc.room})
	return cmd
}

func (sc *nameScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, keyEsc) {
		return goTo(toStepForm{i: s.stepIndex(api.StepDomains), fromReview: sc.fromReview}), nil
	}
	f, cmd := sc.f.Update(msg)
	sc.f = f.(*huh.Form)
	if sc.f.State != huh.StateCompleted {
		return sc, cmd
	}
	if err := s.rename(sc.name); err != nil {
		s.setStatus(err.Error(), true)
		return goTo(toName{sc.fromReview}), cmd
	}
	return goTo(advance(s.stepIndex(api.StepDomains), sc.fromReview)), cmd
}

func (sc *nameScreen) View() string {
	return currentStyle.Render(api.StepDomains.Label(sc.s.lang)) + "\n" + sc.f.View()
}

func (sc *nameScreen) Keys() []key.Binding {
	return []key.Binding{bind(sc.s.lang, txtKeyNext, "enter", "enter"), backKey(sc.s.lang)}
}
