package termtext

import "testing"

func TestShortTime(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-26 10:30:00":   "2026-11-26",
		" 2026-11-26 10:30:00 ": "2026-11-26",
		"\t":                    "\t",
		"soon":                  "soon",
		"2026-11-26":            "2026-11-26", // not the service's layout: as given
	} {
		if got := ShortTime(in, false); got != want {
			t.Errorf("ShortTime(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ShortTime("2026-11-26 10:30:59", true); got != "2026-11-26 10:30" {
		t.Errorf("with the minute: %q", got)
	}
}
