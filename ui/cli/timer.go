package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/newfile"
	"github.com/certwiz/certwiz/profiles"
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

// Unit says whose renewals the service runs: the binary, the config and
// state folders (written in, so the service renews the installations the
// user made, whatever HOME systemd gives it) and, for a user other than
// root, the user it runs as.
type Unit struct{ Bin, ConfigDir, StateDir, User string }

// RenewUnits are the two units' file names and text.
func RenewUnits(u Unit) map[string]string {
	who := "Environment=HOME=/root\n"
	if u.User != "" {
		who = "User=" + u.User + "\n"
	}
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
ExecStart=` + systemdQuote(u.Bin) + ` renew --yes
SuccessExitStatus=6
Environment=` + systemdQuote("CERTWIZ_CONFIG_DIR="+u.ConfigDir) + `
Environment=` + systemdQuote("CERTWIZ_STATE_DIR="+u.StateDir) + `
# Credentials for renew (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY),
# when not in ~/.tencentcloud/credentials or a CVM role: a file only root
# can read.
EnvironmentFile=-/etc/certwiz/environment
` + who,
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

// unit is the service's user and folders: this certwiz's own, so the timer
// renews what `certwiz installs` lists here.
func (g *Globals) unit(bin, as string) (Unit, error) {
	cfg, err := profiles.ConfigDir(g.ConfigDir)
	if err == nil {
		cfg, err = filepath.Abs(cfg)
	}
	if err != nil {
		return Unit{}, exit(api.ExitInput, fmt.Errorf("timer: the config folder: %w", err))
	}
	state, err := profiles.StateDir()
	if err == nil {
		state, err = filepath.Abs(state)
	}
	if err != nil {
		return Unit{}, exit(api.ExitInput, fmt.Errorf("timer: the state folder: %w", err))
	}
	u := Unit{Bin: bin, ConfigDir: cfg, StateDir: state, User: as}
	if as == "" && os.Getuid() != 0 {
		me, err := user.Current()
		if err != nil {
			return Unit{}, exit(api.ExitFailure, fmt.Errorf("timer: who runs certwiz: %w", err))
		}
		u.User = me.Username
	}
	if u.User == "root" {
		u.User = ""
	}
	return u, nil
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
	var dir, bin, as string
	cmd := &cobra.Command{
		Use:   "timer",
		Short: "Print the systemd units that run certwiz renew twice a day, or write them with --dir",
		Long: `Print the systemd service and timer that run "certwiz renew" twice a day
(a random delay of up to an hour, and a run missed while the machine was
off is made up at boot). The deb and rpm packages install them, disabled;
enable them with:

  sudo systemctl enable --now certwiz-renew.timer

The service renews the installations of the config folder in use when the
units are written (--config-dir, CERTWIZ_CONFIG_DIR, or ~/.config/certwiz)
and keeps its history in the state folder in use: both are written into
the unit, with User= when it is not root.

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
			u, err := g.unit(bin, as)
			if err != nil {
				return err
			}
			units := RenewUnits(u)
			names := []string{renewService, renewTimer}
			if dir == "" {
				for _, n := range names {
					fmt.Fprintf(g.IO.Out, "# %s\n%s\n", n, units[n])
				}
				return nil
			}
			// Units run as root: only a folder others cannot write to.
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				return exit(api.ExitInput, fmt.Errorf("--dir %s: not a folder (give the systemd unit folder, e.g. /etc/systemd/system)", dir))
			} else if fi.Mode().Perm()&0o022 != 0 && fi.Mode()&os.ModeSticky == 0 {
				return exit(api.ExitInput, fmt.Errorf("--dir %s: writable by its group or everyone (mode %04o): another user could replace a unit that runs as root; use a folder only its owner can write", dir, fi.Mode().Perm()))
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
	cmd.Flags().StringVar(&as, "user", "", "the `USER` the service runs as (default: who runs this; root needs no User= line)")
	return cmd
}
