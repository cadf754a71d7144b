package ui

import (
	"github.com/certwiz/certwiz/api"
	"github.com/charmbracelet/huh"
)

// buildForm turns a step's groups into one huh form bound to the draft.
// One form per step: the step machine (and going back) is the wizard's.
func buildForm(groups []group, d *draft, lang string, width int) *huh.Form {
	var hg []*huh.Group
	for _, g := range groups {
		var fields []huh.Field
		for _, f := range g.fields {
			fields = append(fields, huhField(f, d, lang))
		}
		grp := huh.NewGroup(fields...)
		if g.hidden != nil {
			hidden := g.hidden
			grp = grp.WithHideFunc(func() bool { return hidden(d) })
		}
		hg = append(hg, grp)
	}
	return huh.NewForm(hg...).WithShowHelp(false).WithWidth(width).WithTheme(theme())
}

func huhField(f fieldDef, d *draft, lang string) huh.Field {
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
	validate := func(v string) error {
		if f.check == nil {
			return nil
		}
		return f.check(d, v)
	}
	switch f.kind {
	case kindConfirm:
		return huh.NewConfirm().Key(f.key).Title(title).Affirmative(txtYes.In(lang)).Negative(txtNo.In(lang)).Value(f.flag(d))
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
		return sel
	case kindLines:
		return huh.NewText().Key(f.key).Title(title).DescriptionFunc(describe, f.text(d)).Lines(4).CharLimit(20000).Value(f.text(d)).Validate(validate)
	}
	in := huh.NewInput().Key(f.key).Title(title).DescriptionFunc(describe, f.text(d)).Value(f.text(d)).Validate(validate)
	if f.kind == kindSecret {
		in = in.EchoMode(huh.EchoModePassword)
	}
	return in
}
