package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
)

// recorder says what the history of a command (profiles.Recorder) could
// not take. A record that cannot be written is a failure said loudly: at
// once on stderr naming the file (at the end while a progress bar holds
// the terminal), then every outcome the history could not take is listed
// as the line it would have been, and the exit code is at least 1. The
// history is opened on the first record, so commands that send nothing
// never create its folder.
type recorder struct {
	g    *Globals
	rec  *profiles.Recorder
	path string // set when the history is opened
	mu   sync.Mutex
	// hold keeps the first failure's message for the end (a progress bar
	// is drawing on stderr).
	hold bool
	held []string
}

func (g *Globals) newRecorder() *recorder {
	r := &recorder{g: g}
	r.rec = profiles.NewRecorder(func() (*profiles.History, error) {
		dir, err := profiles.StateDir()
		if err != nil {
			return nil, err
		}
		r.path = filepath.Join(dir, "history.jsonl")
		return profiles.OpenHistory(dir, g.warn)
	})
	return r
}

// read returns the history's records, for --resume.
func (r *recorder) read() ([]profiles.Record, error) { return r.rec.Read() }

// intent writes the intent of a request about to leave — rec is its
// outcome record less the outcome — and returns the Attempt its outcome
// carries.
func (r *recorder) intent(rec profiles.Record) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec, err := r.rec.Intent(rec)
	r.failure(err)
	return rec.Attempt
}

// outcome writes what became of the request of attempt.
func (r *recorder) outcome(rec profiles.Record, attempt string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err := r.rec.Outcome(rec, attempt)
	r.failure(err)
}

// reconciled writes the outcome of attempt as reading the certificate
// showed it after a lost answer (rec is OK when f is applied). When the
// certificate could not be read no outcome is written: the intent stays
// open, the history's mark of a request whose fate is unknown (--resume
// names it and does not send it again).
func (r *recorder) reconciled(rec profiles.Record, attempt string, f api.Fate) {
	if f != api.FateUnknown {
		r.outcome(rec, attempt)
	}
}

// failure says the first record the history could not take; r.mu is held.
func (r *recorder) failure(err error) {
	if err == nil {
		return
	}
	if n, _ := r.rec.Failed(); n > 1 {
		return
	}
	msg := fmt.Sprintf(say(r.g.Language,
		"%s: the history %s cannot be written (%v). certwiz goes on; every outcome it cannot record is listed at the end — keep that list: certwiz history and --resume will not know of them.",
		"%s：无法写入历史记录 %s（%v）。certwiz 继续运行；无法记录的结果会在最后列出——请保存该列表：certwiz history 和 --resume 都不会知道它们。"),
		say(r.g.Language, "Error", "错误"), r.file(), reason(err))
	if r.hold {
		r.held = append(r.held, msg)
		return
	}
	fmt.Fprintln(r.g.IO.Err, safe.Lines(msg))
}

// reason is what went wrong without the path the message names already.
func reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// file names the history for people.
func (r *recorder) file() string {
	if r.path != "" {
		return r.path
	}
	return "history.jsonl"
}

// finish says what the history could not take and returns the command's
// outcome: a success becomes exit 1 when any record was lost; a worse
// code is kept.
func (r *recorder) finish(err error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	failed, first := r.rec.Failed()
	if failed == 0 {
		return err
	}
	first = reason(first)
	w, lang := r.g.IO.Err, r.g.Language
	for _, m := range r.held {
		fmt.Fprintln(w, safe.Lines(m))
	}
	if lost := r.rec.Lost(); len(lost) == 0 {
		fmt.Fprintf(w, say(lang, "%s: %d intent record(s) could not be written to %s (%v); every outcome was recorded.\n",
			"%s：%d 条意图记录未能写入 %s（%v）；所有结果均已记录。\n"), say(lang, "Error", "错误"), failed, r.file(), first)
	} else {
		fmt.Fprintf(w, say(lang, "%s: %d outcome(s) could not be recorded in %s (%v). Here they are, each the line the history should hold (append them to it once it can be written):\n",
			"%s：%d 个结果未能记入 %s（%v）。以下是它们，每行即历史记录中应有的一行（可写入后请追加到其中）：\n"), say(lang, "Error", "错误"), len(lost), r.file(), first)
		for _, rec := range lost {
			line, _ := json.Marshal(rec)
			fmt.Fprintln(w, safe.Text(string(line)))
		}
	}
	var e *ExitError
	switch {
	case err == nil:
		return shown(api.ExitFailure)
	case errors.As(err, &e) && e.Code == api.ExitOK:
		e.Code = api.ExitFailure
	}
	return err
}

// submitRecord is a submission's record: OK, or the error's code.
func submitRecord(profile string, req api.Request, ep string, res api.Result, err error) profiles.Record {
	rec := profiles.Record{Profile: profile, CertificateId: req.CertificateId, Endpoint: ep, Action: api.ActionSubmit, KeySHA256: req.CSRKeySHA256()}
	rec.Answered(res.RequestId, asAPIError(err))
	return rec
}

// commitRecord is a commit's record: OK, or the error's code, spelled as
// a commit's.
func commitRecord(profile, id, ep string, res api.CommitResult, err error) profiles.Record {
	rec := profiles.Record{Profile: profile, CertificateId: id, Endpoint: ep, Action: api.ActionCommit}
	rec.Answered(res.RequestId, asAPIError(err))
	return rec
}
