package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/api/tlsverify/tlstest"
)

// These tests drive the real binary in a real terminal: tmux, 100×30.

// tmuxServer is this test binary's own tmux server (-L): the sessions
// here are out of reach of any other tmux on the machine — a person's
// kill-server, another test run — and theirs out of reach of ours.
var tmuxServer = fmt.Sprintf("certwiz-test-%d", os.Getpid())

// tmux is a tmux command on the test binary's own server.
func tmux(args ...string) *exec.Cmd {
	return exec.Command("tmux", append([]string{"-L", tmuxServer}, args...)...)
}

type term struct {
	t       *testing.T
	session string
}

func newTerm(t *testing.T, home, command string) *term {
	t.Helper()
	return newTermSized(t, home, command, 100, 30)
}

func newTermSized(t *testing.T, home, command string, width, height int) *term {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is required for the terminal tests (.ci/run installs it)")
	}
	s := fmt.Sprintf("certwiz-%d-%d", os.Getpid(), time.Now().UnixNano())
	script := fmt.Sprintf("cd %s && %s; echo EXIT=$?; sleep 60", home, command)
	if out, err := tmux("-u", "new-session", "-d", "-s", s, "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), script).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	tt := &term{t: t, session: s}
	t.Cleanup(func() {
		// Closing the session hangs up the wizard, which saves its draft:
		// wait for it to exit before the test's folders are removed.
		out, _ := tmux("display-message", "-p", "-t", s, "#{pane_pid}").Output()
		pids := strings.Fields(string(out))
		if len(pids) == 1 {
			kids, _ := exec.Command("pgrep", "-P", pids[0]).Output()
			pids = append(pids, strings.Fields(string(kids))...)
		}
		tmux("kill-session", "-t", s).Run()
		deadline := time.Now().Add(5 * time.Second)
		for _, p := range pids {
			pid, _ := strconv.Atoi(p)
			for pid > 0 && syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
		}
	})
	return tt
}

func (tt *term) screen() string {
	out, _ := tmux("capture-pane", "-p", "-t", tt.session).Output()
	return string(out)
}

