package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/spf13/cobra"
)

// store opens the profile store, printing its warnings on stderr.
func (g *Globals) store() (*profiles.Store, error) {
	dir, err := profiles.ConfigDir(g.ConfigDir)
	if err != nil {
		return nil, exit(api.ExitInput, err)
	}
	s, err := profiles.Open(dir, g.warn)
	if err != nil {
		return nil, exit(api.ExitFailure, err)
	}
	return s, nil
}

func (g *Globals) history() (*profiles.History, error) {
	dir, err := profiles.StateDir()
	if err != nil {
		return nil, err
	}
	return profiles.OpenHistory(dir, g.warn)
}

// warn says something on stderr; a warning may quote a file or a server,
// so each of its lines is made safe.
func (g *Globals) warn(msg string) {
	fmt.Fprintf(g.IO.Err, "%s: %s\n", say(g.Language, "Warning", "警告"), safe.Lines(msg))
}

// profileError gives profile errors their exit code: a bad name, a missing
// or taken profile and an unreadable file are the user's to fix (2).
func profileError(err error) error {
	var ne *profiles.NameError
	var fe *profiles.FileError
	var pe *ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return err
	case errors.As(err, &ne), errors.As(err, &fe), errors.Is(err, profiles.ErrNotFound), errors.Is(err, profiles.ErrExists):
		return exit(api.ExitInput, err)
	}
	return exit(api.ExitFailure, err)
}

// NewProfilesCmd returns `certwiz profiles` and its subcommands.
func NewProfilesCmd(g *Globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List, show, copy, import and export saved profiles",
		Long: `Profiles keep a submission's parameters — all or some of them — as YAML in
<config>/profiles/<name>.yaml, so the company and people are typed once.
Secrets (KeyPassword, keys) are never saved.`,
		Args: cobra.NoArgs,
	}
	var yes, template, force bool
	var name, format string
	list := &cobra.Command{Use: "list", Short: "List profiles with their progress", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return profileError(runProfilesList(g)) }}
	show := &cobra.Command{Use: "show NAME", Short: "Show a profile as YAML, problems marked", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, a []string) error { return profileError(runProfilesShow(g, a[0])) }}
	del := &cobra.Command{Use: "delete NAME", Short: "Delete a profile (asks first on a terminal)", Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, a []string) error {
			return profileError(runProfilesDelete(c.Context(), g, a[0], yes))
		}}
	del.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask")
	rename := &cobra.Command{Use: "rename OLD NEW", Short: "Rename a profile", Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, a []string) error { return profileError(runProfilesRename(g, a[0], a[1])) }}
	cp := &cobra.Command{Use: "copy SRC DST", Short: "Copy a profile; --template keeps what the next certificate reuses (organization, people, VerifyType)", Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, a []string) error {
			return profileError(runProfilesCopy(g, a[0], a[1], template))
		}}
	cp.Flags().BoolVar(&template, "template", false, "clear the certificate-specific parameters (CertificateId, IsDV, the CSR — CsrType stays when online —, domains); keep organization, people and VerifyType")
	imp := &cobra.Command{Use: "import FILE --name NAME", Short: "Import a tccli JSON file or a certwiz YAML profile", Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, a []string) error {
			return profileError(runProfilesImport(c.Context(), g, a[0], name, force))
		}}
	imp.Flags().StringVar(&name, "name", "", "`NAME` of the new profile (required)")
	imp.Flags().BoolVar(&force, "force", false, "replace an existing profile of that name")
	_ = imp.MarkFlagRequired("name")
	exp := &cobra.Command{Use: "export NAME", Short: "Print a profile as JSON (API parameters, for tccli) or YAML", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, a []string) error { return profileError(runProfilesExport(g, a[0], format)) }}
	exp.Flags().StringVar(&format, "format", "json", "json (exactly the API parameters) or yaml")
	cmd.AddCommand(list, show, del, rename, cp, imp, exp)
	return cmd
}

