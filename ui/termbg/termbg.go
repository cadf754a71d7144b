// Package termbg says whether the terminal's background is dark, asking
// the terminal for at most Timeout, and stops Bubble Tea's start-up query:
// a terminal that never answers must not stall certwiz before it draws.
package termbg

import (
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"
)

// Timeout bounds the wait for the answer: a terminal answers within a few
// milliseconds or not at all (termenv waits 5 s).
const Timeout = 100 * time.Millisecond

// Bubble Tea's init asks the terminal behind stdout for its background
// through lipgloss, and termenv waits up to 5 s for an answer, NO_COLOR or
// not, before certwiz runs a line of its own. Go initialises packages in
// import-path order once their dependencies are done: this one needs only
// what lipgloss needs and sorts before github.com/charmbracelet/bubbletea,
// so it runs first, and a background set here is never asked for. Screens
// that draw colours set theirs with Dark.
func init() { lipgloss.SetHasDarkBackground(true) }

// Dark reports whether the terminal w draws on has a dark background. Only
// a terminal that shows colours is asked (not under NO_COLOR, TERM=dumb or
// when w is not a terminal: then colours are off and it does not matter),
// in the foreground and outside screen/tmux, as termenv does; unknown is
// dark.
func Dark(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) || termenv.NewOutput(f).EnvColorProfile() == termenv.Ascii {
		return true
	}
	switch t := os.Getenv("TERM"); {
	case strings.HasPrefix(t, "screen"), strings.HasPrefix(t, "tmux"), strings.HasPrefix(t, "dumb"):
		return true
	}
	answer, ok := query(f, Timeout)
	if !ok {
		return true
	}
	dark, ok := darkRGB(answer)
	return dark || !ok
}

// darkRGB reads the answer to OSC 11 (ESC ] 11 ; rgb:RRRR/GGGG/BBBB, one to
// four hex digits a component): dark when its lightness is below half.
func darkRGB(answer string) (dark, ok bool) {
	_, rgb, found := strings.Cut(answer, "]11;rgb:")
	if !found {
		return false, false
	}
	var c [3]float64
	parts := strings.SplitN(rgb, "/", 3)
	if len(parts) != 3 {
		return false, false
	}
	for i, p := range parts {
		n := 0
		for n < len(p) && n < 4 && strings.IndexByte("0123456789abcdefABCDEF", p[n]) >= 0 {
			n++
		}
		if n == 0 {
			return false, false
		}
		var v uint64
		for _, d := range p[:n] {
			v = v*16 + uint64(strings.IndexByte("0123456789abcdef", byte(d)|0x20))
		}
		c[i] = float64(v) / float64(uint64(1)<<(4*n)-1)
	}
	return (max(c[0], c[1], c[2])+min(c[0], c[1], c[2]))/2 < 0.5, true
}
