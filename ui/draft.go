package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/csr"
	"github.com/certwiz/certwiz/api/infile"
	"github.com/certwiz/certwiz/profiles"
)

// draft is the submission being edited: the request plus the editor state
// that is not an API parameter. Forms bind to its fields directly.
type draft struct {
	req       api.Request
	domains   string                     // DomainList, one name per line
	csrMode   string                     // online, parse, or generate (parse with a key made here)
	csrPath   string                     // where the CSR is read from, if a file
	csrLoaded string                     // the path last read into CsrContent
	preview   struct{ key, text string } // csrPreview's last file and summary
	keyType   string                     // generate: the key type
	keyPath   string                     // generate: where the key goes
	keyPass   string                     // generate: optional passphrase; memory only
	encrypt   bool                       // generate: a passphrase was chosen (it is asked again after a resume)
	// The passphrases typed a second time, to catch a typo; memory only.
	keyPassAgain, keyPasswordAgain string
	generated                      *generatedCSR
	picked                         pickedFrom // what the last certificate picked from the account filled in
	sameContact                    bool       // contact = administrator
	// contactAssumed: "same person" is the default, not an answer: the
	// Contact step has not been shown since the draft had no contact.
	contactAssumed bool
	name           string // profile name, "" until first saved
	named          bool   // the user has chosen the name
}

// generatedCSR is what "generate here" wrote, and for which names.
type generatedCSR struct {
	keyPath, csrPath, key string
	keySHA256             string // names its public key (csr.KeySHA256)
	domain                string
	names                 []string
}

// CSR modes of the wizard: the API's two, plus generating the key here.
const (
	modeOnline   = "online"
	modeParse    = "parse"
	modeGenerate = "generate"
)

var contactOfAdmin = [][2]string{
	{"ContactFirstName", "AdminFirstName"}, {"ContactLastName", "AdminLastName"},
	{"ContactEmail", "AdminEmail"}, {"ContactNumber", "AdminPhoneNum"}, {"ContactPosition", "AdminPosition"},
}

func newDraft(req api.Request, name string) *draft {
	d := &draft{req: req, domains: strings.Join(req.DomainList, "\n"), name: name, named: name != "",
		csrMode: req.CsrType, keyType: string(csr.ECDSAP256)}
	// Same person unless the contact differs from the administrator; with
	// no contact yet, "same" is the common case and the default.
	d.sameContact = true
	empty := true
	for _, p := range contactOfAdmin {
		empty = empty && req.Get(p[0]) == ""
	}
	for _, p := range contactOfAdmin {
		if !empty && req.Get(p[0]) != req.Get(p[1]) {
			d.sameContact = false
		}
	}
	d.contactAssumed = empty
	return d
}

// request is what the draft would submit (and what a profile saves): the
// CSR mode decides CsrType, and only its own CSR or key password are kept.
func (d *draft) request() api.Request {
	r := d.req
	r.DomainList = api.SplitList(d.domains)
	switch d.csrMode {
	case modeGenerate:
		r.CsrType = modeParse
	default:
		r.CsrType = d.csrMode
	}
	if r.CsrType != modeParse {
		r.CsrContent = ""
	}
	if r.CsrType != modeOnline {
		r.KeyPassword = ""
	}
	if d.sameContact {
		for _, p := range contactOfAdmin {
			_ = r.Set(p[0], r.Get(p[1]))
		}
	}
	return r
}

// pickedFrom is what picking a certificate from the account put in the
// draft, so that another pick (or typing an ID instead) replaces it
// rather than mixing two orders; values the user changed since are kept.
type pickedFrom struct{ id, domain, domains string }

// forgetPick takes out what the last pick filled in and nobody changed.
func (d *draft) forgetPick() {
	p := d.picked
	if p.id != "" && d.req.CertificateId == p.id {
		d.req.CertificateId = ""
	}
	if p.domain != "" && d.req.CertificateDomain == p.domain {
		d.req.CertificateDomain = ""
	}
	if p.domains != "" && d.domains == p.domains {
		d.domains = ""
	}
	d.picked = pickedFrom{}
}

// profile is the draft as saved: everything but the secret.
func (d *draft) profile() profiles.Profile {
	r := d.request()
	r.KeyPassword = ""
	return profiles.Profile{Name: d.name, Params: r, KeyFile: d.keyFile(), CSR: d.csrChoice()}
}

// draftOf reopens a saved profile as it was left, CSR choices included.
func draftOf(p profiles.Profile) *draft {
	d := newDraft(p.Params, p.Name)
	c := p.CSR
	if c.Mode == modeGenerate {
		d.csrMode, d.keyPath, d.encrypt = modeGenerate, c.KeyPath, c.Encrypt
		if c.KeyType != "" {
			d.keyType = c.KeyType
		}
	}
	if c.File != "" && d.csrMode == modeParse {
		d.csrPath = c.File
		if d.req.CsrContent != "" {
			d.csrLoaded = c.File // the CSR saved is that file's
		}
	}
	return d
}

