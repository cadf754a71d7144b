package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

// Tencent's answer older than certwiz's look: the labels, read first,
// say which is the latest and how old Tencent's is.
func TestCheckLabelsSayWhichIsNewer(t *testing.T) {
	here, tencent := checkLabels(time.Now().Add(-2*time.Minute), api.English)
	if here != "Latest, certwiz" || !strings.HasPrefix(tencent, "Earlier, Tencent 2m") {
		t.Fatalf("%q %q", here, tencent)
	}
	here, tencent = checkLabels(time.Now().Add(-2*time.Minute), api.Chinese)
	if !strings.HasPrefix(here, "最新") || !strings.HasPrefix(tencent, "较早") {
		t.Fatalf("zh: %q %q", here, tencent)
	}
	if here, tencent = checkLabels(time.Now(), api.English); here != "certwiz" || tencent != "Tencent" {
		t.Fatalf("fresh: %q %q", here, tencent)
	}
}
