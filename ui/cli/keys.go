package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/spf13/cobra"
)

// KeysOptions are the flags of `certwiz keys` and `certwiz keys forget`.
type KeysOptions struct {
	*Globals
	JSON   bool
	Yes    bool
	DryRun bool
}

// NewKeysCmd returns `certwiz keys [ID]` and `certwiz keys forget ID [PATH]`.
func NewKeysCmd(g *Globals) *cobra.Command {
	o := &KeysOptions{Globals: g}
	cmd := &cobra.Command{
		Use:   "keys [ID]",
		Short: "List the private keys generated here per certificate; forget the ones no longer needed",
		Long: `The private keys generated on this machine (the wizard's "generate here",
certwiz csr generate --certificate-id), per certificate ID, as the history
and the profiles remember them — a path and the SHA-256 of the public key,
never the key: the file, when it was generated, the public key's SHA-256
(its first 16 hex digits), whether the file is still there, and whether
certwiz still offers it.

certwiz download and the wizard look among the keys offered for the one
whose public key the issued certificate carries. Once a certificate is
downloaded with its key found, the keys generated here for it before that
one are forgotten (no longer offered), and said to be no longer needed.
certwiz keys forget ID forgets the keys of a certificate now (PATH: only
that one). Forgetting is a line appended to the history: certwiz never
rewrites the history, and never deletes a key file — that is yours to do.

keys forget shows what it will forget and asks on a terminal; --yes is
required without one (else exit 2, nothing recorded); --dry-run shows it
and records nothing.`,
		Example: `  certwiz keys
  certwiz keys abcb1234 --json
  certwiz keys forget abcb1234 ~/keys/old.key
  certwiz keys forget abcb1234 --yes`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return runKeys(o, append(args, "")[0])
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, `print a JSON array: [{"CertificateId", "Path", "Created", "KeySHA256", "OnDisk", "Forgotten", "Reason"}]`)
	forget := &cobra.Command{
		Use:   "forget ID [PATH]",
		Short: "Stop offering the keys generated here for a certificate (the files stay)",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(c *cobra.Command, args []string) error {
			return runKeysForget(c.Context(), o, args[0], append(args, "")[1])
		},
	}
	forget.Flags().BoolVarP(&o.Yes, "yes", "y", false, "forget without asking (required without a terminal)")
	forget.Flags().BoolVar(&o.DryRun, "dry-run", false, "show what would be forgotten, and record nothing")
	cmd.AddCommand(forget)
	return cmd
}

// keyJSON is one key of `certwiz keys --json`.
type keyJSON struct {
	CertificateId string
	Path          string
	Created       *time.Time // null when only a profile names it
	KeySHA256     string     // "" when not recorded
	OnDisk        bool
	Forgotten     *time.Time // null while it is offered
	Reason        string     `json:",omitempty"` // downloaded, or user
}

// generatedKeys are the keys generated here for id (every certificate
// when ""), by certificate ID, each one's newest first.
func (g *Globals) generatedKeys(id string) ([]profiles.GeneratedKey, error) {
	s, err := g.keyStore()
	if err != nil {
		return nil, exit(api.ExitFailure, err)
	}
	keys, err := s.GeneratedKeys(id)
	if err != nil {
		return nil, exit(api.ExitFailure, err)
	}
	slices.SortStableFunc(keys, func(a, b profiles.GeneratedKey) int { return cmp.Compare(a.CertificateId, b.CertificateId) })
	return keys, nil
}

func runKeys(o *KeysOptions, id string) error {
	lang := o.Language
	id = strings.TrimSpace(id)
	if msg := badID(id, lang); id != "" && msg != "" {
		return usageFail(o.Globals, o.JSON, "keys", strings.TrimSuffix(msg, say(lang, "; nothing was sent", "；未发送任何请求")))
	}
	keys, err := o.generatedKeys(id)
	if err != nil {
		return err
	}
	if o.JSON {
		out := []keyJSON{}
		for _, k := range keys {
			out = append(out, keyJSON{CertificateId: k.CertificateId, Path: k.Path, Created: timeOrNil(k.Created), KeySHA256: k.KeySHA256,
				OnDisk: k.OnDisk(), Forgotten: timeOrNil(k.Forgotten), Reason: k.Why})
		}
		return writeJSON(o.IO.Out, out)
	}
	if len(keys) == 0 {
		what := say(lang, "No key has been generated on this machine", "本机尚未生成任何私钥")
		if id != "" {
			what = fmt.Sprintf(say(lang, "No key has been generated on this machine for %s", "本机尚未为 %s 生成任何私钥"), safe.Text(id))
		}
		fmt.Fprintln(o.IO.Err, what+say(lang, " (the wizard's \"generate here\", or certwiz csr generate --certificate-id ID).", "（向导中的“在本机生成”，或 certwiz csr generate --certificate-id ID）。"))
		return nil
	}
	printKeys(o.IO.Out, keys, lang)
	return nil
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// printKeys is the table of keys, each value from the history or a
// profile made safe for the terminal.
func printKeys(w io.Writer, keys []profiles.GeneratedKey, lang string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, say(lang, "CERTIFICATE\tKEY FILE\tGENERATED\tPUBLIC KEY\tFILE\tOFFERED", "证书\t私钥文件\t生成时间\t公钥\t文件\t是否提供"))
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", safe.Text(k.CertificateId), safe.Text(k.Path), when(k.Created), shortSHA(k.KeySHA256), onDiskWords(k, lang), offeredWords(k, lang))
	}
	_ = tw.Flush()
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// shortSHA is a public key's SHA-256 as its first 16 hex digits.
func shortSHA(sha string) string {
	if len(sha) < 16 {
		return "-"
	}
	return "sha256:" + safe.Text(sha[:16])
}

