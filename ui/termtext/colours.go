package termtext

import "github.com/charmbracelet/lipgloss"

// certwiz's colours, for the wizard and the commands alike. Adaptive
// colours pick the light or dark variant from the terminal's background;
// NO_COLOR drops colour entirely (lipgloss's colour profile honours it).
var (
	Accent = lipgloss.AdaptiveColor{Light: "#5A56E0", Dark: "#7571F9"}
	Muted  = lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	Good   = lipgloss.AdaptiveColor{Light: "#02A65A", Dark: "#02BF87"}
	Bad    = lipgloss.AdaptiveColor{Light: "#D62D4A", Dark: "#FF4672"}
	Warn   = lipgloss.AdaptiveColor{Light: "#B7791F", Dark: "#F4B400"}

	MutedStyle = lipgloss.NewStyle().Foreground(Muted)
	WarnStyle  = lipgloss.NewStyle().Foreground(Warn).Bold(true)
)
