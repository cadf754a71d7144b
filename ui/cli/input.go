package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/csr"
	"github.com/certwiz/certwiz/profiles"
)

// readInput loads --input: a JSON object of API parameters (the file
// tccli's --cli-input-json takes) or a certwiz YAML profile.
func readInput(ctx context.Context, path string, stdin io.Reader) (api.Request, []string, error) {
	data, err := readLimited(ctx, path, stdin, limitRequest)
	if err != nil {
		return api.Request{}, nil, fmt.Errorf("read input %q: %w", path, err)
	}
	if profiles.LooksLikeJSON(data) {
		req, err := api.DecodeJSON(data)
		if err != nil {
			return api.Request{}, nil, fmt.Errorf("input %s: %w", path, err)
		}
		return req, nil, nil
	}
	p, err := profiles.Decode(data)
	if err != nil {
		return api.Request{}, nil, fmt.Errorf("input %s: %w", path, err)
	}
	return p.Params, p.Warnings, nil
}

// applySets applies --set Param=value in order; "@path" reads a file
// ("@-" standard input), DomainList takes comma-separated names.
func applySets(ctx context.Context, req *api.Request, sets []string, stdin io.Reader, lang string) ([]string, error) {
	var warnings []string
	for _, s := range sets {
		name, value, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("--set %q: want Param=value, e.g. --set OrganizationCountry=CN", s)
		}
		f, known := api.Lookup(name)
		if !known {
			return nil, fmt.Errorf("--set %s: %w", name, &api.UnknownParamError{Name: name, Suggest: api.Suggest(name)})
		}
		if path, isFile := strings.CutPrefix(value, "@"); isFile {
			limit := int64(limitRequest)
			if name == "CsrContent" {
				limit = limitCSR
			}
			data, err := readLimited(ctx, path, stdin, limit)
			if err != nil {
				return nil, fmt.Errorf("--set %s=@%s: %w", name, path, err)
			}
			value = strings.TrimRight(string(data), "\r\n")
			if name == "CsrContent" {
				// A CSR file may be DER or PEM inside other text: send its PEM.
				info, err := csr.Read(data)
				if err != nil {
					return nil, fmt.Errorf("--set CsrContent=@%s: %s", path, csrMessage(err, api.English))
				}
				value = info.PEM
			}
		} else if f.Kind == api.KindSecret && value != "" {
			warnings = append(warnings, "--set "+name+"=… on the command line is visible to other users of this machine; prefer "+name+"=@file")
		}
		if name == "OrganizationCountry" {
			v, note, err := countryValue(value, lang)
			if err != nil {
				return nil, err
			}
			if note != "" {
				warnings = append(warnings, note)
			}
			value = v
		}
		if err := req.Set(name, value); err != nil {
			return nil, fmt.Errorf("--set %s: %w", name, err)
		}
	}
	return warnings, nil
}

// countryValue reads --set OrganizationCountry as the wizard does: a code
// stays; a name (Germany, 德国) or a part of one that matches one country
// becomes its code, said in a note; a part that matches several is an
// error listing them. Anything else is left for validation to explain.
func countryValue(v, lang string) (string, string, error) {
	t := strings.TrimSpace(v)
	if _, ok := api.CountryByCode(strings.ToUpper(t)); ok && len(t) == 2 {
		return v, "", nil
	}
	ms := api.MatchCountries(t)
	switch {
	case len(ms) == 1:
		return ms[0].Code, fmt.Sprintf(say(lang, "--set OrganizationCountry=%s: taken as %s", "--set OrganizationCountry=%s：按 %s 处理"), t, ms[0].Label()), nil
	case len(ms) > 1:
		var names []string
		for _, c := range ms {
			names = append(names, c.Label())
		}
		return "", "", fmt.Errorf(say(lang, "--set OrganizationCountry=%s matches %d countries: %s; give the two-letter code", "--set OrganizationCountry=%s 匹配 %d 个国家：%s；请给出两位国家代码"), t, len(ms), strings.Join(names, "; "))
	}
	return v, "", nil
}
