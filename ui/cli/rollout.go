package cli

import (
	"cmp"
	"context"
	"errors"
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
	"github.com/spf13/pflag"
)

// RolloutOptions are the flags of `certwiz rollout`.
type RolloutOptions struct {
	*Globals
	Types   []string
	Regions []string
	// SilenceOld turns OLD's expiry notices off once nothing uses it.
	SilenceOld bool
	followFlags
	knobs rolloutKnobs
}

// followFlags are the flags of the commands that start and follow records
// (rollout, deploy).
type followFlags struct {
	Yes       bool
	DryRun    bool
	JSON      bool
	OnFailure string // stop, retry, rollback; "" = ask on a terminal, else stop
	MaxWait   time.Duration
	Record    uint64
	record    string // --record as typed
}

// bind defines the flags; verb says what the command does ("replace").
func (f *followFlags) bind(fs *pflag.FlagSet, verb, each string) {
	fs.BoolVar(&f.Yes, "yes", false, verb+" without asking (required without a terminal)")
	fs.BoolVar(&f.DryRun, "dry-run", false, "print the plan; send only read requests")
	fs.Var(&onceString{p: &f.OnFailure}, "on-failure", "when resources fail: `stop|retry|rollback` (default: ask on a terminal, else stop)")
	fs.DurationVar(&f.MaxWait, "max-wait", 15*time.Minute, "follow "+each+" at most `DURATION` (exit 6 after it; the record goes on)")
}

// dialFor refuses a usage problem (usage, "" when none) and a run that
// would change live resources without --yes and without a terminal to ask
// on (noYes says so) — exit 2, nothing sent — then dials. Following a
// record again changes nothing; retrying or rolling it back does.
func (f *followFlags) dialFor(g *Globals, command, usage string, noYes api.Text) (*api.Client, func(), error) {
	if usage != "" {
		return nil, nil, usageFail(g, f.JSON, command, usage)
	}
	changes := !f.DryRun && (f.Record == 0 || f.OnFailure == onFailureRetry || f.OnFailure == onFailureRollback)
	if changes && !f.Yes && !(g.IO.termIn() && g.IO.termErr()) {
		return nil, nil, usageFail(g, f.JSON, command, noYes.In(g.Language))
	}
	client, _, stop, err := g.dial(f.JSON)
	return client, stop, err
}

// runner is a Runner following records at most maxWait.
func (k rolloutKnobs) runner(c *api.Client, maxWait time.Duration) *rollout.Runner {
	return &rollout.Runner{Client: c, Interval: k.interval, Pause: k.pause, Deadline: time.Now().Add(maxWait)}
}

// readRecord reads --record when it was given (a usage error otherwise
// shown for command).
func (f *followFlags) readRecord(cmd *cobra.Command, g *Globals, command string) error {
	if !cmd.Flags().Changed("record") {
		return nil
	}
	id, err := strconv.ParseUint(strings.TrimSpace(f.record), 10, 64)
	if err != nil || id == 0 {
		return usageFail(g, f.JSON, command, fmt.Sprintf(say(g.Language,
			"--record %q: give the record's ID, digits (certwiz printed it, and the history holds it)",
			"--record %q：请填写记录 ID（数字；certwiz 曾打印过它，历史记录中也有）"), safe.Text(f.record)))
	}
	f.Record = id
	return nil
}

// rolloutKnobs are for tests only (never flags).
type rolloutKnobs struct {
	interval time.Duration // between reads of a task or record
	pause    time.Duration // between updates answering 0, first busy back-off
}

// The failure rules of --on-failure.
const (
	onFailureStop     = "stop"
	onFailureRetry    = "retry"
	onFailureRollback = "rollback"
)

// NewRolloutCmd returns `certwiz rollout OLD NEW` and `rollout --record ID`.
func NewRolloutCmd(g *Globals) *cobra.Command { return newRolloutCmd(g, rolloutKnobs{}) }

func newRolloutCmd(g *Globals, knobs rolloutKnobs) *cobra.Command {
	o := &RolloutOptions{Globals: g, knobs: knobs}
	cmd := &cobra.Command{
		Use:   "rollout OLD NEW | rollout --record ID",
		Short: "Replace a certificate by another on the Tencent Cloud resources that serve it (CLB, CDN…)",
		Long: `Put NEW where OLD is served on Tencent Cloud: every CLB listener, CDN domain,
WAF, Live, EdgeOne… resource bound to OLD, as a careful operator would.

First the plan: OLD's resources (looked up fresh, as certwiz bindings does),
and for each whether NEW covers every name it serves (wildcards for exactly
one label, RFC 6125). certwiz refuses — exit 3, nothing sent that changes
anything — when NEW is not issued, does not cover a bound name, expires
before OLD, Tencent could not look up some resources, or a --types or
--regions value matches no bound resource (under --regions a resource
without a region, a CDN domain, is left out unless --types names its
type). On a terminal it
asks, naming the resources; without one --yes is required (exit 2, nothing
sent). --dry-run prints the plan and sends only read requests.

Then UpdateCertificateInstance with the plan's types and regions (called
again while Tencent answers that the task is still being created), and the
update's record read every 2 seconds until no resource is pending or
running: a bar per resource type on a terminal, one line per change
otherwise. A CLB listener busy with another change ("resource in
operating") is retried by itself, one at a time, with a growing pause (3
rounds). Other failures are listed in words; then --on-failure decides:
retry (UpdateCertificateRecordRetry, 2 rounds), rollback
(UpdateCertificateRecordRollback: OLD back on the resources NEW replaced,
followed to the end) or stop (both commands printed). On a terminal
without --on-failure certwiz asks [r/b/S]; otherwise it stops.

ctrl+c or --max-wait stop the watching, not the record: it goes on at
Tencent, and certwiz rollout --record ID shows and follows it again (the
certificates come from the history, or from the record). The update, each
retry or rollback, and how it ended (every resource) go to the history.
OLD is never deleted.

Exit codes: 0 every resource replaced (or nothing to replace, or declined)
· 3 refused, or some failed (after what was chosen) · 6 still running at
--max-wait · 2 usage, or --yes missing without a terminal · 4 credentials
or permission (the SSL service role not authorized too) · 5 transport ·
130 interrupted. The CAM actions it needs:
ssl:DescribeCertificateDetail, ssl:CreateCertificateBindResourceSyncTask,
ssl:DescribeCertificateBindResourceTaskDetail, ssl:UpdateCertificateInstance,
ssl:DescribeHostUpdateRecordDetail, ssl:UpdateCertificateRecordRetry,
ssl:UpdateCertificateRecordRollback (and, for --silence-old,
ssl:ModifyCertificatesExpiringNotificationSwitch); the account must have
authorized the SSL service role.`,
		Example: `  certwiz --sandbox rollout expfree1 longlive1 --dry-run
  certwiz rollout abcb1234 efgh5678 --types clb,cdn --on-failure rollback --yes
  certwiz rollout --record 1234567`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.readRecord(cmd, o.Globals, "rollout"); err != nil {
				return err
			}
			return runRollout(cmd.Context(), o, args)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.Types, "types", nil, "replace only on these resource `TYPES` (clb,cdn,waf,live,teo…); default every type bound")
	f.StringSliceVar(&o.Regions, "regions", nil, "replace only in these `REGIONS` (of regional types such as clb); default every region bound")
	f.BoolVar(&o.SilenceOld, "silence-old", false, "once every resource is replaced and nothing uses OLD, turn its expiry notices off (it is never deleted)")
	o.bind(f, "replace", "the record")
	f.BoolVar(&o.JSON, "json", false, "print exactly one JSON object: the plan, the record and the outcome, or the error")
	f.StringVar(&o.record, "record", "", "show and follow the update record `ID` again (no OLD NEW)")
	return cmd
}

