package cli

import (
	"testing"
	"time"
)

func TestManDateIsNeverTheEpoch(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	epoch := map[string]string{"SOURCE_DATE_EPOCH": "1700000000"} // 2023-11-14
	cases := []struct {
		name string
		g    Globals
		env  map[string]string
		want string
	}{
		{"release date wins", Globals{BuildDate: "2026-03-01T10:00:00Z", CommitDate: "2025-01-01T00:00:00Z"}, epoch, "2026-03-01"},
		{"SOURCE_DATE_EPOCH before the commit time", Globals{BuildDate: "unknown", CommitDate: "2025-01-01T00:00:00Z"}, epoch, "2023-11-14"},
		{"commit time of a dev build", Globals{BuildDate: "unknown", CommitDate: "2025-01-01T00:00:00Z"}, nil, "2025-01-01"},
		{"a bad SOURCE_DATE_EPOCH is ignored", Globals{BuildDate: "unknown"}, map[string]string{"SOURCE_DATE_EPOCH": "soon"}, "2026-11-27"},
		{"nothing known: today", Globals{BuildDate: "unknown"}, nil, "2026-11-27"},
	}
	for _, c := range cases {
		if got := ManDate(&c.g, env(c.env), now).Format(time.DateOnly); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
