package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// startScreen offers a new submission, continuing a saved profile, or
// starting from one as a template.
type startScreen struct {
	s      *session
	menu   *picker
	notes  string
	choice string
	width  int
}

// startChoices are the start screen's options and the notes above them
// (profiles that cannot be read, missing credentials); accessible mode
// offers the same.
func startChoices(s *session) ([]pickOption, []string) {
	opts := []pickOption{{txtNew.In(s.lang), "new"}}
	var notes []string
	if s.opts.Client == nil {
		notes = append(notes, txtCredentials.In(s.lang)+": "+txtNoCreds.In(s.lang))
	}
	entries, err := s.opts.Store.List()
	if err != nil {
		notes = append(notes, err.Error())
	}
	for _, e := range entries {
		if e.Err != nil {
			notes = append(notes, safe.Text(fmt.Sprintf(txtUnreadable.In(s.lang), e.Path, shortErr(e.Err))))
			continue
		}
		pr := api.ProgressOf(e.Profile.Params)
		opts = append(opts, pickOption{fmt.Sprintf(txtContinue.In(s.lang), e.Name, pr.Done, len(pr.Steps)), "continue:" + e.Name})
	}
	for _, e := range entries {
		if e.Err == nil {
			opts = append(opts, pickOption{fmt.Sprintf(txtFromTemplate.In(s.lang), e.Name), "template:" + e.Name})
		}
	}
	if s.opts.Client != nil {
		opts = append(opts, pickOption{txtContinueVal.In(s.lang), "validating"}, pickOption{txtFromCert.In(s.lang), "fromcert"})
	}
	return opts, notes
}

func shortErr(err error) string {
	var fe *profiles.FileError
	if errors.As(err, &fe) {
		return fe.Err.Error()
	}
	return err.Error()
}

func newStart(s *session) *startScreen {
	sc := &startScreen{s: s, choice: "new"}
	opts, notes := startChoices(s)
	sc.notes = strings.Join(notes, "\n")
	sc.menu = newMenu(s.lang, txtStart.In(s.lang), opts, &sc.choice)
	sc.menu.filterable = len(opts) > 8
	return sc
}

func (sc *startScreen) Init() tea.Cmd { return nil }

func (sc *startScreen) Resize(w, h int) tea.Cmd {
	sc.width = w
	sc.menu.WithWidth(w)
	sc.menu.WithHeight(max(h-sc.notesHeight(), 4))
	return nil
}

func (sc *startScreen) notesHeight() int {
	if sc.notes == "" {
		return 0
	}
	return strings.Count(wrapWords(sc.notes, sc.width), "\n") + 2
}

func (sc *startScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, pickNext) {
		v, ok := sc.menu.hovered()
		if !ok {
			return sc, nil
		}
		return sc.chosen(v), nil
	}
	sc.menu.Update(msg)
	return sc, nil
}

// chosen opens the draft the choice names, at its first open step.
func (sc *startScreen) chosen(choice string) screen {
	switch choice {
	case "fromcert":
		return newFromCert(sc.s)
	case "validating":
		return newValPick(sc.s)
	}
	if err := sc.s.open(choice); err != nil {
		sc.s.setStatus(err.Error(), true)
		return newStart(sc.s)
	}
	return resumeAt(sc.s)
}

func (sc *startScreen) View() string {
	v := sc.menu.View()
	if sc.notes != "" {
		v = warnStyle.Render(wrapWords(sc.notes, sc.width)) + "\n\n" + v
	}
	return v
}

func (sc *startScreen) Keys() []key.Binding { return sc.menu.KeyBinds() }

// newMenu is a focused picker on its own, for a screen's actions.
func newMenu(lang, title string, opts []pickOption, choice *string) *picker {
	p := newPicker(lang, "menu", title, opts, func() string { return *choice }, func(v string) { *choice = v }, *choice)
	p.focused, p.first = true, true
	return p
}
