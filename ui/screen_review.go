package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// reviewScreen shows every value as it will be sent, and every problem
// with its field and step, above the actions.
type reviewScreen struct {
	s      *session
	p      pane
	choice string
	now    *api.CertificateDetail // where an already submitted certificate is now; nil until read
}

// reviewNowMsg is the account's answer about an already submitted certificate.
type reviewNowMsg struct {
	d   api.CertificateDetail
	err error
}

func newReview(s *session) *reviewScreen { return newReviewAt(s, "") }

// newReviewAt opens review with the cursor on an action (after an export,
// on Export again rather than on Submit).
func newReviewAt(s *session, action string) *reviewScreen {
	if err := s.generateIfNeeded(); err != nil {
		s.setStatus(err.Error(), true)
	}
	sc := &reviewScreen{s: s, choice: "submit"}
	n := s.blockers()
	submit := txtSubmit.In(s.lang)
	switch {
	case s.opts.Client == nil:
		submit = txtSubmitNoCreds.In(s.lang)
	case n > 0:
		submit = fmt.Sprintf(txtSubmitBlock.In(s.lang), n)
	}
	if _, ok := s.submitted(); ok {
		submit = txtSubmitAgain.In(s.lang)
		sc.choice = "save"
	}
	if n > 0 || len(s.unseenSteps()) > 0 {
		// A step holding only defaults the user never saw is checked
		// first: one Enter too many must not send them.
		sc.choice = "edit"
	}
	if action != "" {
		sc.choice = action
	}
	opts := []pickOption{{submit, "submit"}, {txtEditStep.In(s.lang), "edit"}, {txtSaveQuit.In(s.lang), "save"}, {txtExportJSON.In(s.lang), "export"}}
	sc.p = newPane(func(w int) string { return nowText(s, sc.now, w) + reviewText(s, w) }, newMenu(s.lang, "", opts, &sc.choice))
	sc.p.head = 1 // the title
	return sc
}

func (sc *reviewScreen) place() int { return len(api.Steps) }

// Init reads where an already submitted certificate is now: the history
// says it was submitted, not whether it has gone on to the CA since.
func (sc *reviewScreen) Init() tea.Cmd {
	rec, ok := sc.s.submitted()
	client := sc.s.opts.Client
	if !ok || client == nil || rec.CertificateId == "" {
		return nil
	}
	return func() tea.Msg {
		d, err := client.DescribeCertificateDetail(context.Background(), rec.CertificateId)
		return reviewNowMsg{d, err}
	}
}

func (sc *reviewScreen) Resize(w, h int) tea.Cmd { sc.p.resize(w, h); return nil }

func (sc *reviewScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	if m, ok := msg.(reviewNowMsg); ok {
		if m.err == nil {
			sc.now = &m.d
			sc.p.resize(sc.p.vp.Width, sc.p.vp.Height+sc.p.head+sc.p.below())
		}
		return sc, nil
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return sc, nil
	}
	if key.Matches(k, keyEsc) {
		return goTo(toStepForm{i: len(api.Steps) - 1}), nil
	}
	switch sc.p.key(k, s.lang) {
	case "submit":
		if s.blockers() > 0 {
			if s.opts.Client == nil {
				s.setStatus(txtNoCreds.In(s.lang), true)
			} else {
				s.setStatus(txtFixFirst.In(s.lang), true)
			}
			return sc, nil
		}
		return goTo(toSubmit{attempt: 1}), nil
	case "edit":
		return goTo(toEditPick{}), nil
	case "save":
		if err := s.save(); err != nil {
			s.setStatus(err.Error(), true)
			return sc, nil
		}
		s.finalErr = s.savedLine()
		return sc, quit
	case "export":
		s.saveQuietly()
		return goTo(exportTo(s, s.exportPath())), nil
	}
	return sc, nil
}

// exportTo writes the JSON export, asking before replacing a file.
func exportTo(s *session, path string) route {
	err := s.export(path, false)
	if errors.Is(err, errExists) {
		s.setStatus("", false)
		return toReplaceFile{path}
	}
	exported(s, path, err)
	return toReview{action: "export"}
}

// replaceQuestion asks before an export replaces a file. Keeping the file
// is first: one Enter too many must not replace it.
func replaceQuestion(s *session, path string) question {
	answers := []pickOption{{txtKeepFile.In(s.lang), "keep"}, {txtReplace.In(s.lang), "replace"}}
	return question{at: len(api.Steps), text: fmt.Sprintf(txtFileExists.In(s.lang), path), ask: txtReplaceQ.In(s.lang), answers: answers,
		onPick: func(v string) route {
			if v == "replace" {
				exported(s, path, s.export(path, true))
			} else {
				s.setStatus(fmt.Sprintf(txtNotExported.In(s.lang), path), false)
			}
			return toReview{action: "export"}
		},
		onEsc: toReview{action: "export"}}
}

func exported(s *session, path string, err error) {
	if err != nil {
		s.setStatus(err.Error(), true)
		return
	}
	s.setStatus(fmt.Sprintf(txtExported.In(s.lang), path), false)
}

func (sc *reviewScreen) View() string {
	return currentStyle.Render(txtReview.In(sc.s.lang)) + "\n" + sc.p.view()
}

func (sc *reviewScreen) Keys() []key.Binding {
	return append(sc.p.menu.KeyBinds(), scrollKeys(sc.s.lang), backKey(sc.s.lang))
}

