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
	"github.com/certwiz/certwiz/api/dnscheck"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/spf13/cobra"
)

// SandboxOptions are the flags of `certwiz sandbox`.
type SandboxOptions struct {
	*Globals
	Listen       string
	Rate         int
	Quiet        bool
	PublishDelay time.Duration
	NoPublish    bool
	FreeLimit    int
}

// NewSandboxCmd returns `certwiz sandbox`.
func NewSandboxCmd(g *Globals) *cobra.Command {
	o := &SandboxOptions{Globals: g}
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve an imitation of the SSL endpoint to try certwiz without an account",
		Long: `Serve an imitation of the ssl endpoint on a loopback address, from the
information to the issued certificate: SubmitCertificateInformation,
DescribeCertificates, DescribeCertificateDetail, CommitCertificateInformation,
CheckCertificateDomainVerification, CompleteCertificate,
DownloadCertificate and ApplyCertificate, over certificates held in memory
(nothing is saved).

ApplyCertificate makes a free DV certificate (apply001, apply002…) that
waits for domain validation like a committed one (with DNS_AUTO it is
issued by itself); with OldCertificateId it renews a free certificate
issued and in its last 30 days, once (the old one's HasRenewOrder names the
new one), for the same domain. expfree1, exppaid1, exppaid2 and longlive1
are issued certificates that end 10, 20, 25 and 300 days after the sandbox
starts (Beijing time), so certwiz certs --expiring has something to show;
exppaid1's renewal order is renpaid1, awaiting information.
--free-limit N answers FailedOperation.ExceedsFreeLimit from the N+1th
application on.

A commit makes validation records per domain as Tencent Cloud does (a TXT
record _dnsauth[.sub] in the domain's zone, or a file under
/.well-known/pki-validation/). The sandbox runs its own DNS server (UDP and
TCP) and HTTP and HTTPS servers on loopback and publishes each record there
--publish-delay after the commit (default 20s; 0 = at once): the stand-in
for you creating it. --no-publish never publishes, for tests that add
records to a DNS server of their own. Its CheckCertificateDomainVerification
looks the records up where certwiz status does, answers Frequently when
asked again within 5 seconds, and once CompleteCertificate was called and
every record is found, a sandbox CA (in memory, trusted nowhere) issues the
certificate for the submitted CSR, or for a key it generates when the
CsrType is online; DownloadCertificate returns a ZIP laid out like Tencent
Cloud's. Point certwiz status at its DNS server with --resolver and
--nameserver (the addresses are printed at start), or try the whole road in
one process: certwiz --sandbox status dcvwait1 --watch (its record appears
after --sandbox-delay).

It verifies TC3-HMAC-SHA256 signatures, answers in the service's JSON,
refuses more than --rate requests of one action starting in any second, and
has test IDs that trigger every documented error, and hostile archives. It
uses a public demo key unless TENCENTCLOUD_SECRET_ID and
TENCENTCLOUD_SECRET_KEY are set in its environment. When it stops it says
how many requests it served and the most that started in any rolling
second.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSandbox(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Listen, "listen", "127.0.0.1:8417", "`ADDR` to listen on (host:port; port 0 picks a free one)")
	cmd.Flags().IntVar(&o.Rate, "rate", api.DefaultRate, "requests of one action per second before RequestLimitExceeded")
	cmd.Flags().BoolVar(&o.Quiet, "quiet", false, "do not log each request")
	cmd.Flags().DurationVar(&o.PublishDelay, "publish-delay", sandbox.DefaultPublishDelay, "publish validation records this `DURATION` after a commit (0 = at once)")
	cmd.Flags().BoolVar(&o.NoPublish, "no-publish", false, "never publish validation records (tests add them to a DNS server of their own)")
	cmd.Flags().IntVar(&o.FreeLimit, "free-limit", 0, "free certificates ApplyCertificate makes before FailedOperation.ExceedsFreeLimit (0 = no limit)")
	return cmd
}

func runSandbox(ctx context.Context, o *SandboxOptions) error {
	if o.Rate < 1 || o.Rate > 1000 {
		return exit(api.ExitInput, fmt.Errorf("--rate %d: give 1 to 1000 requests per second", o.Rate))
	}
	if o.PublishDelay < 0 {
		return exit(api.ExitInput, fmt.Errorf("--publish-delay %s: give 0 (at once) or more", o.PublishDelay))
	}
	if o.FreeLimit < 0 {
		return exit(api.ExitInput, fmt.Errorf("--free-limit %d: give 0 (no limit) or more", o.FreeLimit))
	}
	opts := sandbox.OptionsFromEnv()
	opts.Rate = o.Rate
	opts.PublishDelay, opts.NoPublish = publishDelay(o.PublishDelay), o.NoPublish
	opts.FreeLimit = o.FreeLimit
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
		printValidation(out, o.Language, addr, srv.Addrs(), o.PublishDelay, o.NoPublish)
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
			if f.Action == sandbox.ActionApply {
				what += " (as OldCertificateId, with DomainName " + sandbox.ApplyDomain(f.ID) + ")"
			}
			fmt.Fprintf(out, "  %-24s %s\n", f.ID, what)
		}
		for _, c := range sandbox.RolloutCertificates {
			fmt.Fprintf(out, "  %-24s %s\n", c.ID, c.About)
		}
		fmt.Fprintf(out, "\nResources bound to certificates (certwiz bindings ID):\n")
		for _, b := range sandbox.Bindings {
			cert := b.CertID
			if cert == "" {
				cert = "(none: certwiz deploy)"
			}
			fmt.Fprintf(out, "  %-24s %s %s %s %s\n", cert, b.Type, b.Region, strings.Trim(b.InstanceID+"|"+b.ListenerID, "|"), strings.Join(b.Domains, ","))
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

// printValidation says where the sandbox's validation servers answer and
// how to point certwiz status at them.
func printValidation(out io.Writer, lang, addr string, a sandbox.Addrs, delay time.Duration, noPublish bool) {
	fmt.Fprintf(out, "\n%s\n\n", say(lang, "Domain validation (records a commit makes):", "域名验证（发送给 CA 后生成的记录）："))
	fmt.Fprintf(out, "  DNS:   %s %s\n", a.DNS, say(lang, "(UDP and TCP; authoritative for the zones of the certificates below)", "（UDP 和 TCP；下列证书所在区域的权威服务器）"))
	fmt.Fprintf(out, "  HTTP:  %s\n  HTTPS: %s %s\n", a.HTTP, a.HTTPS, say(lang, "(files under /.well-known/pki-validation/ for any Host)", "（任意 Host 下 /.well-known/pki-validation/ 中的文件）"))
	switch {
	case noPublish:
		fmt.Fprintf(out, "  %s\n", say(lang, "Records are never published (--no-publish).", "记录不会发布（--no-publish）。"))
	case delay <= 0:
		fmt.Fprintf(out, "  %s\n", say(lang, "Records are published at once after a commit.", "发送给 CA 后立即发布记录。"))
	default:
		fmt.Fprintf(out, "  %s\n", fmt.Sprintf(say(lang, "Records are published %s after a commit (--publish-delay).", "发送给 CA %s 后发布记录（--publish-delay）。"), delay))
	}
	fmt.Fprintf(out, "\n%s\n\n  certwiz status ID --endpoint http://%s --resolver %s --nameserver %s --watch\n",
		say(lang, "Watch a DNS-validated certificate through validation against it with:", "用以下命令针对沙箱跟踪 DNS 验证的证书："), addr, a.DNS, a.DNS)
	fmt.Fprintf(out, "\n%s\n\n  curl -H 'Host: DOMAIN' http://%s/.well-known/pki-validation/FILE\n",
		say(lang, "A FILE record is served here (certwiz status would fetch the real site: only certwiz --sandbox checks files in the sandbox):",
			"FILE 记录由此提供（certwiz status 会访问真实网站：只有 certwiz --sandbox 在沙箱中检查文件）："), a.HTTP)
}

// publishDelay is a flag's delay as the sandbox takes it: the flag's 0
// ("at once") is the sandbox's negative, its zero being the default.
func publishDelay(flag time.Duration) time.Duration {
	if flag <= 0 {
		return -1
	}
	return flag
}

// lookupOptions is where the local check asks: --resolver and --nameserver
// when given, over the sandbox's own servers under --sandbox; with neither,
// the zero options (the system's resolver, the zones' own name servers).
func lookupOptions(sandbox *dnscheck.Options, resolver string, nameservers []string) dnscheck.Options {
	var o dnscheck.Options
	if sandbox != nil {
		o = *sandbox
	}
	if resolver != "" {
		o.Resolver = resolver
	}
	if len(nameservers) > 0 {
		o.Nameservers = slices.Clone(nameservers)
	}
	return o
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
	return mostWithin(time.Second, all)
}

// mostWithin is the most of these times (sorted in place) that fall within
// any rolling window.
func mostWithin(window time.Duration, times []time.Time) int {
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	most := 0
	for i, j := 0, 0; j < len(times); j++ {
		for times[j].Sub(times[i]) >= window {
			i++
		}
		most = max(most, j-i+1)
	}
	return most
}
