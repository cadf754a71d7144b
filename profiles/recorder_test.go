package profiles

import (
	"errors"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

// The typed outcome reads and writes the history's spelling unchanged.
func TestOutcomeSpelling(t *testing.T) {
	for _, c := range []struct {
		action, code, disk string
	}{
		{api.ActionSubmit, OutcomeOK, "OK"},
		{api.ActionSubmit, "FailedOperation.X", "FailedOperation.X"},
		{api.ActionCommit, OutcomeOK, "COMMIT:OK"},
		{api.ActionCommit, OutcomeSending, "COMMIT:SENDING"},
		{api.ActionCommit, OutcomeNotSent, "COMMIT:NOT-SENT"},
		{"csr generate", OutcomeKeyGenerated, "KEY-GENERATED"},
	} {
		o := OutcomeOf(c.action, c.code)
		if o.String() != c.disk || ParseOutcome(c.disk) != o {
			t.Errorf("%s %s: written %q, read back %+v; want %q", c.action, c.code, o, ParseOutcome(c.disk), c.disk)
		}
	}
}

// An intent then its outcome: the lines on disk are those certwiz has
// always written, and the outcome closes the intent.
func TestRecorderIntentAndOutcome(t *testing.T) {
	dir := t.TempDir()
	h, _ := OpenHistory(dir, nil)
	opened := 0
	r := NewRecorder(func() (*History, error) { opened++; return h, nil })
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	base := Record{Time: at, CertificateId: "abcb1234", Endpoint: "e", Action: api.ActionCommit, RequestId: "stale"}
	intent, err := r.Intent(base)
	if err != nil {
		t.Fatal(err)
	}
	done := base
	done.Answered("req-2", &api.Error{Code: "FailedOperation.Denied", RequestId: "req-3"})
	if _, err := r.Outcome(done, intent.Attempt); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(h.Path)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	want := []string{
		`{"time":"2026-01-02T03:04:05Z","certificateId":"abcb1234","outcome":"COMMIT:SENDING","endpoint":"e","action":"CommitCertificateInformation","attempt":"` + intent.Attempt + `"}`,
		`{"time":"2026-01-02T03:04:05Z","certificateId":"abcb1234","requestId":"req-3","outcome":"COMMIT:FailedOperation.Denied","endpoint":"e","action":"CommitCertificateInformation","attempt":"` + intent.Attempt + `"}`,
	}
	if len(lines) != 2 || lines[0] != want[0] || lines[1] != want[1] {
		t.Fatalf("history:\n%s\nwant:\n%s", data, strings.Join(want, "\n"))
	}
	recs, _ := r.Read()
	if len(recs) != 2 || !recs[0].IsIntent() || len(Unresolved(recs)) != 0 || opened != 1 {
		t.Fatalf("records %+v, opened %d times", recs, opened)
	}
	if n, _ := r.Failed(); n != 0 {
		t.Fatalf("%d failures", n)
	}
}

// Records the history cannot take are counted; the outcomes among them
// are kept, as they would have been written.
func TestRecorderKeepsLostOutcomes(t *testing.T) {
	dir := t.TempDir()
	h, _ := OpenHistory(dir, nil)
	os.Mkdir(h.Path, 0o700) // the history is a folder: every append fails
	r := NewRecorder(func() (*History, error) { return h, nil })
	intent, err := r.Intent(Record{CertificateId: "abcb1234", Action: api.ActionSubmit})
	if err == nil || intent.Attempt == "" || intent.Time.IsZero() {
		t.Fatalf("intent %+v, %v", intent, err)
	}
	rec := Record{CertificateId: "abcb1234", Action: api.ActionSubmit}
	rec.Answered("req-1", nil)
	r.Outcome(rec, intent.Attempt)
	n, first := r.Failed()
	lost := r.Lost()
	if n != 2 || first == nil || len(lost) != 1 || lost[0].Outcome != OutcomeOK || lost[0].RequestId != "req-1" || lost[0].Attempt != intent.Attempt {
		t.Fatalf("failed %d (%v), lost %+v", n, first, lost)
	}

	unopened := NewRecorder(func() (*History, error) { return nil, fs.ErrPermission })
	if _, err := unopened.Outcome(rec, "1"); !errors.Is(err, fs.ErrPermission) || len(unopened.Lost()) != 1 {
		t.Fatalf("a history that cannot be opened: %v, lost %+v", err, unopened.Lost())
	}
}

// TestCommitPrefixSpelledOnce: the commit prefix of an outcome is written
// in one place (commitPrefix); everything else goes through Outcome, so
// no writer or reader of the history can spell it differently.
func TestCommitPrefixSpelledOnce(t *testing.T) {
	var found []string
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		var s scanner.Scanner
		s.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
		for {
			pos, tok, lit := s.Scan()
			if tok == token.EOF {
				return nil
			}
			if tok != token.STRING {
				continue
			}
			if v, err := strconv.Unquote(lit); err == nil && strings.HasPrefix(v, "COMMIT:") {
				found = append(found, fset.Position(pos).String())
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 {
		t.Fatalf("the commit prefix is spelled %d times, want once (use profiles.Outcome): %v", len(found), found)
	}
}
