package cli

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// NewManCmd returns `certwiz man`: man pages built from the command tree.
func NewManCmd(g *Globals) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "man",
		Short: "Print the certwiz(1) man page, or write every page with --dir",
		Example: `  certwiz man | man -l -
  certwiz man --dir /usr/local/share/man/man1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			root := cmd.Root()
			header := &doc.GenManHeader{Title: "CERTWIZ", Section: "1", Source: "certwiz " + g.Version, Manual: "certwiz manual"}
			date := ManDate(g, os.Getenv, time.Now())
			header.Date = &date
			root.DisableAutoGenTag = true
			if dir == "" {
				if err := doc.GenMan(root, header, g.IO.Out); err != nil {
					return exit(api.ExitFailure, fmt.Errorf("man page: %w", err))
				}
				return nil
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return exit(api.ExitFailure, fmt.Errorf("man pages: %w", err))
			}
			if err := doc.GenManTree(root, header, dir); err != nil {
				return exit(api.ExitFailure, fmt.Errorf("man pages in %s: %w", dir, err))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "write one page per command into `DIR`")
	return cmd
}

// ManDate is the date in the man pages' footer. It must be right, and the
// same for two builds of one commit so release archives are reproducible:
//  1. the release's build date (ldflags, the commit date in .goreleaser.yaml);
//  2. SOURCE_DATE_EPOCH, the reproducible-builds convention packagers set;
//  3. the commit time Go records in a build from a checkout (vcs.time; the
//     release's `go run . man` hook has it);
//  4. today, for a build without any of these (not reproducible, but never
//     the January 1970 of an unset date).
func ManDate(g *Globals, getenv func(string) string, now time.Time) time.Time {
	if t, err := time.Parse(time.RFC3339, g.BuildDate); err == nil {
		return t.UTC()
	}
	if s := getenv("SOURCE_DATE_EPOCH"); s != "" {
		if sec, err := strconv.ParseInt(s, 10, 64); err == nil && sec > 0 {
			return time.Unix(sec, 0).UTC()
		}
	}
	if t, err := time.Parse(time.RFC3339, g.CommitDate); err == nil {
		return t.UTC()
	}
	return now.UTC()
}
