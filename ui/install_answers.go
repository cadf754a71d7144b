package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/api/installation"
	livedir "github.com/certwiz/certwiz/api/live"
	"github.com/certwiz/certwiz/api/tlsverify"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
)

// "Install here and renew automatically": after the download, the
// certificate is installed as `certwiz install` does it (api/installation)
// and saved for `certwiz renew`. These are its questions, asked by the
// wizard's form and by accessible mode alike (fieldDefs over the
// answers), and what the answers become.

// How renewals validate: the answers of the choice, as accessible mode
// shows them ("Enter keeps [DNS_AUTO]") and takes them typed.
const (
	renewAuto      = string(api.MethodDNSAuto) // Tencent Cloud adds the record
	renewDNSHooks  = "DNS hooks"               // DNS, by the user's auth and cleanup hooks
	renewFileHooks = "FILE hooks"              // FILE, by the user's auth and cleanup hooks
	renewAsk       = "ask me"                  // renew prints the records and waits (exit 6 without a terminal)
)

// nginxReload is the deploy hook suggested when nginx is on the PATH: a
// configuration test first, so a broken one is never reloaded.
const nginxReload = "nginx -t && systemctl reload nginx"

// installAnswers are the answers of one certificate's installation. The
// session keeps them: going back to the form, or retrying after a
// failure, shows them as typed.
type installAnswers struct {
	d    api.CertificateDetail
	res  install.Installed // the download the final card shows
	name string            // the installation's name (never asked: the domain's)
	// existing is the installation of that name already saved; its
	// answers were the defaults. nil: a new one.
	existing  *profiles.Installation
	suggested bool // the deploy hook is nginxReload because nginx is on the PATH

	dir, deployHook, verify, how, authHook, cleanupHook string

	attempt int // installations tried, for the failure card
}

// host is what the machine says about the defaults: who runs certwiz,
// whether systemd runs it, where a command is. Tests set their own.
type host struct {
	root     bool
	systemd  bool
	lookPath func(string) (string, error)
	home     string // the user's home folder; "" when unknown
	dataHome string // $XDG_DATA_HOME; "" when not set
}

// machine is the host certwiz runs on.
func machine() *host {
	h := &host{root: os.Geteuid() == 0, lookPath: exec.LookPath, dataHome: os.Getenv("XDG_DATA_HOME")}
	h.home, _ = os.UserHomeDir()
	// systemd's own test (sd_booted): this folder exists only when it is
	// the service manager.
	if fi, err := os.Stat("/run/systemd/system"); err == nil && fi.IsDir() {
		h.systemd = true
	}
	return h
}

// hostFacts is the session's host, found once.
func (s *session) hostFacts() *host {
	if s.host == nil {
		s.host = machine()
	}
	return s.host
}

// defaultInstallDir is where "install here" suggests the versions go.
// For root, /etc/certwiz/NAME: beside the configuration of the servers
// that read it (certbot's /etc/letsencrypt habit), owned by root, and
// renewed by the certwiz-renew timer, whose service runs as root. For a
// user, $XDG_DATA_HOME/certwiz/NAME (~/.local/share/certwiz/NAME): the
// user's own data that must last — not ~/.config (configuration, often
// synced or shared), nor the download folder, which keeps Tencent's
// archive as it came. "" when there is no home to put it in.
func defaultInstallDir(name string, h *host) string {
	switch {
	case h.root:
		return filepath.Join("/etc/certwiz", name)
	case filepath.IsAbs(h.dataHome):
		return filepath.Join(h.dataHome, "certwiz", name)
	case h.home != "":
		return filepath.Join(h.home, ".local", "share", "certwiz", name)
	}
	return ""
}

// installName is the installation's name: the domain's, as `certwiz
// install` takes it, else (an IP address, say) the certificate's ID,
// which is always a valid one.
func installName(d api.CertificateDetail) string {
	if n := installation.DefaultName(d.Domain); n != "" {
		return n
	}
	return strings.ToLower(d.CertificateId)
}

