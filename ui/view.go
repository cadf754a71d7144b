package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
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

func (m *Wizard) View() string {
	if m.quitting {
		return ""
	}
	if m.width < minWidth || m.height < minHeight {
		return lipgloss.NewStyle().Width(m.width).Render(fmt.Sprintf(txtTooSmall.In(m.lang), m.width, m.height))
	}
	body := lipgloss.NewStyle().MaxWidth(m.bodyWidth()).MaxHeight(m.bodyHeight()).Render(m.body())
	if !m.compact() && m.d != nil {
		side := sidebarStyle.Width(sidebarWidth).Height(m.bodyHeight()).MaxHeight(m.bodyHeight()).Render(m.sidebar())
		body = lipgloss.JoinHorizontal(lipgloss.Top, side, body)
	}
	body = lipgloss.NewStyle().Height(m.bodyHeight()).MaxHeight(m.bodyHeight()).Render(body)
	view := lipgloss.JoinVertical(lipgloss.Left, m.header(), body, m.footer())
	return lipgloss.NewStyle().MaxWidth(m.width).MaxHeight(m.height).Render(view)
}

// header tells the truth on every screen: where submissions go and with
// which key, and that a sandbox is a sandbox.
func (m *Wizard) header() string {
	title := titleStyle.Render(txtTitle.In(m.lang))
	creds := m.opts.CredSource
	if creds == "" {
		creds = badStyle.Render(txtNoCreds.In(m.lang))
	}
	lines := []string{title}
	if m.opts.Sandbox {
		lines = append(lines, warnStyle.Render(txtSandbox.In(m.lang)))
	}
	lines = append(lines,
		truncate(labelStyle.Render(txtEndpoint.In(m.lang)+": ")+m.opts.Endpoint, m.width),
		truncate(labelStyle.Render(txtCredentials.In(m.lang)+": ")+creds, m.width))
	if m.compact() {
		// Three lines: who, where and with which key, and how far.
		if m.opts.Sandbox {
			title += " " + warnStyle.Render("SANDBOX")
		}
		if m.opts.CredID != "" {
			creds = m.opts.CredID
		}
		lines = []string{truncate(title, m.width), truncate(m.opts.Endpoint+" · "+creds, m.width)}
		if m.d != nil {
			lines = append(lines, truncate(m.progressLine(), m.width))
		}
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines, "\n") + "\n"
}

func truncate(s string, w int) string { return lipgloss.NewStyle().MaxWidth(w).Render(s) }

func (m *Wizard) footer() string {
	var lines []string
	if m.status != "" {
		st := goodStyle
		if m.statusBad {
			st = badStyle
		}
		lines = append(lines, lipgloss.NewStyle().Width(m.width).Render(st.Render(m.status)))
	}
	if m.form != nil && !m.compact() {
		if h := m.form.Help().ShortHelpView(m.form.KeyBinds()); h != "" {
			lines = append(lines, truncate(h, m.width))
		}
	}
	keys := txtKeys
	switch {
	case m.compact():
		keys = txtKeysShort
	case m.screen != scrStep:
		keys = txtKeysChoose
	}
	switch m.screen {
	case scrSubmitting:
		keys = txtCancelHint
	case scrResult:
		keys = t{EN: "enter quit", ZH: "enter 退出"}
	case scrReview, scrError:
		keys = t{EN: "pgup/pgdn scroll · " + keys.EN, ZH: "pgup/pgdn 滚动 · " + keys.ZH}
	}
	lines = append(lines, mutedStyle.Render(truncate(keys.In(m.lang), m.width)))
	return strings.Join(lines, "\n")
}

// marks for the sidebar and the compact progress line.
func (m *Wizard) marks() []string {
	pr := api.ProgressOf(m.d.request())
	out := make([]string, 0, len(pr.Steps)+1)
	for i, s := range pr.Steps {
		switch {
		case m.screen == scrStep && i == m.step:
			out = append(out, currentStyle.Render("▸"))
		case s.State == api.StepDone:
			out = append(out, goodStyle.Render("✓"))
		case s.State == api.StepProblem:
			out = append(out, badStyle.Render("✗"))
		default:
			out = append(out, mutedStyle.Render("·"))
		}
	}
	if m.screen == scrReview || m.screen == scrEditPick {
		out = append(out, currentStyle.Render("▸"))
	} else {
		out = append(out, mutedStyle.Render("·"))
	}
	return out
}

func (m *Wizard) sidebar() string {
	marks := m.marks()
	var b strings.Builder
	for i, st := range api.Steps {
		label := st.Label.In(m.lang)
		if m.screen == scrStep && i == m.step {
			label = currentStyle.Render(label)
		}
		fmt.Fprintf(&b, "%s %d %s\n", marks[i], i+1, label)
	}
	review := txtReview.In(m.lang)
	if m.screen == scrReview || m.screen == scrEditPick {
		review = currentStyle.Render(review)
	}
	fmt.Fprintf(&b, "%s %d %s", marks[len(marks)-1], len(api.Steps)+1, review)
	if m.d.name != "" {
		fmt.Fprintf(&b, "\n\n%s", mutedStyle.Render(truncate(m.d.name, sidebarWidth)))
	}
	return b.String()
}

