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
func applySets(ctx context.Context, req *api.Request, sets []string, stdin io.Reader) ([]string, error) {
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
		if err := req.Set(name, value); err != nil {
			return nil, fmt.Errorf("--set %s: %w", name, err)
		}
	}
	return warnings, nil
}
