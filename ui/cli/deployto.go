package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/rollout"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/spf13/cobra"
)

// DeployOptions are the flags of `certwiz deploy` (a first deployment to
// Tencent Cloud resources; deploy.go is what install and renew share).
type DeployOptions struct {
	*Globals
	To     []string // TYPE:TARGET, each flag comma-separated
	Region string
	followFlags
	knobs rolloutKnobs
}

// NewDeployCmd returns `certwiz deploy ID --to TYPE:TARGET…` and
// `deploy --record ID`.
func NewDeployCmd(g *Globals) *cobra.Command { return newDeployCmd(g, rolloutKnobs{}) }

func newDeployCmd(g *Globals, knobs rolloutKnobs) *cobra.Command {
	o := &DeployOptions{Globals: g, knobs: knobs}
	cmd := &cobra.Command{
		Use:   "deploy ID --to TYPE:TARGET[,TYPE:TARGET…] | deploy --record ID",
		Short: "Put a certificate on Tencent Cloud resources that do not serve it yet (CLB listeners, CDN domains…)",
		Long: `Deploy certificate ID to Tencent Cloud resources for the first time
(DeployCertificateInstance); to replace a certificate where it is served
already, use certwiz rollout.

Each --to names targets as TYPE:TARGET, TARGET written as Tencent's
InstanceIdList takes it for that type (quote it: | is the shell's pipe):
  clb:LoadBalancerId|ListenerId         a listener without SNI (or layer 4)
  clb:LoadBalancerId|ListenerId|Domain  a domain of a listener with SNI
  cdn:Domain|on, cdn:Domain|off         on or off: the domain's HTTPS
                                        billing switch, your choice (on:
                                        HTTPS requests are billed beyond
                                        the free quota)
  live:Domain  vod:Domain  waf:Domain  teo:Domain
  ddos:InsId|Domain|VirtualPort         apigateway:ServiceId|Domain
  cos:Region|Bucket|Domain              tke:ClusterId|NameSpace|SecretName
  tse:GatewayId|CertificateId           tcb:Type|Region|EnvId|Domain
  mqtt:InstanceId|CertId                gaap:InstanceId|ListenerId
The regional types (clb, waf, apigateway, cos, tke, tse, tcb, mqtt) need
--region, the region their resources are in: one region a run.

First the plan: ID must be issued; where it is served is looked up fresh
(as certwiz bindings does), and a target that serves it already is skipped
(said, nothing sent for it: Tencent refuses such a target). A target naming
a domain ID does not cover is refused — exit 3, nothing sent that changes
anything (for targets without a domain Tencent checks). On a terminal certwiz
asks; without one --yes is required (exit 2, nothing sent). --dry-run prints
the plan and sends only read requests.

Then one DeployCertificateInstance per resource type, one after the other,
each record followed as certwiz rollout follows an update's: a bar per type
on a terminal, one line per change otherwise; a CLB listener busy with
another change retried by itself; other failures listed in words, then
--on-failure: retry (DeployCertificateRecordRetry, 2 rounds), rollback
(DeployCertificateRecordRollback: each target of that record gets back what
it served before, or nothing) or stop (both commands printed); on a
terminal without --on-failure certwiz asks, otherwise it stops. A type that
did not end deployed stops the run: the types after it are not started
(run the command again: what serves ID then is skipped). If Tencent answers
that a deployment of ID to that type is already running, certwiz follows
that record and exits 3: run the command again once it ended.

ctrl+c or --max-wait stop the watching, not the record: certwiz deploy
--record ID follows it again (the certificate and type come from the
history). Each deployment, retry and rollback, and how each record ended,
go to the history.

Exit codes: 0 every target deployed (or every one served it already) · 3
refused, or some failed (after what was chosen) · 6 still running at
--max-wait · 2 usage, or --yes missing without a terminal · 4 and 5
credentials and transport · 130 interrupted. The CAM actions it needs:
ssl:DescribeCertificateDetail, ssl:CreateCertificateBindResourceSyncTask,
ssl:DescribeCertificateBindResourceTaskDetail, ssl:DeployCertificateInstance,
ssl:DescribeHostDeployRecordDetail, ssl:DeployCertificateRecordRetry,
ssl:DeployCertificateRecordRollback; the account must have authorized the
SSL service role.`,
		Example: `  certwiz deploy longlive1 --to 'clb:lb-new00001|lbl-new00001,cdn:new.example.com|off' --region ap-guangzhou --dry-run --sandbox
  certwiz deploy abcb1234 --to 'clb:lb-xxx|lbl-yyy|www.example.com' --region ap-guangzhou --on-failure rollback --yes
  certwiz deploy --record 1234567`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.readRecord(cmd, o.Globals, "deploy"); err != nil {
				return err
			}
			return runDeploy(cmd.Context(), o, args)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.To, "to", nil, "deploy to `TYPE:TARGET[,TYPE:TARGET…]` (repeatable; see above for each type's TARGET)")
	f.Var(&onceString{p: &o.Region}, "region", "the `REGION` of the regional types' targets (clb, waf, apigateway, cos, tke, tse, tcb, mqtt), e.g. ap-guangzhou; one a run")
	o.bind(f, "deploy", "each record")
	f.BoolVar(&o.JSON, "json", false, "print exactly one JSON object: the plan, each record and the outcome, or the error")
	f.StringVar(&o.record, "record", "", "show and follow the deployment record `ID` again (no ID --to)")
	return cmd
}

