// Package ui owns the terminal: the certwiz wizard and its accessible twin.
//
// The wizard is a Bubble Tea program with one small model per screen under
// a root that routes and lays out; its twin asks plain prompts over the
// same step definitions. It reads parameters from api's catalogue and saves drafts through
// profiles.
package ui

import (
	"fmt"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/profiles"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// Options configure the wizard; main wires them.
type Options struct {
	Lang       string
	Store      *profiles.Store
	History    *profiles.History // nil: history is not recorded
	Client     *api.Client       // nil when no credentials were found
	Endpoint   string            // shown on every screen
	CredSource string            // "environment (…), SecretId ****ABCD"; "" when none
	CredID     string            // the masked SecretId alone, for narrow screens
	Sandbox    bool
	Profile    string // --profile: continue this one
	// Resume is the command line that reopens this session, without
	// --profile (e.g. ["certwiz", "--sandbox", "--config-dir", "/x"]); the
	// wizard adds "--profile NAME" and shell-quotes it. Empty: "certwiz".
	Resume    []string
	ExportDir string // where "Export as JSON" writes; default "."
	// Lookup says where the local check of validation records asks
	// (the sandbox's own servers with --sandbox; zero: the system's
	// resolver and the zones' name servers).
	Lookup dnscheck.Options
	// Clipboard copies a value for the user (OSC 52 on the wizard's
	// terminal unless set; tests capture it).
	Clipboard func(string) error
	// WatchInterval and WatchTencentEvery shorten the validation watch's
	// local and Tencent checks (tests); zero: api/watch's defaults.
	WatchInterval, WatchTencentEvery time.Duration
	// VerifyWait shortens how long the servers checked after "install
	// here" have to present the certificate (tests); zero: the
	// installation's. It is never saved.
	VerifyWait time.Duration
	Now        func() time.Time // for tests
}

// screen is one page of the wizard: the start menu, a step's form, the
// review... The root gives it the body's size and routes messages to it;
// it answers with itself, or with goTo(route) to leave: screens never
// build each other (routes.go does). A new screen is a new file and a
// route; nothing else changes but the screens that lead to it.
type screen interface {
	Init() tea.Cmd
	Update(tea.Msg) (screen, tea.Cmd)
	View() string        // the body, within the size given
	Keys() []key.Binding // the footer's help: the keys that work here
	Resize(width, height int) tea.Cmd
}

// onRoad is a screen with a place among the steps, for the sidebar and
// the progress line: an index of api.Steps, or len(api.Steps) for review.
type onRoad interface{ place() int }

// withForm is a screen driven by a huh form, whose field moves the root
// watches to hold keys typed meanwhile.
type withForm interface{ form() *huh.Form }

// waiting is a screen that waits for an answer (the certificate list, a
// check): keys typed meanwhile are held for the screen that follows, so a
// fast typist or a script loses none.
type waiting interface{ waiting() bool }

// Wizard is the root model: it routes messages to the current screen and
// lays out header, sidebar, body and footer.
type Wizard struct {
	s       *session
	cur     screen
	width   int
	height  int
	running bool     // Init has run: commands reach the program
	nav     navState // a field move huh has started, and the keys held meanwhile
	// wake sends the program a message (Run sets it), so that a panic in
	// View, which cannot quit by itself, ends the program at once.
	wake func(tea.Msg)
}

// interruptMsg asks the wizard to save and quit (SIGTERM, SIGHUP, ctx done).
type interruptMsg struct{}

// quitMsg ends the program once the screen has said its last words.
type quitMsg struct{}

func quit() tea.Msg { return quitMsg{} }

// NewWizard returns the wizard at its first screen.
func NewWizard(o Options) (*Wizard, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ExportDir == "" {
		o.ExportDir = "."
	}
	s := &session{opts: o, lang: api.NormalizeLanguage(o.Lang)}
	m := &Wizard{s: s, width: 80, height: 24}
	if o.Profile != "" {
		p, err := o.Store.Load(o.Profile)
		if err != nil {
			return nil, fmt.Errorf("open profile %q: %w", o.Profile, err)
		}
		s.d = draftOf(p)
		m.cur = s.screenFor(toResume{})
	} else {
		s.fromStart = true
		m.cur = s.screenFor(toStart{})
	}
	m.cur.Resize(m.bodyWidth(), m.bodyHeight())
	return m, nil
}

// ExitCode is the process exit code after the program ends.
func (m *Wizard) ExitCode() int { return m.s.exitCode() }

// Final is what to print after the program ends: stdout and stderr text.
func (m *Wizard) Final() (string, string) { return m.s.final, m.s.exitMessage() }

// Init starts the first screen. Before the program runs, screens are only
// built: huh loads live descriptions through commands, which must reach
// the program.
func (m *Wizard) Init() tea.Cmd {
	m.running = true
	return tea.Batch(m.cur.Resize(m.bodyWidth(), m.bodyHeight()), m.cur.Init())
}

// show makes next the current screen.
func (m *Wizard) show(next screen) tea.Cmd {
	m.cur = next
	resize := next.Resize(m.bodyWidth(), m.bodyHeight())
	if !m.running {
		return nil
	}
	return tea.Batch(next.Init(), resize)
}

func (m *Wizard) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

// update routes a message. Keys typed while huh is still moving to the
// next field (it does so through a command, so it lands a moment later)
// are held and replayed once the move is done: fast typists and pastes of
// several fields never see their keys land in the field they just left.
func (m *Wizard) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, m.cur.Resize(m.bodyWidth(), m.bodyHeight())
	case interruptMsg:
		return m, m.interrupt()
	case quitMsg:
		m.s.quitting = true
		return m, tea.Quit
	case navTimeoutMsg:
		if msg.seq != m.nav.seq {
			return m, nil // a move that has long finished
		}
		m.nav.waiting = false
		return m, m.replay()
	case tea.KeyMsg:
		if msg.String() == "ctrl+c" {
			return m, m.interrupt()
		}
		if m.tooSmall() {
			return m, nil // the user cannot see what a key would do
		}
		if m.nav.waiting || (m.busy() && msg.String() != "esc") {
			m.nav.queued = append(m.nav.queued, msg)
			return m, nil
		}
		// A status line lasts until the next key after it was shown.
		if m.s.statusSeen {
			m.s.setStatus("", false)
		}
	}
	before := m.cur
	next, cmd := m.cur.Update(msg)
	next = m.s.follow(next)
	if next != before {
		cmd = tea.Batch(cmd, m.show(next))
	}
	k, isKey := msg.(tea.KeyMsg)
	switch {
	case isKey && next == before && m.startsMove(k):
		f := m.curForm()
		seq := m.nav.seq + 1
		m.nav = navState{waiting: true, form: f, field: f.GetFocusedField(), queued: m.nav.queued, seq: seq}
		// Should huh not move after all, the held keys go on after a moment.
		return m, tea.Batch(cmd, tea.Tick(1500*time.Millisecond, func(time.Time) tea.Msg { return navTimeoutMsg{seq: seq} }))
	case m.nav.waiting && m.moved():
		m.nav.waiting = false
		return m, tea.Batch(cmd, m.replay())
	case !m.nav.waiting && !m.busy() && len(m.nav.queued) > 0 && !isKey:
		return m, tea.Batch(cmd, m.replay()) // the answer came: the held keys go on
	}
	return m, cmd
}