// lookupWait bounds the lookup of OLD's resources (as bindings' default).
const lookupWait = 2 * time.Minute

// rolloutJSON is `rollout --json`.
type rolloutJSON struct {
	Old, New string
	Plan     *planJSON `json:",omitempty"`
	DryRun   bool      `json:",omitempty"`
	RecordId uint64    `json:",omitempty"`
	// Resources: the record's, as it ended (or was last read).
	Resources []api.UpdatedResource `json:",omitempty"`
	Rollback  *rollbackJSON         `json:",omitempty"`
	// NoticesOff: --silence-old turned OLD's expiry notices off.
	NoticesOff bool `json:",omitempty"`
	// Outcome: replaced, failed, rolled-back, running, interrupted,
	// refused, planned (dry run), declined, nothing.
	Outcome string
}

type planJSON struct {
	Resources []rollout.Target
	Skipped   []api.BoundResource
	Refusals  []refusalJSON
}

type refusalJSON struct{ Code, Message string }

type rollbackJSON struct {
	RecordId  uint64
	Resources []api.UpdatedResource
}

// usage checks the flags and arguments; "" when they are fine.
func (o *RolloutOptions) usage(args []string) string {
	lang := o.Language
	switch {
	case o.Record != 0 && len(args) > 0:
		return say(lang, "give either OLD NEW or --record ID, not both", "请给出 OLD NEW 或 --record ID，不要同时给出")
	case o.Record == 0 && len(args) != 2:
		return say(lang, "give the certificate to replace and the one to put in its place: certwiz rollout OLD NEW (or --record ID)",
			"请给出要替换的证书和替换后的证书：certwiz rollout OLD NEW（或 --record ID）")
	}
	if msg := followUsage(lang, o.MaxWait, o.OnFailure); msg != "" {
		return msg
	}
	if o.Record != 0 && (o.DryRun || len(o.Types) > 0 || len(o.Regions) > 0 || o.SilenceOld) {
		return say(lang, "--dry-run, --types, --regions and --silence-old plan a rollout of OLD NEW; --record follows a record that runs already (add --on-failure to act on it)",
			"--dry-run、--types、--regions 和 --silence-old 用于规划 OLD NEW 的替换；--record 跟进已在运行的记录（加 --on-failure 可对其操作）")
	}
	// "cdn, clb" and CLB mean what they say.
	o.Types, o.Regions = cleanList(o.Types), cleanList(o.Regions)
	for _, t := range o.Types {
		if !slices.Contains(api.HostingTypes, t) {
			return fmt.Sprintf(say(lang, "--types: %q is not a resource type; use %s", "--types：%q 不是资源类型；请使用 %s"), safe.Text(t), strings.Join(api.HostingTypes, ","))
		}
	}
	for _, r := range o.Regions {
		if badRegion(r) {
			return fmt.Sprintf(say(lang, "--regions: %q is not a region name such as ap-guangzhou", "--regions：%q 不是 ap-guangzhou 这样的地域名"), safe.Text(r))
		}
	}
	for _, id := range args {
		if msg := badID(strings.TrimSpace(id), lang); msg != "" {
			return msg
		}
	}
	if len(args) == 2 && strings.TrimSpace(args[0]) == strings.TrimSpace(args[1]) {
		return say(lang, "OLD and NEW are the same certificate: name the one that replaces it", "OLD 与 NEW 是同一张证书：请给出用于替换的新证书")
	}
	return ""
}

// followUsage checks the flags rollout and deploy share: --max-wait and
// --on-failure; "" when they are fine.
func followUsage(lang string, maxWait time.Duration, onFailure string) string {
	if maxWait <= 0 {
		return fmt.Sprintf(say(lang, "--max-wait %s: give a positive duration, e.g. 15m", "--max-wait %s：请填写正的时长，如 15m"), maxWait)
	}
	if onFailure != "" && !slices.Contains([]string{onFailureStop, onFailureRetry, onFailureRollback}, onFailure) {
		return fmt.Sprintf(say(lang, "--on-failure %q: use stop, retry or rollback", "--on-failure %q：请使用 stop、retry 或 rollback"), safe.Text(onFailure))
	}
	return ""
}

