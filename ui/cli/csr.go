package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/csr"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
)

// NewCSRCmd returns `certwiz csr inspect|generate`.
func NewCSRCmd(g *Globals) *cobra.Command {
	cmd := &cobra.Command{Use: "csr", Short: "Inspect a CSR, or generate a key and CSR on this machine", Args: cobra.NoArgs}
	var asJSON bool
	inspect := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Show what a CSR holds (PEM, PEM inside other text, or DER) and whether the CA accepts its key",
		Args:  cobra.ExactArgs(1),
		RunE:  func(c *cobra.Command, a []string) error { return runCSRInspect(c.Context(), g, a[0], asJSON) },
	}
	inspect.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	o := &csrGenerateOptions{Globals: g}
	generate := &cobra.Command{
		Use:   "generate --domain D --key-out PATH --csr-out PATH",
		Short: "Generate a private key and CSR here: the key never leaves this machine",
		Long: `Generate a private key and a CSR on this machine, so that the private key never
leaves it (with CsrType=online, Tencent Cloud generates and keeps the key).
The CSR's CN is the domain and its SANs the domain plus --domain-list; with
--profile, the subject's organization fields come from that profile and the
profile is switched to CsrType=parse with the new CSR. Files are created
0600 and never overwritten.

certwiz remembers where the key is (its path, never the key): in the
profile with --profile, and in the history for the certificate of
--certificate-id (or the profile's CertificateId). certwiz download then
checks that the issued certificate matches this key and says where it is.`,
		Example: `  certwiz csr generate --domain www.example.com --domain-list example.com --key-out www.key --csr-out www.csr
  certwiz csr generate --profile acme --key-type rsa-3072 --key-out acme.key --csr-out acme.csr --encrypt
  certwiz csr generate --certificate-id abcb1234 --domain www.example.com --key-out www.key --csr-out www.csr`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return profileError(runCSRGenerate(c.Context(), o)) },
	}
	f := generate.Flags()
	f.StringVar(&o.Domain, "domain", "", "the common name (CertificateDomain); default: the profile's")
	f.StringVar(&o.DomainList, "domain-list", "", "extra names, comma-separated; default: the profile's DomainList")
	f.StringVar(&o.KeyType, "key-type", string(csr.ECDSAP256), "ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072 or rsa-4096")
	f.StringVar(&o.Profile, "profile", "", "take the subject from profile `NAME` and store the CSR in it")
	f.StringVar(&o.CertificateID, "certificate-id", "", "remember the key's path for certificate `ID` (default: the profile's CertificateId)")
	f.StringVar(&o.KeyOut, "key-out", "", "`PATH` for the new private key (required; never overwritten)")
	f.StringVar(&o.CSROut, "csr-out", "", "`PATH` for the new CSR (required; never overwritten)")
	f.BoolVar(&o.Encrypt, "encrypt", false, "encrypt the key with a passphrase, asked on the terminal")
	f.StringVar(&o.PassFile, "passphrase-file", "", "encrypt the key with the passphrase in `FILE` (first line)")
	_ = generate.MarkFlagRequired("key-out")
	_ = generate.MarkFlagRequired("csr-out")
	cmd.AddCommand(inspect, generate)
	return cmd
}

func runCSRInspect(ctx context.Context, g *Globals, path string, asJSON bool) error {
	data, err := readLimited(ctx, path, g.IO.In, limitCSR)
	if readInterrupted(err) {
		return interruptedReading(g)
	}
	if err != nil {
		return exit(api.ExitInput, fmt.Errorf("read %s: %w", path, err))
	}
	lang := g.Language
	info, err := csr.Read(data)
	if err != nil {
		return exit(api.ExitInput, fmt.Errorf("%s %s", path, csrMessage(err, lang)))
	}
	problem := info.KeyProblem()
	if asJSON {
		obj := map[string]any{
			"Subject": info.Subject, "CommonName": info.CommonName, "DNSNames": info.DNSNames, "IPAddresses": info.IPAddresses,
			"EmailAddresses": info.EmailAddresses, "URIs": info.URIs, "SignatureAlgorithm": info.SignatureAlgorithm, "SignatureVerified": true,
			"Key":     map[string]any{"Algorithm": info.KeyAlgorithm, "Bits": info.KeyBits, "Curve": info.Curve},
			"Suggest": info.Suggest(), "PEM": info.PEM,
		}
		if problem != nil {
			obj["Problem"] = map[string]string{"Message": problem.What.EN, "Fix": problem.Fix.EN}
		}
		if err := writeJSON(g.IO.Out, obj); err != nil || problem == nil {
			return err
		}
		return shown(api.ExitInput)
	}
	// Everything below was written by whoever made the CSR: every
	// attribute, name and value goes through ui/safe.
	out := g.IO.Out
	fmt.Fprintln(out, say(lang, "Subject:", "主题："))
	for _, a := range info.Subject {
		fmt.Fprintf(out, "  %-24s %s\n", safe.Text(a.Long), safe.Text(a.Value))
	}
	fmt.Fprintf(out, "%-12s%s\n%-12s%s (%s)\n", say(lang, "Key:", "密钥："), safe.Text(info.Key()), say(lang, "Signature:", "签名："), safe.Text(info.SignatureAlgorithm), say(lang, "verified", "已校验"))
	sans := [][2]string{{"DNS", safeJoin(info.DNSNames)}, {"IP", safeJoin(info.IPAddresses)},
		{"email", safeJoin(info.EmailAddresses)}, {"URI", safeJoin(info.URIs)}}
	fmt.Fprintln(out, say(lang, "SANs:", "备用名称："))
	for _, s := range sans {
		if s[1] != "" {
			fmt.Fprintf(out, "  %-6s %s\n", s[0]+":", s[1])
		}
	}
	fmt.Fprintln(out, say(lang, "Suggested parameters:", "建议的参数："))
	for _, f := range api.Fields {
		if v, ok := info.Suggest()[f.Name]; ok {
			fmt.Fprintf(out, "  %s=%s\n", f.Name, safe.Text(v))
		}
	}
	if problem != nil {
		fmt.Fprintf(g.IO.Err, "%s: %s. %s\n", say(lang, "Error", "错误"), safe.Text(api.Text(problem.What).In(lang)), safe.Text(api.Text(problem.Fix).In(lang)))
		return shown(api.ExitInput)
	}
	return nil
}

