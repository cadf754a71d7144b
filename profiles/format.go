// Package profiles owns certwiz's files: saved (partial) profiles and their
// YAML format, and the installation files renew works from. It knows the
// API's field catalogue but nothing of screens.
//
// A profile file is a YAML mapping with exactly these keys, each optional
// but version:
//
//	version: 1                       # the format; this certwiz reads 1
//	name: acme                       # the profile's name (the file's name wins)
//	updated: 2026-11-20T10:00:00Z    # when certwiz last saved it
//	keyFile: /home/me/acme.key       # where a key generated on this machine was written
//	csr:                             # the wizard's CSR choices made on this machine
//	  mode: generate                 # "generate": the key is made here (CsrType says the rest)
//	  keyType: ecdsa-p256            # the key to generate
//	  keyPath: /home/me/acme.key     # where to write it
//	  encrypt: true                  # whether to ask a passphrase (never the passphrase)
//	  file: /home/me/acme.csr        # the CSR file the user named
//	params:                          # any subset of SubmitCertificateInformation's parameters
//	  CertificateDomain: www.example.com
//
// keyFile is a path, never key material: an absolute path on one line;
// anything else (a relative path, several lines, a PEM block) is refused
// when read; so are csr's keyPath and file. KeyPassword is never read from
// nor written to a profile, nor is a key's passphrase.
package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"go.yaml.in/yaml/v3"
)

// FormatVersion is the profile format this certwiz writes and reads.
const FormatVersion = 1

// Profile is a saved set of parameters, any subset of the API's.
type Profile struct {
	Version int
	Name    string
	Updated time.Time
	Params  api.Request
	// KeyFile is the absolute path of a private key generated on this
	// machine for this profile's certificate (csr generate, the wizard's
	// "generate here"): a path, never the key.
	KeyFile string
	// CSR is what the wizard was told about the CSR beyond the API's
	// parameters, so that an interrupted draft reopens as it was left.
	CSR CSRChoice
	// Warnings are things dropped while reading (e.g. a KeyPassword).
	Warnings []string
}

// CSRChoice is the wizard's own state about a CSR: paths and choices,
// never a secret.
type CSRChoice struct {
	Mode    string // "generate", or "" when CsrType alone says it
	KeyType string // the key to generate (csr.KeyType's names)
	KeyPath string // absolute path where the key goes
	Encrypt bool   // a passphrase was given (asked again; never saved)
	File    string // absolute path of the CSR file read into CsrContent
}

// Check accepts a CSR choice as a profile keeps it.
func (c CSRChoice) Check() error {
	if c.Mode != "" && c.Mode != "generate" {
		return fmt.Errorf("mode %q: only generate", c.Mode)
	}
	if strings.ContainsAny(c.KeyType, "\r\n") || len(c.KeyType) > 32 {
		return errors.New("keyType: must be a key type such as ecdsa-p256")
	}
	if err := CheckKeyFile(c.KeyPath); err != nil {
		return fmt.Errorf("keyPath: %w", err)
	}
	if err := CheckKeyFile(c.File); err != nil {
		return fmt.Errorf("file: %w", err)
	}
	return nil
}

// FormatError points at the line and key of a problem in a profile file.
type FormatError struct {
	Line int
	Key  string
	Msg  string
}

func (e *FormatError) Error() string {
	if e.Key != "" {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Key, e.Msg)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// Decode reads a profile strictly: unknown keys, unknown parameters and
// values of the wrong type are errors naming the line and key. A
// KeyPassword is dropped with a warning: secrets never live in profiles.
func Decode(data []byte) (Profile, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Profile{}, fmt.Errorf("not valid YAML: %w", err)
	}
	if len(doc.Content) == 0 {
		return Profile{}, &FormatError{Line: 1, Msg: "the file is empty"}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return Profile{}, &FormatError{Line: root.Line, Msg: "a profile is a mapping with version, name, updated and params"}
	}
	var p Profile
	if flat(root) {
		// The parameters alone, as people write them by hand: no
		// version, name or params: key, only API parameter names.
		p.Version = FormatVersion
		return p, decodeParams(root, &p)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var err error
		switch k.Value {
		case "version":
			err = v.Decode(&p.Version)
			if err == nil && p.Version != FormatVersion {
				err = fmt.Errorf("version %d is not supported (this certwiz reads version %d)", p.Version, FormatVersion)
			}
		case "name":
			err = decodeString(v, &p.Name)
		case "updated":
			if v.Tag != "!!null" {
				err = v.Decode(&p.Updated)
			}
		case "keyFile":
			if err = decodeString(v, &p.KeyFile); err == nil {
				err = CheckKeyFile(p.KeyFile)
			}
		case "csr":
			err = decodeCSRChoice(v, &p.CSR)
		case "params":
			err = decodeParams(v, &p)
		default:
			msg := "unknown key (a profile has version, name, updated, keyFile, csr and params)"
			if _, ok := api.Lookup(k.Value); ok || api.Suggest(k.Value) != "" {
				msg = "parameters belong under params:"
			}
			return Profile{}, &FormatError{Line: k.Line, Key: k.Value, Msg: msg}
		}
		if err != nil {
			var fe *FormatError
			if errors.As(err, &fe) {
				return Profile{}, fe
			}
			return Profile{}, &FormatError{Line: v.Line, Key: k.Value, Msg: cleanYAMLError(err)}
		}
	}
	return p, nil
}