func (m *Wizard) busy() bool {
	w, ok := m.cur.(waiting)
	return ok && w.waiting()
}

// navState tracks a field move huh has started but not finished.
type navState struct {
	waiting bool
	form    *huh.Form
	field   huh.Field
	queued  []tea.KeyMsg
	seq     int // which move a timeout belongs to
}

type navTimeoutMsg struct{ seq int }

func (m *Wizard) curForm() *huh.Form {
	if f, ok := m.cur.(withForm); ok {
		return f.form()
	}
	return nil
}

// startsMove reports whether key may have started a move to another field:
// enter, tab or shift+tab on a form whose field accepted its value.
func (m *Wizard) startsMove(k tea.KeyMsg) bool {
	switch k.String() {
	case "enter", "tab", "shift+tab":
	default:
		return false
	}
	f := m.curForm()
	if f == nil || f.State != huh.StateNormal || len(f.Errors()) > 0 {
		return false
	}
	if k.String() == "shift+tab" {
		// Only where there is a field to go back to (the field says so).
		for _, b := range f.KeyBinds() {
			if b.Enabled() && key.Matches(k, b) {
				return true
			}
		}
		return false
	}
	return true
}

// moved reports whether the move the wizard waits for has happened.
func (m *Wizard) moved() bool {
	f := m.curForm()
	return f != m.nav.form || f == nil || f.State != huh.StateNormal ||
		f.GetFocusedField() != m.nav.field || len(f.Errors()) > 0
}

// replay sends the held keys again, in order, until one starts a new move.
func (m *Wizard) replay() tea.Cmd {
	var cmds []tea.Cmd
	for len(m.nav.queued) > 0 && !m.nav.waiting && !m.busy() {
		k := m.nav.queued[0]
		m.nav.queued = m.nav.queued[1:]
		_, cmd := m.update(k)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// interrupt saves what was typed and quits with 130 (ctrl+c, SIGTERM,
// SIGHUP).
func (m *Wizard) interrupt() tea.Cmd {
	m.s.interrupted()
	m.s.quitting = true
	return tea.Quit
}
