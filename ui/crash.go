package ui

import (
	"fmt"
	"path"
	"runtime"
	"strconv"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	tea "github.com/charmbracelet/bubbletea"
)

// A panic in certwiz's own code is a bug. Wherever it happens, the
// terminal is given back as on any exit, the draft is saved, and the exit
// is 1 with one line saying what happened and where: never Go's exit 2
// (a usage error) and a stack trace on a terminal left in raw mode.

// crashed records a panic recovered in the session's code and saves the
// draft (a save that panics too is given up).
func (s *session) crashed(r any, site string) {
	if s.crash != "" {
		return
	}
	s.crash = fmt.Sprintf(txtCrashed.In(s.lang), safe.Text(fmt.Sprint(r)), site) + "\n"
	s.exit = api.ExitFailure
	func() {
		defer func() { _ = recover() }()
		if s.d != nil && s.save() == nil {
			s.crash += s.savedLine()
		}
	}()
	s.finalErr = s.crash
}

// panicSite is where the panic being recovered happened: the first frame
// of certwiz's own code under runtime.gopanic, as "ui/file.go:123". Called
// from the deferred function that recovers.
func panicSite() string {
	pc := make([]uintptr, 64)
	frames := runtime.CallersFrames(pc[:runtime.Callers(2, pc)])
	below := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			below = true
		case below && strings.HasPrefix(f.Function, "github.com/certwiz/certwiz/"):
			return path.Base(path.Dir(f.File)) + "/" + path.Base(f.File) + ":" + strconv.Itoa(f.Line)
		}
		if !more {
			return "?"
		}
	}
}

// crashMsg wakes the program after a panic in View.
type crashMsg struct{}

// Update routes a message; a panic ends the program as a quit does, so
// Bubble Tea gives the terminal back (alternate screen, cursor, echo).
func (m *Wizard) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	if m.s.crash != "" {
		return m, tea.Quit
	}
	defer func() {
		if r := recover(); r != nil {
			m.s.crashed(r, panicSite())
			model, cmd = m, tea.Quit
		}
	}()
	return m.update(msg)
}

// View draws the screen; after a panic it draws nothing and wakes the
// program, whose next Update quits.
func (m *Wizard) View() (view string) {
	if m.s.crash != "" {
		return ""
	}
	defer func() {
		if r := recover(); r != nil {
			m.s.crashed(r, panicSite())
			view = ""
			if m.wake != nil {
				go m.wake(crashMsg{})
			}
		}
	}()
	return m.view()
}
