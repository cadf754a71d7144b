package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/profiles"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("output differs from %s (go test -update to accept):\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// cmdRun runs one root-level certwiz command (profiles, history) with fake streams.
func (e env) cmdRun(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	g := &Globals{IO: IO{In: strings.NewReader(stdin), Out: &out, Err: &errb}, Endpoint: e.url, Timeout: 10 * time.Second, Language: api.English, Version: "test"}
	var cmd = NewProfilesCmd(g)
	switch args[0] {
	case "submit":
		cmd = NewSubmitCmd(g)
	case "history":
		cmd = NewHistoryCmd(g)
	}
	cmd.SetArgs(args[1:])
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	code := ExitCode(cmd.Execute(), &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func TestImportExportSubmitHistory(t *testing.T) {
	e := newEnv(t)
	src := exampleFile(t)
	if r := e.cmdRun(t, "", "profiles", "import", src, "--name", "acme"); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	r := e.cmdRun(t, "", "profiles", "export", "acme", "--format", "json")
	var got, want map[string]any
	json.Unmarshal([]byte(r.stdout), &got)
	data, _ := os.ReadFile(src)
	json.Unmarshal(data, &want)
	if r.code != 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("export = %s", r.stdout)
	}
	r = e.cmdRun(t, "", "submit", "--profile", "acme", "--json")
	if r.code != 0 {
		t.Fatalf("submit: %d %s %s", r.code, r.stdout, r.stderr)
	}
	var sent map[string]any
	json.Unmarshal(e.sb.Submissions()[0].Body, &sent)
	if !reflect.DeepEqual(sent, want) {
		t.Fatalf("sent %v", sent)
	}
	var res struct{ RequestId string }
	json.Unmarshal([]byte(r.stdout), &res)
	e.cmdRun(t, "", "submit", "--profile", "acme", "--set", "CertificateId=testAuthError")
	r = e.cmdRun(t, "", "history", "--json")
	var recs []profiles.Record
	if err := json.Unmarshal([]byte(r.stdout), &recs); err != nil || len(recs) != 2 {
		t.Fatalf("history = %s", r.stdout)
	}
	if recs[0].Profile != "acme" || recs[0].RequestId != res.RequestId || recs[0].Outcome != "OK" || recs[0].Endpoint != e.url || recs[0].CertificateId != "abcb1234" {
		t.Fatalf("first record %+v", recs[0])
	}
	if recs[1].Outcome != "FailedOperation.AuthError" || recs[1].RequestId == "" {
		t.Fatalf("second record %+v", recs[1])
	}
	r = e.cmdRun(t, "", "history")
	if !strings.Contains(r.stdout, res.RequestId) || !strings.Contains(r.stdout, "FailedOperation.AuthError") {
		t.Fatalf("history table:\n%s", r.stdout)
	}
}

func TestLayeringProfileInputSet(t *testing.T) {
	e := newEnv(t)
	e.cmdRun(t, "", "profiles", "import", exampleFile(t), "--name", "acme")
	input := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(input, []byte(`{"OrganizationCity":"Guangzhou","AdminPosition":"CTO"}`), 0o600)
	r := e.cmdRun(t, "", "submit", "--profile", "acme", "--input", input, "--set", "AdminPosition=CIO", "--json")
	if r.code != 0 {
		t.Fatalf("%d %s", r.code, r.stderr)
	}
	p := e.sb.Submissions()[0].Params
	if p["OrganizationCity"] != "Guangzhou" || p["AdminPosition"] != "CIO" || p["OrganizationName"] != "Example Technology Co., Ltd." {
		t.Fatalf("params %v", p)
	}
}

func TestKeyPasswordInImportReachesNoFile(t *testing.T) {
	e := newEnv(t)
	in := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(in, []byte(`{"CertificateId":"abcb1234","KeyPassword":"pw-secret-789"}`), 0o600)
	r := e.cmdRun(t, "", "profiles", "import", in, "--name", "acme")
	if r.code != 0 || !strings.Contains(r.stderr, "KeyPassword is never saved") {
		t.Fatalf("%d %s", r.code, r.stderr)
	}
	home := os.Getenv("HOME")
	filepath.Walk(home, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if data, _ := os.ReadFile(path); bytes.Contains(data, []byte("pw-secret-789")) {
				t.Errorf("%s holds the KeyPassword", path)
			}
		}
		return nil
	})
}

