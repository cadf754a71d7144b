package api

// StepState is how far one step of a request has come.
type StepState int

const (
	StepTodo    StepState = iota // something needed is missing
	StepDone                     // complete and valid
	StepProblem                  // a value present is invalid
)

// StepStatus is one step's state and its problems.
type StepStatus struct {
	Step     Step
	State    StepState
	Problems Problems
}

// Progress is a request's state step by step, from the complete-mode
// validation: what the wizard's sidebar and `profiles list` show.
type Progress struct {
	Steps []StepStatus
	Done  int // steps complete and valid
	Bad   int // steps with an invalid value
}

// ProgressOf measures a request against the minimum complete set. The
// verification step counts as done only once VerifyType is chosen: the
// wizard always asks it.
func ProgressOf(r Request) Progress {
	ps := Validate(r, Complete)
	var pr Progress
	for _, st := range Steps {
		s := StepStatus{Step: st.Step, State: StepDone}
		for _, p := range ps {
			if p.Step != st.Step {
				continue
			}
			s.Problems = append(s.Problems, p)
			if !p.Missing {
				s.State = StepProblem
			} else if s.State == StepDone {
				s.State = StepTodo
			}
		}
		if st.Step == StepVerification && !r.Has("VerifyType") && s.State == StepDone {
			s.State = StepTodo
		}
		switch s.State {
		case StepDone:
			pr.Done++
		case StepProblem:
			pr.Bad++
		}
		pr.Steps = append(pr.Steps, s)
	}
	return pr
}
