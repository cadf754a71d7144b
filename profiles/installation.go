package profiles

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/csr"
	"github.com/certwiz/certwiz/api/tlsverify"
	"go.yaml.in/yaml/v3"
)

// Installation is a certificate certwiz installed and renews: the file
// <config>/installs/NAME.yaml, a YAML mapping of these keys (version,
// name, domains, certificate, kind and dir always written; the others
// when set):
//
//	version: 1                        # the format; this certwiz reads 1
//	name: www                         # the file's name wins
//	domains: [www.example.com, example.com]
//	certificate: abcb1234             # the certificate now current
//	previous: [aaaa0001]              # the ones before it, newest first
//	kind: free                        # free | paid
//	dir: /etc/certwiz/www             # DIR: versions and DIR/current
//	deployHook: systemctl reload nginx
//	verify: [www.example.com:443]     # HOST:PORT that must present it
//	verifyWait: 2m0s                  # 0 or absent: the default
//	hookTimeout: 5m0s                 # 0 or absent: the default
//	validation: DNS_AUTO              # DNS_AUTO | DNS | FILE
//	authHook: ...                     # DNS/FILE: makes the record
//	cleanupHook: ...                  # DNS/FILE: removes it
//	profile: acme                     # paid: organization and people
//	keyType: ecdsa-p256               # a key generated here (paid)
//	reuseKey: false
//	rollout: false                    # also replace it on Tencent Cloud resources
//	rolloutOnFailure: stop            # stop | retry | rollback (absent: stop)
//	renewing: {certificate: bbbb2222, step: submitted, time: 2026-12-01T10:00:00Z}
//	lastRenewal: {time: 2026-12-01T10:05:00Z, outcome: renewed, message: ...}
//
// Its hooks are commands the user chose, run by certwiz: the file is
// read only when it is the user's own and no one else can write to it.
type Installation struct {
	Name        string
	Domains     []string
	Certificate string   // the current certificate's ID
	Previous    []string // the IDs before it, newest first
	Kind        Kind
	Dir         string // absolute
	DeployHook  string
	Verify      []string      // HOST:PORT (tlsverify.ParseTarget)
	VerifyWait  time.Duration // 0: the default (deploy.DefaultVerifyWait, 30s)
	HookTimeout time.Duration // 0: the default (hook.DefaultTimeout)
	Validation  api.Method    // "" when not chosen
	AuthHook    string
	CleanupHook string
	Profile     string      // a profile's name; "" for none
	KeyType     csr.KeyType // "" for the default
	ReuseKey    bool
	Rollout     bool
	// RolloutOnFailure: what a rollout does when resources fail (stop,
	// retry, rollback); "" = stop.
	RolloutOnFailure string
	Local            bool         // from an endpoint on this machine (the sandbox): renewed only against one
	Renewing         *Renewing    // nil: no renewal in flight
	LastRenewal      *LastRenewal // nil: never renewed
}

// Kind is whether a certificate is free (renewed by ApplyCertificate) or
// paid (renewed through an order the user bought).
type Kind string

// The kinds of certificate.
const (
	KindFree Kind = "free"
	KindPaid Kind = "paid"
)

// Renewing is a renewal in flight: written before each request that
// changes state, so a second run never applies or submits twice.
type Renewing struct {
	Certificate string    // the new certificate's ID; "" before one is known
	Step        Step      // the last step done; "" none yet
	Time        time.Time // when it was done
}

// Step is a step of a renewal.
type Step string

// The steps of a renewal, in order.
const (
	StepApplied   Step = "applied"
	StepSubmitted Step = "submitted"
	StepCommitted Step = "committed"
	StepIssued    Step = "issued"
	StepRolledOut Step = "rolled-out" // on the Tencent Cloud resources of the old one (rollout: true)
	StepInstalled Step = "installed"
)

// Steps lists the steps in order.
var Steps = []Step{StepApplied, StepSubmitted, StepCommitted, StepIssued, StepRolledOut, StepInstalled}

// RolloutRules are the values of rolloutOnFailure.
var RolloutRules = []string{"stop", "retry", "rollback"}

// LastRenewal is how the last renewal ended.
type LastRenewal struct {
	Time    time.Time
	Outcome RenewalOutcome
	Message string // one line, may be empty
}

// RenewalOutcome is how a renewal ended, as renew's exit codes say it.
type RenewalOutcome string