// csrChoice is what a profile keeps of the CSR step beyond the API's
// parameters: "generate here" until the key is made (then the CSR is sent
// as parse and keyFile names the key), and a CSR file's path. Never the
// passphrase: only that there was one.
func (d *draft) csrChoice() profiles.CSRChoice {
	switch {
	case d.csrMode == modeGenerate && d.generated == nil:
		return profiles.CSRChoice{Mode: modeGenerate, KeyType: d.keyType, KeyPath: absPath(d.keyPath), Encrypt: d.keyPass != "" || d.encrypt}
	case d.csrMode == modeParse:
		return profiles.CSRChoice{File: absPath(d.csrPath)}
	}
	return profiles.CSRChoice{}
}

// absPath is a path the user typed, absolute; "" stays "".
func absPath(p string) string {
	p = expandHome(strings.TrimSpace(p))
	if p == "" {
		return ""
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// takeCSRFile reads the CSR file named so far into CsrContent when it
// holds a valid CSR, replacing what the box held: as soon as the path is
// left, and on ctrl+c (its summary was already shown, so it is what the
// user means). Which CSR is sent is always the one on screen.
// It reports whether the CSR in the box was replaced by another.
func (d *draft) takeCSRFile() bool {
	p := strings.TrimSpace(d.csrPath)
	if d.csrMode != modeParse || p == "" || p == d.csrLoaded {
		return false
	}
	text, err := readCSRFile(p)
	if err != nil {
		return false
	}
	if _, bad := api.InspectCSR(text); bad != nil {
		return false
	}
	replaced := strings.TrimSpace(d.req.CsrContent) != "" && d.req.CsrContent != text
	d.req.CsrContent, d.csrLoaded = text, p
	return replaced
}

// keyFile is the key generated here for the CSR the draft sends; "" when
// the CSR is Tencent's or the user's own.
func (d *draft) keyFile() string {
	if d.generated == nil || d.csrMode != modeGenerate {
		return ""
	}
	return d.generated.keyPath
}

// empty reports whether nothing was typed yet: such a draft is not saved.
func (d *draft) empty() bool {
	r := d.request()
	r.KeyPassword = ""
	return len(r.Params()) == 0
}

var nameUnsafe = regexp.MustCompile(`[^a-z0-9._-]+`)

// defaultName derives a profile name from the domain (or the certificate ID).
func (d *draft) defaultName() string {
	base := strings.ToLower(d.req.CertificateDomain)
	if n := d.request().Normalized().CertificateDomain; n != "" {
		base = n // an IDN by its punycode, not with its letters dropped
	}
	base = strings.Replace(base, "*.", "wildcard.", 1)
	if base == "" && d.req.CertificateId != "" {
		base = "cert-" + strings.ToLower(d.req.CertificateId)
	}
	base = strings.Trim(nameUnsafe.ReplaceAllString(base, "-"), ".-_")
	if len(base) > 64 {
		base = base[:64]
	}
	if profiles.ValidName(base) != nil {
		return "draft"
	}
	return base
}

// prefillFromCSR copies what a parsed CSR says into empty fields.
func (d *draft) prefillFromCSR() {
	if d.csrMode != modeParse {
		return
	}
	info, p := api.InspectCSR(d.req.CsrContent)
	if p != nil {
		return
	}
	for name, v := range info.Suggest() {
		switch {
		case name == "DomainList":
			if strings.TrimSpace(d.domains) == "" {
				d.domains = strings.Join(api.SplitList(v), "\n")
			}
		case !d.req.Has(name):
			_ = d.req.Set(name, v)
		}
	}
}

// readCSRFile reads a CSR file the user named (a regular file of a CSR's
// size, never a FIFO that would block, a device or a folder).
func readCSRFile(path string) (string, error) {
	data, err := infile.ReadLimited(context.Background(), expandHome(path), nil, infile.LimitCSR) // a regular file only: never blocks
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(data)), nil
}

// csrPreview is what the CSR file named so far holds, read again only when
// the path, the file's size or its time changes: descriptions are asked for
// after every keystroke.
func (d *draft) csrPreview(lang string) string {
	path := expandHome(strings.TrimSpace(d.csrPath))
	if path == "" {
		return ""
	}
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	key := fmt.Sprint(path, fi.Size(), fi.ModTime().UnixNano(), lang)
	if key != d.preview.key {
		d.preview.key, d.preview.text = key, ""
		if text, err := readCSRFile(path); err == nil {
			d.preview.text = csrSummary(text, lang)
		}
	}
	return d.preview.text
}

// loadCSRFile reads the CSR file the user named into CsrContent, once per
// path (its field checked it when left), so that a CSR edited after being
// loaded is kept.
func (d *draft) loadCSRFile() error {
	p := strings.TrimSpace(d.csrPath)
	if d.csrMode != modeParse || p == "" || p == d.csrLoaded {
		return nil
	}
	text, err := readCSRFile(p)
	if err != nil {
		return fmt.Errorf("CSR file %s: %w", p, err)
	}
	d.req.CsrContent, d.csrLoaded = text, p
	return nil
}
