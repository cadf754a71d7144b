package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/certwiz/certwiz/api"
	"github.com/spf13/cobra"
)

// NewErrorsCmd returns `certwiz errors [CODE]`: the offline error catalogue.
func NewErrorsCmd(g *Globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "errors [CODE]",
		Short: "Explain error codes, offline: what a code means and what to do",
		Example: `  certwiz errors
  certwiz errors AuthFailure.SignatureExpire
  certwiz errors FailedOperation.CertificateInfoSubmitDomainInvalid --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runErrors(g, args, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func guideJSON(gd api.Guide, lang string) map[string]any {
	return map[string]any{
		"Code": gd.Code, "Title": gd.Title.In(lang), "Meaning": gd.Meaning.In(lang),
		"Hint": gd.Action.In(lang), "Step": string(gd.Step), "ExitCode": gd.Exit, "Retryable": gd.Retry,
	}
}

func runErrors(g *Globals, args []string, asJSON bool) error {
	lang, out := g.Language, g.IO.Out
	if len(args) == 0 {
		all := api.Guides()
		if asJSON {
			list := make([]map[string]any, len(all))
			for i, gd := range all {
				list[i] = guideJSON(gd, lang)
			}
			return writeJSON(out, list)
		}
		for _, gd := range all {
			fmt.Fprintf(out, "%-55s %s\n", gd.Code, gd.Title.In(lang))
		}
		return nil
	}
	gd, known := api.Explain(args[0])
	if asJSON {
		obj := guideJSON(gd, lang)
		obj["Known"] = known
		return writeJSON(out, obj)
	}
	fmt.Fprintf(out, "%s — %s\n\n  %s\n  %s: %s\n", gd.Code, gd.Title.In(lang), gd.Meaning.In(lang), say(lang, "What to do", "处理建议"), gd.Action.In(lang))
	if gd.Step != "" {
		fmt.Fprintf(out, "  %s: %s\n", say(lang, "Wizard step", "对应步骤"), gd.Step.Label(lang))
	}
	fmt.Fprintf(out, "  %s: %d", say(lang, "Exit code", "退出码"), gd.Exit)
	if gd.Retry {
		fmt.Fprint(out, say(lang, " (transient: retrying later may succeed)", "（临时性错误：稍后重试可能成功）"))
	}
	fmt.Fprintln(out)
	if !known {
		fmt.Fprintf(g.IO.Err, "\nNote: %s is not in certwiz's catalogue; this is the guidance for its family.\n", args[0])
	}
	return nil
}

func writeJSON(w io.Writer, v any) error { return encodeJSON(w, v, "  ") }

// writeJSONLine prints one compact JSON object on its own line.
func writeJSONLine(w io.Writer, v any) error { return encodeJSON(w, v, "") }

func encodeJSON(w io.Writer, v any, indent string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return exit(api.ExitFailure, fmt.Errorf("write JSON: %w", err))
	}
	return nil
}
