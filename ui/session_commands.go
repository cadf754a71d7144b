package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/certwiz/certwiz/ui/safe"
)

// resumeCommand reopens this session on the named profile.
func (s *session) resumeCommand(name string) string {
	return s.commandLine("--profile", name)
}

// shellQuote makes a word safe to print (escaped by ui/safe: a word from
// an answer never acts on the terminal) and quotes it for a POSIX shell
// when it needs it.
func shellQuote(a string) string {
	a = safe.Text(a)
	if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,") == "" {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}

// commandLine is a certwiz command with this session's flags (--sandbox,
// --config-dir, --language, --endpoint), quoted for a shell.
func (s *session) commandLine(args ...string) string {
	all := s.opts.Resume
	if len(all) == 0 {
		all = []string{"certwiz"}
	}
	return CommandLine(append(slices.Clone(all), args...)...)
}

// CommandLine joins a command's words for a POSIX shell, escaped and
// quoted (shellQuote): what certwiz prints for the user to run.
func CommandLine(words ...string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = shellQuote(w)
	}
	return strings.Join(quoted, " ")
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
