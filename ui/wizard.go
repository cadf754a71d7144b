// Package ui owns the terminal: the certwiz wizard (a Bubble Tea program
// with one huh form per step) and its accessible twin (plain prompts). It
// reads parameters from api's catalogue and saves drafts through profiles.
package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/csr"
	"github.com/certwiz/certwiz/profiles"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/viewport"
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
	ExportDir string           // where "Export as JSON" writes; default "."
	Now       func() time.Time // for tests
}

type screen int

const (
	scrStart screen = iota
	scrStep
	scrName
	scrReview
	scrEditPick
	scrSubmitting
	scrResult
	scrError
)

// Wizard is the root model: it routes messages to the current screen's
// form and lays out header, sidebar, body and footer.
type Wizard struct {
	opts       Options
	lang       string
	width      int
	height     int
	screen     screen
	step       int // index into api.Steps while on scrStep
	form       *huh.Form
	live       []*liveDescription // the step form's live descriptions
	d          *draft
	fromReview bool // a step edited from review returns there
	fromStart  bool // the start screen is reachable by going back
	choice     string
	starts     []huh.Option[string] // the start screen's choices, for accessible mode too
	nameInput  string
	status     string
	statusBad  bool
	scroll     viewport.Model // the review list or the error card, above its actions
	actions    int            // how many actions the select under it has
	spin       spinner.Model
	started    time.Time
	cancel     context.CancelFunc
	result     api.Result
	failure    *api.Error
	exit       int
	quitting   bool
	running    bool     // Init has run: form commands reach the program
	nav        navState // a field move huh has started, and the keys held meanwhile
	final      string   // printed on stdout after the program ends
	finalErr   string   // printed on stderr after the program ends
}

type submitDoneMsg struct {
	res api.Result
	err error
}

// relayoutMsg makes the form rebuild its view; huh ignores its content.
type relayoutMsg struct{}

// interruptMsg asks the wizard to save and quit (SIGTERM, SIGHUP, ctx done).
type interruptMsg struct{}

// NewWizard returns the wizard at its first screen.
func NewWizard(o Options) (*Wizard, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ExportDir == "" {
		o.ExportDir = "."
	}
	m := &Wizard{opts: o, lang: api.NormalizeLanguage(o.Lang), width: 80, height: 24,
		spin: spinner.New(spinner.WithSpinner(spinner.Dot)), scroll: viewport.New(60, 10)}
	if o.Profile != "" {
		p, err := o.Store.Load(o.Profile)
		if err != nil {
			return nil, err
		}
		m.d = newDraft(p.Params, p.Name)
		m.resume()
		return m, nil
	}
	m.fromStart = true
	m.showStart()
	return m, nil
}

// ExitCode is the process exit code after the program ends.
func (m *Wizard) ExitCode() int { return m.exit }

// Final is what to print after the program ends: stdout and stderr text.
func (m *Wizard) Final() (string, string) { return m.final, m.finalErr }

// Init starts the first screen's form. Before the program runs, forms are
// only built: huh computes live descriptions once, through commands, and
// those must reach the program.
func (m *Wizard) Init() tea.Cmd {
	m.running = true
	return m.initForm()
}

func (m *Wizard) initForm() tea.Cmd {
	if m.form == nil {
		return nil
	}
	m.sizeForm()
	cmd := m.form.Init()
	_, sizeCmd := m.form.Update(tea.WindowSizeMsg{Width: m.bodyWidth(), Height: m.bodyHeight()})
	return tea.Batch(cmd, sizeCmd)
}

// sizeScroll gives the scrolled text what the actions under it leave.
func (m *Wizard) sizeScroll() {
	title := 0
	if m.screen == scrReview {
		title = 1
	}
	m.scroll.Width, m.scroll.Height = m.bodyWidth(), max(m.bodyHeight()-m.actions-title-1, 2)
}

// sizeForm fits the form to the body. A step's form gets a fixed height:
// huh measures a group once, before live descriptions have loaded, and
// would clip the field below a description that grows.
func (m *Wizard) sizeForm() {
	m.form = m.form.WithWidth(m.bodyWidth())
	if m.screen == scrStep {
		// Leave room under the fields for huh's error footer.
		reserve := 4
		if m.compact() {
			reserve = 3
		}
		m.form = m.form.WithHeight(max(m.bodyHeight()-reserve, 3))
	}
}

