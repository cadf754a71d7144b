package ui

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// picker is a list to choose one value from: a huh.Field inside step
// forms, and a menu on its own elsewhere. It replaces huh v1.0.0's Select,
// whose filter clamps its cursor and whose window starts at the cursor, so
// matches above it are hidden (huh issue #669: with CN preselected, "/ger"
// showed only Nigeria and saved NG), and a preselected second option hid
// the first one. Here every match is shown, the cursor starts on the best
// match, and the value is written only when the user moves the cursor with
// the arrows or chooses with enter: a default is never saved before the
// user has seen it, and filtering or going back never changes it.
type picker struct {
	key, title, desc string
	options          []pickOption
	get              func() string
	set              func(string)
	validate         func(string) error
	filterable       bool
	lang             string

	matches []int // indexes into options, in display order
	cursor  int   // index into matches
	offset  int   // first match shown
	rows    int   // most options shown at once; 0: all
	filter  string
	focused bool
	err     error
	width   int
	height  int // set by the group when space is short
	theme   *huh.Theme
	first   bool   // no field before this one in its form
	noMatch string // what Enter does when nothing matches; "" for the default
	def     string // where the cursor rests when the value is none of the options
	hint    string // the filter line's invitation; "" for the default
}

type pickOption struct{ label, value string }

// newPicker returns a picker on get/set. def is where the cursor starts
// when the current value is none of the options.
func newPicker(lang, key, title string, options []pickOption, get func() string, set func(string), def string) *picker {
	// Labels may come from an answer (certificate lists): made safe once
	// here, whoever built them.
	for i := range options {
		options[i].label = safe.Lines(options[i].label)
	}
	p := &picker{key: key, title: title, options: options, get: get, set: set, lang: lang, width: 40, def: def}
	p.refilter()
	p.cursor = max(p.position(get()), p.position(def), 0)
	p.scrollToCursor()
	return p
}

// position is where value sits among the matches, -1 if it is not there.
func (p *picker) position(value string) int {
	for i, o := range p.matches {
		if p.options[o].value == value {
			return i
		}
	}
	return -1
}

// hovered is the value under the cursor; false when nothing matches.
func (p *picker) hovered() (string, bool) {
	if p.cursor < 0 || p.cursor >= len(p.matches) {
		return "", false
	}
	return p.options[p.matches[p.cursor]].value, true
}

// refilter lists the options matching the filter: an exact value (a
// country code) first, then labels starting with it, then the rest
// containing it; the cursor goes to the best match.
func (p *picker) refilter() {
	p.matches = p.matches[:0]
	f := strings.ToLower(strings.TrimSpace(p.filter))
	type ranked struct{ rank, i int }
	var rs []ranked
	for i, o := range p.options {
		label := strings.ToLower(o.label)
		switch {
		case f == "":
			rs = append(rs, ranked{2, i})
		case strings.ToLower(o.value) == f:
			rs = append(rs, ranked{0, i})
		case strings.HasPrefix(label, f) || strings.Contains(label, "— "+f):
			rs = append(rs, ranked{1, i})
		case strings.Contains(label, f):
			rs = append(rs, ranked{2, i})
		}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int { return a.rank - b.rank })
	for _, r := range rs {
		p.matches = append(p.matches, r.i)
	}
	p.cursor, p.offset = 0, 0
}

// visible is how many options fit from the offset.
func (p *picker) visible() int { return p.fits(p.offset) }

// fits counts the options that fit from offset: by rows, and by lines
// when the field's height is limited (a long option wraps over several).
func (p *picker) fits(offset int) int {
	budget := 1 << 30
	if p.height > 0 {
		// Title, description, filter line and the two "more" lines.
		head := 0
		if h := p.head(); h != "" {
			head = lipgloss.Height(h)
		}
		budget = max(p.height-head-2, 1)
	}
	n, lines := 0, 0
	for i := offset; i < len(p.matches); i++ {
		l := p.optionLines(i)
		if n > 0 && lines+l > budget {
			break
		}
		lines += l
		n++
		if p.rows > 0 && n >= p.rows {
			break
		}
	}
	return max(n, 1)
}

// labelWidth is the room an option's label has beside the cursor.
func (p *picker) labelWidth() int { return max(p.width-5, 8) }

func (p *picker) optionLines(i int) int {
	return strings.Count(wrapWords(p.options[p.matches[i]].label, p.labelWidth()), "\n") + 1
}

func (p *picker) scrollToCursor() {
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	for p.offset < p.cursor && p.cursor >= p.offset+p.fits(p.offset) {
		p.offset++
	}
	p.offset = max(min(p.offset, len(p.matches)-1), 0)
}

