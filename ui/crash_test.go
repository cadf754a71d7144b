package ui

// Issue 17, item 2: a panic that still happens in the wizard or accessible
// mode ends the run with exit 1 and one line saying what and where; the
// draft is saved and the terminal given back.

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// brokenScreen stands for a bug: it panics in Update on "p", in View
// after "v", in a command after "c".
type brokenScreen struct{ broken *bool }

func (b brokenScreen) Init() tea.Cmd           { return nil }
func (b brokenScreen) Keys() []key.Binding     { return nil }
func (b brokenScreen) Resize(int, int) tea.Cmd { return nil }
func (b brokenScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "p" {
		var list []string
		_ = list[len(k.String())] // index out of range, as strings.Fields(" ")[0] was
	}
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "v" {
		*b.broken = true
	}
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "c" {
		return b, func() tea.Msg { panic("a command went wrong") }
	}
	return b, nil
}

func (b brokenScreen) View() string {
	if *b.broken {
		panic("drawing went wrong")
	}
	return "a screen"
}

// crashLine checks the exit message: exit 1, what and where, the draft
// saved.
func crashLine(t *testing.T, m *Wizard, what string) {
	t.Helper()
	_, stderr := m.Final()
	if m.ExitCode() != api.ExitFailure || !strings.Contains(stderr, "certwiz stopped on an internal error: "+what) ||
		!strings.Contains(stderr, "(at ui/crash_test.go:") || !strings.Contains(stderr, "Saved as acme") {
		t.Fatalf("exit %d, stderr %q", m.ExitCode(), stderr)
	}
}

// A panic in Update ends the program by itself, as a quit does; one in
// View wakes it (Run gives the wizard the program's Send).
func TestPanicEndsTheWizardWithExit1(t *testing.T) {
	for key, what := range map[string]string{"p": "runtime error: index out of range [1] with length 0", "v": "drawing went wrong"} {
		f := newFixture(t, api.English)
		m := f.wizardWith(t, example(t))
		m.open(brokenScreen{new(bool)})
		tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
		m.wake = tm.Send
		waitFor(t, tm, "a screen")
		tm.Type(key)
		crashLine(t, tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Wizard), what)
	}
}

// Accessible mode: a panic in the prompts (here a store that is nil, for
// any bug) is exit 1 and the line, not Go's exit 2 and a stack trace.
func TestPanicInAccessibleModeExits1(t *testing.T) {
	f := newFixture(t, api.English)
	f.opts.Store = nil
	var out bytes.Buffer
	code, err := RunAccessible(t.Context(), f.opts, strings.NewReader("1\n"), &out)
	if err != nil || code != api.ExitFailure || !strings.Contains(out.String(), "certwiz stopped on an internal error: runtime error: invalid memory address or nil pointer dereference (at profiles/") {
		t.Fatalf("code %d err %v\n%s", code, err, out.String())
	}
}
