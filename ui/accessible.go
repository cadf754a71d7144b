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
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"
)

// Accessible mode: the same steps, fields, visibility and validation as the
// wizard, as plain sequential prompts for screen readers and dumb terminals.
// Every prompt says what an empty answer does; "<" goes back one step.

var (
	txtKeep           = t{EN: "Enter keeps [%s]; '-' clears; '<' goes back a step.", ZH: "直接回车保留 [%s]；输入 '-' 清空；输入 '<' 返回上一步。"}
	txtEmpty          = t{EN: "Enter leaves it empty; '<' goes back a step.", ZH: "直接回车留空；输入 '<' 返回上一步。"}
	txtPick           = t{EN: "Type a number or a value.", ZH: "输入序号或取值。"}
	txtListHint       = t{EN: "For multi-domain certificates: the other names on one line, separated by commas", ZH: "多域名证书的其他域名，写在一行，用逗号分隔"}
	txtDomainsTaken   = t{EN: "%d additional domain(s): %s.", ZH: "其他域名 %d 个：%s。"}
	txtCountryMatches = t{EN: "Countries matching %q: type the code of yours.", ZH: "与 %q 匹配的国家：请输入您的国家代码。"}
	txtCountryAsk     = t{EN: "Enter a 2-letter code such as DE (or a country's name); type ? for the list.", ZH: "请输入两位国家代码，如 DE（或国家名称）；输入 ? 查看列表。"}
	txtReplaceYN      = t{EN: "Replace it? y/N", ZH: "替换吗？y/N"}
	txtEOF            = t{EN: "Stopped.", ZH: "已停止。"}
	txtInputEnded     = t{EN: "Standard input ended before the wizard was done: nothing more to answer with.", ZH: "标准输入已结束，向导尚未完成：没有更多回答可读。"}
	txtYNKeep         = t{EN: "y/n, Enter keeps %s", ZH: "y/n，回车保持%s"}
	txtYesWord        = t{EN: "yes", ZH: "是"}
	txtNoWord         = t{EN: "no", ZH: "否"}
)

var errBack = errors.New("back")

type prompter struct {
	in   *bufio.Reader
	tty  *os.File // the input when it is a terminal: secrets are read unechoed
	out  io.Writer
	lang string
	// pending is a line being read in the background (lineSoon), for a
	// prompt that also acts on a timer; the next read takes it.
	pending chan readResult
}

type readResult struct {
	line string
	err  error
}

// lineSoon begins reading a line in the background, unless one is being
// read already: the channel gets it. The next ask takes that line too, so
// two reads never race for the input.
func (p *prompter) lineSoon() <-chan readResult {
	if p.pending == nil {
		ch := make(chan readResult, 1)
		p.pending = ch
		go func() {
			line, err := p.readLine()
			ch <- readResult{line, err}
		}()
	}
	return p.pending
}

// took says the line lineSoon's channel gave was used.
func (p *prompter) took() { p.pending = nil }