func (m *Wizard) setForm(f *huh.Form) tea.Cmd {
	m.form, m.live = f, nil
	if !m.running {
		return nil
	}
	return m.initForm()
}

// Update routes a message. Keys typed while huh is still moving to the next
// field (it does so through a command, so it lands a moment later) are held
// and replayed once the move is done: fast typists and pastes of several
// fields never see their keys land in the field they just left.
func (m *Wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && m.nav.waiting && k.String() != "ctrl+c" {
		m.nav.queued = append(m.nav.queued, k)
		return m, nil
	}
	if t, ok := msg.(navTimeoutMsg); ok {
		if t.seq != m.nav.seq {
			return m, nil // a move that has long finished
		}
		m.nav.waiting = false
		return m, m.replay()
	}
	_, isKey := msg.(tea.KeyMsg)
	model, cmd := m.update(msg)
	switch {
	case isKey && m.startsMove(msg.(tea.KeyMsg)):
		seq := m.nav.seq + 1
		m.nav = navState{waiting: true, form: m.form, field: m.form.GetFocusedField(), queued: m.nav.queued, seq: seq}
		// Should huh not move after all (a select applying its filter), the
		// held keys go on after a moment.
		return model, tea.Batch(cmd, tea.Tick(300*time.Millisecond, func(time.Time) tea.Msg { return navTimeoutMsg{seq: seq} }))
	case m.nav.waiting && m.moved():
		m.nav.waiting = false
		return model, tea.Batch(cmd, m.replay())
	}
	return model, cmd
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

// startsMove reports whether key may have started a move to another field
// or step: enter, tab or shift+tab on a form whose field accepted its value.
func (m *Wizard) startsMove(k tea.KeyMsg) bool {
	switch k.String() {
	case "enter", "tab", "shift+tab":
	default:
		return false
	}
	return m.form != nil && m.form.State == huh.StateNormal && len(m.form.Errors()) == 0
}

// moved reports whether the move the wizard waits for has happened.
func (m *Wizard) moved() bool {
	return m.form != m.nav.form || m.form == nil || m.form.State != huh.StateNormal ||
		m.form.GetFocusedField() != m.nav.field || len(m.form.Errors()) > 0
}

// replay sends the held keys again, in order, until one starts a new move.
func (m *Wizard) replay() tea.Cmd {
	var cmds []tea.Cmd
	for len(m.nav.queued) > 0 && !m.nav.waiting {
		k := m.nav.queued[0]
		m.nav.queued = m.nav.queued[1:]
		_, cmd := m.Update(k)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Wizard) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.sizeScroll()
		if m.form != nil {
			m.sizeForm()
			_, cmd := m.form.Update(tea.WindowSizeMsg{Width: m.bodyWidth(), Height: m.bodyHeight()})
			return m, cmd
		}
		return m, nil
	case interruptMsg:
		return m, m.interrupt()
	case submitDoneMsg:
		return m, m.submitDone(msg)
	case spinner.TickMsg:
		if m.screen == scrSubmitting {
			var cmd tea.Cmd
			m.spin, cmd = m.spin.Update(msg)
			return m, cmd
		}
		return m, nil
	case tea.KeyMsg:
		if cmd, handled := m.key(msg); handled {
			return m, cmd
		}
	}
	if m.form == nil {
		return m, nil
	}
	f, cmd := m.form.Update(msg)
	m.form = f.(*huh.Form)
	if refreshDescriptions(m.live) {
		// Let the group lay out the new descriptions now, not a key later.
		f, _ = m.form.Update(relayoutMsg{})
		m.form = f.(*huh.Form)
	}
	if m.form.State == huh.StateCompleted {
		return m, tea.Batch(cmd, m.formDone())
	}
	return m, cmd
}

var escKey = key.NewBinding(key.WithKeys("esc"))