// wait polls the screen until it shows text.
func (tt *term) wait(text string) string {
	tt.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := tt.screen()
		if strings.Contains(s, text) {
			return s
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("the screen never showed %q; it shows:\n%s", text, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// keys types like a person: named keys (Enter, Escape, Down…) or literal text.
func (tt *term) keys(keys ...string) {
	for _, k := range keys {
		args := []string{"send-keys", "-t", tt.session}
		switch k {
		case "Enter", "Escape", "Down", "Up", "PageDown", "BTab", "C-c", "C-u":
			args = append(args, k)
		default:
			args = append(args, "-l", k)
		}
		tmux(args...).Run()
		time.Sleep(120 * time.Millisecond)
	}
}

// untilIssued checks again (n) on the validation screen every 2s until
// the certificate is issued and its folder asked, for at most 40s.
func (tt *term) untilIssued() {
	tt.t.Helper()
	deadline := time.Now().Add(40 * time.Second)
	for !strings.Contains(tt.screen(), "Save the certificate in") {
		if time.Now().After(deadline) {
			tt.t.Fatalf("not issued within 40s:\n%s", tt.screen())
		}
		time.Sleep(2 * time.Second)
		tt.keys("n")
	}
}

// fillOrganizationAndPeople types the Organization, Administrator and
// Contact steps (the contact being the administrator).
func (tt *term) fillOrganizationAndPeople(postalCode string) {
	tt.t.Helper()
	tt.wait("Company name")
	tt.keys("Example Technology Co., Ltd.", "Enter", "IT Department", "Enter", "1 Keji Road", "Enter", "Enter",
		"Guangdong", "Enter", "Shenzhen", "Enter")
	if postalCode != "" {
		tt.keys(postalCode)
	}
	tt.keys("Enter", "0755", "Enter", "86013388", "Enter")
	tt.wait("Given name")
	tt.keys("Lei", "Enter", "Li", "Enter", "12345678901", "Enter", "admin@example.com", "Enter", "IT Manager", "Enter")
	tt.wait("same person")
	tt.keys("Enter")
}

func wizardEnv(home, endpoint string) string {
	return fmt.Sprintf("env -i PATH=%q HOME=%s LANG=en_US.UTF-8 TERM=xterm-256color TENCENTCLOUD_SECRET_ID=%s TENCENTCLOUD_SECRET_KEY=%s %s --endpoint %s",
		os.Getenv("PATH"), home, sandbox.DemoSecretID, sandbox.DemoSecretKey, binary, endpoint)
}

func TestTmuxNewcomerWalk(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	home := t.TempDir()
	tt := newTerm(t, home, wizardEnv(home, srv.URL))
	s := tt.wait("New submission")
	if !strings.Contains(s, srv.URL) || !strings.Contains(s, "SecretId ****DEMO") {
		t.Fatalf("the start screen does not say where and with which key:\n%s", s)
	}
	tt.keys("Enter")
	// The certificate comes from the account's list: no ID is typed.
	tt.wait("Which certificate?")
	for i := 0; !strings.Contains(tt.screen(), "> abcb1234"); i++ {
		if i > 10 {
			t.Fatalf("abcb1234 is not in the list:\n%s", tt.screen())
		}
		tt.keys("Down")
	}
	tt.keys("Enter")
	tt.wait("CSR mode")
	tt.keys("Enter")
	tt.wait("Private key password")
	tt.keys("Enter")
	s = tt.wait("Common name")
	if !strings.Contains(s, "www.example.com") {
		t.Fatalf("the order's domain is not pre-filled:\n%s", s)
	}
	tt.keys("Enter", "Enter") // the domain and other names the order holds
	tt.wait("Save this draft as")
	tt.keys("Enter")
	tt.fillOrganizationAndPeople("518000")
	tt.wait("Domain validation")
	tt.keys("Down", "Down", "Enter") // DNS: no method is preselected
	review := tt.wait("Export as JSON")
	for range 3 { // scroll through the whole review, keeping what it showed
		tt.keys("PageDown")
		review += tt.screen()
	}
	tt.keys("Enter")
	result := tt.wait("RequestId")
	subs := sb.Submissions()
	if len(subs) != 1 {
		t.Fatalf("%d submissions", len(subs))
	}
	if !strings.Contains(result, subs[0].RequestId) || !strings.Contains(result, "abcb1234") {
		t.Fatalf("result card:\n%s", result)
	}
	for name, v := range subs[0].Params {
		want := fmt.Sprint(v)
		switch name {
		case "DomainList":
			want = strings.Join(strings.Fields(strings.Trim(want, "[]")), ", ")
		case "OrganizationCountry":
			want = "CN — China"
		case "IsDV":
			want = "Yes — a DV"
		}
		if !strings.Contains(review, want) {
			t.Errorf("sent %s=%q, which the review screen did not show", name, want)
		}
	}
	if len(subs[0].Params) != 25 { // all 27 but CsrContent and KeyPassword
		t.Errorf("sent %d parameters, want 25: %v", len(subs[0].Params), subs[0].Params)
	}
	if st, _ := sb.Certificate("abcb1234"); st.Status != 5 || !strings.Contains(result, "not with the CA yet") {
		t.Fatalf("before the commit the sandbox holds %+v and the card says:\n%s", st, result)
	}
	tt.keys("Enter") // Send to the CA now
	tt.wait("cannot be undone")
	tt.keys("Down", "Enter")
	tt.wait("With the CA")
	// The validation screen: the records, and no look-up of a sandbox's
	// made-up names beyond this machine (the endpoint is on loopback and no
	// DNS server was named).
	card := tt.wait("could not check: the endpoint is on this machine")
	st, _ := sb.Certificate("abcb1234")
	if st.Status != 0 || st.StatusMsg != "PENDING-DCV" || st.SubmittedData["AdminEmail"] != "admin@example.com" || !strings.Contains(card, st.OrderId) ||
		!strings.Contains(card, "_dnsauth.www.example.com.") {
		t.Fatalf("sandbox %+v, card:\n%s", st, card)
	}
	tt.keys("q")
	end := tt.wait("EXIT=0")
	if !strings.Contains(strings.ReplaceAll(end, "\n", ""), "status abcb1234 --watch") {
		t.Fatalf("leaving does not say how to watch on:\n%s", end)
	}
	if !strings.Contains(end, "RequestId: "+subs[0].RequestId) || !strings.Contains(end, "OrderId: "+st.OrderId) {
		t.Fatalf("the result is not left on the terminal:\n%s", end)
	}
}

// Interrupted half-way (ctrl+c or SIGTERM), the next run offers to continue
// and every typed value is still there.
func TestTmuxInterruptedThenResumed(t *testing.T) {
	srv := httptest.NewServer(sandbox.New(sandbox.Options{}))
	defer srv.Close()
	for _, how := range []string{"ctrl+c", "SIGTERM"} {
		t.Run(how, func(t *testing.T) {
			home := t.TempDir()
			pidFile := filepath.Join(home, "pid")
			cmd := fmt.Sprintf("sh -c 'echo $$ > %s; exec %s'", pidFile, wizardEnv(home, srv.URL))
			tt := newTerm(t, home, cmd)
			tt.wait("New submission")
			tt.keys("Enter")
			tt.wait("Which certificate?")
			tt.keys("demo0301", "Enter") // not in the list: typed, then checked
			tt.wait("CSR mode")
			tt.keys("Enter", "Enter")
			tt.wait("Common name")
			tt.keys("shop.example.com")
			tt.wait("shop.example.com")
			if how == "ctrl+c" {
				tt.keys("C-c")
			} else {
				data, _ := os.ReadFile(pidFile)
				var pid int
				fmt.Sscan(string(data), &pid)
				if pid == 0 || syscall.Kill(pid, syscall.SIGTERM) != nil {
					t.Fatalf("cannot signal the wizard (pid %q)", data)
				}
			}
			end := tt.wait("EXIT=130")
			// The resume command keeps --endpoint; it may wrap on screen.
			if !strings.Contains(strings.ReplaceAll(end, "\n", ""), "Resume with:  certwiz --endpoint "+srv.URL+" --profile cert-demo0301") {
				t.Fatalf("exit screen:\n%s", end)
			}
			again := newTerm(t, home, wizardEnv(home, srv.URL))
			again.wait("cert-demo0301 (3/7 steps done)")
			again.keys("Down", "Enter") // the profile, then continue it
			again.wait("Continue cert-demo0301")
			again.keys("Enter")
			again.wait("Company name")
			again.keys("Escape")
			s := again.wait("Common name")
			if !strings.Contains(s, "shop.example.com") {
				t.Fatalf("the typed domain is gone:\n%s", s)
			}
		})
	}
}

func TestTmuxDeleteAsksOnATerminal(t *testing.T) {
	home := t.TempDir()
	env := fmt.Sprintf("env -i PATH=%q HOME=%s LANG=en_US.UTF-8 TERM=xterm-256color %s", os.Getenv("PATH"), home, binary)
	if out, err := exec.Command("sh", "-c", env+" profiles import "+filepath.Join(mustWd(t), "example.json")+" --name acme").CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	tt := newTerm(t, home, env+" profiles delete acme")
	tt.wait("Delete profile acme")
	tt.keys("n", "Enter")
	tt.wait("Kept.")
	tt.wait("EXIT=0")
	if _, err := os.Stat(filepath.Join(home, ".config", "certwiz", "profiles", "acme.yaml")); err != nil {
		t.Fatal("the profile was deleted after answering no")
	}
	tt = newTerm(t, home, env+" profiles delete acme")
	tt.wait("Delete profile acme")
	tt.keys("y", "Enter")
	tt.wait("Deleted profile acme.")
	if _, err := os.Stat(filepath.Join(home, ".config", "certwiz", "profiles", "acme.yaml")); err == nil {
		t.Fatal("the profile is still there")
	}
}

func mustWd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// A newcomer generates the key here: the CSR the sandbox receives is the
// one written beside the key, and the key never left the machine.
func TestTmuxGenerateHere(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	home := t.TempDir()
	tt := newTerm(t, home, wizardEnv(home, srv.URL))
	tt.wait("New submission")
	tt.keys("Enter")
	tt.wait("Which certificate?")
	tt.keys("demo0302", "Enter")
	tt.wait("CSR mode")
	tt.keys("Down", "Down", "Enter")
	tt.wait("Key type")
	tt.keys("Enter", filepath.Join(home, "shop.key"), "Enter", "Enter")
	tt.wait("Common name")
	tt.keys("shop.example.com", "Enter", "img.example.com", "Enter")
	tt.wait("Save this draft as")
	tt.keys("Enter")
	tt.fillOrganizationAndPeople("")
	tt.wait("Domain validation")
	tt.keys("Down", "Enter") // DNS_AUTO: no method is preselected
	review := tt.wait("Export as JSON")
	if !strings.Contains(review, "Private key written to "+filepath.Join(home, "shop.key")) {
		t.Fatalf("review does not say where the key went:\n%s", review)
	}
	tt.keys("Enter")
	result := tt.wait("RequestId")
	if !strings.Contains(result, "cannot recover it") {
		t.Fatalf("the result card does not remind where the key is:\n%s", result)
	}
	sent := sb.Submissions()[0]
	csrPEM, err := os.ReadFile(filepath.Join(home, "shop.csr"))
	if err != nil {
		t.Fatal(err)
	}
	if sent.Params["CsrType"] != "parse" || sent.Params["CsrContent"] != strings.TrimSpace(string(csrPEM)) {
		t.Fatalf("sent CsrType %v and a CSR other than shop.csr", sent.Params["CsrType"])
	}
	keyPEM, _ := os.ReadFile(filepath.Join(home, "shop.key"))
	if strings.Contains(string(sent.Body), strings.TrimSpace(strings.Split(string(keyPEM), "\n")[1])) {
		t.Fatal("key material was sent")
	}
	if fi, _ := os.Stat(filepath.Join(home, "shop.key")); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %o", fi.Mode().Perm())
	}
	out, err := exec.Command("openssl", "req", "-in", filepath.Join(home, "shop.csr"), "-noout", "-verify", "-text").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "verify OK") || !strings.Contains(string(out), "DNS:img.example.com") {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
}

// A batch on a terminal shows a progress bar; ctrl+c stops it, and a rerun
// with --resume sends the rest: every row exactly once in total.
func TestTmuxBatchCtrlCThenResume(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	home := t.TempDir()
	var csv strings.Builder
	csv.WriteString("CertificateId,CertificateDomain\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&csv, "demo%04d,s%d.example.com\n", 2000+i, i)
	}
	os.WriteFile(filepath.Join(home, "certs.csv"), []byte(csv.String()), 0o600)
	base := fmt.Sprintf("env -i PATH=%q HOME=%s LANG=en_US.UTF-8 TERM=xterm-256color TENCENTCLOUD_SECRET_ID=%s TENCENTCLOUD_SECRET_KEY=%s %s",
		os.Getenv("PATH"), home, sandbox.DemoSecretID, sandbox.DemoSecretKey, binary)
	args := fmt.Sprintf(" submit --input %s --batch certs.csv --endpoint %s --rate 10", filepath.Join(mustWd(t), "example.json"), srv.URL)
	tt := newTerm(t, home, base+args)
	tt.wait("ctrl+c stops after the requests in flight")
	tt.wait("ETA")
	time.Sleep(time.Second)
	tt.keys("C-c")
	end := tt.wait("EXIT=130")
	if !strings.Contains(end, "Rerun with") {
		t.Fatalf("the interrupted batch does not say what to do:\n%s", end)
	}
	first := len(sb.Submissions())
	if first == 0 || first >= 40 {
		t.Fatalf("%d rows sent before ctrl+c", first)
	}
	if out, err := exec.Command("sh", "-c", "cd "+home+" && "+base+args+" --resume").CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	count := map[string]int{}
	for _, s := range sb.Submissions() {
		count[s.Params["CertificateId"].(string)]++
	}
	for id, n := range count {
		if n != 1 {
			t.Fatalf("%s sent %d times", id, n)
		}
	}
	if len(count) != 40 {
		t.Fatalf("%d rows sent in total, want 40", len(count))
	}
}

// The whole walk typed in one burst, as a script or a paste would: every
// value still lands in its own field.
func TestTmuxBurstOfKeys(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	home := t.TempDir()
	tt := newTerm(t, home, wizardEnv(home, srv.URL))
	tt.wait("New submission")
	args := []string{"send-keys", "-t", tt.session, "Enter", "demo0303", "Enter", "Enter", "Enter", "www.example.com", "Enter", "example.com", "Enter", "Enter",
		"Example Technology Co., Ltd.", "Enter", "IT Department", "Enter", "1 Keji Road", "Enter", "Enter", "Guangdong", "Enter", "Shenzhen", "Enter",
		"518000", "Enter", "0755", "Enter", "86013388", "Enter", "Lei", "Enter", "Li", "Enter", "12345678901", "Enter", "admin@example.com", "Enter",
		"IT Manager", "Enter", "Enter", "Down", "Down", "Enter", "Enter"}
	if out, err := tmux(args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	tt.wait("RequestId")
	p := sb.Submissions()[0].Params
	for k, v := range map[string]string{"CertificateId": "demo0303", "CertificateDomain": "www.example.com", "OrganizationName": "Example Technology Co., Ltd.",
		"OrganizationDivision": "IT Department", "OrganizationAddress": "1 Keji Road", "OrganizationRegion": "Guangdong", "OrganizationCity": "Shenzhen",
		"PostalCode": "518000", "PhoneAreaCode": "0755", "PhoneNumber": "86013388", "AdminFirstName": "Lei", "AdminLastName": "Li",
		"AdminPhoneNum": "12345678901", "AdminEmail": "admin@example.com", "AdminPosition": "IT Manager", "ContactEmail": "admin@example.com", "VerifyType": "DNS"} {
		if p[k] != v {
			t.Errorf("%s = %v, want %q", k, p[k], v)
		}
	}
}

// The newcomer walk at every size the wizard promises, in English and in
// Chinese (from LANG): sandbox, every step, review, submit, result.
func TestTmuxWalkEverySizeAndLanguage(t *testing.T) {
	label := func(name, lang string) string {
		f, ok := api.Lookup(name)
		if !ok {
			t.Fatalf("no field %s", name)
		}
		return f.Label.In(lang)
	}
	ui := map[string]map[string]string{
		api.English: {"new": "New submission", "which": "Which certificate?", "stored": "Information stored", "saveAs": "Save this draft as", "same": "same person", "export": "Export as JSON"},
		api.Chinese: {"new": "新建提交", "which": "哪一张证书", "stored": "资料已保存到腾讯云", "saveAs": "将草稿保存为", "same": "同一人", "export": "导出为 JSON"},
	}
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	n := 0
	for _, lang := range []string{api.English, api.Chinese} {
		for _, size := range [][2]int{{100, 30}, {80, 24}, {40, 12}} {
			n++
			id := fmt.Sprintf("demo%04d", 100+n)
			t.Run(fmt.Sprintf("%s-%dx%d", lang, size[0], size[1]), func(t *testing.T) {
				home := t.TempDir()
				env := strings.Replace(wizardEnv(home, srv.URL), "LANG=en_US.UTF-8", "LANG="+strings.ReplaceAll(lang, "-", "_")+".UTF-8", 1)
				tt := newTermSized(t, home, env, size[0], size[1])
				field := func(name string) { tt.wait("┃ " + label(name, lang)) }
				tt.wait(ui[lang]["new"])
				tt.keys("Enter")
				tt.wait(ui[lang]["which"])
				tt.keys(id, "Enter")
				field("CsrType")
				tt.keys("Enter")
				field("KeyPassword")
				tt.keys("Enter")
				field("CertificateDomain")
				tt.keys("www.example.com", "Enter", "example.com", "Enter")
				tt.wait(ui[lang]["saveAs"])
				tt.keys("Enter")
				field("OrganizationName")
				tt.keys("Example Technology Co., Ltd.", "Enter", "IT Department", "Enter", "1 Keji Road", "Enter", "Enter",
					"Guangdong", "Enter", "Shenzhen", "Enter", "518000", "Enter", "0755", "Enter", "86013388", "Enter")
				field("AdminFirstName")
				tt.keys("Lei", "Enter", "Li", "Enter", "12345678901", "Enter", "admin@example.com", "Enter", "IT Manager", "Enter")
				tt.wait(ui[lang]["same"])
				tt.keys("Enter")
				field("VerifyType")
				tt.keys("Down", "Down", "Enter") // DNS: no method is preselected
				tt.wait(ui[lang]["export"])
				tt.keys("Enter")
				tt.wait(ui[lang]["stored"])
				var sent map[string]any
				for _, s := range sb.Submissions() {
					if s.Params["CertificateId"] == id {
						sent = s.Params
					}
				}
				want := map[string]string{"CertificateDomain": "www.example.com", "OrganizationName": "Example Technology Co., Ltd.",
					"OrganizationCountry": "CN", "OrganizationCity": "Shenzhen", "PostalCode": "518000", "AdminPhoneNum": "12345678901",
					"AdminEmail": "admin@example.com", "ContactEmail": "admin@example.com", "ContactFirstName": "Lei", "VerifyType": "DNS", "CsrType": "online"}
				for k, v := range want {
					if fmt.Sprint(sent[k]) != v {
						t.Errorf("%s = %v, want %q", k, sent[k], v)
					}
				}
				if len(sent) != 25 { // IsDV from the account, and 24 typed
					t.Errorf("sent %d parameters, want 25: %v", len(sent), sent)
				}
				tt.keys("Down", "Enter") // send it to the CA later
				end := tt.wait("EXIT=0")
				if !strings.Contains(end, "CertificateId: "+id) || !strings.Contains(strings.ReplaceAll(end, "\n", ""), "commit "+id) {
					t.Fatalf("the result is not left on the terminal:\n%s", end)
				}
			})
		}
	}
}

// A hostile endpoint's escape sequences reach the terminal as text: the
// pane's title is not renamed and the screen is not cleared.
func TestTmuxHostileAnswerLeavesTheTerminalAlone(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"Response":{"Error":{"Code":"FailedOperation.InvalidParam","Message":"\u001b]0;pwned\u0007\u001b[2Jgone\r\nSubmitted certificate abcb1234"},"RequestId":"r-1"}}`)
	}))
	defer srv.Close()
	home := t.TempDir()
	cmd := fmt.Sprintf("env -i PATH=%q HOME=%s LANG=en_US.UTF-8 TERM=xterm-256color TENCENTCLOUD_SECRET_ID=%s TENCENTCLOUD_SECRET_KEY=%s %s submit --input %s --endpoint %s",
		os.Getenv("PATH"), home, sandbox.DemoSecretID, sandbox.DemoSecretKey, binary, filepath.Join(mustWd(t), "example.json"), srv.URL)
	tt := newTerm(t, home, "printf 'before\\n'; "+cmd)
	s := tt.wait("EXIT=3")
	title, _ := tmux("display-message", "-p", "-t", tt.session, "#{pane_title}").Output()
	if strings.Contains(string(title), "pwned") || !strings.Contains(s, "before") || !strings.Contains(s, `\x1b]0;pwned\x07\x1b[2Jgone\x0d\x0aSubmitted`) {
		t.Fatalf("title %q, screen:\n%s", title, s)
	}
}

// The whole road in one run of `certwiz --sandbox`, as a newcomer takes it:
// the key generated here, submit, send to the CA, the validation screen
// (c copies the record's value into tmux's paste buffer through OSC 52),
// the sandbox publishing the record after its delay, the CA asked and the
// certificate issued, downloaded into the folder typed. openssl then
// finds the certificate's public key equal to the key file's, and no file
// or screen holds a private key but the key file.
func TestTmuxWholeRoadInTheSandbox(t *testing.T) {
	home := t.TempDir()
	cmd := fmt.Sprintf("env -i PATH=%q HOME=%s LANG=en_US.UTF-8 TERM=xterm-256color %s --sandbox --sandbox-delay 3s", os.Getenv("PATH"), home, binary)
	tt := newTerm(t, home, cmd)
	tmux("set-option", "-t", tt.session, "set-clipboard", "on").Run()
	tt.wait("New submission")
	tt.keys("Enter")
	tt.wait("Which certificate?")
	tt.keys("demo0777", "Enter")
	tt.wait("CSR mode")
	tt.keys("Down", "Down", "Enter")
	tt.wait("Key type")
	key := filepath.Join(home, "road.key")
	tt.keys("Enter", key, "Enter", "Enter")
	tt.wait("Common name")
	tt.keys("road.example.com", "Enter", "Enter")
	tt.wait("Save this draft as")
	tt.keys("Enter")
	tt.fillOrganizationAndPeople("518000")
	tt.wait("Domain validation")
	tt.keys("Down", "Down", "Enter") // DNS: no method is preselected
	tt.wait("Export as JSON")
	tt.keys("Enter")
	tt.wait("Information stored")
	tt.keys("Enter")
	tt.wait("cannot be undone")
	tt.keys("Down", "Enter")
	s := tt.wait("_dnsauth.road.example.com.")
	if !strings.Contains(s, "not found yet") || !strings.Contains(s, "Validate by") {
		t.Fatalf("before the delay the record should be missing:\n%s", s)
	}
	tt.keys("Down", "Down", "Down", "c") // the value
	tt.wait("(OSC 52): Value")
	buf, _ := tmux("show-buffer").Output()
	if len(strings.TrimSpace(string(buf))) < 16 || !strings.Contains(s, strings.TrimSpace(string(buf))) {
		t.Fatalf("tmux's buffer holds %q, not the record's value shown:\n%s", buf, s)
	}
	// The record appears after the sandbox's 3s; "check now" (n) finds it,
	// asks the CA, and a later check sees the certificate issued.
	tt.untilIssued()
	out := filepath.Join(home, "certs")
	tt.keys("C-u", out, "Enter")
	card := tt.wait("The certificate is on disk")
	if !strings.Contains(card, "matches the certificate") || !strings.Contains(card, key) {
		t.Fatalf("the final card does not check the key generated here:\n%s", card)
	}
	crt := filepath.Join(out, "road.example.com_nginx", "road.example.com_bundle.crt")
	certPub, err := exec.Command("openssl", "x509", "-in", crt, "-noout", "-pubkey").Output()
	if err != nil {
		t.Fatalf("openssl x509 %s: %v", crt, err)
	}
	keyPub, err := exec.Command("openssl", "pkey", "-in", key, "-pubout").Output()
	if err != nil || string(certPub) != string(keyPub) {
		t.Fatalf("the certificate's public key is not the key file's (%v):\n%s\n%s", err, certPub, keyPub)
	}
	san, _ := exec.Command("openssl", "x509", "-in", crt, "-noout", "-ext", "subjectAltName").Output()
	if !strings.Contains(string(san), "DNS:road.example.com") {
		t.Fatalf("names: %s", san)
	}
	tt.keys("Down", "Enter") // Done (the first answer installs it here)
	end := tt.wait("EXIT=0")
	// No private key anywhere but the key file: not on the screen, not in
	// the download (Tencent did not generate it), not in config or state.
	if strings.Contains(end, "PRIVATE KEY") {
		t.Fatalf("a private key on the terminal:\n%s", end)
	}
	filepath.WalkDir(home, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == key {
			return err
		}
		data, _ := os.ReadFile(p)
		if strings.Contains(string(data), "PRIVATE KEY") || strings.Contains(string(data), "KeyPassword") {
			t.Errorf("%s holds a private key or a key password", p)
		}
		return nil
	})
}

// Issue 20, item 6, as done means it: from the wizard's final card
// (`certwiz --sandbox`: a certificate in validation, dnsauto1, issued and
// downloaded) to an installation — a folder typed, a harmless deploy hook
// that writes a file, a TLS server on loopback that serves DIR/current as
// the server to check — then the `renew --dry-run` the result screen
// prints, run in the same HOME, names the installation.
func TestTmuxInstallHereThenRenewDryRun(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(home, "live", "api")
	hookOut := filepath.Join(home, "hook.out")
	server := tlstest.Serve(t, func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		c, err := tls.LoadX509KeyPair(filepath.Join(dir, "current", "fullchain.pem"), filepath.Join(dir, "current", "privkey.pem"))
		return &c, err
	})
	env := fmt.Sprintf("env -i PATH=%q HOME=%s LANG=en_US.UTF-8 TERM=xterm-256color", os.Getenv("PATH"), home)
	tt := newTerm(t, home, env+" "+binary+" --sandbox")
	tt.wait("New submission")
	tt.keys("Down", "Enter") // continue a certificate in validation
	tt.wait("> dnsauto1")
	tt.keys("Enter")
	tt.untilIssued() // DNS_AUTO: the sandbox validates it by itself
	tt.keys("Enter") // ./api.example.com
	tt.wait("The certificate is on disk")
	tt.wait("> Install here and renew automatically")
	tt.keys("Enter")
	tt.wait("Renewals validate by")
	tt.keys("C-u", dir, "Enter", "C-u", `echo "$CERTWIZ_NAME $CERTWIZ_CERTIFICATE_ID" > `+hookOut, "Enter", "C-u", server, "Enter", "Enter")
	s := tt.wait("> Install now")
	if !strings.Contains(s, `"api.example.com":`) || !strings.Contains(s, "Renewals: DNS_AUTO") {
		t.Fatalf("the confirmation does not say what will change:\n%s", s)
	}
	tt.keys("Enter")
	s = tt.wait("Installed, and saved for renewals")
	for _, want := range []string{"✓ Deploy hook: done", "✓ " + server + ": presents the new certificate", "  ssl_certificate /", "renew --dry-run"} {
		if !strings.Contains(s, want) {
			t.Errorf("the result lacks %q:\n%s", want, s)
		}
	}
	var renew []string
	for _, line := range strings.Split(s, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "certwiz" && strings.Contains(line, "renew --dry-run") {
			renew = f[1:]
		}
	}
	if len(renew) == 0 {
		t.Fatalf("no renew command on the screen:\n%s", s)
	}
	tt.keys("Enter")
	tt.wait("EXIT=0")
	// The summary left in the scrollback has the nginx lines whole (-J
	// joins the lines the terminal wrapped).
	joined, _ := tmux("capture-pane", "-p", "-J", "-t", tt.session).Output()
	if want := "ssl_certificate " + filepath.Join(dir, "current", "fullchain.pem") + ";"; !strings.Contains(string(joined), want) {
		t.Errorf("the summary lacks %q:\n%s", want, joined)
	}
	if b, err := os.ReadFile(hookOut); err != nil || string(b) != "api.example.com dnsauto1\n" {
		t.Fatalf("the hook wrote %q, %v", b, err)
	}
	if target, err := os.Readlink(filepath.Join(dir, "current")); err != nil || !strings.HasSuffix(target, "-dnsauto1") {
		t.Fatalf("current → %q, %v", target, err)
	}

	cmd := exec.Command(binary, renew...)
	cmd.Dir = home
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=en_US.UTF-8"}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "api.example.com: not due") {
		t.Fatalf("certwiz %s: %v\n%s", strings.Join(renew, " "), err, out)
	}
}