// defaultServer is the server to check: the certificate's first name that
// is not a wildcard, on 443; "" for a wildcard alone.
func defaultServer(d api.CertificateDetail) string {
	for _, n := range d.Names() {
		if !strings.HasPrefix(n, "*") {
			return net.JoinHostPort(n, "443")
		}
	}
	return ""
}

// installAnswers are the session's answers for certificate d, made the
// first time: an installation of the same name gives its own, else the
// defaults.
func (s *session) installAnswers(d api.CertificateDetail, res install.Installed) *installAnswers {
	if a := s.install; a != nil && a.d.CertificateId == d.CertificateId {
		return a
	}
	h := s.hostFacts()
	a := &installAnswers{d: d, res: res, name: installName(d)}
	if in, err := s.opts.Store.LoadInstallation(a.name); err == nil {
		a.existing = &in
		a.dir, a.deployHook, a.verify = in.Dir, in.DeployHook, strings.Join(in.Verify, ", ")
		a.authHook, a.cleanupHook = in.AuthHook, in.CleanupHook
		a.how = howOf(in.Validation, in.AuthHook != "")
	} else {
		a.dir = defaultInstallDir(a.name, h)
		if _, err := h.lookPath("nginx"); err == nil {
			a.deployHook, a.suggested = nginxReload, true
		}
		a.verify = defaultServer(d)
		a.how = howOf(api.MethodOf(d.VerifyType), false)
	}
	s.install = a
	return a
}

// howOf is the answer that says method (with hooks or not).
func howOf(m api.Method, hooks bool) string {
	switch {
	case m == api.MethodDNSAuto:
		return renewAuto
	case hooks && m == api.MethodFile:
		return renewFileHooks
	case hooks:
		return renewDNSHooks
	}
	return renewAsk
}

// byHooks reports validation by the user's hooks.
func (a *installAnswers) byHooks() bool { return a.how == renewDNSHooks || a.how == renewFileHooks }

// method is how renewals validate. "Ask me" keeps the certificate's own
// DNS or FILE (DNS when it was DNS_AUTO): renew then prints its records.
func (a *installAnswers) method() api.Method {
	switch a.how {
	case renewAuto:
		return api.MethodDNSAuto
	case renewFileHooks:
		return api.MethodFile
	case renewAsk:
		if m := api.MethodOf(a.d.VerifyType); m == api.MethodFile {
			return m
		}
	}
	return api.MethodDNS
}

