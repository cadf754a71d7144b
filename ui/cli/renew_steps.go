package cli

import (
	"cmp"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/csr"
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/hook"
	"github.com/certwiz/certwiz/api/infile"
	"github.com/certwiz/certwiz/api/installation"
	"github.com/certwiz/certwiz/api/live"
	"github.com/certwiz/certwiz/api/newfile"
	"github.com/certwiz/certwiz/api/rollout"
	"github.com/certwiz/certwiz/api/watch"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
)

// renewer renews installations one at a time; every step is saved in the
// installation before the next request that changes anything.
type renewer struct {
	o      *RenewOptions
	store  *profiles.Store
	client *api.Client
	lookup dnscheck.Options
	rec    *recorder
}

// say prints what became of an installation and returns its exit code.
func (r *renewer) say(res renewal) int {
	o, lang := r.o, r.o.Language
	if o.JSON {
		_ = writeJSONLine(o.IO.Out, res)
		return exitOf(res.Outcome)
	}
	words := map[string]api.Text{
		outRenewed:    {EN: "renewed", ZH: "已续期"},
		outNotDue:     {EN: "not due", ZH: "未到期"},
		outWould:      {EN: "would renew", ZH: "将续期"},
		outFailed:     {EN: "FAILED", ZH: "失败"},
		outWaiting:    {EN: "waiting for validation", ZH: "等待验证"},
		outNeedsUser:  {EN: "needs you", ZH: "需要您处理"},
		outBusy:       {EN: "skipped: another certwiz is working on it", ZH: "已跳过：另一个 certwiz 正在处理"},
		outInProgress: {EN: "would go on with the renewal in progress", ZH: "将继续进行中的续期"},
	}
	line := safe.Text(res.Name) + ": " + words[res.Outcome].In(lang)
	if res.DaysLeft != nil && (res.Outcome == outNotDue || res.Outcome == outWould || res.Outcome == outNeedsUser) {
		line += fmt.Sprintf(say(lang, " (%d days left)", "（剩余 %d 天）"), *res.DaysLeft)
	}
	if res.NewCertificate != "" && res.Outcome == outRenewed {
		line += ": " + safe.Text(res.Certificate) + " → " + safe.Text(res.NewCertificate)
	}
	if res.Message != "" {
		line += " — " + safe.Lines(res.Message)
	}
	fmt.Fprintln(o.IO.Out, line)
	for _, rec := range res.Records {
		fmt.Fprintln(o.IO.Out, "    "+safe.Text(rec))
	}
	return exitOf(res.Outcome)
}

// dueCheck reads, from disk only, whether an installation is due: its
// served certificate ends within --days, --force, or a renewal is in
// flight.
func (r *renewer) dueCheck(in profiles.Installation) (renewal, bool) {
	res := renewal{Name: in.Name, Kind: string(in.Kind), Certificate: in.Certificate}
	leaf, _, err := servedLeaf(in.Dir)
	if err != nil {
		res.Outcome, res.Message = outFailed, fmt.Sprintf(say(r.o.Language, "what %s serves cannot be read: %v", "无法读取 %s 提供的证书：%v"), in.Dir, err)
		return res, false
	}
	now := r.o.now()
	left := daysLeft(leaf.NotAfter, now)
	res.DaysLeft, res.notAfter = &left, leaf.NotAfter
	res.Due = in.Renewing != nil || r.o.Force || !now.AddDate(0, 0, r.o.Days).Before(leaf.NotAfter)
	if !res.Due {
		res.Outcome = outNotDue
		res.Message = fmt.Sprintf(say(r.o.Language, "expires %s; renewal due from %s", "%s 到期；%s 起需续期"),
			leaf.NotAfter.In(api.Beijing).Format("2006-01-02"), leaf.NotAfter.AddDate(0, 0, -r.o.Days).In(api.Beijing).Format("2006-01-02"))
	}
	return res, res.Due
}

