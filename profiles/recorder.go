package profiles

import (
	"strings"
	"sync"
	"time"

	"github.com/certwiz/certwiz/api"
)

// commitPrefix begins a commit's outcome on disk (COMMIT:OK, COMMIT:<code>,
// COMMIT:SENDING): records older than Action carry it there, and a
// batch's --resume, which looks for OutcomeOK, never takes a commit for a
// submission. It is spelled here only.
const commitPrefix = "COMMIT:"

// Outcome is a record's outcome, typed. On disk it is one string: Code,
// after commitPrefix for a commit.
type Outcome struct {
	Commit bool   // of a commit (CommitCertificateInformation), not a submission
	Code   string // OutcomeOK, the service's error code, or certwiz's own (OutcomeSending…)
}

// OutcomeOf is code as the outcome of a request of action.
func OutcomeOf(action, code string) Outcome {
	return Outcome{Commit: action == api.ActionCommit, Code: code}
}

// String is the outcome as the history spells it.
func (o Outcome) String() string {
	if o.Commit {
		return commitPrefix + o.Code
	}
	return o.Code
}

// ParseOutcome reads an outcome as the history spells it.
func ParseOutcome(s string) Outcome {
	if code, ok := strings.CutPrefix(s, commitPrefix); ok {
		return Outcome{Commit: true, Code: code}
	}
	return Outcome{Code: s}
}

// Result is r's outcome, typed.
func (r Record) Result() Outcome { return ParseOutcome(r.Outcome) }

// SetOutcome sets r's outcome to code, spelled for r's Action.
func (r *Record) SetOutcome(code string) { r.Outcome = OutcomeOf(r.Action, code).String() }

// Answered sets r's outcome from the answer to its request: OutcomeOK
// with the answer's RequestId, or, when the service refused it (or it
// never arrived), e's code and RequestId.
func (r *Record) Answered(requestID string, e *api.Error) {
	r.SetOutcome(OutcomeOK)
	r.RequestId = requestID
	if e != nil {
		r.SetOutcome(e.Code)
		r.RequestId = e.RequestId
	}
}

// Recorder writes a run's history: an intent before each request leaves,
// then its outcome with the same Attempt. Saying that a record could not
// be written is the caller's (each call returns the error); the Recorder
// counts the failures and keeps every outcome lost, for the caller to
// list at the end. The history is opened on the first record, so a run
// that sends nothing never creates its folder. Safe for concurrent use.
type Recorder struct {
	open func() (*History, error)

	mu      sync.Mutex
	opened  bool
	hist    *History
	openErr error
	failed  int
	first   error
	lost    []Record
}

// NewRecorder records in the history open returns, called once, on first use.
func NewRecorder(open func() (*History, error)) *Recorder {
	return &Recorder{open: open}
}

// history opens the history once; r.mu is held.
func (r *Recorder) history() (*History, error) {
	if !r.opened {
		r.opened = true
		r.hist, r.openErr = r.open()
	}
	return r.hist, r.openErr
}

// Read returns the history's records (for --resume).
func (r *Recorder) Read() ([]Record, error) {
	r.mu.Lock()
	h, err := r.history()
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return h.Read()
}

// Intent writes the intent of a request about to leave — rec is its
// outcome record less the outcome — and returns it as written (or as it
// would have been): its Attempt is for the outcome.
func (r *Recorder) Intent(rec Record) (Record, error) {
	rec.Attempt = NewAttempt()
	rec.SetOutcome(OutcomeSending)
	rec.RequestId = ""
	return rec, r.append(&rec, false)
}

// Outcome writes what became of the request of attempt.
func (r *Recorder) Outcome(rec Record, attempt string) (Record, error) {
	rec.Attempt = attempt
	return rec, r.append(&rec, true)
}

func (r *Recorder) append(rec *Record, outcome bool) error {
	if rec.Time.IsZero() {
		rec.Time = time.Now().UTC()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	h, err := r.history()
	if err == nil {
		err = h.Append(*rec)
	}
	if err == nil {
		return nil
	}
	r.failed++
	if r.first == nil {
		r.first = err
	}
	if outcome {
		r.lost = append(r.lost, *rec)
	}
	return err
}

// Failed is how many records could not be written, and the first error.
func (r *Recorder) Failed() (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed, r.first
}

// Lost is every outcome that could not be written, oldest first.
func (r *Recorder) Lost() []Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Record(nil), r.lost...)
}