// deployToJSON is `deploy --json` (deployJSON is an installation's).
type deployToJSON struct {
	CertificateId string            `json:",omitempty"`
	Plan          *deployToPlanJSON `json:",omitempty"`
	DryRun        bool              `json:",omitempty"`
	Records       []deployRecordRun `json:",omitempty"`
	// Error: why the deployment stopped (the error object), with the
	// records done before it.
	Error map[string]any `json:",omitempty"`
	// Outcome: deployed, failed, rolled-back, running, other-record,
	// interrupted, refused, planned (dry run), declined, nothing.
	Outcome string
}

type deployToPlanJSON struct {
	Targets  []rollout.DeployTarget
	Skipped  []rollout.DeployTarget // they serve the certificate already
	Refusals []refusalJSON
}

// deployRecordRun is one record of a deployment: its type, as it ended.
type deployRecordRun struct {
	Type      string
	RecordId  uint64
	Resources []api.UpdatedResource `json:",omitempty"`
	Rollback  *rollbackJSON         `json:",omitempty"`
	Outcome   string
}

// usage checks the flags and arguments and reads the targets; msg is ""
// when they are fine.
func (o *DeployOptions) usage(args []string) (targets []api.DeployTarget, msg string) {
	lang := o.Language
	switch {
	case o.Record != 0 && (len(args) > 0 || len(o.To) > 0):
		return nil, say(lang, "give either ID --to … or --record ID, not both", "请给出 ID --to … 或 --record ID，不要同时给出")
	case o.Record != 0 && (o.Region != "" || o.DryRun):
		return nil, say(lang, "--region and --dry-run plan a deployment of ID --to …; --record follows a record that runs already (add --on-failure to act on it)",
			"--region 和 --dry-run 用于规划 ID --to … 的部署；--record 跟进已在运行的记录（加 --on-failure 可对其操作）")
	case o.Record == 0 && len(args) != 1:
		return nil, say(lang, "give the certificate to deploy and where: certwiz deploy ID --to TYPE:TARGET (or --record ID)",
			"请给出要部署的证书及目标：certwiz deploy ID --to TYPE:TARGET（或 --record ID）")
	case o.Record == 0 && len(o.To) == 0:
		return nil, say(lang, "--to: name where to deploy, e.g. --to 'clb:lb-xxx|lbl-yyy' --region ap-guangzhou, or --to 'cdn:www.example.com|off'",
			"--to：请给出部署目标，如 --to 'clb:lb-xxx|lbl-yyy' --region ap-guangzhou，或 --to 'cdn:www.example.com|off'")
	}
	if msg := followUsage(lang, o.MaxWait, o.OnFailure); msg != "" {
		return nil, msg
	}
	if o.Region != "" && badRegion(o.Region) {
		return nil, fmt.Sprintf(say(lang, "--region: %q is not a region name such as ap-guangzhou", "--region：%q 不是 ap-guangzhou 这样的地域名"), safe.Text(o.Region))
	}
	for _, id := range args {
		if msg := badID(strings.TrimSpace(id), lang); msg != "" {
			return nil, msg
		}
	}
	var seen []string
	for _, flag := range o.To {
		for _, spec := range strings.Split(flag, ",") {
			if spec = strings.TrimSpace(spec); spec == "" {
				continue // a trailing comma
			}
			typ, entry, ok := strings.Cut(spec, ":")
			typ = strings.ToLower(strings.TrimSpace(typ))
			if !ok || typ == "" || entry == "" {
				return nil, fmt.Sprintf(say(lang, "--to %q: write TYPE:TARGET, e.g. 'clb:lb-xxx|lbl-yyy' or 'cdn:www.example.com|off'",
					"--to %q：请写成 TYPE:TARGET，如 'clb:lb-xxx|lbl-yyy' 或 'cdn:www.example.com|off'"), safe.Text(spec))
			}
			t, ps := api.ParseDeployTarget(typ, entry, o.Region)
			switch {
			case len(ps) > 0:
				return nil, "--to: " + ps[0].Message(lang)
			case api.DeployRegional(typ) && o.Region == "":
				return nil, fmt.Sprintf(say(lang, "--to %s: %s targets need --region, the region their resources are in (e.g. ap-guangzhou)",
					"--to %s：%s 目标必须用 --region 指定资源所在地域（如 ap-guangzhou）"), safe.Text(spec), typ)
			case slices.Contains(seen, targetKey(typ, entry)):
				return nil, fmt.Sprintf(say(lang, "--to %s is named twice (a CDN domain takes one billing switch, |on or |off)", "--to %s 重复给出（一个 CDN 域名只能有一个计费开关：|on 或 |off）"), safe.Text(spec))
			}
			seen = append(seen, targetKey(typ, entry))
			targets = append(targets, t)
		}
	}
	return targets, ""
}

