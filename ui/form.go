package ui

import (
	"github.com/certwiz/certwiz/api"
	"github.com/charmbracelet/huh"
)

// liveDescription is a field whose description follows the draft (the
// punycode of a domain, a count of names, what a CSR holds).
type liveDescription struct {
	set  func(string)
	text func() string
	last string
}

// buildForm turns a step's groups into one huh form bound to the draft
// (nil for questions of no step, whose fields hold their own values).
// One form per step: the step machine (and going back) is the wizard's.
// Errors are shown under their field by the fields themselves, not in
// huh's footer. Live descriptions are returned for the step to refresh
// after each update: huh's DescriptionFunc would read the draft from a
// command's goroutine while keystrokes change it. The pickers are returned
// too: huh only ever shrinks a field's height, the step grows them back. While *back is set (the
// user is moving back a field) validation lets everything through.
func buildForm(groups []group, d *draft, lang string, width int, env *formEnv) (*huh.Form, []*liveDescription, []*picker) {
	var hg []*huh.Group
	var live []*liveDescription
	var pickers []*picker
	for _, g := range groups {
		var fields []huh.Field
		for _, f := range g.fields {
			hf, ld := huhField(f, d, lang, env)
			fields = append(fields, hf)
			if p, ok := hf.(*picker); ok {
				pickers = append(pickers, p)
			}
			if ld != nil {
				live = append(live, ld)
			}
		}
		grp := huh.NewGroup(fields...)
		if g.hidden != nil {
			hidden := g.hidden
			grp = grp.WithHideFunc(func() bool { return hidden(d) })
		}
		hg = append(hg, grp)
	}
	form := huh.NewForm(hg...).WithShowHelp(false).WithShowErrors(false).WithWidth(width).WithTheme(theme())
	return form, live, pickers
}

// formEnv is what a step's fields share with their screen: whether the
// user is moving back (validation waits), the form's height (for errors to
// stay in view) and its width (descriptions wrap between words at it).
type formEnv struct {
	back  bool
	room  int
	width int
}

func huhField(f fieldDef, d *draft, lang string, env *formEnv) (huh.Field, *liveDescription) {
	title, hint := f.label.In(lang), f.hint.In(lang)
	describe := func() string {
		text := hint
		if f.describe != nil {
			if extra := f.describe(d); extra != "" {
				text += "\n" + extra
			}
		}
		// huh wraps at hyphens and dots; wrapped here, it need not.
		return wrapWords(text, max(env.width-4, 10))
	}
	live := func(set func(string)) *liveDescription {
		return &liveDescription{set: set, text: describe, last: describe()}
	}
	back, room := &env.back, &env.room
	var missing func() bool // a draft's required value left empty; nil: no draft
	if d != nil {
		missing = func() bool { return d.missing(f.key) }
	}
	validate := func(v string) error {
		if f.check == nil || *back {
			return nil
		}
		return f.check(d, v)
	}
	switch f.kind {
	case kindConfirm:
		flag := f.flag(d)
		get := func() string {
			if *flag {
				return "yes"
			}
			return "no"
		}
		p := newPicker(lang, f.key, title, []pickOption{{txtYes.In(lang), "yes"}, {txtNo.In(lang), "no"}}, get, func(v string) { *flag = v == "yes" }, "")
		return p, nil
	case kindChoice, kindCountry:
		ptr := f.text(d)
		var opts []pickOption
		def := ""
		if f.kind == kindCountry {
			for _, c := range api.Countries {
				opts = append(opts, pickOption{c.Label(), c.Code})
			}
			def = "CN" // most certwiz users are in China; shown, saved once the user is there
		} else {
			for _, c := range f.choices {
				opts = append(opts, pickOption{c.Label.In(lang), c.Value})
			}
		}
		p := newPicker(lang, f.key, title, opts, func() string { return *ptr }, func(v string) { *ptr = v }, def)
		p.desc, p.validate = hint, func(v string) error {
			if err := validate(v); err != nil {
				return fieldErr{title, err}
			}
			return nil
		}
		if f.kind == kindCountry {
			p.filterable, p.rows = true, 6
		}
		if f.noDefault && p.position(*ptr) < 0 {
			p.cursor = -1 // enter alone chooses nothing: an arrow first
		}
		return p, nil
	case kindLines:
		txt := huh.NewText().Key(f.key).Title(title).Description(describe()).Lines(4).CharLimit(20000).Value(f.text(d)).Validate(validate)
		fr := &framed{Field: txt, label: title, lang: lang, multiline: true, back: back, room: room, missing: missing, value: f.text(d)}
		fr.shown = *fr.value
		if ed := findEditor(); ed != nil {
			txt.Editor(ed...)
			fr.editor = ed[0]
		} else {
			txt.ExternalEditor(false)
		}
		return fr, live(func(s string) { txt.Description(s) })
	}
	in := huh.NewInput().Key(f.key).Title(title).Description(describe()).Value(f.text(d)).Validate(validate)
	if f.kind == kindSecret {
		in = in.EchoMode(huh.EchoModePassword)
	}
	return &framed{Field: in, label: title, lang: lang, back: back, room: room, missing: missing}, live(func(s string) { in.Description(s) })
}

// fieldErr is a picker's error with its field's name in front.
type fieldErr struct {
	label string
	err   error
}

func (e fieldErr) Error() string { return fieldError(e.label, e.err) }
func (e fieldErr) Unwrap() error { return e.err }

// refreshDescriptions updates live descriptions; it reports a change.
func refreshDescriptions(live []*liveDescription) bool {
	changed := false
	for _, l := range live {
		if s := l.text(); s != l.last {
			l.last, changed = s, true
			l.set(s)
		}
	}
	return changed
}
