package cli

import (
	"fmt"
	"os"
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
			// A fixed date keeps release archives reproducible.
			if t, err := time.Parse(time.RFC3339, g.BuildDate); err == nil {
				header.Date = &t
			} else {
				epoch := time.Unix(0, 0).UTC()
				header.Date = &epoch
			}
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
