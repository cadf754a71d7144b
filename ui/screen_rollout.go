package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/rollout"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// "Replace a certificate on Tencent Cloud resources", from the start
// screen or after an install: OLD and NEW, the plan (each resource and
// whether NEW covers it; refusals), the confirmation naming how many
// resources live traffic moves on, a bar per resource type while Tencent
// replaces, then the result — or the failure's choice: retry, roll back,
// leave it.

// rolloutFormScreen asks OLD and NEW.
type rolloutFormScreen struct {
	s     *session
	a     *rolloutAnswers
	f     *huh.Form
	back  bool
	room  int
	width int
}

func newRolloutForm(s *session, a *rolloutAnswers) *rolloutFormScreen {
	sc := &rolloutFormScreen{s: s, a: a, width: 60}
	id := func(v string) error {
		if sc.back {
			return nil
		}
		if msg := badCertificateID(strings.TrimSpace(v), s.lang); msg != "" {
			return errors.New(msg)
		}
		return nil
	}
	oldIn := huh.NewInput().Title(txtRolloutOld.In(s.lang)).Description(txtRolloutOldHint.In(s.lang)).Value(&a.old).Validate(id)
	newIn := huh.NewInput().Title(txtRolloutNew.In(s.lang)).Description(txtRolloutNewHint.In(s.lang)).Value(&a.new).
		Validate(func(v string) error {
			if err := id(v); err != nil || sc.back {
				return err
			}
			if strings.TrimSpace(v) == strings.TrimSpace(a.old) {
				return errors.New(txtRolloutSame.In(s.lang))
			}
			return nil
		})
	sc.f = huh.NewForm(huh.NewGroup(
		&framed{Field: oldIn, label: txtRolloutOld.In(s.lang), lang: s.lang, back: &sc.back, room: &sc.room},
		&framed{Field: newIn, label: txtRolloutNew.In(s.lang), lang: s.lang, back: &sc.back, room: &sc.room},
	)).WithShowHelp(false).WithShowErrors(false).WithTheme(theme())
	return sc
}

// badCertificateID says what is wrong with a typed certificate ID, "" if
// nothing.
func badCertificateID(id, lang string) string {
	switch {
	case id == "":
		return txtIDMissing.In(lang)
	case strings.ContainsFunc(id, func(r rune) bool { return r <= ' ' }) || !safe.Clean(id):
		return fmt.Sprintf(txtNotAnID.In(lang), safe.Text(id))
	}
	return ""
}

func (sc *rolloutFormScreen) noDraft()        {}
func (sc *rolloutFormScreen) stage() t        { return txtStageRollout }
func (sc *rolloutFormScreen) form() *huh.Form { return sc.f }
func (sc *rolloutFormScreen) Init() tea.Cmd   { return sc.f.Init() }

func (sc *rolloutFormScreen) Resize(w, h int) tea.Cmd {
	sc.width, sc.room = w, max(h-1, 3)
	sc.f = sc.f.WithWidth(w).WithHeight(sc.room)
	_, cmd := sc.f.Update(tea.WindowSizeMsg{Width: w, Height: sc.room})
	return cmd
}

func (sc *rolloutFormScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, keyEsc) && !formUses(sc.f, k) {
		return goTo(sc.a.from), nil
	}
	f, cmd := sc.f.Update(msg)
	sc.f = f.(*huh.Form)
	if sc.f.State == huh.StateCompleted {
		sc.a.old, sc.a.new = strings.TrimSpace(sc.a.old), strings.TrimSpace(sc.a.new)
		return goTo(toRolloutPlanning{sc.a}), cmd
	}
	return sc, cmd
}

func (sc *rolloutFormScreen) View() string {
	return currentStyle.Render(txtRolloutTitle.In(sc.s.lang)) + "\n" + sc.f.View()
}

