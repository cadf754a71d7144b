package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/api/watch"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/certwiz/certwiz/ui/termtext"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// validationScreen follows a certificate with the CA through domain
// validation: the records to create, ready to copy, what certwiz itself
// finds for each and what Tencent says, the deadline, and when the next
// look is due. It watches with api/watch (the policy `certwiz status
// --watch` uses), so it never asks Tencent more often than the command
// would, and it asks the CA to check once every record is in place.
type validationScreen struct {
	s      *session
	id     string
	w      *watch.Watcher
	snap   *watch.Snapshot
	err    error // the last round's failure; the watch goes on
	busy   bool  // a round is running
	gen    int   // drops the timer of a round that "check now" replaced
	ctx    context.Context
	cancel context.CancelFunc
	spin   spinner.Model
	items  []copyItem
	focus  int
	offset int
	width  int
	height int
	copied string // what the last c copied, said once
	paged  bool   // pgup/pgdn moved: the whole record comes into sight
	// sent is the commit that led here, when the wizard just made it;
	// confirmed: its answer was lost and reading the certificate showed
	// the order with the CA.
	sent      *api.CommitResult
	confirmed bool
}

// copyItem is one value the user may copy: a record's host in one of its
// forms, its value, a URL.
type copyItem struct {
	rec   int // the record it belongs to
	label string
	value string
	kind  copyKind // what the value may hold to be copied
}

type roundMsg struct {
	snap watch.Snapshot
	err  error
	gen  int
}

type dueMsg struct{ gen int }

