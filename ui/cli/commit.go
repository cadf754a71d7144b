package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/spf13/cobra"
)

// CommitOptions are the flags of `certwiz commit`.
type CommitOptions struct {
	*Globals
	VerifyType string
	Yes        bool
	JSON       bool
}

// NewCommitCmd returns `certwiz commit ID`.
func NewCommitCmd(g *Globals) *cobra.Command {
	o := &CommitOptions{Globals: g}
	cmd := &cobra.Command{
		Use:   "commit ID",
		Short: "Send a certificate's submitted information to the CA (CommitCertificateInformation)",
		Long: `Send the information submitted for a certificate to the CA
(CommitCertificateInformation). Until then the certificate stays "awaiting
information" (status 5) and nothing reaches the CA.

This is a one-way door: afterwards the information changes only by
cancelling and resubmitting. So on a terminal certwiz first reads the
certificate (DescribeCertificateDetail), shows what will be sent — domain,
other names, company, administrator, contact, verification method — and asks.
--yes skips the question; without a terminal --yes is required and nothing
is sent without it.

--verify-type chooses the domain validation method (DNS_AUTO: Tencent
Cloud adds the DNS record, for domains on Tencent Cloud DNS in this account;
DNS: you add a DNS record; FILE: you place a file on the site, not for
wildcard names); without it the one submitted applies.

--json prints exactly one JSON object: {"CertificateId", "OrderId",
"Status", "StatusName", "StatusMsg", "RequestId"}, or the error object;
StatusName is the stage the certificate is at, read after the commit
(refined by StatusMsg, as certs and status name it).`,
		Example: `  certwiz commit abcb1234
  certwiz commit abcb1234 --verify-type DNS_AUTO
  certwiz commit abcb1234 --yes --json
  certwiz submit --input example.json --commit    # submit and commit in one go`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCommit(cmd.Context(), o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.VerifyType, "verify-type", "", "domain validation `METHOD`: DNS_AUTO, DNS or FILE (default: the one submitted)")
	f.BoolVarP(&o.Yes, "yes", "y", false, "send without asking (required without a terminal)")
	f.BoolVar(&o.JSON, "json", false, `print exactly one JSON object: {"CertificateId", "OrderId", "Status", "StatusName", "StatusMsg", "RequestId"} or the error`)
	return cmd
}

func (o *CommitOptions) fail(err error, extra string) error {
	return failOut(o.Globals, o.JSON, err, nil, extra)
}

// checkVerifyType normalizes --verify-type; "" keeps the submitted one.
// The error is the message of a usage error.
func checkVerifyType(v, lang string) (string, string) {
	if m, ok := api.ParseMethod(v); ok || strings.TrimSpace(v) == "" {
		return string(m), ""
	}
	v = strings.ToUpper(strings.TrimSpace(v))
	return "", fmt.Sprintf(say(lang, "--verify-type %q: use DNS_AUTO, DNS or FILE; nothing was sent", "--verify-type %q：请使用 DNS_AUTO、DNS 或 FILE；未发送任何请求"), v)
}

// badID says why an argument is not a CertificateId ("" when it may be
// one): checked before anything is sent.
func badID(id, lang string) string {
	if id == "" || strings.ContainsFunc(id, unicode.IsSpace) || !safe.Clean(id) {
		return fmt.Sprintf(say(lang, "%q is not a CertificateId (certwiz certs lists them); nothing was sent", "%q 不是证书 ID（certwiz certs 可列出）；未发送任何请求"), safe.Text(id))
	}
	return ""
}

func runCommit(ctx context.Context, o *CommitOptions, id string) error {
	lang := o.Language
	id = strings.TrimSpace(id)
	if msg := badID(id, lang); msg != "" {
		return usageFail(o.Globals, o.JSON, "commit", msg)
	}
	verifyType, msg := checkVerifyType(o.VerifyType, lang)
	if msg != "" {
		return usageFail(o.Globals, o.JSON, "commit", msg)
	}
	ask := !o.Yes
	if ask && !(o.IO.termIn() && o.IO.termErr()) {
		return usageFail(o.Globals, o.JSON, "commit", say(lang,
			"--yes required when not running interactively: a commit cannot be undone, so certwiz asks on a terminal first; nothing was sent",
			"非交互运行时必须加 --yes：发送给 CA 后无法撤销，certwiz 只在终端上先询问确认；未发送任何请求"))
	}
	creds, endpoint, stop, err := o.connect(func(err error) error { return o.fail(err, "") })
	if err != nil {
		return err
	}
	defer stop()
	if creds.Source == "" {
		return o.fail(creds.err, "")
	}
	client, err := o.newClient(creds.Credentials, endpoint, api.DefaultRate)
	if err != nil {
		return err
	}
	for _, w := range creds.Warnings {
		o.warn(w)
	}
	method := verifyType
	if !ask && api.MethodOf(verifyType) == api.MethodFile {
		// FILE cannot prove a wildcard name: checked here, before the one-way
		// door, as submit checks it (one read of the certificate).
		if d, err := client.DescribeCertificateDetail(ctx, id); err == nil {
			if msg := fileForWildcard(verifyType, d, lang); msg != "" {
				return usageFail(o.Globals, o.JSON, "commit", msg)
			}
		}
	}
	if ask {
		fmt.Fprintf(o.IO.Err, "%s %s ← %s\n%s: %s\n", say(lang, "Reading certificate", "正在读取证书"), id, client.Endpoint(), say(lang, "Credentials", "密钥"), creds.In(lang))
		d, err := client.DescribeCertificateDetail(ctx, id)
		if err != nil {
			return o.fail(err, "")
		}
		if err, extra := notCommittable(o.Globals, d); err != nil {
			return o.fail(err, extra)
		}
		if method == "" {
			method = d.Submitted.VerifyType
		}
		if msg := fileForWildcard(method, d, lang); msg != "" {
			return usageFail(o.Globals, o.JSON, "commit", msg)
		}
		showCommit(o.IO.Err, d, method, verifyType != "", lang)
		yes, err := confirm(ctx, o.IO, say(lang, "Send this to the CA? It cannot be undone [y/N] ", "发送给 CA？此操作不可撤销 [y/N] "))
		if err != nil {
			fmt.Fprintln(o.IO.Err, say(lang, "\nInterrupted: nothing was sent to the CA.", "\n已中断：未向 CA 发送任何内容。"))
			return shown(api.ExitInterrupted)
		}
		if !yes {
			fmt.Fprintf(o.IO.Err, say(lang, "Not sent: nothing went to the CA. Send it later with: %s\n", "未发送：没有向 CA 发送任何内容。稍后可用此命令发送：%s\n"), commandLine(o.Globals, "commit", id))
			return nil
		}
		fmt.Fprintf(o.IO.Err, "%s %s → %s\n", say(lang, "Sending to the CA:", "正在发送给 CA："), id, client.Endpoint())
	} else {
		fmt.Fprintf(o.IO.Err, "%s %s → %s\n%s: %s\n", say(lang, "Sending to the CA:", "正在发送给 CA："), id, client.Endpoint(), say(lang, "Credentials", "密钥"), creds.In(lang))
	}
	rec := o.newRecorder()
	ep := client.Endpoint().String()
	attempt := rec.intent(commitRecord("", id, ep, api.CommitResult{}, nil))
	res, err := client.Commit(ctx, id, verifyType)
	res, f, err := client.CommitFate(ctx, id, res, err)
	rec.reconciled(commitRecord("", id, ep, res, err), attempt, f)
	return rec.finish(o.committed(ctx, client, id, method, res, err, f))
}

// committed prints a commit's outcome; f is what reading the certificate
// showed when the answer was lost.
func (o *CommitOptions) committed(ctx context.Context, client *api.Client, id, method string, res api.CommitResult, err error, f api.Fate) error {
	lang := o.Language
	if err != nil {
		return failOut(o.Globals, o.JSON, err, nil, joinHint(lostHint(o.Globals, id, f, false), commitHint(ctx, o.Globals, client, id, err)))
	}
	stage := stageOf(ctx, client, id)
	if o.JSON {
		return writeJSON(o.IO.Out, commitJSON(res, stage, lang, true, f))
	}
	printCommitted(o.Globals, o.IO.Out, res, stage, method, lang, f == api.FateApplied)
	return nil
}

// stageOf reads, after a commit, which stage the certificate is at and by
// when it must be validated (the commit answers a bare status); nil when it
// cannot be read, and the bare status is shown.
func stageOf(ctx context.Context, client *api.Client, id string) *api.CertificateDetail {
	d, err := client.DescribeCertificateDetail(ctx, id)
	if err != nil {
		return nil
	}
	return &d
}

// notCommittable refuses early what the service would refuse: a
// certificate not awaiting information, or one whose information was never
// submitted. The error is the commit's mapped error (exit 3); extra names
// the status and what it means.
func notCommittable(g *Globals, d api.CertificateDetail) (*api.Error, string) {
	lang := g.Language
	switch {
	case d.Status != api.StatusAwaitingInfo:
		return &api.Error{Action: api.ActionCommit, Code: "FailedOperation.InvalidCertificateStatusCode", RequestId: d.RequestId,
			Message: fmt.Sprintf(say(lang, "certificate %s is at status %d (%s), not awaiting information (5); nothing was sent",
				"证书 %s 的状态为 %d（%s），不是待提交资料（5）；未发送任何请求"), d.CertificateId, d.Status, d.Words(lang))}, statusHint(g, d.CertificateId, d.Status, d.StatusMsg)
	case d.Submitted == nil:
		return &api.Error{Action: api.ActionCommit, Code: "FailedOperation.InvalidParam", RequestId: d.RequestId,
			Message: fmt.Sprintf(say(lang, "no information has been submitted for certificate %[1]s yet: submit it first (certwiz submit --set CertificateId=%[1]s …, or the wizard), or submit and commit at once with certwiz submit … --commit; nothing was sent",
				"证书 %[1]s 尚未提交任何资料：请先提交（certwiz submit --set CertificateId=%[1]s …，或使用向导），或用 certwiz submit … --commit 一次完成；未发送任何请求"), d.CertificateId)}, ""
	}
	return nil, ""
}

// statusHint names a certificate's status and what it means for a commit.
func statusHint(g *Globals, id string, status int, msg string) string {
	lang := g.Language
	words := api.StatusText(status, msg).In(lang)
	var what api.Text
	switch status {
	case api.StatusReviewing, api.StatusDNSAdded:
		what = api.Text{EN: "it is already with the CA; there is nothing more to send", ZH: "它已发送给 CA，无需再次提交"}
	case api.StatusAwaitingLetter:
		what = api.Text{EN: "it is already with the CA, waiting for its confirmation letter (upload it in the SSL console)", ZH: "它已发送给 CA，正等待确认函（请在 SSL 证书控制台上传）"}
	case api.StatusIssued:
		cmd := safe.Text(commandLine(g, "download", id, "--out", "DIR"))
		what = api.Text{EN: "download it with " + cmd, ZH: "可用此命令下载：" + cmd}
	case api.StatusReviewFailed:
		what = api.Text{EN: "cancel and resubmit it in the SSL console", ZH: "请在 SSL 证书控制台撤销后重新提交"}
	case api.StatusFreeAwaiting:
		what = api.Text{EN: "free certificates are not sent to the CA this way; use the SSL console", ZH: "免费证书不通过此方式发送给 CA，请使用 SSL 证书控制台"}
	default:
		what = api.Text{EN: "nothing can be sent to the CA for it", ZH: "无法再将它发送给 CA"}
	}
	return fmt.Sprintf(say(lang, "Certificate %s is at status %d (%s): %s.", "证书 %s 的状态为 %d（%s）：%s。"), id, status, words, what.In(lang))
}

// commitHint adds what the user needs beyond the guide: the status, read
// again, when the service says the status is wrong (a lost answer is
// reconciled before: see api.Client.CommitFate).
func commitHint(ctx context.Context, g *Globals, client *api.Client, id string, err error) string {
	var e *api.Error
	if !errors.As(err, &e) {
		return ""
	}
	switch e.Code {
	case "FailedOperation.InvalidCertificateStatusCode":
		d, derr := client.DescribeCertificateDetail(ctx, id)
		if derr != nil || d.Status == api.StatusAwaitingInfo {
			return ""
		}
		return statusHint(g, id, d.Status, d.StatusMsg)
	}
	return ""
}

// showCommit shows what a commit will send, from the submitted information
// (never a KeyPassword: the api never reads one).
func showCommit(w io.Writer, d api.CertificateDetail, method string, chosen bool, lang string) {
	sd := d.Submitted
	label := func(en, zh string) string { return pad(say(lang, en, zh), 16) }
	fmt.Fprintf(w, "\n%s %s — %s (%s %d), %s\n", say(lang, "Certificate", "证书"), safe.Text(d.CertificateId), safe.Text(d.Words(lang)), say(lang, "status", "状态"), d.Status, dash(safe.Text(productName(d.Certificate))))
	fmt.Fprintln(w, say(lang, "The CA will receive:", "将发送给 CA 的资料："))
	fmt.Fprintf(w, "  %s%s\n", label("Domain", "域名"), dash(safe.Text(sd.CertificateDomain)))
	var others []string
	for _, n := range sd.DomainList {
		if n != sd.CertificateDomain {
			others = append(others, safe.Text(n))
		}
	}
	if len(others) > 0 {
		fmt.Fprintf(w, "  %s%s\n", label("Other names", "其他域名"), strings.Join(others, ", "))
	}
	fmt.Fprintf(w, "  %s%s\n", label("Company", "公司"), dash(safe.Text(sd.OrganizationName)))
	fmt.Fprintf(w, "  %s%s\n", label("Administrator", "管理人"), person(sd.AdminFirstName, sd.AdminLastName, sd.AdminEmail, lang))
	fmt.Fprintf(w, "  %s%s\n", label("Contact", "联系人"), person(sd.ContactFirstName, sd.ContactLastName, sd.ContactEmail, lang))
	how := dash(safe.Text(method))
	if f, ok := api.Lookup("VerifyType"); ok {
		for _, c := range f.Choices {
			if c.Value == method {
				how = c.Label.In(lang)
			}
		}
	}
	if method == "" {
		how = say(lang, "none submitted: the service's default applies (give --verify-type to choose)", "未提交：按服务默认方式（可用 --verify-type 指定）")
	} else if chosen && method != sd.VerifyType {
		how += say(lang, " (--verify-type; submitted: ", "（--verify-type；已提交：") + dash(safe.Text(sd.VerifyType)) + say(lang, ")", "）")
	}
	fmt.Fprintf(w, "  %s%s\n\n", label("Verification", "验证方式"), how)
}

// person is "Given Family <e-mail>", or family name first without a space
// for a name in Chinese characters.
func person(first, last, email, lang string) string {
	name := strings.TrimSpace(first + " " + last)
	if han := first + last; han != "" && !strings.ContainsFunc(han, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
		name = last + first
	}
	s := safe.Text(name)
	if email != "" {
		s = strings.TrimSpace(s + " <" + safe.Text(email) + ">")
	}
	return dash(s)
}

// confirm asks on stderr and reads one line from stdin: y, yes or 是 say
// yes; anything else, or the end of input, says no. ctrl+c (ctx done)
// returns an error.
func confirm(ctx context.Context, streams IO, question string) (bool, error) {
	line, err := ask(ctx, streams, question)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes", "是":
		return true, nil
	}
	return false, nil
}

