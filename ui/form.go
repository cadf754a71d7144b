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

// buildForm turns a step's groups into one huh form bound to the draft.
// One form per step: the step machine (and going back) is the wizard's.
// Live descriptions are returned for the wizard to refresh after each
// update: huh's DescriptionFunc would read the draft from a command's
// goroutine while keystrokes change it.
func buildForm(groups []group, d *draft, lang string, width int) (*huh.Form, []*liveDescription) {
	var hg []*huh.Group
	var live []*liveDescription
	for _, g := range groups {
		var fields []huh.Field
		for _, f := range g.fields {
			hf, ld := huhField(f, d, lang)
			fields = append(fields, hf)
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
	return huh.NewForm(hg...).WithShowHelp(false).WithWidth(width).WithTheme(theme()), live
}

func huhField(f fieldDef, d *draft, lang string) (huh.Field, *liveDescription) {
	title, hint := f.label.In(lang), f.hint.In(lang)
	describe := func() string {
		if f.describe == nil {
			return hint
		}
		if extra := f.describe(d); extra != "" {
			return hint + "\n" + extra
		}
		return hint
	}
	live := func(set func(string)) *liveDescription {
		if f.describe == nil {
			return nil
		}
		return &liveDescription{set: set, text: describe, last: describe()}
	}
	validate := func(v string) error {
		if f.check == nil {
			return nil
		}
		return f.check(d, v)
	}
	switch f.kind {
	case kindConfirm:
		// A two-option select rather than huh's Confirm: its buttons differ
		// only by colour, which NO_COLOR and some screens lose.
		return huh.NewSelect[bool]().Key(f.key).Title(title).Value(f.flag(d)).
			Options(huh.NewOption(txtYes.In(lang), true), huh.NewOption(txtNo.In(lang), false)), nil
	case kindChoice, kindCountry:
		ptr := f.text(d)
		var opts []huh.Option[string]
		if f.kind == kindCountry {
			if *ptr == "" {
				*ptr = "CN" // most certwiz users are in China; visible and changeable
			}
			for _, c := range api.Countries {
				opts = append(opts, huh.NewOption(c.Label(), c.Code))
			}
		} else {
			for _, c := range f.choices {
				opts = append(opts, huh.NewOption(c.Label.In(lang), c.Value))
			}
		}
		sel := huh.NewSelect[string]().Key(f.key).Title(title).Description(hint).Options(opts...).Value(ptr).Validate(validate)
		if f.kind == kindCountry {
			sel = sel.Height(6)
		}
		return sel, nil
	case kindLines:
		txt := huh.NewText().Key(f.key).Title(title).Description(describe()).Lines(4).CharLimit(20000).Value(f.text(d)).Validate(validate)
		return txt, live(func(s string) { txt.Description(s) })
	}
	in := huh.NewInput().Key(f.key).Title(title).Description(describe()).Value(f.text(d)).Validate(validate)
	if f.kind == kindSecret {
		in = in.EchoMode(huh.EchoModePassword)
	}
	return in, live(func(s string) { in.Description(s) })
}

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
