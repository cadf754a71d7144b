package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// Layout limits: comfortable from 70×20 with a sidebar, compact down to
// 40×12, a plain "too small" below.
const (
	minWidth, minHeight   = 40, 12
	fullWidth, fullHeight = 70, 20
	sidebarWidth          = 20
)

func (m *Wizard) compact() bool { return m.width < fullWidth || m.height < fullHeight }

func (m *Wizard) bodyWidth() int {
	if m.compact() {
		return max(m.width-1, 20)
	}
	return max(m.width-sidebarWidth-4, 20)
}

func (m *Wizard) bodyHeight() int {
	return max(m.height-lipgloss.Height(m.header())-lipgloss.Height(m.footer()), 3)
}

func (m *Wizard) view() string {
	if m.s.quitting {
		return ""
	}
	if m.tooSmall() {
		return lipgloss.NewStyle().Width(m.width).Render(wrapWords(fmt.Sprintf(txtTooSmall.In(m.s.lang), m.width, m.height), m.width))
	}
	bh := m.bodyHeight()
	body := lipgloss.NewStyle().MaxWidth(m.bodyWidth()).MaxHeight(bh).Render(m.cur.View())
	_, noDraft := m.cur.(interface{ noDraft() })
	if !m.compact() && m.s.d != nil && !noDraft {
		side := sidebarStyle.Width(sidebarWidth).Height(bh).MaxHeight(bh).Render(m.sidebar())
		body = lipgloss.JoinHorizontal(lipgloss.Top, side, body)
	}
	body = lipgloss.NewStyle().Height(bh).MaxHeight(bh).Render(body)
	view := lipgloss.JoinVertical(lipgloss.Left, m.header(), body, m.footer())
	return lipgloss.NewStyle().MaxWidth(m.width).MaxHeight(m.height).Render(view)
}

// header tells the truth on every screen: where submissions go and with
// which key, and that a sandbox is a sandbox. Narrow, the sandbox comes
// first so that it is never the part cut off.
func (m *Wizard) header() string {
	s := m.s
	title := titleStyle.Render(txtTitle.In(s.lang))
	creds := s.opts.CredSource
	if creds == "" {
		creds = badStyle.Render(txtNoCreds.In(s.lang))
	}
	if m.compact() {
		if s.opts.Sandbox {
			title = warnStyle.Render(txtSandboxShort.In(s.lang)) + " · " + title
		}
		if s.opts.CredID != "" {
			creds = s.opts.CredID
		} else {
			creds = badStyle.Render(txtNoCredsShort.In(s.lang))
		}
		lines := []string{truncate(title, m.width), truncate(s.opts.Endpoint+" · "+creds, m.width)}
		if s.d != nil {
			lines = append(lines, truncate(m.progressLine(), m.width))
		}
		return strings.Join(lines, "\n")
	}
	wrap := func(label, value string) string {
		return labelStyle.Render(label+colon(s.lang)) + wrapWords(value, m.width-lipgloss.Width(label)-2)
	}
	lines := []string{title}
	if s.opts.Sandbox {
		lines = append(lines, warnStyle.Render(wrapWords(txtSandbox.In(s.lang), m.width)))
	}
	lines = append(lines, wrap(txtEndpoint.In(s.lang), s.opts.Endpoint), wrap(txtCredentials.In(s.lang), creds))
	return lipgloss.NewStyle().MaxWidth(m.width).Render(strings.Join(lines, "\n")) + "\n"
}

func truncate(s string, w int) string { return lipgloss.NewStyle().MaxWidth(w).Render(s) }

// footer is the status, wrapped and never cut, then one help line of the
// keys that work on this screen and field.
func (m *Wizard) footer() string {
	var lines []string
	if st := m.s.status; st != "" {
		m.s.statusSeen = true
		style := goodStyle
		if m.s.bad {
			style = badStyle
		}
		lines = append(lines, style.Render(wrapWords(st, m.width)))
	}
	quit := txtKeyQuit
	if m.s.d == nil || m.compact() {
		quit = txtKeyQuitOnly
	}
	keys := append(m.cur.Keys(), bind(m.s.lang, quit, "ctrl+c", "ctrl+c"))
	if m.compact() {
		for i, k := range keys {
			if k.Help().Key == "esc" && k.Help().Desc == txtKeyBack.In(m.s.lang) {
				keys[i].SetHelp("esc", txtKeyBackShort.In(m.s.lang))
			}
		}
	}
	// The keys a user needs most come first: a narrow line drops the rest.
	slices.SortStableFunc(keys, func(a, b key.Binding) int { return keyRank(a) - keyRank(b) })
	lines = append(lines, helpLine(keys, m.width))
	return strings.Join(lines, "\n")
}

