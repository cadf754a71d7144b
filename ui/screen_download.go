package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/install"
	"github.com/certwiz/certwiz/profiles"
	"github.com/certwiz/certwiz/ui/safe"
	"github.com/certwiz/certwiz/ui/termtext"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// downloadScreen: the certificate is issued; it asks where to put it
// (default ./<domain>), then downloads and unpacks it there. A folder
// that already holds one of the files is refused before anything is
// written, and the folder typed stays for the user to change.
type downloadScreen struct {
	s      *session
	detail api.CertificateDetail
	f      *huh.Form
	dir    string
	back   bool
	busy   bool
	spin   spinner.Model
	width  int
	height int
	room   int    // the form's height: its error must stay in view
	failed string // why the last download into dir did not happen, under the field
	// unasked: the prompt opened by itself (the certificate was issued
	// while the user pressed n to check again): letters typed are meant
	// for the validation screen and are dropped until a key that is not
	// one (enter, backspace, ctrl+u, an arrow) shows the user is here.
	unasked bool
}

type installedMsg struct {
	res install.Installed
	err error
	// notNeeded are the files of the other keys generated here for the
	// certificate, forgotten now that it is on disk with its own;
	// forgetErr says why they could not be.
	notNeeded []string
	forgetErr error
}

func newDownloadPrompt(s *session, d api.CertificateDetail) *downloadScreen {
	return newDownloadAt(s, d, install.DefaultFolder(d.Domain), "")
}

// newDownloadAt asks again after a failure, which takes the hint's place
// under the field (a short terminal keeps the field in view).
func newDownloadAt(s *session, d api.CertificateDetail, dir, failed string) *downloadScreen {
	sc := &downloadScreen{s: s, detail: d, dir: dir, failed: failed, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
	s.onward = s.onwardLine(fmt.Sprintf(txtDownloadLater.In(s.lang), s.commandLine("download", d.CertificateId, "--out", install.OutArg(d.Domain))))
	label := txtSaveIn.In(s.lang)
	hint := txtSaveInHint.In(s.lang)
	if failed != "" {
		hint = ""
	}
	in := huh.NewInput().Title(label).Description(hint).Value(&sc.dir).
		Validate(func(v string) error {
			if !sc.back && strings.TrimSpace(v) == "" {
				return errors.New(txtSaveInEmpty.In(s.lang))
			}
			return nil
		})
	field := &framed{Field: in, label: label, lang: s.lang, back: &sc.back, room: &sc.room}
	sc.f = huh.NewForm(huh.NewGroup(field)).WithShowHelp(false).WithShowErrors(false).WithTheme(theme())
	return sc
}

func (sc *downloadScreen) place() int      { return len(api.Steps) }
func (sc *downloadScreen) stage() t        { return txtStageIssued }
func (sc *downloadScreen) form() *huh.Form { return sc.f }
func (sc *downloadScreen) waiting() bool   { return sc.busy }
func (sc *downloadScreen) Init() tea.Cmd   { return sc.f.Init() }

func (sc *downloadScreen) Resize(w, h int) tea.Cmd {
	below := 0
	if sc.failed != "" {
		below = lipgloss.Height(wrapWords("✗ "+sc.failed, max(w, 10)))
	}
	sc.width, sc.height, sc.room = w, h, max(h-1-below, 3) // the "Issued" title and the failure
	sc.f = sc.f.WithWidth(w).WithHeight(sc.room)
	_, cmd := sc.f.Update(tea.WindowSizeMsg{Width: w, Height: sc.room})
	return cmd
}

func (sc *downloadScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s := sc.s
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if sc.busy {
			return sc, tick(&sc.spin, msg)
		}
		return sc, nil
	case installedMsg:
		sc.busy = false
		if msg.err != nil {
			// The folder stays as typed, the reason right under it.
			return goTo(toDownloadAgain{d: sc.detail, dir: sc.dir, failed: sc.failure(msg.err)}), nil
		}
		s.setStatus("", false)
		if msg.forgetErr != nil {
			s.setStatus(fmt.Sprintf(txtNotForgotten.In(s.lang), msg.forgetErr), true)
		}
		s.exit = api.ExitOK
		s.final = installedSummary(msg.res, s.lang, msg.notNeeded...)
		return goTo(toInstalled{res: msg.res, notNeeded: msg.notNeeded, d: sc.detail}), nil
	case tea.KeyMsg:
		if sc.busy {
			return sc, nil
		}
		if sc.unasked && msg.Type == tea.KeyRunes {
			return sc, nil
		}
		sc.unasked = false
		if key.Matches(msg, keyEsc) {
			s.saveQuietly()
			s.finalErr = s.onward
			return sc, quit
		}
	}
	f, cmd := sc.f.Update(msg)
	sc.f = f.(*huh.Form)
	if sc.f.State != huh.StateCompleted {
		return sc, cmd
	}
	sc.busy = true
	client, id, dir, lang := s.opts.Client, sc.detail.CertificateId, expandHome(strings.TrimSpace(sc.dir)), s.lang
	keys := func() ([]install.KnownKey, error) { return s.keysFor(id) }
	names := sc.detail.Names()
	store, now := s.opts.Store, s.opts.Now()
	return sc, tea.Batch(sc.spin.Tick, func() tea.Msg {
		res, err := install.InstallCertificate(context.Background(), client, id, dir, func() ([]string, error) { return names, nil }, keys, lang)
		msg := installedMsg{res: res, err: err}
		if err == nil {
			msg.notNeeded, msg.forgetErr = forgetOthers(store, id, res.Key, now)
		}
		return msg
	})
}

