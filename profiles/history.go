package profiles

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Record is one line of the history: an intent, written before a request
// leaves, or an outcome. Records written before intents existed have no
// Action, Row, Batch or Attempt and read as outcomes; fields left at their
// zero value are not written.
type Record struct {
	Time          time.Time `json:"time"`
	Profile       string    `json:"profile,omitempty"`
	CertificateId string    `json:"certificateId"`
	RequestId     string    `json:"requestId,omitempty"`
	// Outcome is "OK" or the error code; a commit's carries the commit
	// prefix (see Outcome, the typed form, and Result). An intent's is
	// OutcomeSending, and OutcomeNotSent closes an intent whose request
	// never left.
	Outcome  string `json:"outcome"`
	Endpoint string `json:"endpoint"`
	Action   string `json:"action,omitempty"`  // the API action, e.g. SubmitCertificateInformation
	Row      int    `json:"row,omitempty"`     // a batch's row (1 = the first data row)
	Batch    string `json:"batch,omitempty"`   // the batch file
	Attempt  string `json:"attempt,omitempty"` // the same in an intent and its outcome
	// KeyFile is the absolute path of a private key generated on this
	// machine for the certificate (a path, never the key): on the record
	// of csr generate (outcome OutcomeKeyGenerated) or of a submission.
	KeyFile string `json:"keyFile,omitempty"`
	// KeySHA256 names the public key of the CSR (csr.KeySHA256): of the
	// key generated (with KeyFile), or of the CSR a submission sent. It
	// is how download finds which key a certificate is for; records
	// written before it have none.
	KeySHA256 string `json:"keySha256,omitempty"`
	// Reason says why a key was forgotten (OutcomeKeyForgotten): its
	// certificate was downloaded with another key (ForgetDownloaded), or
	// the user said so (ForgetByUser).
	Reason string `json:"reason,omitempty"`
	// A rollout's: Replaces is the certificate CertificateId replaced on
	// Tencent Cloud resources, DeployRecord the update's record (or the
	// rollback's, with RollbackOf the record it undoes), Resources each
	// resource and how it ended ("clb ap-guangzhou lb-1/lbl-1 replaced").
	Replaces     string   `json:"replaces,omitempty"`
	DeployRecord uint64   `json:"deployRecord,omitempty"`
	RollbackOf   uint64   `json:"rollbackOf,omitempty"`
	Resources    []string `json:"resources,omitempty"`
	// A first deployment's (deploy): the resource type of its record
	// (clb, cdn…), which the record itself does not name; DeployRecord,
	// RollbackOf and Resources as a rollout's, without Replaces.
	ResourceType string `json:"resourceType,omitempty"`
}

// validSHA256 reports whether s is a SHA-256 in lowercase hex.
func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// NewAttempt names one request, so that its outcome finds its intent.
func NewAttempt() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Outcomes that are not the service's.
const (
	// OutcomeSending marks an intent: the request is about to leave. The
	// outcome record with the same Attempt follows; an intent without one
	// is a request whose fate is unknown (certwiz was killed, or the
	// outcome could not be written).
	OutcomeSending = "SENDING"
	// OutcomeNotSent closes an intent whose request never left (a batch
	// stopped before it started).
	OutcomeNotSent = "NOT-SENT"
	// OutcomeKeyGenerated records a key generated on this machine for a
	// certificate (KeyFile says where); no request was sent.
	OutcomeKeyGenerated = "KEY-GENERATED"
	// OutcomeKeyForgotten records that a key generated here for a
	// certificate (KeyFile, KeySHA256) is no longer offered for it: see
	// Store.ForgetKeys. The file itself is never touched.
	OutcomeKeyForgotten = "KEY-FORGOTTEN"
	// A rollout's end (Action ActionRollout): every resource replaced,
	// some failed, the replaced ones rolled back, still running when
	// certwiz stopped following (the record goes on at Tencent), or
	// followed no more because the user interrupted it.
	OutcomeReplaced    = "REPLACED"
	OutcomeDeployed    = "DEPLOYED" // a deployment's end (ActionDeploy): every target serves the certificate
	OutcomeFailed      = "FAILED"
	OutcomeRolledBack  = "ROLLED-BACK"
	OutcomeRunning     = "RUNNING"
	OutcomeInterrupted = "INTERRUPTED"
)

// ActionRollout is the Action of a rollout's end record, ActionDeploy a
// first deployment's (certwiz deploy).
const (
	ActionRollout = "rollout"
	ActionDeploy  = "deploy"
)

// IsIntent reports whether r is an intent record (of a submission or of
// a commit).
func (r Record) IsIntent() bool {
	return r.Attempt != "" && r.Result().Code == OutcomeSending
}