// key handles the wizard's own keys before the form sees them.
func (m *Wizard) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	if msg.String() == "ctrl+c" {
		return m.interrupt(), true
	}
	switch m.screen {
	case scrSubmitting:
		if key.Matches(msg, escKey) && m.cancel != nil {
			m.cancel()
		}
		return nil, true
	case scrResult:
		switch msg.String() {
		case "enter", "q", "esc":
			return m.quit(), true
		}
		return nil, true
	}
	if m.screen == scrReview || m.screen == scrError {
		switch msg.String() {
		case "pgup", "pgdown":
			var cmd tea.Cmd
			m.scroll, cmd = m.scroll.Update(msg)
			return cmd, true
		}
	}
	if !key.Matches(msg, escKey) || m.formUses(msg) {
		return nil, false
	}
	// esc: one step back, never validated, values kept as typed.
	switch m.screen {
	case scrStep:
		m.saveQuietly()
		switch {
		case m.fromReview:
			return m.showReview(), true
		case m.step > 0:
			return m.gotoStep(m.step - 1), true
		case m.fromStart:
			return m.showStart(), true
		}
		return nil, true
	case scrName:
		return m.gotoStep(m.stepIndex(api.StepDomains)), true
	case scrReview:
		return m.gotoStep(len(api.Steps) - 1), true
	case scrEditPick, scrError:
		return m.showReview(), true
	}
	return nil, false
}

// formUses reports whether the focused field binds the key itself (a
// select's filter uses esc), so the wizard must not take it.
func (m *Wizard) formUses(msg tea.KeyMsg) bool {
	if m.form == nil {
		return false
	}
	for _, b := range m.form.KeyBinds() {
		if b.Enabled() && key.Matches(msg, b) {
			return true
		}
	}
	return false
}

// formDone moves on once the current form is completed.
func (m *Wizard) formDone() tea.Cmd {
	switch m.screen {
	case scrStart:
		return m.startChosen()
	case scrStep:
		if api.Steps[m.step].Step == api.StepCSR {
			m.d.prefillFromCSR()
		}
		m.saveQuietly()
		if api.Steps[m.step].Step == api.StepDomains && !m.d.named {
			return m.showName()
		}
		return m.advance()
	case scrName:
		return m.nameChosen()
	case scrReview:
		return m.reviewChosen()
	case scrEditPick:
		var i int
		fmt.Sscan(m.choice, &i)
		m.fromReview = true
		return m.gotoStep(i)
	case scrError:
		return m.errorChosen()
	}
	return nil
}

func (m *Wizard) advance() tea.Cmd {
	if m.fromReview || m.step+1 >= len(api.Steps) {
		return m.showReview()
	}
	return m.gotoStep(m.step + 1)
}

func (m *Wizard) stepIndex(s api.Step) int {
	for i, st := range api.Steps {
		if st.Step == s {
			return i
		}
	}
	return 0
}

// resume opens a continued profile at its first step that is not done,
// or at review when all are.
func (m *Wizard) resume() tea.Cmd {
	for i, s := range api.ProgressOf(m.d.request()).Steps {
		if s.State != api.StepDone {
			return m.gotoStep(i)
		}
	}
	return m.showReview()
}

func (m *Wizard) gotoStep(i int) tea.Cmd {
	m.screen, m.step = scrStep, i
	f, live := buildForm(stepDefs(api.Steps[i].Step, m.lang), m.d, m.lang, m.bodyWidth())
	cmd := m.setForm(f)
	m.live = live
	return cmd
}

// ---- start ----

func (m *Wizard) showStart() tea.Cmd {
	m.screen, m.choice = scrStart, "new"
	opts := []huh.Option[string]{huh.NewOption(txtNew.In(m.lang), "new")}
	var notes []string
	if entries, err := m.opts.Store.List(); err == nil {
		for _, e := range entries {
			if e.Err != nil {
				notes = append(notes, fmt.Sprintf(txtUnreadable.In(m.lang), e.Path, shortErr(e.Err)))
				continue
			}
			pr := api.ProgressOf(e.Profile.Params)
			opts = append(opts, huh.NewOption(fmt.Sprintf(txtContinue.In(m.lang), e.Name, pr.Done, len(pr.Steps)), "continue:"+e.Name))
		}
		for _, e := range entries {
			if e.Err == nil {
				opts = append(opts, huh.NewOption(fmt.Sprintf(txtFromTemplate.In(m.lang), e.Name), "template:"+e.Name))
			}
		}
	}
	if m.opts.Client == nil {
		notes = append([]string{txtCredentials.In(m.lang) + ": " + txtNoCreds.In(m.lang)}, notes...)
	}
	m.starts = opts
	sel := huh.NewSelect[string]().Title(txtStart.In(m.lang)).Options(opts...).Value(&m.choice)
	if len(notes) > 0 {
		sel = sel.Description(strings.Join(notes, "\n"))
	}
	return m.setForm(huh.NewForm(huh.NewGroup(sel)).WithShowHelp(false).WithWidth(m.bodyWidth()).WithTheme(theme()))
}

