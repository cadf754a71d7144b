package ui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	"github.com/charmbracelet/x/term"
)

// Accessible mode: the same steps, fields, visibility and validation as the
// wizard, as plain sequential prompts for screen readers and dumb terminals.
// Every prompt says what an empty answer does; "<" goes back one step.

var (
	txtKeep     = t{EN: "Enter keeps [%s]; '-' clears; '<' goes back a step.", ZH: "直接回车保留 [%s]；输入 '-' 清空；输入 '<' 返回上一步。"}
	txtEmpty    = t{EN: "Enter leaves it empty; '<' goes back a step.", ZH: "直接回车留空；输入 '<' 返回上一步。"}
	txtPick     = t{EN: "Type a number or a value.", ZH: "输入序号或取值。"}
	txtListHint = t{EN: "Separate names with commas.", ZH: "多个域名用逗号分隔。"}
	txtInvalid  = t{EN: "Not accepted: %s", ZH: "未通过：%s"}
	txtEOF      = t{EN: "Stopped.", ZH: "已停止。"}
)

var errBack = errors.New("back")

type prompter struct {
	in   *bufio.Reader
	tty  *os.File // the input when it is a terminal: secrets are read unechoed
	out  io.Writer
	lang string
}

// askSecret reads a line without echo on a terminal (like a password
// prompt); elsewhere (piped input) it reads a plain line.
func (p *prompter) askSecret(prompt string) (string, error) {
	if p.tty == nil {
		return p.ask(prompt)
	}
	fmt.Fprint(p.out, prompt+": ")
	b, err := term.ReadPassword(p.tty.Fd())
	fmt.Fprintln(p.out)
	if err != nil {
		return "", io.EOF
	}
	return string(b), nil
}

func (p *prompter) say(format string, args ...any) { fmt.Fprintf(p.out, format+"\n", args...) }

// ask prints a prompt and reads one line; io.EOF ends the session.
func (p *prompter) ask(prompt string) (string, error) {
	fmt.Fprint(p.out, prompt+": ")
	line, err := p.in.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", io.EOF
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// RunAccessible walks the wizard as prompts on in/out and returns the exit code.
func RunAccessible(ctx context.Context, o Options, in io.Reader, out io.Writer) (int, error) {
	m, err := NewWizard(o) // for its draft, saving and submission logic
	if err != nil {
		return 0, err
	}
	p := &prompter{in: bufio.NewReader(in), out: out, lang: m.lang}
	if f, ok := in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		p.tty = f
	}
	p.say("%s", txtTitle.In(p.lang))
	if o.Sandbox {
		p.say("%s", txtSandbox.In(p.lang))
	}
	creds := o.CredSource
	if creds == "" {
		creds = txtNoCreds.In(p.lang)
	}
	p.say("%s: %s\n%s: %s", txtEndpoint.In(p.lang), o.Endpoint, txtCredentials.In(p.lang), creds)
	// The prompts block on input; a signal (ctrl+c, SIGTERM, SIGHUP) must
	// still save and end at once, so they run beside the wait for ctx.
	type ended struct {
		code int
		err  error
	}
	done := make(chan ended, 1)
	go func() {
		code, err := runPrompts(ctx, m, p)
		done <- ended{code, err}
	}()
	var e ended
	select {
	case e = <-done:
	case <-ctx.Done():
		e.err = ctx.Err()
	}
	if errors.Is(e.err, io.EOF) || errors.Is(e.err, context.Canceled) {
		p.say("\n%s", txtEOF.In(p.lang))
		m.interrupt()
		_, msg := m.Final()
		fmt.Fprint(out, msg)
		return m.ExitCode(), nil
	}
	return e.code, e.err
}

func runPrompts(ctx context.Context, m *Wizard, p *prompter) (int, error) {
	if m.d == nil {
		if err := accessibleStart(m, p); err != nil {
			return 0, err
		}
	}
	step := m.step
	for {
		for step < len(api.Steps) {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			err := accessibleStep(m, p, step)
			if errors.Is(err, errBack) {
				step = max(step-1, 0)
				continue
			}
			if err != nil {
				return 0, err
			}
			m.step = step
			if api.Steps[step].Step == api.StepCSR {
				m.d.prefillFromCSR()
			}
			if api.Steps[step].Step == api.StepDomains && !m.d.named {
				if err := accessibleName(m, p); err != nil {
					return 0, err
				}
			}
			if err := m.save(); err != nil {
				p.say("%s", err)
			}
			step++
		}
		next, done, code, err := accessibleReview(ctx, m, p)
		if err != nil || done {
			return code, err
		}
		step = next
	}
}

