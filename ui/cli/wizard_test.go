package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
)

func TestResumeArgsKeepTheFlagsThatReopenTheSession(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	abs := filepath.Join(dir, "conf")
	cases := []struct {
		name string
		g    Globals
		want []string
	}{
		{"nothing given", Globals{Endpoint: api.DefaultEndpoint, Language: api.English, Changed: map[string]bool{}},
			[]string{"certwiz"}},
		{"language from the environment is not repeated", Globals{Endpoint: api.DefaultEndpoint, Language: api.Chinese},
			[]string{"certwiz"}},
		{"sandbox drops its random endpoint; config dir made absolute; language given",
			Globals{Sandbox: true, Endpoint: "http://127.0.0.1:40123", ConfigDir: "conf", Language: api.Chinese,
				Changed: map[string]bool{"sandbox": true, "config-dir": true, "language": true}},
			[]string{"certwiz", "--sandbox", "--config-dir", abs, "--language", "zh-CN"}},
		{"own endpoint and an explicit --accessible",
			Globals{Endpoint: "http://127.0.0.1:8417", Language: api.English, Accessible: true, AccessibleAsked: true,
				Changed: map[string]bool{"endpoint": true, "accessible": true}},
			[]string{"certwiz", "--endpoint", "http://127.0.0.1:8417", "--accessible"}},
		{"the default endpoint spelled out is not repeated; ACCESSIBLE=1 is not a flag",
			Globals{Endpoint: "https://ssl.tencentcloudapi.com/", Language: api.English, Accessible: true,
				Changed: map[string]bool{"endpoint": true}},
			[]string{"certwiz"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ResumeArgs(&c.g); !slices.Equal(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestWizardWithoutATerminalExits2AndReadsNothing(t *testing.T) {
	in := strings.NewReader("1\n")
	var out, errb bytes.Buffer
	// ACCESSIBLE=1 or TERM=dumb set Accessible, but only the flag asks.
	for _, lang := range []string{api.English, api.Chinese} {
		out.Reset()
		errb.Reset()
		g := &Globals{IO: IO{In: in, Out: &out, Err: &errb}, Language: lang, Accessible: true, ConfigDir: t.TempDir()}
		code := ExitCode(RunWizard(context.Background(), g, ""), &errb)
		if code != api.ExitInput || in.Len() != 2 || out.Len() != 0 || !strings.Contains(errb.String(), "certwiz submit") {
			t.Fatalf("%s: exit %d, %d bytes left to read, stdout %q, stderr %q", lang, code, in.Len(), out.String(), errb.String())
		}
	}
	if !strings.Contains(errb.String(), "需要终端") {
		t.Fatalf("zh-CN: %q", errb.String())
	}
}
