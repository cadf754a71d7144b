package ui

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/certwiz/certwiz/ui/safe"
	"github.com/certwiz/certwiz/ui/termbg"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Run runs the wizard on a terminal: drawn on errOut (stdout stays for
// results), input from in. When ctx ends (SIGTERM, SIGHUP) the draft is
// saved and the exit code is 130. It returns the exit code.
func Run(ctx context.Context, o Options, in io.Reader, out, errOut io.Writer) (int, error) {
	// Styles must be computed for the stream the wizard draws on; lipgloss's
	// default renderer looks at stdout. The background is asked here, once
	// and briefly, before Bubble Tea reads the terminal.
	r := lipgloss.NewRenderer(errOut)
	r.SetHasDarkBackground(termbg.Dark(errOut))
	lipgloss.SetDefaultRenderer(r)
	if o.Clipboard == nil {
		o.Clipboard = osc52Clipboard(errOut)
	}
	m, err := NewWizard(o)
	if err != nil {
		return 0, err
	}
	return run(ctx, m, in, out, errOut)
}

// run runs the wizard m as a program drawn on errOut.
func run(ctx context.Context, m *Wizard, in io.Reader, out, errOut io.Writer) (int, error) {
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(errOut), tea.WithAltScreen(), tea.WithoutSignalHandler())
	m.wake = p.Send
	go func() {
		<-ctx.Done()
		p.Send(interruptMsg{})
	}()
	if _, err := p.Run(); errors.Is(err, tea.ErrProgramPanic) {
		// A panic in a command, beside the program: Bubble Tea caught it,
		// gave the terminal back and printed it.
		m.s.crashed(err, txtInACommand.In(m.s.lang))
	} else if err != nil {
		return 0, fmt.Errorf("wizard: %w", err)
	}
	stdout, stderr := m.Final()
	fmt.Fprint(out, safe.Lines(stdout))
	fmt.Fprint(errOut, safe.Lines(stderr))
	return m.ExitCode(), nil
}