func choose(p *prompter, title string, options []string) (int, error) {
	p.say("\n%s", title)
	for i, o := range options {
		p.say("  %d. %s", i+1, o)
	}
	for {
		a, err := p.ask(txtPick.In(p.lang))
		if err != nil {
			return 0, err
		}
		if n, err := strconv.Atoi(strings.TrimSpace(a)); err == nil && n >= 1 && n <= len(options) {
			return n - 1, nil
		}
		if strings.TrimSpace(a) == "" {
			return 0, nil
		}
	}
}

func accessibleStart(m *Wizard, p *prompter) error {
	labels := make([]string, len(m.starts))
	for i, o := range m.starts {
		labels[i] = o.Key
	}
	i, err := choose(p, txtStart.In(p.lang), labels)
	if err != nil {
		return err
	}
	m.choice = m.starts[i].Value
	m.startChosen()
	return nil
}

// accessibleStep asks every visible field of a step, validating each like
// the form does; errBack when the user types "<".
func accessibleStep(m *Wizard, p *prompter, step int) error {
	p.say("\n== %s %s ==", fmt.Sprintf(txtStepOf.In(p.lang), step+1, len(api.Steps)+1), api.Steps[step].Label.In(p.lang))
	for _, g := range stepDefs(api.Steps[step].Step, p.lang) {
		if g.hidden != nil && g.hidden(m.d) {
			continue
		}
		for _, f := range g.fields {
			if err := accessibleField(m.d, p, f); err != nil {
				return err
			}
		}
	}
	return nil
}

func accessibleField(d *draft, p *prompter, f fieldDef) error {
	title, hint := f.label.In(p.lang), f.hint.In(p.lang)
	if f.kind == kindConfirm {
		p.say("\n%s", title)
		for {
			a, err := p.ask("y/n")
			if err != nil {
				return err
			}
			switch strings.ToLower(strings.TrimSpace(a)) {
			case "<":
				return errBack
			case "y", "yes", "是", "1":
				*f.flag(d) = true
				return nil
			case "n", "no", "否", "2", "":
				*f.flag(d) = false
				return nil
			}
		}
	}
	ptr := f.text(d)
	p.say("\n%s — %s", title, hint)
	if f.kind == kindChoice {
		for i, c := range f.choices {
			p.say("  %d. %s", i+1, c.Label.In(p.lang))
		}
	}
	if f.kind == kindLines && f.key == "DomainList" {
		p.say("%s", txtListHint.In(p.lang))
	}
	for {
		cur := *ptr
		if f.kind == kindSecret && cur != "" {
			cur = "******"
		}
		if f.kind == kindLines {
			cur = strings.Join(api.SplitList(cur), ", ")
		}
		if cur != "" {
			p.say(txtKeep.In(p.lang), cur)
		} else {
			p.say("%s", txtEmpty.In(p.lang))
		}
		ask := p.ask
		if f.kind == kindSecret {
			ask = p.askSecret
		}
		a, err := ask(title)
		if err != nil {
			return err
		}
		if f.kind != kindSecret {
			a = strings.TrimSpace(a)
		}
		switch {
		case a == "<":
			return errBack
		case a == "":
			a = *ptr
		case a == "-":
			a = ""
		case f.kind == kindChoice:
			if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(f.choices) {
				a = f.choices[n-1].Value
			}
		case f.kind == kindLines && f.key == "DomainList":
			a = strings.Join(api.SplitList(a), "\n")
		}
		if f.check != nil {
			if err := f.check(d, a); err != nil {
				p.say(txtInvalid.In(p.lang), err)
				continue
			}
		}
		if f.key != "csrPath" || a != "" {
			*ptr = a
		}
		if f.describe != nil {
			if extra := f.describe(d); extra != "" {
				p.say("%s", extra)
			}
		}
		return nil
	}
}

func accessibleName(m *Wizard, p *prompter) error {
	def := m.d.defaultName()
	for {
		p.say("\n%s — %s", txtSaveAs.In(p.lang), txtSaveAsHint.In(p.lang))
		a, err := p.ask(fmt.Sprintf("[%s]", def))
		if err != nil {
			return err
		}
		if a = strings.TrimSpace(a); a == "" {
			a = def
		}
		if err := profiles.ValidName(a); err != nil {
			p.say(txtInvalid.In(p.lang), err)
			continue
		}
		if a != m.d.name && m.taken(a) {
			p.say(txtInvalid.In(p.lang), fmt.Errorf("%s: %w", a, profiles.ErrExists))
			continue
		}
		m.nameInput = a
		m.nameChosen()
		return nil
	}
}