func newValidation(s *session, id string) *validationScreen {
	w := watch.New(s.watchOptions(id))
	sc := &validationScreen{s: s, id: id, w: w, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
	s.onward = sc.onward()
	return sc
}

// onward says how validation goes on without the wizard.
func (sc *validationScreen) onward() string { return sc.s.watchLater(sc.id, sc.domain()) }

// watchLater says how validation goes on without certwiz: the commands
// that watch it and download the certificate.
func (s *session) watchLater(id, domain string) string {
	status, download := s.commandLine("status", id, "--watch"), s.commandLine("download", id, "--out", install.OutArg(domain))
	if s.opts.Sandbox {
		return fmt.Sprintf(txtWatchLaterSandbox.In(s.lang), status, download) + "\n"
	}
	return fmt.Sprintf(txtWatchLater.In(s.lang), status, download) + "\n"
}

func (sc *validationScreen) place() int { return len(api.Steps) }
func (sc *validationScreen) stage() t   { return txtStageValid }

// watchOptions are the watch's settings for a certificate: the lookup the
// wizard was given, the intervals tests shorten.
func (s *session) watchOptions(id string) watch.Options {
	return watch.Options{Client: s.opts.Client, CertificateID: id, Lookup: s.opts.Lookup,
		Interval: s.opts.WatchInterval, TencentEvery: s.opts.WatchTencentEvery}
}

// retryAfter is the wait after a round that failed (a network error, a
// refusal): the local check's interval.
func (s *session) retryAfter() time.Duration {
	if s.opts.WatchInterval > 0 {
		return s.opts.WatchInterval
	}
	return watch.DefaultInterval
}

// waiting holds typed keys until the first round has read the records.
func (sc *validationScreen) waiting() bool { return sc.snap == nil && sc.err == nil }

func (sc *validationScreen) Init() tea.Cmd { return tea.Batch(sc.spin.Tick, sc.round(false)) }

// round runs one watch step beside the program.
func (sc *validationScreen) round(force bool) tea.Cmd {
	sc.busy = true
	sc.gen++
	gen, w := sc.gen, sc.w
	if sc.cancel == nil {
		// One context for the screen's rounds: leaving cancels the one running.
		sc.ctx, sc.cancel = context.WithCancel(context.Background())
	}
	ctx := sc.ctx
	return func() tea.Msg {
		snap, err := w.Step(ctx, force)
		return roundMsg{snap: snap, err: err, gen: gen}
	}
}

func (sc *validationScreen) Resize(w, h int) tea.Cmd {
	sc.width, sc.height = w, h
	return nil
}

func (sc *validationScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return sc, tick(&sc.spin, msg)
	case roundMsg:
		if msg.gen != sc.gen {
			return sc, nil
		}
		sc.busy = false
		if msg.err != nil {
			sc.err = msg.err
			if e := outcome(msg.err); e != nil && e.Code == api.CodeCanceled {
				return sc, nil
			}
			// A failed round is said and the watch goes on at the interval;
			// what it read before failing (the records) stays shown.
			if msg.snap.Detail.CertificateId != "" {
				sc.take(msg.snap)
			}
			return sc, tea.Tick(s.retryAfter(), func(time.Time) tea.Msg { return dueMsg{msg.gen} })
		}
		sc.err = nil
		snap := msg.snap
		sc.take(snap)
		switch {
		case snap.Issued:
			s.final = fmt.Sprintf("CertificateId: %s\nStatus: issued\n", safe.Text(sc.id))
			return goTo(toDownload{d: snap.Detail, unasked: true}), nil
		case snap.Failed:
			s.exit = api.ExitRejected
			return sc, nil
		}
		next := snap.Next()
		gen := msg.gen
		return sc, tea.Tick(max(time.Until(next), 100*time.Millisecond), func(time.Time) tea.Msg { return dueMsg{gen} })
	case dueMsg:
		if msg.gen != sc.gen || sc.busy || (sc.snap != nil && sc.snap.Failed) {
			return sc, nil
		}
		return sc, sc.round(false)
	case copiedMsg:
		if msg.err != nil {
			sc.copied = ""
			s.setStatus(fmt.Sprintf(txtCopyFailed.In(s.lang), safe.Text(msg.err.Error())), true)
		}
		return sc, nil
	case tea.KeyMsg:
		sc.copied, sc.paged = "", false
		switch {
		case key.Matches(msg, valKeys.copy):
			if sc.focus < len(sc.items) {
				it := sc.items[sc.focus]
				if why, ok := copyable(it.kind, it.value); !ok {
					// Not valid for its kind: never what a paste should get.
					s.setStatus(fmt.Sprintf(txtNotCopied.In(s.lang), it.label, why.In(s.lang)), true)
					return sc, nil
				}
				sc.copied = it.label
				return sc, sc.s.copyCmd(it.value)
			}
		case key.Matches(msg, valKeys.check):
			if !sc.busy && (sc.snap == nil || !sc.snap.Failed) {
				// The local check now; Tencent only when due (at most once a
				// minute), as the watch promises.
				return sc, tea.Batch(sc.spin.Tick, sc.round(false))
			}
		case key.Matches(msg, valKeys.up):
			sc.focus = max(sc.focus-1, 0)
		case key.Matches(msg, valKeys.down):
			sc.focus = min(sc.focus+1, max(len(sc.items)-1, 0))
		case key.Matches(msg, valKeys.pageUp):
			sc.focus, sc.paged = sc.toRecord(-1), true
		case key.Matches(msg, valKeys.pageDown):
			sc.focus, sc.paged = sc.toRecord(+1), true
		case key.Matches(msg, valKeys.leave):
			return sc.leave()
		}
	}
	return sc, nil
}

// take shows a round's snapshot: its records' values to copy, and the
// command to go on with (the domain is known now).
func (sc *validationScreen) take(snap watch.Snapshot) {
	sc.snap = &snap
	sc.items = copyItems(snap, sc.s.lang)
	sc.focus = min(sc.focus, max(len(sc.items)-1, 0))
	sc.s.onward = sc.onward()
}

// leave ends the wizard with the commands that go on from here.
func (sc *validationScreen) leave() (screen, tea.Cmd) {
	s := sc.s
	if sc.cancel != nil {
		sc.cancel()
	}
	s.saveQuietly()
	s.finalErr = sc.onward()
	return sc, quit
}

func (sc *validationScreen) domain() string {
	switch {
	case sc.snap != nil && sc.snap.Detail.Domain != "":
		return sc.snap.Detail.Domain
	case sc.s.d != nil:
		return sc.s.d.request().CertificateDomain
	}
	return ""
}

// toRecord is the first value of the record step records away from the
// focused one (pgup/pgdn), at the ends the first or last value.
func (sc *validationScreen) toRecord(step int) int {
	if len(sc.items) == 0 {
		return 0
	}
	want := sc.items[sc.focus].rec + step
	for n, it := range sc.items {
		if it.rec == want {
			return n
		}
	}
	if step < 0 {
		return 0
	}
	return len(sc.items) - 1
}