// readLine reads one line; io.EOF when the input has ended.
func (p *prompter) readLine() (string, error) {
	line, err := p.in.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", io.EOF
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// promptLine ends a prompt with ": ", once: a prompt that is a sentence
// loses its full stop.
func promptLine(prompt string) string {
	return safe.Lines(strings.TrimRight(prompt, ".。:：")) + ": "
}

// askSecret reads a line without echo on a terminal (like a password
// prompt); elsewhere (piped input) it reads a plain line.
func (p *prompter) askSecret(prompt string) (string, error) {
	if p.tty == nil {
		return p.ask(prompt)
	}
	fmt.Fprint(p.out, promptLine(prompt))
	b, err := term.ReadPassword(p.tty.Fd())
	fmt.Fprintln(p.out)
	if err != nil {
		return "", io.EOF
	}
	return string(b), nil
}

// say prints a line. Accessible mode prints plain text only, so all of
// it goes through ui/safe here: whatever an answer put in a line, it
// never acts on the terminal.
func (p *prompter) say(format string, args ...any) {
	fmt.Fprint(p.out, safe.Lines(fmt.Sprintf(format, args...))+"\n")
}

// ask prints a prompt and reads one line; io.EOF ends the session.
func (p *prompter) ask(prompt string) (string, error) {
	fmt.Fprint(p.out, promptLine(prompt))
	if ch := p.pending; ch != nil {
		p.took()
		r := <-ch
		return r.line, r.err
	}
	return p.readLine()
}

// RunAccessible walks the wizard as prompts on in/out and returns the exit code.
func RunAccessible(ctx context.Context, o Options, in io.Reader, out io.Writer) (int, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ExportDir == "" {
		o.ExportDir = "."
	}
	s := &session{opts: o, lang: api.NormalizeLanguage(o.Lang)}
	if o.Profile != "" {
		pr, err := o.Store.Load(o.Profile)
		if err != nil {
			return 0, fmt.Errorf("open profile %q: %w", o.Profile, err)
		}
		s.d = draftOf(pr)
	}
	// Plain lines, for screen readers and for say, which escapes any
	// escape sequence: the styles draw no colours here.
	lipgloss.SetColorProfile(termenv.Ascii)
	p := &prompter{in: bufio.NewReader(in), out: out, lang: s.lang}
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
		defer func() {
			if r := recover(); r != nil {
				s.crashed(r, panicSite())
				done <- ended{api.ExitFailure, nil}
			}
		}()
		code, err := runPrompts(ctx, s, p)
		done <- ended{code, err}
	}()
	var e ended
	select {
	case e = <-done:
	case <-ctx.Done():
		e.err = ctx.Err()
	}
	if s.crash != "" {
		fmt.Fprint(out, safe.Lines(s.exitMessage()))
		return s.exitCode(), nil
	}
	if errors.Is(e.err, io.EOF) || errors.Is(e.err, context.Canceled) {
		// A signal stops the session (130); input that runs out before
		// the answers it needs is a usage problem of the script (2).
		eof := errors.Is(e.err, io.EOF) && ctx.Err() == nil
		if eof {
			p.say("\n%s", txtInputEnded.In(p.lang))
		} else {
			p.say("\n%s", txtEOF.In(p.lang))
		}
		s.interrupted()
		if eof && s.exit == api.ExitInterrupted {
			s.exit = api.ExitInput
		}
		fmt.Fprint(out, safe.Lines(s.exitMessage()))
		return s.exitCode(), nil
	}
	if len(s.unrecorded) > 0 {
		fmt.Fprint(out, safe.Lines(s.exitMessage()))
		if e.code == 0 && e.err == nil {
			e.code = api.ExitFailure
		}
	}
	return e.code, e.err
}

// runPrompts follows the wizard's routes with prompts: the same
// decisions (where a draft resumes, what follows a step, an error's
// actions) lead both. A nil route ends the session with code.
func runPrompts(ctx context.Context, s *session, p *prompter) (int, error) {
	var r route = toResume{}
	if s.d == nil {
		var err error
		if r, err = accessibleStart(s, p); err != nil {
			return 0, err
		}
	}
	code := 0
	var err error
	for r != nil && err == nil {
		switch to := r.(type) {
		case toValPick:
			r, code, err = accessibleValidPick(ctx, s, p)
		case toResume:
			r = s.resume()
		case toStep:
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			err = accessibleStep(s, p, to.i)
			switch {
			case errors.Is(err, errBack) && !to.fromReview:
				r, err = toStep{i: max(to.i-1, 0)}, nil
				continue
			case errors.Is(err, errBack):
				err = nil // a step edited from review is done as typed
			case err != nil:
				return 0, err
			}
			if err = accessibleStepDone(s, p, to.i); err == nil {
				r = advance(to.i, to.fromReview)
			}
		case toReview:
			r, code, err = accessibleReview(s, p)
		case toSubmit:
			r, code, err = accessibleSubmit(ctx, s, p, to.attempt)
		case toResult:
			r = accessibleResult(s, p, to.res)
		case toConfirmSend:
			r, err = accessibleConfirm(s, p, to.res)
		case toCommit:
			r, code = accessibleCommit(ctx, s, p, to.res)
		case toValidation:
			r, code, err = accessibleValidation(ctx, s, p, to.id)
		case toDownload:
			r, code, err = accessibleDownload(ctx, s, p, to.d)
		case toInstallForm:
			r, code, err = accessibleInstall(ctx, s, p, to.a)
		case toRolloutForm:
			r, code, err = accessibleRollout(ctx, s, p, to.a)
		default:
			panic(fmt.Sprintf("ui: accessible mode has no prompt for route %T", r))
		}
	}
	return code, err
}