// cleanList is a list flag's values trimmed and in lower case, the empty
// ones left out.
func cleanList(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.ToLower(strings.TrimSpace(v)); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// badRegion reports a string that is not a region name such as
// ap-guangzhou or na-siliconvalley: lower-case words joined by '-', the
// first letters only.
func badRegion(r string) bool {
	parts := strings.Split(r, "-")
	if len(parts) < 2 || parts[0] == "" || strings.ContainsFunc(parts[0], func(c rune) bool { return c < 'a' || c > 'z' }) {
		return true
	}
	for _, p := range parts[1:] {
		if p == "" || strings.ContainsFunc(p, func(c rune) bool { return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') }) {
			return true
		}
	}
	return false
}

// onceString is a string flag that may be given once: a second value is
// a usage error, not a silent override.
type onceString struct {
	p   *string
	set bool
}

func (o *onceString) String() string {
	if o.p == nil {
		return ""
	}
	return *o.p
}

func (o *onceString) Set(v string) error {
	if o.set {
		return fmt.Errorf("given twice: give it once")
	}
	*o.p, o.set = v, true
	return nil
}

func (o *onceString) Type() string { return "string" }

func runRollout(ctx context.Context, o *RolloutOptions, args []string) error {
	client, stop, err := o.dialFor(o.Globals, "rollout", o.usage(args), api.Text{
		EN: "--yes required when not running interactively: a rollout changes what live Tencent Cloud resources serve, so certwiz asks on a terminal first; nothing was sent",
		ZH: "非交互运行时必须加 --yes：替换会改变线上云资源使用的证书，certwiz 只在终端上先询问确认；未发送任何请求"})
	if err != nil {
		return err
	}
	defer stop()
	run := &rolloutRun{o: o, client: client, rec: o.newRecorder(), planOut: o.IO.Out, runner: o.knobs.runner(client, o.MaxWait)}
	if o.Record != 0 {
		return run.rec.finish(run.again(ctx))
	}
	return run.rec.finish(run.start(ctx, strings.TrimSpace(args[0]), strings.TrimSpace(args[1])))
}

// rolloutRun is one rollout: what it sends, shows and records. It also
// follows a first deployment's record (deploy: the runner's Kind says
// which), with that command's words, history actions and commands.
type rolloutRun struct {
	o      *RolloutOptions
	client *api.Client
	runner *rollout.Runner
	rec    *recorder
	out    rolloutJSON
	shown  *rolloutShow
	// planOut is where the plan goes: stdout, or stderr when the caller
	// (renew) owns stdout.
	planOut io.Writer
	// nested: the caller prints the JSON (deploy, one run per record);
	// errored: an error was printed (as JSON with --json), so the caller
	// prints no more.
	nested, errored bool
	errObj          map[string]any // nested with --json: the error, for the caller's JSON
	// renewal: renew runs it after a renewal (more than reading was done
	// before it).
	renewal bool
	// later: a command that follows a record was printed (the built-in
	// sandbox forgets its records: said once at the end).
	later bool
}

func (r *rolloutRun) say(en, zh string) string { return say(r.o.Language, en, zh) }

// deploying reports a run following a first deployment's records.
func (r *rolloutRun) deploying() bool { return r.runner.Kind.Deploy }

// command is the command that follows a record again.
func (r *rolloutRun) command() string {
	if r.deploying() {
		return "deploy"
	}
	return "rollout"
}

// succeeded is what a resource that succeeded became ("replaced", "deployed").
func (r *rolloutRun) succeeded() string {
	return r.runner.Kind.Word(api.UpdateSuccess).In(r.o.Language)
}

// recordCommand is the command that follows record id again, with args.
func (r *rolloutRun) recordCommand(id uint64, args ...string) string {
	r.later = true
	return commandLine(r.o.Globals, append([]string{r.command(), "--record", strconv.FormatUint(id, 10)}, args...)...)
}

// sandboxForgets says, once, that the built-in sandbox's records end with
// this run: a command printed to follow one later cannot find it.
func (r *rolloutRun) sandboxForgets() {
	if r.later && r.o.Sandbox {
		fmt.Fprintln(r.o.IO.Err, r.say("(The built-in --sandbox forgets its records when certwiz ends: to follow one later, serve `certwiz sandbox` in another terminal and pass its --endpoint.)",
			"（内置 --sandbox 在 certwiz 结束时会忘记其记录：如需稍后跟进，请在另一个终端运行 certwiz sandbox 并使用其 --endpoint。）"))
	}
}

// fail prints an error as failOut does and marks the run errored.
func (r *rolloutRun) fail(err error, extra string) error {
	r.errored = true
	var e *api.Error
	if r.nested && r.o.JSON && errors.As(err, &e) {
		// The caller's one JSON object carries it, with what was done before.
		r.errObj = errorJSON(e, r.o.Language, extra, nil)
		return shown(e.ExitCode())
	}
	return failOut(r.o.Globals, r.o.JSON, err, nil, extra)
}

// end prints the JSON (with --json) and returns the exit.
func (r *rolloutRun) end(outcome string, code int) error {
	r.out.Outcome, r.out.DryRun = outcome, r.o.DryRun
	if p := r.out.Plan; p != nil {
		p.Resources, p.Skipped = orEmpty(p.Resources), orEmpty(p.Skipped)
	}
	r.sandboxForgets()
	if r.o.JSON && !r.nested {
		if err := writeJSON(r.o.IO.Out, r.out); err != nil {
			return err
		}
	}
	if code == 0 {
		return nil
	}
	return shown(code)
}

func (r *rolloutRun) start(ctx context.Context, oldID, newID string) error {
	o := r.o
	r.out.Old, r.out.New = oldID, newID
	fmt.Fprintf(o.IO.Err, r.say("Reading %s and %s, and looking up the resources that serve %s ← %s\n", "正在读取 %s 和 %s，并查询使用 %s 的云资源 ← %s\n"),
		oldID, newID, oldID, r.client.Endpoint())
	p, err := rollout.MakePlan(ctx, r.client, oldID, newID, rollout.Filter{Types: o.Types, Regions: o.Regions}, o.knobs.interval, time.Now().Add(lookupWait))
	if err != nil && r.renewal && interrupted(err) {
		fmt.Fprintln(o.IO.Err, r.say("Interrupted before the rollout: no Tencent Cloud resource was changed.", "在替换前被中断：没有更改任何云资源。"))
		return shown(api.ExitInterrupted)
	}
	if err != nil {
		return planFailed(o.Globals, o.JSON, err, oldID)
	}
	r.out.Plan = &planJSON{Resources: p.Targets, Skipped: p.Skipped, Refusals: refusalsJSON(p.Refusals, o.Language)}
	r.showPlan(p)
	if refused(o.Globals, p.Refusals) {
		return r.end("refused", api.ExitRejected)
	}
	if len(p.Targets) == 0 {
		fmt.Fprintf(o.IO.Err, r.say("No resource to replace: nothing serves %s here. Nothing was changed.\n", "没有需要替换的资源：没有云资源在此使用 %s。未做任何更改。\n"), oldID)
		return r.end("nothing", 0)
	}
	if o.DryRun {
		fmt.Fprintf(o.IO.Err, r.say("Dry run: nothing was changed. Without --dry-run certwiz asks Tencent to put %s on these %d resource(s) in place of %s.\n",
			"演练：未做任何更改。去掉 --dry-run 后，certwiz 会请腾讯云在这 %[2]d 个资源上用 %[1]s 替换 %[3]s。\n"), newID, len(p.Targets), oldID)
		if o.SilenceOld {
			fmt.Fprintf(o.IO.Err, r.say("Then, once nothing uses %s, its expiry notices would be turned off.\n", "之后，一旦 %s 不再被使用，将关闭其到期提醒。\n"), oldID)
		}
		r.out.DryRun = true
		return r.end("planned", 0)
	}
	if !o.Yes {
		yes, err := confirmChange(ctx, o.Globals, fmt.Sprintf(r.say("Live traffic on these %d resource(s) will be served by %s. Replace %s by %s on them? [y/N] ",
			"这 %[1]d 个资源的线上流量将改由 %[2]s 提供。在这些资源上用 %[2]s 替换 %[3]s？[y/N] "), len(p.Targets), newID, oldID, newID),
			api.Text{EN: "Not replaced: nothing was changed.", ZH: "未替换：未做任何更改。"})
		if err != nil {
			return err
		}
		if !yes {
			return r.end("declined", 0)
		}
	}
	req := p.Request()
	record := profiles.Record{Action: api.ActionUpdate, CertificateId: newID, Replaces: oldID, Endpoint: r.client.Endpoint().String()}
	st, err := r.begin(record, oldID, func() (api.UpdateStart, error) { return r.runner.Start(ctx, req) })
	if err != nil {
		return err
	}
	r.out.RecordId = st.RecordID
	from, to := oldID, newID
	if !st.Created {
		// An update of OLD was already running: follow it, whatever it puts in place.
		fmt.Fprintf(o.IO.Err, r.say("An update of %s was already running at Tencent (record %d): certwiz follows it.\n",
			"腾讯云上已有 %s 的更新在进行（记录 %d）：certwiz 跟进该记录。\n"), oldID, st.RecordID)
		cur, err := r.client.UpdateRecordDetail(ctx, st.RecordID, "", "")
		if err != nil {
			return r.stopped(st.RecordID, cur, err)
		}
		if cur.From != "" && (cur.From != oldID || cur.To != newID) {
			fmt.Fprintf(o.IO.Err, r.say("Record %d puts another certificate in place of %s, not %s: wait for it to end (%s), then run this again. certwiz changed nothing.\n",
				"记录 %d 正在用另一张证书替换 %s，而不是 %s：请等待其结束（%s）后重试。certwiz 未做任何更改。\n"),
				st.RecordID, oldID, newID, commandLine(o.Globals, "rollout", "--record", strconv.FormatUint(st.RecordID, 10)))
			return r.end("refused", api.ExitRejected)
		}
	} else {
		fmt.Fprintf(o.IO.Err, r.say("Tencent is replacing %s by %s: record %d. ctrl+c stops the watching, not the record.\n",
			"腾讯云正在用 %[2]s 替换 %[1]s：记录 %[3]d。ctrl+c 只停止查看，不会停止该记录。\n"), oldID, newID, st.RecordID)
	}
	return r.follow(ctx, st.RecordID, from, to)
}

// confirmChange asks question on a terminal: true to go ahead; false when
// declined (declined said) or interrupted (with the exit).
func confirmChange(ctx context.Context, g *Globals, question string, declined api.Text) (bool, error) {
	yes, err := confirm(ctx, g.IO, question)
	if err != nil {
		fmt.Fprintln(g.IO.Err, say(g.Language, "\nInterrupted: nothing was changed.", "\n已中断：未做任何更改。"))
		return false, shown(api.ExitInterrupted)
	}
	if !yes {
		fmt.Fprintln(g.IO.Err, declined.In(g.Language))
	}
	return yes, nil
}

// planFailed says why a plan was not made (certwiz was only reading):
// Tencent still looking up where id is served at the deadline,
// interrupted, or an error.
func planFailed(g *Globals, asJSON bool, err error, id string) error {
	switch {
	case errors.Is(err, rollout.ErrStillLooking):
		fmt.Fprintf(g.IO.Err, say(g.Language, "Tencent was still looking up the resources of %s after %s: nothing was changed. Run it again later.\n",
			"%[2]s 后腾讯云仍在查询 %[1]s 的云资源：未做任何更改。请稍后重试。\n"), id, lookupWait)
		return shown(ExitWaiting)
	case interrupted(err):
		fmt.Fprintln(g.IO.Err, say(g.Language, "Interrupted: certwiz was only reading, nothing was changed.", "已中断：certwiz 只是在读取，没有做任何更改。"))
		return shown(api.ExitInterrupted)
	}
	return failOut(g, asJSON, err, nil, "")
}

// refusalsJSON are a plan's refusals in --json.
func refusalsJSON(rs []rollout.Reason, lang string) []refusalJSON {
	out := []refusalJSON{}
	for _, ref := range rs {
		out = append(out, refusalJSON{ref.Code, ref.Text.In(lang)})
	}
	return out
}

// refused says a plan's refusals, if any, and that nothing was changed.
func refused(g *Globals, rs []rollout.Reason) bool {
	for _, ref := range rs {
		fmt.Fprintf(g.IO.Err, say(g.Language, "Refused: %s\n", "拒绝：%s\n"), safe.Text(ref.Text.In(g.Language)))
	}
	if len(rs) > 0 {
		fmt.Fprintln(g.IO.Err, say(g.Language, "Nothing was changed.", "未做任何更改。"))
	}
	return len(rs) > 0
}

// begin sends the request that starts the task (start: the update, or a
// deployment), recorded before and after, and says why it did not start:
// still being created at every try, interrupted (both may start by
// themselves: see where certID is served), or an error.
func (r *rolloutRun) begin(record profiles.Record, certID string, start func() (api.UpdateStart, error)) (api.UpdateStart, error) {
	o := r.o
	attempt := r.rec.intent(record)
	st, err := start()
	record.Answered(st.RequestId, asAPIError(err))
	record.DeployRecord = st.RecordID
	if !errors.Is(err, rollout.ErrStillCreating) && !interrupted(err) {
		r.rec.outcome(record, attempt)
	}
	task := api.Text{EN: "update", ZH: "更新"}
	if r.deploying() {
		task = api.Text{EN: "deployment", ZH: "部署"}
	}
	switch {
	case errors.Is(err, rollout.ErrStillCreating):
		fmt.Fprintf(o.IO.Err, r.say("Tencent was still creating the %[3]s task after every try: it may start by itself. See where %[1]s is with: %[2]s\n",
			"多次尝试后腾讯云仍在创建%[3]s任务：它可能会自行开始。可用此命令查看 %[1]s 的使用位置：%[2]s\n"), certID, commandLine(o.Globals, "bindings", certID), task.In(o.Language))
		return st, shown(ExitWaiting)
	case interrupted(err):
		fmt.Fprintf(o.IO.Err, r.say("Interrupted while asking Tencent for the %[3]s: it may have started. See where %[1]s is with: %[2]s\n",
			"请求%[3]s时被中断：%[3]s可能已开始。可用此命令查看 %[1]s 的使用位置：%[2]s\n"), certID, commandLine(o.Globals, "bindings", certID), task.In(o.Language))
		return st, shown(api.ExitInterrupted)
	case err != nil:
		return st, r.fail(err, "")
	}
	return st, nil
}

// again is `rollout --record ID`: the certificates from the history when
// it holds the record, else from the record itself.
func (r *rolloutRun) again(ctx context.Context) error {
	o := r.o
	from, to := "", ""
	if recs, err := r.rec.read(); err == nil {
		for _, h := range recs {
			if h.DeployRecord == o.Record && (h.Action == api.ActionUpdate || h.Action == api.ActionUpdateRollback) && h.Replaces != "" {
				from, to = h.Replaces, h.CertificateId
				r.runner.Kind.Undo = h.Action == api.ActionUpdateRollback // a rollback's record: OLD goes back
			}
			if h.DeployRecord == o.Record && (h.Action == api.ActionDeploy || h.Action == api.ActionDeployRollback) && from == "" {
				return usageFail(o.Globals, o.JSON, "rollout", fmt.Sprintf(r.say("record %d is a deployment's (the history says so): follow it with %s",
					"记录 %d 是部署记录（历史记录如此记载）：请用 %s 跟进"), o.Record, commandLine(o.Globals, "deploy", "--record", strconv.FormatUint(o.Record, 10))))
			}
		}
	}
	r.out.RecordId = o.Record
	fmt.Fprintf(o.IO.Err, r.say("Reading update record %d ← %s\n", "正在读取更新记录 %d ← %s\n"), o.Record, r.client.Endpoint())
	return r.follow(ctx, o.Record, from, to)
}

// follow watches a record to its end, retries busy resources, applies the
// failure rule, records and says how it ended.
func (r *rolloutRun) follow(ctx context.Context, id uint64, from, to string) error {
	o := r.o
	r.shown = newRolloutShow(o.Globals, r.runner.Kind)
	r.runner.Seen = r.shown.update
	rec, err := r.runner.Follow(ctx, id, from, to)
	if err == nil {
		if rec, err = r.retryBusy(ctx, rec); err == nil && r.out.Old == "" {
			r.out.Old, r.out.New = rec.From, rec.To
		}
	}
	if err != nil {
		return r.stopped(id, rec, err)
	}
	if rec.Failed > 0 {
		if rec, err = r.onFailure(ctx, rec); err != nil {
			var other *otherRecordErr
			if errors.As(err, &other) {
				return r.stopped(other.rec.ID, other.rec, other.err)
			}
			return r.stopped(id, rec, err)
		}
	}
	r.shown.done()
	r.out.Resources = rec.Resources
	rolledBack := 0
	for _, res := range rec.Resources {
		if res.Status == api.UpdateRolledBack {
			rolledBack++
		}
	}
	switch {
	case r.out.Rollback != nil:
		return r.end("rolled-back", api.ExitRejected)
	case rolledBack > 0 && rec.Success == 0 && !r.deploying():
		// A record followed again after its rollback: nothing of it stands.
		r.finalRecord(rec, profiles.OutcomeRolledBack, nil)
		fmt.Fprintf(o.IO.Err, r.say("Record %[1]d was rolled back: %[2]s serves again the %[3]d resource(s) %[4]s had replaced; %[5]d failed. To try again: %[6]s\n",
			"记录 %[1]d 已回滚：%[2]s 重新在 %[3]d 个曾被 %[4]s 替换的资源上生效；%[5]d 个失败。如需重试：%[6]s\n"),
			id, safe.Text(rec.From), rolledBack, safe.Text(rec.To), rec.Failed, commandLine(o.Globals, "rollout", rec.From, rec.To))
		return r.end("rolled-back", api.ExitRejected)
	case rec.Failed > 0:
		r.finalRecord(rec, profiles.OutcomeFailed, nil)
		r.printFailures(rec)
		format, back := r.say("%d of %d resource(s) failed; %s serves the %d replaced. Retry them with: %s\nor put %s back on the replaced ones with: %s\n",
			"%[1]d/%[2]d 个资源失败；已替换的 %[4]d 个由 %[3]s 提供。重试：%[5]s\n或在已替换的资源上恢复 %[6]s：%[7]s\n"), rec.From
		if r.deploying() {
			format, back = r.say("%d of %d resource(s) failed; %s serves the %d deployed. Retry them with: %s\nor take %s off the deployed ones with: %s\n",
				"%[1]d/%[2]d 个资源失败；已部署的 %[4]d 个由 %[3]s 提供。重试：%[5]s\n或从已部署的资源上撤下 %[6]s：%[7]s\n"), rec.To
		}
		if rec.Success == 0 {
			// Nothing succeeded: nothing to roll back.
			format = r.say("%[1]d of %[2]d resource(s) failed; none serves %[3]s. Retry them with: %[4]s\n",
				"%[1]d/%[2]d 个资源失败；没有资源使用 %[3]s。重试：%[4]s\n")
			fmt.Fprintf(o.IO.Err, format, rec.Failed, len(rec.Resources), safe.Text(rec.To), r.recordCommand(id, "--on-failure", onFailureRetry, "--yes"))
			return r.end("failed", api.ExitRejected)
		}
		fmt.Fprintf(o.IO.Err, format, rec.Failed, len(rec.Resources), safe.Text(rec.To), rec.Success,
			r.recordCommand(id, "--on-failure", onFailureRetry, "--yes"),
			safe.Text(back), r.recordCommand(id, "--on-failure", onFailureRollback, "--yes"))
		return r.end("failed", api.ExitRejected)
	}
	if r.deploying() && r.runner.Kind.Undo {
		// deploy --record of a rollback's record.
		r.finalRecord(rec, profiles.OutcomeRolledBack, nil)
		fmt.Fprintf(o.IO.Err, r.say("Rolled back: the %d resource(s) of record %d serve again what they served before %s.\n", "已回滚：记录 %[2]d 的 %[1]d 个资源已恢复 %[3]s 之前使用的证书。\n"),
			len(rec.Resources), id, safe.Text(rec.From))
		return r.end("rolled-back", 0)
	}
	if r.deploying() {
		r.finalRecord(rec, profiles.OutcomeDeployed, nil)
		fmt.Fprintf(o.IO.Err, r.say("Deployed: %s serves all %d resource(s) of record %d.\n", "已部署：%s 已在记录 %d 的全部 %d 个资源上生效。\n"),
			safe.Text(rec.To), len(rec.Resources), id)
		return r.end("deployed", 0)
	}
	if r.runner.Kind.Undo {
		// rollout --record of a rollback's record.
		r.finalRecord(rec, profiles.OutcomeRolledBack, nil)
		fmt.Fprintf(o.IO.Err, r.say("Rolled back: %[1]s serves again all %[2]d resource(s) of record %[3]d in place of %[4]s.\n",
			"已回滚：%[1]s 重新在记录 %[3]d 的全部 %[2]d 个资源上替换 %[4]s。\n"), safe.Text(rec.To), len(rec.Resources), id, safe.Text(rec.From))
		return r.end("rolled-back", 0)
	}
	r.finalRecord(rec, profiles.OutcomeReplaced, nil)
	fmt.Fprintf(o.IO.Err, r.say("Replaced: %s serves all %d resource(s) in place of %s (record %d). %s was not deleted.\n",
		"已替换：%[1]s 已在全部 %[2]d 个资源上替换 %[3]s（记录 %[4]d）。%[3]s 未被删除。\n"),
		safe.Text(rec.To), len(rec.Resources), safe.Text(rec.From), id, safe.Text(rec.From))
	code := 0
	if o.SilenceOld {
		code = r.silenceOld(ctx, rec.From)
	}
	return r.end("replaced", code)
}

// stopped ends a follow that could not go on: still running at
// --max-wait, interrupted, or an error. The record goes on at Tencent.
func (r *rolloutRun) stopped(id uint64, rec api.UpdateRecord, err error) error {
	o := r.o
	r.shown.done()
	r.out.Resources = rec.Resources
	again := r.recordCommand(id)
	switch {
	case errors.Is(err, rollout.ErrStillRunning):
		r.finalRecord(rec, profiles.OutcomeRunning, nil)
		fmt.Fprintf(o.IO.Err, r.say("Still running after %[1]s: record %[2]d goes on at Tencent (%[3]d %[7]s, %[4]d running, %[5]d pending). Follow it with: %[6]s\n",
			"%[1]s 后仍在进行：记录 %[2]d 会在腾讯云上继续（%[7]s %[3]d，进行中 %[4]d，等待中 %[5]d）。可用此命令跟进：%[6]s\n"),
			o.MaxWait, id, rec.Success, rec.Running, rec.Pending, again, r.succeeded())
		return r.end("running", ExitWaiting)
	case interrupted(err) && rec.ID != 0 && rec.Done():
		// Interrupted at the failure's question: the record had ended.
		r.finalRecord(rec, profiles.OutcomeFailed, nil)
		fmt.Fprintf(o.IO.Err, r.say("\nInterrupted: nothing more was changed. Record %[1]d ended with %[2]d %[5]s and %[3]d failed; retry or roll it back later with: %[4]s\n",
			"\n已中断：未再做更改。记录 %[1]d 已结束：%[5]s %[2]d，失败 %[3]d；稍后可用此命令重试或回滚：%[4]s\n"), id, rec.Success, rec.Failed, again, r.succeeded())
		r.sandboxForgets()
		return shown(api.ExitInterrupted)
	case interrupted(err):
		r.finalRecord(rec, profiles.OutcomeInterrupted, nil)
		fmt.Fprintf(o.IO.Err, r.say("\nInterrupted: certwiz stopped watching, but record %d goes on at Tencent. Follow it with: %s\n",
			"\n已中断：certwiz 停止了查看，但记录 %d 会在腾讯云上继续。可用此命令跟进：%s\n"), id, again)
		r.sandboxForgets()
		return shown(api.ExitInterrupted)
	}
	defer r.sandboxForgets()
	return r.fail(err, fmt.Sprintf(r.say("The record may still be running at Tencent (follow it with: %s).", "该记录可能仍在腾讯云上进行（可用此命令跟进：%s）。"), again))
}

// silenceOld turns OLD's expiry notices off once nothing uses it: a fresh
// look at its bindings first (resources a filter left out, or bound since,
// keep the notices on). It returns the exit code it adds: 0, or the
// failure's.
func (r *rolloutRun) silenceOld(ctx context.Context, oldID string) int {
	o := r.o
	b, err := rollout.LookUp(ctx, r.client, oldID, o.knobs.interval, time.Now().Add(lookupWait))
	if err == nil && (len(b.Resources) > 0 || len(b.Failures) > 0 || b.Status != api.BindDone) {
		fmt.Fprintf(o.IO.Err, r.say("%s still serves %d resource(s) (or some could not be looked up): its expiry notices stay on.\n",
			"%s 仍被 %d 个资源使用（或部分无法查询）：其到期提醒保持开启。\n"), oldID, len(b.Resources))
		return 0
	}
	if err == nil {
		record := profiles.Record{Action: api.ActionNotices, CertificateId: oldID, Endpoint: r.client.Endpoint().String()}
		attempt := r.rec.intent(record)
		err = r.client.SetExpiryNotices(ctx, oldID, false)
		record.Answered("", asAPIError(err))
		r.rec.outcome(record, attempt)
	}
	if err != nil {
		var e *api.Error
		code := api.ExitFailure
		if errors.As(err, &e) {
			code = e.ExitCode()
		}
		fmt.Fprintf(o.IO.Err, r.say("The expiry notices of %s could not be turned off (%s): turn them off in the SSL console, or run this again.\n",
			"无法关闭 %s 的到期提醒（%s）：请在 SSL 控制台关闭，或重新运行。\n"), oldID, safe.Text(errorWords(err, o.Language)))
		return code
	}
	r.out.NoticesOff = true
	fmt.Fprintf(o.IO.Err, r.say("Nothing uses %s now: its expiry notices are off (it was not deleted).\n", "%s 已无资源使用：其到期提醒已关闭（证书未被删除）。\n"), oldID)
	return 0
}

// errorWords is an error in a few words: the guide's title of a service
// error, else the error itself.
func errorWords(err error, lang string) string {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Guide().Title.In(lang) + " [" + e.Code + "]"
	}
	return err.Error()
}

// otherRecordErr: following another record than the one a run started
// with (its rollback's) stopped there.
type otherRecordErr struct {
	rec api.UpdateRecord
	err error
}

func (e *otherRecordErr) Error() string { return e.err.Error() }
func (e *otherRecordErr) Unwrap() error { return e.err }

func interrupted(err error) bool {
	var ae *api.Error
	return errors.Is(err, context.Canceled) || errors.As(err, &ae) && ae.Code == api.CodeCanceled
}

// retryBusy retries the resources busy with another change, saying so.
func (r *rolloutRun) retryBusy(ctx context.Context, rec api.UpdateRecord) (api.UpdateRecord, error) {
	if !slices.ContainsFunc(rec.Resources, rollout.Busy) {
		return rec, nil
	}
	for _, res := range rec.Resources {
		if rollout.Busy(res) {
			r.shown.note(fmt.Sprintf(r.say("%s was busy with another change: certwiz retries it (at most %d times).", "%s 正被其他变更占用：certwiz 将重试（最多 %d 次）。"),
				safe.Text(rollout.Where(res.BoundResource)), rollout.MaxBusyRetries))
		}
	}
	return r.runner.RetryBusy(ctx, rec)
}

// onFailure applies --on-failure, or what the user chooses on a terminal.
func (r *rolloutRun) onFailure(ctx context.Context, rec api.UpdateRecord) (api.UpdateRecord, error) {
	o := r.o
	choice := o.OnFailure
	if choice == "" && o.IO.termIn() && o.IO.termErr() && !o.Yes {
		r.shown.done()
		r.printFailures(rec)
		choice = r.ask(ctx, rec)
		if ctx.Err() != nil {
			return rec, ctx.Err()
		}
		r.shown = newRolloutShow(o.Globals, r.runner.Kind)
		r.runner.Seen = r.shown.update
	}
	switch choice {
	case onFailureRetry:
		if slices.ContainsFunc(rec.Resources, func(res api.UpdatedResource) bool { return res.Status == api.UpdateRolledBack }) {
			// Retrying would put NEW back on some resources after the rollback.
			r.shown.note(fmt.Sprintf(r.say("Not retried: record %d was rolled back. To try again from the start: %s", "未重试：记录 %d 已回滚。如需从头重试：%s"),
				rec.ID, commandLine(o.Globals, r.command(), rec.From, rec.To)))
			return rec, nil
		}
		r.shown.note(fmt.Sprintf(r.say("Retrying the %d failed resource(s) (at most %d rounds).", "正在重试 %d 个失败的资源（最多 %d 轮）。"), rec.Failed, rollout.MaxRetries))
		record := profiles.Record{Action: api.ActionUpdateRetry, CertificateId: rec.To, Replaces: rec.From, DeployRecord: rec.ID, Endpoint: r.client.Endpoint().String()}
		if r.deploying() {
			record.Action, record.Replaces, record.ResourceType = api.ActionDeployRetry, "", r.runner.Kind.Type
		}
		attempt := r.rec.intent(record)
		next, err := r.runner.Retry(ctx, rec)
		record.Answered("", rollout.Refused(err))
		r.rec.outcome(record, attempt)
		if err != nil {
			return next, err
		}
		if next, err = r.retryBusy(ctx, next); err != nil || next.Failed == 0 || o.OnFailure != "" {
			return next, err
		}
		return r.onFailure(ctx, next) // asked again: the retry did not do it
	case onFailureRollback:
		if rec.Success == 0 && slices.ContainsFunc(rec.Resources, func(res api.UpdatedResource) bool { return res.Status == api.UpdateRolledBack }) {
			r.shown.note(r.say("Already rolled back: nothing is left to put back.", "已回滚：没有需要恢复的资源。"))
			return rec, nil
		}
		return r.rollback(ctx, rec)
	}
	return rec, nil
}

// ask offers the choice after failures in one question: retry, roll
// back (when something succeeded), or stop — the default, and what any
// other answer or the end of input means.
func (r *rolloutRun) ask(ctx context.Context, rec api.UpdateRecord) string {
	question := r.say("Retry the failed resource(s), or stop here? [r/S] ", "重试失败的资源，还是到此为止？[r/S] ")
	if rec.Success > 0 {
		question = fmt.Sprintf(r.say("Retry the failed resource(s), roll back (%s goes back on the %d %s), or stop here? [r/b/S] ",
			"重试失败的资源、回滚（在%[3]s的 %[2]d 个资源上恢复 %[1]s），还是到此为止？[r/b/S] "), safe.Text(rec.From), rec.Success, r.succeeded())
		if r.deploying() {
			question = fmt.Sprintf(r.say("Retry the failed resource(s), roll back (%s comes off the %d %s), or stop here? [r/b/S] ",
				"重试失败的资源、回滚（从%[3]s的 %[2]d 个资源上撤下 %[1]s），还是到此为止？[r/b/S] "), safe.Text(rec.To), rec.Success, r.succeeded())
		}
	}
	for {
		answer, err := ask(ctx, r.o.IO, question)
		if err != nil {
			return onFailureStop
		}
		switch strings.ToLower(strings.TrimSpace(answer)) {
		case "r", "retry", "重试":
			return onFailureRetry
		case "b", "rollback", "回滚":
			if rec.Success > 0 {
				return onFailureRollback
			}
		case "", "s", "stop":
			return onFailureStop
		}
		fmt.Fprintln(r.o.IO.Err, r.say("Type r, b or s (enter alone: stop).", "请输入 r、b 或 s（直接回车：到此为止）。"))
	}
}

// rollback puts OLD back where NEW replaced it and follows that record.
func (r *rolloutRun) rollback(ctx context.Context, rec api.UpdateRecord) (api.UpdateRecord, error) {
	o := r.o
	if rec.Success == 0 {
		r.shown.note(fmt.Sprintf(r.say("Nothing to roll back: no resource was %s.", "无需回滚：没有资源%s。"), r.succeeded()))
		return rec, nil
	}
	r.finalRecord(rec, profiles.OutcomeFailed, nil)
	r.printFailures(rec) // why, before what is done about it
	record := profiles.Record{Action: api.ActionUpdateRollback, CertificateId: rec.From, Replaces: rec.To, RollbackOf: rec.ID, Endpoint: r.client.Endpoint().String()}
	if r.deploying() {
		r.shown.note(fmt.Sprintf(r.say("Rolling back: %s comes off the %d resource(s) it was deployed to.", "正在回滚：从已部署的 %[2]d 个资源上撤下 %[1]s。"),
			safe.Text(rec.To), rec.Success))
		record = profiles.Record{Action: api.ActionDeployRollback, CertificateId: rec.To, ResourceType: r.runner.Kind.Type, RollbackOf: rec.ID, Endpoint: r.client.Endpoint().String()}
	} else {
		r.shown.note(fmt.Sprintf(r.say("Rolling back: %s goes back on the %d resource(s) %s replaced.", "正在回滚：在 %[3]s 已替换的 %[2]d 个资源上恢复 %[1]s。"),
			safe.Text(rec.From), rec.Success, safe.Text(rec.To)))
	}
	attempt := r.rec.intent(record)
	r.shown.kind.Undo = true
	back, err := r.runner.Rollback(ctx, rec)
	record.Answered("", rollout.Refused(err))
	record.DeployRecord = back.ID
	r.rec.outcome(record, attempt)
	if err != nil && back.ID == 0 {
		return rec, err
	}
	r.out.Rollback = &rollbackJSON{RecordId: back.ID, Resources: back.Resources}
	if err != nil {
		return rec, &otherRecordErr{back, err} // the rollback's record is the one that goes on
	}
	r.shown.done()
	outcome := profiles.OutcomeRolledBack
	if back.Failed > 0 {
		outcome = profiles.OutcomeFailed
		r.printFailures(back)
	}
	r.finalRecord(back, outcome, &rec)
	if r.deploying() {
		fmt.Fprintf(o.IO.Err, r.say("Rolled back (record %[1]d): %[2]s was taken off the %[3]d resource(s) it had been deployed to, which serve again what they served before; %[4]d failed on record %[5]d.\n",
			"已回滚（记录 %[1]d）：%[2]s 已从曾部署的 %[3]d 个资源上撤下，这些资源恢复原先使用的证书；记录 %[5]d 中有 %[4]d 个失败。\n"),
			back.ID, safe.Text(rec.To), back.Success, rec.Failed, rec.ID)
	} else {
		fmt.Fprintf(o.IO.Err, r.say("Rolled back (record %[1]d): %[2]s serves again the %[3]d resource(s) %[4]s had replaced; %[5]d failed on record %[6]d. %[4]s serves none of them.\n",
			"已回滚（记录 %[1]d）：%[2]s 重新在 %[3]d 个曾被 %[4]s 替换的资源上生效；记录 %[6]d 中有 %[5]d 个失败。%[4]s 不再用于这些资源。\n"),
			back.ID, safe.Text(rec.From), back.Success, safe.Text(rec.To), rec.Failed, rec.ID)
	}
	if back.Failed > 0 {
		fmt.Fprintf(o.IO.Err, r.say("%d resource(s) could not be rolled back: see above; check them in the console.\n", "%d 个资源回滚失败：见上文；请在控制台检查。\n"), back.Failed)
	}
	return rec, nil
}

// printFailures lists each failed resource with why, in words.
func (r *rolloutRun) printFailures(rec api.UpdateRecord) {
	if r.shown.term {
		return // the end of the drawing said them
	}
	for _, res := range rec.Resources {
		if res.Status != api.UpdateFailed && res.Status != api.UpdateRollbackFailed {
			continue
		}
		fmt.Fprintf(r.o.IO.Err, "✗ %s: %s\n", resourceName(res.BoundResource), why(r.shown.kind, res, r.o.Language))
	}
}

// resourceName names a resource of a record for a line: type, region,
// instance/listener and (the names it serves), escaped.
func resourceName(r api.BoundResource) string {
	s := safe.Text(rollout.Where(r))
	if len(r.Names) > 0 && !(len(r.Names) == 1 && r.Names[0] == r.Instance) { // a CDN domain is its own name
		s += " (" + safe.Text(strings.Join(r.Names, ",")) + ")"
	}
	return s
}

// why is a failed resource's reason in words, or Tencent's, escaped.
func why(k rollout.Kind, res api.UpdatedResource, lang string) string {
	words, known := k.Why(res)
	line := words.In(lang)
	if !known {
		line += ": " + elideEnd(safe.Text(res.Error), 300)
	}
	return line
}

// finalRecord writes how a record ended to the history (undone: the
// record a rollback undid).
func (r *rolloutRun) finalRecord(rec api.UpdateRecord, outcome string, undone *api.UpdateRecord) {
	h := profiles.Record{Action: profiles.ActionRollout, CertificateId: rec.To, Replaces: rec.From, DeployRecord: rec.ID, Outcome: outcome,
		Endpoint: r.client.Endpoint().String()}
	kind := r.runner.Kind
	if r.deploying() {
		// The deployment's certificate: what a record deploys (To), or
		// what its rollback takes off (From).
		h.Action, h.CertificateId, h.Replaces, h.ResourceType = profiles.ActionDeploy, cmp.Or(rec.To, rec.From), "", kind.Type
	}
	if undone != nil {
		h.RollbackOf = undone.ID
		kind.Undo = true
	}
	for _, res := range rec.Resources {
		h.Resources = append(h.Resources, rollout.Where(res.BoundResource)+" "+kind.Word(res.Status).EN)
	}
	r.rec.outcome(h, "")
}

// rolloutShow draws a record's progress on stderr: on a terminal a bar
// per resource type, redrawn in place, and each resource's end once the
// record is done; otherwise one line per change of a resource.
type rolloutShow struct {
	g     *Globals
	kind  rollout.Kind // the record's words
	term  bool
	drawn int // lines of bars on screen (terminal)
	rec   *api.UpdateRecord
	last  map[uint64]int // each resource's status last said (lines)
}

func newRolloutShow(g *Globals, kind rollout.Kind) *rolloutShow {
	return &rolloutShow{g: g, kind: kind, term: g.IO.termErr(), last: map[uint64]int{}}
}

// update takes a read of the record.
func (s *rolloutShow) update(rec api.UpdateRecord) {
	s.rec = &rec
	if !s.term {
		for _, res := range rec.Resources {
			if st, ok := s.last[res.DetailID]; ok && st == res.Status {
				continue
			}
			s.last[res.DetailID] = res.Status
			fmt.Fprintf(s.g.IO.Err, "%s: %s\n", resourceName(res.BoundResource),
				s.kind.Word(res.Status).In(s.g.Language))
		}
		return
	}
	s.erase()
	var types []string
	for _, res := range rec.Resources {
		if !slices.Contains(types, res.Type) {
			types = append(types, res.Type)
		}
	}
	width := s.g.IO.width()
	for _, t := range types {
		fmt.Fprintln(s.g.IO.Err, elideEnd(s.bar(t, rec, width), max(width-1, 10)))
		s.drawn++
	}
}

// bar is one type's line: "clb   ██████░░░░  1/2 · 1 running".
func (s *rolloutShow) bar(typ string, rec api.UpdateRecord, width int) string {
	counts := map[int]int{}
	total := 0
	for _, res := range rec.Resources {
		if res.Type == typ {
			counts[res.Status]++
			total++
		}
	}
	ended := total - counts[api.UpdatePending] - counts[api.UpdateRunning]
	words := fmt.Sprintf("  %d/%d", ended, total)
	for _, st := range []int{api.UpdateSuccess, api.UpdateFailed, api.UpdateRunning, api.UpdatePending, api.UpdateRolledBack, api.UpdateRollbackFailed, api.UpdateNoResource} {
		if counts[st] > 0 {
			words += fmt.Sprintf(" · %d %s", counts[st], s.kind.Word(st).In(s.g.Language))
		}
	}
	// The words whole, the bar in what is left (at least 4 cells).
	size := min(max(width-1-6-textWidth(words), 4), 30)
	fill := size * ended / max(total, 1)
	return fmt.Sprintf("%-5s %s%s", safe.Text(typ), strings.Repeat("█", fill), strings.Repeat("░", size-fill)) + words
}

// erase takes the bars off the screen (terminal).
func (s *rolloutShow) erase() {
	if s.drawn > 0 {
		fmt.Fprintf(s.g.IO.Err, "\x1b[%dA\x1b[J", s.drawn)
		s.drawn = 0
	}
}

// note ends the drawing of the current record and says something.
func (s *rolloutShow) note(msg string) {
	s.done()
	fmt.Fprintln(s.g.IO.Err, msg)
}

// done leaves the bars as they are and, on a terminal, says how each
// resource ended; the next update draws anew.
func (s *rolloutShow) done() {
	if s.term && s.rec != nil && s.drawn > 0 {
		for _, res := range s.rec.Resources {
			mark, word := "•", s.kind.Word(res.Status).In(s.g.Language)
			switch res.Status {
			case api.UpdateSuccess, api.UpdateRolledBack:
				mark = "✓"
			case api.UpdateFailed, api.UpdateRollbackFailed:
				mark, word = "✗", why(s.kind, res, s.g.Language)
			}
			fmt.Fprintf(s.g.IO.Err, "%s %s: %s\n", mark, resourceName(res.BoundResource), word)
		}
	}
	s.drawn, s.rec = 0, nil
}

// showPlan prints the plan: each resource of OLD the filter keeps, with
// whether NEW covers the names it serves (stdout: a table on a terminal,
// tab-separated lines otherwise), and what the filter left out.
func (r *rolloutRun) showPlan(p rollout.Plan) {
	o := r.o
	asking := !o.Yes && !o.DryRun && !r.renewal && o.IO.termIn() && o.IO.termErr()
	onTerm := func(w io.Writer) bool { return w == o.IO.Out && o.IO.termOut() || w == o.IO.Err && o.IO.termErr() }
	var outs []io.Writer
	if !o.JSON {
		outs = append(outs, r.planOut)
	}
	if asking && !onTerm(r.planOut) {
		// The question on the terminal must name what it is about (the
		// plan went into the JSON, or down a pipe).
		outs = append(outs, o.IO.Err)
	}
	for _, out := range outs {
		term := onTerm(out)
		header := []string{r.say("TYPE", "类型"), r.say("REGION", "地域"), r.say("INSTANCE", "实例"), r.say("LISTENER", "监听器"), r.say("NAMES", "域名"),
			r.say("COVERED", "已覆盖")}
		rows := [][]string{header}
		for _, t := range p.Targets {
			covers := r.say("yes", "是")
			if len(t.Uncovered) > 0 {
				covers = r.say("no: ", "否：") + safe.Text(strings.Join(t.Uncovered, ","))
			} else if len(t.Names) == 0 {
				covers = r.say("unknown", "未知")
			}
			rows = append(rows, append(bindingRow(t.BoundResource, term), covers))
		}
		if len(p.Targets) > 0 {
			if term {
				writeFitted(out, rows, o.IO.width(), 4)
			} else {
				writeTabbed(out, rows)
			}
		}
	}
	for _, s := range p.Skipped {
		fmt.Fprintf(o.IO.Err, r.say("Left out by --types/--regions: %s (%s)\n", "已被 --types/--regions 排除：%s（%s）\n"),
			safe.Text(rollout.Where(s)), safe.Text(strings.Join(s.Names, ",")))
	}
}

// orEmpty is s, or an empty slice for none: JSON says [] rather than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
