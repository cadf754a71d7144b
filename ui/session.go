package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/csr"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/api/newfile"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
)

// session is what every screen shares, in the wizard and in accessible
// mode alike: the options, the draft, and what the run ends with. It knows
// nothing of the terminal.
type session struct {
	// submitConfirmed: the last submission's answer was lost and reading
	// the certificate back showed it went through (the result card says so).
	submitConfirmed bool
	opts            Options
	lang            string
	d               *draft
	status          string // a line above the help, until the next screen sets one
	bad             bool   // status is a problem
	// statusSeen: the status has been drawn; the next key clears it.
	statusSeen bool
	exit       int
	final      string // printed on stdout after the wizard ends
	finalErr   string // printed on stderr after the wizard ends
	// onward, once the information is submitted, is what an interruption
	// prints instead of the resume command: the command that goes on
	// from where the user is (commit, status --watch, download).
	onward string
	done   bool  // the certificate is on disk: leaving is success
	genErr error // why "generate here" could not make the key

	rec        *profiles.Recorder // the history's; nil until the first record
	unrecorded []string           // outcomes the history could not take: printed at exit, exit 1
	lastSubmit *submitCache       // submitted()'s last look at the history

	fromStart bool               // going back from the first step reaches the start screen
	cancel    context.CancelFunc // a submission under way; nil when none
	// stopJob stops a job whose interruption onward says in full (a
	// rollout's lookup or record); nil when none.
	stopJob context.CancelFunc
	failure *api.Error // the last refusal, until a submission succeeds
	// lost is what reading the certificate showed after a commit whose
	// answer was lost and that did not go through, or could not be read
	// (api.Fate.Finding); "" when the last commit's answer came. lostCmd
	// is the command it names, kept whole where it is wrapped.
	lost, lostCmd string
	quitting      bool
	crash         string // what a panic in certwiz's code was and where: the run ends, exit 1

	install *installAnswers // "install here": the answers, kept while the session lasts
	host    *host           // the machine's facts behind the install defaults; found on first use
}

// setStatus shows a line above the help; it may name what an answer
// said, so it is made safe here, once for every caller.
func (s *session) setStatus(msg string, bad bool) {
	s.status, s.bad, s.statusSeen = safe.Lines(msg), bad, false
}

func (s *session) stepIndex(step api.Step) int {
	for i, st := range api.Steps {
		if st.Step == step {
			return i
		}
	}
	return 0
}

// firstOpen is the first step not done, or len(api.Steps) when all are.
func (s *session) firstOpen() int {
	for i, st := range s.progress().Steps {
		if st.State != api.StepDone {
			return i
		}
	}
	return len(api.Steps)
}

// taken reports whether a profile of that name exists (or cannot be read).
func (s *session) taken(name string) bool {
	_, err := s.opts.Store.Load(name)
	return !errors.Is(err, profiles.ErrNotFound)
}