// forgetOthers forgets, once the certificate is on disk and its key
// found, the keys generated here for it before that one (as certwiz
// download does: profiles.Store.ForgetDownloadedKeys), and returns the
// files of those still there: no longer needed, for the user to delete.
func forgetOthers(store *profiles.Store, id string, k install.KeyCheck, now time.Time) ([]string, error) {
	if store == nil {
		return nil, nil
	}
	keep, found := k.Found()
	return store.ForgetDownloadedKeys(id, keep, found, now)
}

// failure says why the download into the folder did not happen.
func (sc *downloadScreen) failure(err error) string {
	s := sc.s
	var exists *install.ExistsError
	switch {
	case errors.As(err, &exists):
		return fmt.Sprintf(txtFolderHolds.In(s.lang), len(exists.Paths), safe.Text(filepath.Base(exists.Paths[0])))
	case errors.Is(err, install.ErrNotFolder):
		return txtNotAFolder.In(s.lang)
	case outcome(err) != nil:
		return errorTitle(s, err)
	}
	return safe.Text(err.Error())
}

func (sc *downloadScreen) View() string {
	s := sc.s
	head := goodStyle.Bold(true).Render("✓ "+fmt.Sprintf(txtIssued.In(s.lang), safe.Text(sc.detail.Domain))) + "\n"
	if sc.busy {
		return head + "\n" + sc.spin.View() + " " + fmt.Sprintf(txtDownloading.In(s.lang), safe.Text(sc.dir))
	}
	if sc.failed != "" {
		return head + sc.f.View() + "\n" + badStyle.Render(wrapWords("✗ "+sc.failed, max(sc.width, 10)))
	}
	return head + sc.f.View()
}

func (sc *downloadScreen) Keys() []key.Binding {
	if sc.busy {
		return nil
	}
	return []key.Binding{bind(sc.s.lang, txtKeyDownload, "enter", "enter"), bind(sc.s.lang, txtKeyLater, "esc", "esc")}
}

// installedScreen is the end of the road: the files, the names, the dates
// and what to do next — with the offer to install the certificate here
// and renew it automatically, when it has its key.
type installedScreen struct {
	s         *session
	res       install.Installed
	notNeeded []string // the other keys generated here for it, forgotten
	d         api.CertificateDetail
	p         pane
	choice    string
}

func newInstalled(s *session, res install.Installed, notNeeded []string, d api.CertificateDetail) *installedScreen {
	sc := &installedScreen{s: s, res: res, notNeeded: notNeeded, d: d, choice: "install"}
	s.done = true
	var menu *picker
	if offersInstall(s, res) {
		opts := []pickOption{{txtInstallHere.In(s.lang), "install"}, {txtDone.In(s.lang), "quit"}}
		menu = newMenu(s.lang, "", opts, &sc.choice)
	}
	sc.p = newPane(sc.card, menu)
	return sc
}