// renewOne renews one due installation (as dueCheck found it) under its
// lock.
func (r *renewer) renewOne(ctx context.Context, res renewal) renewal {
	unlock, err := r.store.LockInstallation(res.Name)
	if err != nil {
		if errors.As(err, new(*profiles.BusyError)) {
			res.Outcome = outBusy
			return res
		}
		res.Outcome, res.Message = outFailed, err.Error()
		return res
	}
	defer unlock()
	in, err := r.store.LoadInstallation(res.Name) // as it is now, under the lock
	if err != nil {
		res.Outcome, res.Message = outFailed, err.Error()
		return res
	}
	if in.Local && !r.client.Endpoint().Local() {
		// A sandbox's certificate: never asked of the real service.
		res.Outcome = outNeedsUser
		res.Message = fmt.Sprintf(say(r.o.Language,
			"installed from an endpoint on this machine (the sandbox): renew it with --sandbox or that --endpoint, or remove %s",
			"安装自本机的接入点（沙盒）：请用 --sandbox 或该 --endpoint 续期，或删除 %s"), r.store.InstallationPath(in.Name))
		return res
	}
	if r.o.DryRun {
		return r.plan(ctx, in, res)
	}
	if in.Kind == profiles.KindFree {
		res = r.free(ctx, &in, res)
	} else {
		res = r.paid(ctx, &in, res)
	}
	if res.Outcome != outBusy && ctx.Err() == nil {
		outcome := map[string]profiles.RenewalOutcome{outRenewed: profiles.RenewalDone, outFailed: profiles.RenewalFailed, outWaiting: profiles.RenewalWaiting, outNeedsUser: profiles.RenewalNeedsUser}[res.Outcome]
		in.LastRenewal = &profiles.LastRenewal{Time: r.o.now().UTC(), Outcome: outcome, Message: firstLine(res.Message)}
		if err := r.save(in); err != nil {
			res.Outcome, res.Message = outFailed, err.Error()
		}
	}
	return res
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}

func (r *renewer) save(in profiles.Installation) error {
	if err := r.store.SaveInstallation(in); err != nil {
		return fmt.Errorf("save the installation %q: %w", in.Name, err)
	}
	return nil
}

// step saves that the renewal of in reached step with certificate id.
func (r *renewer) step(in *profiles.Installation, id string, step profiles.Step) error {
	in.Renewing = &profiles.Renewing{Certificate: id, Step: step, Time: r.o.now().UTC()}
	return r.save(*in)
}

// method is how the installation's renewals validate.
func method(in profiles.Installation) api.Method {
	if in.Validation != "" {
		return in.Validation
	}
	return api.MethodDNSAuto
}

// free renews a free certificate: ApplyCertificate, validation, install.
func (r *renewer) free(ctx context.Context, in *profiles.Installation, res renewal) renewal {
	if in.Renewing == nil || in.Renewing.Certificate == "" {
		id, err := r.apply(ctx, in)
		if err != nil {
			return failed(res, err, r.o.Language)
		}
		res.NewCertificate = id
	}
	return r.validateAndInstall(ctx, in, res)
}

// apply asks for the new free certificate — unless an earlier run asked
// and lost the answer: then the certificate it made is found first, and
// nothing is applied twice.
func (r *renewer) apply(ctx context.Context, in *profiles.Installation) (string, error) {
	if in.Renewing != nil {
		if id, err := r.appliedBefore(ctx, *in); err != nil || id != "" {
			if id != "" {
				return id, r.step(in, id, profiles.StepApplied)
			}
			return "", err
		}
	}
	if err := r.step(in, "", ""); err != nil { // the intent, before the request
		return "", err
	}
	record := profiles.Record{Action: api.ActionApply, CertificateId: in.Certificate, Endpoint: r.client.Endpoint().String()}
	attempt := r.rec.intent(record)
	id, err := r.client.ApplyCertificate(ctx, api.ApplyRequest{DomainName: in.Domains[0], DvAuthMethod: method(*in), OldCertificateId: in.Certificate,
		DeleteDnsAutoRecord: method(*in) == api.MethodDNSAuto})
	if err != nil {
		// Only a refusal the service said, or a request refused before it
		// left, made nothing: anything else (a lost answer, ctrl+c) keeps
		// the intent, and the next run looks for what it may have made.
		var e *api.Error
		var ps api.Problems
		if refused := errors.As(err, &e) && e.Service; refused || errors.As(err, &ps) {
			record.Outcome = profiles.OutcomeNotSent
			if refused {
				record.Outcome, record.RequestId = e.Code, e.RequestId
			}
			r.rec.outcome(record, attempt)
			in.Renewing = nil
			if serr := r.save(*in); serr != nil {
				return "", serr
			}
		}
		return "", err
	}
	record.Outcome = "OK"
	r.rec.outcome(record, attempt)
	return id, r.step(in, id, profiles.StepApplied)
}

