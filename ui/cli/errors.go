package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf16"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
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
	// The code is the user's text, and an unknown one is echoed back.
	fmt.Fprintf(out, "%s — %s\n\n  %s\n  %s: %s\n", safe.Text(gd.Code), gd.Title.In(lang), gd.Meaning.In(lang), say(lang, "What to do", "处理建议"), gd.Action.In(lang))
	if gd.Step != "" {
		fmt.Fprintf(out, "  %s: %s\n", say(lang, "Wizard step", "对应步骤"), gd.Step.Label(lang))
	}
	fmt.Fprintf(out, "  %s: %d", say(lang, "Exit code", "退出码"), gd.Exit)
	if gd.Retry {
		fmt.Fprint(out, say(lang, " (transient: retrying later may succeed)", "（临时性错误：稍后重试可能成功）"))
	}
	fmt.Fprintln(out)
	if !known {
		fmt.Fprintf(g.IO.Err, "\nNote: %s is not in certwiz's catalogue; this is the guidance for its family.\n", safe.Text(args[0]))
	}
	return nil
}

func writeJSON(w io.Writer, v any) error { return encodeJSON(w, v, "  ") }

// writeJSONLine prints one compact JSON object on its own line.
func writeJSONLine(w io.Writer, v any) error { return encodeJSON(w, v, "") }

// encodeJSON writes v as JSON. encoding/json escapes control characters
// below U+0020 but writes C1 controls, bidi overrides and other invisible
// format characters as they are; those are escaped too (\u009b, \u202e),
// so the JSON decodes to exactly the same values and is safe to print.
func encodeJSON(w io.Writer, v any, indent string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return exit(api.ExitFailure, fmt.Errorf("write JSON: %w", err))
	}
	if _, err := w.Write(escapeJSON(buf.Bytes())); err != nil {
		return exit(api.ExitFailure, fmt.Errorf("write JSON: %w", err))
	}
	return nil
}

// escapeJSON escapes, as \uXXXX, every character of encoded JSON that
// ui/safe would not print as it is. Outside strings JSON holds only ASCII
// that prints, so only characters inside strings change.
func escapeJSON(data []byte) []byte {
	unsafe := func(r rune) bool { return r >= 0x80 && !safe.Clean(string(r)) }
	if !bytes.ContainsFunc(data, unsafe) {
		return data
	}
	var b bytes.Buffer
	for _, r := range string(data) {
		if !unsafe(r) {
			b.WriteRune(r)
			continue
		}
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.Bytes()
}
