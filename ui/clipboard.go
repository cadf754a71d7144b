package ui

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/certwiz/certwiz/ui/safe"
	tea "github.com/charmbracelet/bubbletea"
)

// osc52Clipboard copies through the terminal itself (OSC 52), so copying
// works over SSH and inside tmux (which keeps it as a paste buffer);
// GNU screen needs its own wrapping. A value that would not print as it
// is never goes: a paste of it could act on a shell.
func osc52Clipboard(w io.Writer) func(string) error {
	return func(v string) error {
		if !safe.Clean(v) {
			return fmt.Errorf("copy to the clipboard: %s is not printable text", safe.Text(v))
		}
		seq := osc52.New(v)
		if strings.HasPrefix(os.Getenv("TERM"), "screen") && os.Getenv("TMUX") == "" {
			seq = seq.Screen()
		}
		if _, err := seq.WriteTo(w); err != nil {
			return fmt.Errorf("copy to the clipboard: %w", err)
		}
		return nil
	}
}

type copiedMsg struct{ err error }

// copyCmd puts a value on the clipboard beside the program.
func (s *session) copyCmd(v string) tea.Cmd {
	clip := s.opts.Clipboard
	if clip == nil {
		return nil
	}
	return func() tea.Msg { return copiedMsg{clip(v)} }
}

// copyKind is what a value to copy is, which says what it may hold.
type copyKind int

const (
	copyHost    copyKind = iota // a record's host in its zone: a DNS name, or @
	copyName                    // a DNS name
	copyFQDN                    // a DNS name with the root's dot
	copyTXT                     // a TXT record's value
	copyURL                     // the validation file's http(s) URL
	copyContent                 // the validation file's content
)

// maxCopy is the longest value copied: a TXT value or a validation file
// is a token, far shorter.
const maxCopy = 4096

// copyable says why a value may not go to the clipboard (ok when it
// may): only what is valid for its kind, in printable ASCII (no control
// character, no line break: a paste runs in a shell or an editor, and
// ESC[201~ would end a bracketed paste). A TXT value and a file's content
// are printable ASCII; names are DNS names; a URL is http or https on a
// DNS name, with a plain path.
func copyable(kind copyKind, v string) (why t, ok bool) {
	switch {
	case v == "":
		return t{EN: "empty", ZH: "为空"}, false
	case len(v) > maxCopy:
		return t{EN: fmt.Sprintf("longer than %d characters", maxCopy), ZH: fmt.Sprintf("超过 %d 个字符", maxCopy)}, false
	}
	for _, r := range v {
		if r < 0x20 || r > 0x7e {
			c := safe.Text(string(r))
			return t{EN: "it holds " + c + ", not printable ASCII", ZH: "含有 " + c + "，不是可打印的 ASCII 字符"}, false
		}
	}
	notName := t{EN: "not a DNS name", ZH: "不是域名"}
	switch kind {
	case copyHost:
		if v != "@" && !dnsName(v) {
			return notName, false
		}
	case copyName:
		if !dnsName(v) {
			return notName, false
		}
	case copyFQDN:
		if n, dot := strings.CutSuffix(v, "."); !dot || !dnsName(n) {
			return t{EN: "not a DNS name ending with a dot", ZH: "不是以点结尾的域名"}, false
		}
	case copyURL:
		if !plainURL(v) {
			return t{EN: "not an http or https URL of a DNS name with a plain path", ZH: "不是域名上路径简单的 http 或 https 地址"}, false
		}
	}
	return t{}, true
}

// dnsName reports whether v is a DNS name: dot-separated labels of
// letters, digits, '-' and '_' (validation records start with _dnsauth),
// 63 characters at most each, 253 in all.
func dnsName(v string) bool {
	if len(v) > 253 {
		return false
	}
	for _, l := range strings.Split(v, ".") {
		if l == "" || len(l) > 63 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
			return false
		}
	}
	return true
}

// plainURL reports whether v is http(s)://NAME/PATH: a DNS name (no
// user, no port) and a path of letters, digits and -._~/ (no query, no
// fragment, no escapes).
func plainURL(v string) bool {
	if strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/:") != "" {
		return false
	}
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Port() == "" && dnsName(u.Host) &&
		strings.HasPrefix(u.Path, "/") && !strings.Contains(u.Path+"/", "/../")
}