// copyItems lists the values of every record in the order shown.
func copyItems(snap watch.Snapshot, lang string) []copyItem {
	var items []copyItem
	for i, r := range snap.Records {
		if r.Method() == api.MethodFile {
			for _, u := range r.URLs {
				scheme, _, _ := strings.Cut(u, "://")
				items = append(items, copyItem{i, fmt.Sprintf(txtValURL.In(lang), safe.Text(scheme)), u, copyURL})
			}
			items = append(items, copyItem{i, txtValContent.In(lang), r.Value, copyContent})
			continue
		}
		value := copyTXT
		if r.Type == "CNAME" {
			value = copyFQDN // a CNAME's target, as a zone file writes it
			if !strings.HasSuffix(r.Value, ".") {
				value = copyName
			}
		}
		items = append(items,
			copyItem{i, fmt.Sprintf(txtValHost.In(lang), safe.Text(r.Zone)), r.Host, copyHost},
			copyItem{i, txtValName.In(lang), r.Name, copyName},
			copyItem{i, txtValFQDN.In(lang), r.FQDN, copyFQDN},
			copyItem{i, txtValValue.In(lang), r.Value, value})
	}
	return items
}

func (sc *validationScreen) View() string {
	s := sc.s
	w := max(sc.width, 20)
	if sc.snap == nil {
		if sc.err != nil {
			return sc.statusLine(w)
		}
		return sc.spin.View() + " " + fmt.Sprintf(txtReadingRecords.In(s.lang), safe.Text(sc.id))
	}
	body, first, last, recEnd := sc.body(w)
	if sc.paged {
		last = recEnd // the record's values and checks, not just its first value
	}
	bottom := sc.statusLine(w)
	room := max(sc.height-lipgloss.Height(bottom), 1)
	lines := strings.Split(body, "\n")
	// Keep the focused value in sight; otherwise stay where the user was.
	// On the last value, the checks under it come into sight too.
	if sc.focus == len(sc.items)-1 {
		last = len(lines) - 1
	}
	if last >= sc.offset+room {
		sc.offset = last - room + 1
	}
	if first < sc.offset {
		sc.offset = first
	}
	sc.offset = min(sc.offset, max(len(lines)-room, 0))
	end := min(sc.offset+room, len(lines))
	return strings.Join(lines[sc.offset:end], "\n") + "\n" + bottom
}

// body renders the status and the records; it returns the first and last
// lines of the focused value.
func (sc *validationScreen) body(w int) (string, int, int, int) {
	s, snap := sc.s, sc.snap
	d := snap.Detail
	c := colon(s.lang)
	var lines []string
	// One entry per screen line, so the focused value's line is its index.
	add := func(l ...string) {
		for _, x := range l {
			lines = append(lines, strings.Split(x, "\n")...)
		}
	}
	if sc.sent != nil {
		add(goodStyle.Bold(true).Render("✓ " + txtWithCA.In(s.lang)))
		if sc.confirmed {
			add(wrapWords(api.ConfirmedAfterLost(false).In(s.lang), w))
		}
		add("")
	}
	add(titleStyle.Render(txtValidation.In(s.lang)+" — "+safe.Text(d.Domain)),
		wrapStyled(labelStyle.Render(txtStatus.In(s.lang)+c)+d.Words(s.lang), w))
	if d.OrderId != "" {
		add(labelStyle.Render(txtOrder.In(s.lang)+c) + safe.Text(d.OrderId))
	}
	if d.DVAuthDeadline != "" {
		add(wrapStyled(labelStyle.Render(txtDeadline.In(s.lang)+c)+fmt.Sprintf(txtBeijing.In(s.lang), safe.Text(d.DVAuthDeadline)), w))
	}
	if snap.Failed || snap.Why.EN != "" {
		style := warnStyle
		if snap.Failed {
			style = badStyle
		}
		add("", style.Render(wrapWords(termtext.Why(*snap, s.lang), w)))
	}
	if how := howTo(*snap, s.lang); len(snap.Records) > 0 && how != "" {
		add("", wrapWords(how, w))
	}
	// Labels in a column when they leave room for the values; else each
	// label on its own line above its value.
	col := 0
	for _, it := range sc.items {
		col = max(col, lipgloss.Width(it.label+c)+1)
	}
	wide := col <= w/2
	first, last, recEnd := 0, 0, 0
	for i, r := range snap.Records {
		focused := false
		add("", currentStyle.Render(wrapWords(fmt.Sprintf("%d. %s — %s", i+1, safe.Text(recordDomain(r)), kindWords(r.Type, s.lang)), w)))
		for n, it := range sc.items {
			if it.rec != i {
				continue
			}
			mark := "  "
			if n == sc.focus {
				mark = "▸ "
				first = len(lines)
			}
			if wide {
				add(mark + labelStyle.Width(col).Render(it.label+c) + hardWrap(safe.Text(it.value), w-2-col, 2+col))
			} else {
				add(mark+labelStyle.Render(it.label+c), "    "+hardWrap(safe.Text(it.value), w-4, 4))
			}
			if n == sc.focus {
				last, focused = len(lines)-1, true
			}
		}
		here, tencent := checkLabels(snap.TencentAt, s.lang)
		add("  "+indent(wrapStyled(labelStyle.Render(here+c)+localWords(r, s.lang), w-2), "  "),
			"  "+indent(wrapStyled(labelStyle.Render(tencent+c)+tencentWords(r.Tencent, s.lang), w-2), "  "))
		if focused {
			recEnd = len(lines) - 1
		}
	}
	return strings.Join(lines, "\n"), first, last, recEnd
}

