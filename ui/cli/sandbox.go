package cli

import (
	"context"
	"fmt"
	"net"
	"os"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/spf13/cobra"
)

// SandboxOptions are the flags of `certwiz sandbox`.
type SandboxOptions struct {
	*Globals
	Listen string
	Rate   int
	Quiet  bool
}

// NewSandboxCmd returns `certwiz sandbox`.
func NewSandboxCmd(g *Globals) *cobra.Command {
	o := &SandboxOptions{Globals: g}
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve an imitation of the SSL endpoint to try certwiz without an account",
		Long: `Serve an imitation of the ssl endpoint's SubmitCertificateInformation on a
loopback address. It verifies TC3-HMAC-SHA256 signatures, answers in the
service's JSON, knows a few certificates and has test IDs that trigger every
documented error. It uses a public demo key unless TENCENTCLOUD_SECRET_ID and
TENCENTCLOUD_SECRET_KEY are set in its environment.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSandbox(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Listen, "listen", "127.0.0.1:8417", "`ADDR` to listen on (host:port; port 0 picks a free one)")
	cmd.Flags().IntVar(&o.Rate, "rate", api.DefaultRate, "requests per second before RequestLimitExceeded")
	cmd.Flags().BoolVar(&o.Quiet, "quiet", false, "do not log each request")
	return cmd
}

func runSandbox(ctx context.Context, o *SandboxOptions) error {
	opts := sandbox.OptionsFromEnv()
	opts.Rate = o.Rate
	if !o.Quiet {
		opts.Log = o.IO.Err
	}
	demo := opts.SecretID == ""
	if host, _, err := net.SplitHostPort(o.Listen); err == nil && !api.IsLoopback(host) && demo {
		fmt.Fprintf(o.IO.Err, "Warning: listening on %s with the public demo key: anyone who can reach it can use it\n", o.Listen)
	}
	srv := sandbox.New(opts)
	err := sandbox.Serve(ctx, o.Listen, srv, func(addr string) {
		out := o.IO.Out
		fmt.Fprintf(out, "certwiz sandbox listening\n\n  endpoint: http://%s\n", addr)
		if demo {
			fmt.Fprintf(out, "\nUse it with:\n\n  export %s=%s\n  export %s=%s\n  certwiz submit --endpoint http://%s --input example.json\n",
				api.EnvSecretID, sandbox.DemoSecretID, api.EnvSecretKey, sandbox.DemoSecretKey, addr)
		} else {
			fmt.Fprintf(out, "  SecretId: %s (from %s; the SecretKey is the one in its environment)\n", api.MaskSecretID(srv.SecretID()), api.EnvSecretID)
		}
		fmt.Fprintf(out, "\nCertificates:\n")
		for _, c := range sandbox.Certificates {
			fmt.Fprintf(out, "  %-24s %s\n", c.ID, c.About)
		}
		fmt.Fprintf(out, "  %-24s FailedOperation.CertificateNotFound\n", "(any other ID)")
		fmt.Fprintf(out, "\nTest IDs:\n")
		for _, f := range sandbox.Faults {
			what := f.Code
			if what == "" {
				what = f.Message
			}
			fmt.Fprintf(out, "  %-24s %s\n", f.ID, what)
		}
		fmt.Fprintf(out, "\nPress Ctrl+C to stop.\n")
		if f, ok := out.(*os.File); ok {
			_ = f.Sync()
		}
	})
	if err != nil {
		return exit(api.ExitFailure, err)
	}
	return nil
}
