package ui

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
)

// The newcomer's answers in accessible mode: a part of a country's name
// lists the matches (then the code is taken), a comma list of names is
// taken as typed and said back, Enter keeps "contact same as
// administrator" at yes as the wizard does, and no prompt ends in ".:".
func TestAccessibleAnswersAsTheWizardTakesThem(t *testing.T) {
	f := newFixture(t, api.English)
	input := strings.Join([]string{
		"1", "abcb1234", "1", "", "www.example.com", "example.com, api.example.com", "",
		"Acme Co", "IT", "1 Road", "ger", "DE", "Berlin", "Berlin", "", "030", "86013388",
		"Lei", "Li", "12345678901", "admin@example.com", "CTO",
		"", "2", // contact same (Enter), DNS
		"1", // submit
	}, "\n") + "\n"
	var out bytes.Buffer
	code, err := RunAccessible(t.Context(), f.opts, strings.NewReader(input), &out)
	if err != nil || code != 0 {
		t.Fatalf("code %d err %v\n%s", code, err, out.String())
	}
	o := out.String()
	for _, want := range []string{`Countries matching "ger"`, "  DE — Germany", "  NG — Nigeria",
		"2 additional domain(s): example.com, api.example.com.", "Type a number or a value: ", "y/n, Enter keeps yes: "} {
		if !strings.Contains(o, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, bad := range []string{"3 characters long", "One per line", "one per line", ".: "} {
		if strings.Contains(o, bad) {
			t.Errorf("output has %q", bad)
		}
	}
	p := f.sb.Submissions()[0].Params
	if p["OrganizationCountry"] != "DE" || p["ContactEmail"] != "admin@example.com" || len(p["DomainList"].([]any)) != 2 {
		t.Fatalf("sent %v\n%s", p, o)
	}
	if t.Failed() {
		t.Log(o)
	}
}

// The validation prompt checks again when the next check is due, without
// an answer, as the screen does; once issued, the report shows no local
// check beside it (none is made) and the folder is asked.
func TestAccessibleValidationChecksOnItsOwn(t *testing.T) {
	f, _ := validatingFixture(t, api.English, true)
	t.Chdir(t.TempDir())
	pr, pw := io.Pipe()
	defer pw.Close()
	var buf bytes.Buffer
	sw := &syncWriter{w: &buf}
	output := func() string {
		sw.mu.Lock()
		defer sw.mu.Unlock()
		return buf.String()
	}
	done := make(chan int, 1)
	go func() {
		code, _ := RunAccessible(t.Context(), f.opts, pr, sw)
		done <- code
	}()
	answers := []string{
		"1", "abcb1234", "1", "", "www.example.com", "", "",
		"Acme Co", "IT", "1 Road", "cn", "Guangdong", "Shenzhen", "", "0755", "86013388",
		"Lei", "Li", "12345678901", "admin@example.com", "CTO",
		"y", "2", "1", "y", // contact same, DNS, submit, send to the CA
	}
	io.WriteString(pw, strings.Join(answers, "\n")+"\n")
	// No Enter at the validation prompt: the checks go on by themselves
	// until the certificate is issued and the folder is asked.
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(output(), "Save the certificate in") {
		if time.Now().After(deadline) {
			t.Fatalf("never issued without Enter:\n%s", output())
		}
		time.Sleep(20 * time.Millisecond)
	}
	io.WriteString(pw, "\n\n") // the folder offered; then not "install here"
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, output())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("did not end:\n%s", output())
	}
	o := output()
	issued := o[strings.LastIndex(o, "checking…"):]
	if strings.Contains(issued, "not found yet") || strings.Contains(issued, "certwiz: ") {
		t.Fatalf("issued beside a local check:\n%s", issued)
	}
	if _, err := os.Stat(filepath.Join("www.example.com", "www.example.com_nginx", "www.example.com_bundle.crt")); err != nil {
		t.Fatal(err)
	}
}
