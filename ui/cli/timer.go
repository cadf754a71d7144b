package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/newfile"
	"github.com/spf13/cobra"
)

// The systemd units that run `certwiz renew` from a timer. The deb and rpm
// packages carry them (written by the release's `certwiz timer` hook),
// disabled until the user enables the timer; other systems write them
// with `certwiz timer --dir`.
const (
	renewService = "certwiz-renew.service"
	renewTimer   = "certwiz-renew.timer"
)

// RenewUnits are the two units' file names and text for the binary at bin.
func RenewUnits(bin string) map[string]string {
	return map[string]string{
		renewService: `[Unit]
Description=Renew the certificates installed by certwiz
Documentation=man:certwiz-renew(1)
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
# renew is cheap when nothing is due: no request at all. Exit 6 means a
# validation is still waiting; the next run goes on with it.
ExecStart=` + systemdQuote(bin) + ` renew --yes
SuccessExitStatus=6
# Credentials for renew (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY),
# when not in root's ~/.tencentcloud/credentials or a CVM role: a file
# only root can read.
EnvironmentFile=-/etc/certwiz/environment
Environment=HOME=/root
`,
		renewTimer: `[Unit]
Description=Renew the certificates installed by certwiz, twice a day
Documentation=man:certwiz-renew(1)

[Timer]
OnCalendar=*-*-* 00,12:00:00
RandomizedDelaySec=1h
Persistent=true

[Install]
WantedBy=timers.target
`,
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// systemdQuote quotes a path for ExecStart when it needs it.
func systemdQuote(p string) string {
	if !strings.ContainsAny(p, " \t\"'\\") {
		return p
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p) + `"`
}

// NewTimerCmd returns `certwiz timer`: the systemd units that renew from a
// timer, printed or written into a folder.
func NewTimerCmd(g *Globals) *cobra.Command {
	var dir, bin string
	cmd := &cobra.Command{
		Use:   "timer",
		Short: "Print the systemd units that run certwiz renew twice a day, or write them with --dir",
		Long: `Print the systemd service and timer that run "certwiz renew" twice a day
(a random delay of up to an hour, and a run missed while the machine was
off is made up at boot). The deb and rpm packages install them, disabled;
enable them with:

  sudo systemctl enable --now certwiz-renew.timer

Elsewhere, write them first (an existing unit is never replaced):

  sudo certwiz timer --dir /etc/systemd/system

Without systemd, a crontab line does the same:

  17 0,12 * * * certwiz renew --yes`,
		Example: `  certwiz timer
  sudo certwiz timer --dir /etc/systemd/system && sudo systemctl enable --now certwiz-renew.timer`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if bin == "" {
				exe, err := os.Executable()
				if err != nil {
					return exit(api.ExitFailure, fmt.Errorf("timer: where this certwiz is: %w", err))
				}
				bin = exe
			}
			if !filepath.IsAbs(bin) {
				return exit(api.ExitInput, fmt.Errorf("--bin %q: give the absolute path of certwiz (systemd runs it without a PATH search)", bin))
			}
			units := RenewUnits(bin)
			names := []string{renewService, renewTimer}
			if dir == "" {
				for _, n := range names {
					fmt.Fprintf(g.IO.Out, "# %s\n%s\n", n, units[n])
				}
				return nil
			}
			// Both or neither: a unit already there stops the writing first.
			for _, n := range names {
				if path := filepath.Join(dir, n); exists(path) {
					return exit(api.ExitInput, fmt.Errorf("%s is already there: certwiz does not replace it (remove it first, or compare with `certwiz timer`)", path))
				}
			}
			for _, n := range names {
				path := filepath.Join(dir, n)
				if err := newfile.Write(path, []byte(units[n])); err != nil {
					return exit(api.ExitFailure, fmt.Errorf("write %s: %w", path, err))
				}
				fmt.Fprintf(g.IO.Out, "%s %s\n", say(g.Language, "Wrote", "已写入"), path)
			}
			fmt.Fprintln(g.IO.Out, say(g.Language, "Enable it with: systemctl daemon-reload && systemctl enable --now "+renewTimer,
				"启用：systemctl daemon-reload && systemctl enable --now "+renewTimer))
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "write the units into `DIR` (e.g. /etc/systemd/system) instead of printing them")
	cmd.Flags().StringVar(&bin, "bin", "", "the certwiz the service runs, an absolute `PATH` (default: this one)")
	return cmd
}