// save writes the draft to its profile, choosing a free provisional name
// the first time. An empty draft is not saved.
func (s *session) save() error {
	d := s.d
	if d == nil || d.empty() {
		return nil
	}
	if d.name == "" {
		base := d.defaultName()
		name := base
		for i := 2; s.taken(name); i++ {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		d.name = name
	}
	// A name certwiz chose follows the certificate until the user names
	// the draft: cert-OLD must not keep holding another ID.
	if want := d.defaultName(); !d.named && isProvisional(d.name) && want != d.name && isProvisional(want) && !s.taken(want) {
		if err := s.opts.Store.Rename(d.name, want); err == nil || errors.Is(err, profiles.ErrNotFound) {
			d.name = want
		}
	}
	if err := s.opts.Store.Save(d.profile()); err != nil {
		return fmt.Errorf("save profile %q: %w", d.name, err)
	}
	return nil
}

func (s *session) saveQuietly() {
	if err := s.save(); err != nil {
		s.setStatus(err.Error(), true)
	}
}

// sameDraft finds a saved profile for the draft's certificate, other than
// the draft itself: restarting must not pile up cert-<id>, -2, -3…
func (s *session) sameDraft() (profiles.Entry, bool) {
	id := strings.TrimSpace(s.d.req.CertificateId)
	if id == "" {
		return profiles.Entry{}, false
	}
	entries, err := s.opts.Store.List()
	if err != nil {
		return profiles.Entry{}, false
	}
	for _, e := range entries {
		if e.Err == nil && e.Name != s.d.name && strings.EqualFold(e.Profile.Params.CertificateId, id) {
			return e, true
		}
	}
	return profiles.Entry{}, false
}

// generateIfNeeded makes the key and CSR of "generate here" once the names
// and organization are known, or again when the names changed since. The
// key file is new, 0600, and the request then carries the CSR as parse.
func (s *session) generateIfNeeded() error {
	d := s.d
	r := d.request().Normalized()
	if d.csrMode != modeGenerate || r.CertificateDomain == "" {
		s.genErr = nil
		return nil
	}
	if g := d.generated; g != nil && g.domain == r.CertificateDomain && slices.Equal(g.names, r.DomainList) {
		s.genErr = nil
		return nil
	}
	if d.encrypt && d.keyPass == "" {
		// Chosen before a resume, never saved: asked again, not dropped.
		s.genErr = errors.New(txtPassAgainResume.In(s.lang))
		return fmt.Errorf("generate key and CSR: %w (%s: %s)", s.genErr, txtEditStep.In(s.lang), api.StepCSR.Label(s.lang))
	}
	if d.keyPass != d.keyPassAgain {
		// Never a key under a passphrase the user may not have meant.
		s.genErr = errors.New(txtPassesDiffer.In(s.lang))
		return fmt.Errorf("generate key and CSR: %w (%s: %s)", s.genErr, txtEditStep.In(s.lang), api.StepCSR.Label(s.lang))
	}
	keyPath := expandHome(strings.TrimSpace(d.keyPath))
	if keyPath == "" {
		name := d.name
		if name == "" {
			name = d.defaultName()
		}
		keyPath = name + ".key"
	}
	if abs, err := filepath.Abs(keyPath); err == nil {
		keyPath = abs
	}
	csrPath := strings.TrimSuffix(keyPath, ".key") + ".csr"
	subject := csr.Subject{CommonName: r.CertificateDomain, Organization: r.OrganizationName, OrganizationalUnit: r.OrganizationDivision,
		Locality: r.OrganizationCity, Province: r.OrganizationRegion, Country: r.OrganizationCountry}
	gen, err := csr.Generate(csr.KeyType(d.keyType), subject, r.DomainList, []byte(d.keyPass))
	if err == nil {
		err = csr.WritePair(gen, keyPath, csrPath)
	}
	if err != nil {
		s.genErr = err
		return fmt.Errorf("generate key and CSR: %w (%s: %s)", err, txtEditStep.In(s.lang), api.StepCSR.Label(s.lang))
	}
	s.genErr = nil
	d.req.CsrContent = gen.Info.PEM
	d.generated = &generatedCSR{keyPath: keyPath, csrPath: csrPath, key: gen.Info.Key(), keySHA256: gen.Info.KeySHA256(), domain: r.CertificateDomain, names: r.DomainList}
	s.saveQuietly()
	s.setStatus(fmt.Sprintf(txtGenerated.In(s.lang), keyPath, gen.Info.Key(), csrPath), false)
	return nil
}

// exportPath is where "Export as JSON" writes, absolute.
func (s *session) exportPath() string {
	name := s.d.name
	if name == "" {
		name = s.d.defaultName()
	}
	p := filepath.Join(s.opts.ExportDir, name+".json")
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// errExists: the export would replace a file; the user is asked first.
var errExists = errors.New("exists")

// export writes the API parameters as JSON (what tccli's --cli-input-json
// takes), without the KeyPassword. A new file is created exclusively and
// never through a symlink; replacing is a rename over the old name, which
// replaces a planted symlink rather than writing to its target.
func (s *session) export(path string, replace bool) error {
	r := s.d.request().Normalized()
	r.KeyPassword = ""
	data, err := json.MarshalIndent(r.Params(), "", "  ")
	if err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	data = append(data, '\n')
	if replace {
		err = newfile.WriteAtomic(path, data)
	} else {
		err = newfile.Write(path, data)
	}
	if errors.Is(err, fs.ErrExist) && !replace {
		return errExists
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	return nil
}

// intent records, before a request leaves, that it is about to: after a
// crash the history knows the request's fate is unknown. It returns the
// attempt its outcome record carries.
func (s *session) intent(action string) string {
	if s.opts.History == nil {
		return ""
	}
	rec, err := s.recorder().Intent(s.historyRecord(action))
	s.recorded(rec, err)
	return rec.Attempt
}

// record appends a submission's outcome to the history.
func (s *session) record(attempt string, res api.Result, e *api.Error) {
	s.recordOutcome(api.ActionSubmit, attempt, res.RequestId, e)
}

// recordOutcome appends what became of the request of attempt.
func (s *session) recordOutcome(action, attempt, requestID string, e *api.Error) {
	if s.opts.History == nil {
		return
	}
	rec := s.historyRecord(action)
	rec.Answered(requestID, e)
	s.recorded(s.recorder().Outcome(rec, attempt))
}

// historyRecord is the record of a request of action, less its outcome.
func (s *session) historyRecord(action string) profiles.Record {
	return profiles.Record{Time: s.opts.Now().UTC(), Profile: s.d.name, CertificateId: s.d.req.CertificateId,
		Endpoint: s.opts.Endpoint, Action: action, KeyFile: s.d.keyFile(), KeySHA256: s.d.request().CSRKeySHA256()}
}

// recorder is the history's recorder, made on first use.
func (s *session) recorder() *profiles.Recorder {
	if s.rec == nil {
		h := s.opts.History
		s.rec = profiles.NewRecorder(func() (*profiles.History, error) { return h, nil })
	}
	return s.rec
}

// recorded follows a history write: a record that could not be written
// is said at once, kept for the exit message, and makes the exit code 1.
func (s *session) recorded(rec profiles.Record, err error) {
	s.lastSubmit = nil
	if err != nil {
		s.setStatus(fmt.Sprintf(txtNotRecorded.In(s.lang), err), true)
		s.unrecorded = append(s.unrecorded, fmt.Sprintf("%s %s %s %s RequestId %s", rec.Time.Format(time.RFC3339), rec.CertificateId, rec.Outcome, rec.Endpoint, rec.RequestId))
	}
}

// exitCode is the run's exit code: an outcome lost to the history turns
// a success into 1.
func (s *session) exitCode() int {
	if s.exit == 0 && len(s.unrecorded) > 0 {
		return api.ExitFailure
	}
	return s.exit
}

// exitMessage is what stderr says at the end, with the outcomes the
// history could not take.
func (s *session) exitMessage() string {
	if len(s.unrecorded) == 0 {
		return s.finalErr
	}
	msg := s.finalErr + txtLostRecords.In(s.lang) + "\n"
	for _, u := range s.unrecorded {
		msg += "  " + safe.Text(u) + "\n"
	}
	return msg
}

// submitted is the last successful submission of this certificate at this
// endpoint, if the history has one.
// The history is read once per certificate ID (review shows the note on
// every resize), and again after a record is written.
func (s *session) submitted() (profiles.Record, bool) {
	if s.opts.History == nil || s.d == nil || s.d.req.CertificateId == "" {
		return profiles.Record{}, false
	}
	id := s.d.req.CertificateId
	if c := s.lastSubmit; c != nil && c.id == id {
		return c.rec, c.ok
	}
	c := &submitCache{id: id}
	if recs, err := s.opts.History.Read(); err == nil {
		for i := len(recs) - 1; i >= 0 && !c.ok; i-- {
			r := recs[i]
			if r.Outcome == profiles.OutcomeOK && r.CertificateId == id && r.Endpoint == s.opts.Endpoint {
				c.rec, c.ok = r, true
			}
		}
	}
	s.lastSubmit = c
	return c.rec, c.ok
}

type submitCache struct {
	id  string
	rec profiles.Record
	ok  bool
}

// outcome turns what Submit returned into the error to show, if any.
func outcome(err error) *api.Error {
	if err == nil {
		return nil
	}
	var e *api.Error
	if !errors.As(err, &e) {
		e = &api.Error{Code: api.CodeNetwork, Message: err.Error(), Err: err}
	}
	return e
}

// interrupted saves what was typed and sets exit 130 and the message. A
// submission under way is cancelled, and the user is told it may have
// arrived all the same.
func (s *session) interrupted() {
	if s.d != nil {
		s.d.takeCSRFile() // its summary is on screen: saved as shown
	}
	var msg string
	if s.cancel != nil {
		s.cancel()
		msg += txtMayHaveArrived.In(s.lang) + "\n"
	}
	if s.stopJob != nil {
		s.stopJob()
	}
	if s.done {
		s.saveQuietly()
		return // the road is over: leaving is no interruption
	}
	s.exit = api.ExitInterrupted
	switch err := s.save(); {
	case err != nil:
		msg += err.Error() + "\n"
	case s.onward != "":
		msg += s.onward
	default:
		msg += s.savedLine()
	}
	s.finalErr = msg + s.lastErrorLine()
}

// lastErrorLine names the service's last refusal when the user leaves
// without having fixed it.
func (s *session) lastErrorLine() string {
	if s.failure == nil {
		return ""
	}
	e := s.failure
	what := txtNotSubmitted
	if e.Action == api.ActionCommit {
		what = txtNotCommitted
	}
	line := fmt.Sprintf(what.In(s.lang), safe.Text(e.Code), e.Guide().Title.In(s.lang))
	if e.RequestId != "" {
		line += " (RequestId " + safe.Text(e.RequestId) + ")"
	}
	if s.lost != "" {
		line += "\n" + s.lost
	}
	return line + "\n"
}

// open starts the draft a start-screen choice names: "new",
// "continue:NAME" or "template:NAME".
func (s *session) open(choice string) error {
	kind, name, _ := strings.Cut(choice, ":")
	switch kind {
	case "continue", "template":
		p, err := s.opts.Store.Load(name)
		if err != nil {
			return fmt.Errorf("open profile %q: %w", name, err)
		}
		if kind == "continue" {
			s.d = draftOf(p)
		} else {
			s.d = newDraft(profiles.Template(p.Params), "")
		}
	default:
		s.d = newDraft(api.Request{}, "")
	}
	return nil
}

// rename gives the draft the name the user chose.
func (s *session) rename(name string) error {
	if s.d.name != "" && s.d.name != name {
		if err := s.opts.Store.Rename(s.d.name, name); err != nil && !errors.Is(err, profiles.ErrNotFound) {
			return fmt.Errorf("rename profile %q: %w", s.d.name, err)
		}
	}
	s.d.name, s.d.named = name, true
	return s.save()
}

// checkName is the name prompt's validation.
func (s *session) checkName(v string) error {
	if err := profiles.ValidName(v); err != nil {
		return err
	}
	if v != s.d.name && s.taken(v) {
		return fmt.Errorf("%s: %w", v, profiles.ErrExists)
	}
	return nil
}

// keysFor are the keys generated here for a certificate, newest first:
// this session's own, then those the history and profiles remember.
func (s *session) keysFor(id string) ([]install.KnownKey, error) {
	var keys []install.KnownKey
	if d := s.d; d != nil && d.keyFile() != "" && d.request().CertificateId == id {
		keys = append(keys, install.KnownKey{Path: d.keyFile(), KeySHA256: d.generated.keySHA256})
	}
	if s.opts.Store == nil {
		return keys, nil
	}
	remembered, err := s.opts.Store.KeysFor(id)
	if err != nil {
		return keys, fmt.Errorf("look up the keys generated here for %s: %w", id, err)
	}
	for _, k := range remembered {
		if len(keys) == 0 || k.Path != keys[0].Path {
			keys = append(keys, install.KnownKey(k))
		}
	}
	return keys, nil
}