func keyRank(k key.Binding) int {
	switch k.Help().Key {
	case "enter":
		return 0
	case "esc":
		return 1
	case "ctrl+c":
		return 2
	}
	return 3
}

// place is the current screen's position on the road; -1 when off it.
func (m *Wizard) place() int {
	if r, ok := m.cur.(onRoad); ok {
		return r.place()
	}
	return -1
}

// marks for the sidebar and the compact progress line: never ✓ for a step
// with a problem.
func (m *Wizard) marks() []string {
	pr := m.s.progress()
	here := m.place()
	out := make([]string, 0, len(pr.Steps)+1)
	for i, st := range pr.Steps {
		switch {
		case i == here:
			out = append(out, currentStyle.Render("▸"))
		case st.State == api.StepDone:
			out = append(out, goodStyle.Render("✓"))
		case st.State == api.StepProblem:
			out = append(out, badStyle.Render("✗"))
		default:
			out = append(out, mutedStyle.Render("·"))
		}
	}
	switch {
	case m.stage() != nil:
		out = append(out, goodStyle.Render("✓"), currentStyle.Render("▸"))
	case here == len(api.Steps):
		out = append(out, currentStyle.Render("▸"))
	default:
		out = append(out, mutedStyle.Render("·"))
	}
	return out
}

// pastReview is a screen of the road after the submission, which names
// its stage (validation, issued) for the sidebar.
type pastReview interface{ stage() t }

func (m *Wizard) stage() *t {
	if p, ok := m.cur.(pastReview); ok {
		st := p.stage()
		return &st
	}
	return nil
}

func (m *Wizard) sidebar() string {
	marks := m.marks()
	here := m.place()
	var b strings.Builder
	for i, st := range api.Steps {
		label := st.Label.In(m.s.lang)
		if i == here {
			label = currentStyle.Render(label)
		}
		fmt.Fprintf(&b, "%s %d %s\n", marks[i], i+1, label)
	}
	review := txtReview.In(m.s.lang)
	st := m.stage()
	if here == len(api.Steps) && st == nil {
		review = currentStyle.Render(review)
	}
	fmt.Fprintf(&b, "%s %d %s", marks[len(api.Steps)], len(api.Steps)+1, review)
	if st != nil {
		fmt.Fprintf(&b, "\n%s   %s", marks[len(api.Steps)+1], currentStyle.Render(st.In(m.s.lang)))
	}
	if name := m.s.d.name; name != "" {
		fmt.Fprintf(&b, "\n\n%s", mutedStyle.Render(wrapName(name, sidebarWidth-3)))
	}
	return b.String()
}

// wrapName breaks a profile name (no spaces) after its dots, dashes and
// underscores rather than in the middle of a word.
func wrapName(name string, width int) string {
	spaced := strings.NewReplacer(".", ". ", "-", "- ", "_", "_ ").Replace(name)
	out := wrapWords(spaced, width)
	return strings.NewReplacer(". ", ".", "- ", "-", "_ ", "_").Replace(out)
}

func (m *Wizard) progressLine() string {
	n, here := len(api.Steps)+1, m.place()
	marks := strings.Join(m.marks(), "")
	switch {
	case here < 0:
		return marks
	case m.stage() != nil:
		return m.stage().In(m.s.lang) + "  " + marks
	case here == len(api.Steps):
		return fmt.Sprintf(txtStepOf.In(m.s.lang), n, n) + " · " + txtReview.In(m.s.lang) + "  " + marks
	}
	return fmt.Sprintf(txtStepOf.In(m.s.lang), here+1, n) + " · " + api.Steps[here].Label.In(m.s.lang) + "  " + marks
}

// backKey is esc on screens that go back.
func backKey(lang string) key.Binding { return bind(lang, txtKeyBack, "esc", "esc") }

// scrollKeys are the keys that scroll a card or the review.
func scrollKeys(lang string) key.Binding {
	return bind(lang, txtKeyScroll, "pgup/pgdn", "pgup", "pgdown")
}