func shortErr(err error) string {
	var fe *profiles.FileError
	if errors.As(err, &fe) {
		return fe.Err.Error()
	}
	return err.Error()
}

func (m *Wizard) startChosen() tea.Cmd {
	kind, name, _ := strings.Cut(m.choice, ":")
	switch kind {
	case "continue", "template":
		p, err := m.opts.Store.Load(name)
		if err != nil {
			m.setStatus(err.Error(), true)
			return m.showStart()
		}
		if kind == "continue" {
			m.d = newDraft(p.Params, p.Name)
			return m.resume()
		}
		m.d = newDraft(profiles.Template(p.Params), "")
	default:
		m.d = newDraft(api.Request{}, "")
	}
	return m.gotoStep(0)
}

// ---- naming and saving ----

func (m *Wizard) showName() tea.Cmd {
	m.screen = scrName
	m.nameInput = m.d.defaultName()
	if m.d.name != "" && m.nameInput != m.d.name && m.taken(m.nameInput) {
		m.nameInput = m.d.name
	}
	in := huh.NewInput().Title(txtSaveAs.In(m.lang)).Description(txtSaveAsHint.In(m.lang)).Value(&m.nameInput).
		Validate(func(v string) error {
			if err := profiles.ValidName(v); err != nil {
				return err
			}
			if v != m.d.name && m.taken(v) {
				return fmt.Errorf("%s: %w", v, profiles.ErrExists)
			}
			return nil
		})
	return m.setForm(huh.NewForm(huh.NewGroup(in)).WithShowHelp(false).WithWidth(m.bodyWidth()).WithTheme(theme()))
}

func (m *Wizard) taken(name string) bool {
	_, err := m.opts.Store.Load(name)
	return !errors.Is(err, profiles.ErrNotFound)
}

func (m *Wizard) nameChosen() tea.Cmd {
	if m.d.name != "" && m.d.name != m.nameInput {
		if err := m.opts.Store.Rename(m.d.name, m.nameInput); err != nil && !errors.Is(err, profiles.ErrNotFound) {
			m.setStatus(err.Error(), true)
			return m.showName()
		}
	}
	m.d.name, m.d.named = m.nameInput, true
	m.saveQuietly()
	return m.advance()
}

// save writes the draft to its profile, choosing a free provisional name
// the first time. An empty draft is not saved.
func (m *Wizard) save() error {
	if m.d == nil || m.d.empty() {
		return nil
	}
	if m.d.name == "" {
		base := m.d.defaultName()
		name := base
		for i := 2; m.taken(name); i++ {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		m.d.name = name
	}
	return m.opts.Store.Save(m.d.profile())
}

func (m *Wizard) saveQuietly() {
	if err := m.save(); err != nil {
		m.setStatus(err.Error(), true)
	}
}

func (m *Wizard) setStatus(s string, bad bool) { m.status, m.statusBad = s, bad }

// interrupt saves what was typed and quits with 130 (ctrl+c, SIGTERM, SIGHUP).
func (m *Wizard) interrupt() tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	m.exit = api.ExitInterrupted
	if err := m.save(); err != nil {
		m.finalErr = err.Error() + "\n"
	} else if m.d != nil && m.d.name != "" {
		m.finalErr = fmt.Sprintf(txtSavedAs.In(m.lang), m.d.name, m.d.name) + "\n"
	}
	return m.quit()
}

// quit ends the program after this frame.
func (m *Wizard) quit() tea.Cmd {
	m.form, m.quitting = nil, true
	return tea.Quit
}

// ---- review ----