func (m *Wizard) progressLine() string {
	n, label := len(api.Steps)+1, txtReview.In(m.lang)
	cur := n
	if m.screen == scrStep {
		cur, label = m.step+1, api.Steps[m.step].Label.In(m.lang)
	}
	return fmt.Sprintf(txtStepOf.In(m.lang), cur, n) + " · " + label + "  " + strings.Join(m.marks(), "")
}

func (m *Wizard) body() string {
	switch m.screen {
	case scrStep:
		return currentStyle.Render(api.Steps[m.step].Label.In(m.lang)) + "\n" + m.form.View()
	case scrReview:
		return currentStyle.Render(txtReview.In(m.lang)) + "\n" + m.scroll.View() + "\n" + m.form.View()
	case scrSubmitting:
		elapsed := m.opts.Now().Sub(m.started).Round(100 * time.Millisecond)
		return m.spin.View() + " " + fmt.Sprintf(txtSubmitting.In(m.lang), m.opts.Endpoint, elapsed)
	case scrResult:
		return m.resultCard()
	case scrError:
		return m.scroll.View() + "\n" + m.form.View()
	}
	if m.form != nil {
		return m.form.View()
	}
	return ""
}

// reviewText lists every value as it will be sent, grouped by step, with
// missing and invalid ones marked.
func (m *Wizard) reviewText() string {
	req := m.d.request()
	sent := req.Normalized()
	pr := api.ProgressOf(req)
	var b strings.Builder
	for i, st := range api.Steps {
		mark := goodStyle.Render("✓")
		switch pr.Steps[i].State {
		case api.StepProblem:
			mark = badStyle.Render("✗")
		case api.StepTodo:
			mark = mutedStyle.Render("·")
		}
		fmt.Fprintf(&b, "%s %s\n", mark, titleStyle.Render(st.Label.In(m.lang)))
		for _, f := range api.StepFields(st.Step) {
			value := sent.Get(f.Name)
			switch {
			case f.Kind == api.KindSecret && value != "":
				value = txtSecretSet.In(m.lang)
			case f.Name == "CsrContent" && value != "":
				value = csrSummary(value, m.lang)
			case f.Name == "DomainList":
				value = strings.Join(sent.DomainList, ", ")
			case f.Name == "OrganizationCountry" && value != "":
				if c, ok := api.CountryByCode(value); ok {
					value = c.Label()
				}
			}
			ps := pr.Steps[i].Problems.For(f.Name)
			switch {
			case len(ps) > 0 && ps[0].Missing:
				value = badStyle.Render("✗ " + txtMissing.In(m.lang))
			case len(ps) > 0:
				value += "  " + badStyle.Render("✗ "+ps[0].What.In(m.lang))
			case value == "":
				value = mutedStyle.Render(txtNotSet.In(m.lang))
			}
			fmt.Fprintf(&b, "  %s %s\n", labelStyle.Render(padRight(f.Label.In(m.lang), 22)), value)
		}
		if st.Step == api.StepCSR {
			if g := m.d.generated; g != nil && m.d.csrMode == modeGenerate {
				fmt.Fprintf(&b, "  %s\n", warnStyle.Render(fmt.Sprintf(txtKeyReminder.In(m.lang), g.keyPath)))
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func padRight(s string, n int) string {
	if w := lipgloss.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

func (m *Wizard) resultCard() string {
	lines := []string{
		goodStyle.Bold(true).Render("✓ " + txtDone.In(m.lang)),
		"",
		labelStyle.Render("CertificateId: ") + m.result.CertificateId,
		labelStyle.Render("RequestId:     ") + m.result.RequestId,
		"",
		titleStyle.Render(txtNext.In(m.lang)),
		api.NextSteps(m.d.request().VerifyType).In(m.lang),
	}
	if g := m.d.generated; g != nil && m.d.csrMode == modeGenerate {
		lines = append(lines, "", warnStyle.Render(fmt.Sprintf(txtKeyReminder.In(m.lang), g.keyPath)))
	}
	if m.opts.History != nil {
		lines = append(lines, "", mutedStyle.Render(fmt.Sprintf(txtHistoryAt.In(m.lang), m.opts.History.Path)))
	}
	return cardStyle.Width(m.bodyWidth() - 2).Render(strings.Join(lines, "\n"))
}

func (m *Wizard) errorCard() string {
	e := m.failure
	gd := e.Guide()
	lines := []string{
		badStyle.Bold(true).Render("✗ " + gd.Title.In(m.lang)),
		gd.Meaning.In(m.lang),
		"",
		titleStyle.Render(txtWhat.In(m.lang)) + ": " + e.Hint(m.lang),
	}
	if e.Message != "" {
		label := txtDetails
		if e.Service {
			label = txtServerSaid
		}
		lines = append(lines, labelStyle.Render(label.In(m.lang)+": ")+e.Message)
	}
	lines = append(lines, labelStyle.Render(txtCode.In(m.lang)+": ")+e.Code)
	if e.RequestId != "" {
		lines = append(lines, labelStyle.Render("RequestId: ")+e.RequestId)
	}
	return errCardStyle.Width(m.bodyWidth() - 2).Render(strings.Join(lines, "\n"))
}