// targetKey is what makes two targets the same: a CDN domain is one
// target whatever its billing switch says.
func targetKey(typ, entry string) string {
	if typ == "cdn" {
		entry, _, _ = strings.Cut(entry, "|")
	}
	return typ + ":" + strings.ToLower(entry)
}

func runDeploy(ctx context.Context, o *DeployOptions, args []string) error {
	targets, msg := o.usage(args)
	client, stop, err := o.dialFor(o.Globals, "deploy", msg, api.Text{
		EN: "--yes required when not running interactively: a deployment changes what live Tencent Cloud resources serve, so certwiz asks on a terminal first; nothing was sent",
		ZH: "非交互运行时必须加 --yes：部署会改变线上云资源使用的证书，certwiz 只在终端上先询问确认；未发送任何请求"})
	if err != nil {
		return err
	}
	defer stop()
	d := &deployRun{o: o, client: client, rec: o.newRecorder(), runner: o.knobs.runner(client, o.MaxWait),
		ro: &RolloutOptions{Globals: o.Globals, followFlags: o.followFlags, knobs: o.knobs}}
	if o.Record != 0 {
		return d.rec.finish(d.again(ctx))
	}
	return d.rec.finish(d.start(ctx, strings.TrimSpace(args[0]), targets))
}

// deployRun is one deployment: the plan, then a rolloutRun per record.
type deployRun struct {
	o      *DeployOptions
	ro     *RolloutOptions // what each record's rolloutRun reads
	client *api.Client
	runner *rollout.Runner
	rec    *recorder
	out    deployToJSON
}

func (d *deployRun) say(en, zh string) string { return say(d.o.Language, en, zh) }

