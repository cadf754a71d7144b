package termtext

import (
	"strings"

	"github.com/certwiz/certwiz/ui/safe"
)

// CommandLine joins a command's words for a POSIX shell, escaped and
// quoted (shellQuote): what certwiz prints for the user to run.
func CommandLine(words ...string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = shellQuote(w)
	}
	return strings.Join(quoted, " ")
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
