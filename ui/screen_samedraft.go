package ui

import (
	"fmt"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
)

// sameDraftQuestion asks what to do when a saved draft already holds the
// certificate just typed: continue it, replace it, or keep both. Without
// it every restart left cert-<id>, cert-<id>-2, cert-<id>-3…
func sameDraftQuestion(s *session, e profiles.Entry, then route) question {
	pr := api.ProgressOf(e.Profile.Params)
	text := fmt.Sprintf(txtSameDraft.In(s.lang), safe.Text(e.Profile.Params.CertificateId), e.Name, pr.Done, len(pr.Steps), e.Profile.Updated.Local().Format("2006-01-02 15:04"))
	answers := []pickOption{
		{fmt.Sprintf(txtSameContinue.In(s.lang), e.Name), "continue"},
		{fmt.Sprintf(txtSameReplace.In(s.lang), e.Name), "replace"},
		{txtSameKeepBoth.In(s.lang), "both"},
	}
	step := s.stepIndex(api.StepCertificate)
	return question{at: step, text: text, ask: txtSameQuestion.In(s.lang), answers: answers,
		onPick: func(v string) route {
			switch v {
			case "continue":
				s.d = draftOf(e.Profile)
				return toResume{}
			case "replace":
				s.d.name, s.d.named = e.Name, !isProvisional(e.Name)
			}
			s.saveQuietly()
			return then
		},
		onEsc: toStep{i: step}}
}

// isProvisional reports a name certwiz chose itself (cert-<id>), which the
// user is still asked to change after the domains.
func isProvisional(name string) bool { return strings.HasPrefix(name, "cert-") }