// end prints the JSON (with --json, unless a record's run printed an
// error already) and returns the exit.
func (d *deployRun) end(outcome string, err error) error {
	d.out.Outcome = outcome
	if d.o.JSON {
		if werr := writeJSON(d.o.IO.Out, d.out); werr != nil {
			return werr
		}
	}
	return err
}

// run is a rolloutRun following records of type typ.
func (d *deployRun) run(typ string) *rolloutRun {
	d.runner.Kind = rollout.Kind{Deploy: true, Type: typ}
	d.runner.Deadline = time.Now().Add(d.o.MaxWait)
	return &rolloutRun{o: d.ro, client: d.client, runner: d.runner, rec: d.rec, planOut: d.o.IO.Out, nested: true}
}

// follow follows a record with run and keeps how it ended.
func (d *deployRun) follow(ctx context.Context, run *rolloutRun, id uint64, from, to string) error {
	err := run.follow(ctx, id, from, to)
	outcome := cmp.Or(run.out.Outcome, "interrupted")
	if run.errored {
		outcome = "error"
	}
	d.out.Records = append(d.out.Records, deployRecordRun{Type: run.runner.Kind.Type, RecordId: id, Resources: run.out.Resources,
		Rollback: run.out.Rollback, Outcome: outcome})
	return err
}

func (d *deployRun) start(ctx context.Context, id string, targets []api.DeployTarget) error {
	o := d.o
	d.out.CertificateId = id
	fmt.Fprintf(o.IO.Err, d.say("Reading %s and looking up the resources that serve it ← %s\n", "正在读取 %s 并查询使用它的云资源 ← %s\n"), id, d.client.Endpoint())
	p, err := rollout.MakeDeployPlan(ctx, d.client, id, targets, o.knobs.interval, time.Now().Add(lookupWait))
	if err != nil {
		return planFailed(o.Globals, o.JSON, err, id)
	}
	d.out.Plan = &deployToPlanJSON{Targets: append([]rollout.DeployTarget{}, p.Targets...), Skipped: append([]rollout.DeployTarget{}, p.Held...),
		Refusals: refusalsJSON(p.Refusals, o.Language)}
	d.showPlan(p)
	if refused(o.Globals, p.Refusals) {
		return d.end("refused", shown(api.ExitRejected))
	}
	if len(p.Targets) == 0 {
		fmt.Fprintf(o.IO.Err, d.say("Nothing to deploy: every target serves %s already. Nothing was changed.\n", "无需部署：所有目标已在使用 %s。未做任何更改。\n"), id)
		return d.end("nothing", nil)
	}
	reqs := p.Requests()
	fmt.Fprintf(o.IO.Err, d.say("A target that serves another certificate now will serve %s instead: to replace one certificate by another wherever it is served, use certwiz rollout OLD NEW.\n",
		"当前使用其他证书的目标将改用 %s：如需在所有使用处用一张证书替换另一张，请用 certwiz rollout OLD NEW。\n"), id)
	if o.DryRun {
		fmt.Fprintf(o.IO.Err, d.say("Dry run: nothing was changed. Without --dry-run certwiz asks Tencent to deploy %s to these %d target(s), one task per type (%s).\n",
			"演练：未做任何更改。去掉 --dry-run 后，certwiz 会请腾讯云将 %s 部署到这 %d 个目标，每种类型一个任务（%s）。\n"), id, len(p.Targets), typesOf(reqs))
		d.out.DryRun = true
		return d.end("planned", nil)
	}
	if !o.Yes {
		yes, err := confirmChange(ctx, o.Globals, fmt.Sprintf(d.say("Live traffic on these %d target(s) will be served by %s. Deploy %s to them? [y/N] ",
			"这 %[1]d 个目标的线上流量将改由 %[2]s 提供。将 %[2]s 部署到这些目标？[y/N] "), len(p.Targets), id, id),
			api.Text{EN: "Not deployed: nothing was changed.", ZH: "未部署：未做任何更改。"})
		if err != nil {
			return err
		}
		if !yes {
			return d.end("declined", nil)
		}
	}
	for i, req := range reqs {
		run := d.run(req.ResourceType)
		record := profiles.Record{Action: api.ActionDeploy, CertificateId: id, ResourceType: req.ResourceType, Endpoint: d.client.Endpoint().String()}
		st, err := run.begin(record, id, func() (api.UpdateStart, error) { return d.runner.StartDeploy(ctx, req) })
		if err != nil {
			return d.stopBefore(run, reqs[i+1:], "not-started", err)
		}
		if st.Created {
			fmt.Fprintf(o.IO.Err, d.say("Tencent is deploying %s to %d %s target(s): record %d. ctrl+c stops the watching, not the record.\n",
				"腾讯云正在将 %s 部署到 %d 个 %s 目标：记录 %d。ctrl+c 只停止查看，不会停止该记录。\n"), id, len(req.InstanceIdList), req.ResourceType, st.RecordID)
			if err := d.follow(ctx, run, st.RecordID, "", id); err != nil {
				return d.stopBefore(run, reqs[i+1:], "", err)
			}
			continue
		}
		// One task per certificate and type: another deployment of it runs.
		fmt.Fprintf(o.IO.Err, d.say("A deployment of %s to %s resources was already running at Tencent (record %d): certwiz follows it. Its targets may not be these.\n",
			"腾讯云上已有将 %s 部署到 %s 资源的任务在进行（记录 %d）：certwiz 跟进该记录。其目标可能与本次不同。\n"), id, req.ResourceType, st.RecordID)
		if err := d.follow(ctx, run, st.RecordID, "", id); err != nil {
			return d.stopBefore(run, reqs[i+1:], "", err)
		}
		fmt.Fprintf(o.IO.Err, d.say("Record %d was not this run's: run the same command again to deploy to the targets it did not include (those that serve %s then are skipped).\n",
			"记录 %d 并非本次发起：请再次运行同一命令，以部署到它未包含的目标（届时已使用 %s 的目标会被跳过）。\n"), st.RecordID, id)
		return d.stopBefore(run, reqs[i+1:], "other-record", shown(api.ExitRejected))
	}
	var ids []string
	for _, r := range d.out.Records {
		ids = append(ids, strconv.FormatUint(r.RecordId, 10))
	}
	if len(ids) > 1 || len(p.Held) > 0 { // one record's own line said it all otherwise
		fmt.Fprintf(o.IO.Err, d.say("Deployed: %s serves the %d target(s) (record %s); %d skipped that served it already.\n",
			"已部署：%s 已在 %d 个目标上生效（记录 %s）；跳过 %d 个已在使用它的目标。\n"), id, len(p.Targets), strings.Join(ids, ", "), len(p.Held))
	}
	return d.end("deployed", nil)
}

