package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

// Newcomer item 20: Chinese text breaks next to its wide characters, never
// inside a run of Latin letters, digits and punctuation — a mode, a file
// extension, a domain or a path stays whole — and no line is wider than
// asked.
func TestWrapWordsKeepsLatinRunsWhole(t *testing.T) {
	for _, c := range []struct {
		text  string
		width int
		whole []string
	}{
		{"CSR 模式：parse 表示上传您自己的 CSR", 12, []string{"parse"}},
		{"腾讯云用它加密下载包中的.pfx文件和.jks文件", 14, []string{".pfx", ".jks"}},
		{"证书域名为*.example.com，请在解析中添加记录", 16, []string{"*.example.com"}},
		{"文件已存在：shop.example.com_bundle.crt，请换一个文件夹", 30, []string{"shop.example.com_bundle.crt"}},
	} {
		got := wrapWords(c.text, c.width)
		for _, line := range strings.Split(got, "\n") {
			if lipgloss.Width(line) > c.width {
				t.Errorf("%q at %d: line %q is wider", c.text, c.width, line)
			}
		}
		for _, w := range c.whole {
			if !strings.Contains(got, w) {
				t.Errorf("%q at %d cuts %q:\n%s", c.text, c.width, w, got)
			}
		}
		if strings.ReplaceAll(got, "\n", "") != strings.ReplaceAll(c.text, " ", "") && strings.ReplaceAll(strings.ReplaceAll(got, "\n", ""), " ", "") != strings.ReplaceAll(c.text, " ", "") {
			t.Errorf("%q at %d lost or changed text:\n%s", c.text, c.width, got)
		}
	}
	// A Latin run wider than the line is still cut where it must be.
	if got := wrapWords("路径/tmp/a-very-long-folder-name/x", 10); strings.Contains(got, "\n\n") {
		t.Errorf("empty line: %q", got)
	}
}
