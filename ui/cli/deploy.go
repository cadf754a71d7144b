package cli

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/deploy"
	"github.com/certwiz/certwiz/api/hook"
	"github.com/certwiz/certwiz/api/installation"
	"github.com/certwiz/certwiz/api/live"
	"github.com/certwiz/certwiz/api/newfile"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
)

// What install and renew share: an issued certificate downloaded, checked,
// made current in an installation's folder, its hook run and its servers
// checked (api/deploy), and the report said.

// deployIssued downloads certificate id and deploys it as installation
// in says (installation.Deploy, as the wizard does). names are the names
// ordered (the leaf must cover them).
func (g *Globals) deployIssued(ctx context.Context, client *api.Client, in profiles.Installation, id string, names []string) (deploy.Report, error) {
	r, check, err := installation.Deploy(ctx, client, in, id, names, g.keysFor(id), g.Language)
	if err == nil {
		// In use now: the older keys generated here for it are not needed.
		g.forgetOthers(id, check)
	}
	return r, err
}

// deployJSON is a deployment in --json.
type deployJSON struct {
	Version    string       `json:"version"`
	Live       string       `json:"live"`
	Previous   string       `json:"previousVersion,omitempty"`
	SHA256     string       `json:"sha256"`
	NotAfter   time.Time    `json:"notAfter"`
	Hook       *hookJSON    `json:"hook,omitempty"`
	Verify     []verifyJSON `json:"verify"`
	RolledBack bool         `json:"rolledBack"`
	Pruned     []string     `json:"pruned"`
}

type hookJSON struct {
	ExitCode int    `json:"exitCode"`
	TimedOut bool   `json:"timedOut"`
	Tail     string `json:"tail"`
}

type verifyJSON struct {
	Target  string `json:"target"`
	OK      bool   `json:"ok"`
	Outcome string `json:"outcome"`
}

func deployedJSON(r deploy.Report) *deployJSON {
	if r.Install.Version == "" {
		return nil
	}
	out := &deployJSON{Version: r.Install.Version, Live: r.Install.Live(), Previous: r.Install.Previous, SHA256: hex.EncodeToString(r.Install.SHA256[:]),
		Verify: []verifyJSON{}, RolledBack: r.RolledBack, Pruned: nonNil(r.Install.Pruned)}
	if r.Install.Leaf != nil {
		out.NotAfter = r.Install.Leaf.NotAfter.UTC()
	}
	if h := r.Hook; h != nil {
		out.Hook = &hookJSON{ExitCode: h.ExitCode, TimedOut: h.TimedOut, Tail: tailOf(h)}
	}
	for _, s := range r.Served {
		out.Verify = append(out.Verify, verifyJSON{Target: s.Target, OK: s.OK(), Outcome: s.Describe(api.English)})
	}
	return out
}

func tailOf(h *hook.Result) string {
	if h.Output == nil {
		return ""
	}
	return h.Output.Tail()
}

// printDeployed says what a deployment did: the version made current,
// the hook, what each server presented and, after a failure, the switch
// back. Every line from a hook or a server is escaped.
func (g *Globals) printDeployed(w io.Writer, name, id string, r deploy.Report, err error) {
	lang := g.Language
	in := r.Install
	if in.Version == "" {
		return
	}
	fmt.Fprintf(w, say(lang, "Installed %s as %s\n", "已安装 %s 为 %s\n"), safe.Text(id), filepath.Join(in.Dir, in.Version))
	if in.Previous != "" {
		fmt.Fprintf(w, say(lang, "  %s → %s (was %s)\n", "  %s → %s（之前为 %s）\n"), in.Live(), in.Version, in.Previous)
	} else {
		fmt.Fprintf(w, "  %s → %s\n", in.Live(), in.Version)
	}
	if h := r.Hook; h != nil {
		printHook(w, say(lang, "Deploy hook", "部署钩子"), *h, g.keepHookLog(name, "deploy", h), lang)
	}
	for _, s := range r.Served {
		mark := "✓"
		if !s.OK() {
			mark = "✗"
		}
		fmt.Fprintf(w, "  %s %s\n", mark, safe.Text(s.Describe(lang)))
	}
	var failed *deploy.Failed
	if errors.As(err, &failed) {
		switch {
		case r.RolledBack:
			fmt.Fprintf(w, say(lang, "Rolled back: %s → %s again.\n", "已回滚：%s 重新指向 %s。\n"), in.Live(), in.Previous)
			if h := r.RollbackHook; h != nil {
				printHook(w, say(lang, "Deploy hook, run again", "再次运行部署钩子"), *h, g.keepHookLog(name, "deploy-again", h), lang)
			}
		case errors.Is(r.RollbackErr, live.ErrNoPrevious):
			fmt.Fprintf(w, say(lang, "No previous version to go back to: %s stays on %s.\n", "没有可回退的旧版本：%s 仍指向 %s。\n"), in.Live(), in.Version)
		case r.RollbackErr != nil:
			fmt.Fprintf(w, say(lang, "Switching back failed: %s\n", "回滚失败：%s\n"), safe.Text(r.RollbackErr.Error()))
		}
		return
	}
	for _, p := range in.Pruned {
		fmt.Fprintf(w, say(lang, "  removed the old version %s (three are kept)\n", "  已删除旧版本 %s（保留三个）\n"), p)
	}
	fmt.Fprintf(w, say(lang, "Servers read %s and %s.\n", "服务器读取 %s 和 %s。\n"),
		filepath.Join(in.Live(), live.FullchainFile), filepath.Join(in.Live(), live.KeyFile))
}

// keepHookLog writes a hook's whole output (hook.Output.Log: bounded) to
// <state>/hooks/<name>-<time>-<what>.log, 0600, for when the few lines
// printed are not enough; the path, or "" when there was nothing to keep
// or it could not be written (said as a warning).
func (g *Globals) keepHookLog(name, what string, h *hook.Result) string {
	if h == nil || h.Output == nil || h.Output.Len() == 0 {
		return ""
	}
	state, err := profiles.StateDir()
	if err == nil {
		dir := filepath.Join(state, "hooks")
		if err = os.MkdirAll(dir, 0o700); err == nil {
			path := filepath.Join(dir, fmt.Sprintf("%s-%s-%s.log", name, time.Now().UTC().Format("20060102T150405.000"), what))
			if err = newfile.Write(path, h.Output.Log()); err == nil {
				return path
			}
		}
	}
	g.warn(say(g.Language, "the hook's output could not be kept: ", "无法保存钩子的输出：") + err.Error())
	return ""
}

// printHook says how a hook ended and, when it failed, the last lines it
// printed, escaped and indented.
func printHook(w io.Writer, what string, h hook.Result, logPath, lang string) {
	if h.OK() {
		fmt.Fprintf(w, say(lang, "  ✓ %s: done in %s\n", "  ✓ %s：完成，用时 %s\n"), what, h.Elapsed.Round(10*time.Millisecond))
		return
	}
	fmt.Fprintf(w, "  ✗ %s %s\n", what, h.Describe(lang))
	if tail := strings.TrimRight(tailOf(&h), "\n"); tail != "" {
		for _, line := range strings.Split(tail, "\n") {
			fmt.Fprintf(w, "    | %s\n", safe.Text(line))
		}
	}
	if logPath != "" {
		fmt.Fprintf(w, say(lang, "    (all it printed: %s)\n", "    （完整输出：%s）\n"), safe.Text(logPath))
	}
}
