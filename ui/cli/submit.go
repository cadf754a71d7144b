package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/certwiz/certwiz/ui/termtext"
	"github.com/spf13/cobra"
)

// SubmitOptions are the flags of `certwiz submit`.
type SubmitOptions struct {
	*Globals
	Profile string
	Input   string
	Sets    []string
	DryRun  bool
	JSON    bool
	Partial bool
	Rate    int
	// Commit sends the order to the CA right after a successful submit.
	Commit bool
	// Batch mode: one submission per CSV row, layered over the rest.
	Batch       string
	SkipInvalid bool
	Resume      bool
	// ResendUnknown makes --resume send again the rows an earlier run
	// left in flight (an intent record and no outcome).
	ResendUnknown bool

	rec *recorder // the history of this run
}

// NewSubmitCmd returns `certwiz submit`.
func NewSubmitCmd(g *Globals) *cobra.Command {
	o := &SubmitOptions{Globals: g}
	cmd := &cobra.Command{
		Use:   "submit",
		Short: "Submit certificate information without the wizard",
		Long: `Submit certificate information non-interactively.

Parameters come from --input (a JSON object of API parameters, the file
tccli's --cli-input-json takes, a certwiz YAML profile — version: 1 and the
parameters under params: — or YAML of the parameters alone, one
"Name: value" a line), then --set
Param=value flags, later ones winning. Everything is validated first;
nothing is sent while any parameter is invalid or missing.

Submitting stores the information at Tencent Cloud; the certificate stays
"awaiting information" and nothing reaches the CA until the order is
committed: certwiz commit ID, or --commit here to do both in one go
(CommitCertificateInformation with the submitted VerifyType). With --json,
--commit adds "Commit": {"OrderId", "Status", "StatusName", "StatusMsg",
"RequestId"} (or
{"Error": {...}, "RequestId"}) to the submit's object; the exit code is then
the commit's.

--batch FILE.csv (a regular file of at most 16 MB, or - for standard input)
submits one certificate per row, never more than --rate requests (submits
and commits together) starting in any rolling second. --rate takes 1 to
1000; the service itself refuses more than 10 calls per second for each
action, and certwiz retries refused calls with backoff.

The history records every request twice: an intent before it leaves, then
its outcome. If a record cannot be written (full disk, read-only folder),
certwiz says so at once, lists at the end every outcome it could not record,
and exits 1 (or the worse code of the run).

--resume skips what the history shows as done, and with --commit commits
the rows submitted earlier but not yet committed. A row with an intent and
no outcome was in flight when an earlier run stopped (killed, or the machine
went down): the service may or may not have it. --resume names such rows
and does not send them again — a submit or commit sent twice could act on
a certificate that has moved on — and exits 1 while they remain; check them
with certwiz certs --status all --search ID, then --resend-unknown sends
them again.`,
		Example: `  certwiz submit --input example.json
  certwiz submit --input example.json --set VerifyType=DNS --set CsrContent=@www.csr
  certwiz submit --input example.json --dry-run
  certwiz submit --sandbox --input example.json --json
  certwiz submit --input example.json --commit --json
  certwiz submit --profile template --batch certs.csv --commit --resume`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSubmit(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Profile, "profile", "p", "", "start from the saved profile `NAME` (--input and --set override it)")
	f.StringVarP(&o.Input, "input", "i", "", "`FILE` of parameters: JSON (as tccli --cli-input-json), a certwiz YAML profile or flat YAML of parameters; - for stdin")
	f.StringArrayVar(&o.Sets, "set", nil, "`Param=value` to set a parameter (repeatable); @path reads a file, DomainList takes commas")
	f.BoolVar(&o.DryRun, "dry-run", false, "print the endpoint, headers and exact body that would be sent, and send nothing")
	f.BoolVar(&o.JSON, "json", false, "print exactly one JSON object: the result or the error")
	f.BoolVar(&o.Partial, "partial", false, "allow a partial submission: only CertificateId, CsrType and CertificateDomain are required (what is sent must stay minimally complete)")
	f.IntVar(&o.Rate, "rate", api.DefaultRate, "most requests started in any second, 1 to 1000 (the service takes 10 per action)")
	f.StringVar(&o.Batch, "batch", "", "submit one certificate per row of `FILE.csv` (header: API parameter names; DomainList separated by ';'), each row over --profile/--input/--set")
	f.BoolVar(&o.SkipInvalid, "skip-invalid", false, "with --batch: send the valid rows even if some are invalid")
	f.BoolVar(&o.Resume, "resume", false, "with --batch: skip rows whose CertificateId the history shows as submitted to this endpoint (with --commit: and committed; those only submitted are committed)")
	f.BoolVar(&o.ResendUnknown, "resend-unknown", false, "with --resume: send again the rows an earlier run left in flight, whose outcome is unknown (by default they are named and not sent: the service may already have them)")
	f.BoolVar(&o.Commit, "commit", false, "then send the order to the CA (CommitCertificateInformation): it cannot be undone")
	return cmd
}

// Bounds of --rate. Beyond the service's own limit (api.DefaultRate per
// action) calls are refused and retried.
const (
	minRate = 1
	maxRate = 1000
)

// checkRate returns the usage error of a --rate out of bounds, "" when it
// is fine.
func checkRate(rate int, lang string) string {
	if rate >= minRate && rate <= maxRate {
		return ""
	}
	return fmt.Sprintf(say(lang, "--rate %d: use %d to %d (requests started per second); nothing was sent", "--rate %d：请使用 %d 到 %d（每秒发起的请求数）；未发送任何请求"), rate, minRate, maxRate)
}

// rateNote says, once, what a --rate above the service's limit means.
func (o *SubmitOptions) rateNote() {
	if o.Rate <= api.DefaultRate {
		return
	}
	o.warn([]string{fmt.Sprintf(say(o.Language,
		"--rate %d is above %d: the service refuses calls beyond %d per second for each action (RequestLimitExceeded); certwiz retries refused calls with backoff, so they go no faster, and a call refused too often fails",
		"--rate %d 超过 %d：服务对每个接口每秒超过 %d 次的调用会拒绝（RequestLimitExceeded）；certwiz 会退避重试被拒绝的调用，因此不会更快，多次被拒的调用会失败"), o.Rate, api.DefaultRate, api.DefaultRate)})
}

// warnings says, once each, what validation let through but deserves a
// second look (look-alike names, e-mail top-level domains that do not
// exist); they never block. prefix names the row in a batch.
func (o *SubmitOptions) warnings(req api.Request, prefix string, seen map[string]bool) {
	for _, w := range api.Warnings(req) {
		if seen[w.Text.EN] {
			continue
		}
		seen[w.Text.EN] = true
		o.warn([]string{prefix + w.Text.In(o.Language)})
	}
}

func runSubmit(ctx context.Context, o *SubmitOptions) (err error) {
	lang := o.Language
	if msg := checkRate(o.Rate, lang); msg != "" {
		return usageFail(o.Globals, o.JSON, "submit", msg)
	}
	if o.ResendUnknown && !o.Resume {
		return usageFail(o.Globals, o.JSON, "submit", say(lang, "--resend-unknown goes with --batch FILE --resume; nothing was sent", "--resend-unknown 须与 --batch FILE --resume 一起使用；未发送任何请求"))
	}
	o.rec = o.newRecorder()
	defer func() { err = o.rec.finish(err) }()
	req, err := o.request(ctx)
	if readInterrupted(err) {
		return interruptedReading(o.Globals)
	}
	if err != nil {
		return o.fail(&api.Error{Code: api.CodeInvalid, Message: err.Error()}, nil)
	}
	if o.Batch != "" {
		if o.DryRun {
			return exit(api.ExitInput, errors.New("--dry-run does not combine with --batch"))
		}
		creds, endpoint, stop, err := o.connection()
		if err != nil {
			return err
		}
		defer stop()
		return runBatch(ctx, o, req, creds, endpoint)
	}
	mode := api.Complete
	if o.Partial {
		mode = api.Partial
	}
	if ps := api.Validate(req, mode); len(ps) > 0 {
		return o.fail(&api.Error{Code: api.CodeInvalid, Message: ps.Error()}, ps)
	}
	o.warnings(req, "", map[string]bool{})
	req = req.Normalized()

	creds, endpoint, stop, err := o.connection()
	if err != nil {
		return err
	}
	defer stop()
	if !o.DryRun && creds.Source == "" {
		return o.fail(creds.err, nil)
	}
	if o.DryRun {
		return o.dryRun(creds, endpoint, req)
	}
	client, err := o.newClient(creds.Credentials, endpoint, o.Rate)
	if err != nil {
		return err
	}
	o.warn(creds.Warnings)
	o.rateNote()
	fmt.Fprintf(o.IO.Err, "%s %s → %s\n%s: %s\n", say(lang, "Submitting", "正在提交"), safe.Text(req.CertificateId), client.Endpoint(), say(lang, "Credentials", "密钥"), creds.In(lang))
	ep := client.Endpoint().String()
	attempt := o.rec.intent(submitRecord(o.Profile, req, ep, api.Result{}, nil))
	res, err := client.Submit(ctx, req)
	res, f, err := client.SubmitFate(ctx, req, res, err)
	o.rec.reconciled(submitRecord(o.Profile, req, ep, res, err), attempt, f)
	if err != nil {
		return failOut(o.Globals, o.JSON, err, nil, lostHint(o.Globals, req.CertificateId, f, true))
	}
	if o.Commit {
		return o.commitAfter(ctx, client, req, res, f)
	}
	if o.JSON {
		return o.printJSON(lostJSON(map[string]any{"CertificateId": res.CertificateId, "RequestId": res.RequestId}, f))
	}
	o.submitted(res, f == api.FateApplied)
	fmt.Fprintf(o.IO.Out, "%s: %s\n", say(lang, "Next", "下一步"), notYetWithCA(o.Globals, res.CertificateId))
	return nil
}

// submitted says a submission was stored; lost: its answer was lost and
// reading the certificate confirmed it.
func (o *SubmitOptions) submitted(res api.Result, lost bool) {
	lang := o.Language
	fmt.Fprintf(o.IO.Out, "%s %s\n", say(lang, "Submitted certificate", "已提交证书"), safe.Text(res.CertificateId))
	if lost {
		fmt.Fprintln(o.IO.Out, api.ConfirmedAfterLost(true).In(lang))
	}
	fmt.Fprintf(o.IO.Out, "RequestId: %s\n", safe.Text(res.RequestId))
}

// notYetWithCA says truthfully where a submitted certificate stands, and
// the command that sends it — with this run's flags, so that it goes to
// the same endpoint (never, by omission, to the real one).
func notYetWithCA(g *Globals, id string) string {
	cmd := safe.Text(commandLine(g, "commit", id))
	if g.Sandbox {
		return say(g.Language,
			"the sandbox stored the information (nothing reached Tencent Cloud); the order is not with the CA. This sandbox forgets it when certwiz ends: use submit --sandbox --commit to try the commit, or run certwiz sandbox and point --endpoint at it.",
			"沙箱已保存资料（未发送到腾讯云）；订单尚未发送给 CA。此沙箱在 certwiz 结束后即清空：可用 submit --sandbox --commit 体验发送给 CA，或运行 certwiz sandbox 并用 --endpoint 指向它。")
	}
	return fmt.Sprintf(say(g.Language,
		"the information is stored at Tencent Cloud, but the order is not with the CA yet. Send it with: %s (or submit with --commit)",
		"资料已保存到腾讯云，但订单尚未发送给 CA。请用此命令发送给 CA：%s（或在 submit 时加 --commit）"), cmd)
}

// commandLine is a certwiz command with this run's flags (--endpoint,
// --config-dir, --language…), quoted for a shell.
func commandLine(g *Globals, args ...string) string {
	return termtext.CommandLine(append(ResumeArgs(g), args...)...)
}

// commitAfter sends the order of a certificate just submitted to the CA,
// with the submitted VerifyType, and prints both outcomes; the exit code
// is the commit's.
// subFate: what reading the certificate showed when the submission's
// answer was lost. A commit whose answer is lost is reconciled the same
// way before anything is said.
func (o *SubmitOptions) commitAfter(ctx context.Context, client *api.Client, req api.Request, sub api.Result, subFate api.Fate) error {
	lang := o.Language
	id := req.CertificateId
	fmt.Fprintf(o.IO.Err, "%s %s → %s\n", say(lang, "Sending to the CA:", "正在发送给 CA："), safe.Text(id), client.Endpoint())
	ep := client.Endpoint().String()
	attempt := o.rec.intent(commitRecord(o.Profile, id, ep, api.CommitResult{}, nil))
	res, err := client.Commit(ctx, id, req.VerifyType)
	res, f, err := client.CommitFate(ctx, id, res, err)
	o.rec.reconciled(commitRecord(o.Profile, id, ep, res, err), attempt, f)
	var e *api.Error
	if err != nil && !errors.As(err, &e) {
		e = &api.Error{Action: api.ActionCommit, Code: api.CodeNetwork, Message: err.Error(), Err: err}
	}
	extra := ""
	if e != nil {
		extra = joinHint(lostHint(o.Globals, id, f, false), commitHint(ctx, o.Globals, client, id, e))
	}
	if o.JSON {
		obj := lostJSON(map[string]any{"CertificateId": sub.CertificateId, "RequestId": sub.RequestId}, subFate)
		if e != nil {
			obj["Commit"] = errorJSON(e, lang, extra, nil)
			_ = o.printJSON(obj)
			return shown(e.ExitCode())
		}
		obj["Commit"] = commitJSON(res, stageOf(ctx, client, id), lang, false, f)
		return o.printJSON(obj)
	}
	o.submitted(sub, subFate == api.FateApplied)
	if e != nil {
		if f == api.FateUnknown {
			fmt.Fprintf(o.IO.Err, say(lang, "The information is stored; whether the order reached the CA is unknown: check with `%s` before sending it again.\n",
				"资料已保存；订单是否已到达 CA 未知：重新发送前请用 `%s` 查看。\n"), safe.Text(commandLine(o.Globals, "status", id)))
		} else {
			fmt.Fprintf(o.IO.Err, say(lang, "The information is stored, but it was not sent to the CA; after fixing the cause: %s\n",
				"资料已保存，但未发送给 CA；排除原因后请运行：%s\n"), safe.Text(commandLine(o.Globals, "commit", id)))
		}
		printError(o.IO.Err, e, nil, lang, extra)
		return shown(e.ExitCode())
	}
	printCommitted(o.Globals, o.IO.Out, res, stageOf(ctx, client, id), req.VerifyType, lang, f == api.FateApplied)
	return nil
}

// request layers profile < input file < --set flags.
func (o *SubmitOptions) request(ctx context.Context) (api.Request, error) {
	var req api.Request
	if o.Profile != "" {
		s, err := o.store()
		if err != nil {
			return req, err
		}
		p, err := s.Load(o.Profile)
		if err != nil {
			return req, err
		}
		req = p.Params
	}
	if o.Input != "" {
		in, warnings, err := readInput(ctx, o.Input, o.IO.In)
		if err != nil {
			return req, err
		}
		o.warn(warnings)
		req.Merge(in)
	} else if len(o.Sets) == 0 && o.Profile == "" && o.Batch == "" {
		return req, fmt.Errorf("nothing to submit: give --profile NAME, --input FILE and/or --set Param=value (or run `certwiz` for the wizard)")
	}
	warnings, err := applySets(ctx, &req, o.Sets, o.IO.In, o.Language)
	o.warn(warnings)
	return req, err
}

func (o *SubmitOptions) warn(ws []string) {
	for _, w := range ws {
		o.Globals.warn(w)
	}
}

// startSandbox serves the sandbox in-process on free loopback ports
// (`--sandbox`): the endpoint, the demo key it accepts (its source named in
// the user's language, as the wizard and submit show it), and where its
// own DNS and HTTP servers answer the local check. Records appear
// --sandbox-delay after a commit (0 = at once), never with
// --sandbox-no-publish.
func (g *Globals) startSandbox() (string, api.Credentials, dnscheck.Options, func(), error) {
	srv := sandbox.New(sandbox.Options{PublishDelay: publishDelay(g.SandboxDelay), NoPublish: g.SandboxNoPublish})
	url, stop, err := sandbox.Start(srv)
	if err != nil {
		return "", api.Credentials{}, dnscheck.Options{}, nil, exit(api.ExitFailure, err)
	}
	source := say(g.Language, "sandbox demo key", "沙箱演示密钥")
	return url, api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", source), srv.Lookup(), stop, nil
}

// found is the credential lookup's outcome; err is kept for --dry-run,
// which works without credentials.
type found struct {
	api.Credentials
	err error
	// sandbox is where the local check asks when connect started the
	// sandbox: its own DNS and HTTP servers (nil otherwise).
	sandbox *dnscheck.Options
}

// connection decides endpoint and credentials (Globals.connect), failing
// as submit prints.
func (o *SubmitOptions) connection() (found, string, func(), error) {
	return o.Globals.connect(func(err error) error { return o.fail(err, nil) })
}

func (o *SubmitOptions) dryRun(creds found, endpoint string, req api.Request) error {
	signWith := creds.Credentials
	if creds.Source == "" {
		// Show the request anyway, signed with a placeholder key whose
		// Authorization is replaced by the reason below.
		signWith = api.StaticCredentials("none", "none", "", "none")
	}
	client, err := o.newClient(signWith, endpoint, o.Rate)
	if err != nil {
		return err
	}
	p, err := client.DryRun(req)
	if err != nil {
		return exit(api.ExitFailure, err)
	}
	if creds.Source == "" {
		p.Header.Set("Authorization", o.unsigned(creds.err))
	}
	// KeyPassword is a secret: the preview never shows it.
	body := p.Body
	if req.KeyPassword != "" {
		body = redactKeyPassword(body)
	}
	if o.JSON {
		headers := map[string]string{}
		for k := range p.Header {
			headers[k] = p.Header.Get(k)
		}
		obj := map[string]any{"Endpoint": p.Endpoint.String(), "Headers": headers, "Body": string(body)}
		if o.Commit {
			obj["Commit"] = map[string]string{"Action": api.ActionCommit, "Body": commitBody(req)}
		}
		return o.printJSON(obj)
	}
	fmt.Fprintf(o.IO.Out, "POST %s/\n", p.Endpoint)
	keys := make([]string, 0, len(p.Header))
	for k := range p.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(o.IO.Out, "%s: %s\n", k, p.Header.Get(k))
	}
	fmt.Fprintf(o.IO.Out, "\n%s\n", body)
	fmt.Fprintln(o.IO.Err, say(o.Language, "Dry run: nothing was sent.", "演练模式：未发送任何请求。"))
	if o.Commit {
		fmt.Fprintf(o.IO.Err, say(o.Language, "With --commit, %s would follow: %s\n", "加 --commit 时随后会发送 %s：%s\n"), api.ActionCommit, commitBody(req))
	}
	return nil
}

