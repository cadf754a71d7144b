package cli

import (
	"fmt"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/safe"
)

// lostHint says what reading the certificate showed after a lost answer
// to a commit (or a submission, submit): api.Fate's finding, with the
// command to send it again only when it did not happen (a submission is
// sent again as it was: the user knows how).
func lostHint(g *Globals, id string, f api.Fate, submit bool) string {
	lang := g.Language
	hint := f.Finding(safe.Text(id), safe.Text(commandLine(g, "status", id)), submit).In(lang)
	if f == api.FateNotApplied && !submit {
		hint += fmt.Sprintf(say(lang, " Send it again with: %s", "可用此命令重新发送：%s"), safe.Text(commandLine(g, "commit", id)))
	}
	return hint
}
