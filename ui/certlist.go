package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// certList is a list of the account's certificates read beside the
// program, with a spinner while it loads: what the start screen's "from a
// certificate" choices share. The screens that embed it decide what to
// read and what picking does.
type certList struct {
	s       *session
	spin    spinner.Model
	menu    *picker // nil while loading
	choice  string
	loading t // said beside the spinner
	width   int
	height  int
}

func newCertList(s *session, loading t) certList {
	return certList{s: s, loading: loading, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

// show turns the options read into the list, the first one chosen.
func (l *certList) show(title t, opts []pickOption) {
	l.choice = opts[0].value
	l.menu = newMenu(l.s.lang, title.In(l.s.lang), opts, &l.choice)
	l.menu.filterable = len(opts) > 8
	l.Resize(l.width, l.height)
}

func (l *certList) Resize(w, h int) tea.Cmd {
	l.width, l.height = w, h
	if l.menu != nil {
		l.menu.WithWidth(w)
		l.menu.WithHeight(h)
	}
	return nil
}

// animate moves the spinner; busy says whether it is shown.
func (l *certList) animate(msg spinner.TickMsg, busy bool) tea.Cmd {
	if !busy {
		return nil
	}
	var cmd tea.Cmd
	l.spin, cmd = l.spin.Update(msg)
	return cmd
}

// back reports whether a key leaves the list (esc with no filter typed).
func (l *certList) back(k tea.KeyMsg) bool {
	return key.Matches(k, keyEsc) && (l.menu == nil || l.menu.filter == "")
}

func (l *certList) waiting() bool { return l.menu == nil }

func (l *certList) View() string {
	if l.menu == nil {
		return l.spin.View() + " " + l.loading.In(l.s.lang)
	}
	return l.menu.View()
}

func (l *certList) Keys() []key.Binding {
	keys := []key.Binding{bind(l.s.lang, txtKeyBackShort, "esc", "esc")}
	if l.menu != nil {
		keys = append(l.menu.KeyBinds(), keys...)
	}
	return keys
}