// folder is the folder answered, absolute, as `certwiz install --dir`
// makes it.
func (a *installAnswers) folder() string {
	dir := expandHome(strings.TrimSpace(a.dir))
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

// servers are the servers answered: HOST:PORT, separated by commas or
// blanks.
func (a *installAnswers) servers() []string {
	return strings.FieldsFunc(a.verify, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

// answers are what the form said, as `certwiz install` takes its flags:
// every answer given (an emptied one removes what an installation of the
// name held), the timeouts left to the installation.
func (a *installAnswers) answers() installation.Answers {
	hook := strings.TrimSpace(a.deployHook)
	auth, cleanup := "", ""
	if a.byHooks() {
		auth, cleanup = strings.TrimSpace(a.authHook), strings.TrimSpace(a.cleanupHook)
	}
	return installation.Answers{Name: a.name, Dir: a.folder(), DeployHook: &hook, AuthHook: &auth, CleanupHook: &cleanup,
		Verify: append([]string{}, a.servers()...), Validation: a.method()}
}

// The questions, for the form and for accessible mode.
func installGroups(s *session, a *installAnswers) []group {
	lang := s.lang
	text := func(p *string) func(*draft) *string { return func(*draft) *string { return p } }
	hookHint := txtDeployHookHint
	if a.suggested {
		hookHint = t{EN: hookHint.EN + txtHookSuggested.EN, ZH: hookHint.ZH + txtHookSuggested.ZH}
	}
	sni := tlsverify.SNI(a.d.Names())
	dir := fieldDef{key: "installDir", label: txtInstallDir, hint: txtInstallDirHint, text: text(&a.dir),
		check: func(_ *draft, v string) error { return checkInstallDir(s, a, v) }}
	deployHook := fieldDef{key: "deployHook", label: txtDeployHook, hint: hookHint, text: text(&a.deployHook)}
	verify := fieldDef{key: "verify", label: txtVerifyServer, text: text(&a.verify),
		hint:  t{EN: fmt.Sprintf(txtVerifyHint.EN, sni), ZH: fmt.Sprintf(txtVerifyHint.ZH, sni)},
		check: func(_ *draft, v string) error { return checkServers(v, lang) }}
	how := fieldDef{key: "renewBy", label: txtRenewBy, hint: txtRenewByHint, kind: kindChoice, text: text(&a.how),
		choices: []api.Choice{{Value: renewAuto, Label: txtRenewAuto}, {Value: renewDNSHooks, Label: txtRenewDNSHooks},
			{Value: renewFileHooks, Label: txtRenewFileHooks}, {Value: renewAsk, Label: txtRenewAsk}},
		check: func(_ *draft, v string) error {
			if !slices.Contains([]string{renewAuto, renewDNSHooks, renewFileHooks, renewAsk}, v) {
				return errors.New(txtPickOne.In(lang))
			}
			if v == renewFileHooks && a.d.IsWildcard {
				return errors.New(txtFileNoWildcard.In(lang))
			}
			return nil
		}}
	auth := fieldDef{key: "authHook", label: txtAuthHook, hint: txtAuthHookHint, text: text(&a.authHook),
		check: func(_ *draft, v string) error {
			if a.byHooks() && strings.TrimSpace(v) == "" {
				return errors.New(txtAuthHookEmpty.In(lang))
			}
			return nil
		}}
	cleanup := fieldDef{key: "cleanupHook", label: txtCleanupHook, hint: txtCleanupHookHint, text: text(&a.cleanupHook)}
	return []group{
		{fields: []fieldDef{dir, deployHook, verify, how}},
		{fields: []fieldDef{auth, cleanup}, hidden: func(*draft) bool { return !a.byHooks() }},
	}
}

// checkInstallDir refuses a folder certwiz would refuse once asked to
// install: none, a file, or another folder than the one the installation
// of this name lives in. The rest (owner, links, permissions) is
// install's to say, on the failure card.
func checkInstallDir(s *session, a *installAnswers, v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New(txtInstallDirEmpty.In(s.lang))
	}
	saved := *a
	saved.dir = v
	dir := saved.folder()
	if fi, err := os.Lstat(dir); err == nil && !fi.IsDir() {
		return errors.New(txtNotAFolder.In(s.lang))
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %s", safe.Text(dir), safe.Text(err.Error()))
	}
	if in := a.existing; in != nil && in.Dir != dir {
		return fmt.Errorf(txtInstallElsewhere.In(s.lang), a.name, safe.Text(in.Dir))
	}
	return nil
}

// checkServers checks the servers to check, naming a bad one.
func checkServers(v, lang string) error {
	for _, t := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if _, err := tlsverify.ParseTarget(t); err != nil {
			return fmt.Errorf(txtNotServer.In(lang), safe.Text(t))
		}
	}
	return nil
}

// liveFiles are the files servers read: DIR/current's.
func liveFiles(dir string) (cert, key string) {
	current := filepath.Join(dir, livedir.CurrentLink)
	return filepath.Join(current, livedir.FullchainFile), filepath.Join(current, livedir.KeyFile)
}

// timerLines are the commands that renew from now on: systemd's timer
// for root (the packages carry it; `certwiz timer` writes it otherwise),
// else `certwiz timer`, which prints the units and the crontab line.
func timerLines(h *host) []string {
	if h.root && h.systemd {
		return []string{"sudo systemctl enable --now certwiz-renew.timer"}
	}
	return []string{"certwiz timer"}
}

// offersInstall reports whether the final card can offer to install: the
// account can be asked again and the certificate has its key.
func offersInstall(s *session, res install.Installed) bool {
	return s.opts.Client != nil && s.opts.Store != nil && res.Key.Matches != nil && *res.Key.Matches
}

var (
	txtInstallHere      = t{EN: "Install here and renew automatically", ZH: "安装到本机并自动续期"}
	txtDone             = t{EN: "Done", ZH: "完成"}
	txtInstallDir       = t{EN: "Folder", ZH: "文件夹"}
	txtInstallDirHint   = t{EN: "Versions go in FOLDER/<version>; servers read FOLDER/current (made 0700)", ZH: "各版本放在 FOLDER/<版本>；服务器读取 FOLDER/current（创建时权限 0700）"}
	txtInstallDirEmpty  = t{EN: "give a folder", ZH: "请填写文件夹"}
	txtInstallElsewhere = t{EN: "the installation %q is in %s: use that folder (one installation, one folder)", ZH: "安装 %q 位于 %s：请使用该文件夹（一个安装对应一个文件夹）"}
	txtDeployHook       = t{EN: "Deploy hook", ZH: "部署钩子"}
	txtDeployHookHint   = t{EN: "Your command, run with sh -c after each switch (CERTWIZ_* values in its environment); empty: none", ZH: "您自己的命令，每次切换后用 sh -c 运行（CERTWIZ_* 值在环境变量中）；留空：不运行"}
	txtHookSuggested    = t{EN: ". Suggested: nginx is on the PATH", ZH: "。建议：PATH 中有 nginx"}
	txtVerifyServer     = t{EN: "Server to check", ZH: "要检查的服务器"}
	txtVerifyHint       = t{EN: "HOST:PORT that must then present it (TLS name %s); several: commas; empty: none", ZH: "随后必须提供新证书的 HOST:PORT（TLS 名称 %s）；多个用逗号分隔；留空：不检查"}
	txtNotServer        = t{EN: "%q is not HOST:PORT: write it as www.example.com:443", ZH: "%q 不是 HOST:PORT：请写成 www.example.com:443"}
	txtRenewBy          = t{EN: "Renewals validate by", ZH: "续期时的域名验证方式"}
	txtRenewByHint      = t{EN: "Each renewal proves the domain again", ZH: "每次续期都要再次验证域名"}
	txtRenewAuto        = t{EN: "DNS_AUTO — the domain's DNS is at Tencent Cloud: nothing to do", ZH: "DNS_AUTO——域名解析在腾讯云：无需操作"}
	txtRenewDNSHooks    = t{EN: "DNS, by my hooks — one adds the record, one removes it", ZH: "DNS，由我的钩子完成——一个添加记录，一个删除记录"}
	txtRenewFileHooks   = t{EN: "FILE, by my hooks — one puts the file on the site, one removes it", ZH: "FILE，由我的钩子完成——一个把文件放到网站上，一个删除它"}
	txtRenewAsk         = t{EN: "Ask me — renew prints the records and waits (exit 6 from the timer)", ZH: "询问我——renew 打印记录并等待（定时器中以 6 退出）"}
	txtPickOne          = t{EN: "type the number of one of the answers", ZH: "请输入其中一个选项的序号"}
	txtFileNoWildcard   = t{EN: "FILE cannot validate a wildcard name: choose DNS", ZH: "FILE 无法验证通配符域名：请选择 DNS"}
	txtAuthHook         = t{EN: "Auth hook", ZH: "验证钩子"}
	txtAuthHookHint     = t{EN: "Run once per record with CERTWIZ_RECORD_NAME, CERTWIZ_RECORD_VALUE, CERTWIZ_FILE_PATH, CERTWIZ_FILE_CONTENT…", ZH: "每条记录运行一次，变量有 CERTWIZ_RECORD_NAME、CERTWIZ_RECORD_VALUE、CERTWIZ_FILE_PATH、CERTWIZ_FILE_CONTENT…"}
	txtAuthHookEmpty    = t{EN: "give the command that puts the record in place", ZH: "请填写设置记录的命令"}
	txtCleanupHook      = t{EN: "Cleanup hook", ZH: "清理钩子"}
	txtCleanupHookHint  = t{EN: "Run with the same values once validated, to remove it; empty: none", ZH: "验证完成后用相同的值运行，删除记录；留空：不运行"}
)
