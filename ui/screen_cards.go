package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// pane is a text that scrolls above an optional menu of actions: the
// review, the result and the error cards. When the terminal is short the
// text scrolls, so no line of it is ever out of reach.
type pane struct {
	vp     viewport.Model
	render func(width int) string
	menu   *picker // nil: no actions
	head   int     // lines the screen shows above the pane
	widest int     // the widest line of the text, for the footer's ←/→
}

func newPane(render func(int) string, menu *picker) pane {
	vp := viewport.New(60, 10)
	vp.SetHorizontalStep(8) // lines meant to be copied are never wrapped: ←/→ show the rest
	return pane{vp: vp, render: render, menu: menu}
}

// wide reports a pane holding lines wider than it shows (←/→ show them),
// as measured when its text was last laid out.
func (p *pane) wide() bool { return p.widest > p.vp.Width }

func (p *pane) resize(w, h int) {
	if p.menu != nil {
		p.menu.WithWidth(w)
	}
	p.vp.Width, p.vp.Height = w, max(h-p.head-p.below(), 2)
	text := p.render(w)
	p.widest = lipgloss.Width(text)
	p.vp.SetContent(text)
}

// below is the height of the menu under the text.
func (p *pane) below() int {
	if p.menu == nil {
		return 0
	}
	return lipgloss.Height(p.menu.View())
}

// sideKeys show the rest of lines wider than the pane; no menu uses them.
var sideKeys = key.NewBinding(key.WithKeys("left", "right"))

// key scrolls the text or moves in the menu; it returns the action chosen
// with enter, or "".
func (p *pane) key(k tea.KeyMsg, lang string) string {
	switch {
	case key.Matches(k, scrollKeys(lang)), key.Matches(k, sideKeys), p.menu == nil:
		p.vp, _ = p.vp.Update(k)
	case key.Matches(k, pickNext):
		v, _ := p.menu.hovered()
		return v
	default:
		p.menu.Update(k)
	}
	return ""
}

func (p *pane) view() string {
	if p.menu == nil {
		return p.vp.View()
	}
	return p.vp.View() + "\n" + p.menu.View()
}

// resultScreen is the submission's receipt. It says the truth: the
// information is stored, the order is not with the CA until it is sent,
// and offers to send it (or how to later).
type resultScreen struct {
	s      *session
	res    api.Result
	p      pane
	choice string
}

func newResult(s *session, res api.Result) *resultScreen {
	sc := &resultScreen{s: s, res: res, choice: "send"}
	s.onward = s.onwardLine(fmt.Sprintf(txtSendLater.In(s.lang), s.commandLine("commit", res.CertificateId)))
	opts := []pickOption{{txtSendNow.In(s.lang), "send"}, {txtLater.In(s.lang), "later"}}
	sc.p = newPane(sc.card, newMenu(s.lang, "", opts, &sc.choice))
	return sc
}

func (sc *resultScreen) place() int              { return len(api.Steps) }
func (sc *resultScreen) Init() tea.Cmd           { return nil }
func (sc *resultScreen) Resize(w, h int) tea.Cmd { sc.p.resize(w, h); return nil }

func (sc *resultScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return sc, nil
	}
	switch sc.p.key(k, s.lang) {
	case "send":
		return goTo(toConfirmSend{sc.res}), nil
	case "later":
		s.saveQuietly()
		s.finalErr = s.onward // the commit command, set with this card
		return sc, quit
	}
	return sc, nil
}

// storedWords says where the information is: never "at Tencent Cloud"
// when it is the sandbox.
func storedWords(s *session) string {
	if s.opts.Sandbox {
		return txtStoredSandbox.In(s.lang)
	}
	return txtStored.In(s.lang)
}

// notWithCA says the order is not with the CA yet, what sending starts,
// and for an OV/EV product the confirmation letter it will also wait for.
func notWithCA(s *session) string {
	text := fmt.Sprintf(txtNotWithCA.In(s.lang), verifyWords(s))
	if s.d.req.IsDV == "false" {
		text += txtLetterToo.In(s.lang)
	}
	return text
}

// verifyWords names the validation method, as the API and the console do.
func verifyWords(s *session) string {
	if v := s.d.request().Normalized().VerifyType; v != "" {
		return v
	}
	return api.MethodDNS.Label()
}

func (sc *resultScreen) card(width int) string {
	s := sc.s
	w := width - 4
	lines := []string{
		goodStyle.Bold(true).Render("✓ " + storedWords(s)),
	}
	if s.submitConfirmed {
		lines = append(lines, mutedStyle.Render(wrapWords(api.ConfirmedAfterLost(true).In(s.lang), w)))
	}
	lines = append(lines,
		"",
		labelStyle.Render("CertificateId: ")+safe.Text(sc.res.CertificateId),
		labelStyle.Render("RequestId:     ")+wrapWords(safe.Text(sc.res.RequestId), w-15),
		"",
		warnStyle.Render(wrapWords(notWithCA(s), w)),
	)
	if g := s.d.generated; g != nil && s.d.csrMode == modeGenerate {
		lines = append(lines, "", warnStyle.Render(wrapWords(fmt.Sprintf(txtKeyReminder.In(s.lang), g.keyPath), w)))
	}
	if s.opts.History != nil {
		lines = append(lines, "", mutedStyle.Render(wrapWords(fmt.Sprintf(txtHistoryAt.In(s.lang), s.opts.History.Path), w)))
	}
	return cardStyle.Width(width - 2).Render(strings.Join(lines, "\n"))
}

