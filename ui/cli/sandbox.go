package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"time"

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
		Long: `Serve an imitation of the ssl endpoint on a loopback address:
SubmitCertificateInformation, DescribeCertificates, DescribeCertificateDetail
and CommitCertificateInformation over certificates held in memory (a submit
stores the information, a commit sends the order on; nothing is saved). It
verifies TC3-HMAC-SHA256 signatures, answers in the service's JSON, refuses
more than --rate requests of one action starting in any second, and has test
IDs that trigger every documented error. It uses a public demo key unless
TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are set in its
environment. When it stops it says how many requests it served and the most
that started in any rolling second.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSandbox(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Listen, "listen", "127.0.0.1:8417", "`ADDR` to listen on (host:port; port 0 picks a free one)")
	cmd.Flags().IntVar(&o.Rate, "rate", api.DefaultRate, "requests of one action per second before RequestLimitExceeded")
	cmd.Flags().BoolVar(&o.Quiet, "quiet", false, "do not log each request")
	return cmd
}

func runSandbox(ctx context.Context, o *SandboxOptions) error {
	if o.Rate < 1 || o.Rate > 1000 {
		return exit(api.ExitInput, fmt.Errorf("--rate %d: give 1 to 1000 requests per second", o.Rate))
	}
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
	summarize(o.IO.Err, srv)
	return nil
}

// summarize says, when the sandbox stops, what it served from its own
// record of request starts: how many per action, the most that started in
// any rolling second (all actions together, and one action alone), and how
// many it refused for the rate.
func summarize(w io.Writer, srv *sandbox.Server) {
	var all []time.Time
	var parts []string
	mostOne := 0
	for _, action := range sandbox.Actions {
		calls := srv.Calls(action)
		if len(calls) == 0 {
			continue
		}
		all = append(all, calls...)
		mostOne = max(mostOne, mostInASecond(calls))
		parts = append(parts, fmt.Sprintf("%s %d", action, len(calls)))
	}
	if len(all) == 0 {
		return
	}
	fmt.Fprintf(w, "sandbox served %d requests: %s; at most %d starting in any rolling second (all actions together), %d for one action; %d refused for the rate\n",
		len(all), strings.Join(parts, ", "), mostInASecond(all), mostOne, srv.RateRefusals())
}

// mostInASecond is the most of these starts that fall within any rolling
// second.
func mostInASecond(starts ...[]time.Time) int {
	var all []time.Time
	for _, s := range starts {
		all = append(all, s...)
	}
	slices.SortFunc(all, func(a, b time.Time) int { return a.Compare(b) })
	most := 0
	for i, j := 0, 0; j < len(all); j++ {
		for all[j].Sub(all[i]) >= time.Second {
			i++
		}
		most = max(most, j-i+1)
	}
	return most
}
