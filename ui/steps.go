package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/csr"
	"github.com/certwiz/certwiz/ui/safe"
)

// fieldKind adds the editor-only kinds to the catalogue's.
type fieldKind int

const (
	kindText fieldKind = iota
	kindSecret
	kindChoice
	kindCountry
	kindLines // several lines: DomainList, a pasted CSR
	kindConfirm
)

// fieldDef is one editable value of a step. API parameters get theirs from
// the catalogue; a few editor-only ones (CSR file, "same person") are added.
// The huh forms and the accessible prompts are both built from these.
type fieldDef struct {
	key      string
	label    t
	hint     t
	kind     fieldKind
	choices  []api.Choice
	text     func(d *draft) *string
	flag     func(d *draft) *bool
	check    func(d *draft, v string) error // nil: accepted (missing is allowed; review insists)
	describe func(d *draft) string          // a live line under the hint
	// noDefault: a choice whose cursor rests on no option until the user
	// moves it (the validation method is the user's to choose).
	noDefault bool
}

// group is fields shown together; hidden groups are skipped by both the
// form and the accessible prompts.
type group struct {
	fields []fieldDef
	hidden func(d *draft) bool
}

// stepDefs returns the groups of a step, from the catalogue.
func stepDefs(step api.Step, lang string) []group {
	var fields []fieldDef
	for _, f := range api.StepFields(step) {
		if f.Kind == api.KindBool {
			continue // IsDV comes from the account's certificate, not from typing
		}
		fields = append(fields, catalogueField(f, lang))
	}
	pick := func(keys ...string) []fieldDef {
		var out []fieldDef
		for _, k := range keys {
			for _, f := range fields {
				if f.key == k {
					out = append(out, f)
				}
			}
		}
		return out
	}
	switch step {
	case api.StepCSR:
		mode := pick("CsrType")[0]
		mode.key, mode.check = "csrMode", nil
		mode.text = func(d *draft) *string { return &d.csrMode }
		mode.choices = append(slices.Clone(mode.choices), api.Choice{Value: modeGenerate, Label: txtGenerateChoice})
		keyPassword := pick("KeyPassword")
		return []group{
			{fields: []fieldDef{mode}},
			{fields: keyPassword, hidden: func(d *draft) bool { return d.csrMode != modeOnline }},
			{fields: []fieldDef{againField(lang, keyPassword[0].label, func(d *draft) *string { return &d.req.KeyPassword }, func(d *draft) *string { return &d.keyPasswordAgain })},
				hidden: func(d *draft) bool { return d.csrMode != modeOnline || d.req.KeyPassword == "" }},
			{fields: append([]fieldDef{csrFileField(lang)}, pick("CsrContent")...), hidden: func(d *draft) bool { return d.csrMode != modeParse }},
			{fields: generateFields(lang), hidden: func(d *draft) bool { return d.csrMode != modeGenerate }},
			{fields: []fieldDef{againField(lang, txtKeyPass, func(d *draft) *string { return &d.keyPass }, func(d *draft) *string { return &d.keyPassAgain })},
				hidden: func(d *draft) bool { return d.csrMode != modeGenerate || d.keyPass == "" }},
		}
	case api.StepContact:
		same := fieldDef{key: "sameContact", label: txtSameAsAdmin, kind: kindConfirm, flag: func(d *draft) *bool { return &d.sameContact }}
		// In the administrator's order: mobile before e-mail.
		people := pick("ContactFirstName", "ContactLastName", "ContactNumber", "ContactEmail", "ContactPosition")
		return []group{{fields: []fieldDef{same}}, {fields: people, hidden: func(d *draft) bool { return d.sameContact }}}
	}
	return []group{{fields: fields}}
}

func catalogueField(f api.Field, lang string) fieldDef {
	def := fieldDef{key: f.Name, label: f.Label, hint: f.Hint, choices: f.Choices,
		text:  func(d *draft) *string { return d.req.Ptr(f.Name) },
		check: func(d *draft, v string) error { return d.problem(f.Name, v, lang) },
	}
	switch {
	case f.Kind == api.KindSecret:
		def.kind = kindSecret
	case f.Kind == api.KindChoice:
		def.kind = kindChoice
	case f.Name == "OrganizationCountry":
		def.kind = kindCountry
	case f.Kind == api.KindList, f.Kind == api.KindMultiline:
		def.kind = kindLines
	}
	switch f.Name {
	case "DomainList":
		def.text = func(d *draft) *string { return &d.domains }
		def.describe = func(d *draft) string {
			items := api.SplitList(d.domains)
			lines := []string{fmt.Sprintf(txtDomainsCount.In(lang), len(items))}
			sent := d.request().Normalized().DomainList
			for i, it := range items {
				if i < len(sent) && sent[i] != strings.ToLower(it) {
					lines = append(lines, fmt.Sprintf(txtPunycode.In(lang), it+" → "+sent[i]))
				}
			}
			return strings.Join(lines, "\n")
		}
	case "CertificateDomain":
		def.describe = func(d *draft) string {
			var lines []string
			n := d.request().Normalized().CertificateDomain
			if n != "" && n != strings.ToLower(strings.TrimSpace(d.req.CertificateDomain)) {
				lines = append(lines, fmt.Sprintf(txtPunycode.In(lang), n))
			}
			// Look-alike letters from another script: a warning, never a refusal.
			return strings.Join(append(lines, d.warnings(lang, "CertificateDomain", "DomainList")...), "\n")
		}
	case "VerifyType":
		def.noDefault = true
	case "AdminEmail", "ContactEmail":
		def.describe = func(d *draft) string { return strings.Join(d.warnings(lang, f.Name), "\n") }
	case "CsrContent":
		def.describe = func(d *draft) string { return csrSummary(d.req.CsrContent, lang) }
	}
	return def
}

