package termbg

import (
	"bytes"
	"testing"
)

// The answer to OSC 11 in the forms terminals send it: 1 to 4 hex digits a
// component, ended by ST or BEL.
func TestDarkRGB(t *testing.T) {
	for answer, want := range map[string]bool{
		"\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[1;1R": true,
		"\x1b]11;rgb:1e1e/1e1e/2e2e\a":              true,
		"\x1b]11;rgb:ffff/ffff/ffff\x1b\\":          false,
		"\x1b]11;rgb:fd/f6/e3\x1b\\":                false,
		"\x1b]11;rgb:F/F/F\a":                       false,
	} {
		if dark, ok := darkRGB(answer); !ok || dark != want {
			t.Errorf("%q: dark %v ok %v, want %v", answer, dark, ok, want)
		}
	}
	for _, answer := range []string{"", "\x1b[1;1R", "\x1b]11;rgb:zz/00/00\a", "\x1b]11;rgb:00/00\a"} {
		if _, ok := darkRGB(answer); ok {
			t.Errorf("%q read as a colour", answer)
		}
	}
}

// Anything but a terminal showing colours is not asked: dark, and nothing
// written.
func TestDarkAsksNoPipe(t *testing.T) {
	var b bytes.Buffer
	if !Dark(&b) || b.Len() != 0 {
		t.Fatalf("dark %v, wrote %q", Dark(&b), b.String())
	}
}
