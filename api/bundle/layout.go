package bundle

import (
	"encoding/pem"
	"fmt"
	"path"
	"slices"
	"strings"
)

// Servers are the server types Tencent's archive has a folder for, named
// "<domain>_<server>" (DescribeDownloadCertificateUrl's ServiceType names
// the same ones, jks and root included).
var Servers = []string{"nginx", "apache", "iis", "tomcat", "jks", "root", "other"}

// extensions are those of the files the archive holds: certificates and
// chains, keys, the CSR, keystores and the keystore's password (IIS and
// Tomcat's keystorePass.txt).
var extensions = []string{".crt", ".pem", ".key", ".csr", ".cer", ".pfx", ".p12", ".jks", ".txt"}

// FolderName is the folder named after a certificate's domain, as the
// archive names its folders: the domain with its wildcard written "_"
// (*.example.com → _.example.com). ok is false when domain is not a DNS
// name: a name from an answer never becomes a path ("../../etc/cron.d").
func FolderName(domain string) (name string, ok bool) {
	if !isDNSName(domain) {
		return "", false
	}
	return strings.Replace(domain, "*", "_", 1), true
}

// isDNSName: letters, digits and hyphens in labels of 1–63 characters, at
// least two labels, at most 253 characters, the first label alone may be
// the wildcard "*". No dot at either end.
func isDNSName(s string) bool {
	if len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for i, l := range labels {
		if i == 0 && l == "*" {
			continue
		}
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if !isAlnum(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// layoutError says why a clean, relative path is not where Tencent's
// archive puts files: "<domain>_<server>/<file>", the file a certificate,
// key or keystore with a plain name. "" when it is. folder is the
// "<domain>" of the entry's folder.
func layoutError(p string, isDir bool) (why, folder string) {
	dir, file, nested := strings.Cut(p, "/")
	if isDir && nested || !isDir && (!nested || strings.Contains(file, "/")) {
		return "is not a file in a server folder: the archive holds only <domain>_<server>/<file>", ""
	}
	domain, server, ok := cutLast(dir, "_")
	if !ok || !slices.Contains(Servers, strings.ToLower(server)) {
		return fmt.Sprintf("is not in a server folder (<domain>_%s)", strings.Join(Servers, ", _")), ""
	}
	if strings.Contains(domain, "*") || !isDNSName(strings.Replace(domain, "_", "*", 1)) {
		return "is in a folder not named after a domain", ""
	}
	if isDir {
		return "", domain
	}
	switch {
	case strings.HasPrefix(file, "."):
		return "is a hidden file (its name starts with a dot)", ""
	case len(file) > 255 || strings.ContainsFunc(file, func(c rune) bool { return !isAlnum(c) && !strings.ContainsRune("._-", c) }):
		return "has a name a certificate file never has (only letters, digits, '.', '_' and '-')", ""
	case !slices.Contains(extensions, strings.ToLower(path.Ext(file))):
		return fmt.Sprintf("is not a certificate, key or keystore file (%s)", strings.Join(extensions, " ")), ""
	}
	return "", domain
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// Covers reports whether a certificate name (a SAN, possibly "*.zone")
// covers an ordered name, as RFC 6125 matches: case-insensitively, the
// wildcard only as the whole leftmost label and for exactly one label. An
// ordered wildcard is covered only by the same wildcard.
func Covers(certName, ordered string) bool {
	c, o := strings.ToLower(certName), strings.ToLower(ordered)
	if !isDNSName(c) || !isDNSName(o) {
		return false
	}
	if c == o {
		return true
	}
	zone, ok := strings.CutPrefix(c, "*.")
	_, rest, _ := strings.Cut(o, ".")
	return ok && !strings.HasPrefix(o, "*.") && rest == zone
}

// ConfigFiles are the files a server's configuration names — cert (with
// the chain, for nginx), chain (the intermediates apart) and key — by the
// names Tencent's archive gives them, made here from the archive's domain
// and found among its files: a printed configuration line never holds a
// name only the archive chose. Paths are the archive's; "" for one it
// lacks. The server is one of nginx, apache and other.
func ConfigFiles(files []File, server string) (cert, chain, key string) {
	if len(files) == 0 {
		return "", "", ""
	}
	dir, _, _ := strings.Cut(files[0].Path, "/")
	domain, _, _ := cutLast(dir, "_")
	folder := domain + "_" + server + "/"
	has := func(names ...string) string {
		for _, n := range names {
			if slices.ContainsFunc(files, func(f File) bool { return f.Path == folder+n }) {
				return folder + n
			}
		}
		return ""
	}
	switch server {
	case "nginx":
		return has(domain+"_bundle.crt", domain+"_bundle.pem"), "", has(domain + ".key")
	case "apache":
		return has(domain + ".crt"), has("root_bundle.crt"), has(domain + ".key")
	case "other":
		return has(domain + ".pem"), has("root_bundle.crt"), has(domain + ".key")
	}
	return "", "", ""
}

// HoldsKey reports whether a file holds a PEM private key.
func HoldsKey(data []byte) bool {
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return false
		}
		if strings.HasSuffix(b.Type, "PRIVATE KEY") {
			return true
		}
	}
}
