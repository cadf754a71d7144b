package ui

import (
	"fmt"
	"slices"

	"github.com/certwiz/certwiz/ui/termtext"
)

// resumeCommand reopens this session on the named profile.
func (s *session) resumeCommand(name string) string {
	return s.commandLine("--profile", name)
}

// commandLine is a certwiz command with this session's flags (--sandbox,
// --config-dir, --language, --endpoint), quoted for a shell.
func (s *session) commandLine(args ...string) string {
	all := s.opts.Resume
	if len(all) == 0 {
		all = []string{"certwiz"}
	}
	return termtext.CommandLine(append(slices.Clone(all), args...)...)
}

// onwardLine is a hint that goes on from a certificate's stage, with the
// sandbox's warning that it forgets.
func (s *session) onwardLine(hint string) string {
	if s.opts.Sandbox {
		hint += txtSandboxForgets.In(s.lang)
	}
	return hint + "\n"
}

// savedLine is the exit message of a saved draft.
func (s *session) savedLine() string {
	if s.d == nil || s.d.name == "" {
		return ""
	}
	return fmt.Sprintf(txtSavedAs.In(s.lang), s.d.name, s.resumeCommand(s.d.name)) + "\n"
}