var (
	pickUp     = key.NewBinding(key.WithKeys("up", "ctrl+p"))
	pickDown   = key.NewBinding(key.WithKeys("down", "ctrl+n"))
	pickVimUp  = key.NewBinding(key.WithKeys("k"))
	pickVimDn  = key.NewBinding(key.WithKeys("j"))
	pickPgUp   = key.NewBinding(key.WithKeys("pgup"))
	pickPgDown = key.NewBinding(key.WithKeys("pgdown"))
	pickHome   = key.NewBinding(key.WithKeys("home"))
	pickEnd    = key.NewBinding(key.WithKeys("end"))
	pickNext   = key.NewBinding(key.WithKeys("enter", "tab"))
	pickPrev   = key.NewBinding(key.WithKeys("shift+tab"))
	pickClear  = key.NewBinding(key.WithKeys("esc"))
)

// Update moves the cursor, edits the filter, and leaves the field on
// enter/tab (validated) or shift+tab (never blocked).
func (p *picker) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || !p.focused {
		return p, nil
	}
	p.err = nil
	// The ends stop the cursor: a list that wraps around turns one key too
	// many into the first action (Submit) instead of the last.
	move := func(to int) {
		if len(p.matches) == 0 {
			return
		}
		p.cursor = max(min(to, len(p.matches)-1), 0)
		p.scrollToCursor()
		p.touch()
	}
	switch {
	case key.Matches(k, pickUp), !p.filterable && key.Matches(k, pickVimUp):
		move(p.cursor - 1)
	case key.Matches(k, pickDown), !p.filterable && key.Matches(k, pickVimDn):
		move(p.cursor + 1)
	case key.Matches(k, pickPgUp):
		move(max(p.cursor-p.visible(), 0))
	case key.Matches(k, pickPgDown):
		move(min(p.cursor+p.visible(), len(p.matches)-1))
	case key.Matches(k, pickHome):
		move(0)
	case key.Matches(k, pickEnd):
		move(len(p.matches) - 1)
	case key.Matches(k, pickNext):
		v, ok := p.hovered()
		if !ok && len(p.matches) > 0 {
			p.err = errors.New(txtChooseOne.In(p.lang)) // no option was preselected
			return p, nil
		}
		if !ok {
			return p, nil // the list already says nothing matches and what to do
		}
		if p.validate != nil {
			if p.err = p.validate(v); p.err != nil {
				return p, nil
			}
		}
		p.touch()
		return p, huh.NextField
	case key.Matches(k, pickPrev):
		if !p.first {
			return p, huh.PrevField
		}
	case p.filterable && key.Matches(k, pickClear) && p.filter != "":
		p.setFilter("")
		p.cursor = max(p.position(p.get()), p.position(p.def), 0) // back on the value as it is
		p.scrollToCursor()
	case p.filterable && k.Type == tea.KeyBackspace:
		if r := []rune(p.filter); len(r) > 0 {
			p.setFilter(string(r[:len(r)-1]))
		}
	case p.filterable && (k.Type == tea.KeyRunes || k.Type == tea.KeySpace) && !k.Paste:
		text := string(k.Runes)
		if k.Type == tea.KeySpace {
			text = " "
		}
		// "/" is how huh and less start a search: accepted, not typed.
		p.setFilter(p.filter + strings.TrimPrefix(text, "/"))
	case p.filterable && k.Paste:
		p.setFilter(p.filter + string(k.Runes))
	}
	return p, nil
}

func (p *picker) setFilter(f string) {
	p.filter = strings.TrimLeftFunc(f, unicode.IsSpace)
	p.refilter()
	p.scrollToCursor()
}

// touch writes the value under the cursor: the user has seen the list.
func (p *picker) touch() {
	if v, ok := p.hovered(); ok {
		p.set(v)
	}
}

func (p *picker) head() string {
	st := p.styles()
	w := max(p.width-2, 10)
	var parts []string
	if p.title != "" {
		title := st.Title.Render(wrapWords(p.title, w))
		if p.err != nil {
			title += st.ErrorIndicator.String()
		}
		parts = append(parts, title)
	}
	if p.desc != "" {
		parts = append(parts, st.Description.Render(wrapWords(p.desc, w)))
	}
	if p.filterable {
		line := txtTypeToFilter.In(p.lang)
		if p.hint != "" {
			line = p.hint
		}
		if p.filter != "" {
			line = fmt.Sprintf(txtFiltered.In(p.lang), p.filter, len(p.matches))
		}
		parts = append(parts, st.Description.Render(wrapWords(line, w)))
	}
	return strings.Join(parts, "\n")
}

