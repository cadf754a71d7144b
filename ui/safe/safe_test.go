package safe

import "testing"

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"plain 中文 text":                 "plain 中文 text",
		"\x1b]0;pwned\x07\x1b[2J":       `\x1b]0;pwned\x07\x1b[2J`,
		"ok\r\nSubmitted certificate x": `ok\x0d\x0aSubmitted certificate x`,
		"abc\u202edef":                  `abc\u202edef`,
		"zero\u200bwidth":               `zero\u200bwidth`,
		"bad \xff byte":                 `bad \xff byte`,
		"c1 \u009b31m":                  `c1 \x9b31m`,
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Lines("a\x1b\nb"); got != "a\\x1b\nb" {
		t.Errorf("Lines = %q", got)
	}
}

func FuzzText(f *testing.F) {
	f.Add("\x1b[31mred\u202e")
	f.Fuzz(func(t *testing.T, s string) {
		if out := Text(s); !Clean(out) {
			t.Fatalf("Text(%q) = %q is not clean", s, out)
		}
	})
}
