package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
)

// textWidth is how many terminal cells s takes (CJK characters take two).
func textWidth(s string) int { return lipgloss.Width(s) }

// pad fills s with spaces to w cells.
func pad(s string, w int) string {
	if n := w - textWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// elideEnd cuts s to at most w cells, ending in "…" when cut.
func elideEnd(s string, w int) string {
	if textWidth(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	if w == 1 {
		return "…"
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		rw := textWidth(string(r))
		if used+rw > w-1 {
			break
		}
		b.WriteRune(r)
		used += rw
	}
	return b.String() + "…"
}

// elideMiddle cuts s to at most w cells keeping both ends (a long domain
// keeps its start and its zone): "averyver…example.com".
func elideMiddle(s string, w int) string {
	if textWidth(s) <= w {
		return s
	}
	if w < 5 {
		return elideEnd(s, w)
	}
	runes := []rune(s)
	tailW := (w - 1) * 3 / 5 // the end names the zone: keep more of it
	headW := w - 1 - tailW
	var head, tail []rune
	used := 0
	for _, r := range runes {
		rw := textWidth(string(r))
		if used+rw > headW {
			break
		}
		head = append(head, r)
		used += rw
	}
	used = 0
	for i := len(runes) - 1; i >= 0; i-- {
		rw := textWidth(string(runes[i]))
		if used+rw > tailW {
			break
		}
		tail = append([]rune{runes[i]}, tail...)
		used += rw
	}
	return string(head) + "…" + string(tail)
}

// termIn and termErr report whether standard input and the error stream
// are terminals: a question goes to stderr and its answer comes from stdin.
func (io IO) termIn() bool  { return io.tty || isTerminal(io.In) }
func (io IO) termErr() bool { return io.tty || isTerminal(io.Err) }
func (io IO) termOut() bool { return io.tty || isTerminal(io.Out) }

// width is the terminal width of stdout: the terminal's, else $COLUMNS,
// else 80.
func (io IO) width() int {
	if io.cols > 0 {
		return io.cols
	}
	if f, ok := io.Out.(*os.File); ok {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			return w
		}
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 80
}

// connect decides endpoint and credentials: the in-process sandbox with its
// demo key under --sandbox (and its own DNS and HTTP servers, for the
// local check), else --endpoint and the credential chain. A bad
// --endpoint goes through fail (plain or JSON, as the command prints).
func (g *Globals) connect(fail func(error) error) (found, string, func(), error) {
	if g.Sandbox {
		url, creds, lookup, stop, err := g.startSandbox()
		return found{Credentials: creds, sandbox: &lookup}, url, stop, err
	}
	if _, err := api.ParseEndpoint(g.Endpoint); err != nil {
		return found{}, "", nil, fail(&api.Error{Code: api.CodeInvalid, Message: "--endpoint: " + err.Error()})
	}
	creds, err := api.FindCredentials(g.InstanceRole)
	return found{Credentials: creds, err: err}, g.Endpoint, func() {}, nil
}

// dial connects as every command does — endpoint, credentials (their
// warnings said), a client at the documented rate — or prints why not
// (the error object with asJSON). stop ends an in-process sandbox; lookup
// is where its own DNS and HTTP servers answer (nil without --sandbox).
func (g *Globals) dial(asJSON bool) (client *api.Client, lookup *dnscheck.Options, stop func(), err error) {
	fail := func(err error) error { return failOut(g, asJSON, err, nil, "") }
	creds, endpoint, stop, err := g.connect(fail)
	if err != nil {
		return nil, nil, nil, err
	}
	if creds.Source == "" {
		stop()
		return nil, nil, nil, fail(creds.err)
	}
	if client, err = g.newClient(creds.Credentials, endpoint, api.DefaultRate); err != nil {
		stop()
		return nil, nil, nil, err
	}
	for _, w := range creds.Warnings {
		g.warn(w)
	}
	return client, creds.sandbox, stop, nil
}

// newClient builds the API client every face uses — each command, the
// wizard and its accessible twin — at rate requests per rolling second (0:
// api.DefaultRate). It is the one caller of api.NewClient, so no face
// leaves out the rate, the timeout or the transport.
func (g *Globals) newClient(creds api.Credentials, endpoint string, rate int) (*api.Client, error) {
	cfg := api.Config{Endpoint: endpoint, Timeout: g.Timeout, Language: g.Language, Rate: rate, UserAgent: "certwiz-" + g.Version, Transport: g.transport}
	client, err := api.NewClient(creds, cfg)
	if err != nil {
		return nil, exit(api.ExitInput, err)
	}
	return client, nil
}

// failOut prints an outcome as ux.md says — the error object with --json,
// else title, meaning, what to do, details — and returns its exit code.
// extra, when set, is added to the hint (e.g. the certificate's status).
func failOut(g *Globals, asJSON bool, err error, ps api.Problems, extra string) error {
	var e *api.Error
	var problems api.Problems
	if !errors.As(err, &e) && errors.As(err, &problems) {
		// What certwiz refused to send: a usage error, exit 2.
		e, ps = &api.Error{Code: api.CodeInvalid, Message: problems.Error()}, problems
	}
	if e == nil && !errors.As(err, &e) {
		var ee *ExitError
		if errors.As(err, &ee) {
			return err
		}
		return exit(api.ExitFailure, err)
	}
	lang := g.Language
	if asJSON {
		_ = writeJSON(g.IO.Out, errorJSON(e, lang, extra, ps))
		return shown(e.ExitCode())
	}
	printError(g.IO.Err, e, ps, lang, extra)
	return shown(e.ExitCode())
}

// usageFail reports a usage error (exit 2, nothing sent): the error object
// with --json, else one plain line and a pointer to the command's help.
func usageFail(g *Globals, asJSON bool, command, msg string) error {
	if asJSON {
		return failOut(g, true, &api.Error{Code: api.CodeInvalid, Message: msg}, nil, "")
	}
	fmt.Fprintf(g.IO.Err, "%s: %s\n%s\n", say(g.Language, "Error", "错误"), safe.Lines(msg),
		fmt.Sprintf(say(g.Language, "Run 'certwiz %s --help' for usage.", "用法请运行 'certwiz %s --help'。"), command))
	return shown(api.ExitInput)
}

// errorJSON is ux.md's error object: {"Error": {Code, Message, Title, Hint}, "RequestId"}.
func errorJSON(e *api.Error, lang, extra string, ps api.Problems) map[string]any {
	obj := map[string]any{
		"Error": map[string]string{
			"Code": e.Code, "Message": e.Message, "Title": e.Guide().Title.In(lang), "Hint": joinHint(e.Hint(lang), extra),
		},
		"RequestId": e.RequestId,
	}
	if len(ps) > 0 {
		obj["Problems"] = problemsJSON(ps, lang)
	}
	return obj
}

func joinHint(hint, extra string) string {
	switch {
	case extra == "":
		return hint
	case hint == "":
		return extra
	}
	return extra + " " + hint
}

// fixWith names what a command's user changes to fix an error of step
// (the guide's wizard step): the ID argument of a command that takes one,
// else the step's parameters as submit's --set flags.
func fixWith(e *api.Error, step api.Step, lang string) string {
	if step == api.StepCertificate && e.Action != api.ActionSubmit {
		return say(lang, "the certificate ID argument (certwiz certs --status all lists them)", "证书 ID 参数（certwiz certs --status all 可列出）")
	}
	var names []string
	for _, f := range api.StepFields(step) {
		names = append(names, f.Name)
	}
	if len(names) == 0 {
		return step.Label(lang)
	}
	s := "--set " + names[0] + "=…"
	if len(names) > 1 {
		s += say(lang, " (or ", "（或 ") + strings.Join(names[1:], ", ") + say(lang, ")", "）")
	}
	return s
}

// printError shows an outcome for people: title, meaning, what to do, the
// server's words, code and RequestId — all of it through ui/safe, since a
// code, a message or a guide naming a server's code may come from outside.
// Only certwiz's own input errors keep their line breaks (one problem a
// line), each line made safe.
func printError(w io.Writer, e *api.Error, ps api.Problems, lang, extra string) {
	gd := e.Guide()
	label := func(en, zh string) string { return say(lang, en, zh) }
	fmt.Fprintf(w, "%s: %s [%s]\n", label("Error", "错误"), safe.Text(gd.Title.In(lang)), safe.Text(e.Code))
	if len(ps) > 0 {
		for _, p := range ps {
			fmt.Fprintf(w, "  • %s\n", safe.Text(p.Message(lang)))
		}
		fmt.Fprintf(w, "%s\n", label("Nothing was sent.", "未发送任何请求。"))
		return
	}
	fmt.Fprintf(w, "  %s\n", safe.Text(gd.Meaning.In(lang)))
	fmt.Fprintf(w, "  %s: %s\n", label("What to do", "处理建议"), safe.Text(joinHint(e.Hint(lang), extra)))
	if e.Message != "" {
		prefix := label("Details", "详情")
		if e.Service {
			prefix = label("Server message", "服务消息")
		}
		msg := safe.Text(e.Message)
		if !e.Service && e.Code == api.CodeInvalid {
			msg = safe.Lines(e.Message)
		}
		fmt.Fprintf(w, "  %s: %s\n", prefix, msg)
	}
	if gd.Step != "" {
		fmt.Fprintf(w, "  %s: %s\n", label("Fix it with", "修改方式"), fixWith(e, gd.Step, lang))
	}
	if e.RequestId != "" {
		fmt.Fprintf(w, "  RequestId: %s\n", safe.Text(e.RequestId))
	}
}
