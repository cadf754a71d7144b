package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/certwiz/certwiz/ui/termtext"
	"github.com/spf13/cobra"
)

// DownloadOptions are the flags of `certwiz download`.
type DownloadOptions struct {
	*Globals
	Out  string
	JSON bool
}

// NewDownloadCmd returns `certwiz download ID --out DIR`.
func NewDownloadCmd(g *Globals) *cobra.Command {
	o := &DownloadOptions{Globals: g}
	cmd := &cobra.Command{
		Use:   "download ID --out DIR",
		Short: "Download an issued certificate into a new folder (DownloadCertificate)",
		Long: `Download an issued certificate (DownloadCertificate) and unpack it into DIR:
one folder per server type (nginx: the certificate and its chain in one
file; apache: the certificate and the chain apart; other: PEM), and the
private key only when Tencent Cloud generated it (CsrType=online).

The archive is checked before anything is written: an entry that would land
outside DIR (.., an absolute path, a backslash, a drive letter), a symlink,
more than 64 entries, more than 1 MiB in a file or 8 MiB in all (counted
as unpacked), or any name but Tencent's layout (<domain>_<server>/<file>,
a plain certificate, key or keystore file name) refuses the whole archive,
naming the entry; so does a certificate that is not the one ordered (it
must cover every name of the order and be signed by the archive's chain).
Nothing is written then. Nothing is ever overwritten: if any file exists,
certwiz names it and writes nothing. A DIR, or a folder in it, owned by
another user or writable by its group or everyone is refused. Files are
created 0600; DIR and its folders, when certwiz creates them, 0700 (an
existing DIR keeps its mode).

Every key in the archive (Tencent generated it) is checked against the
certificate; when the key was generated on this machine (certwiz csr
generate, or the wizard's "generate here"), certwiz finds, among every key
generated for the certificate, the one whose public key it carries (the
CSR sent last, not the newest key) and says where it is. A certificate
that matches none of them exits 3, naming the keys tried (its files are
still written: the right key may be elsewhere, but installed with one of
those it would not work); one for a CSR submitted whose key was made
elsewhere is the user's own key.

--json prints exactly one JSON object: {"CertificateId", "Files",
"DNSNames", "NotBefore", "NotAfter", "KeyMatches"} (KeyMatches is null when
no key could be checked), or the error object.

Exit codes: 0 written; 2 usage, a file exists, or DIR is not yours alone;
3 refused by the service (e.g. not issued yet: the status is named), or the
key does not match; 4 credentials; 5 transport, an unsafe or unreadable
archive, or not the certificate ordered.`,
		Example: `  certwiz download abcb1234 --out ./www.example.com
  certwiz download abcb1234 --out /etc/nginx/ssl/www --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDownload(cmd.Context(), o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "", "`DIR` to unpack into (created 0700 if missing; nothing in it is overwritten)")
	f.BoolVar(&o.JSON, "json", false, `print exactly one JSON object: {"CertificateId", "Files", "DNSNames", "NotBefore", "NotAfter", "KeyMatches"} or the error`)
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

// codeUnsafeArchive is certwiz's own code for an archive it refuses.
const codeUnsafeArchive = "ClientError.UnsafeArchive"

func runDownload(ctx context.Context, o *DownloadOptions, id string) error {
	lang := o.Language
	id = strings.TrimSpace(id)
	if msg := badID(id, lang); msg != "" {
		return usageFail(o.Globals, o.JSON, "download", msg)
	}
	if strings.TrimSpace(o.Out) == "" {
		return usageFail(o.Globals, o.JSON, "download", say(lang, "--out DIR is required: the folder to unpack into", "必须指定 --out DIR：解压到的文件夹"))
	}
	creds, endpoint, stop, err := o.connect(func(err error) error { return failOut(o.Globals, o.JSON, err, nil, "") })
	if err != nil {
		return err
	}
	defer stop()
	if creds.Source == "" {
		return failOut(o.Globals, o.JSON, creds.err, nil, "")
	}
	client, err := o.newClient(creds.Credentials, endpoint, api.DefaultRate)
	if err != nil {
		return err
	}
	for _, w := range creds.Warnings {
		o.warn(w)
	}
	fmt.Fprintf(o.IO.Err, "%s %s ← %s\n%s: %s\n", say(lang, "Downloading certificate", "正在下载证书"), id, client.Endpoint(), say(lang, "Credentials", "密钥"), creds.In(lang))
	// The order's names are read only once the archive passed: a refused
	// archive costs no second request.
	names := func() ([]string, error) {
		d, err := client.DescribeCertificateDetail(ctx, id)
		return d.Names(), err
	}
	res, err := install.InstallCertificate(ctx, client, id, o.Out, names, func() ([]install.KnownKey, error) { return o.keysFor(id), nil }, lang)
	var archive *install.ArchiveError
	var exists *install.ExistsError
	switch {
	case errors.As(err, &archive):
		return o.unsafeArchive(archive.Err, res.RequestId)
	case errors.As(err, new(*api.Error)):
		return failOut(o.Globals, o.JSON, err, nil, notIssuedHint(ctx, o.Globals, client, id, err, lang))
	case errors.As(err, &exists):
		return o.fileFail(api.ExitInput, fmt.Sprintf(say(lang,
			"already in the folder: %s — certwiz never overwrites a certificate or key, and wrote nothing; choose another --out folder or move them away",
			"文件夹中已有：%s——certwiz 从不覆盖证书或私钥，未写入任何文件；请换一个 --out 文件夹或先移走它们"), quoteAll(exists.Paths, lang)))
	case errors.Is(err, install.ErrNotFolder) || errors.Is(err, fs.ErrPermission) || errors.As(err, new(*install.FolderError)):
		return o.fileFail(api.ExitInput, safe.Text(err.Error())) // the --out given: choose another
	case err != nil:
		return o.fileFail(api.ExitFailure, safe.Text(err.Error()))
	}
	info, k := res.Info, res.Key
	notNeeded := o.forgetOthers(id, k)
	if o.JSON {
		if err := writeJSON(o.IO.Out, downloadJSON{CertificateId: id, Files: res.Files, DNSNames: nonNil(info.DNSNames),
			NotBefore: info.NotBefore.UTC(), NotAfter: info.NotAfter.UTC(), KeyMatches: k.Matches, KeysNotNeeded: notNeeded}); err != nil {
			return err
		}
	} else {
		printDownloaded(o.IO.Out, id, o.Out, res, lang)
		if head, lines := termtext.NotNeeded(notNeeded, lang); head != "" {
			fmt.Fprintf(o.IO.Out, "%s\n%s\n", head, strings.Join(lines, "\n"))
		}
	}
	switch {
	case k.Matches == nil || *k.Matches:
	case k.Tencent:
		fmt.Fprintf(o.IO.Err, say(lang,
			"Warning: the certificate's public key does not match the private key Tencent Cloud generated, in the archive (%s): installed with it, the server would refuse to start. Download the certificate again, or from the SSL console, before installing.\n",
			"警告：证书的公钥与压缩包中腾讯云生成的私钥（%s）不匹配：用它安装，服务器将无法启动。安装前请重新下载证书，或在 SSL 证书控制台下载。\n"), safe.Text(k.Path))
		return shown(api.ExitRejected)
	default:
		fmt.Fprintf(o.IO.Err, say(lang,
			"Warning: the certificate's public key matches none of the keys generated on this machine for it (%s): installed with one of them, the server would refuse to start. The CA signed another key — check which CSR was submitted last (certwiz csr inspect) before installing.\n",
			"警告：证书的公钥与本机为它生成的私钥都不匹配（%s）：用其中任何一把安装，服务器将无法启动。CA 签发的是另一把密钥——安装前请检查最后提交的是哪个 CSR（certwiz csr inspect）。\n"), safe.Text(k.TriedList()))
		return shown(api.ExitRejected)
	}
	return nil
}

type downloadJSON struct {
	CertificateId string
	Files         []string
	DNSNames      []string
	NotBefore     time.Time
	NotAfter      time.Time
	KeyMatches    *bool
	// KeysNotNeeded are the files of the keys generated here for the
	// certificate that it is not for, forgotten now that it is on disk
	// with its own.
	KeysNotNeeded []string `json:",omitempty"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// keysFor are the keys certwiz remembers generating for the
// certificate, newest first; none when it did not. A failure to look is a
// warning, never an error: the certificate is on disk already.
func (o *Globals) keysFor(id string) []install.KnownKey {
	lang := o.Language
	s, err := o.keyStore()
	if err != nil {
		o.warn(say(lang, "the profiles cannot be read to find a key generated here: ", "无法读取配置以查找本机生成的私钥：") + err.Error())
		return nil
	}
	remembered, err := s.KeysFor(id)
	if err != nil {
		o.warn(say(lang, "cannot look up a key generated here: ", "无法查找本机生成的私钥：") + err.Error())
	}
	var keys []install.KnownKey
	for _, k := range remembered {
		keys = append(keys, install.KnownKey(k))
	}
	return keys
}

// keyStore is the profile store, read only: looking for a key creates no
// folder (profiles.Open would).
func (g *Globals) keyStore() (*profiles.Store, error) {
	cfg, err := profiles.ConfigDir(g.ConfigDir)
	if err != nil {
		return nil, err
	}
	return &profiles.Store{Dir: filepath.Join(cfg, "profiles"), Warn: g.warn, Now: time.Now}, nil
}

// forgetOthers forgets, once the certificate is on disk and its key found,
// the keys generated here for it before that one
// (profiles.Store.ForgetDownloadedKeys), and returns the files of those
// still on disk: no longer needed. A failure to record it is a warning:
// the certificate is on disk already.
func (o *Globals) forgetOthers(id string, k install.KeyCheck) []string {
	s, err := o.keyStore()
	if err == nil {
		var notNeeded []string
		keep, found := k.Found()
		if notNeeded, err = s.ForgetDownloadedKeys(id, keep, found, time.Now()); err == nil {
			return notNeeded
		}
	}
	o.warn(say(o.Language, "the keys generated here that the certificate is not for could not be forgotten: ", "无法记录不再需要的本机生成私钥：") + err.Error())
	return nil
}

// notIssuedHint names the certificate's status when the service refuses
// the download (not issued yet, or no longer): it is read again.
func notIssuedHint(ctx context.Context, g *Globals, client *api.Client, id string, err error, lang string) string {
	var e *api.Error
	if !errors.As(err, &e) || !strings.HasPrefix(e.Code, "FailedOperation.") {
		return ""
	}
	d, derr := client.DescribeCertificateDetail(ctx, id)
	if derr != nil || d.Status == api.StatusIssued {
		return ""
	}
	return fmt.Sprintf(say(lang, "Certificate %s is at status %d (%s), not issued (1); follow it with %s.",
		"证书 %s 的状态为 %d（%s），尚未签发（1）；可用 %s 跟进。"), safe.Text(id), d.Status, safe.Text(d.Words(lang)), commandLine(g, "status", id, "--watch"))
}

// unsafeArchive refuses an archive (exit 5): nothing was written.
func (o *DownloadOptions) unsafeArchive(err error, reqID string) error {
	lang := o.Language
	title := say(lang, "Unsafe or unreadable certificate archive", "证书压缩包不安全或无法读取")
	meaning := say(lang, "The archive the endpoint sent was refused before anything was written: nothing was written.", "接入点发来的压缩包在写入前即被拒绝：未写入任何文件。")
	hint := say(lang, "Retry later; if it persists, download the certificate in the SSL console and report the RequestId.", "请稍后重试；若仍如此，请在 SSL 证书控制台下载证书，并报告 RequestId。")
	if o.JSON {
		_ = writeJSON(o.IO.Out, map[string]any{
			"Error":     map[string]string{"Code": codeUnsafeArchive, "Message": err.Error(), "Title": title, "Hint": hint},
			"RequestId": reqID,
		})
		return shown(api.ExitTransport)
	}
	w := o.IO.Err
	fmt.Fprintf(w, "%s: %s [%s]\n  %s\n  %s: %s\n  %s: %s\n", say(lang, "Error", "错误"), title, codeUnsafeArchive, meaning,
		say(lang, "What to do", "处理建议"), hint, say(lang, "Details", "详情"), safe.Text(err.Error()))
	if reqID != "" {
		fmt.Fprintf(w, "  RequestId: %s\n", safe.Text(reqID))
	}
	return shown(api.ExitTransport)
}

// fileFail reports a problem writing the files (msg already made safe).
func (o *DownloadOptions) fileFail(code int, msg string) error {
	return localFail(o.Globals, o.JSON, code, say(o.Language, "Files not written", "未写入文件"), msg)
}

// localFail reports a failure on this machine (no API error): the error
// object with --json, else one line. msg is made safe by the caller.
func localFail(g *Globals, asJSON bool, code int, title, msg string) error {
	if asJSON {
		_ = writeJSON(g.IO.Out, map[string]any{"Error": map[string]string{"Code": api.CodeInvalid, "Message": msg,
			"Title": title, "Hint": ""}, "RequestId": ""})
		return shown(code)
	}
	fmt.Fprintf(g.IO.Err, "%s: %s\n", say(g.Language, "Error", "错误"), msg)
	return shown(code)
}

// quoteAll names the first few paths, made safe, and counts the rest.
func quoteAll(paths []string, lang string) string {
	const show = 3
	var out []string
	for i, p := range paths {
		if i == show {
			out = append(out, fmt.Sprintf(say(lang, "and %d more", "及另外 %d 个"), len(paths)-show))
			break
		}
		out = append(out, safe.Text(p))
	}
	return strings.Join(out, ", ")
}

// server is the server type a file is for: the suffix of its top folder
// (www.example.com_nginx → nginx); "" for a file at the top.
func server(p string) string {
	top, _, ok := strings.Cut(p, "/")
	if !ok {
		return ""
	}
	if i := strings.LastIndex(top, "_"); i >= 0 {
		return strings.ToLower(top[i+1:])
	}
	return top
}

// role says what a file of the archive is.
func role(p, lang string) string {
	base := strings.ToLower(path.Base(p))
	switch {
	case base == "root_bundle.crt":
		return say(lang, "chain (intermediate CA)", "证书链（中级 CA）")
	case strings.HasSuffix(base, "_bundle.crt"), strings.HasSuffix(base, "_bundle.pem"):
		return say(lang, "certificate + chain", "证书 + 证书链")
	case strings.HasSuffix(base, ".key"):
		return say(lang, "private key", "私钥")
	case strings.HasSuffix(base, ".csr"):
		return "CSR"
	case strings.HasSuffix(base, ".crt"), strings.HasSuffix(base, ".pem"), strings.HasSuffix(base, ".cer"):
		return say(lang, "certificate", "证书")
	case strings.HasSuffix(base, ".pfx"), strings.HasSuffix(base, ".jks"):
		return say(lang, "keystore", "密钥库")
	}
	return say(lang, "file", "文件")
}

// roleRank orders a server's files: certificates, then chains, keys, the rest.
func roleRank(p string) int {
	base := strings.ToLower(path.Base(p))
	switch {
	case strings.HasSuffix(base, "_bundle.crt"):
		return 0
	case strings.HasSuffix(base, "_bundle.pem"):
		return 1
	case base == "root_bundle.crt":
		return 3
	case strings.HasSuffix(base, ".crt"), strings.HasSuffix(base, ".pem"), strings.HasSuffix(base, ".cer"):
		return 2
	case strings.HasSuffix(base, ".key"):
		return 4
	}
	return 5
}

// printDownloaded tells people where each file is, for which server, what
// the certificate covers, until when, and where its key is.
func printDownloaded(w io.Writer, id, out string, res install.Installed, lang string) {
	files, paths, info, k := res.Archive, res.Files, res.Info, res.Key
	abs, err := filepath.Abs(out)
	if err != nil {
		abs = out
	}
	fmt.Fprintf(w, say(lang, "Certificate %s written to %s (files 0600)\n", "证书 %s 已写入 %s（文件权限 0600）\n"), safe.Text(id), safe.Text(abs))
	var order []string
	byServer := map[string][]int{}
	for i, f := range files {
		s := server(f.Path)
		if _, ok := byServer[s]; !ok {
			order = append(order, s)
		}
		byServer[s] = append(byServer[s], i)
	}
	// nginx and apache first, the folder a file sits in after them; in
	// each, the certificate before the key.
	rank := map[string]int{"nginx": -2, "apache": -1, "": 1}
	slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(rank[a], rank[b]) })
	for _, s := range order {
		slices.SortStableFunc(byServer[s], func(a, b int) int { return cmp.Compare(roleRank(files[a].Path), roleRank(files[b].Path)) })
	}
	for _, s := range order {
		name := s
		if name == "" {
			name = say(lang, "other", "其他")
		}
		fmt.Fprintf(w, "  %s\n", safe.Text(name))
		for _, i := range byServer[s] {
			fmt.Fprintf(w, "    %s %s\n", pad(role(files[i].Path, lang), 24), safe.Text(paths[i]))
		}
	}
	fmt.Fprintf(w, "%s %s\n", pad(say(lang, "Names:", "域名："), 9), safeJoin(info.DNSNames))
	const day = "2006-01-02 15:04 MST"
	fmt.Fprintf(w, say(lang, "%s %s to %s — renew before %s\n", "%s %s 至 %s —— 请在 %s 前续期\n"), pad(say(lang, "Valid:", "有效期："), 9),
		info.NotBefore.UTC().Format(day), info.NotAfter.UTC().Format(day), install.RenewBy(info.NotAfter).UTC().Format("2006-01-02"))
	key := pad(say(lang, "Key:", "私钥："), 9)
	switch {
	case k.Tencent:
		fmt.Fprintf(w, say(lang, "%s generated by Tencent Cloud, in the folder (0600): %s%s\n", "%s 由腾讯云生成，已在文件夹中（0600）：%s%s\n"), key, safe.Text(k.Path), matchNote(k, lang))
	case k.Path != "":
		fmt.Fprintf(w, say(lang, "%s generated on this machine: %s%s\n", "%s 在本机生成：%s%s\n"), key, safe.Text(k.Path), matchNote(k, lang))
	case k.Matches != nil:
		fmt.Fprintf(w, say(lang, "%s none of the keys generated on this machine for it matches the certificate: %s\n", "%s 本机为它生成的私钥都与证书不匹配：%s\n"), key, safe.Text(k.TriedList()))
	case k.Why != "":
		fmt.Fprintf(w, "%s %s\n", key, safe.Text(k.Why))
	default:
		fmt.Fprintf(w, say(lang, "%s the one you made the CSR with: it is not in the archive, and certwiz did not generate it\n",
			"%s 即生成 CSR 时所用的私钥：它不在压缩包中，也不是 certwiz 生成的\n"), key)
	}
	if next := installHint(res, lang); next != "" {
		fmt.Fprint(w, next)
	}
}

