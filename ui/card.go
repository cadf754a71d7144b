package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// actionCard is a card (a text that scrolls) with the actions under it:
// an installation's or a rollout's confirmation, result or failure.
// Without actions (a result) enter, q and esc end the run. With them, esc
// goes to esc — or ends the run when it is nil, or when the card is final
// (q too: a result that still offers something, its first action "Done").
type actionCard struct {
	s      *session
	p      pane
	choice string
	esc    route
	act    func(choice string) (route, tea.Cmd) // nil route and cmd: stay
	final  bool
}

func newActionCard(s *session, render func(int) string, ask string, opts []pickOption, esc route, act func(string) (route, tea.Cmd)) actionCard {
	sc := actionCard{s: s, act: act, esc: esc}
	var menu *picker
	if len(opts) > 0 {
		sc.choice = opts[0].value
		menu = newMenu(s.lang, ask, opts, &sc.choice)
	}
	sc.p = newPane(render, menu)
	return sc
}

func (sc *actionCard) Init() tea.Cmd           { return nil }
func (sc *actionCard) Resize(w, h int) tea.Cmd { sc.p.resize(w, h); return nil }
func (sc *actionCard) View() string            { return sc.p.view() }

// update is Update's work; the card types return themselves.
func (sc *actionCard) update(self screen, msg tea.Msg) (screen, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return self, nil
	}
	if sc.p.menu == nil {
		switch k.String() {
		case "enter", "q", "esc":
			return self, quit
		}
		sc.p.key(k, sc.s.lang)
		return self, nil
	}
	if key.Matches(k, keyEsc) || sc.final && k.String() == "q" {
		if sc.esc == nil || sc.final {
			return self, quit
		}
		return goTo(sc.esc), nil
	}
	if v := sc.p.key(k, sc.s.lang); v != "" {
		if r, cmd := sc.act(v); r != nil {
			return goTo(r), cmd
		} else if cmd != nil {
			return self, cmd
		}
	}
	return self, nil
}

func (sc *actionCard) Keys() []key.Binding {
	var keys []key.Binding
	switch {
	case sc.p.menu != nil && sc.final:
		keys = append(sc.p.menu.KeyBinds(), bind(sc.s.lang, txtKeyQuitOnly, "q", "q", "esc"))
	case sc.p.menu != nil && sc.esc == nil:
		keys = append(sc.p.menu.KeyBinds(), bind(sc.s.lang, txtKeyQuitOnly, "esc", "esc"))
	case sc.p.menu != nil:
		keys = append(sc.p.menu.KeyBinds(), bind(sc.s.lang, txtKeyBackShort, "esc", "esc"))
	default:
		keys = []key.Binding{bind(sc.s.lang, txtKeyQuitOnly, "enter", "enter", "q")}
	}
	keys = append(keys, scrollKeys(sc.s.lang))
	if sc.p.wide() {
		keys = append(keys, bind(sc.s.lang, txtKeySideways, "←/→", "left", "right"))
	}
	return keys
}
