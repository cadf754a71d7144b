package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/rollout"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/spf13/cobra"
)

// BindingsOptions are the flags of `certwiz bindings`.
type BindingsOptions struct {
	*Globals
	JSON    bool
	MaxWait time.Duration
	knobs   bindingsKnobs
}

// bindingsKnobs are for tests only (never flags).
type bindingsKnobs struct {
	interval time.Duration // between reads of the task; default rollout.DefaultInterval
}

// NewBindingsCmd returns `certwiz bindings ID`.
func NewBindingsCmd(g *Globals) *cobra.Command { return newBindingsCmd(g, bindingsKnobs{}) }

func newBindingsCmd(g *Globals, knobs bindingsKnobs) *cobra.Command {
	o := &BindingsOptions{Globals: g, knobs: knobs}
	cmd := &cobra.Command{
		Use:   "bindings ID",
		Short: "List the Tencent Cloud resources that serve a certificate (CLB listeners, CDN domains…)",
		Long: `List where a certificate is in use on Tencent Cloud: the CLB listeners, CDN
domains, WAF, Live, EdgeOne (teo), API Gateway… resources bound to it, with the
names each serves. certwiz asks Tencent to look them up
(CreateCertificateBindResourceSyncTask, fresh rather than from its cache) and
reads the task (DescribeCertificateBindResourceTaskDetail) every 2 seconds
until it is done, at most --max-wait. It only reads: nothing is changed.

On a terminal the list is a table by resource type, region, instance and
listener; otherwise one tab-separated line per resource after a header line
(NAMES comma-separated). --json prints one object: {"CertificateId",
"CacheTime", "Resources": [{"type", "region", "instance", "instanceName",
"listener", "listenerName", "names"}], "Failures": [{"type", "region",
"message"}]}.

Exit codes: 0 listed (none is a valid answer) · 3 Tencent could not look up
some or all resource types (the failures are listed; the list may be short)
· 6 the lookup was still running at --max-wait · 4 and 5 credentials and
transport · 130 interrupted. The CAM actions it needs:
ssl:CreateCertificateBindResourceSyncTask and
ssl:DescribeCertificateBindResourceTaskDetail; the account must have
authorized the SSL service role (FailedOperation.RoleNotFoundAuthorization
says how).`,
		Example: `  certwiz bindings exppaid1 --sandbox
  certwiz bindings abcb1234 --json | jq -r '.Resources[] | "\(.type) \(.instance)"'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBindings(cmd.Context(), o, args[0])
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.JSON, "json", false, "print exactly one JSON object: the resources, or the error")
	f.DurationVar(&o.MaxWait, "max-wait", 2*time.Minute, "wait at most `DURATION` for Tencent's lookup (exit 6 after it)")
	return cmd
}

// bindingsJSON is `bindings --json`.
type bindingsJSON struct {
	CertificateId string
	CacheTime     string
	Resources     []api.BoundResource
	Failures      []api.QueryFailure
}

func runBindings(ctx context.Context, o *BindingsOptions, id string) error {
	lang := o.Language
	id = strings.TrimSpace(id)
	if msg := badID(id, lang); msg != "" {
		return usageFail(o.Globals, o.JSON, "bindings", msg)
	}
	if o.MaxWait <= 0 {
		return usageFail(o.Globals, o.JSON, "bindings", fmt.Sprintf(say(lang, "--max-wait %s: give a positive duration, e.g. 2m", "--max-wait %s：请填写正的时长，如 2m"), o.MaxWait))
	}
	fail := func(err error) error { return failOut(o.Globals, o.JSON, err, nil, "") }
	client, _, stop, err := o.dial(o.JSON)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(o.IO.Err, say(lang, "Looking up the resources that serve %s ← %s\n", "正在查询使用 %s 的云资源 ← %s\n"), id, client.Endpoint())
	b, err := rollout.LookUp(ctx, client, id, o.knobs.interval, time.Now().Add(o.MaxWait))
	var ae *api.Error
	switch {
	case errors.Is(err, rollout.ErrStillLooking):
		fmt.Fprintf(o.IO.Err, say(lang, "Tencent was still looking after %s: nothing to list yet. Run the command again later, or allow more time with --max-wait.\n",
			"%s 后腾讯云仍在查询：暂无结果。请稍后重新运行，或用 --max-wait 延长等待时间。\n"), o.MaxWait)
		return shown(ExitWaiting)
	case errors.Is(err, context.Canceled) || errors.As(err, &ae) && ae.Code == api.CodeCanceled:
		fmt.Fprintln(o.IO.Err, say(lang, "Interrupted: certwiz was only reading, nothing was changed.", "已中断：certwiz 只是在读取，没有做任何更改。"))
		return shown(api.ExitInterrupted)
	case err != nil:
		return fail(err)
	}
	if b.Status == api.BindFailed {
		b.Failures = append(b.Failures, api.QueryFailure{Message: say(lang, "the lookup failed as a whole", "整个查询失败")})
	}
	if o.JSON {
		out := bindingsJSON{CertificateId: id, CacheTime: b.CacheTime, Resources: b.Resources, Failures: b.Failures}
		if out.Resources == nil {
			out.Resources = []api.BoundResource{}
		}
		if out.Failures == nil {
			out.Failures = []api.QueryFailure{}
		}
		if err := writeJSON(o.IO.Out, out); err != nil {
			return err
		}
	} else {
		o.print(id, b)
	}
	if len(b.Failures) > 0 {
		return shown(api.ExitRejected)
	}
	return nil
}

// print writes the resources: a table on a terminal, tab-separated lines
// otherwise; every string from the answer through ui/safe.
func (o *BindingsOptions) print(id string, b api.Bindings) {
	lang := o.Language
	for _, f := range b.Failures {
		where := strings.TrimSpace(safe.Text(f.Type) + " " + safe.Text(f.Region))
		if where == "" {
			where = say(lang, "all types", "全部类型")
		}
		fmt.Fprintf(o.IO.Err, say(lang, "Tencent could not look up %s: %s\n", "腾讯云无法查询 %s：%s\n"), where, safe.Text(f.Message))
	}
	if len(b.Resources) == 0 {
		fmt.Fprintf(o.IO.Err, say(lang, "No Tencent Cloud resource serves %s.\n", "没有云资源使用 %s。\n"), id)
		return
	}
	header := []string{say(lang, "TYPE", "类型"), say(lang, "REGION", "地域"), say(lang, "INSTANCE", "实例"), say(lang, "LISTENER", "监听器"), say(lang, "NAMES", "域名")}
	rows := [][]string{header}
	for _, r := range b.Resources {
		rows = append(rows, bindingRow(r, o.IO.termOut()))
	}
	if o.IO.termOut() {
		writeFitted(o.IO.Out, rows, o.IO.width(), 4)
	} else {
		writeTabbed(o.IO.Out, rows)
	}
	fmt.Fprintf(o.IO.Err, say(lang, "%d resource(s) serve %s.\n", "%d 个云资源使用 %s。\n"), len(b.Resources), id)
}

// bindingRow is one resource's cells: on a terminal an instance's name in
// brackets after its ID, "-" for none.
func bindingRow(r api.BoundResource, term bool) []string {
	named := func(id, name string) string {
		id, name = safe.Text(id), safe.Text(name)
		if term && name != "" && name != id {
			return id + " (" + name + ")"
		}
		return id
	}
	names := make([]string, len(r.Names))
	for i, n := range r.Names {
		names[i] = safe.Text(n)
	}
	cells := []string{safe.Text(r.Type), safe.Text(r.Region), named(r.Instance, r.InstanceName), named(r.Listener, r.ListenerName), strings.Join(names, ",")}
	if term {
		for i, c := range cells {
			if c == "" {
				cells[i] = "-"
			}
		}
	}
	return cells
}

// writeTabbed prints rows as tab-separated lines (for scripts).
func writeTabbed(w io.Writer, rows [][]string) {
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = strings.NewReplacer("\t", " ").Replace(c)
		}
		fmt.Fprintln(w, strings.Join(cells, "\t"))
	}
}
