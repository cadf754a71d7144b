package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/certwiz/certwiz/ui/termbg"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/ui/termtext"
)

// batchBar draws a batch's progress: a bar, counts, rate, ETA and the
// last rows. ctrl+c asks the batch to stop starting requests.
type batchBar struct {
	p *tea.Program
	m *batchModel
}

type batchModel struct {
	lang     string
	total    int
	ok, bad  int
	started  time.Time
	last     []string
	bar      progress.Model
	cancel   func()
	stopping bool
	width    int
}

type batchRowMsg struct {
	ok   bool
	line string
}

type batchFinishMsg struct{}

// newBatchBar prepares the display for total requests on out; keys are
// read from in when it is a terminal (else ctrl+c arrives as a signal).
func newBatchBar(lang string, total int, in io.Reader, out io.Writer, cancel func()) *batchBar {
	m := &batchModel{lang: lang, total: total, started: time.Now(), cancel: cancel, width: 80,
		bar: progress.New(progress.WithDefaultGradient(), progress.WithWidth(40))}
	// The styles use lipgloss's default renderer, stdout's: its background
	// is asked (briefly, and only when it shows colours) before Bubble Tea
	// reads the terminal.
	lipgloss.SetHasDarkBackground(termbg.Dark(os.Stdout))
	opts := []tea.ProgramOption{tea.WithOutput(out), tea.WithoutSignalHandler()}
	if f, ok := in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		opts = append(opts, tea.WithInput(f))
	} else {
		opts = append(opts, tea.WithInput(nil))
	}
	return &batchBar{p: tea.NewProgram(m, opts...), m: m}
}

// Run shows the progress until Finish.
func (b *batchBar) Run() { _, _ = b.p.Run() }

// Done reports one row sent and answered.
func (b *batchBar) Done(ok bool, line string) { b.p.Send(batchRowMsg{ok: ok, line: line}) }

// Finish ends the display, leaving its last frame on the terminal.
func (b *batchBar) Finish() { b.p.Send(batchFinishMsg{}) }

func (m *batchModel) Init() tea.Cmd { return nil }

func (m *batchModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width = msg.Width
		m.bar.Width = max(min(msg.Width-30, 60), 10)
	case tea.KeyMsg:
		if msg.String() == "ctrl+c" && !m.stopping {
			m.stopping = true
			m.cancel()
		}
	case batchRowMsg:
		if msg.ok {
			m.ok++
		} else {
			m.bad++
		}
		m.last = append(m.last, msg.line)
		if len(m.last) > 5 {
			m.last = m.last[1:]
		}
	case batchFinishMsg:
		return m, tea.Quit
	}
	return m, nil
}

func (m *batchModel) View() string {
	done := m.ok + m.bad
	pct := 1.0
	if m.total > 0 {
		pct = float64(done) / float64(m.total)
	}
	elapsed := time.Since(m.started)
	eta := "—"
	if done > 0 && done < m.total {
		eta = (elapsed / time.Duration(done) * time.Duration(m.total-done)).Round(time.Second).String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d/%d\n", m.bar.ViewAs(pct), done, m.total)
	fmt.Fprintf(&b, api.Text{EN: "%d submitted · %d failed · %s elapsed · ETA %s", ZH: "%d 已提交 · %d 失败 · 已用 %s · 预计剩余 %s"}.In(m.lang)+"\n",
		m.ok, m.bad, elapsed.Round(time.Second), eta)
	for _, l := range m.last {
		fmt.Fprintln(&b, termtext.MutedStyle.Render(lipgloss.NewStyle().MaxWidth(m.width).Render(l)))
	}
	if m.stopping {
		fmt.Fprintln(&b, termtext.WarnStyle.Render(api.Text{EN: "Stopping: no new requests; waiting for those in flight…", ZH: "正在停止：不再发起新请求，等待已发出的请求完成……"}.In(m.lang)))
	} else {
		fmt.Fprintln(&b, termtext.MutedStyle.Render(api.Text{EN: "ctrl+c stops after the requests in flight", ZH: "ctrl+c 在已发出的请求完成后停止"}.In(m.lang)))
	}
	return b.String()
}