// stopBefore ends a deployment whose type (of run) did not end deployed:
// the types of rest are not started. outcome is the deployment's ("": the
// last record's), err its exit.
func (d *deployRun) stopBefore(run *rolloutRun, rest []api.DeployRequest, outcome string, err error) error {
	if len(rest) > 0 {
		fmt.Fprintf(d.o.IO.Err, d.say("Not started: the %s target(s), since the deployment before them did not end deployed. Run the same command again once it is settled: the targets that serve the certificate then are skipped.\n",
			"未开始：%s 目标，因为之前的部署未成功结束。待其结束后请再次运行同一命令：届时已使用该证书的目标会被跳过。\n"), typesOf(rest))
	}
	if run.errObj != nil {
		d.out.Error, outcome = run.errObj, cmp.Or(outcome, "error")
	}
	if n := len(d.out.Records); outcome == "" && n > 0 {
		outcome = d.out.Records[n-1].Outcome
	}
	return d.end(outcome, err)
}

func typesOf(reqs []api.DeployRequest) string {
	var types []string
	for _, r := range reqs {
		types = append(types, r.ResourceType)
	}
	return strings.Join(types, ", ")
}

// again is `deploy --record ID`: the certificate and type from the
// history when it holds the record (a deployment's, or its rollback's),
// else the certificate from the record (its type then unknown).
func (d *deployRun) again(ctx context.Context) error {
	o := d.o
	cert, typ, undo := "", "", false
	if recs, err := d.rec.read(); err == nil {
		for _, h := range recs {
			if h.DeployRecord == o.Record && (h.Action == api.ActionDeploy || h.Action == api.ActionDeployRollback || h.Action == profiles.ActionDeploy) {
				cert, typ, undo = h.CertificateId, h.ResourceType, h.RollbackOf != 0
			}
			if h.DeployRecord == o.Record && (h.Action == api.ActionUpdate || h.Action == api.ActionUpdateRollback) && cert == "" {
				return usageFail(o.Globals, o.JSON, "deploy", fmt.Sprintf(d.say("record %d is a rollout's (the history says so): follow it with %s",
					"记录 %d 是替换记录（历史记录如此记载）：请用 %s 跟进"), o.Record, commandLine(o.Globals, "rollout", "--record", strconv.FormatUint(o.Record, 10))))
			}
		}
	}
	d.out.CertificateId = cert
	fmt.Fprintf(o.IO.Err, d.say("Reading deployment record %d ← %s\n", "正在读取部署记录 %d ← %s\n"), o.Record, d.client.Endpoint())
	run := d.run(typ)
	from, to := "", cert
	if undo {
		// A rollback's record: it takes cert off (each resource gets back its own).
		d.runner.Kind.Undo, from, to = true, cert, ""
	}
	err := d.follow(ctx, run, o.Record, from, to)
	if d.out.CertificateId == "" {
		d.out.CertificateId = cmp.Or(run.out.New, run.out.Old)
	}
	outcome := d.out.Records[0].Outcome
	if run.errObj != nil {
		d.out.Error, outcome = run.errObj, "error"
	}
	return d.end(outcome, err)
}