// profileKeys are the keys of a profile's top level.
var profileKeys = []string{"version", "name", "updated", "keyFile", "csr", "params"}

// flat reports a mapping of API parameters with none of a profile's own
// keys: the flat form (a name that is no parameter is then reported as
// one, with its likely spelling).
func flat(root *yaml.Node) bool {
	known := false
	for i := 0; i < len(root.Content); i += 2 {
		if slices.Contains(profileKeys, root.Content[i].Value) {
			return false
		}
		_, ok := api.Lookup(root.Content[i].Value)
		known = known || ok
	}
	return known
}

func decodeCSRChoice(n *yaml.Node, c *CSRChoice) error {
	if n.Tag == "!!null" {
		return nil // nothing to check either
	}
	err := eachPair(n, "csr", "must be a mapping of mode, keyType, keyPath, encrypt and file", func(k, v *yaml.Node) error {
		var err error
		switch k.Value {
		case "mode":
			err = decodeString(v, &c.Mode)
		case "keyType":
			err = decodeString(v, &c.KeyType)
		case "keyPath":
			err = decodeString(v, &c.KeyPath)
		case "file":
			err = decodeString(v, &c.File)
		case "encrypt":
			err = v.Decode(&c.Encrypt)
		default:
			return &FormatError{Line: k.Line, Key: "csr." + k.Value, Msg: "unknown key (csr has mode, keyType, keyPath, encrypt and file)"}
		}
		if err != nil {
			return &FormatError{Line: v.Line, Key: "csr." + k.Value, Msg: cleanYAMLError(err)}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := c.Check(); err != nil {
		return &FormatError{Line: n.Line, Key: "csr", Msg: err.Error()}
	}
	return nil
}

// eachPair calls fn on each key and value of a mapping (none for null);
// anything else is an error on key saying what it must be.
func eachPair(n *yaml.Node, key, must string, fn func(k, v *yaml.Node) error) error {
	if n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return &FormatError{Line: n.Line, Key: key, Msg: must}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if err := fn(n.Content[i], n.Content[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func decodeParams(n *yaml.Node, p *Profile) error {
	return eachPair(n, "params", "must be a mapping of API parameter names to values", func(k, v *yaml.Node) error {
		f, ok := api.Lookup(k.Value)
		if !ok {
			msg := "unknown parameter"
			if s := api.Suggest(k.Value); s != "" {
				msg += " (did you mean " + s + "?)"
			}
			return &FormatError{Line: k.Line, Key: k.Value, Msg: msg}
		}
		items, err := decodeValue(f, v)
		if err != nil {
			return &FormatError{Line: v.Line, Key: k.Value, Msg: err.Error()}
		}
		if f.Kind == api.KindSecret {
			if len(items) > 0 {
				p.Warnings = append(p.Warnings, fmt.Sprintf("line %d: %s ignored: secrets are never read from or saved in profiles", k.Line, k.Value))
			}
			return nil
		}
		_ = p.Params.SetList(f.Name, items)
		return nil
	})
}

// decodeValue accepts a scalar as its literal text (so an unquoted 0755
// stays "0755"), and for a list parameter a sequence of scalars.
func decodeValue(f api.Field, v *yaml.Node) ([]string, error) {
	switch {
	case v.Tag == "!!null":
		return nil, nil
	case v.Kind == yaml.ScalarNode && v.Tag == "!!bool" && f.Kind == api.KindBool:
		return []string{strings.ToLower(v.Value)}, nil
	case v.Kind == yaml.ScalarNode && v.Tag == "!!bool" && f.Kind == api.KindSecret:
		return nil, errors.New("must be text, not a boolean (quote it)") // a secret's value is never quoted back
	case v.Kind == yaml.ScalarNode && v.Tag == "!!bool":
		return nil, fmt.Errorf("must be text, not %s (quote it)", v.Value)
	case v.Kind == yaml.ScalarNode:
		if f.Kind == api.KindList {
			return api.SplitList(v.Value), nil
		}
		return []string{v.Value}, nil
	case v.Kind == yaml.SequenceNode && f.Kind == api.KindList:
		items := make([]string, 0, len(v.Content))
		for _, it := range v.Content {
			if it.Kind != yaml.ScalarNode || it.Tag == "!!null" {
				return nil, fmt.Errorf("line %d: each item must be a name", it.Line)
			}
			items = append(items, it.Value)
		}
		return items, nil
	}
	if f.Kind == api.KindList {
		return nil, errors.New("must be a list of names")
	}
	return nil, errors.New("must be text, not a list or mapping")
}

// CheckKeyFile accepts a key's path as a profile or the history keeps it:
// empty, or an absolute path on one line that cannot be mistaken for key
// material.
func CheckKeyFile(path string) error {
	switch {
	case path == "":
		return nil
	case strings.ContainsAny(path, "\r\n") || strings.Contains(path, "-----") || strings.Contains(path, "PRIVATE KEY"):
		return errors.New("must be the path of a key file, never the key itself")
	case !filepath.IsAbs(path):
		return errors.New("must be an absolute path")
	}
	return nil
}

func decodeString(n *yaml.Node, s *string) error {
	if n.Kind != yaml.ScalarNode {
		return errors.New("must be text")
	}
	*s = n.Value
	return nil
}

func cleanYAMLError(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// LooksLikeJSON reports whether data is a JSON document rather than YAML.
func LooksLikeJSON(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(data), []byte("{"))
}

// Encode writes a profile in the format Decode reads: parameters in
// catalogue order, DomainList as a list, a CSR as a literal block. Secrets
// are never written. comments, when given, are put beside parameters
// (show marks problems this way) and under the document.
func Encode(p Profile, comments map[string]string, footer string) []byte {
	params := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range api.Fields {
		if f.Kind == api.KindSecret || !p.Params.Has(f.Name) {
			continue
		}
		key := &yaml.Node{Kind: yaml.ScalarNode, Value: f.Name}
		var val *yaml.Node
		if f.Kind == api.KindList {
			val = &yaml.Node{Kind: yaml.SequenceNode}
			for _, it := range p.Params.List(f.Name) {
				val.Content = append(val.Content, str(it))
			}
		} else if f.Kind == api.KindBool {
			val = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: p.Params.Get(f.Name)}
		} else {
			val = str(p.Params.Get(f.Name))
		}
		key.LineComment = comments[f.Name]
		params.Content = append(params.Content, key, val)
	}
	root := &yaml.Node{Kind: yaml.MappingNode, FootComment: footer}
	root.Content = append(root.Content,
		str("version"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(FormatVersion)},
		str("name"), str(p.Name),
		str("updated"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: p.Updated.UTC().Format(time.RFC3339)})
	if p.KeyFile != "" {
		root.Content = append(root.Content, str("keyFile"), str(p.KeyFile))
	}
	if c := p.CSR; c != (CSRChoice{}) {
		m := &yaml.Node{Kind: yaml.MappingNode}
		for _, kv := range [][2]string{{"mode", c.Mode}, {"keyType", c.KeyType}, {"keyPath", c.KeyPath}, {"file", c.File}} {
			if kv[1] != "" {
				m.Content = append(m.Content, str(kv[0]), str(kv[1]))
			}
		}
		if c.Encrypt {
			m.Content = append(m.Content, str("encrypt"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
		}
		root.Content = append(root.Content, str("csr"), m)
	}
	root.Content = append(root.Content, str("params"), params)
	return encodeYAML(root)
}

// encodeYAML writes a document of root, indented by two.
func encodeYAML(root *yaml.Node) []byte {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	_ = enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}})
	_ = enc.Close()
	return buf.Bytes()
}

// str is a string scalar; yaml quotes it when it would read as another type
// (0755, true, 2026-01-01) and uses a literal block for several lines.
func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}