// generateIfNeeded makes the key and CSR of "generate here" once the names
// and organization are known, or again when the names changed since. The
// key file is new, 0600, and the request then carries the CSR as parse.
func (m *Wizard) generateIfNeeded() error {
	d := m.d
	r := d.request().Normalized()
	if d.csrMode != modeGenerate || r.CertificateDomain == "" {
		return nil
	}
	if g := d.generated; g != nil && g.domain == r.CertificateDomain && slices.Equal(g.names, r.DomainList) {
		return nil
	}
	keyPath := expandHome(strings.TrimSpace(d.keyPath))
	if keyPath == "" {
		name := d.name
		if name == "" {
			name = d.defaultName()
		}
		keyPath = name + ".key"
	}
	csrPath := strings.TrimSuffix(keyPath, ".key") + ".csr"
	subject := csr.Subject{CommonName: r.CertificateDomain, Organization: r.OrganizationName, OrganizationalUnit: r.OrganizationDivision,
		Locality: r.OrganizationCity, Province: r.OrganizationRegion, Country: r.OrganizationCountry}
	gen, err := csr.Generate(csr.KeyType(d.keyType), subject, r.DomainList, []byte(d.keyPass))
	if err == nil {
		err = csr.WritePair(gen, keyPath, csrPath)
	}
	if err != nil {
		return fmt.Errorf("%w (%s)", err, txtEditStep.In(m.lang)+": "+api.StepCSR.Label(m.lang))
	}
	d.req.CsrContent = gen.Info.PEM
	d.generated = &generatedCSR{keyPath: keyPath, csrPath: csrPath, key: gen.Info.Key(), domain: r.CertificateDomain, names: r.DomainList}
	m.saveQuietly()
	m.setStatus(fmt.Sprintf(txtGenerated.In(m.lang), keyPath, gen.Info.Key(), csrPath), false)
	return nil
}

func (m *Wizard) showReview() tea.Cmd {
	if err := m.generateIfNeeded(); err != nil {
		m.setStatus(err.Error(), true)
	}
	m.screen, m.fromReview, m.choice = scrReview, false, ""
	m.actions = 4
	m.sizeScroll()
	m.scroll.SetContent(m.reviewText())
	m.scroll.GotoTop()
	n := m.blockers()
	submit := txtSubmit.In(m.lang)
	switch {
	case m.opts.Client == nil:
		submit = txtSubmitNoCreds.In(m.lang)
	case n > 0:
		submit = fmt.Sprintf(txtSubmitBlock.In(m.lang), n)
	}
	opts := []huh.Option[string]{
		huh.NewOption(submit, "submit"), huh.NewOption(txtEditStep.In(m.lang), "edit"),
		huh.NewOption(txtSaveQuit.In(m.lang), "save"), huh.NewOption(txtExportJSON.In(m.lang), "export"),
	}
	if n > 0 {
		m.choice = "edit"
	}
	sel := huh.NewSelect[string]().Options(opts...).Value(&m.choice).Inline(false)
	return m.setForm(huh.NewForm(huh.NewGroup(sel)).WithShowHelp(false).WithWidth(m.bodyWidth()).WithTheme(theme()))
}

// blockers counts what keeps the draft from being submitted: its problems,
// plus one when there are no credentials to sign with.
func (m *Wizard) blockers() int {
	n := len(api.Validate(m.d.request(), api.Complete))
	if m.opts.Client == nil {
		n++
	}
	return n
}

func (m *Wizard) reviewChosen() tea.Cmd {
	switch m.choice {
	case "submit":
		if m.blockers() > 0 {
			if m.opts.Client == nil {
				m.setStatus(txtNoCreds.In(m.lang), true)
			}
			return m.showReview()
		}
		return m.startSubmit()
	case "edit":
		return m.showEditPick()
	case "save":
		if err := m.save(); err != nil {
			m.setStatus(err.Error(), true)
			return m.showReview()
		}
		m.finalErr = fmt.Sprintf(txtSavedAs.In(m.lang), m.d.name, m.d.name) + "\n"
		return m.quit()
	case "export":
		m.saveQuietly()
		path, err := m.export()
		if err != nil {
			m.setStatus(err.Error(), true)
		} else {
			m.setStatus(fmt.Sprintf(txtExported.In(m.lang), path), false)
		}
		return m.showReview()
	}
	return m.showReview()
}

// export writes the API parameters as JSON (what tccli's --cli-input-json
// takes); the KeyPassword is left out like everywhere on disk.
func (m *Wizard) export() (string, error) {
	r := m.d.request().Normalized()
	r.KeyPassword = ""
	data, err := json.MarshalIndent(r.Params(), "", "  ")
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	name := m.d.name
	if name == "" {
		name = m.d.defaultName()
	}
	path := filepath.Join(m.opts.ExportDir, name+".json")
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return "", fmt.Errorf("export %s: %w", path, err)
	}
	return path, nil
}

