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
	// profile: the menu asks what to do with this profile; esc goes
	// back to the whole list.
	profile string
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
		// One entry per profile; continuing it or starting from it is
		// asked next (profileUses), so the list does not name each twice.
		pr := api.ProgressOf(e.Profile.Params)
		opts = append(opts, pickOption{fmt.Sprintf(txtProfileEntry.In(s.lang), e.Name, pr.Done, len(pr.Steps)), "profile:" + e.Name})
	}
	if s.opts.Client != nil {
		opts = append(opts, pickOption{txtContinueVal.In(s.lang), "validating"}, pickOption{txtRolloutStart.In(s.lang), "rollout"},
			pickOption{txtFromCert.In(s.lang), "fromcert"})
	}
	return opts, notes
}

// profileUses are what can be done with a saved profile: continue it, or
// start a new draft from its organization and people.
func profileUses(s *session, name string) []pickOption {
	var done, steps int
	if p, err := s.opts.Store.Load(name); err == nil {
		pr := api.ProgressOf(p.Params)
		done, steps = pr.Done, len(pr.Steps)
	}
	return []pickOption{
		{fmt.Sprintf(txtContinue.In(s.lang), name, done, steps), "continue:" + name},
		{fmt.Sprintf(txtFromTemplate.In(s.lang), name), "template:" + name},
	}
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
	sc.menu.hint = txtFilterStart.In(s.lang) // not the country list's "a code or a name"
	return sc
}

// newProfileUses asks whether to continue a profile or start from it.
func newProfileUses(s *session, name string) *startScreen {
	uses := profileUses(s, name)
	sc := &startScreen{s: s, choice: uses[0].value, profile: name}
	sc.menu = newMenu(s.lang, fmt.Sprintf(txtProfileUse.In(s.lang), name), uses, &sc.choice)
	return sc
}

// noDraft: the start screen belongs to no draft, so the sidebar of the
// one left behind is not shown.
func (sc *startScreen) noDraft() {}

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
	if k, ok := msg.(tea.KeyMsg); ok && sc.profile != "" && key.Matches(k, keyEsc) {
		return goTo(toStart{}), nil
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, pickNext) {
		v, ok := sc.menu.hovered()
		if !ok {
			return sc, nil
		}
		r, err := sc.s.started(v)
		if err != nil {
			sc.s.setStatus(err.Error(), true)
		}
		return goTo(r), nil
	}
	sc.menu.Update(msg)
	return sc, nil
}

func (sc *startScreen) View() string {
	v := sc.menu.View()
	if sc.notes != "" {
		v = warnStyle.Render(wrapWords(sc.notes, sc.width)) + "\n\n" + v
	}
	return v
}

func (sc *startScreen) Keys() []key.Binding {
	if sc.profile != "" {
		return append(sc.menu.KeyBinds(), bind(sc.s.lang, txtKeyBackShort, "esc", "esc"))
	}
	return sc.menu.KeyBinds()
}

// newMenu is a focused picker on its own, for a screen's actions.
func newMenu(lang, title string, opts []pickOption, choice *string) *picker {
	p := newPicker(lang, "menu", title, opts, func() string { return *choice }, func(v string) { *choice = v }, *choice)
	p.focused, p.first = true, true
	return p
}