func (sc *installedScreen) place() int              { return len(api.Steps) }
func (sc *installedScreen) stage() t                { return txtStageIssued }
func (sc *installedScreen) Init() tea.Cmd           { return nil }
func (sc *installedScreen) Resize(w, h int) tea.Cmd { sc.p.resize(w, h); return nil }
func (sc *installedScreen) View() string            { return sc.p.view() }

func (sc *installedScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return sc, nil
	}
	switch k.String() {
	case "q", "esc":
		sc.s.saveQuietly()
		return sc, quit
	case "enter":
		if sc.p.menu == nil {
			sc.s.saveQuietly()
			return sc, quit
		}
	}
	switch sc.p.key(k, sc.s.lang) {
	case "install":
		return goTo(toInstallForm{sc.s.installAnswers(sc.d, sc.res)}), nil
	case "quit":
		sc.s.saveQuietly()
		return sc, quit
	}
	return sc, nil
}

func (sc *installedScreen) Keys() []key.Binding {
	var keys []key.Binding
	if sc.p.menu != nil {
		keys = sc.p.menu.KeyBinds() // q quits too; "Done" says so
	} else {
		keys = []key.Binding{bind(sc.s.lang, txtKeyQuitOnly, "enter", "enter", "q")}
	}
	keys = append(keys, scrollKeys(sc.s.lang))
	if sc.p.wide() {
		keys = append(keys, bind(sc.s.lang, txtKeySideways, "←/→", "left", "right"))
	}
	return keys
}

func (sc *installedScreen) card(width int) string {
	s, r := sc.s, sc.res
	w := width - 4
	c := colon(s.lang)
	lines := []string{
		goodStyle.Bold(true).Render("✓ " + txtOnDisk.In(s.lang)),
		"",
		labelStyle.Render(txtFolder.In(s.lang) + c),
		// Paths and config lines are copied: whole, never wrapped inside.
		"  " + safe.Text(r.Dir),
	}
	// Each server's folder once, its files under it: short lines that a
	// narrow card still tells apart.
	shown := ""
	for _, f := range r.Files {
		rel, err := filepath.Rel(r.Dir, f)
		if err != nil {
			rel = f
		}
		dir, file := filepath.Split(rel)
		if dir == "" {
			lines = append(lines, "  "+safe.Text(file))
			continue
		}
		if dir != shown {
			lines, shown = append(lines, "  "+safe.Text(dir)), dir
		}
		lines = append(lines, "    "+safe.Text(file))
	}
	lines = append(lines,
		"",
		wrapStyled(labelStyle.Render(txtNames.In(s.lang)+c)+safe.Text(strings.Join(r.Info.DNSNames, ", ")), w),
		wrapStyled(labelStyle.Render(txtValid.In(s.lang)+c)+fmt.Sprintf(txtValidRange.In(s.lang), day(r.Info.NotBefore), day(r.Info.NotAfter)), w),
		wrapStyled(labelStyle.Render(txtKey.In(s.lang)+c)+keyWords(r, s.lang), w),
	)
	if head, paths := termtext.NotNeeded(sc.notNeeded, s.lang); head != "" {
		lines = append(append(lines, "", warnStyle.Render(wrapWords(head, w))), paths...)
	}
	// The card is as wide as its widest whole line (a long folder), at
	// least the pane; lipgloss would wrap anything wider.
	inner := width - 2
	for _, l := range lines {
		inner = max(inner, lipgloss.Width(l)+2) // the width holds the padding; the border is outside
	}
	card := cardStyle.Width(inner).Render(strings.Join(lines, "\n"))
	// What to do next sits under the card: the nginx lines are copied
	// whole, so they may be wider than the pane (←/→ show the rest)
	// without cutting the card's border.
	next := []string{"", titleStyle.Render(txtNext.In(s.lang))}
	if cert, key := nginxFiles(r, s.lang); cert != "" {
		next = append(next, wrapWords(txtInstallNginx.In(s.lang), width),
			"  ssl_certificate "+safe.Text(cert)+";", "  ssl_certificate_key "+safe.Text(key)+";")
		if r.Key.Encrypted {
			next = append(next, "  ssl_password_file "+txtPassFile.In(s.lang)+";", wrapWords(txtPassFileWhy.In(s.lang), width))
		}
	}
	renew := install.RenewBy(r.Info.NotAfter)
	next = append(next, wrapWords(fmt.Sprintf(txtRenewBefore.In(s.lang), day(r.Info.NotAfter), day(renew)), width))
	return card + strings.Join(next, "\n")
}