// ask asks on stderr and reads one line from stdin ("" at the end of
// input, said with a new line); ctrl+c (ctx done) returns an error.
func ask(ctx context.Context, streams IO, question string) (string, error) {
	fmt.Fprint(streams.Err, question)
	answer := make(chan string, 1)
	go func() {
		// One byte at a time, not buffered: the next question reads the
		// next line (piped answers hold several).
		var line []byte
		b := make([]byte, 1)
		for len(line) < 4096 {
			n, err := streams.In.Read(b)
			if n == 1 {
				line = append(line, b[0])
				if b[0] == '\n' {
					break
				}
			}
			if err != nil {
				break
			}
		}
		answer <- string(line)
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case line := <-answer:
		if line == "" {
			fmt.Fprintln(streams.Err)
		}
		return line, nil
	}
}

// commitJSON is a commit's result: with the ID for `commit --json`, without
// it under "Commit" in `submit --commit --json`. Status 0 is named as
// everywhere (certs, status): refined by the StatusMsg of stage, the
// certificate read after the commit; nil when it could not be read (or
// was not: a batch), and the bare status is named. f says whether the
// commit's answer was lost and reading the certificate confirmed the order
// (AnswerLost and Reconciled, only then; RequestId is then the read's).
func commitJSON(res api.CommitResult, stage *api.CertificateDetail, lang string, withID bool, f api.Fate) any {
	msg := ""
	if stage != nil {
		msg = stage.StatusMsg
	}
	name := api.StatusText(res.Status, msg).In(lang)
	id := ""
	if withID {
		id = res.CertificateId
	}
	return struct {
		CertificateId string `json:",omitempty"` // under "Commit" in submit's object, the ID is the object's
		OrderId       string
		Status        int
		StatusName    string
		StatusMsg     string `json:",omitempty"`
		RequestId     string
		AnswerLost    bool   `json:",omitempty"`
		Reconciled    string `json:",omitempty"`
	}{id, res.OrderId, res.Status, name, msg, res.RequestId, f != api.FateAnswered, f.String()}
}

