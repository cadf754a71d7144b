package ui

import (
	"fmt"
	"slices"

	"github.com/certwiz/certwiz/api"
)

// problems are validation's, plus what only the wizard knows: a key and
// CSR made here for names that have changed since.
func (s *session) problems() api.Problems {
	r := s.d.request()
	ps := api.Validate(r, api.Complete)
	if s.d.sameContact {
		ps = withoutCopies(ps)
	}
	if s.d.csrMode == modeGenerate && s.d.generated == nil && s.genErr == nil {
		// "generate here" is decided: the CSR is made at review, once the
		// names are known. Until then it is not missing.
		ps = withoutMissing(ps, "CsrContent")
	}
	if s.d.csrMode == modeGenerate && r.CertificateDomain != "" {
		n := r.Normalized()
		g := s.d.generated
		switch {
		case s.genErr != nil:
			ps = append(ps, api.Problem{Param: "CsrContent", Step: api.StepCSR, What: t{EN: s.genErr.Error(), ZH: s.genErr.Error()}, Fix: txtGenFix})
		case g != nil && (g.domain != n.CertificateDomain || !slices.Equal(g.names, n.DomainList)):
			ps = append(ps, api.Problem{Param: "CsrContent", Step: api.StepCSR, What: t{EN: fmt.Sprintf(txtGenStale.EN, g.keyPath), ZH: fmt.Sprintf(txtGenStale.ZH, g.keyPath)}, Fix: txtGenFix})
		}
	}
	if d := s.d; d.csrMode == modeGenerate && d.generated == nil && d.encrypt && d.keyPass == "" && s.genErr == nil {
		ps = append(ps, api.Problem{Param: "CsrContent", Step: api.StepCSR, What: txtPassAgainResume, Fix: txtPassesFix})
	}
	// A passphrase typed twice differently is never used: a typo in the
	// only copy would make the key unusable.
	if d := s.d; (d.csrMode == modeGenerate && d.keyPass != d.keyPassAgain && s.genErr == nil) || (d.csrMode == modeOnline && d.req.KeyPassword != d.keyPasswordAgain) {
		param := "CsrContent"
		if d.csrMode == modeOnline {
			param = "KeyPassword"
		}
		ps = append(ps, api.Problem{Param: param, Step: api.StepCSR, What: txtPassesDiffer, Fix: txtPassesFix})
	}
	// A CSR without a name the domains step lists is the CSR step's problem
	// too: the sidebar must not show the CSR as done.
	if r.CsrType == modeParse && r.CsrContent != "" {
		if info, p := api.InspectCSR(r.CsrContent); p == nil {
			n := r.Normalized()
			for _, m := range info.Check(n.CertificateDomain, n.DomainList) {
				if m.Param != "CsrContent" {
					ps = append(ps, api.Problem{Param: "CsrContent", Step: api.StepCSR, What: t(m.What), Fix: t(m.Fix)})
				}
			}
		}
	}
	return ps
}

// withoutMissing drops the "missing" problems of one parameter.
func withoutMissing(ps api.Problems, param string) api.Problems {
	var out api.Problems
	for _, p := range ps {
		if !p.Missing || p.Param != param {
			out = append(out, p)
		}
	}
	return out
}

// withoutCopies drops the contact's problems that are the administrator's,
// copied: they are fixed in the Administrator step, and the sidebar must
// not point at a step the user has not reached.
func withoutCopies(ps api.Problems) api.Problems {
	var out api.Problems
	for _, p := range ps {
		copied := false
		for _, pair := range contactOfAdmin {
			if p.Param == pair[0] && !p.Missing && len(ps.For(pair[1])) > 0 {
				copied = true
			}
		}
		if !copied {
			out = append(out, p)
		}
	}
	return out
}

// progress is each step's state from problems().
func (s *session) progress() api.Progress {
	r := s.d.request()
	ps := s.problems()
	var pr api.Progress
	for _, st := range api.Steps {
		ss := api.StepStatus{Step: st.Step, State: api.StepDone}
		for _, p := range ps {
			if p.Step != st.Step {
				continue
			}
			ss.Problems = append(ss.Problems, p)
			if !p.Missing {
				ss.State = api.StepProblem
			} else if ss.State == api.StepDone {
				ss.State = api.StepTodo
			}
		}
		if st.Step == api.StepVerification && !r.Has("VerifyType") && ss.State == api.StepDone {
			ss.State = api.StepTodo
		}
		switch ss.State {
		case api.StepDone:
			pr.Done++
		case api.StepProblem:
			pr.Bad++
		}
		pr.Steps = append(pr.Steps, ss)
	}
	return pr
}

// blockers counts what keeps the draft from being submitted: its problems,
// plus one when there are no credentials to sign with.
func (s *session) blockers() int {
	n := len(s.problems())
	if s.opts.Client == nil {
		n++
	}
	return n
}