func runProfilesList(g *Globals) error {
	s, err := g.store()
	if err != nil {
		return err
	}
	entries, err := s.List()
	if err != nil {
		return err
	}
	lang := g.Language
	if len(entries) == 0 {
		fmt.Fprintln(g.IO.Err, say(lang, "No profiles yet: run `certwiz` or `certwiz profiles import FILE --name NAME`.", "还没有配置：运行 `certwiz` 或 `certwiz profiles import FILE --name NAME`。"))
		return nil
	}
	tw := tabwriter.NewWriter(g.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, say(lang, "NAME\tUPDATED\tSTEPS\tDOMAIN", "名称\t更新时间\t步骤\t域名"))
	for _, e := range entries {
		if e.Err != nil {
			fmt.Fprintf(tw, "%s\t-\t%s\t-\n", safe.Text(e.Name), say(lang, "unreadable: ", "无法读取：")+safe.Text(shortError(e.Err)))
			continue
		}
		pr := api.ProgressOf(e.Profile.Params)
		steps := fmt.Sprintf("%d/%d", pr.Done, len(pr.Steps))
		if pr.Bad > 0 {
			steps += say(lang, fmt.Sprintf(", %d with problems", pr.Bad), fmt.Sprintf("，%d 步有问题", pr.Bad))
		}
		domain := e.Profile.Params.CertificateDomain
		if domain == "" {
			domain = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", safe.Text(e.Name), e.Profile.Updated.Local().Format("2006-01-02 15:04"), steps, safe.Text(domain))
	}
	return tw.Flush()
}

// shortError drops the file path from a FileError: the list names the profile.
func shortError(err error) string {
	var fe *profiles.FileError
	if errors.As(err, &fe) {
		return fe.Err.Error()
	}
	return err.Error()
}

// loadProfile reads one saved profile from the config folder's store.
func (g *Globals) loadProfile(name string) (profiles.Profile, error) {
	s, err := g.store()
	if err != nil {
		return profiles.Profile{}, err
	}
	return s.Load(name)
}

func runProfilesShow(g *Globals, name string) error {
	p, err := g.loadProfile(name)
	if err != nil {
		return err
	}
	lang := g.Language
	comments := map[string]string{}
	var missing []string
	for _, pr := range api.Validate(p.Params, api.Complete) {
		if pr.Missing {
			missing = append(missing, pr.Param)
			continue
		}
		msg := "✗ " + pr.What.In(lang) + ". " + pr.Fix.In(lang)
		if c := comments[pr.Param]; c != "" {
			msg = c + " | " + msg
		}
		comments[pr.Param] = msg
	}
	footer := say(lang, "Complete: nothing is missing.", "完整：没有缺少的参数。")
	if len(missing) > 0 {
		footer = say(lang, "Missing for a complete submission: ", "完整提交还缺少：") + strings.Join(missing, ", ") + say(lang, ".", "。")
	}
	if !p.Params.Has("VerifyType") {
		// Optional for the API, so not missing; but the Verification step
		// counts as to do in profiles list until a method is chosen.
		footer += say(lang, " No validation method chosen yet (VerifyType: DNS_AUTO, DNS or FILE): the Verification step is still to do.",
			" 尚未选择验证方式（VerifyType：DNS_AUTO、DNS 或 FILE）：验证方式步骤仍待完成。")
	}
	// A profile may come from anywhere (profiles import): shown, not
	// exported, each line is made safe for the terminal.
	_, err = io.WriteString(g.IO.Out, safe.Lines(strings.TrimSuffix(string(profiles.Encode(p, comments, footer)), "\n"))+"\n")
	return err
}

func runProfilesDelete(ctx context.Context, g *Globals, name string, yes bool) error {
	if err := profiles.ValidName(name); err != nil {
		return err
	}
	s, err := g.store()
	if err != nil {
		return err
	}
	if !yes {
		if !g.IO.Interactive() {
			return exit(api.ExitInput, errors.New("--yes required when not running interactively"))
		}
		yes, err := confirm(ctx, g.IO, fmt.Sprintf(say(g.Language, "Delete profile %s (%s)? [y/N] ", "删除配置 %s（%s）？[y/N] "), name, s.Path(name)))
		if err != nil {
			fmt.Fprintln(g.IO.Err, say(g.Language, "\nInterrupted: the profile is kept.", "\n已中断：配置已保留。"))
			return shown(api.ExitInterrupted)
		}
		if !yes {
			fmt.Fprintln(g.IO.Err, say(g.Language, "Kept.", "已保留。"))
			return nil
		}
	}
	if err := s.Delete(name); err != nil {
		return err
	}
	fmt.Fprintf(g.IO.Err, say(g.Language, "Deleted profile %s.\n", "已删除配置 %s。\n"), name)
	return nil
}

func runProfilesRename(g *Globals, old, new string) error {
	s, err := g.store()
	if err != nil {
		return err
	}
	return s.Rename(old, new)
}

func runProfilesCopy(g *Globals, src, dst string, template bool) error {
	s, err := g.store()
	if err != nil {
		return err
	}
	return s.Copy(src, dst, template)
}

func runProfilesImport(ctx context.Context, g *Globals, file, name string, force bool) error {
	if err := profiles.ValidName(name); err != nil {
		return err
	}
	req, warnings, err := readInput(ctx, file, g.IO.In)
	if readInterrupted(err) {
		return interruptedReading(g)
	}
	if err != nil {
		return exit(api.ExitInput, err)
	}
	for _, w := range warnings {
		g.warn(w)
	}
	s, err := g.store()
	if err != nil {
		return err
	}
	p := profiles.Profile{Name: name, Params: req}
	if force {
		err = s.Save(p)
	} else {
		err = s.Create(p)
	}
	if err != nil {
		return err
	}
	pr := api.ProgressOf(req)
	fmt.Fprintf(g.IO.Err, say(g.Language, "Imported %s: %d of %d steps complete.\n", "已导入 %s：%d/%d 步完成。\n"), name, pr.Done, len(pr.Steps))
	return nil
}

func runProfilesExport(g *Globals, name, format string) error {
	p, err := g.loadProfile(name)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		return writeJSON(g.IO.Out, p.Params.Params())
	case "yaml":
		_, err := g.IO.Out.Write(profiles.Encode(p, nil, ""))
		return err
	}
	return exit(api.ExitInput, fmt.Errorf("--format %q: use json or yaml", format))
}

