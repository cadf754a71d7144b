package cli

import (
	"context"
	"fmt"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui"
)

// RunWizard starts the wizard (or its accessible twin) with the endpoint,
// credentials, profile store and history the flags select.
func RunWizard(ctx context.Context, g *Globals, profile string) error {
	if !g.IO.Interactive() && !g.AccessibleAsked {
		return ErrNoTerminal
	}
	s, err := g.store()
	if err != nil {
		return err
	}
	o := ui.Options{Lang: g.Language, Store: s, Sandbox: g.Sandbox, Profile: profile}
	if h, err := g.history(); err == nil {
		o.History = h
	} else {
		g.warn("history not available: " + err.Error())
	}
	var creds api.Credentials
	endpoint := g.Endpoint
	if g.Sandbox {
		url, c, stop, err := startSandbox()
		if err != nil {
			return err
		}
		defer stop()
		endpoint, creds = url, c
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
	if creds.Source != "" {
		o.CredSource, o.CredID = creds.String(), creds.SecretID()
		client, err := api.NewClient(creds, api.Config{Endpoint: endpoint, Timeout: g.Timeout, Language: g.Language, UserAgent: "certwiz-" + g.Version})
		if err != nil {
			return exit(api.ExitInput, err)
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
