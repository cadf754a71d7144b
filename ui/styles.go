package ui

import (
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"

	"github.com/certwiz/certwiz/ui/termtext"
)

// Styles live in one place; their colours are termtext's, which the
// commands share.
var (
	accent    = termtext.Accent
	muted     = termtext.Muted
	good      = termtext.Good
	bad       = termtext.Bad
	warnColor = termtext.Warn

	titleStyle   = lipgloss.NewStyle().Bold(true).Foreground(accent)
	mutedStyle   = termtext.MutedStyle
	goodStyle    = lipgloss.NewStyle().Foreground(good)
	badStyle     = lipgloss.NewStyle().Foreground(bad)
	warnStyle    = termtext.WarnStyle
	currentStyle = lipgloss.NewStyle().Bold(true).Foreground(accent)
	labelStyle   = lipgloss.NewStyle().Foreground(muted)
	cardStyle    = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1)
	errCardStyle = cardStyle.BorderForeground(bad)
	sidebarStyle = lipgloss.NewStyle().PaddingRight(2).MarginRight(1).Border(lipgloss.NormalBorder(), false, true, false, false).BorderForeground(muted)
)

func theme() *huh.Theme { return huh.ThemeCharm() }