// appliedBefore finds the free certificate an earlier apply made for the
// installation (its answer lost): same domain, made since the intent,
// neither the current certificate nor an earlier one.
func (r *renewer) appliedBefore(ctx context.Context, in profiles.Installation) (string, error) {
	certs, _, err := r.client.ListCertificates(ctx, api.CertificateQuery{SearchKey: in.Domains[0]}, 100)
	if err != nil {
		return "", err
	}
	since := in.Renewing.Time.Add(-time.Minute)
	for _, c := range certs {
		made, ok := api.ParseTime(c.InsertTime)
		if c.Domain == in.Domains[0] && c.IsFree() && c.CertificateId != in.Certificate && !slices.Contains(in.Previous, c.CertificateId) &&
			ok && !made.Before(since) && c.Status != api.StatusCancelled {
			return c.CertificateId, nil
		}
	}
	return "", nil
}

// paid renews a paid certificate through the renewal order the user
// bought: submitted with a new key from the installation's profile,
// committed, validated, installed. Never bought here.
func (r *renewer) paid(ctx context.Context, in *profiles.Installation, res renewal) renewal {
	lang := r.o.Language
	if in.Renewing == nil {
		order, err := r.renewalOrder(ctx, *in)
		if err != nil {
			return failed(res, err, lang)
		}
		if order == "" {
			return r.buyFirst(*in, res)
		}
		if in.Profile == "" {
			res.Outcome = outNeedsUser
			res.Message = fmt.Sprintf(say(lang, "renewal order %s is there, but no profile holds the organization and people to submit it: certwiz install %s --dir %s --profile NAME --yes names one",
				"续费订单 %s 已存在，但没有配置提供提交所需的组织和人员信息：用 certwiz install %s --dir %s --profile NAME --yes 指定"), order, in.Certificate, in.Dir)
			return res
		}
		if err := r.step(in, order, ""); err != nil {
			return failed(res, err, lang)
		}
	}
	res.NewCertificate = in.Renewing.Certificate
	if in.Renewing.Step == "" {
		if err := r.submitRenewal(ctx, in); err != nil {
			return failed(res, err, lang)
		}
	}
	if in.Renewing.Step == profiles.StepSubmitted {
		if err := r.commitRenewal(ctx, in); err != nil {
			return failed(res, err, lang)
		}
	}
	return r.validateAndInstall(ctx, in, res)
}

// buyFirst says a paid certificate's renewal must be bought by a person.
func (r *renewer) buyFirst(in profiles.Installation, res renewal) renewal {
	res.Outcome = outNeedsUser
	res.Message = fmt.Sprintf(say(r.o.Language,
		"buy the renewal of %s in the SSL console (renew never spends money); the next run finds the order and goes on",
		"请在 SSL 证书控制台购买 %s 的续费（renew 从不花钱）；之后再运行会找到订单并继续"), in.Certificate)
	if !res.notAfter.IsZero() {
		res.Message += fmt.Sprintf(say(r.o.Language, "; it expires %s (Beijing time)", "；它将于 %s（北京时间）到期"), res.notAfter.In(api.Beijing).Format("2006-01-02 15:04"))
	}
	return res
}