// NewHistoryCmd returns `certwiz history`.
func NewHistoryCmd(g *Globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Past submissions: time, profile, CertificateId, RequestId, outcome",
		Long: `Past submissions and commits, oldest first: time, profile, CertificateId,
outcome, RequestId and endpoint, from <state folder>/history.jsonl.

certwiz writes an intent before each request leaves and the outcome after
it. An intent with no outcome is shown as UNKNOWN (COMMIT:UNKNOWN for a
commit): the request left, or was about to, when certwiz was killed or could
not write the outcome, so whether the service has it is unknown; check it
with certwiz certs --status all --search ID. --json prints the records as
stored, leaving out the intents whose outcome follows (an unresolved intent
has the outcome "SENDING").`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			h, err := g.history()
			if err != nil {
				return exit(api.ExitFailure, err)
			}
			recs, err := h.Read()
			if err != nil {
				return exit(api.ExitFailure, err)
			}
			recs, unknown := historyView(recs)
			if asJSON {
				if recs == nil {
					recs = []profiles.Record{}
				}
				return writeJSON(g.IO.Out, recs)
			}
			// Every field was read from a file anything may have written:
			// each is made safe for the terminal.
			tw := tabwriter.NewWriter(g.IO.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, say(g.Language, "TIME\tPROFILE\tCERTIFICATE\tOUTCOME\tREQUESTID\tENDPOINT", "时间\t配置\t证书\t结果\tREQUESTID\t接入点"))
			for _, r := range recs {
				outcome := r.Outcome
				if unknown[r.Attempt] {
					o := r.Result()
					o.Code = "UNKNOWN"
					outcome = o.String()
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Time.Local().Format("2006-01-02 15:04:05"), dash(safe.Text(r.Profile)), safe.Text(r.CertificateId),
					safe.Text(outcome), dash(safe.Text(r.RequestId)), safe.Text(r.Endpoint))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if len(unknown) > 0 {
				fmt.Fprintln(g.IO.Err, say(g.Language,
					"UNKNOWN: the request left, or was about to, and no outcome was recorded (certwiz was killed, or could not write it); check with certwiz certs --status all --search ID.",
					"UNKNOWN：请求已发出或即将发出，但没有记录结果（certwiz 被终止，或无法写入）；请用 certwiz certs --status all --search ID 查看。"))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

// historyView leaves out the intents an outcome follows: one line per
// request. unknown holds the Attempts of the intents that have none.
func historyView(recs []profiles.Record) ([]profiles.Record, map[string]bool) {
	unknown := map[string]bool{}
	for _, r := range profiles.Unresolved(recs) {
		unknown[r.Attempt] = true
	}
	var out []profiles.Record
	for _, r := range recs {
		if r.IsIntent() && !unknown[r.Attempt] {
			continue
		}
		out = append(out, r)
	}
	return out, unknown
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