// showPlan prints each target skipped (stderr, with --json too) and the
// targets to deploy to, with whether the certificate covers the name each
// names (stdout, not with --json: a table on a terminal, tab-separated
// lines otherwise).
func (d *deployRun) showPlan(p rollout.DeployPlan) {
	o := d.o
	for _, t := range p.Held {
		fmt.Fprintf(o.IO.Err, d.say("Skipped: %s %s serves %s already (nothing is sent for it).\n", "已跳过：%s %s 已在使用 %s（不会为其发送请求）。\n"),
			t.Type, safe.Text(t.Entry), p.Cert.CertificateId)
	}
	rows := [][]string{{d.say("TYPE", "类型"), d.say("REGION", "地域"), d.say("TARGET", "目标"), d.say("COVERED", "已覆盖")}}
	out, term := o.IO.Out, o.IO.termOut()
	asking := !o.Yes && !o.DryRun && o.IO.termIn() && o.IO.termErr()
	if o.JSON || asking && !term {
		if !asking {
			return // the plan is in the JSON
		}
		// The question on the terminal must name what it is about.
		defer d.planTable(o.IO.Err, rows, p, true)
		if o.JSON {
			return
		}
	}
	d.planTable(out, rows, p, term)
}

// planTable writes the targets under the header rows: a table on a
// terminal, tab-separated lines otherwise.
func (d *deployRun) planTable(out io.Writer, rows [][]string, p rollout.DeployPlan, term bool) {
	o := d.o
	for _, t := range p.Targets {
		covers := d.say("yes", "是")
		switch {
		case len(t.Uncovered) > 0:
			covers = d.say("no: ", "否：") + safe.Text(strings.Join(t.Uncovered, ","))
		case t.Domain() == "":
			covers = d.say("Tencent checks", "由腾讯云检查")
		}
		region := t.Region
		if region == "" && term {
			region = "-"
		}
		rows = append(rows, []string{t.Type, region, safe.Text(t.Entry), covers})
	}
	if len(p.Targets) > 0 {
		if term {
			writeFitted(out, rows, o.IO.width(), 3)
		} else {
			writeTabbed(out, rows)
		}
	}
}