// renewalOrder is the certificate awaiting information that renews the
// installation's: the same names, neither the current one nor an earlier.
func (r *renewer) renewalOrder(ctx context.Context, in profiles.Installation) (string, error) {
	certs, _, err := r.client.ListCertificates(ctx, api.CertificateQuery{SearchKey: in.Domains[0], Statuses: []int{api.StatusAwaitingInfo}}, 100)
	if err != nil {
		return "", err
	}
	want := slices.Sorted(slices.Values(in.Domains))
	for _, c := range certs {
		names := c.Names()
		slices.Sort(names)
		if c.Status == api.StatusAwaitingInfo && slices.Equal(names, want) && c.CertificateId != in.Certificate && !slices.Contains(in.Previous, c.CertificateId) {
			return c.CertificateId, nil
		}
	}
	return "", nil
}

// submitRenewal fills the renewal order from the installation's profile
// with a new key generated here (remembered in the history for the
// download), then submits it — unless an earlier run's submission went
// through with a key generated here: it is not sent twice.
func (r *renewer) submitRenewal(ctx context.Context, in *profiles.Installation) error {
	order := in.Renewing.Certificate
	d, err := r.client.DescribeCertificateDetail(ctx, order)
	if err != nil {
		return err
	}
	if d.Status != api.StatusAwaitingInfo {
		return r.step(in, order, profiles.StepCommitted) // with the CA already
	}
	if sent := d.Submitted; sent != nil && sent.CsrContent != "" {
		// Submitted before with a key generated here: the answer was lost.
		if info, err := csr.Read([]byte(sent.CsrContent)); err == nil {
			for _, k := range r.o.keysFor(order) {
				if k.Path != "" && k.KeySHA256 == info.KeySHA256() {
					return r.step(in, order, profiles.StepSubmitted)
				}
			}
		}
	}
	p, err := r.store.Load(in.Profile)
	if err != nil {
		return fmt.Errorf("load profile %q: %w", in.Profile, err)
	}
	req := p.Params
	req.CertificateId, req.CertificateDomain, req.DomainList = order, in.Domains[0], slices.Clone(in.Domains)
	req.VerifyType = string(method(*in))
	n := req.Normalized()
	subject := csr.Subject{CommonName: n.CertificateDomain, Organization: n.OrganizationName, OrganizationalUnit: n.OrganizationDivision,
		Locality: n.OrganizationCity, Province: n.OrganizationRegion, Country: n.OrganizationCountry}
	gen, err := r.keyFor(*in, subject, n.DomainList)
	if err != nil {
		return fmt.Errorf("a key for %s: %w", order, err)
	}
	if err := r.writeKey(order, gen.KeyPEM, gen.Info.KeySHA256()); err != nil {
		return err
	}
	n.CsrType, n.CsrContent = "parse", gen.Info.PEM
	if ps := api.Validate(n, api.Complete); len(ps) > 0 {
		return fmt.Errorf("profile %q cannot fill renewal order %s: %s", in.Profile, order, ps[0].What.In(r.o.Language))
	}
	record := profiles.Record{Action: api.ActionSubmit, Profile: in.Profile, CertificateId: order, Endpoint: r.client.Endpoint().String(), KeySHA256: gen.Info.KeySHA256()}
	attempt := r.rec.intent(record)
	res, err := r.client.Submit(ctx, n)
	record.Outcome = outcomeCode(err)
	record.RequestId = res.RequestId
	r.rec.outcome(record, attempt)
	if err != nil {
		return err
	}
	return r.step(in, order, profiles.StepSubmitted)
}