// lostJSON adds to an object what reading the certificate showed after a
// lost answer: AnswerLost and Reconciled (confirmed, did-not-happen or
// unknown); nothing when the answer came.
func lostJSON(obj map[string]any, f api.Fate) map[string]any {
	if f != api.FateAnswered {
		obj["AnswerLost"], obj["Reconciled"] = true, f.String()
	}
	return obj
}

// printCommitted tells people the order is with the CA, at which stage and
// by when, and what comes next.
// lost: the answer was lost and reading the certificate confirmed it.
func printCommitted(g *Globals, w io.Writer, res api.CommitResult, stage *api.CertificateDetail, method, lang string, lost bool) {
	fmt.Fprintf(w, "%s %s\n", say(lang, "Sent to the CA: certificate", "已发送给 CA：证书"), safe.Text(res.CertificateId))
	if lost {
		fmt.Fprintln(w, api.ConfirmedAfterLost(false).In(lang))
	}
	fmt.Fprintf(w, "%s: %s\n", say(lang, "CA order", "CA 订单号"), dash(safe.Text(res.OrderId)))
	words := api.StatusText(res.Status, "").In(lang)
	if stage != nil {
		words = stage.Words(lang)
	}
	fmt.Fprintf(w, "%s: %s (%d)\n", say(lang, "Status", "状态"), words, res.Status)
	if stage != nil && stage.DVAuthDeadline != "" {
		fmt.Fprintf(w, "%s: %s\n", say(lang, "Validate by", "验证截止"), safe.Text(stage.DVAuthDeadline)+say(lang, " (Beijing time, UTC+8)", "（北京时间）"))
	}
	fmt.Fprintf(w, "RequestId: %s\n", safe.Text(res.RequestId))
	if method == "" && res.Status == api.StatusDNSAdded {
		method = string(api.MethodDNSAuto) // only DNS_AUTO leads there
	}
	fmt.Fprintf(w, "%s: %s\n", say(lang, "Next", "下一步"), api.AfterCommit(commandLine(g, "status", res.CertificateId), method, res.Status).In(lang))
}

// fileForWildcard refuses FILE validation for a certificate whose names
// include a wildcard, naming it; "" when the method can work.
func fileForWildcard(method string, d api.CertificateDetail, lang string) string {
	if api.MethodOf(method) != api.MethodFile {
		return ""
	}
	names := d.Names()
	if d.Submitted != nil {
		names = append(append(names, d.Submitted.CertificateDomain), d.Submitted.DomainList...)
	}
	for _, n := range names {
		if strings.HasPrefix(n, "*.") {
			return fmt.Sprintf(say(lang,
				"--verify-type FILE cannot prove a wildcard name (%s): use DNS or DNS_AUTO; nothing was sent",
				"--verify-type FILE 无法验证通配符域名（%s）：请使用 DNS 或 DNS_AUTO；未发送任何请求"), safe.Text(n))
		}
	}
	return ""
}