// The outcomes of a renewal.
const (
	RenewalDone      RenewalOutcome = "renewed"    // exit 0
	RenewalFailed    RenewalOutcome = "failed"     // exit 3
	RenewalWaiting   RenewalOutcome = "waiting"    // exit 6: validation still waiting
	RenewalNeedsUser RenewalOutcome = "needs-user" // exit 7
)

var renewalOutcomes = []RenewalOutcome{RenewalDone, RenewalFailed, RenewalWaiting, RenewalNeedsUser}

// SetCertificate makes id the current certificate, the one it replaces
// first of Previous.
func (in *Installation) SetCertificate(id string) {
	if in.Certificate != "" && in.Certificate != id {
		in.Previous = append([]string{in.Certificate}, slices.DeleteFunc(in.Previous, func(p string) bool { return p == in.Certificate })...)
	}
	in.Certificate = id
}

// installVersion is the installation format this certwiz writes and reads.
const installVersion = 1

// maxHook bounds a hook's command, maxMessage lastRenewal's message.
const (
	maxHook    = 64 << 10
	maxMessage = 1 << 10
)

// Check reports the first value an installation file may not hold,
// naming its key.
func (in Installation) Check() error {
	for _, f := range installFields {
		if f.check == nil {
			continue
		}
		if err := f.check(in); err != nil {
			return fmt.Errorf("%s: %w", f.key, err)
		}
	}
	return nil
}

// installField is one key of the file: read, checked and written here only.
type installField struct {
	key      string
	required bool
	decode   func(v *yaml.Node, in *Installation) error
	check    func(in Installation) error
	encode   func(in Installation) *yaml.Node // nil: not written
}

var installFields = []installField{
	{key: "name", decode: func(v *yaml.Node, in *Installation) error { return decodeString(v, &in.Name) },
		check:  func(in Installation) error { return validInstallName(in.Name) },
		encode: func(in Installation) *yaml.Node { return str(in.Name) }},
	{key: "domains", required: true, decode: func(v *yaml.Node, in *Installation) error { return decodeStrings(v, &in.Domains) },
		check:  func(in Installation) error { return checkDomains(in.Domains) },
		encode: func(in Installation) *yaml.Node { return strs(in.Domains) }},
	{key: "certificate", required: true, decode: func(v *yaml.Node, in *Installation) error { return decodeString(v, &in.Certificate) },
		check:  func(in Installation) error { return checkID(in.Certificate) },
		encode: func(in Installation) *yaml.Node { return str(in.Certificate) }},
	{key: "previous", decode: func(v *yaml.Node, in *Installation) error { return decodeStrings(v, &in.Previous) },
		check:  func(in Installation) error { return eachOf(in.Previous, checkID) },
		encode: func(in Installation) *yaml.Node { return strsOrNil(in.Previous) }},
	{key: "kind", required: true, decode: func(v *yaml.Node, in *Installation) error { return decodeString(v, (*string)(&in.Kind)) },
		check:  func(in Installation) error { return oneOf(in.Kind, KindFree, KindPaid) },
		encode: func(in Installation) *yaml.Node { return str(string(in.Kind)) }},
	{key: "dir", required: true, decode: func(v *yaml.Node, in *Installation) error { return decodeString(v, &in.Dir) },
		check:  func(in Installation) error { return checkDir(in.Dir) },
		encode: func(in Installation) *yaml.Node { return str(in.Dir) }},
	hookField("deployHook", func(in *Installation) *string { return &in.DeployHook }),
	{key: "verify", decode: func(v *yaml.Node, in *Installation) error { return decodeStrings(v, &in.Verify) },
		check: func(in Installation) error {
			return eachOf(in.Verify, func(t string) error { _, err := tlsverify.ParseTarget(t); return err })
		},
		encode: func(in Installation) *yaml.Node { return strsOrNil(in.Verify) }},
	durationField("verifyWait", func(in *Installation) *time.Duration { return &in.VerifyWait }),
	durationField("hookTimeout", func(in *Installation) *time.Duration { return &in.HookTimeout }),
	{key: "validation", decode: decodeMethod,
		check: func(in Installation) error {
			if in.Validation == "" {
				return nil
			}
			return oneOf(in.Validation, api.Methods...)
		},
		encode: func(in Installation) *yaml.Node { return strOrNil(string(in.Validation)) }},
	hookField("authHook", func(in *Installation) *string { return &in.AuthHook }),
	hookField("cleanupHook", func(in *Installation) *string { return &in.CleanupHook }),
	{key: "profile", decode: func(v *yaml.Node, in *Installation) error { return decodeString(v, &in.Profile) },
		check: func(in Installation) error {
			if in.Profile == "" {
				return nil
			}
			return ValidName(in.Profile)
		},
		encode: func(in Installation) *yaml.Node { return strOrNil(in.Profile) }},
	{key: "keyType", decode: func(v *yaml.Node, in *Installation) error { return decodeString(v, (*string)(&in.KeyType)) },
		check: func(in Installation) error {
			if in.KeyType == "" {
				return nil
			}
			return oneOf(in.KeyType, csr.KeyTypes...)
		},
		encode: func(in Installation) *yaml.Node { return strOrNil(string(in.KeyType)) }},
	boolField("reuseKey", func(in *Installation) *bool { return &in.ReuseKey }),
	boolField("rollout", func(in *Installation) *bool { return &in.Rollout }),
	{key: "rolloutOnFailure", decode: func(v *yaml.Node, in *Installation) error { return decodeString(v, &in.RolloutOnFailure) },
		check: func(in Installation) error {
			if in.RolloutOnFailure == "" {
				return nil
			}
			return oneOf(in.RolloutOnFailure, RolloutRules...)
		},
		encode: func(in Installation) *yaml.Node { return strOrNil(in.RolloutOnFailure) }},
	boolField("local", func(in *Installation) *bool { return &in.Local }),
	{key: "renewing", decode: decodeRenewing, check: checkRenewing, encode: encodeRenewing},
	{key: "lastRenewal", decode: decodeLastRenewal, check: checkLastRenewal, encode: encodeLastRenewal},
}

