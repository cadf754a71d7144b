package profiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An intent and its outcome share an Attempt; an intent no outcome
// follows is unresolved, whatever else the history holds.
func TestHistoryUnresolvedIntents(t *testing.T) {
	h, _ := OpenHistory(t.TempDir(), nil)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, r := range []Record{
		{Time: at, CertificateId: "old", Outcome: OutcomeOK, Endpoint: "e"}, // written before intents existed
		{Time: at, CertificateId: "a", Outcome: OutcomeSending, Endpoint: "e", Action: "SubmitCertificateInformation", Row: 1, Attempt: "1"},
		{Time: at, CertificateId: "b", Outcome: OutcomeSending, Endpoint: "e", Action: "SubmitCertificateInformation", Row: 2, Attempt: "2"},
		{Time: at, CertificateId: "a", Outcome: OutcomeOK, Endpoint: "e", Action: "SubmitCertificateInformation", Row: 1, Attempt: "1"},
		{Time: at, CertificateId: "a", Outcome: "COMMIT:" + OutcomeSending, Endpoint: "e", Action: "CommitCertificateInformation", Row: 1, Attempt: "3"},
		{Time: at, CertificateId: "c", Outcome: OutcomeSending, Endpoint: "e", Attempt: "4"},
		{Time: at, CertificateId: "c", Outcome: OutcomeNotSent, Endpoint: "e", Attempt: "4"},
	} {
		if err := h.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := h.Read()
	if err != nil || len(recs) != 7 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	got := Unresolved(recs)
	if len(got) != 2 || got[0].CertificateId != "b" || got[0].Row != 2 || got[1].CertificateId != "a" || got[1].Action != "CommitCertificateInformation" {
		t.Fatalf("unresolved %+v", got)
	}
	data, _ := os.ReadFile(h.Path)
	first := strings.SplitN(string(data), "\n", 2)[0]
	if first != `{"time":"2026-01-02T03:04:05Z","certificateId":"old","outcome":"OK","endpoint":"e"}` {
		t.Fatalf("zero values are written: %s", first)
	}
}

// A history written before intents existed reads as it did.
func TestHistoryOldLinesStillRead(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "history.jsonl"), []byte(`{"time":"2025-06-01T10:00:00Z","profile":"acme","certificateId":"abcb1234","requestId":"r1","outcome":"OK","endpoint":"https://ssl.tencentcloudapi.com"}
{"time":"2025-06-01T10:01:00Z","certificateId":"abcb1234","requestId":"r2","outcome":"COMMIT:OK","endpoint":"https://ssl.tencentcloudapi.com"}
`), 0o600)
	h, _ := OpenHistory(dir, nil)
	recs, err := h.Read()
	if err != nil || len(recs) != 2 || recs[0].Profile != "acme" || recs[1].Outcome != "COMMIT:OK" || recs[0].IsIntent() || len(Unresolved(recs)) != 0 {
		t.Fatalf("%+v %v", recs, err)
	}
}