// accessibleStepDone does what leaving a step does in the wizard: load the
// CSR file, pre-fill from the CSR, ask about a draft of the same
// certificate, ask the name after the domains, save.
func accessibleStepDone(s *session, p *prompter, step int) error {
	switch api.Steps[step].Step {
	case api.StepContact:
		s.d.contactAssumed = false
	case api.StepCSR:
		s.d.encrypt = s.d.keyPass != ""
		if err := s.d.loadCSRFile(); err != nil {
			p.say("%s", err)
		}
		s.d.prefillFromCSR()
	case api.StepCertificate:
		s.d.req.CertificateId = strings.TrimSpace(s.d.req.CertificateId)
		if s.opts.Client != nil && s.d.req.CertificateId != "" {
			if d, err := s.opts.Client.DescribeCertificateDetail(context.Background(), s.d.req.CertificateId); err == nil {
				if d.Status != api.StatusAwaitingInfo {
					p.say(txtIDNotAwaiting.In(p.lang), s.d.req.CertificateId, d.Words(p.lang))
				}
				takeCertificate(s.d, d.Certificate)
			} else if e := outcome(err); e.Code == "FailedOperation.CertificateNotFound" {
				p.say(txtIDNotFound.In(p.lang), s.d.req.CertificateId)
			}
		}
		if e, ok := s.sameDraft(); ok && s.d.name == "" {
			pr := api.ProgressOf(e.Profile.Params)
			p.say("\n"+txtSameDraft.In(p.lang), e.Profile.Params.CertificateId, e.Name, pr.Done, len(pr.Steps), e.Profile.Updated.Local().Format("2006-01-02 15:04"))
			i, err := choose(p, txtSameQuestion.In(p.lang), []string{fmt.Sprintf(txtSameContinue.In(p.lang), e.Name), fmt.Sprintf(txtSameReplace.In(p.lang), e.Name), txtSameKeepBoth.In(p.lang)})
			if err != nil {
				return err
			}
			switch i {
			case 0:
				s.d = draftOf(e.Profile)
			case 1:
				s.d.name, s.d.named = e.Name, !isProvisional(e.Name)
			}
		}
	case api.StepDomains:
		if !s.d.named {
			if err := accessibleName(s, p); err != nil {
				return err
			}
		}
	}
	if err := s.save(); err != nil {
		p.say("%s", err)
	}
	return nil
}

