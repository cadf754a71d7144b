// Package termtext is the text the wizard and the commands both put on a
// terminal: words wrapped to its width, commands quoted for a shell,
// verdicts and times in a line, and certwiz's colours.
package termtext

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// WrapWords wraps text for a terminal, as the wizard and the commands
// show it: it wraps at spaces to width columns; a word longer than a
// line (a long domain name) is cut only where it must be, never at a
// hyphen or a dot as lipgloss would. Chinese text, which has no spaces,
// may break between any two of its wide characters.
func WrapWords(text string, width int) string {
	if width <= 0 {
		return text
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for {
				room := width
				if line != "" {
					room = width - lipgloss.Width(line) - 1
				}
				ww := lipgloss.Width(word)
				if ww <= room {
					break
				}
				if line != "" && (!HasWide(word) || room < 2) {
					if ww <= width {
						break // it fits on a line of its own
					}
					out, line = append(out, line), ""
					continue
				}
				head, rest := splitCJK(word, room)
				if head == "" && line != "" {
					out, line = append(out, line), ""
					continue // the run before the first break starts the next line
				}
				if head == "" {
					head, rest = SplitWidth(word, room) // one run wider than a line
				}
				head, rest = keepPunctuation(head, rest)
				if line != "" {
					head = line + " " + head
				}
				out, line, word = append(out, head), "", rest
			}
			switch {
			case word == "":
			case line == "":
				line = word
			case lipgloss.Width(line)+1+lipgloss.Width(word) <= width:
				line += " " + word
			default:
				out, line = append(out, line), word
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// HasWide reports double-width (CJK) characters, between which a line
// may break.
func HasWide(s string) bool {
	for _, r := range s {
		if lipgloss.Width(string(r)) > 1 {
			return true
		}
	}
	return false
}

// closing is punctuation a line must not start with.
const closing = "，。；：、）」』】！？,.;:)"

// keepPunctuation moves the break so that the next line does not start
// with closing punctuation (，。；：、）」』】！？…), as Chinese typesetting
// wants: the character before it goes down too.
func keepPunctuation(head, rest string) (string, string) {
	r := []rune(head)
	if rest == "" || len(r) < 2 || !strings.ContainsRune(closing, []rune(rest)[0]) {
		return head, rest
	}
	return string(r[:len(r)-1]), string(r[len(r)-1:]) + rest
}

// splitCJK cuts Chinese text after at most width columns where it may
// break: next to a wide character, never inside a run of Latin letters,
// digits and punctuation (a mode like "parse", ".pfx", a domain or a path
// stays whole). "" when no such break fits.
func splitCJK(s string, width int) (string, string) {
	w, cut := 0, 0
	prevWide, prevOpen := false, false
	for i, r := range s {
		rw := lipgloss.Width(string(r))
		if i > 0 && (prevWide || rw > 1) && !prevOpen && !strings.ContainsRune(closing, r) {
			cut = i // a break may go before r (never after an opening bracket, nor before closing punctuation)
		}
		if w+rw > width {
			return s[:cut], s[cut:]
		}
		w += rw
		prevWide, prevOpen = rw > 1, strings.ContainsRune("（「『【《(", r)
	}
	return s, ""
}

// SplitWidth cuts s after at most width columns.
func SplitWidth(s string, width int) (string, string) {
	w := 0
	for i, r := range s {
		rw := lipgloss.Width(string(r))
		if w+rw > width {
			return s[:i], s[i:]
		}
		w += rw
	}
	return s, ""
}
