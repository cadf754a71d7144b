package ui

import (
	"fmt"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/profiles"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// A route says where the wizard goes next. Screens never build each
// other: they return goTo(route), and screenFor, the one switch below,
// builds the screen. A new screen's place in the flow is a route type and
// a case here.
type route interface{ isRoute() }

type (
	toStart       struct{}              // the start menu
	toProfileUses struct{ name string } // continue a saved profile, or start from it
	toResume      struct{}              // the draft's first step that is not done, or review
	// toStep opens step i: the account's certificates awaiting
	// information for the first step when the account can be asked.
	toStep struct {
		i          int
		fromReview bool // back to review when done
	}
	// toStepForm opens step i's form itself, never the list, with a note
	// about it (the account's answer to a typed ID) above it.
	toStepForm struct {
		i          int
		fromReview bool
		note       string
	}
	toCheckID struct{ fromReview bool } // the account's check of a typed CertificateId
	toName    struct{ fromReview bool } // the profile's name, after the domains
	// toSameDraft asks about a saved draft of the same certificate, then
	// goes on to then unless the user continues that draft.
	toSameDraft struct {
		e    profiles.Entry
		then route
	}
	toReview      struct{ action string } // the action the cursor starts on; "": review's choice
	toEditPick    struct{}                // which step to edit from review
	toReplaceFile struct{ path string }   // the export's file exists: replace it?
	toSubmit      struct{ attempt int }
	toSubmitError struct {
		e       *api.Error
		attempt int
	}
	toResult      struct{ res api.Result }
	toConfirmSend struct{ res api.Result } // before the order goes to the CA
	toCommit      struct {
		res     api.Result
		attempt int
	}
	toCommitError struct {
		e       *api.Error
		res     api.Result
		attempt int
		fate    api.Fate // what reading the certificate showed when the answer was lost
	}
	toValidation struct {
		id   string
		sent *api.CommitResult // the commit that led here, when the wizard just made it
		// confirmed: sent's answer was lost, and reading the certificate
		// showed the order with the CA.
		confirmed bool
	}
	// toDownload asks where to put the issued certificate, offering the
	// domain's own folder.
	toDownload struct {
		d       api.CertificateDetail
		unasked bool // it opens by itself: keys in flight were meant for the screen before
	}
	// toDownloadAgain asks again after a download into dir failed, and
	// says why.
	toDownloadAgain struct {
		d           api.CertificateDetail
		dir, failed string
	}
	// toInstalled is the final card: the certificate on disk, and the
	// offer to install it here.
	toInstalled struct {
		res       install.Installed
		notNeeded []string // the other keys generated here for it, forgotten now
		d         api.CertificateDetail
	}
	toInstallForm    struct{ a *installAnswers } // "install here": the questions
	toInstallConfirm struct{ a *installAnswers } // what installing will change
	toInstalling     struct{ a *installAnswers }
	toInstallDone    struct {
		a *installAnswers
		r installResult
	}
	toInstallFailed struct {
		a *installAnswers
		r installResult
	}
	// The rollout: OLD and NEW, the plan read, the plan and its
	// question, a step running (replace, retry, rollback), its end.
	toRolloutForm     struct{ a *rolloutAnswers }
	toRolloutPlanning struct{ a *rolloutAnswers }
	toRolloutPlan     struct{ a *rolloutAnswers }
	toRollingOut      struct {
		a    *rolloutAnswers
		step rolloutStep
	}
	toRolloutEnd struct {
		a       *rolloutAnswers
		d       rolloutDone
		planErr bool // the plan could not be read
	}
	toFromCert struct{} // a new draft from a submitted certificate
	toValPick  struct{} // the certificates in validation
)

func (toStart) isRoute()           {}
func (toProfileUses) isRoute()     {}
func (toResume) isRoute()          {}
func (toStep) isRoute()            {}
func (toStepForm) isRoute()        {}
func (toCheckID) isRoute()         {}
func (toName) isRoute()            {}
func (toSameDraft) isRoute()       {}
func (toReview) isRoute()          {}
func (toEditPick) isRoute()        {}
func (toReplaceFile) isRoute()     {}
func (toSubmit) isRoute()          {}
func (toSubmitError) isRoute()     {}
func (toResult) isRoute()          {}
func (toConfirmSend) isRoute()     {}
func (toCommit) isRoute()          {}
func (toCommitError) isRoute()     {}
func (toValidation) isRoute()      {}
func (toDownload) isRoute()        {}
func (toDownloadAgain) isRoute()   {}
func (toInstalled) isRoute()       {}
func (toInstallForm) isRoute()     {}
func (toInstallConfirm) isRoute()  {}
func (toInstalling) isRoute()      {}
func (toInstallDone) isRoute()     {}
func (toInstallFailed) isRoute()   {}
func (toRolloutForm) isRoute()     {}
func (toRolloutPlanning) isRoute() {}
func (toRolloutPlan) isRoute()     {}
func (toRollingOut) isRoute()      {}
func (toRolloutEnd) isRoute()      {}
func (toFromCert) isRoute()        {}
func (toValPick) isRoute()         {}

// screenFor builds the screen a route leads to.
func (s *session) screenFor(r route) screen {
	switch r := r.(type) {
	case toStart:
		return newStart(s)
	case toProfileUses:
		return newProfileUses(s, r.name)
	case toResume:
		return s.screenFor(s.resume())
	case toStep:
		return stepAt(s, r.i, r.fromReview)
	case toStepForm:
		return newStep(s, r.i, r.fromReview).withNote(r.note)
	case toCheckID:
		return newCheckID(s, r.fromReview)
	case toName:
		return newName(s, r.fromReview)
	case toSameDraft:
		return newChoice(s, sameDraftQuestion(s, r.e, r.then))
	case toReview:
		return newReviewAt(s, r.action)
	case toEditPick:
		return newEditPick(s)
	case toReplaceFile:
		return newChoice(s, replaceQuestion(s, r.path))
	case toSubmit:
		return newSubmitting(s, r.attempt)
	case toSubmitError:
		card := newErrorCard(s, r.e, r.attempt, s.opts.Now(), api.FateAnswered)
		card.retry = func(n int) route { return toSubmit{attempt: n} }
		card.back = toReview{}
		return card
	case toResult:
		return newResult(s, r.res)
	case toConfirmSend:
		return newChoice(s, sendQuestion(s, r.res))
	case toCommit:
		return newCommitting(s, r.res, r.attempt)
	case toCommitError:
		card := newErrorCard(s, r.e, r.attempt, s.opts.Now(), r.fate)
		res := r.res
		card.retry = func(n int) route { return toCommit{res: res, attempt: n} }
		card.back = toResult{res}
		if r.fate == api.FateUnknown {
			// The result card offers to send it: not while nobody knows
			// whether the order is with the CA.
			card.back = toReview{}
		}
		return card
	case toValidation:
		v := newValidation(s, r.id)
		v.sent, v.confirmed = r.sent, r.confirmed
		return v
	case toDownload:
		d := newDownloadPrompt(s, r.d)
		d.unasked = r.unasked
		return d
	case toDownloadAgain:
		return newDownloadAt(s, r.d, r.dir, r.failed)
	case toInstalled:
		return newInstalled(s, r.res, r.notNeeded, r.d)
	case toInstallForm:
		return newInstallForm(s, r.a)
	case toInstallConfirm:
		return newInstallConfirm(s, r.a)
	case toInstalling:
		return newInstalling(s, r.a)
	case toInstallDone:
		return newInstallDone(s, r.a, r.r)
	case toInstallFailed:
		return newInstallFailed(s, r.a, r.r)
	case toRolloutForm:
		return newRolloutForm(s, r.a)
	case toRolloutPlanning:
		return newRolloutPlanning(s, r.a)
	case toRolloutPlan:
		return newRolloutPlan(s, r.a)
	case toRollingOut:
		return newRollingOut(s, r.a, r.step)
	case toRolloutEnd:
		return newRolloutEnd(s, r.a, r.d, r.planErr)
	case toFromCert:
		return newFromCert(s)
	case toValPick:
		return newValPick(s)
	}
	panic(fmt.Sprintf("ui: no screen for route %T", r))
}

// The decisions below are the wizard's and accessible mode's both: a new
// place in the flow is decided once for the two.

// resume is where a draft goes on: its first step that is not done, or
// review when all are.
func (s *session) resume() route {
	if i := s.firstOpen(); i < len(api.Steps) {
		return toStep{i: i}
	}
	return toReview{}
}

// started is where a start-menu choice leads; a draft it names is opened.
func (s *session) started(choice string) (route, error) {
	switch choice {
	case "fromcert":
		return toFromCert{}, nil
	case "validating":
		return toValPick{}, nil
	case "rollout":
		return toRolloutForm{&rolloutAnswers{from: toStart{}}}, nil
	}
	if name, ok := strings.CutPrefix(choice, "profile:"); ok {
		return toProfileUses{name}, nil
	}
	if err := s.open(choice); err != nil {
		return toStart{}, err
	}
	return toResume{}, nil
}

// advance leaves step i forwards: to the next step, or to review after
// the last one or when the step was opened from review.
func advance(i int, fromReview bool) route {
	if fromReview || i+1 >= len(api.Steps) {
		return toReview{}
	}
	return toStep{i: i + 1}
}

// stepAt opens step i: the certificate list for the first step when the
// account can be asked, the step's form otherwise.
func stepAt(s *session, i int, fromReview bool) screen {
	if api.Steps[i].Step == api.StepCertificate && s.opts.Client != nil {
		return newCertPick(s, fromReview)
	}
	return newStep(s, i, fromReview)
}

// goTo is what a screen's Update returns to leave for r; the wizard
// builds r's screen at once, within the same message.
func goTo(r route) screen { return routeScreen{r} }

// follow builds the screen next leads to when it is a route.
func (s *session) follow(next screen) screen {
	if r, ok := next.(routeScreen); ok {
		return s.screenFor(r.to)
	}
	return next
}

// routeScreen carries a route out of a screen's Update; it is never shown.
type routeScreen struct{ to route }

func (routeScreen) Init() tea.Cmd                      { return nil }
func (r routeScreen) Update(tea.Msg) (screen, tea.Cmd) { return r, nil }
func (routeScreen) View() string                       { return "" }
func (routeScreen) Keys() []key.Binding                { return nil }
func (routeScreen) Resize(int, int) tea.Cmd            { return nil }