func (sc *resultScreen) View() string { return sc.p.view() }

func (sc *resultScreen) Keys() []key.Binding {
	return append(sc.p.menu.KeyBinds(), scrollKeys(sc.s.lang))
}

// errorScreen explains a refusal in plain words, with the actions that
// can help: edit the step it points to, retry, review, save and quit.
type errorScreen struct {
	s       *session
	e       *api.Error
	attempt int
	at      time.Time
	retry   func(attempt int) route // the same action again (routes.go sets it)
	back    route                   // where "back" and esc go (routes.go sets it)
	fate    api.Fate                // what reading the certificate showed when the answer was lost
	p       pane
	choice  string
}

func newErrorCard(s *session, e *api.Error, attempt int, at time.Time, f api.Fate) *errorScreen {
	sc := &errorScreen{s: s, e: e, attempt: attempt, at: at, fate: f}
	opts := errorActions(s, e, f)
	sc.choice = opts[0].value
	sc.p = newPane(sc.card, newMenu(s.lang, "", opts, &sc.choice))
	return sc
}

// errorActions are what an error offers, in the wizard's card and in
// accessible mode: edit the step it points to, retry, review, save and quit.
// After a lost answer f decides retry: offered when the request did not
// happen, never when nobody knows whether it did.
func errorActions(s *session, e *api.Error, f api.Fate) []pickOption {
	gd := e.Guide()
	var opts []pickOption
	if gd.Step != "" {
		opts = append(opts, pickOption{fmt.Sprintf(txtEditPointed.In(s.lang), gd.Step.Label(s.lang)), "edit"})
	}
	if gd.Retry && f != api.FateUnknown || f == api.FateNotApplied {
		opts = append(opts, pickOption{txtRetry.In(s.lang), "retry"})
	}
	return append(opts, pickOption{txtBackReview.In(s.lang), "review"}, pickOption{txtSaveQuit.In(s.lang), "save"})
}

func (sc *errorScreen) place() int    { return len(api.Steps) }
func (sc *errorScreen) Init() tea.Cmd { return nil }

func (sc *errorScreen) Resize(w, h int) tea.Cmd { sc.p.resize(w, h); return nil }

func (sc *errorScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return sc, nil
	}
	if key.Matches(k, keyEsc) {
		return goTo(sc.back), nil
	}
	switch sc.p.key(k, s.lang) {
	case "":
		return sc, nil
	case "edit":
		return goTo(toStep{i: s.stepIndex(sc.e.Guide().Step), fromReview: true}), nil
	case "retry":
		return goTo(sc.retry(sc.attempt + 1)), nil
	case "save":
		msg := ""
		if err := s.save(); err != nil {
			msg = err.Error() + "\n"
		}
		s.finalErr = msg + s.lastErrorLine() + s.savedLine()
		return sc, quit
	}
	return goTo(sc.back), nil
}

func (sc *errorScreen) card(width int) string {
	s, e := sc.s, sc.e
	gd := e.Guide()
	w := width - 4
	lines := []string{
		badStyle.Bold(true).Render(wrapWords("✗ "+gd.Title.In(s.lang), w)),
		wrapWords(gd.Meaning.In(s.lang), w),
	}
	if sc.fate != api.FateAnswered && s.lost != "" {
		// Before anything else is said: what reading the certificate showed.
		lines = append(lines, "", warnStyle.Render(wrapKeeping(s.lost, s.lostCmd, w)))
	}
	lines = append(lines, "",
		titleStyle.Render(txtWhat.In(s.lang))+colon(s.lang)+wrapWords(e.Hint(s.lang), w-lipgloss.Width(txtWhat.In(s.lang))-2))
	if e.Message != "" {
		label := txtDetails
		if e.Service {
			label = txtServerSaid
		}
		lines = append(lines, labelStyle.Render(label.In(s.lang)+colon(s.lang))+wrapWords(safe.Text(e.Message), w-lipgloss.Width(label.In(s.lang))-2))
	}
	lines = append(lines, labelStyle.Render(txtCode.In(s.lang)+colon(s.lang))+safe.Text(e.Code))
	if e.RequestId != "" {
		lines = append(lines, labelStyle.Render("RequestId: ")+safe.Text(e.RequestId))
	}
	if sc.attempt > 1 {
		lines = append(lines, mutedStyle.Render(fmt.Sprintf(txtAttemptAt.In(s.lang), sc.attempt, sc.at.Local().Format("15:04:05"))))
	}
	return errCardStyle.Width(width - 2).Render(strings.Join(lines, "\n"))
}

func (sc *errorScreen) View() string { return sc.p.view() }

func (sc *errorScreen) Keys() []key.Binding {
	return append(sc.p.menu.KeyBinds(), scrollKeys(sc.s.lang), bind(sc.s.lang, txtKeyBackShort, "esc", "esc"))
}