// safeJoin joins names from outside, each made safe.
func safeJoin(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = safe.Text(n)
	}
	return strings.Join(out, ", ")
}

func csrMessage(err error, lang string) string {
	var ce *csr.Error
	if errors.As(err, &ce) {
		return api.Text(ce.What).In(lang) + ". " + api.Text(ce.Fix).In(lang)
	}
	return err.Error()
}

type csrGenerateOptions struct {
	*Globals
	Domain, DomainList, KeyType, Profile, KeyOut, CSROut, PassFile string
	CertificateID                                                  string
	Encrypt                                                        bool
}

func runCSRGenerate(ctx context.Context, o *csrGenerateOptions) error {
	if id := o.CertificateID; id != "" && (strings.ContainsFunc(id, unicode.IsSpace) || !safe.Clean(id)) {
		return exit(api.ExitInput, fmt.Errorf("--certificate-id %q is not a CertificateId (certwiz certs lists them); nothing was written", safe.Text(id)))
	}
	var base api.Request
	var store *profiles.Store
	if o.Profile != "" {
		s, err := o.store()
		if err != nil {
			return err
		}
		p, err := s.Load(o.Profile)
		if err != nil {
			return err
		}
		store, base = s, p.Params
	}
	req := base
	if o.Domain != "" {
		req.CertificateDomain = o.Domain
	}
	if o.DomainList != "" {
		_ = req.Set("DomainList", o.DomainList)
	}
	if req.CertificateDomain == "" {
		return exit(api.ExitInput, errors.New("--domain is required (or a --profile with a CertificateDomain)"))
	}
	req.CsrType, req.CsrContent, req.KeyPassword = "", "", ""
	// The names must be valid before a key is made for them.
	if ps := api.Validate(req, api.Partial); len(ps.For("CertificateDomain"))+len(ps.For("DomainList")) > 0 {
		return exit(api.ExitInput, append(ps.For("CertificateDomain"), ps.For("DomainList")...))
	}
	n := req.Normalized()
	kt := csr.KeyType(o.KeyType)
	pass, err := o.passphrase(ctx)
	if err != nil {
		return err
	}
	subject := csr.Subject{CommonName: n.CertificateDomain, Organization: n.OrganizationName, OrganizationalUnit: n.OrganizationDivision,
		Locality: n.OrganizationCity, Province: n.OrganizationRegion, Country: n.OrganizationCountry}
	gen, err := csr.Generate(kt, subject, n.DomainList, pass)
	if err != nil {
		return exit(api.ExitInput, err)
	}
	if err := csr.WritePair(gen, o.KeyOut, o.CSROut); err != nil {
		return exit(api.ExitInput, err)
	}
	// The key's place is remembered as an absolute path: download runs
	// from anywhere.
	keyPath, err := filepath.Abs(o.KeyOut)
	if err != nil {
		keyPath = o.KeyOut
	}
	lang := o.Language
	fmt.Fprintf(o.IO.Out, say(lang, "Private key: %s (%s, mode 0600%s)\nCSR:         %s (CN %s, SANs %s)\n", "私钥：%s（%s，权限 0600%s）\nCSR： %s（CN %s，SAN %s）\n"),
		o.KeyOut, gen.Info.Key(), map[bool]string{true: say(lang, ", encrypted", "，已加密")}[len(pass) > 0], o.CSROut, safe.Text(gen.Info.CommonName), safeJoin(gen.Info.DNSNames))
	fmt.Fprintln(o.IO.Err, say(lang, "Keep the private key safe: it never leaves this machine and Tencent Cloud cannot recover it.", "请妥善保管私钥：它不会离开本机，腾讯云也无法找回。"))
	if store != nil {
		err := store.Update(o.Profile, func(p *profiles.Profile, _ bool) error {
			p.Params.CsrType, p.Params.CsrContent = "parse", gen.Info.PEM
			p.Params.CertificateDomain, p.Params.DomainList = n.CertificateDomain, n.DomainList
			p.KeyFile = keyPath
			return nil
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(o.IO.Err, say(lang, "Profile %s now uses CsrType=parse with this CSR.\n", "配置 %s 已改为 CsrType=parse 并使用此 CSR。\n"), o.Profile)
	}
	if id := cmp.Or(o.CertificateID, base.CertificateId); id != "" {
		o.rememberKey(id, keyPath, gen.Info.KeySHA256())
	}
	return nil
}

// rememberKey writes in the history where the key generated for
// certificate id is, so that certwiz download finds it. The key is on disk
// already: a history that cannot be written is said loudly, not fatal.
func (o *csrGenerateOptions) rememberKey(id, keyPath, keySHA256 string) {
	lang := o.Language
	rec := profiles.Record{Time: time.Now().UTC(), Profile: o.Profile, CertificateId: id, Outcome: profiles.OutcomeKeyGenerated,
		Action: "csr generate", KeyFile: keyPath, KeySHA256: keySHA256} // no endpoint: nothing was sent
	h, err := o.history()
	if err == nil {
		err = h.Append(rec)
	}
	if err != nil {
		fmt.Fprintf(o.IO.Err, say(lang, "%s: where this key is could not be remembered for certificate %s (%s): certwiz download will not check the certificate against it.\n",
			"%s：无法为证书 %s 记录此私钥的位置（%s）：certwiz download 将无法用它核对证书。\n"), say(lang, "Warning", "警告"), safe.Text(id), safe.Text(err.Error()))
		return
	}
	fmt.Fprintf(o.IO.Err, say(lang, "Remembered for certificate %s: certwiz download %s checks the certificate against this key.\n",
		"已为证书 %s 记录：certwiz download %s 会用此私钥核对证书。\n"), safe.Text(id), safe.Text(id))
}

// passphrase reads the key passphrase from --passphrase-file, or asks twice
// on the terminal with --encrypt; never from a flag value.
func (o *csrGenerateOptions) passphrase(ctx context.Context) ([]byte, error) {
	switch {
	case o.PassFile != "":
		data, err := readLimited(ctx, o.PassFile, o.IO.In, limitPassphrase)
		if readInterrupted(err) {
			return nil, interruptedReading(o.Globals)
		}
		if err != nil {
			return nil, exit(api.ExitInput, fmt.Errorf("--passphrase-file: %w", err))
		}
		line, _, _ := strings.Cut(string(data), "\n")
		if line = strings.TrimRight(line, "\r"); line == "" {
			return nil, exit(api.ExitInput, errors.New("--passphrase-file: the first line is empty"))
		}
		return []byte(line), nil
	case !o.Encrypt:
		return nil, nil
	}
	f, ok := o.IO.In.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return nil, exit(api.ExitInput, errors.New("--encrypt asks on a terminal; in scripts use --passphrase-file FILE"))
	}
	ask := func(prompt string) ([]byte, error) {
		fmt.Fprint(o.IO.Err, prompt)
		b, err := readPassword(ctx, f)
		fmt.Fprintln(o.IO.Err)
		return b, err
	}
	p1, err := ask(say(o.Language, "Key passphrase: ", "私钥密码："))
	if readInterrupted(err) {
		return nil, interruptedReading(o.Globals)
	}
	if err != nil {
		return nil, exit(api.ExitFailure, err)
	}
	p2, err := ask(say(o.Language, "Again: ", "再次输入："))
	if readInterrupted(err) {
		return nil, interruptedReading(o.Globals)
	}
	if err != nil {
		return nil, exit(api.ExitFailure, err)
	}
	if string(p1) != string(p2) || len(p1) == 0 {
		return nil, exit(api.ExitInput, errors.New("the passphrases differ or are empty; nothing was written"))
	}
	return p1, nil
}

// readPassword reads a line without echo, or returns ctx's error when a
// signal comes first — with the terminal's echo given back, which a read
// left blocked would not do.
func readPassword(ctx context.Context, f *os.File) ([]byte, error) {
	fd := f.Fd() // once, here: the reader below may outlive this call
	state, err := term.GetState(fd)
	if err != nil {
		return nil, fmt.Errorf("read the passphrase: %w", err)
	}
	type answer struct {
		b   []byte
		err error
	}
	got := make(chan answer, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		got <- answer{b, err}
	}()
	// Wait until the reader has turned echo off (or has returned): echo
	// given back before that would be taken away again once it does.
	for start := time.Now(); time.Since(start) < time.Second; time.Sleep(time.Millisecond) {
		if now, err := term.GetState(fd); err != nil || !reflect.DeepEqual(now, state) {
			break
		}
		select {
		case a := <-got:
			return a.b, a.err
		default:
		}
	}
	select {
	case a := <-got:
		return a.b, a.err
	case <-ctx.Done():
		if err := term.Restore(fd, state); err != nil {
			return nil, fmt.Errorf("give the terminal its echo back: %w", err)
		}
		return nil, ctx.Err()
	}
}