func matchNote(k install.KeyCheck, lang string) string {
	switch {
	case k.Matches == nil:
		return fmt.Sprintf(say(lang, " (not checked: %s)", "（未检查：%s）"), safe.Text(k.Why))
	case *k.Matches:
		return say(lang, " — matches the certificate", " —— 与证书匹配")
	}
	return say(lang, " — does NOT match the certificate", " —— 与证书不匹配")
}

// installHint is the next step for nginx and apache: the lines that name
// the files — by the names certwiz makes (Installed.ServerFiles), never one
// only the archive chose — with the key where certwiz knows it is.
func installHint(res install.Installed, lang string) string {
	k := res.Key
	keyFor := func(key string) string {
		switch {
		case k.Matches != nil && !*k.Matches:
			// Never a key certwiz has just said does not match.
		case key != "":
			return safe.Text(key)
		case k.Path != "":
			return safe.Text(k.Path)
		}
		return "/path/to/your.key"
	}
	var b strings.Builder
	if crt, key := res.ServerFiles("nginx"); crt != "" {
		fmt.Fprintf(&b, "%s\n    ssl_certificate     %s;\n    ssl_certificate_key %s;\n", say(lang, "Next, nginx:", "下一步，nginx："), safe.Text(crt), keyFor(key))
	}
	if crt, key := res.ServerFiles("apache"); crt != "" && res.ChainFile("apache") != "" {
		fmt.Fprintf(&b, "%s\n    SSLCertificateFile      %s\n    SSLCertificateChainFile %s\n    SSLCertificateKeyFile   %s\n", say(lang, "Next, apache:", "下一步，apache："),
			safe.Text(crt), safe.Text(res.ChainFile("apache")), keyFor(key))
	}
	return b.String()
}