func (sc *rolloutFormScreen) Keys() []key.Binding {
	var keys []key.Binding
	if f := sc.f.GetFocusedField(); f != nil {
		keys = f.KeyBinds()
	}
	return append(keys, bind(sc.s.lang, txtKeyBackShort, "esc", "esc"))
}

// rolloutWaitScreen reads the plan, or runs a step of the rollout, with a
// spinner and, while a record is followed, a bar per resource type.
type rolloutWaitScreen struct {
	s     *session
	a     *rolloutAnswers
	step  rolloutStep
	plan  bool // reading the plan, not running a step
	spin  spinner.Model
	bar   progress.Model
	rec   *api.UpdateRecord // the last read
	reads chan api.UpdateRecord
	width int
}

type rolloutPlanMsg struct {
	p   rollout.Plan
	err error
}
type rolloutReadMsg struct{ rec api.UpdateRecord }
type rolloutStepMsg struct{ d rolloutDone }

func newRolloutPlanning(s *session, a *rolloutAnswers) *rolloutWaitScreen {
	return &rolloutWaitScreen{s: s, a: a, plan: true, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

func newRollingOut(s *session, a *rolloutAnswers, step rolloutStep) *rolloutWaitScreen {
	return &rolloutWaitScreen{s: s, a: a, step: step, spin: spinner.New(spinner.WithSpinner(spinner.Dot)),
		bar: progress.New(progress.WithDefaultGradient(), progress.WithoutPercentage()), reads: make(chan api.UpdateRecord, 64)}
}

func (sc *rolloutWaitScreen) noDraft()      {}
func (sc *rolloutWaitScreen) stage() t      { return txtStageRollout }
func (sc *rolloutWaitScreen) waiting() bool { return true }

func (sc *rolloutWaitScreen) Init() tea.Cmd {
	s, a := sc.s, sc.a
	ctx, cancel := context.WithCancel(context.Background())
	s.stopJob = cancel
	if sc.plan {
		s.onward = txtOnlyReading.In(s.lang) + "\n"
		client, tick := s.opts.Client, s.opts.WatchTencentEvery
		return tea.Batch(sc.spin.Tick, func() tea.Msg {
			p, err := rollout.MakePlan(ctx, client, a.old, a.new, rollout.Filter{}, tick, time.Now().Add(lookupWait))
			return rolloutPlanMsg{p, err}
		})
	}
	s.done = false // a record in flight: leaving now is an interruption
	action := map[rolloutStep]string{stepReplace: api.ActionUpdate, stepRetry: api.ActionUpdateRetry, stepRollback: api.ActionUpdateRollback}[sc.step]
	attempt := s.rolloutIntent(a, action)
	if a.rec.ID != 0 {
		s.onward = s.onwardLine(fmt.Sprintf(txtRecordGoesOn.In(s.lang), a.rec.ID, s.followLater(a.rec.ID)))
	}
	reads := sc.reads
	job := s.rolloutJob(sc.step, a, func(rec api.UpdateRecord) { reads <- rec })
	return tea.Batch(sc.spin.Tick, sc.next(), func() tea.Msg {
		d := job.run(ctx)
		s.rolloutOutcome(a, attempt, action, d)
		close(reads)
		return rolloutStepMsg{d}
	})
}

// lookupWait bounds the lookup of OLD's resources.
const lookupWait = rolloutWait

// next waits for the job's next read of the record.
func (sc *rolloutWaitScreen) next() tea.Cmd {
	reads := sc.reads
	return func() tea.Msg {
		rec, ok := <-reads
		if !ok {
			return nil
		}
		return rolloutReadMsg{rec}
	}
}

func (sc *rolloutWaitScreen) Resize(w, _ int) tea.Cmd {
	sc.width = w
	sc.bar.Width = min(max(w-30, 8), 40)
	return nil
}

func (sc *rolloutWaitScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s, a := sc.s, sc.a
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return sc, tick(&sc.spin, msg)
	case rolloutPlanMsg:
		s.stopJob = nil
		if msg.err != nil {
			return goTo(toRolloutEnd{a: a, d: rolloutDone{err: msg.err}, planErr: true}), nil
		}
		a.plan = msg.p
		return goTo(toRolloutPlan{a}), nil
	case rolloutReadMsg:
		rec := msg.rec
		sc.rec = &rec
		// The record followed now (the rollback's own, for a rollback).
		s.onward = s.onwardLine(fmt.Sprintf(txtRecordGoesOn.In(s.lang), rec.ID, s.followLater(rec.ID)))
		return sc, sc.next()
	case rolloutStepMsg:
		s.stopJob = nil
		if s.exit == api.ExitInterrupted {
			return sc, nil // ctrl+c stopped it: the message is said
		}
		d := msg.d
		if d.step == stepRetry {
			a.retries++
		}
		switch d.step {
		case stepRollback:
			if d.rec.ID != 0 {
				a.undo = &d.rec
			}
		default:
			if d.rec.ID != 0 {
				a.rec = d.rec
			}
		}
		return goTo(toRolloutEnd{a: a, d: d}), nil
	}
	return sc, nil
}

func (sc *rolloutWaitScreen) View() string {
	a, lang := sc.a, sc.s.lang
	w := max(sc.width-2, 10)
	head := currentStyle.Render(txtRolloutTitle.In(lang)) + "\n"
	if sc.plan {
		return head + sc.spin.View() + " " + strings.ReplaceAll(wrapWords(fmt.Sprintf(txtRolloutPlanning.In(lang), safe.Text(a.old), safe.Text(a.new), safe.Text(a.old)), w-3), "\n", "\n   ")
	}
	var text string
	switch {
	case sc.step == stepRetry:
		text = fmt.Sprintf(txtRetrying.In(lang), a.rec.ID)
	case sc.step == stepRollback:
		text = fmt.Sprintf(txtRollingBack.In(lang), safe.Text(a.old), safe.Text(a.new))
	case sc.rec != nil:
		text = fmt.Sprintf(txtRolloutRunning.In(lang), safe.Text(a.old), safe.Text(a.new), sc.rec.ID)
	default:
		text = fmt.Sprintf(txtRolloutAsking.In(lang), safe.Text(a.old), safe.Text(a.new))
	}
	lines := []string{head + sc.spin.View() + " " + strings.ReplaceAll(wrapWords(text, w-3), "\n", "\n   ")}
	if sc.rec != nil {
		types, ended, total := rolloutTypes(*sc.rec)
		for _, typ := range types {
			lines = append(lines, fmt.Sprintf("%-5s %s %d/%d", safe.Text(typ), sc.bar.ViewAs(float64(ended[typ])/float64(total[typ])), ended[typ], total[typ]))
		}
	}
	return strings.Join(lines, "\n")
}

func (sc *rolloutWaitScreen) Keys() []key.Binding { return nil }

// rolloutCard is a card of the rollout with the actions under it; act's
// nil route ends the run.
type rolloutCard struct{ actionCard }

func newRolloutCard(s *session, render func(int) string, ask string, opts []pickOption, esc route, act func(string) route) *rolloutCard {
	return &rolloutCard{newActionCard(s, render, ask, opts, esc, func(v string) (route, tea.Cmd) {
		if r := act(v); r != nil {
			return r, nil
		}
		return nil, quit
	})}
}

func (sc *rolloutCard) noDraft() {}
func (sc *rolloutCard) stage() t { return txtStageRollout }

func (sc *rolloutCard) Update(msg tea.Msg) (screen, tea.Cmd) { return sc.update(sc, msg) }

// newRolloutPlan shows the plan and asks; a refused plan only goes back.
func newRolloutPlan(s *session, a *rolloutAnswers) *rolloutCard {
	lang := s.lang
	p := a.plan
	render := func(width int) string {
		w := width - 4
		lines := rolloutPlanLines(a, lang)
		out := []string{wrapWords(lines[0], w)}
		for _, l := range lines[1:] {
			mark := "• "
			if strings.HasPrefix(l, "✗ ") {
				mark, l = "✗ ", strings.TrimPrefix(l, "✗ ") // a refusal
			}
			out = append(out, mark+strings.ReplaceAll(wrapWords(l, w-2), "\n", "\n  "))
		}
		if len(p.Refusals) > 0 {
			return errCardStyle.Width(width-2).Render(badStyle.Bold(true).Render("✗ "+txtRolloutRefused.In(lang))+"\n"+strings.Join(out, "\n")) + "\n"
		}
		return strings.Join(out, "\n") + "\n"
	}
	back := pickOption{txtRolloutBack.In(lang), "back"}
	if !p.OK() {
		s.exit = api.ExitOK
		if len(p.Refusals) > 0 {
			s.exit = api.ExitRejected
		}
		return newRolloutCard(s, render, "", []pickOption{back}, toRolloutForm{a}, func(string) route { return toRolloutForm{a} })
	}
	s.onward = txtNotReplaced.In(lang) + "\n"
	// "Not now" first: enter alone never moves live traffic.
	opts := []pickOption{back, {fmt.Sprintf(txtRolloutNow.In(lang), len(p.Targets)), "yes"}}
	return newRolloutCard(s, render, fmt.Sprintf(txtRolloutQ.In(lang), len(p.Targets), safe.Text(a.new)), opts, toRolloutForm{a}, func(v string) route {
		if v == "yes" {
			return toRollingOut{a: a, step: stepReplace}
		}
		return toRolloutForm{a}
	})
}

// newRolloutEnd says how a step ended: replaced, rolled back, failed
// (with the choice of what to do about it), or not followed to its end.
func newRolloutEnd(s *session, a *rolloutAnswers, d rolloutDone, planErr bool) *rolloutCard {
	lang := s.lang
	stopped := d.err != nil
	if stopped {
		return newRolloutStopped(s, a, d, planErr)
	}
	s.done = true
	s.onward, s.finalErr = "", ""
	rec := a.rec
	if a.undo != nil {
		rec = *a.undo
	}
	title, style := goodStyle.Bold(true).Render("✓ "+txtReplacedTitle.In(lang)), cardStyle
	switch {
	case a.undo != nil:
		title = goodStyle.Bold(true).Render("✓ " + txtRolledBackTitle.In(lang))
	case rec.Failed > 0:
		head := txtRolloutFailTitle.In(lang)
		if a.retries > 0 {
			head += fmt.Sprintf(txtAfterRetries.In(lang), a.retries)
		}
		title, style = badStyle.Bold(true).Render("✗ "+head), errCardStyle
	}
	render := func(width int) string {
		w := width - 4
		lines := []string{title, ""}
		for _, l := range rolloutResourceLines(rec, lang, a.undo != nil) {
			lines = append(lines, wrapWords(l, w))
		}
		if a.undo == nil && rec.Failed == 0 {
			lines = append(lines, "", wrapWords(fmt.Sprintf(txtOldNotDeleted.In(lang), safe.Text(a.old)), w))
		}
		return cardOf(style, lines, width)
	}
	s.final = a.before + s.rolloutSummary(a)
	switch {
	case a.undo != nil || rec.Failed > 0:
		s.exit = api.ExitRejected
	default:
		s.exit = api.ExitOK
	}
	if a.undo == nil && rec.Failed == 0 && a.installation != "" {
		// After "Install here": the same at every renewal, if the user says so.
		opts := []pickOption{{txtDone.In(lang), "done"}, {fmt.Sprintf(txtKeepRollingOut.In(lang), a.installation), "keep"}}
		return newRolloutCard(s, render, "", opts, nil, func(v string) route {
			if v != "keep" {
				return nil
			}
			path, err := s.keepRollingOut(a.installation)
			if err != nil {
				s.finalErr = safe.Text(err.Error()) + "\n"
				s.exit = api.ExitFailure
				return nil
			}
			s.final += fmt.Sprintf(txtRollingOutSaved.In(lang), safe.Text(path)) + "\n"
			return nil
		})
	}
	if a.undo != nil || rec.Failed == 0 {
		return newRolloutCard(s, render, "", nil, nil, nil)
	}
	var opts []pickOption
	opts = append(opts, pickOption{txtRolloutRetry.In(lang), "retry"})
	if rec.Success > 0 {
		opts = append(opts, pickOption{fmt.Sprintf(txtRolloutRollback.In(lang), safe.Text(a.old), rec.Success), "rollback"})
	}
	opts = append(opts, pickOption{txtRolloutLeave.In(lang), "leave"})
	s.finalErr = s.onwardLine(s.laterLines(a, rec))
	return newRolloutCard(s, render, fmt.Sprintf(txtRolloutFailedQ.In(lang), rec.Failed, len(rec.Resources)), opts, nil, func(v string) route {
		switch v {
		case "retry":
			return toRollingOut{a: a, step: stepRetry}
		case "rollback":
			return toRollingOut{a: a, step: stepRollback}
		}
		return nil
	})
}

// newRolloutStopped is a step that did not reach its end: an error, another
// update running, or the record still running at the wait's end.
func newRolloutStopped(s *session, a *rolloutAnswers, d rolloutDone, planErr bool) *rolloutCard {
	lang := s.lang
	lines := s.stoppedLines(a, d, planErr)
	render := func(width int) string {
		w := width - 4
		out := []string{badStyle.Bold(true).Render("✗ " + txtRolloutStopped.In(lang)), ""}
		for _, l := range lines {
			out = append(out, wrapWords(l, w))
		}
		out = append(out, rolloutResourceLines(d.rec, lang, d.step == stepRollback)...)
		return cardOf(errCardStyle, out, width)
	}
	if planErr {
		return newRolloutCard(s, render, "", []pickOption{{txtRolloutBack.In(lang), "back"}}, toRolloutForm{a}, func(string) route { return toRolloutForm{a} })
	}
	return newRolloutCard(s, render, "", nil, nil, nil)
}

// stoppedLines say why a step stopped, and set the run's exit code and
// its message on stderr.
func (s *session) stoppedLines(a *rolloutAnswers, d rolloutDone, planErr bool) []string {
	lang := s.lang
	var lines []string
	s.exit = api.ExitRejected
	switch {
	case errors.Is(d.err, errOtherUpdate):
		lines = []string{fmt.Sprintf(txtOtherUpdate.In(lang), d.rec.ID, safe.Text(a.old), s.followLater(d.rec.ID))}
	case errors.Is(d.err, rollout.ErrStillLooking):
		s.exit = exitWaiting
		lines = []string{fmt.Sprintf(txtStillLooking.In(lang), safe.Text(a.old))}
	case errors.Is(d.err, rollout.ErrStillRunning):
		s.exit = exitWaiting
		lines = []string{fmt.Sprintf(txtRecordGoesOn.In(lang), d.rec.ID, s.followLater(d.rec.ID))}
	default:
		e := outcome(d.err)
		s.exit = e.ExitCode()
		lines = []string{safe.Text(e.Guide().Title.In(lang)), safe.Text(e.Hint(lang))}
		if !planErr && d.rec.ID != 0 {
			lines = append(lines, fmt.Sprintf(txtRecordGoesOn.In(lang), d.rec.ID, s.followLater(d.rec.ID)))
		}
	}
	s.done = true
	s.finalErr = strings.Join(lines, "\n") + "\n"
	return lines
}

// exitWaiting is status --watch's and rollout's "still going" (6).
const exitWaiting = 6