func (p *picker) View() string {
	st := p.styles()
	var lines []string
	if h := p.head(); h != "" {
		lines = append(lines, h)
	}
	v := p.visible()
	more := func(n int, arrow string) {
		if n > 0 {
			lines = append(lines, st.Description.Render(fmt.Sprintf("  %s "+txtMore.In(p.lang), arrow, n)))
		}
	}
	more(p.offset, "↑")
	cursor := st.SelectSelector.String()
	cw := lipgloss.Width(cursor)
	for i := p.offset; i < min(p.offset+v, len(p.matches)); i++ {
		// A long option wraps under itself: its end may be what matters
		// ("only for domains on Tencent Cloud DNS…").
		label := strings.ReplaceAll(wrapWords(p.options[p.matches[i]].label, p.labelWidth()), "\n", "\n"+strings.Repeat(" ", cw))
		switch {
		case i == p.cursor && p.focused:
			lines = append(lines, cursor+st.SelectedOption.Render(label))
		case i == p.cursor:
			// Unfocused, the choice is marked by more than colour (NO_COLOR).
			lines = append(lines, padRight("•", cw)+st.SelectedOption.Render(label))
		default:
			lines = append(lines, strings.Repeat(" ", cw)+st.UnselectedOption.Render(label))
		}
	}
	if len(p.matches) == 0 {
		msg := txtNoMatch.In(p.lang)
		if p.noMatch != "" {
			msg = p.noMatch
		}
		lines = append(lines, st.Description.Render("  "+wrapWords(msg, max(p.width-4, 10))))
	}
	more(len(p.matches)-p.offset-v, "↓")
	if p.err != nil {
		lines = append(lines, badStyle.Render(wrapWords("✗ "+p.err.Error(), max(p.width-2, 10))))
	}
	return st.Base.Width(p.width).Render(strings.Join(lines, "\n"))
}

func (p *picker) styles() *huh.FieldStyles {
	th := p.theme
	if th == nil {
		th = theme()
	}
	if p.focused {
		return &th.Focused
	}
	return &th.Blurred
}

func (p *picker) Init() tea.Cmd { return nil }

func (p *picker) Focus() tea.Cmd { p.focused = true; return nil }

// Blur leaves the field as it is: only arrows and enter choose.
func (p *picker) Blur() tea.Cmd {
	p.focused = false
	return nil
}

func (p *picker) Error() error { return p.err }
func (p *picker) Skip() bool   { return false }
func (p *picker) Zoom() bool   { return false }

func (p *picker) KeyBinds() []key.Binding {
	b := []key.Binding{bind(p.lang, txtKeyMove, "↑/↓", "up", "down"), bind(p.lang, txtKeyChoose, "enter", "enter")}
	if p.filterable {
		b = append(b, bind(p.lang, txtKeyFilter, txtKeyTyping.In(p.lang), "/"))
		if p.filter != "" {
			b = append(b, bind(p.lang, txtKeyClearFilter, "esc", "esc"))
		}
	}
	if !p.first {
		b = append(b, bind(p.lang, txtKeyPrevField, "shift+tab", "shift+tab"))
	}
	return b
}

func (p *picker) WithTheme(th *huh.Theme) huh.Field { p.theme = th; return p }
func (p *picker) WithAccessible(bool) huh.Field     { return p }
func (p *picker) WithKeyMap(*huh.KeyMap) huh.Field  { return p }
func (p *picker) WithWidth(w int) huh.Field         { p.width = w; p.refit(); return p }
func (p *picker) WithHeight(h int) huh.Field        { p.height = h; p.refit(); return p }

// refit lays the window out again for a new size: from the top as far as
// the cursor allows, so a list that grew shows the options it has room for
// rather than keeping the offset a small window needed.
func (p *picker) refit() {
	p.offset = 0
	p.scrollToCursor()
}
func (p *picker) WithPosition(pos huh.FieldPosition) huh.Field {
	p.first = pos.IsFirst() && pos.Group == pos.FirstGroup
	return p
}
func (p *picker) GetKey() string { return p.key }
func (p *picker) GetValue() any  { v, _ := p.hovered(); return v }

// Run shows the picker alone on the terminal.
func (p *picker) Run() error { return huh.NewForm(huh.NewGroup(p)).Run() }

// RunAccessible asks for a number or a value on plain lines.
func (p *picker) RunAccessible(w io.Writer, r io.Reader) error {
	in := bufio.NewReader(r)
	fmt.Fprintln(w, p.title)
	for i, o := range p.options {
		fmt.Fprintf(w, "  %d. %s\n", i+1, o.label)
	}
	for {
		fmt.Fprint(w, txtPick.In(p.lang)+": ")
		line, err := in.ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("%s: %w", p.title, err)
		}
		a := strings.TrimSpace(line)
		if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(p.options) {
			p.set(p.options[n-1].value)
			return nil
		}
		for _, o := range p.options {
			if strings.EqualFold(o.value, a) {
				p.set(o.value)
				return nil
			}
		}
	}
}