func hookField(key string, field func(*Installation) *string) installField {
	return installField{key: key,
		decode: func(v *yaml.Node, in *Installation) error { return decodeString(v, field(in)) },
		check:  func(in Installation) error { return checkHook(*field(&in)) },
		encode: func(in Installation) *yaml.Node { return strOrNil(*field(&in)) }}
}

func durationField(key string, field func(*Installation) *time.Duration) installField {
	return installField{key: key,
		decode: func(v *yaml.Node, in *Installation) error { return decodeDuration(v, field(in)) },
		check:  func(in Installation) error { return checkDuration(*field(&in)) },
		encode: func(in Installation) *yaml.Node {
			if d := *field(&in); d != 0 {
				return str(d.String())
			}
			return nil
		}}
}

func boolField(key string, field func(*Installation) *bool) installField {
	return installField{key: key,
		decode: func(v *yaml.Node, in *Installation) error {
			if v.Tag != "!!bool" {
				return errors.New("must be true or false")
			}
			return v.Decode(field(in))
		},
		encode: func(in Installation) *yaml.Node {
			if *field(&in) {
				return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"}
			}
			return nil
		}}
}

// DecodeInstallation reads an installation file strictly: an unknown
// key, a value of the wrong type or one its key may not hold is a
// *FormatError naming the line and the key.
func DecodeInstallation(data []byte) (Installation, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Installation{}, fmt.Errorf("not valid YAML: %w", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return Installation{}, &FormatError{Line: 1, Msg: "an installation file is a mapping of version, name, domains, certificate, kind, dir and the rest"}
	}
	root := doc.Content[0]
	var in Installation
	seen := map[string]bool{}
	err := eachPair(root, "", "", func(k, v *yaml.Node) error {
		if seen[k.Value] {
			return &FormatError{Line: k.Line, Key: k.Value, Msg: "given twice"}
		}
		seen[k.Value] = true
		return decodeInstallKey(k, v, &in)
	})
	if err != nil {
		return Installation{}, err
	}
	for _, f := range installFields {
		if f.required && !seen[f.key] {
			return Installation{}, &FormatError{Line: root.Line, Key: f.key, Msg: "missing"}
		}
	}
	return in, nil
}

// decodeInstallKey reads and checks one key's value.
func decodeInstallKey(k, v *yaml.Node, in *Installation) error {
	if k.Value == "version" {
		var n int
		if err := v.Decode(&n); err != nil || n != installVersion {
			return &FormatError{Line: v.Line, Key: k.Value, Msg: fmt.Sprintf("this certwiz reads version %d", installVersion)}
		}
		return nil
	}
	i := slices.IndexFunc(installFields, func(f installField) bool { return f.key == k.Value })
	if i < 0 {
		return &FormatError{Line: k.Line, Key: k.Value, Msg: "unknown key (see certwiz's README for the installation file's keys)"}
	}
	f := installFields[i]
	err := f.decode(v, in)
	if err == nil && f.check != nil {
		err = f.check(*in)
	}
	var fe *FormatError
	switch {
	case errors.As(err, &fe):
		return fe
	case err != nil:
		return &FormatError{Line: v.Line, Key: k.Value, Msg: cleanYAMLError(err)}
	}
	return nil
}