func day(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// nginxFiles are the certificate and key an nginx server block names: the
// files certwiz made, and a key only when it is not one certwiz has just
// said does not match ("<your key>" then, as when there is none).
func nginxFiles(r install.Installed, lang string) (cert, key string) {
	cert, key = r.ServerFiles("nginx")
	if cert == "" {
		return "", ""
	}
	if r.Key.Matches != nil && !*r.Key.Matches {
		return cert, txtYourKey.In(lang)
	}
	return cert, firstNonEmpty(key, r.Key.Path, txtYourKey.In(lang))
}

// keyWords says which private key goes with the certificate and whether
// it matches.
func keyWords(r install.Installed, lang string) string {
	text, style := keyState(r, lang)
	return style.Render(text)
}

// keyState is keyWords' sentence and the style it is shown in.
func keyState(r install.Installed, lang string) (string, lipgloss.Style) {
	k := r.Key
	switch {
	case k.Matches != nil && *k.Matches && k.Tencent:
		return "✓ " + fmt.Sprintf(txtKeyInFolder.In(lang), safe.Text(k.Path)), goodStyle
	case k.Matches != nil && *k.Matches:
		return "✓ " + fmt.Sprintf(txtKeyMatches.In(lang), safe.Text(k.Path)), goodStyle
	case k.Matches != nil && k.Tencent:
		return "✗ " + fmt.Sprintf(txtTencentKeyBad.In(lang), safe.Text(k.Path)), badStyle
	case k.Matches != nil && k.Path == "":
		return "✗ " + fmt.Sprintf(txtKeyNoneMatches.In(lang), safe.Text(k.TriedList())), badStyle
	case k.Matches != nil:
		return "✗ " + fmt.Sprintf(txtKeyMismatch.In(lang), safe.Text(k.Path)), badStyle
	case k.Path != "":
		return fmt.Sprintf(txtKeyUnchecked.In(lang), safe.Text(k.Path), safe.Text(k.Why)), warnStyle
	case k.Why != "":
		return safe.Text(k.Why), warnStyle
	}
	return txtKeyYours.In(lang), lipgloss.NewStyle()
}

// installedSummary is what the wizard prints when it ends, in the user's
// language, for the terminal's scrollback: the files, the dates, the key,
// the keys no longer needed and the lines to put in nginx — what the final
// card said, unstyled.
func installedSummary(r install.Installed, lang string, notNeeded ...string) string {
	var b strings.Builder
	c := colon(lang)
	fmt.Fprintf(&b, "%s%s%s\n%s%s%s\n", txtCertificate.In(lang), c, safe.Text(r.CertificateId), txtFolder.In(lang), c, safe.Text(r.Dir))
	for _, f := range r.Files {
		fmt.Fprintf(&b, "  %s\n", safe.Text(f))
	}
	fmt.Fprintf(&b, "%s%s%s\n", txtNames.In(lang), c, safe.Text(strings.Join(r.Info.DNSNames, ", ")))
	fmt.Fprintf(&b, "%s%s%s\n", txtValid.In(lang), c, fmt.Sprintf(txtValidRange.In(lang), day(r.Info.NotBefore), day(r.Info.NotAfter)))
	key, _ := keyState(r, lang)
	fmt.Fprintf(&b, "%s%s%s\n", txtKey.In(lang), c, key)
	if head, paths := termtext.NotNeeded(notNeeded, lang); head != "" {
		fmt.Fprintf(&b, "%s\n%s\n", head, strings.Join(paths, "\n"))
	}
	if cert, key := nginxFiles(r, lang); cert != "" {
		fmt.Fprintf(&b, "%s\n  ssl_certificate %s;\n  ssl_certificate_key %s;\n", txtInstallNginx.In(lang), safe.Text(cert), safe.Text(key))
		if r.Key.Encrypted {
			fmt.Fprintf(&b, "  ssl_password_file %s;\n%s\n", txtPassFile.In(lang), txtPassFileWhy.In(lang))
		}
	}
	fmt.Fprintf(&b, "%s\n", fmt.Sprintf(txtRenewBefore.In(lang), day(r.Info.NotAfter), day(install.RenewBy(r.Info.NotAfter))))
	return b.String()
}