func onDiskWords(k profiles.GeneratedKey, lang string) string {
	if k.OnDisk() {
		return say(lang, "on disk", "存在")
	}
	return say(lang, "gone", "已不存在")
}

func offeredWords(k profiles.GeneratedKey, lang string) string {
	switch {
	case k.Forgotten.IsZero():
		return say(lang, "yes", "是")
	case k.Why == profiles.ForgetDownloaded:
		return fmt.Sprintf(say(lang, "no: forgotten %s (downloaded with another key)", "否：%s 起不再提供（证书已随另一把私钥下载）"), when(k.Forgotten))
	}
	return fmt.Sprintf(say(lang, "no: forgotten %s (by you)", "否：%s 起不再提供（由您指定）"), when(k.Forgotten))
}

// runKeysForget forgets the keys generated here for id that certwiz still
// offers (the one at path, when given): before, it shows them and asks
// on a terminal; after, the history holds one KEY-FORGOTTEN line each.
func runKeysForget(ctx context.Context, o *KeysOptions, id, path string) error {
	lang := o.Language
	id = strings.TrimSpace(id)
	if msg := badID(id, lang); msg != "" {
		return usageFail(o.Globals, false, "keys forget", strings.TrimSuffix(msg, say(lang, "; nothing was sent", "；未发送任何请求"))+say(lang, "; nothing was forgotten", "；未做任何更改"))
	}
	if path != "" {
		abs, err := filepath.Abs(path)
		if err != nil {
			return usageFail(o.Globals, false, "keys forget", fmt.Sprintf("PATH %q: %v", safe.Text(path), err))
		}
		path = abs
	}
	keys, err := o.generatedKeys(id)
	if err != nil {
		return err
	}
	var todo, already []profiles.GeneratedKey
	for _, k := range keys {
		switch {
		case path != "" && k.Path != path:
		case k.Forgotten.IsZero():
			todo = append(todo, k)
		default:
			already = append(already, k)
		}
	}
	what := safe.Text(id)
	if path != "" {
		what += " " + safe.Text(path)
	}
	switch {
	case len(todo) == 0 && len(already) > 0:
		fmt.Fprintf(o.IO.Err, say(lang, "Already forgotten: %s (certwiz keys %s lists them); nothing recorded.\n", "早已不再提供：%s（certwiz keys %s 可列出）；未记录任何内容。\n"), what, safe.Text(id))
		return nil
	case len(todo) == 0:
		return usageFail(o.Globals, false, "keys forget", fmt.Sprintf(say(lang,
			"no key generated on this machine for %s (certwiz keys lists those certwiz knows); nothing was forgotten",
			"本机没有为 %s 生成的私钥（certwiz keys 可列出 certwiz 所知的私钥）；未做任何更改"), what))
	}
	ask := !o.Yes && !o.DryRun
	if ask && !(o.IO.termIn() && o.IO.termErr()) {
		return usageFail(o.Globals, false, "keys forget", say(lang,
			"--yes required when not running interactively: certwiz asks on a terminal before it forgets a key; nothing was forgotten",
			"非交互运行时必须加 --yes：certwiz 只在终端上先询问，再停止提供私钥；未做任何更改"))
	}
	fmt.Fprintln(o.IO.Err, say(lang,
		"certwiz download and the wizard will no longer offer these keys for the certificate (the files stay: certwiz never deletes a key):",
		"certwiz download 和向导将不再为该证书提供这些私钥（文件保留：certwiz 从不删除私钥）："))
	printKeys(o.IO.Err, todo, lang)
	if o.DryRun {
		fmt.Fprintln(o.IO.Err, say(lang, "Dry run: nothing was recorded.", "试运行：未记录任何内容。"))
		return nil
	}
	if ask {
		yes, err := confirm(ctx, o.IO, fmt.Sprintf(say(lang, "Forget %d key(s)? [y/N] ", "不再提供这 %d 把私钥？[y/N] "), len(todo)))
		if err != nil {
			fmt.Fprintln(o.IO.Err, say(lang, "\nInterrupted: nothing was forgotten.", "\n已中断：未做任何更改。"))
			return shown(api.ExitInterrupted)
		}
		if !yes {
			fmt.Fprintln(o.IO.Err, say(lang, "Kept: nothing was forgotten.", "已保留：未做任何更改。"))
			return nil
		}
	}
	s, err := o.keyStore()
	if err != nil {
		return exit(api.ExitFailure, err)
	}
	if s.History, err = o.history(); err != nil {
		return exit(api.ExitFailure, err)
	}
	done, err := s.ForgetKeys(todo, profiles.ForgetByUser, time.Now())
	for _, r := range done {
		fmt.Fprintf(o.IO.Out, say(lang, "Forgotten: %s %s\n", "已不再提供：%s %s\n"), safe.Text(r.CertificateId), safe.Text(r.KeyFile))
	}
	if err != nil {
		return exit(api.ExitFailure, err)
	}
	fmt.Fprintf(o.IO.Err, say(lang, "Recorded in %s. Delete the files once you are sure: certwiz never does.\n", "已记录到 %s。确认无误后请自行删除这些文件：certwiz 从不删除。\n"), safe.Text(s.History.Path))
	return nil
}