// warnings are the draft's warnings about the given parameters, as lines
// under their field: a second look, never a refusal.
func (d *draft) warnings(lang string, params ...string) []string {
	var lines []string
	for _, w := range api.Warnings(d.request()) {
		if slices.Contains(params, w.Param) {
			lines = append(lines, "⚠ "+safe.Text(w.Text.In(lang)))
		}
	}
	return lines
}

// missing reports whether a required parameter is empty in the draft as
// it stands; false for the wizard's own fields.
func (d *draft) missing(name string) bool {
	for _, p := range api.Validate(d.request(), api.Complete).For(name) {
		if p.Missing {
			return true
		}
	}
	return false
}

// problem is the first non-missing problem validation finds for one
// parameter holding v, in the draft as it stands: the message shown next
// to the field.
func (d *draft) problem(name, v, lang string) error {
	r := d.request()
	if name == "DomainList" {
		r.DomainList = api.SplitList(v)
	} else {
		_ = r.Set(name, v)
	}
	for _, p := range api.Validate(r, api.Partial).For(name) {
		if !p.Missing {
			return problemError(&p, lang)
		}
	}
	return nil
}

// generateFields ask how to make the key here; generation itself waits for
// the domains and organization (see Wizard.generateIfNeeded).
func generateFields(lang string) []fieldDef {
	var kinds []api.Choice
	for _, kt := range csr.KeyTypes {
		kinds = append(kinds, api.Choice{Value: string(kt), Label: keyTypeLabels[kt]})
	}
	return []fieldDef{
		{key: "keyType", label: txtKeyType, hint: txtKeyTypeHint, kind: kindChoice, choices: kinds,
			text: func(d *draft) *string { return &d.keyType }},
		{key: "keyPath", label: txtKeyPath, hint: txtKeyPathHint,
			text: func(d *draft) *string { return &d.keyPath },
			check: func(d *draft, v string) error {
				v = strings.TrimSpace(v)
				if v == "" || (d.generated != nil && d.generated.keyPath == expandHome(v)) {
					return nil
				}
				if _, err := os.Lstat(expandHome(v)); err == nil {
					return fmt.Errorf(txtKeyExists.In(lang), v)
				}
				if dir := filepath.Dir(expandHome(v)); dir != "." {
					if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
						return fmt.Errorf(txtNoFolder.In(lang), dir)
					}
				}
				return nil
			}},
		{key: "keyPass", label: txtKeyPass, hint: txtKeyPassHint, kind: kindSecret,
			text: func(d *draft) *string { return &d.keyPass }},
	}
}

// againField asks a passphrase a second time, as openssl does: a typo in
// the only copy would make the key unusable. A mismatch is said under it.
func againField(lang string, label t, first, again func(d *draft) *string) fieldDef {
	return fieldDef{key: "again", kind: kindSecret,
		label: t{EN: label.EN + ", again", ZH: "再次输入" + label.ZH}, hint: txtPassAgainHint,
		text: again,
		check: func(d *draft, v string) error {
			if v != *first(d) {
				return errors.New(txtPassMismatch.In(lang))
			}
			return nil
		}}
}

var keyTypeLabels = map[csr.KeyType]t{
	csr.ECDSAP256: {EN: "ECDSA P-256 — recommended: small and fast", ZH: "ECDSA P-256——推荐：小巧快速"},
	csr.ECDSAP384: {EN: "ECDSA P-384", ZH: "ECDSA P-384"},
	csr.RSA2048:   {EN: "RSA 2048 — for old clients", ZH: "RSA 2048——兼容旧客户端"},
	csr.RSA3072:   {EN: "RSA 3072", ZH: "RSA 3072"},
	csr.RSA4096:   {EN: "RSA 4096", ZH: "RSA 4096"},
}

// csrFileField reads a CSR from a path into CsrContent.
func csrFileField(lang string) fieldDef {
	return fieldDef{key: "csrPath", label: txtCSRFile, hint: txtCSRFileHint,
		text:     func(d *draft) *string { return &d.csrPath },
		describe: func(d *draft) string { return d.csrPreview(lang) },
		check: func(d *draft, v string) error {
			v = strings.TrimSpace(v)
			if v == "" {
				return nil
			}
			text, err := readCSRFile(v)
			if err != nil {
				return err
			}
			if _, p := api.InspectCSR(text); p != nil {
				return problemError(p, lang)
			}
			return nil
		},
	}
}

// problemError is a validation problem as a field's message: what, then
// what to do.
func problemError(p *api.Problem, lang string) error {
	sep := ". "
	if api.IsChinese(lang) {
		sep = "。"
	}
	return errors.New(p.What.In(lang) + sep + p.Fix.In(lang))
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return home + "/" + rest
		}
	}
	return p
}

// csrSummary is the line shown under a CSR: what it holds, or what is wrong.
func csrSummary(text, lang string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	info, p := api.InspectCSR(text)
	if p != nil {
		return "✗ " + p.What.In(lang)
	}
	// A CSR's subject is the file's, not ours: shown escaped if it must be.
	s := "✓ CN " + safe.Text(info.CommonName)
	if len(info.DNSNames) > 0 {
		s += " · SAN " + safe.Text(strings.Join(info.DNSNames, ", "))
	}
	return s + " · " + info.Key()
}
