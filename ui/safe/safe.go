// Package safe makes text from strangers (server answers, history lines,
// CSR subjects) safe to print on a terminal. It is the one place certwiz
// does it: the wizard and every command use Text.
package safe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text shows control characters (C0, DEL, C1 — ESC, BEL, CR and LF among
// them), bidi overrides, isolates and marks, other invisible format
// characters, and bytes that are not UTF-8 escaped (\x1b, \u202e) instead
// of letting them act on the terminal or reorder what follows.
func Text(s string) string {
	if Clean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x100 && unsafe(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// Lines is Text for text whose line breaks are its own (a message of
// several lines): each line is made safe, the breaks kept.
func Lines(s string) string {
	parts := strings.Split(s, "\n")
	for i, p := range parts {
		parts[i] = Text(p)
	}
	return strings.Join(parts, "\n")
}

// Clean reports whether s prints as it is.
func Clean(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unsafe(r) {
			return false
		}
	}
	return true
}

func unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return unicode.Is(unicode.Cf, r) // bidi controls, zero-width characters, BOM…
}
