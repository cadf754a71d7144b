package ui

import (
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// Styles live in one place. Adaptive colours pick the light or dark
// variant from the terminal's background; NO_COLOR drops colour entirely
// (lipgloss's colour profile honours it).
var (
	accent    = lipgloss.AdaptiveColor{Light: "#5A56E0", Dark: "#7571F9"}
	muted     = lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	good      = lipgloss.AdaptiveColor{Light: "#02A65A", Dark: "#02BF87"}
	bad       = lipgloss.AdaptiveColor{Light: "#D62D4A", Dark: "#FF4672"}
	warnColor = lipgloss.AdaptiveColor{Light: "#B7791F", Dark: "#F4B400"}

	titleStyle   = lipgloss.NewStyle().Bold(true).Foreground(accent)
	mutedStyle   = lipgloss.NewStyle().Foreground(muted)
	goodStyle    = lipgloss.NewStyle().Foreground(good)
	badStyle     = lipgloss.NewStyle().Foreground(bad)
	warnStyle    = lipgloss.NewStyle().Foreground(warnColor).Bold(true)
	currentStyle = lipgloss.NewStyle().Bold(true).Foreground(accent)
	labelStyle   = lipgloss.NewStyle().Foreground(muted)
	cardStyle    = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1)
	errCardStyle = cardStyle.BorderForeground(bad)
	sidebarStyle = lipgloss.NewStyle().PaddingRight(2).MarginRight(1).Border(lipgloss.NormalBorder(), false, true, false, false).BorderForeground(muted)
)

func theme() *huh.Theme { return huh.ThemeCharm() }