// accessibleReview prints the review and asks what to do: the step to
// edit, or done with an exit code.
func accessibleReview(ctx context.Context, m *Wizard, p *prompter) (next int, done bool, code int, err error) {
	for {
		if err := m.generateIfNeeded(); err != nil {
			p.say("%s", err)
		} else if m.status != "" {
			p.say("%s", m.status)
			m.status = ""
		}
		p.say("\n== %s ==\n%s", txtReview.In(p.lang), m.reviewText())
		n := m.blockers()
		submit := txtSubmit.In(p.lang)
		if n > 0 {
			submit = fmt.Sprintf(txtSubmitBlock.In(p.lang), n)
		}
		i, err := choose(p, txtReview.In(p.lang), []string{submit, txtEditStep.In(p.lang), txtSaveQuit.In(p.lang), txtExportJSON.In(p.lang)})
		if err != nil {
			return 0, false, 0, err
		}
		switch i {
		case 0:
			if n > 0 {
				continue
			}
			if code, again, err := accessibleSubmit(ctx, m, p); err != nil || !again {
				return 0, true, code, err
			}
		case 1:
			labels := make([]string, len(api.Steps))
			for i, st := range api.Steps {
				labels[i] = st.Label.In(p.lang)
			}
			s, err := choose(p, txtWhichStep.In(p.lang), labels)
			if err != nil {
				return 0, false, 0, err
			}
			if err := accessibleStep(m, p, s); err != nil && !errors.Is(err, errBack) {
				return 0, false, 0, err
			}
			m.saveQuietly()
		case 2:
			if err := m.save(); err != nil {
				return 0, true, api.ExitFailure, err
			}
			p.say(txtSavedAs.In(p.lang), m.d.name, m.d.name)
			return 0, true, 0, nil
		case 3:
			m.saveQuietly()
			if path, err := m.export(); err != nil {
				p.say("%s", err)
			} else {
				p.say(txtExported.In(p.lang), path)
			}
		}
	}
}

// accessibleSubmit sends the draft and shows the result or the error card;
// again reports that the user wants the review once more.
func accessibleSubmit(ctx context.Context, m *Wizard, p *prompter) (code int, again bool, err error) {
	for {
		p.say("\n"+txtSubmitting.In(p.lang), m.opts.Endpoint, "")
		res, serr := m.opts.Client.Submit(ctx, m.d.request().Normalized())
		m.submitDone(submitDoneMsg{res: res, err: serr})
		if m.screen == scrResult {
			p.say("%s\nCertificateId: %s\nRequestId: %s\n%s: %s", txtDone.In(p.lang), res.CertificateId, res.RequestId, txtNext.In(p.lang), api.NextSteps(m.d.request().VerifyType).In(p.lang))
			if m.opts.History != nil {
				p.say(txtHistoryAt.In(p.lang), m.opts.History.Path)
			}
			return 0, false, nil
		}
		if m.screen != scrError {
			return 0, true, nil // cancelled: back to review
		}
		e, gd := m.failure, m.failure.Guide()
		p.say("\n%s\n%s\n%s: %s\n%s: %s\n%s: %s\nRequestId: %s", gd.Title.In(p.lang), gd.Meaning.In(p.lang), txtWhat.In(p.lang), e.Hint(p.lang),
			txtServerSaid.In(p.lang), e.Message, txtCode.In(p.lang), e.Code, e.RequestId)
		var labels, values []string
		if gd.Step != "" {
			labels, values = append(labels, fmt.Sprintf(txtEditPointed.In(p.lang), gd.Step.Label(p.lang))), append(values, "edit")
		}
		if gd.Retry {
			labels, values = append(labels, txtRetry.In(p.lang)), append(values, "retry")
		}
		labels, values = append(labels, txtBackReview.In(p.lang), txtSaveQuit.In(p.lang)), append(values, "review", "save")
		i, err := choose(p, txtWhat.In(p.lang), labels)
		if err != nil {
			return 0, false, err
		}
		switch values[i] {
		case "edit":
			if err := accessibleStep(m, p, m.stepIndex(gd.Step)); err != nil && !errors.Is(err, errBack) {
				return 0, false, err
			}
			m.saveQuietly()
			return 0, true, nil
		case "retry":
			continue
		case "review":
			return 0, true, nil
		}
		m.saveQuietly()
		p.say(txtSavedAs.In(p.lang), m.d.name, m.d.name)
		return e.ExitCode(), false, nil
	}
}