// commitBody is the body CommitCertificateInformation would carry after
// this submission.
func commitBody(req api.Request) string {
	m := map[string]string{"CertificateId": req.CertificateId}
	if req.VerifyType != "" {
		m["VerifyType"] = req.VerifyType
	}
	data, _ := json.Marshal(m)
	return string(data)
}

// unsigned is the Authorization line of a dry run without credentials: it
// says so plainly, and how to provide them.
func (o *SubmitOptions) unsigned(err error) string {
	lang := o.Language
	var e *api.Error
	if errors.As(err, &e) && !strings.HasPrefix(e.Message, "no credentials found") {
		// The chain found something broken, e.g. only one of the two variables.
		return say(lang, "(not signed: ", "（未签名：") + e.Message + say(lang, ")", "）")
	}
	return say(lang,
		"(not signed: no credentials found — set "+api.EnvSecretID+" and "+api.EnvSecretKey+", or see certwiz --help)",
		"（未签名：未找到密钥——请设置 "+api.EnvSecretID+" 和 "+api.EnvSecretKey+"，或参见 certwiz --help）")
}

func redactKeyPassword(body []byte) []byte {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return []byte("(body hidden: it holds a KeyPassword)")
	}
	m["KeyPassword"] = "(hidden)"
	out, _ := json.Marshal(m)
	return out
}

// fail prints an outcome as ux.md says and returns its exit code.
func (o *SubmitOptions) fail(err error, ps api.Problems) error {
	return failOut(o.Globals, o.JSON, err, ps, "")
}

func problemsJSON(ps api.Problems, lang string) []map[string]string {
	out := make([]map[string]string, len(ps))
	for i, p := range ps {
		out[i] = map[string]string{"Param": p.Param, "Step": string(p.Step), "Message": p.What.In(lang), "Fix": p.Fix.In(lang)}
	}
	return out
}

func (o *SubmitOptions) printJSON(v any) error { return writeJSON(o.IO.Out, v) }
