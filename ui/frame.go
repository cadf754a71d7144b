package ui

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"

	"github.com/certwiz/certwiz/ui/termtext"
)

// framed wraps a huh Input or Text so that its error sits right under it,
// names the field and wraps at word boundaries (huh prints errors at the
// bottom of the group, without a subject, wrapped anywhere), and so that
// its help is in the user's language. Going back (shift+tab) is never
// blocked by an invalid value: validation is suspended while moving back.
type framed struct {
	huh.Field
	label     string
	lang      string
	multiline bool
	editor    string // what ctrl+e opens; "" when no editor was found
	note      string // a one-off line under the field (no editor)
	back      *bool  // read by the field's validation
	room      *int   // lines the form has; 0: enough
	first     bool
	width     int
	theme     *huh.Theme
	// missing reports a required value left empty; left: the user has
	// passed the field with enter, so an empty one is said under it.
	missing func() bool
	left    bool
	// value is a multi-line field's draft value; shown, what its text
	// area was last given. The draft may change under it (a CSR file
	// read into the box): the area then shows the draft's.
	value *string
	shown string
}

var keyClear = key.NewBinding(key.WithKeys("ctrl+x"))

var keyLeave = key.NewBinding(key.WithKeys("enter", "tab"))

var (
	keyPrev   = key.NewBinding(key.WithKeys("shift+tab"))
	keyEditor = key.NewBinding(key.WithKeys("ctrl+e"))
)

func (f *framed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		*f.back = key.Matches(k, keyPrev)
		if *f.back && f.first {
			return f, nil // nowhere to go back to: keep the field and its message
		}
		f.note = ""
		switch {
		case key.Matches(k, keyLeave):
			f.left = true
		case *f.back:
			f.left = false // going back is not leaving it empty
		}
		if f.value != nil && key.Matches(k, keyClear) {
			*f.value = "" // a pasted CSR goes in one key, not 600 backspaces
		}
		if f.multiline && f.editor == "" && key.Matches(k, keyEditor) {
			f.note = txtNoEditor.In(f.lang)
			return f, nil
		}
	}
	f.sync()
	m, cmd := f.Field.Update(msg)
	f.Field = m.(huh.Field)
	if f.value != nil {
		f.shown = *f.value // huh sets it from the area after each update
	}
	return f, cmd
}

// sync gives the text area the draft's value when something else changed it.
func (f *framed) sync() {
	if t, ok := f.Field.(*huh.Text); ok && f.value != nil && *f.value != f.shown {
		t.Value(f.value)
		f.shown = *f.value
	}
}

// View is the field with its error under it, or, when the form is too
// short to show both, under the field's title: neither the message nor
// the value it is about is the part cut off.
func (f *framed) View() string {
	f.sync()
	v := f.Field.View()
	st := f.styles()
	w := max(f.width-2, 10)
	var extra []string
	if err := f.Field.Error(); err != nil {
		extra = append(extra, st.Base.Render(badStyle.Render(wrapWords("✗ "+fieldError(f.label, err), w))))
	}
	if f.note != "" {
		extra = append(extra, st.Base.Render(st.Description.Render(wrapWords(f.note, w))))
	}
	if f.leftEmpty() {
		// Not a refusal (a draft may be left incomplete), but never silent.
		extra = append(extra, st.Base.Render(warnStyle.Render(wrapWords(fmt.Sprintf(txtRequired.In(f.lang), f.label), w))))
	}
	if len(extra) == 0 {
		return v
	}
	below := v + "\n" + strings.Join(extra, "\n")
	if f.room == nil || *f.room <= 0 || lipgloss.Height(below) <= *f.room {
		return below
	}
	// Title, message, then as much of the field as fits from its bottom:
	// the value being fixed stays in sight, the hint above it gives way.
	title, rest, _ := strings.Cut(v, "\n")
	head := title + "\n" + strings.Join(extra, "\n")
	lines := strings.Split(rest, "\n")
	if keep := *f.room - lipgloss.Height(head); keep > 0 && keep < len(lines) {
		lines = lines[len(lines)-keep:]
	}
	return head + "\n" + strings.Join(lines, "\n")
}

