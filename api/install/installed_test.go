package install

import "testing"

func TestDefaultFolderIsADNSName(t *testing.T) {
	for domain, want := range map[string]string{"www.example.com": "./www.example.com", "*.example.com": "./_.example.com"} {
		if got := DefaultFolder(domain); got != want || OutArg(domain) != want {
			t.Errorf("%q: %q %q", domain, got, OutArg(domain))
		}
	}
	for _, domain := range []string{"../../../../etc/cron.d", "", "a/b.example.com", "certificate", "x.example.com\x1b[2J"} {
		if got := DefaultFolder(domain); got != "" || OutArg(domain) != "DIR" {
			t.Errorf("%q made a folder: %q %q", domain, got, OutArg(domain))
		}
	}
}
