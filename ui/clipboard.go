package ui

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
)

// osc52Clipboard copies through the terminal itself (OSC 52), so copying
// works over SSH and inside tmux (which keeps it as a paste buffer);
// GNU screen needs its own wrapping.
func osc52Clipboard(w io.Writer) func(string) error {
	return func(v string) error {
		seq := osc52.New(v)
		if strings.HasPrefix(os.Getenv("TERM"), "screen") && os.Getenv("TMUX") == "" {
			seq = seq.Screen()
		}
		if _, err := seq.WriteTo(w); err != nil {
			return fmt.Errorf("copy to the clipboard: %w", err)
		}
		return nil
	}
}

type copiedMsg struct{ err error }

// copyCmd puts a value on the clipboard beside the program.
func (s *session) copyCmd(v string) tea.Cmd {
	clip := s.opts.Clipboard
	if clip == nil {
		return nil
	}
	return func() tea.Msg { return copiedMsg{clip(v)} }
}
