package bundle_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api/bundle"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
)

// Only "<domain>_<server>/<file>" is unpacked: an archive that names
// anything else inside --out is refused whole, naming the entry.
func TestReadAcceptsOnlyTencentsLayout(t *testing.T) {
	pem := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
	ok := map[string]string{"www.example.com_nginx/www.example.com_bundle.crt": pem}
	deep := "www.example.com_other/" + strings.Repeat("d/", 2000) + "x.crt"
	cases := map[string]struct{ name, want string }{
		"dot file at the top":  {".bashrc", "is not a file in a server folder"},
		"file at the top":      {"www.example.com.crt", "is not a file in a server folder"},
		"ssh keys":             {"_other/.ssh/authorized_keys", "is not a file in a server folder"},
		"deep folders":         {deep, "is not a file in a server folder"},
		"nginx directive":      {"www.example.com_nginx/x; include evil.conf; #_bundle.crt", "has a name a certificate file never has"},
		"nginx directive deep": {"www.example.com_nginx/x; include /etc/evil.conf; #_bundle.crt", "is not a file in a server folder"},
		"hidden file":          {"www.example.com_nginx/.bashrc", "is a hidden file"},
		"script":               {"www.example.com_nginx/run.sh", "is not a certificate, key or keystore file"},
		"no extension":         {"www.example.com_nginx/authorized_keys", "is not a certificate, key or keystore file"},
		"unknown server":       {"www.example.com_ftp/a.crt", "is not in a server folder"},
		"folder of no domain":  {"evil_nginx/a.crt", "is in a folder not named after a domain"},
		"star in a folder":     {"*.example.com_nginx/a.crt", "is in a folder not named after a domain"},
		"another domain":       {"zz.example.org_apache/a.crt", `"zz.example.org_apache/": is in the folder of another domain (zz.example.org) than the archive's www.example.com`},
	}
	for what, c := range cases {
		files := map[string]string{c.name: pem}
		for k, v := range ok {
			files[k] = v
		}
		got, err := bundle.Read(bundletest.Zip(t, files), bundle.Limits{MaxFiles: 4100})
		var ee *bundle.EntryError
		if !errors.As(err, &ee) || !strings.Contains(err.Error(), c.want) || got != nil {
			t.Errorf("%s: %v (%d files), want %q", what, err, len(got), c.want)
		}
	}
	// Every server folder of Tencent's archive, keystores and a wildcard's "_" included.
	all := map[string]string{
		"_.example.com_nginx/_.example.com_bundle.crt": pem, "_.example.com_nginx/_.example.com.csr": pem,
		"_.example.com_iis/_.example.com.pfx": "pfx", "_.example.com_iis/keystorePass.txt": "pw",
		"_.example.com_tomcat/_.example.com.jks": "jks", "_.example.com_tomcat/keystorePass.txt": "pw",
		"_.example.com_apache/root_bundle.crt": pem, "_.example.com_other/_.example.com.pem": pem,
	}
	if got, err := bundle.Read(bundletest.Zip(t, all), bundle.Limits{}); err != nil || len(got) != len(all) {
		t.Fatalf("Tencent's layout: %v (%d files)", err, len(got))
	}
}

func TestFolderNameIsADNSName(t *testing.T) {
	for domain, want := range map[string]string{"www.example.com": "www.example.com", "*.example.com": "_.example.com", "xn--fsq.example.com": "xn--fsq.example.com"} {
		if got, ok := bundle.FolderName(domain); !ok || got != want {
			t.Errorf("%q: %q %v", domain, got, ok)
		}
	}
	for _, domain := range []string{"../../../../etc/cron.d", "a/b.example.com", `a\b.example.com`, "", ".", "..", "example", "ex ample.com",
		"www.example.com\n", "-a.example.com", "www.*.example.com", "**.example.com", "www.example.com.", ".example.com", "C:.example.com", strings.Repeat("a.", 127) + "com"} {
		if got, ok := bundle.FolderName(domain); ok || got != "" {
			t.Errorf("%q gave a folder: %q", domain, got)
		}
	}
}

func TestCoversAsRFC6125(t *testing.T) {
	for _, c := range []struct {
		cert, ordered string
		want          bool
	}{
		{"www.example.com", "www.example.com", true},
		{"WWW.Example.com", "www.example.COM", true},
		{"*.example.com", "www.example.com", true},
		{"*.example.com", "*.example.com", true},
		{"*.example.com", "example.com", false},      // one label, not none
		{"*.example.com", "a.b.example.com", false},  // one label, not two
		{"*.example.com", "www.example.org", false},  // another zone
		{"w*.example.com", "www.example.com", false}, // only a whole label
		{"www.*.com", "www.example.com", false},      // only the leftmost
		{"www.example.com", "*.example.com", false},  // an ordered wildcard needs the wildcard
		{"evil.attacker.test", "www.example.com", false},
		{"", "", false},
	} {
		if got := bundle.Covers(c.cert, c.ordered); got != c.want {
			t.Errorf("Covers(%q, %q) = %v", c.cert, c.ordered, got)
		}
	}
}

// The certificate must be the one ordered, and its chain the archive's.
func TestInspectAndIsFor(t *testing.T) {
	read := func(files map[string]string) (bundle.Info, error) {
		t.Helper()
		got, err := bundle.Read(bundletest.Zip(t, files), bundle.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		return bundle.Inspect(got)
	}
	evil := bundletest.Issue(t, nil, "evil.attacker.test")
	info, err := read(bundletest.Layout("www.example.com", evil, true))
	if err != nil {
		t.Fatal(err)
	}
	if err := info.IsFor([]string{"www.example.com"}); err == nil || !strings.Contains(err.Error(), "the certificate is for evil.attacker.test, which does not cover www.example.com of the order") {
		t.Fatalf("another name: %v", err)
	}
	if err := info.IsFor(nil); err == nil {
		t.Fatal("an order without a name passed")
	}
	wild := bundletest.Issue(t, nil, "*.example.com", "example.com")
	info, err = read(bundletest.Layout("*.example.com", wild, false))
	if err != nil {
		t.Fatal(err)
	}
	if err := info.IsFor([]string{"*.example.com", "example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := info.IsFor([]string{"*.example.com", "example.com", "shop.example.org"}); err == nil || !strings.Contains(err.Error(), "does not cover shop.example.org") {
		t.Fatalf("a name missing: %v", err)
	}
	// The leaf of one CA with the chain of another.
	other := bundletest.Issue(t, nil, "www.example.com")
	mixed := bundletest.Layout("www.example.com", other, false)
	mixed["www.example.com_apache/root_bundle.crt"] = wild.Intermediate
	mixed["www.example.com_other/root_bundle.crt"] = wild.Intermediate
	mixed["www.example.com_nginx/www.example.com_bundle.crt"] = other.Leaf + wild.Intermediate
	mixed["www.example.com_nginx/www.example.com_bundle.pem"] = other.Leaf + wild.Intermediate
	if _, err := read(mixed); err == nil || !strings.Contains(err.Error(), "is not signed by a CA certificate of the archive") {
		t.Fatalf("foreign chain: %v", err)
	}
}