// statusLine is the line under the records: the spinner and when the
// next look is due, what was copied, or why the last round failed.
func (sc *validationScreen) statusLine(w int) string {
	s := sc.s
	var parts []string
	switch {
	case sc.snap != nil && sc.snap.Failed:
		parts = append(parts, badStyle.Render(txtValFailed.In(s.lang)))
	case sc.busy:
		parts = append(parts, sc.spin.View()+" "+txtChecking.In(s.lang))
	case sc.snap != nil:
		left := time.Until(sc.snap.Next()).Round(time.Second)
		parts = append(parts, sc.spin.View()+" "+fmt.Sprintf(txtNextCheck.In(s.lang), max(left, 0)))
	}
	if sc.snap != nil && sc.snap.Completed {
		parts = append(parts, goodStyle.Render(txtAskedCA.In(s.lang)))
	}
	if sc.copied != "" {
		parts = append(parts, goodStyle.Render(fmt.Sprintf(txtCopied.In(s.lang), sc.copied)))
	}
	if sc.err != nil {
		parts = append(parts, badStyle.Render(errorTitle(s, sc.err)))
	}
	return wrapStyled(strings.Join(parts, " · "), w)
}

// wrapStyled wraps a line that holds styled parts: lipgloss knows where
// the escape sequences are, so none is ever cut.
func wrapStyled(line string, w int) string {
	return strings.TrimRight(lipgloss.NewStyle().Width(max(w, 1)).Render(line), " ")
}

var valKeys = struct{ up, down, pageUp, pageDown, copy, check, leave key.Binding }{
	up:       key.NewBinding(key.WithKeys("up", "k")),
	down:     key.NewBinding(key.WithKeys("down", "j")),
	pageUp:   key.NewBinding(key.WithKeys("pgup")),
	pageDown: key.NewBinding(key.WithKeys("pgdown")),
	copy:     key.NewBinding(key.WithKeys("c")),
	check:    key.NewBinding(key.WithKeys("n", "enter")),
	leave:    key.NewBinding(key.WithKeys("q")),
}

func (sc *validationScreen) Keys() []key.Binding {
	l := sc.s.lang
	keys := []key.Binding{bind(l, txtKeyLeave, "q", "q")}
	if sc.snap != nil && !sc.snap.Failed {
		keys = append(keys, bind(l, txtKeyCopy, "c", "c"), bind(l, txtKeyValue, "↑/↓", "up", "down"), bind(l, txtKeyCheckNow, "n", "n"), bind(l, txtKeyRecord, "pgup/pgdn", "pgup", "pgdown"))
	}
	return keys
}