// leftEmpty reports a required value the user passed with enter.
func (f *framed) leftEmpty() bool {
	return f.left && f.Field.Error() == nil && f.missing != nil && f.missing()
}

func (f *framed) styles() *huh.FieldStyles {
	th := f.theme
	if th == nil {
		th = theme()
	}
	return &th.Focused
}

func (f *framed) KeyBinds() []key.Binding {
	b := []key.Binding{bind(f.lang, txtKeyNext, "enter", "enter")}
	if f.multiline {
		b = append(b, bind(f.lang, txtKeyNewLine, "ctrl+j", "ctrl+j"))
		if f.value != nil {
			b = append(b, bind(f.lang, txtKeyClear, "ctrl+x", "ctrl+x"))
		}
		if f.editor != "" {
			b = append(b, bind(f.lang, t{EN: strings.ReplaceAll(txtKeyEditor.EN, "%s", f.editor), ZH: strings.ReplaceAll(txtKeyEditor.ZH, "%s", f.editor)}, "ctrl+e", "ctrl+e"))
		}
	}
	if !f.first {
		b = append(b, bind(f.lang, txtKeyPrevField, "shift+tab", "shift+tab"))
	}
	return b
}

func (f *framed) WithTheme(th *huh.Theme) huh.Field {
	f.theme = th
	f.Field = f.Field.WithTheme(th)
	return f
}
func (f *framed) WithKeyMap(k *huh.KeyMap) huh.Field { f.Field = f.Field.WithKeyMap(k); return f }
func (f *framed) WithAccessible(a bool) huh.Field    { f.Field = f.Field.WithAccessible(a); return f }
func (f *framed) WithWidth(w int) huh.Field          { f.width = w; f.Field = f.Field.WithWidth(w); return f }
func (f *framed) WithHeight(h int) huh.Field         { f.Field = f.Field.WithHeight(h); return f }
func (f *framed) WithPosition(p huh.FieldPosition) huh.Field {
	f.first = p.IsFirst() && p.Group == p.FirstGroup
	f.Field = f.Field.WithPosition(p)
	return f
}

// fieldError is an error as shown to people: the field's name first, as
// the subject of a message that has none ("is 22 characters long"), and
// ended like a sentence.
func fieldError(label string, err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "is "):
		msg = label + " " + msg
	case termtext.HasWide(label):
		msg = label + "：" + msg
	default:
		msg = label + ": " + msg
	}
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "。") {
		if termtext.HasWide(msg) {
			msg += "。"
		} else {
			msg += "."
		}
	}
	return msg
}

// findEditor is what ctrl+e opens in a multi-line field: $VISUAL or
// $EDITOR, else nano or vi when installed; "" when there is none.
func findEditor() []string {
	for _, env := range []string{"VISUAL", "EDITOR"} {
		if f := strings.Fields(os.Getenv(env)); len(f) > 0 {
			return f
		}
	}
	for _, e := range []string{"nano", "vi"} {
		if _, err := exec.LookPath(e); err == nil {
			return []string{e}
		}
	}
	return nil
}

// wrapWords is termtext.WrapWords, kept short for the screens that wrap.
func wrapWords(text string, width int) string { return termtext.WrapWords(text, width) }

// wrapKeeping wraps text at words, but keeps whole — a command meant to
// be copied, inside text — on one line when it fits in width (with the
// quotes around it); a longer one wraps at its spaces.
func wrapKeeping(text, whole string, width int) string {
	const glue = "\ue000" // private use: no space, and nothing certwiz says holds it
	if whole == "" || lipgloss.Width(whole)+2 > width || !strings.Contains(text, whole) || strings.Contains(text, glue) {
		return wrapWords(text, width)
	}
	joined := strings.ReplaceAll(whole, " ", glue)
	return strings.ReplaceAll(wrapWords(strings.Replace(text, whole, joined, 1), width), glue, " ")
}

// tick moves a spinner on a frame: the case every screen that waits has.
func tick(s *spinner.Model, msg spinner.TickMsg) tea.Cmd {
	var cmd tea.Cmd
	*s, cmd = s.Update(msg)
	return cmd
}