func (m *Wizard) showEditPick() tea.Cmd {
	m.screen, m.choice = scrEditPick, "0"
	var opts []huh.Option[string]
	for i, st := range api.Steps {
		opts = append(opts, huh.NewOption(fmt.Sprintf("%d. %s", i+1, st.Label.In(m.lang)), fmt.Sprint(i)))
	}
	sel := huh.NewSelect[string]().Title(txtWhichStep.In(m.lang)).Options(opts...).Value(&m.choice)
	return m.setForm(huh.NewForm(huh.NewGroup(sel)).WithShowHelp(false).WithWidth(m.bodyWidth()).WithTheme(theme()))
}

// ---- submitting ----

func (m *Wizard) startSubmit() tea.Cmd {
	m.screen, m.form, m.status = scrSubmitting, nil, ""
	m.started = m.opts.Now()
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	req := m.d.request().Normalized()
	client := m.opts.Client
	return tea.Batch(m.spin.Tick, func() tea.Msg {
		res, err := client.Submit(ctx, req)
		return submitDoneMsg{res: res, err: err}
	})
}

func (m *Wizard) submitDone(msg submitDoneMsg) tea.Cmd {
	m.cancel = nil
	req := m.d.request()
	rec := profiles.Record{Time: m.opts.Now().UTC(), Profile: m.d.name, CertificateId: req.CertificateId,
		RequestId: msg.res.RequestId, Outcome: profiles.OutcomeOK, Endpoint: m.opts.Endpoint}
	var e *api.Error
	if msg.err != nil && !errors.As(msg.err, &e) {
		e = &api.Error{Code: api.CodeNetwork, Message: msg.err.Error(), Err: msg.err}
	}
	if e != nil {
		rec.Outcome, rec.RequestId = e.Code, e.RequestId
	}
	if e != nil && e.Code == api.CodeCanceled {
		m.setStatus(txtCancelled.In(m.lang), false)
		m.recordHistory(rec)
		return m.showReview()
	}
	m.recordHistory(rec)
	if e != nil {
		m.failure, m.exit = e, e.ExitCode()
		return m.showError()
	}
	m.result, m.screen, m.exit, m.failure = msg.res, scrResult, api.ExitOK, nil
	m.final = fmt.Sprintf("CertificateId: %s\nRequestId: %s\n", msg.res.CertificateId, msg.res.RequestId)
	return nil
}

func (m *Wizard) recordHistory(rec profiles.Record) {
	if m.opts.History == nil {
		return
	}
	if err := m.opts.History.Append(rec); err != nil {
		m.setStatus(err.Error(), true)
	}
}

// ---- error card ----

func (m *Wizard) showError() tea.Cmd {
	m.screen, m.choice = scrError, ""
	gd := m.failure.Guide()
	var opts []huh.Option[string]
	if gd.Step != "" {
		opts = append(opts, huh.NewOption(fmt.Sprintf(txtEditPointed.In(m.lang), gd.Step.Label(m.lang)), "edit"))
	}
	if gd.Retry {
		opts = append(opts, huh.NewOption(txtRetry.In(m.lang), "retry"))
	}
	opts = append(opts, huh.NewOption(txtBackReview.In(m.lang), "review"), huh.NewOption(txtSaveQuit.In(m.lang), "save"))
	m.choice, m.actions = opts[0].Value, len(opts)
	m.sizeScroll()
	m.scroll.SetContent(m.errorCard())
	m.scroll.GotoTop()
	sel := huh.NewSelect[string]().Options(opts...).Value(&m.choice)
	return m.setForm(huh.NewForm(huh.NewGroup(sel)).WithShowHelp(false).WithWidth(m.bodyWidth()).WithTheme(theme()))
}

func (m *Wizard) errorChosen() tea.Cmd {
	switch m.choice {
	case "edit":
		m.fromReview = true
		return m.gotoStep(m.stepIndex(m.failure.Guide().Step))
	case "retry":
		return m.startSubmit()
	case "save":
		if err := m.save(); err == nil && m.d.name != "" {
			m.finalErr = fmt.Sprintf(txtSavedAs.In(m.lang), m.d.name, m.d.name) + "\n"
		}
		return m.quit()
	}
	return m.showReview()
}