// keyFor is the key and CSR a paid renewal submits: a new key, or the one
// installed now when the installation says to keep it (reuseKey).
func (r *renewer) keyFor(in profiles.Installation, subject csr.Subject, names []string) (*csr.Generated, error) {
	if !in.ReuseKey {
		return csr.Generate(in.KeyType, subject, names, nil)
	}
	version, err := live.Current(in.Dir)
	if err != nil || version == "" {
		return nil, fmt.Errorf("the key installed in %s cannot be found to keep it: %v", in.Dir, err)
	}
	path := filepath.Join(in.Dir, version, live.KeyFile)
	data, err := infile.ReadLimited(context.Background(), path, nil, 64<<10)
	if err != nil {
		return nil, fmt.Errorf("read the key to keep %s: %w", path, err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("the key to keep %s is not PEM", path)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	signer, ok := key.(crypto.Signer)
	if err != nil || !ok {
		return nil, fmt.Errorf("the key to keep %s cannot be read (PKCS#8 expected): %v", path, err)
	}
	return csr.ForKey(signer, subject, names, nil)
}

// writeKey writes a key generated for a renewal in <config>/keys (0600,
// a new file) and remembers it in the history for the download.
func (r *renewer) writeKey(id string, keyPEM []byte, keySHA256 string) error {
	dir := filepath.Join(filepath.Dir(r.store.Dir), "keys")
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("keys folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, id+"-"+strconv.FormatInt(r.o.now().Unix(), 10)+".key")
	if err := newfile.Write(path, keyPEM); err != nil {
		return fmt.Errorf("write the new key %s: %w", path, err)
	}
	h, err := r.o.history()
	if err == nil {
		err = h.Append(profiles.Record{Time: r.o.now().UTC(), CertificateId: id, Outcome: profiles.OutcomeKeyGenerated, Action: "renew", KeyFile: path, KeySHA256: keySHA256})
	}
	if err != nil {
		return fmt.Errorf("remember the key %s for %s: %w", path, id, err)
	}
	return nil
}

func outcomeCode(err error) string {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return "ClientError.NotSent"
	}
	return "OK"
}

// commitRenewal sends the submitted renewal order to the CA, once: an
// order with the CA already is not committed again.
func (r *renewer) commitRenewal(ctx context.Context, in *profiles.Installation) error {
	order := in.Renewing.Certificate
	if d, err := r.client.DescribeCertificateDetail(ctx, order); err != nil {
		return err
	} else if d.Status != api.StatusAwaitingInfo {
		return r.step(in, order, profiles.StepCommitted)
	}
	record := profiles.Record{Action: api.ActionCommit, Profile: in.Profile, CertificateId: order, Endpoint: r.client.Endpoint().String()}
	attempt := r.rec.intent(record)
	res, err := r.client.Commit(ctx, order, string(method(*in)))
	_, f, err := r.client.CommitFate(ctx, order, res, err)
	record.Outcome = outcomeCode(err)
	r.rec.reconciled(record, attempt, f)
	if err != nil {
		return err
	}
	return r.step(in, order, profiles.StepCommitted)
}

// failed is a renewal that stopped on err.
func failed(res renewal, err error, lang string) renewal {
	res.Outcome = outFailed
	var e *api.Error
	if errors.As(err, &e) {
		res.Message = e.Guide().Title.In(lang) + " [" + e.Code + "]: " + e.Hint(lang)
		return res
	}
	res.Message = err.Error()
	return res
}

// validateAndInstall sees the new certificate through validation and
// installs it; what is done is saved at each step.
func (r *renewer) validateAndInstall(ctx context.Context, in *profiles.Installation, res renewal) renewal {
	lang := r.o.Language
	id := in.Renewing.Certificate
	res.NewCertificate = id
	if in.Renewing.Step != profiles.StepIssued && in.Renewing.Step != profiles.StepRolledOut {
		v := r.validate(ctx, *in, id)
		switch {
		case v.Outcome == outFailed:
			in.Renewing = nil // the new certificate is lost: the next run starts again
			res.Outcome, res.Message = outFailed, v.Message
			return res
		case v.Outcome != "":
			res.Outcome, res.Message, res.Records = v.Outcome, v.Message, v.Records
			return res
		}
		if err := r.step(in, id, profiles.StepIssued); err != nil {
			return failed(res, err, lang)
		}
	}
	d, err := r.client.DescribeCertificateDetail(ctx, id)
	if gone(err) {
		return r.renewalGone(in, res, id)
	}
	if err != nil {
		return failed(res, err, lang)
	}
	if in.Rollout && in.Renewing.Step == profiles.StepIssued {
		// On Tencent Cloud's resources first: a failure keeps the old
		// certificate current everywhere, and the next run tries again.
		if out, ok := r.rollOut(ctx, *in, id, res); !ok {
			return out
		}
		if err := r.step(in, id, profiles.StepRolledOut); err != nil {
			return failed(res, err, lang)
		}
	}
	record := profiles.Record{Action: installation.Action, CertificateId: id, Endpoint: r.client.Endpoint().String(), Profile: in.Profile}
	attempt := r.rec.intent(record)
	report, err := r.o.deployIssued(ctx, r.client, *in, id, d.Names())
	record.Outcome = installation.Outcome(err)
	r.rec.outcome(record, attempt)
	if !r.o.JSON {
		r.o.printDeployed(r.o.IO.Err, in.Name, id, report, err)
	}
	if err != nil {
		return failed(res, err, lang)
	}
	in.SetCertificate(id)
	in.Domains = d.Names()
	in.Renewing = nil
	res.Outcome = outRenewed
	return res
}

// rollOut replaces the installation's certificate by the renewed one on
// the Tencent Cloud resources that serve it, as certwiz rollout --yes does
// with the installation's failure rule (the plan on stderr). ok is false
// when the renewal stops here.
func (r *renewer) rollOut(ctx context.Context, in profiles.Installation, id string, res renewal) (renewal, bool) {
	lang := r.o.Language
	o := &RolloutOptions{Globals: r.o.Globals, SilenceOld: r.o.SilenceOld, followFlags: followFlags{Yes: true, OnFailure: cmp.Or(in.RolloutOnFailure, onFailureStop), MaxWait: r.o.MaxWait},
		knobs: rolloutKnobs{interval: r.o.tencentEvery, pause: r.o.tencentEvery}}
	run := &rolloutRun{o: o, client: r.client, rec: r.rec, planOut: r.o.IO.Err, renewal: true, runner: o.knobs.runner(r.client, o.MaxWait)}
	fmt.Fprintf(r.o.IO.Err, say(lang, "%s: replacing %s by %s on the Tencent Cloud resources that serve it (rollout: true)\n",
		"%s：正在使用 %s 的云资源上用 %s 替换它（rollout: true）\n"), safe.Text(in.Name), in.Certificate, id)
	err := run.start(ctx, in.Certificate, id)
	var e *ExitError
	code := 0
	if errors.As(err, &e) {
		code = e.Code
	} else if err != nil {
		code = api.ExitFailure
	}
	again := commandLine(r.o.Globals, "rollout", "--record", strconv.FormatUint(run.out.RecordId, 10))
	switch {
	case code == 0:
		return res, true
	case code == api.ExitInterrupted || ctx.Err() != nil:
		res.Outcome, res.Message = outFailed, say(lang, "interrupted during the rollout", "替换云资源时被中断")
	case code == ExitWaiting:
		res.Outcome = outWaiting
		res.Message = fmt.Sprintf(say(lang, "the rollout to %s is still running at Tencent (%s follows it); %s stays current until it is done: the next run goes on",
			"替换为 %s 的操作仍在腾讯云上进行（可用 %s 跟进）；完成前 %s 仍为当前证书：下次运行会继续"), id, again, in.Certificate)
	default:
		res.Outcome = outFailed
		res.Message = fmt.Sprintf(say(lang, "the rollout of %s in place of %s on Tencent Cloud resources did not complete (see above): %s stays current here and nothing was installed; the next run tries the rollout again",
			"在云资源上用 %s 替换 %s 未完成（见上文）：%s 仍为当前证书，未安装任何内容；下次运行会重试替换"), id, in.Certificate, in.Certificate)
	}
	return res, false
}

// gone reports an answer saying the certificate does not exist.
func gone(err error) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Service && e.Code == "FailedOperation.CertificateNotFound"
}

// renewalGone drops a renewal whose new certificate the account no longer
// has (cancelled, deleted): stuck on it, every run would fail; the next
// one starts again.
func (r *renewer) renewalGone(in *profiles.Installation, res renewal, id string) renewal {
	in.Renewing = nil
	res.Outcome = outFailed
	res.Message = fmt.Sprintf(say(r.o.Language, "the renewal's certificate %s is no longer in the account: the next run starts again", "续期中的证书 %s 已不在账号中：下次运行会重新开始"), id)
	return res
}

// validate watches the new certificate's validation: "" when issued, or
// what to say (failed, waiting with its records).
func (r *renewer) validate(ctx context.Context, in profiles.Installation, id string) renewal {
	lang := r.o.Language
	w := watch.New(watch.Options{Client: r.client, CertificateID: id, Lookup: r.lookup, Interval: r.o.Interval, TencentEvery: r.o.tencentEvery, Now: r.o.now})
	s, err := w.Step(ctx, true)
	if gone(err) {
		return renewal{Outcome: outFailed, Message: fmt.Sprintf(say(lang, "the renewal's certificate %s is no longer in the account: the next run starts again", "续期中的证书 %s 已不在账号中：下次运行会重新开始"), id)}
	}
	if err != nil {
		return renewal{Outcome: outWaiting, Message: err.Error()}
	}
	records := s.Detail.Records()
	needsRecords := method(in) != api.MethodDNSAuto && len(records) > 0 && !s.Issued && !s.Failed
	if needsRecords {
		switch {
		case r.o.AuthHook != "" || in.AuthHook != "":
			if err := r.runRecordHooks(ctx, in.Name, cmp.Or(r.o.AuthHook, in.AuthHook), records); err != nil {
				return renewal{Outcome: outFailed, Message: say(lang, "the auth hook ", "认证钩子") + err.Error()}
			}
			defer r.runRecordHooks(context.WithoutCancel(ctx), in.Name, cmp.Or(r.o.CleanupHook, in.CleanupHook), records)
		case !(r.o.IO.termIn() && r.o.IO.termErr()):
			if s.Found() < len(s.Records) {
				return renewal{Outcome: outWaiting, Records: recordLines(records),
					Message: say(lang, "put these records in place (or give --auth-hook), then run certwiz renew again: it goes on with the same certificate", "请设置以下记录（或指定 --auth-hook），然后再次运行 certwiz renew：会继续同一张证书")}
			}
			// Every record is in place now (put there since the last run):
			// the CA was asked in the round above; watch it through.
		default:
			fmt.Fprintln(r.o.IO.Err, say(lang, "Put these records in place; certwiz watches until the CA validates them:", "请设置以下记录；certwiz 会一直检查直到 CA 验证通过："))
			for _, l := range recordLines(records) {
				fmt.Fprintln(r.o.IO.Err, "    "+safe.Text(l))
			}
		}
	}
	deadline := r.o.now().Add(r.o.MaxWait)
	said, asked := "", s.Completed
	for !s.Issued && !s.Failed {
		next := s.Next()
		if next.IsZero() || next.After(deadline) {
			return renewal{Outcome: outWaiting, Message: fmt.Sprintf(say(lang, "not validated within --max-wait %s; the next run goes on", "--max-wait %s 内未完成验证；下次运行会继续"), r.o.MaxWait)}
		}
		// What the watch stands at, a line each time it changes (stderr:
		// --json keeps stdout to its objects).
		if line := fmt.Sprintf(say(lang, "  %s: %d of %d records found; the CA %s", "  %s：已找到 %d/%d 条记录；CA %s"), id, s.Found(), len(s.Records),
			map[bool]string{true: say(lang, "asked to validate", "已请求验证"), false: say(lang, "not asked yet", "尚未请求")}[asked]); line != said {
			fmt.Fprintln(r.o.IO.Err, safe.Text(line))
			said = line
		}
		if err := rollout.Sleep(ctx, next.Sub(r.o.now())); err != nil {
			return renewal{Outcome: outWaiting, Message: say(lang, "interrupted", "已中断")}
		}
		if s, err = w.Step(ctx, false); err != nil && ctx.Err() == nil {
			continue // a failed round: the next one asks again
		}
		asked = asked || s.Completed
	}
	if s.Failed {
		return renewal{Outcome: outFailed, Message: s.Why.In(lang)}
	}
	return renewal{}
}

// runRecordHooks runs cmd once per record with its values in the
// environment; "" runs nothing.
func (r *renewer) runRecordHooks(ctx context.Context, name, cmd string, records []api.Record) error {
	if cmd == "" {
		return nil
	}
	for _, rec := range records {
		env := map[string]string{"CERTWIZ_DOMAIN": rec.Domain, "CERTWIZ_RECORD_TYPE": rec.Type, "CERTWIZ_RECORD_ZONE": rec.Zone,
			"CERTWIZ_RECORD_HOST": rec.Host, "CERTWIZ_RECORD_NAME": strings.TrimSuffix(rec.Name, "."), "CERTWIZ_RECORD_VALUE": rec.Value,
			"CERTWIZ_FILE_PATH": rec.Path, "CERTWIZ_FILE_CONTENT": ""}
		if rec.Type == "FILE" {
			env["CERTWIZ_FILE_CONTENT"] = rec.Value
		}
		res, err := hook.Run(ctx, cmd, env, 0)
		if err != nil {
			msg := res.Describe(r.o.Language)
			if res.Output != nil {
				if tail := strings.TrimSpace(res.Output.Tail()); tail != "" {
					msg += ": " + tail
				}
			}
			if path := r.o.keepHookLog(name, "auth", &res); path != "" {
				msg += " (" + say(r.o.Language, "all it printed: ", "完整输出：") + path + ")"
			}
			return fmt.Errorf("for %s %s", rec.Domain, msg)
		}
	}
	return nil
}

// recordLines are records as a person or a log reads them.
func recordLines(records []api.Record) []string {
	var out []string
	for _, rec := range records {
		if rec.Type == "FILE" {
			out = append(out, fmt.Sprintf("FILE http://%s%s  content: %s", rec.Zone, rec.Path, rec.Value))
			continue
		}
		out = append(out, fmt.Sprintf("%s %s  (host %s in zone %s)  value: %s", rec.Type, strings.TrimSuffix(rec.Name, "."), rec.Host, rec.Zone, rec.Value))
	}
	return out
}

// plan says what renew would do for a due installation, sending only
// read requests.
func (r *renewer) plan(ctx context.Context, in profiles.Installation, res renewal) renewal {
	lang := r.o.Language
	res.Outcome = outWould
	var parts []string
	switch {
	case in.Renewing != nil:
		res.Outcome = outInProgress
		parts = append(parts, fmt.Sprintf(say(lang, "certificate %s, last step %q", "证书 %s，上一步 %q"), cmp.Or(in.Renewing.Certificate, "?"), string(in.Renewing.Step)))
	case in.Kind == profiles.KindFree:
		parts = append(parts, fmt.Sprintf(say(lang, "apply for a free certificate for %s (ApplyCertificate, renewing %s, validation %s)", "为 %s 申请免费证书（ApplyCertificate，续期 %s，验证方式 %s）"), in.Domains[0], in.Certificate, method(in)))
	default:
		order, err := r.renewalOrder(ctx, in)
		if err != nil {
			return failed(res, err, lang)
		}
		if order == "" {
			return r.buyFirst(in, res)
		}
		res.NewCertificate = order
		parts = append(parts, fmt.Sprintf(say(lang, "fill renewal order %s from profile %q with a new key, submit, commit (validation %s)", "用配置 %[2]q 和新私钥填写续费订单 %[1]s，提交并发送给 CA（验证方式 %[3]s）"), order, in.Profile, method(in)))
	}
	if m := method(in); m != api.MethodDNSAuto {
		hooks := cmp.Or(r.o.AuthHook, in.AuthHook)
		if hooks == "" {
			hooks = say(lang, "none: the records are printed and renew exits 6 without a terminal", "无：打印记录，无终端时 renew 以 6 退出")
		}
		parts = append(parts, say(lang, "auth hook: ", "认证钩子：")+hooks)
	}
	if in.Rollout {
		parts = append(parts, fmt.Sprintf(say(lang, "then replace %s on the Tencent Cloud resources that serve it (on failure: %s)", "然后在使用 %s 的云资源上替换它（失败时：%s）"),
			in.Certificate, cmp.Or(in.RolloutOnFailure, onFailureStop)))
	}
	if in.DeployHook != "" {
		parts = append(parts, say(lang, "deploy hook: ", "部署钩子：")+in.DeployHook)
	}
	if len(in.Verify) > 0 {
		parts = append(parts, say(lang, "check: ", "检查：")+strings.Join(in.Verify, ", "))
	}
	res.Message = strings.Join(parts, "; ")
	return res
}
