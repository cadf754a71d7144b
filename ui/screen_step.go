package ui

import (
	"fmt"

	"github.com/certwiz/certwiz/api"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// stepScreen is one step's form. Going back (esc) is never validated and
// keeps every value as typed; leaving forwards saves the draft.
type stepScreen struct {
	s          *session
	i          int // index into api.Steps
	f          *huh.Form
	live       []*liveDescription
	pickers    []*picker
	env        formEnv
	note       string    // the account's answer about the step, shown above its form
	focus      huh.Field // the field focused after the last update
	fromReview bool      // return to review when done
	width      int
}

// relayoutMsg makes the form rebuild its view; huh ignores its content.
type relayoutMsg struct{}

func newStep(s *session, i int, fromReview bool) *stepScreen {
	sc := &stepScreen{s: s, i: i, fromReview: fromReview, width: 60, env: formEnv{width: 60}}
	if api.Steps[i].Step == api.StepContact {
		s.d.contactAssumed = false // the user sees the answer now
	}
	sc.f, sc.live, sc.pickers = buildForm(stepDefs(api.Steps[i].Step, s.lang), s.d, s.lang, sc.width, &sc.env)
	return sc
}

// withNote shows a message about the step above its form (the account's
// answer to a typed certificate ID), where the user is looking.
func (sc *stepScreen) withNote(note string) *stepScreen {
	sc.note = note
	return sc
}

func (sc *stepScreen) place() int      { return sc.i }
func (sc *stepScreen) form() *huh.Form { return sc.f }

func (sc *stepScreen) Init() tea.Cmd { return sc.f.Init() }

// Resize gives the form the body less the step's title. The height is
// fixed: huh measures a group once, before live descriptions load, and
// would clip a field under a description that grows.
func (sc *stepScreen) Resize(w, h int) tea.Cmd {
	sc.width, sc.env.room, sc.env.width = w, max(h-1, 3), w
	for _, p := range sc.pickers {
		p.WithHeight(0) // the form shrinks what does not fit
	}
	refreshDescriptions(sc.live)
	sc.f = sc.f.WithWidth(w).WithHeight(sc.env.room)
	_, cmd := sc.f.Update(tea.WindowSizeMsg{Width: w, Height: h - 1})
	return cmd
}

func (sc *stepScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, keyEsc) && !formUses(sc.f, k) {
		// One step back, never validated, values kept as typed. From the
		// certificate form, back is the account's list it came from.
		if sc.i == 0 && s.opts.Client != nil && !sc.fromReview {
			s.saveQuietly()
			return goTo(toStep{i: 0}), nil
		}
		return goTo(leaveBack(s, sc.i, sc.fromReview)), nil
	}
	f, cmd := sc.f.Update(msg)
	sc.f = f.(*huh.Form)
	if now := sc.f.GetFocusedField(); now != sc.focus || sc.f.State == huh.StateCompleted {
		// The field left behind scrolls away with its mark (or the step
		// ends): the status line says it where the user is looking.
		if fr, ok := sc.focus.(*framed); ok && fr.leftEmpty() {
			s.setStatus(fmt.Sprintf(txtRequired.In(s.lang), fr.label), false)
		}
		// A CSR file named replaces the CSR in the box below it at once.
		if sc.focus != nil && sc.focus.GetKey() == "csrPath" && s.d.takeCSRFile() {
			s.setStatus(fmt.Sprintf(txtCSRReplaced.In(s.lang), s.d.csrLoaded), false)
		}
		sc.focus = now
	}
	if refreshDescriptions(sc.live) {
		// Let the group lay out the new descriptions now, not a key later.
		f, _ = sc.f.Update(relayoutMsg{})
		sc.f = f.(*huh.Form)
	}
	if sc.f.State == huh.StateCompleted {
		return goTo(sc.done()), cmd
	}
	return sc, cmd
}

var keyEsc = key.NewBinding(key.WithKeys("esc"))

// formUses reports whether the focused field binds the key itself (a
// picker's filter uses esc), so the screen must not take it.
func formUses(f *huh.Form, k tea.KeyMsg) bool {
	for _, b := range f.KeyBinds() {
		if b.Enabled() && key.Matches(k, b) {
			return true
		}
	}
	return false
}

// done saves the step and moves on: after the Certificate step to the
// account's check of the ID, after the domains to the name prompt, else
// to the next step or back to review.
func (sc *stepScreen) done() route {
	s, step := sc.s, api.Steps[sc.i].Step
	if step == api.StepCSR {
		s.d.encrypt = s.d.keyPass != "" // leaving it empty is choosing no passphrase
		if err := s.d.loadCSRFile(); err != nil {
			s.setStatus(err.Error(), true)
		}
		s.d.prefillFromCSR()
	}
	if step == api.StepCertificate {
		if s.opts.Client != nil && s.d.req.CertificateId != "" {
			return checkTypedID(s, sc.fromReview)
		}
		return leaveCertificateStep(s, sc.fromReview)
	}
	s.saveQuietly()
	if step == api.StepDomains && !s.d.named {
		return toName{sc.fromReview}
	}
	return advance(sc.i, sc.fromReview)
}

func (sc *stepScreen) View() string {
	v := currentStyle.Render(api.Steps[sc.i].Label.In(sc.s.lang)) + "\n"
	if sc.note != "" {
		v += badStyle.Render(wrapWords("✗ "+sc.note, max(sc.width-2, 10))) + "\n"
	}
	return v + sc.f.View()
}

func (sc *stepScreen) Keys() []key.Binding {
	var keys []key.Binding
	if f := sc.f.GetFocusedField(); f != nil {
		keys = f.KeyBinds()
	}
	if p, ok := sc.f.GetFocusedField().(*picker); ok && p.filter != "" {
		return keys // esc clears the filter first
	}
	if sc.i > 0 || sc.fromReview || sc.s.fromStart || sc.s.opts.Client != nil {
		keys = append(keys, backKey(sc.s.lang))
	}
	return keys
}
