// Command certwiz gets a Tencent Cloud paid SSL certificate's information
// submitted right the first time. This file only builds the command tree
// and wires the packages together.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/ui/cli"
	"github.com/spf13/cobra"
)

// Set at release time with -ldflags "-X main.version=… -X main.commit=…
// -X main.date=…"; a `go install` build falls back on its build info.
var (
	version = ""
	commit  = ""
	date    = ""
)

func main() {
	// SIGQUIT (ctrl+\) ends like SIGTERM — draft saved, exit 130 — not
	// with Go's goroutine dump and exit 2, which reads as a usage error.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	cmd, err := newRootCmd(cli.SystemIO()).ExecuteContextC(ctx)
	stop()
	os.Exit(cli.ExitCode(usage(cmd, err), os.Stderr))
}

// usage turns cobra's own errors (unknown flag, command or arguments) into
// usage errors that point once at the help of the command concerned; the
// commands' errors already carry their exit code.
func usage(cmd *cobra.Command, err error) error {
	var e *cli.ExitError
	if err == nil || errors.As(err, &e) || cmd == nil {
		return err
	}
	return cli.UsageError(err, cmd.CommandPath())
}

func newRootCmd(streams cli.IO) *cobra.Command {
	g := &cli.Globals{IO: streams, InstanceRole: true}
	g.Version, g.Commit, g.BuildDate, g.CommitDate = buildInfo()
	root := &cobra.Command{
		Use:   "certwiz",
		Short: "Submit a Tencent Cloud paid SSL certificate's information, right the first time",
		Long: `certwiz submits the company, people and domain information of a Tencent Cloud
paid SSL certificate (SubmitCertificateInformation), checking every field
before anything is sent and explaining every error the service can answer,
then sends the order to the CA (CommitCertificateInformation), shows the
domain validation records and checks them, and puts the issued certificate
on disk.

Run certwiz on a terminal for the wizard (certwiz --sandbox tries it without
an account); use certwiz certs to find certificates awaiting information,
certwiz submit in scripts (--commit to send the order too, --batch for many
certificates), certwiz commit ID to send a submitted order to the CA,
certwiz status ID --watch to follow domain validation to issuance,
certwiz download ID --out DIR for the certificate's files, and certwiz keys
for the private keys generated here (certwiz keys forget ID stops offering
those no longer needed; the files stay).

Exit codes:

    0    success
    1    unexpected failure
    2    usage error or invalid/incomplete input (every bad field named)
    3    the service rejected the request (FailedOperation.*, parameter
         errors, ResourceNotFound...)
    4    credentials or permission (AuthFailure.*, UnauthorizedOperation,
         FailedOperation.AuthError, FailedOperation.NoProjectPermission,
         no credentials found)
    5    transport (network, timeout, HTTP error status, unreadable
         response, RequestLimitExceeded after retries, InternalError,
         ServiceUnavailable)
    6    still waiting: status --watch ended before the certificate was
         issued
    130  interrupted by the user (partial work saved)

Environment:

    TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY
         the API key, first in the credential chain (set both, or neither)
    TENCENTCLOUD_SESSION_TOKEN
         the token of a temporary key
    TENCENTCLOUD_CREDENTIALS_FILE
         the credentials file (default ~/.tencentcloud/credentials)
    TCCLI_PROFILE
         the tccli profile to read: ~/.tccli/NAME.credential (default
         "default")
    CERTWIZ_CONFIG_DIR, XDG_CONFIG_HOME
         the config folder, when --config-dir is not given
    CERTWIZ_STATE_DIR, XDG_STATE_HOME
         the state folder
    LC_ALL, LC_MESSAGES, LANG
         the default of --language: zh* picks zh-CN, anything else en-US
    ACCESSIBLE, TERM
         ACCESSIBLE set (any value) or TERM=dumb: plain prompts on a
         terminal, as --accessible (without a terminal only --accessible
         runs them)
    NO_COLOR
         set: the wizard uses no colours
    VISUAL, EDITOR
         the editor ctrl+e opens for a multi-line field of the wizard
    HOME
         where ~ is

Files:

    config folder   --config-dir, else $CERTWIZ_CONFIG_DIR, else
                    $XDG_CONFIG_HOME/certwiz, else ~/.config/certwiz
                    (Windows: %AppData%\certwiz)
    profiles        <config folder>/profiles/NAME.yaml
    state folder    $CERTWIZ_STATE_DIR, else $XDG_STATE_HOME/certwiz, else
                    ~/.local/state/certwiz (Windows: %LocalAppData%\certwiz)
    history         <state folder>/history.jsonl, one submission a line
                    (and a line per key generated or forgotten)`,
		Version:       versionLine(g),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	var profile string
	root.Flags().StringVarP(&profile, "profile", "p", "", "open the saved profile `NAME`")
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		return cli.RunWizard(cmd.Context(), g, profile)
	}
	root.Args = cobra.NoArgs
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	pf := root.PersistentFlags()
	pf.StringVar(&g.Endpoint, "endpoint", api.DefaultEndpoint, "API endpoint `URL` (http:// only for loopback hosts)")
	pf.DurationVar(&g.Timeout, "timeout", api.DefaultTimeout, "give up on a submission after this `DURATION`")
	pf.StringVar(&g.Language, "language", cli.DefaultLanguage(), "language of messages: en-US or zh-CN")
	pf.StringVar(&g.ConfigDir, "config-dir", "", "`DIR` for profiles (default $CERTWIZ_CONFIG_DIR, $XDG_CONFIG_HOME/certwiz or ~/.config/certwiz)")
	pf.BoolVar(&g.Accessible, "accessible", os.Getenv("ACCESSIBLE") != "" || os.Getenv("TERM") == "dumb", "plain sequential prompts for screen readers")
	pf.BoolVar(&g.Sandbox, "sandbox", false, "use a built-in sandbox endpoint with demo credentials (no account needed)")
	pf.DurationVar(&g.SandboxDelay, "sandbox-delay", sandbox.DefaultPublishDelay, "with --sandbox: publish validation records this `DURATION` after a commit (0 = at once)")
	pf.BoolVar(&g.SandboxNoPublish, "sandbox-no-publish", false, "with --sandbox: never publish validation records (tests add them to a DNS server of their own)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		g.Changed = map[string]bool{}
		for _, name := range []string{"endpoint", "timeout", "language", "config-dir", "accessible", "sandbox", "sandbox-delay"} {
			g.Changed[name] = cmd.Flags().Changed(name)
		}
		g.AccessibleAsked = g.Changed["accessible"] && g.Accessible
		switch l := strings.ToLower(g.Language); {
		case strings.HasPrefix(l, "en"), strings.HasPrefix(l, "zh"):
			g.Language = api.NormalizeLanguage(l)
		default:
			return fmt.Errorf("--language %q: use en-US or zh-CN", g.Language)
		}
		if g.Timeout <= 0 {
			return fmt.Errorf("--timeout %s: must be positive, e.g. 30s", g.Timeout)
		}
		return nil
	}
	root.SetVersionTemplate("certwiz {{.Version}}\n")
	root.AddCommand(cli.NewSubmitCmd(g), cli.NewCertsCmd(g), cli.NewBindingsCmd(g), cli.NewRolloutCmd(g), cli.NewDeployCmd(g), cli.NewCommitCmd(g), cli.NewStatusCmd(g), cli.NewDownloadCmd(g), cli.NewInstallCmd(g), cli.NewInstallsCmd(g), cli.NewRenewCmd(g), cli.NewProfilesCmd(g), cli.NewCSRCmd(g), cli.NewKeysCmd(g), cli.NewHistoryCmd(g), cli.NewSandboxCmd(g), cli.NewErrorsCmd(g), cli.NewManCmd(g), cli.NewTimerCmd(g), newVersionCmd(g))
	return root
}

func newVersionCmd(g *cli.Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print certwiz's version, commit and build date",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintf(g.IO.Out, "certwiz %s\n", versionLine(g))
		},
	}
}

// versionLine is "1.2.3 (commit abc1234, built 2026-11-26T10:00:00Z)": the
// release's date, else the commit's.
func versionLine(g *cli.Globals) string {
	built := g.BuildDate
	if built == "unknown" && g.CommitDate != "" {
		built = g.CommitDate
	}
	return fmt.Sprintf("%s (commit %s, built %s)", g.Version, g.Commit, built)
}

// buildInfo returns version, commit and date from the release's ldflags
// ("dev", "unknown", "unknown" when absent), and the commit time Go's build
// info records (vcs.time; "" without it). The version and commit fall back
// on the build info too: `go install` sets the module version, a build in
// a git checkout records the revision.
func buildInfo() (v, c, d, vcsTime string) {
	v, c, d = version, commit, date
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if c == "" {
					c = s.Value
				}
			case "vcs.time":
				vcsTime = s.Value
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	if c == "" {
		c = "unknown"
	}
	if d == "" {
		d = "unknown"
	}
	return v, c, d, vcsTime
}