// nowText says where an already submitted certificate is now, when it has
// gone on from awaiting information: submitting again would be refused,
// and the road goes on with status, not here.
func nowText(s *session, d *api.CertificateDetail, width int) string {
	if d == nil || d.Status == api.StatusAwaitingInfo {
		return ""
	}
	line := fmt.Sprintf(txtNowAt.In(s.lang), safe.Text(d.CertificateId), d.Words(s.lang), d.Status,
		s.commandLine("status", d.CertificateId, "--watch"))
	return warnStyle.Render(wrapWords(line, width)) + "\n\n"
}

// reviewText lists the problems first, each with its field and step, then
// every value as it will be sent, grouped by step.
func reviewText(s *session, width int) string {
	req := s.d.request()
	sent := req.Normalized()
	pr := s.progress()
	var b strings.Builder
	if rec, ok := s.submitted(); ok {
		fmt.Fprintf(&b, "%s\n\n", warnStyle.Render(wrapWords(fmt.Sprintf(txtAlreadySubmitted.In(s.lang), rec.Time.Local().Format("2006-01-02 15:04"), safe.Text(rec.RequestId)), width)))
	}
	var problems []string
	for _, st := range pr.Steps {
		for _, p := range st.Problems {
			f, _ := api.Lookup(p.Param)
			what := p.What.In(s.lang)
			if p.Missing {
				what = txtMissing.In(s.lang)
			}
			line := st.Step.Label(s.lang) + " · " + f.Label.In(s.lang) + colon(s.lang) + what
			if !p.Missing {
				line = strings.TrimSpace(problemError(&p, s.lang).Error())
				line = st.Step.Label(s.lang) + " · " + f.Label.In(s.lang) + colon(s.lang) + line
			}
			problems = append(problems, line)
		}
	}
	for _, st := range s.unseenSteps() {
		fmt.Fprintf(&b, "%s\n\n", warnStyle.Render(wrapWords(fmt.Sprintf(txtUnseen.In(s.lang), st.Label(s.lang)), width)))
	}
	if len(problems) > 0 {
		fmt.Fprintf(&b, "%s\n", badStyle.Render(fmt.Sprintf(txtProblems.In(s.lang), len(problems))))
		for _, p := range problems {
			fmt.Fprintf(&b, "%s\n", badStyle.Render(indent(wrapWords("✗ "+p, width-4), "  ")))
		}
		b.WriteString("\n")
	}
	for i, st := range api.Steps {
		mark := goodStyle.Render("✓")
		switch {
		case pr.Steps[i].State == api.StepProblem, len(pr.Steps[i].Problems) > 0:
			// At review a missing value blocks the submission as much as
			// a wrong one: its step is marked as having problems.
			mark = badStyle.Render("✗")
		case pr.Steps[i].State == api.StepTodo:
			mark = mutedStyle.Render("·")
		}
		fmt.Fprintf(&b, "%s %s\n", mark, titleStyle.Render(st.Label.In(s.lang)))
		for _, f := range api.StepFields(st.Step) {
			raw := sent.Get(f.Name)
			value := safe.Text(raw) // a value may have come from an answer (a certificate's submitted data)
			switch {
			case f.Kind == api.KindSecret && req.CsrType != modeOnline:
				continue // a key password only goes with a key made by Tencent
			case f.Kind == api.KindSecret && value != "":
				value = txtSecretSet.In(s.lang)
			case f.Name == "CsrContent" && value != "":
				// The row's mark is the step's, not the CSR's own.
				value = strings.TrimPrefix(csrSummary(raw, s.lang), "✓ ")
			case f.Name == "DomainList":
				value = safe.Text(strings.Join(sent.DomainList, ", "))
			case f.Kind == api.KindBool && value != "":
				for _, c := range f.Choices {
					if c.Value == value {
						value = c.Label.In(s.lang)
					}
				}
			case f.Name == "OrganizationCountry" && value != "":
				if c, ok := api.CountryByCode(value); ok {
					value = c.Label()
				}
			}
			ps := pr.Steps[i].Problems.For(f.Name)
			switch {
			case len(ps) > 0 && ps[0].Missing:
				value = badStyle.Render("✗ " + txtMissing.In(s.lang))
			case len(ps) > 0:
				value += "  " + badStyle.Render("✗")
			case value == "":
				value = mutedStyle.Render(txtNotSet.In(s.lang))
			}
			// Values wrap, never cut: a cut "www.example.com" reads as ".co".
			if width < 50 {
				fmt.Fprintf(&b, "  %s\n    %s\n", labelStyle.Render(f.Label.In(s.lang)), indent(wrapWords(value, width-4), "    "))
			} else {
				fmt.Fprintf(&b, "  %s %s\n", labelStyle.Render(padRight(f.Label.In(s.lang), 22)), indent(wrapWords(value, width-25), strings.Repeat(" ", 25)))
			}
		}
		if st.Step == api.StepCSR {
			if g := s.d.generated; g != nil && s.d.csrMode == modeGenerate {
				fmt.Fprintf(&b, "  %s\n", indent(warnStyle.Render(wrapWords(fmt.Sprintf(txtKeyReminder.In(s.lang), g.keyPath), width-2)), "  "))
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// unseenSteps are the steps holding only defaults the user has not seen.
func (s *session) unseenSteps() []api.Step {
	if s.d.contactAssumed && s.d.sameContact {
		return []api.Step{api.StepContact}
	}
	return nil
}

// indent puts prefix before every line but the first: the continuation
// lines of a wrapped "✗ " item line up under its text.
func indent(s, prefix string) string {
	return strings.ReplaceAll(s, "\n", "\n"+prefix)
}

func padRight(s string, n int) string {
	if w := lipgloss.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