// labelsOf are the options' labels, for choose.
func labelsOf(opts []pickOption) []string {
	labels := make([]string, len(opts))
	for i, o := range opts {
		labels[i] = o.label
	}
	return labels
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

// accessibleStart asks the start menu's question; where it leads is the
// wizard's decision (started).
func accessibleStart(s *session, p *prompter) (route, error) {
	opts, notes := startChoices(s)
	for _, n := range notes {
		p.say("%s", n)
	}
	labels := labelsOf(opts)
	i, err := choose(p, txtStart.In(p.lang), labels)
	if err != nil {
		return nil, err
	}
	r, err := s.started(opts[i].value)
	switch to := r.(type) {
	case toFromCert:
		return toResume{}, accessibleFromCert(s, p)
	case toProfileUses:
		uses := profileUses(s, to.name)
		j, err := choose(p, fmt.Sprintf(txtProfileUse.In(p.lang), to.name), []string{uses[0].label, uses[1].label})
		if err != nil {
			return nil, err
		}
		return s.started(uses[j].value)
	}
	return r, err
}

// accessibleFromCert starts a draft from a submitted certificate of the
// account, as the wizard's start screen does.
func accessibleFromCert(s *session, p *prompter) error {
	ctx := context.Background()
	certs, _, err := s.opts.Client.ListCertificates(ctx, api.CertificateQuery{Statuses: submittedStatuses}, 100)
	if err != nil || len(certs) == 0 {
		if err != nil {
			p.say("%s", errorTitle(s, err))
		} else {
			p.say("%s", txtNoSubmitted.In(p.lang))
		}
		return s.open("new")
	}
	labels := make([]string, len(certs))
	for i, c := range certs {
		labels[i] = certLine(c, p.lang) + " — " + c.Words(p.lang)
	}
	i, err := choose(p, txtPickSubmitted.In(p.lang), labels)
	if err != nil {
		return err
	}
	d, err := s.opts.Client.DescribeCertificateDetail(ctx, certs[i].CertificateId)
	if err != nil || d.Submitted == nil {
		if err != nil {
			p.say("%s", errorTitle(s, err))
		} else {
			p.say(txtNoSubmittedData.In(p.lang), d.CertificateId)
		}
		return s.open("new")
	}
	var note string
	s.d, note = fromSubmitted(d, p.lang)
	p.say("%s", note)
	return nil
}

// accessibleStep asks every visible field of a step, validating each like
// the form does; errBack when the user types "<".
func accessibleStep(s *session, p *prompter, step int) error {
	p.say("\n== %s %s ==", fmt.Sprintf(txtStepOf.In(p.lang), step+1, len(api.Steps)+1), api.Steps[step].Label.In(p.lang))
	for _, g := range stepDefs(api.Steps[step].Step, p.lang) {
		if g.hidden != nil && g.hidden(s.d) {
			continue
		}
		for _, f := range g.fields {
			if err := accessibleField(s.d, p, f); err != nil {
				return err
			}
			if f.key == "csrPath" && s.d.takeCSRFile() {
				p.say(txtCSRReplaced.In(p.lang), s.d.csrLoaded)
			}
		}
	}
	return nil
}

func accessibleField(d *draft, p *prompter, f fieldDef) error {
	title, hint := f.label.In(p.lang), f.hint.In(p.lang)
	if f.kind == kindLines && f.key == "DomainList" {
		hint = txtListHint.In(p.lang) // one line here: commas, not "one per line"
	}
	if f.kind == kindConfirm {
		p.say("\n%s", title)
		// Enter keeps the current answer, as the wizard's picker does (for
		// "contact same as administrator" a new draft says yes).
		keep := txtNoWord.In(p.lang)
		if *f.flag(d) {
			keep = txtYesWord.In(p.lang)
		}
		for {
			a, err := p.ask(fmt.Sprintf(txtYNKeep.In(p.lang), keep))
			if err != nil {
				return err
			}
			switch strings.ToLower(strings.TrimSpace(a)) {
			case "<":
				return errBack
			case "":
				return nil
			case "y", "yes", "是", "1":
				*f.flag(d) = true
				return nil
			case "n", "no", "否", "2":
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
	if f.kind == kindCountry {
		p.say("%s", txtCountryAsk.In(p.lang))
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
		case a == "?" && f.kind == kindCountry:
			for _, c := range api.Countries {
				p.say("  %s", c.Label())
			}
			continue
		case a == "":
			a = *ptr
		case a == "-":
			a = ""
		case f.kind == kindChoice:
			if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(f.choices) {
				a = f.choices[n-1].Value
			}
		case f.kind == kindCountry:
			// As the wizard's filter: one match is the answer, several are
			// listed to choose from.
			if ms := api.MatchCountries(a); len(ms) == 1 {
				a = ms[0].Code
			} else if len(ms) > 1 {
				p.say(txtCountryMatches.In(p.lang), a)
				for _, c := range ms {
					p.say("  %s", c.Label())
				}
				continue
			}
		case f.kind == kindLines && f.key == "DomainList":
			a = strings.Join(api.SplitList(a), "\n")
		}
		if f.check != nil {
			if err := f.check(d, a); err != nil {
				p.say("%s", fieldError(title, err))
				if f.kind == kindCountry {
					p.say("%s", txtCountryAsk.In(p.lang))
				}
				continue
			}
		}
		*ptr = a
		if f.describe != nil {
			if extra := f.describe(d); extra != "" {
				if f.key == "DomainList" {
					// The screen's count says "one per line"; here the
					// names were typed on one line: say which were taken.
					names := api.SplitList(a)
					extra = strings.Replace(extra, fmt.Sprintf(txtDomainsCount.In(p.lang), len(names)),
						fmt.Sprintf(txtDomainsTaken.In(p.lang), len(names), strings.Join(names, ", ")), 1)
				}
				p.say("%s", extra)
			}
		}
		return nil
	}
}

func accessibleName(s *session, p *prompter) error {
	def := s.d.defaultName()
	for {
		p.say("\n%s — %s", txtSaveAs.In(p.lang), txtSaveAsHint.In(p.lang))
		a, err := p.ask(fmt.Sprintf("[%s]", def))
		if err != nil {
			return err
		}
		if a = strings.TrimSpace(a); a == "" {
			a = def
		}
		if err := s.checkName(a); err != nil {
			p.say("%s", fieldError(txtSaveAs.In(p.lang), err))
			continue
		}
		if err := s.rename(a); err != nil {
			p.say("%s", err)
		}
		return nil
	}
}
