package ui

import (
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
	tea "github.com/charmbracelet/bubbletea"
)

// Two newcomer walks: at 40×12 an error under a field with a long hint
// pushed the value being fixed off the screen. The message and the value
// stay; the hint gives way.
func TestNarrowErrorKeepsTheValueInSight(t *testing.T) {
	f := newFixture(t, api.Chinese)
	m := f.wizardWith(t, example(t))
	m.open(newStep(m.s, m.s.stepIndex(api.StepDomains), false))
	tm, screen := live(t, m, 40, 12)
	waitFor(t, tm, "绑定域名")
	press(tm, tea.KeyCtrlU, "ftp://x", tea.KeyEnter)
	s := waitScreen(t, screen, "✗")
	if !strings.Contains(s, "> ftp://x") || !strings.Contains(s, "包含协议") {
		t.Fatalf("the value or its error is out of sight:\n%s", s)
	}
	finalOf(t, tm)
}