// EncodeInstallation writes an installation in the format
// DecodeInstallation reads.
func EncodeInstallation(in Installation) []byte {
	root := &yaml.Node{Kind: yaml.MappingNode}
	root.Content = append(root.Content, str("version"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(installVersion)})
	for _, f := range installFields {
		if v := f.encode(in); v != nil {
			root.Content = append(root.Content, str(f.key), v)
		}
	}
	return encodeYAML(root)
}

func decodeStrings(v *yaml.Node, out *[]string) error {
	if v.Kind != yaml.SequenceNode {
		return errors.New("must be a list")
	}
	*out = nil
	for _, it := range v.Content {
		if it.Kind != yaml.ScalarNode || it.Tag == "!!null" {
			return &FormatError{Line: it.Line, Msg: "each item must be text"}
		}
		*out = append(*out, it.Value)
	}
	return nil
}

func decodeDuration(v *yaml.Node, d *time.Duration) error {
	var s string
	if err := decodeString(v, &s); err != nil {
		return err
	}
	var err error
	if *d, err = time.ParseDuration(s); err != nil {
		return fmt.Errorf("%q is not a duration such as 90s, 5m or 1h", s)
	}
	return nil
}

func decodeMethod(v *yaml.Node, in *Installation) error {
	var s string
	if err := decodeString(v, &s); err != nil {
		return err
	}
	m, ok := api.ParseMethod(s)
	if !ok && s != "" {
		return fmt.Errorf("%q is not one of %s, %s, %s", s, api.MethodDNSAuto, api.MethodDNS, api.MethodFile)
	}
	in.Validation = m
	return nil
}

func decodeTime(v *yaml.Node, t *time.Time) error {
	if v.Kind != yaml.ScalarNode {
		return errors.New("must be a time such as 2026-12-01T10:00:00Z")
	}
	var err error
	if *t, err = time.Parse(time.RFC3339, v.Value); err != nil {
		return fmt.Errorf("%q is not a time such as 2026-12-01T10:00:00Z", v.Value)
	}
	return nil
}

// decodeSub reads a mapping of keys to decoders, refusing others.
func decodeSub(v *yaml.Node, key string, fields map[string]func(*yaml.Node) error) error {
	keys := slices.Sorted(maps.Keys(fields))
	must := "must be a mapping of " + strings.Join(keys, ", ")
	if v.Tag == "!!null" || v.Kind != yaml.MappingNode {
		return &FormatError{Line: v.Line, Key: key, Msg: must}
	}
	return eachPair(v, key, must, func(k, sv *yaml.Node) error {
		dec, ok := fields[k.Value]
		if !ok {
			return &FormatError{Line: k.Line, Key: key + "." + k.Value, Msg: "unknown key (" + key + " has " + strings.Join(keys, ", ") + ")"}
		}
		if err := dec(sv); err != nil {
			return &FormatError{Line: sv.Line, Key: key + "." + k.Value, Msg: cleanYAMLError(err)}
		}
		return nil
	})
}

func decodeRenewing(v *yaml.Node, in *Installation) error {
	r := &Renewing{}
	in.Renewing = r
	return decodeSub(v, "renewing", map[string]func(*yaml.Node) error{
		"certificate": func(n *yaml.Node) error { return decodeString(n, &r.Certificate) },
		"step":        func(n *yaml.Node) error { return decodeString(n, (*string)(&r.Step)) },
		"time":        func(n *yaml.Node) error { return decodeTime(n, &r.Time) },
	})
}

func checkRenewing(in Installation) error {
	r := in.Renewing
	switch {
	case r == nil:
		return nil
	case r.Certificate != "":
		if err := checkID(r.Certificate); err != nil {
			return fmt.Errorf("certificate: %w", err)
		}
	}
	if r.Step != "" {
		if err := oneOf(r.Step, Steps...); err != nil {
			return fmt.Errorf("step: %w", err)
		}
	}
	return nil
}

func encodeRenewing(in Installation) *yaml.Node {
	r := in.Renewing
	if r == nil {
		return nil
	}
	return mapping("certificate", strOrNil(r.Certificate), "step", strOrNil(string(r.Step)), "time", timeNode(r.Time))
}

