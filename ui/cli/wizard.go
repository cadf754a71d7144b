package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui"
)

// RunWizard starts the wizard (or its accessible twin) with the endpoint,
// credentials, profile store and history the flags select.
func RunWizard(ctx context.Context, g *Globals, profile string) error {
	if !g.IO.Interactive() {
		if !g.AccessibleAsked {
			return errNoTerminal(g.Language)
		}
		// Only an explicit --accessible gets here: say where answers come
		// from before the first prompt, so a script's log explains itself.
		fmt.Fprintln(g.IO.Err, say(g.Language,
			"certwiz: no terminal; reading answers from standard input, one per line",
			"certwiz：没有终端；从标准输入读取回答，每行一个"))
	}
	s, err := g.store()
	if err != nil {
		return err
	}
	o := ui.Options{Lang: g.Language, Store: s, Sandbox: g.Sandbox, Profile: profile, Resume: ResumeArgs(g)}
	if h, err := g.history(); err == nil {
		o.History = h
	} else {
		g.warn(say(g.Language, "history not available: ", "无法使用提交历史：") + err.Error())
	}
	var creds api.Credentials
	endpoint := g.Endpoint
	if g.Sandbox {
		url, c, lookup, stop, err := g.startSandbox()
		if err != nil {
			return err
		}
		defer stop()
		endpoint, creds, o.Lookup = url, c, lookup
	} else {
		if _, err := api.ParseEndpoint(endpoint); err != nil {
			return exit(api.ExitInput, fmt.Errorf("--endpoint: %w", err))
		}
		creds, _ = api.FindCredentials(g.InstanceRole)
		for _, w := range creds.Warnings {
			g.warn(w)
		}
	}
	ep, _ := api.ParseEndpoint(endpoint)
	o.Endpoint = ep.String()
	o.Lookup = offLoopback(endpoint, g.Sandbox, o.Lookup, say(g.Language,
		"the endpoint is on this machine, so certwiz asks no DNS server (certwiz --sandbox checks at the sandbox's own); Tencent's check stands in",
		"接入点在本机，certwiz 不查询任何 DNS 服务器（certwiz --sandbox 会查询沙箱自己的）；以腾讯云的检查为准"))
	if creds.Source != "" {
		o.CredSource, o.CredID = creds.In(g.Language), creds.SecretID()
		// The commands' client: the same rate, timeout and transport.
		client, err := g.newClient(creds, endpoint, api.DefaultRate)
		if err != nil {
			return err
		}
		o.Client = client
	}
	var code int
	if g.Accessible {
		code, err = ui.RunAccessible(ctx, o, g.IO.In, g.IO.Out)
	} else {
		code, err = ui.Run(ctx, o, g.IO.In, g.IO.Out, g.IO.Err)
	}
	if err != nil {
		return profileError(err)
	}
	if code != 0 {
		return shown(code)
	}
	return nil
}

// ResumeArgs is the command line that reopens this session, without
// --profile (the wizard adds it): "certwiz" and the flags of this run that
// change where or how the session continues. --sandbox replaces --endpoint
// (its port is new each run); --config-dir is made absolute so the command
// works from any folder; --language only when given on the command line,
// since the environment decides it otherwise; --accessible whenever the
// session runs as prompts (ACCESSIBLE=1 or TERM=dumb too), so the command
// reopens it as prompts wherever it is pasted.
func ResumeArgs(g *Globals) []string {
	args := []string{"certwiz"}
	if g.Sandbox {
		args = append(args, "--sandbox")
		if g.Changed["sandbox-delay"] {
			args = append(args, "--sandbox-delay", g.SandboxDelay.String())
		}
		if g.SandboxNoPublish {
			args = append(args, "--sandbox-no-publish")
		}
	}
	if g.ConfigDir != "" {
		dir := g.ConfigDir
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
		args = append(args, "--config-dir", dir)
	}
	if g.Changed["language"] {
		args = append(args, "--language", g.Language)
	}
	if !g.Sandbox && g.Endpoint != "" {
		ep, err := api.ParseEndpoint(g.Endpoint)
		def, _ := api.ParseEndpoint(api.DefaultEndpoint)
		if err != nil || ep.String() != def.String() {
			args = append(args, "--endpoint", g.Endpoint)
		}
	}
	if g.Accessible {
		args = append(args, "--accessible")
	}
	return args
}