// Unresolved returns the intents no outcome with the same Attempt follows:
// requests that left, or were about to, when certwiz stopped before it
// could write what became of them. Oldest first.
func Unresolved(recs []Record) []Record {
	closed := map[string]bool{}
	for _, r := range recs {
		if r.Attempt != "" && !r.IsIntent() {
			closed[r.Attempt] = true
		}
	}
	var out []Record
	for _, r := range recs {
		if r.IsIntent() && !closed[r.Attempt] {
			out = append(out, r)
		}
	}
	return out
}

// maxHistory bounds what is read of the history: years of submissions.
const maxHistory = 256 << 20

// OutcomeOK is the outcome of a successful submission.
const OutcomeOK = "OK"

// History is the append-only log <state>/history.jsonl, one JSON object per line.
type History struct {
	Path string
	Warn func(string)
}

// OpenHistory returns the history in stateDir, creating the folder 0700.
func OpenHistory(stateDir string, warn func(string)) (*History, error) {
	if warn == nil {
		warn = func(string) {}
	}
	if err := ensureDir(stateDir, warn); err != nil {
		return nil, err
	}
	return &History{Path: filepath.Join(stateDir, "history.jsonl"), Warn: warn}, nil
}

// Append adds a record as one write of one line under the file's lock, so
// concurrent certwiz processes never interleave. If a crash left a torn
// last line, it is closed off first so the new record stays readable.
func (h *History) Append(r Record) error {
	if err := CheckKeyFile(r.KeyFile); err != nil {
		// The record matters more than where a key is: it is written
		// without the path, never with something that is not one.
		h.warn(fmt.Sprintf("%s: keyFile left out of the record of %s: it %v", h.Path, r.CertificateId, err))
		r.KeyFile = ""
	}
	if r.KeySHA256 != "" && !validSHA256(r.KeySHA256) {
		h.warn(fmt.Sprintf("%s: keySha256 left out of the record of %s: it is not a SHA-256 in hex", h.Path, r.CertificateId))
		r.KeySHA256 = ""
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode history record: %w", err)
	}
	f, err := os.OpenFile(h.Path, os.O_CREATE|os.O_RDWR|os.O_APPEND|noFollow, 0o600)
	if err != nil {
		return fmt.Errorf("open history %s: %w", h.Path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return fmt.Errorf("check history %s: %w", h.Path, err)
	} else if err := h.trust(fi); err != nil {
		return err
	}
	if err := lockFile(f); err != nil {
		return fmt.Errorf("lock history %s: %w", h.Path, err)
	}
	defer unlockFile(f)
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("append to history %s: %w", h.Path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync history %s: %w", h.Path, err)
	}
	return nil
}

// Read returns every record, oldest first. Lines that cannot be read (a
// torn last line after a crash) are skipped with a warning, never fatal.
func (h *History) Read() ([]Record, error) {
	data, err := readOwnFile(h.Path, maxHistory, h.trust)
	var untrusted *UntrustedError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case errors.As(err, &untrusted):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("read history %s: %w", h.Path, err)
	}
	var out []Record
	br := bufio.NewReader(bytes.NewReader(data))
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var r Record
			if jerr := json.Unmarshal(line, &r); jerr != nil {
				h.Warn(fmt.Sprintf("%s:%d: skipped an unreadable line (%v)", h.Path, n, jerr))
			} else {
				out = append(out, r)
			}
		}
		if err == io.EOF {
			return out, nil
		}
	}
}

// UntrustedError is a file another user could have written: a history
// certwiz neither reads (--resume would skip what it says was done; a key
// path in it would be believed) nor adds to, or an installation file (or
// its folder) certwiz does not read, as it names commands certwiz runs.
type UntrustedError struct {
	Path, Why string
	Of        string // "" the history, or "installation"
}

func (e *UntrustedError) Error() string {
	if e.Of == ofInstallation {
		return fmt.Sprintf("installation file %s %s: it names commands certwiz runs, so certwiz does not read one another user could have written; make it yours (chown, chmod go-w) or move it away", e.Path, e.Why)
	}
	return fmt.Sprintf("history %s %s: certwiz neither reads nor adds to a history another user could have written; make it yours (chown, chmod go-w) or move it away", e.Path, e.Why)
}

// trust refuses a history owned by another user or writable by others.
func (h *History) trust(fi fs.FileInfo) error {
	if why := Untrusted(fi); why != "" {
		return &UntrustedError{Path: h.Path, Why: why}
	}
	return nil
}

func (h *History) warn(msg string) {
	if h.Warn != nil {
		h.Warn(msg)
	}
}