func decodeLastRenewal(v *yaml.Node, in *Installation) error {
	l := &LastRenewal{}
	in.LastRenewal = l
	return decodeSub(v, "lastRenewal", map[string]func(*yaml.Node) error{
		"time":    func(n *yaml.Node) error { return decodeTime(n, &l.Time) },
		"outcome": func(n *yaml.Node) error { return decodeString(n, (*string)(&l.Outcome)) },
		"message": func(n *yaml.Node) error { return decodeString(n, &l.Message) },
	})
}

func checkLastRenewal(in Installation) error {
	l := in.LastRenewal
	if l == nil {
		return nil
	}
	if err := oneOf(l.Outcome, renewalOutcomes...); err != nil {
		return fmt.Errorf("outcome: %w", err)
	}
	if len(l.Message) > maxMessage || strings.ContainsAny(l.Message, "\x00\r\n") {
		return fmt.Errorf("message: one line of at most %d bytes", maxMessage)
	}
	return nil
}

func encodeLastRenewal(in Installation) *yaml.Node {
	l := in.LastRenewal
	if l == nil {
		return nil
	}
	return mapping("time", timeNode(l.Time), "outcome", str(string(l.Outcome)), "message", strOrNil(l.Message))
}

// mapping is a YAML mapping of the keys whose value is not nil.
func mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		if v := kv[i+1].(*yaml.Node); v != nil {
			m.Content = append(m.Content, str(kv[i].(string)), v)
		}
	}
	return m
}

func timeNode(t time.Time) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: t.UTC().Format(time.RFC3339)}
}

func strOrNil(s string) *yaml.Node {
	if s == "" {
		return nil
	}
	return str(s)
}

func strs(items []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	for _, it := range items {
		n.Content = append(n.Content, str(it))
	}
	return n
}

func strsOrNil(items []string) *yaml.Node {
	if len(items) == 0 {
		return nil
	}
	return strs(items)
}

// validInstallName checks an installation's name: the profile name rule.
func validInstallName(name string) error {
	if !nameRE.MatchString(name) {
		return &NameError{Name: name, Of: ofInstallation}
	}
	return nil
}

// ofInstallation names what an error is about: an installation.
const ofInstallation = "installation"

func checkDomains(domains []string) error {
	if len(domains) == 0 {
		return errors.New("at least one domain")
	}
	for i, d := range domains {
		r := api.Request{CertificateDomain: d}
		if ps := api.Validate(r, api.Partial).For("CertificateDomain"); len(ps) > 0 {
			return errors.New(ps[0].What.In(api.English))
		}
		if n := r.Normalized().CertificateDomain; n != d {
			return fmt.Errorf("%q is written %q (lower case, IDNs in punycode)", d, n)
		}
		if slices.Contains(domains[:i], d) {
			return fmt.Errorf("%q is named twice", d)
		}
	}
	return nil
}

func checkID(id string) error {
	if id == "" {
		return errors.New("missing: a certificate ID such as abcb1234")
	}
	if ps := api.Validate(api.Request{CertificateId: id}, api.Partial).For("CertificateId"); len(ps) > 0 {
		return errors.New(ps[0].What.In(api.English))
	}
	if strings.TrimSpace(id) != id {
		return fmt.Errorf("%q has spaces around it", id)
	}
	return nil
}

func checkDir(dir string) error {
	switch {
	case dir == "":
		return errors.New("missing: the folder the certificate is installed in")
	case strings.ContainsAny(dir, "\x00\r\n"):
		return errors.New("must be a path on one line")
	case !filepath.IsAbs(dir):
		return fmt.Errorf("%q must be an absolute path", dir)
	}
	return nil
}

func checkHook(cmd string) error {
	if len(cmd) > maxHook || strings.ContainsRune(cmd, 0) {
		return fmt.Errorf("a command of at most %d bytes, without NUL", maxHook)
	}
	return nil
}

// maxWait bounds verifyWait and hookTimeout.
const maxWait = 24 * time.Hour

func checkDuration(d time.Duration) error {
	if d < 0 || d > maxWait {
		return fmt.Errorf("%s is not between 0 and %s", d, maxWait)
	}
	return nil
}

func eachOf(items []string, check func(string) error) error {
	for _, it := range items {
		if err := check(it); err != nil {
			return err
		}
	}
	return nil
}

func oneOf[T ~string](v T, allowed ...T) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return fmt.Errorf("%q is not one of %s", v, strings.Join(names, ", "))
}