func TestCorruptProfileAndBadNamesExit2(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join(os.Getenv("HOME"), ".config", "certwiz", "profiles")
	os.MkdirAll(dir, 0o700)
	bad := []byte("version: 1\nparams:\n  CertificateId: abcb1234\n  OrganisationName: Acme\n")
	path := filepath.Join(dir, "broken.yaml")
	os.WriteFile(path, bad, 0o600)
	for _, args := range [][]string{
		{"submit", "--profile", "broken"},
		{"profiles", "show", "broken"},
		{"profiles", "import", exampleFile(t), "--name", "broken", "--force"},
	} {
		r := e.cmdRun(t, "", args...)
		if r.code != api.ExitInput || !strings.Contains(r.stderr, path) || !strings.Contains(r.stderr, "OrganisationName") {
			t.Errorf("%v: exit %d %q", args, r.code, r.stderr)
		}
	}
	if data, _ := os.ReadFile(path); !bytes.Equal(data, bad) {
		t.Fatal("the corrupt profile changed")
	}
	before, _ := os.ReadDir(filepath.Dir(dir))
	for _, name := range []string{"../escape", "a/b", "../../x"} {
		r := e.cmdRun(t, "", "profiles", "import", exampleFile(t), "--name", name)
		if r.code != api.ExitInput || !strings.Contains(r.stderr, "invalid profile name") {
			t.Errorf("name %q: exit %d %q", name, r.code, r.stderr)
		}
	}
	after, _ := os.ReadDir(filepath.Dir(dir))
	if len(after) != len(before) {
		t.Fatal("a file was written outside the profiles folder")
	}
	if r := e.cmdRun(t, "", "profiles", "delete", "broken"); r.code != api.ExitInput || !strings.Contains(r.stderr, "--yes required") {
		t.Fatalf("delete without a terminal: %d %q", r.code, r.stderr)
	}
	if r := e.cmdRun(t, "", "profiles", "delete", "broken", "--yes"); r.code != 0 {
		t.Fatalf("delete --yes: %d %q", r.code, r.stderr)
	}
}

func TestListAndShowGolden(t *testing.T) {
	e := newEnv(t)
	time.Local = time.UTC
	dir := filepath.Join(os.Getenv("HOME"), ".config", "certwiz", "profiles")
	os.MkdirAll(dir, 0o700)
	data, _ := os.ReadFile("../../example.json")
	req, _ := api.DecodeJSON(data)
	write := func(name string, r api.Request) {
		p := profiles.Profile{Name: name, Updated: time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC), Params: r}
		os.WriteFile(filepath.Join(dir, name+".yaml"), profiles.Encode(p, nil, ""), 0o600)
	}
	write("acme", req)
	half := profiles.Template(req)
	half.CertificateId, half.AdminEmail, half.OrganizationCountry = "demo0001", "not-an-email", "XX"
	write("half", half)
	os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("version: 1\nparams:\n  Colour: red\n"), 0o600)
	r := e.cmdRun(t, "", "profiles", "list")
	golden(t, "profiles-list", r.stdout)
	r = e.cmdRun(t, "", "profiles", "show", "half")
	golden(t, "profiles-show", r.stdout)
}

// Newcomer item 24: the README's batch recipe works as printed — its
// commands, in its order, on its certs.csv.
func TestReadmeBatchRecipe(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "### Many certificates: `submit --batch`")
	_, block, _ := strings.Cut(section, "```sh\n")
	block, _, _ = strings.Cut(block, "```")
	_, csv, _ := strings.Cut(section, "`DomainList` names are separated by `;`:\n\n```\n")
	csv, _, _ = strings.Cut(csv, "```")
	example := mustRead(t, exampleFile(t))
	t.Chdir(t.TempDir())
	os.WriteFile("certs.csv", []byte(csv), 0o600)
	os.WriteFile("example.json", example, 0o600)
	e := newEnv(t)
	ran := 0
	for _, line := range strings.Split(block, "\n") {
		line, _, _ = strings.Cut(line, "#")
		args := strings.Fields(line)
		if len(args) == 0 || args[0] != "certwiz" || slices.Contains(args, "--resume") || slices.Contains(args, "--json") || slices.Contains(args, "--commit") {
			continue
		}
		r := e.cmdRun(t, "", args[1:]...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", line, r.code, r.stdout, r.stderr)
		}
		ran++
	}
	subs := e.sb.Submissions()
	if ran != 3 || len(subs) != 2 || subs[0].Params["CertificateDomain"] != "shop.example.com" || subs[1].Params["CertificateDomain"] != "mail.example.com" {
		t.Fatalf("ran %d commands, %d submissions: %+v", ran, len(subs), subs)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
