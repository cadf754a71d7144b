package cli

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certwiz/certwiz/api"
	"github.com/certwiz/certwiz/api/bundle/bundletest"
	"github.com/certwiz/certwiz/api/sandbox"
)

// issuer is a loopback endpoint shaped like the service for downloads:
// DownloadCertificate answers the archive set for an ID (or its error),
// DescribeCertificateDetail the status and the names (Domain, then
// SubjectAltName) set for it.
type issuer struct {
	archives  map[string][]byte
	statuses  map[string]int
	names     map[string][]string
	downloads atomic.Int32
}

func (is *issuer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct{ CertificateId string }
	json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body)
	id := body.CertificateId
	switch r.Header.Get("X-TC-Action") {
	case api.ActionDownload:
		is.downloads.Add(1)
		zip, ok := is.archives[id]
		if !ok {
			fmt.Fprintf(w, `{"Response":{"Error":{"Code":"FailedOperation.InvalidCertificateStatusCode","Message":"status does not allow"},"RequestId":"rq-dl-%s"}}`, id)
			return
		}
		fmt.Fprintf(w, `{"Response":{"Content":%q,"ContentType":"application/zip","RequestId":"rq-dl-%s"}}`, base64.StdEncoding.EncodeToString(zip), id)
	case api.ActionDetail:
		domain, others := "", []string{}
		if n := is.names[id]; len(n) > 0 {
			domain, others = n[0], n[1:]
		}
		san, _ := json.Marshal(others)
		fmt.Fprintf(w, `{"Response":{"CertificateId":%q,"Status":%d,"StatusMsg":"PENDING-DCV","Domain":%q,"SubjectAltName":%s,"RequestId":"rq-detail"}}`, id, is.statuses[id], domain, san)
	default:
		fmt.Fprint(w, `{"Response":{"Error":{"Code":"InvalidAction","Message":"no"},"RequestId":"x"}}`)
	}
}

// newIssuerEnv isolates HOME and the credential chain (newEnv) and points
// the commands at an issuer on loopback.
func newIssuerEnv(t *testing.T) (env, *issuer) {
	t.Helper()
	e := newEnv(t)
	is := &issuer{archives: map[string][]byte{}, statuses: map[string]int{}, names: map[string][]string{}}
	srv := httptest.NewServer(is)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e, is
}

func (e env) download(t *testing.T, h how, args ...string) result {
	t.Helper()
	return e.exec(t, NewDownloadCmd, h, args...)
}

// tree lists every file under dir with its mode, relative.
func tree(t *testing.T, dir string) map[string]os.FileMode {
	t.Helper()
	out := map[string]os.FileMode{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil
		}
		fi, _ := os.Lstat(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = fi.Mode()
		return nil
	})
	return out
}

// noSecrets fails when a private key or a KeyPassword shows outside a
// .key file: in the streams, or in any other file under dirs.
func noSecrets(t *testing.T, r result, dirs ...string) {
	t.Helper()
	for name, s := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		if strings.Contains(s, "PRIVATE KEY") || strings.Contains(s, "KeyPassword") {
			t.Fatalf("%s shows a secret:\n%s", name, s)
		}
	}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, ".key") {
				return nil
			}
			b, _ := os.ReadFile(p)
			if strings.Contains(string(b), "PRIVATE KEY") || strings.Contains(string(b), "KeyPassword") {
				t.Fatalf("%s holds a secret", p)
			}
			return nil
		})
	}
}

func requireOpenSSL(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed (apt-get install openssl)")
	}
}

// Tencent generated the key: it is in the folder, 0600, and matches; the
// files are grouped by server; openssl reads the bundle.
func TestDownloadWritesTheBundle(t *testing.T) {
	e, is := newIssuerEnv(t)
	c := bundletest.Issue(t, nil, "www.example.com", "example.com")
	is.archives["abcb1234"] = bundletest.Zip(t, bundletest.Layout("www.example.com", c, true))
	is.names["abcb1234"] = []string{"www.example.com", "example.com"}
	dir := filepath.Join(t.TempDir(), "www.example.com")
	r := e.download(t, how{}, "abcb1234", "--out", dir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	files := tree(t, dir)
	if len(files) != 12 { // 3 folders, 9 files
		t.Fatalf("written: %v", files)
	}
	for name, mode := range files {
		want := os.FileMode(0o600)
		if mode.IsDir() {
			want = os.ModeDir | 0o700
		}
		if mode != want {
			t.Errorf("%s: %v", name, mode)
		}
	}
	if m, _ := os.Stat(dir); m.Mode().Perm() != 0o700 {
		t.Fatalf("folder %v", m.Mode())
	}
	bundleCrt := filepath.Join(dir, "www.example.com_nginx", "www.example.com_bundle.crt")
	key := filepath.Join(dir, "www.example.com_nginx", "www.example.com.key")
	for _, want := range []string{
		"Certificate abcb1234 written to " + dir + " (files 0600)",
		"  nginx\n", "  apache\n", "  other\n",
		"  nginx\n    " + pad("certificate + chain", 24) + " " + bundleCrt + "\n    " + pad("certificate + chain", 24) + " " + bundleCrt[:len(bundleCrt)-4] + ".pem\n    " + pad("private key", 24) + " " + key + "\n  apache\n",
		pad("chain (intermediate CA)", 24) + " " + filepath.Join(dir, "www.example.com_apache", "root_bundle.crt"),
		"Names:    www.example.com, example.com",
		"Valid:    " + c.NotBefore.UTC().Format("2006-01-02 15:04 UTC") + " to " + c.NotAfter.UTC().Format("2006-01-02 15:04 UTC") + " — renew before " + c.NotAfter.AddDate(0, 0, -30).UTC().Format("2006-01-02"), // a month ahead
		"Key:      generated by Tencent Cloud, in the folder (0600): " + key + " — matches the certificate",
		"    ssl_certificate     " + bundleCrt + ";\n    ssl_certificate_key " + key + ";",
		"SSLCertificateChainFile " + filepath.Join(dir, "www.example.com_apache", "root_bundle.crt"),
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	noSecrets(t, r, dir)
	if b, _ := os.ReadFile(key); string(b) != c.Key {
		t.Fatal("the key file differs from Tencent's")
	}
	requireOpenSSL(t)
	out, err := exec.Command("openssl", "x509", "-in", bundleCrt, "-noout", "-subject", "-ext", "subjectAltName").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "CN = www.example.com") || !strings.Contains(string(out), "DNS:www.example.com, DNS:example.com") {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	// openssl verifies the chain of the nginx bundle up to the root.
	root := filepath.Join(t.TempDir(), "root.pem")
	os.WriteFile(root, []byte(c.Root), 0o600)
	inter := filepath.Join(dir, "www.example.com_apache", "root_bundle.crt")
	if out, err := exec.Command("openssl", "verify", "-CAfile", root, "-untrusted", inter, bundleCrt).CombinedOutput(); err != nil {
		t.Fatalf("openssl verify: %v\n%s", err, out)
	}
}

func TestDownloadJSONAndNeverOverwrites(t *testing.T) {
	e, is := newIssuerEnv(t)
	c := bundletest.Issue(t, nil, "*.example.com")
	is.archives["abcb1234"] = bundletest.Zip(t, bundletest.Layout("*.example.com", c, false))
	is.names["abcb1234"] = []string{"*.example.com"}
	dir := t.TempDir() // exists: kept as it is
	os.Chmod(dir, 0o750)
	r := e.download(t, how{}, "abcb1234", "--out", dir, "--json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	m := decodeOne(t, r.stdout)
	if !slices.Equal(keys(m), []string{"CertificateId", "DNSNames", "Files", "KeyMatches", "NotAfter", "NotBefore"}) {
		t.Fatalf("keys %v", keys(m))
	}
	if m["CertificateId"] != "abcb1234" || m["KeyMatches"] != nil || fmt.Sprint(m["DNSNames"]) != "[*.example.com]" ||
		m["NotAfter"] != c.NotAfter.UTC().Format(time.RFC3339) || m["NotBefore"] != c.NotBefore.UTC().Format(time.RFC3339) {
		t.Fatalf("%v", m)
	}
	var paths []string
	for _, p := range m["Files"].([]any) {
		paths = append(paths, p.(string))
	}
	if len(paths) != 6 || !slices.Contains(paths, filepath.Join(dir, "_.example.com_nginx", "_.example.com_bundle.crt")) {
		t.Fatalf("files %q", paths)
	}
	for _, p := range paths {
		if !filepath.IsAbs(p) {
			t.Fatalf("%s is relative", p)
		}
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o750 {
		t.Fatalf("an existing folder was chmod-ed: %v", fi.Mode())
	}
	// Again into the same folder: every file is there, nothing is touched.
	before := tree(t, dir)
	os.WriteFile(paths[0], []byte("edited"), 0o600)
	r = e.download(t, how{}, "abcb1234", "--out", dir)
	if r.code != api.ExitInput || !strings.Contains(r.stderr, ", and 3 more — certwiz never overwrites") || !strings.Contains(r.stderr, paths[0]) {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(paths[0]); string(b) != "edited" || len(tree(t, dir)) != len(before) {
		t.Fatal("overwritten")
	}
	// One file in the way is enough, and --json says so as an error object.
	dir2 := t.TempDir()
	os.MkdirAll(filepath.Join(dir2, "_.example.com_other"), 0o700)
	os.WriteFile(filepath.Join(dir2, "_.example.com_other", "root_bundle.crt"), []byte("mine"), 0o600)
	r = e.download(t, how{}, "abcb1234", "--out", dir2, "--json")
	if m := decodeOne(t, r.stdout); r.code != api.ExitInput || !strings.Contains(fmt.Sprint(m["Error"]), "already in the folder: "+filepath.Join(dir2, "_.example.com_other", "root_bundle.crt")) {
		t.Fatalf("exit %d %s", r.code, r.stdout)
	}
	if got := tree(t, dir2); len(got) != 2 {
		t.Fatalf("written beside the existing file: %v", got)
	}
}

// csr generate remembers the key for the certificate; download checks the
// certificate against it and says where it is — or warns and exits 3.
func TestDownloadChecksTheKeyGeneratedHere(t *testing.T) {
	e, is := newIssuerEnv(t)
	keys := t.TempDir()
	key := filepath.Join(keys, "www.key")
	r := e.csrRun(t, "generate", "--certificate-id", "abcb1234", "--domain", "www.example.com", "--key-out", key, "--csr-out", filepath.Join(keys, "www.csr"))
	if r.code != 0 || !strings.Contains(r.stderr, "Remembered for certificate abcb1234") {
		t.Fatalf("csr generate: %d %s", r.code, r.stderr)
	}
	recs := historyOf(t)
	if n := len(recs); n != 1 || recs[0].KeyFile != key || recs[0].CertificateId != "abcb1234" || recs[0].Outcome != "KEY-GENERATED" {
		t.Fatalf("history %+v", recs)
	}
	c := bundletest.Issue(t, csrKey(t, filepath.Join(keys, "www.csr")), "www.example.com")
	is.archives["abcb1234"] = bundletest.Zip(t, bundletest.Layout("www.example.com", c, false))
	other := bundletest.Issue(t, nil, "www.example.com") // another key
	other.Key = ""
	is.archives["zzzz0000"] = bundletest.Zip(t, bundletest.Layout("www.example.com", other, false))
	is.names["abcb1234"], is.names["zzzz0000"] = []string{"www.example.com"}, []string{"www.example.com"}

	dir := filepath.Join(t.TempDir(), "www")
	r = e.download(t, how{}, "abcb1234", "--out", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "Key:      generated on this machine: "+key+" — matches the certificate") ||
		!strings.Contains(r.stdout, "ssl_certificate_key "+key+";") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	noSecrets(t, r, dir, filepath.Join(os.Getenv("HOME")))
	r = e.download(t, how{}, "abcb1234", "--out", filepath.Join(t.TempDir(), "j"), "--json")
	if m := decodeOne(t, r.stdout); r.code != 0 || m["KeyMatches"] != true {
		t.Fatalf("json: %d %v", r.code, m)
	}
	// The same key remembered for another certificate, issued for another key.
	if r := e.csrRun(t, "generate", "--certificate-id", "zzzz0000", "--domain", "www.example.com", "--key-out", filepath.Join(keys, "z.key"), "--csr-out", filepath.Join(keys, "z.csr")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	dir = filepath.Join(t.TempDir(), "z")
	r = e.download(t, how{}, "zzzz0000", "--out", dir, "--json")
	if m := decodeOne(t, r.stdout); r.code != api.ExitRejected || m["KeyMatches"] != false ||
		!strings.Contains(r.stderr, "matches none of the keys generated on this machine for it ("+filepath.Join(keys, "z.key")+" (another key))") {
		t.Fatalf("mismatch: %d %v\n%s", r.code, m, r.stderr)
	}
	if len(tree(t, dir)) == 0 {
		t.Fatal("a mismatched certificate is still written: the right key may be elsewhere")
	}
	// A newer key, encrypted, for the same certificate: its recorded
	// public key is another, so the certificate is still found to be
	// www.key's.
	pass := filepath.Join(keys, "pass")
	os.WriteFile(pass, []byte("correct horse\n"), 0o600)
	encKey := filepath.Join(keys, "enc.key")
	if r := e.csrRun(t, "generate", "--certificate-id", "abcb1234", "--domain", "www.example.com", "--passphrase-file", pass,
		"--key-out", encKey, "--csr-out", filepath.Join(keys, "enc.csr")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r = e.download(t, how{}, "abcb1234", "--out", filepath.Join(t.TempDir(), "e"))
	if r.code != 0 || !strings.Contains(r.stdout, "generated on this machine: "+key+" — matches the certificate") {
		t.Fatalf("older key: %d\n%s", r.code, r.stdout)
	}
	// Issued for the encrypted key: not checked, and says so — and that
	// the public key recorded for it is the certificate's.
	is.archives["abcb1234"] = bundletest.Zip(t, bundletest.Layout("www.example.com", bundletest.Issue(t, csrKey(t, filepath.Join(keys, "enc.csr")), "www.example.com"), false))
	r = e.download(t, how{}, "abcb1234", "--out", filepath.Join(t.TempDir(), "e2"))
	if r.code != 0 || !strings.Contains(r.stdout, encKey+" (not checked: it is encrypted with a passphrase; its public key, recorded when it was generated, is the certificate's)") ||
		!strings.Contains(r.stdout, "ssl_certificate_key "+encKey+";") {
		t.Fatalf("encrypted: %d\n%s", r.code, r.stdout)
	}
}

// csrKey is the public key of the CSR in path.
func csrKey(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(data)
	req, err := x509.ParseCertificateRequest(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return req.PublicKey
}

// Without a key in the archive or one generated here: the key is the
// user's own, unchecked.
func TestDownloadKeyUnknown(t *testing.T) {
	e, is := newIssuerEnv(t)
	is.archives["abcb1234"] = bundletest.Zip(t, bundletest.Layout("www.example.com", bundletest.Issue(t, nil, "www.example.com"), false))
	is.names["abcb1234"] = []string{"www.example.com"}
	r := e.download(t, how{lang: api.Chinese}, "abcb1234", "--out", filepath.Join(t.TempDir(), "w"))
	if r.code != 0 || !strings.Contains(r.stdout, "即生成 CSR 时所用的私钥") || !strings.Contains(r.stdout, "ssl_certificate_key /path/to/your.key;") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Looking for a key generated here created no config or state folder.
	if got := tree(t, os.Getenv("HOME")); len(got) != 0 {
		t.Fatalf("created %v", got)
	}
}

// Hostile archives: refused with the entry named, exit 5, and nothing
// written — neither in DIR (not even created) nor beside it.
func TestDownloadRefusesHostileArchives(t *testing.T) {
	e, is := newIssuerEnv(t)
	slip, err := os.ReadFile("../../api/bundle/testdata/zipslip.zip")
	if err != nil {
		t.Fatal(err)
	}
	is.archives["slip"] = slip
	is.archives["bomb"] = bundletest.Bomb(t, "www.example.com_nginx/www.example.com_bundle.crt", 100<<20+1)
	is.archives["symlink"], _ = os.ReadFile("../../api/bundle/testdata/symlink.zip")
	is.archives["nocert"] = bundletest.Zip(t, map[string]string{"www.example.com_other/readme.txt": "no certificate"})
	for id, want := range map[string]string{
		"slip":    `archive entry "../evil.txt": climbs out of the folder`,
		"bomb":    `archive entry "www.example.com_nginx/www.example.com_bundle.crt": says it inflates to 104857601 bytes`,
		"symlink": `is not a regular file`,
		"nocert":  "the archive holds no certificate",
	} {
		base := t.TempDir()
		dir := filepath.Join(base, "out", "www")
		r := e.download(t, how{}, id, "--out", dir)
		if r.code != api.ExitTransport || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "ClientError.UnsafeArchive") ||
			!strings.Contains(r.stderr, "nothing was written") || !strings.Contains(r.stderr, "RequestId: rq-dl-"+id) {
			t.Errorf("%s: exit %d\n%s", id, r.code, r.stderr)
		}
		if got := tree(t, base); len(got) != 0 {
			t.Errorf("%s: written %v", id, got)
		}
		r = e.download(t, how{}, id, "--out", dir, "--json")
		m := decodeOne(t, r.stdout)
		if errObj, _ := m["Error"].(map[string]any); r.code != api.ExitTransport || errObj["Code"] != "ClientError.UnsafeArchive" || !strings.Contains(errObj["Message"].(string), want) {
			t.Errorf("%s --json: exit %d %v", id, r.code, m)
		}
	}
}

// Not issued yet: the service refuses (exit 3) and the status is named.
func TestDownloadNotIssuedNamesTheStatus(t *testing.T) {
	e, is := newIssuerEnv(t)
	is.statuses["abcb1234"] = api.StatusReviewing
	dir := filepath.Join(t.TempDir(), "w")
	r := e.download(t, how{}, "abcb1234", "--out", dir)
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "Certificate abcb1234 is at status 0 (awaiting domain validation), not issued (1); follow it with certwiz --endpoint "+e.url+" status abcb1234 --watch.") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	r = e.download(t, how{}, "abcb1234", "--out", dir, "--json")
	if m := decodeOne(t, r.stdout); r.code != api.ExitRejected || !strings.Contains(fmt.Sprint(m["Error"]), "status 0 (awaiting domain validation)") {
		t.Fatalf("json: %d %v", r.code, m)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Fatal("a folder was created for nothing")
	}
	for _, args := range [][]string{{"abc 1234", "--out", dir}, {"abcb1234"}, {"abcb1234", "--out", " "}} {
		if r := e.download(t, how{}, args...); r.code != api.ExitInput {
			t.Errorf("%q: exit %d %s", args, r.code, r.stderr)
		}
	}
	if n := is.downloads.Load(); n != 2 {
		t.Fatalf("%d downloads: usage errors sent requests", n)
	}
}

// newSandboxEnv runs the sandbox with its validation servers (sandbox.Start)
// on loopback, the credential chain isolated as newEnv does.
func newSandboxEnv(t *testing.T, o sandbox.Options) env {
	t.Helper()
	e := newEnv(t)
	sb := sandbox.New(o)
	url, stop, err := sandbox.Start(sb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	e.url, e.sb = url, sb
	return e
}

// The sandbox's seeded issued certificate: its archive, laid out like
// Tencent's, is unpacked and read by openssl.
func TestDownloadFromTheSandbox(t *testing.T) {
	e := newSandboxEnv(t, sandbox.Options{Rate: 100})
	dir := filepath.Join(t.TempDir(), "portal")
	r := e.download(t, how{}, "issued01", "--out", dir, "--json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	m := decodeOne(t, r.stdout)
	if fmt.Sprint(m["DNSNames"]) != "[portal.example.com]" {
		t.Fatalf("%v", m)
	}
	noSecrets(t, r, dir, os.Getenv("HOME"))
	requireOpenSSL(t)
	out, err := exec.Command("openssl", "x509", "-in", filepath.Join(dir, "portal.example.com_nginx", "portal.example.com_bundle.crt"), "-noout", "-subject").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "CN = portal.example.com") {
		t.Fatalf("openssl: %v %s", err, out)
	}
	// The sandbox's hostile archives and refusals: a leaf for another
	// name and names beside the layout are ZIPs as Tencent lays them out.
	for id, want := range map[string]string{
		"testDownloadZipSlip":   `"../evil.txt"`,
		"testDownloadBomb":      "inflate",
		"testDownloadWrongLeaf": "the certificate is for evil.attacker.test, which does not cover hostile.example.com",
		"testDownloadBadLayout": `archive entry "hostile.example.com_nginx/x; include evil.conf; #_bundle.crt": has a name a certificate file never has`,
	} {
		e.refusedWhole(t, id, want)
	}
	r = e.download(t, how{}, "testDownloadInvalidStatus", "--out", filepath.Join(t.TempDir(), "x"))
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "FailedOperation.InvalidCertificateStatusCode") {
		t.Fatalf("invalid status: exit %d\n%s", r.code, r.stderr)
	}
	r = e.download(t, how{}, "dcvwait1", "--out", filepath.Join(t.TempDir(), "x"))
	if r.code != api.ExitRejected || !strings.Contains(r.stderr, "awaiting domain validation") {
		t.Fatalf("not issued: exit %d\n%s", r.code, r.stderr)
	}
}

// The road with a key generated here: csr generate remembers it, the CSR
// is submitted and sent to the CA, the sandbox validates and issues, and
// the downloaded certificate's public key is the key file's — by openssl.
func TestDownloadKeyGeneratedHereThroughTheSandbox(t *testing.T) {
	e := newSandboxEnv(t, sandbox.Options{Rate: 100, PublishDelay: -1, IssueDelay: -1, FrequentWindow: -1})
	keys := t.TempDir()
	key, csrPath := filepath.Join(keys, "shop.key"), filepath.Join(keys, "shop.csr")
	if r := e.csrRun(t, "generate", "--certificate-id", "demo0100", "--domain", "shop.example.com", "--key-out", key, "--csr-out", csrPath); r.code != 0 {
		t.Fatal(r.stderr)
	}
	e.submitted(t, "demo0100", "CsrType=parse", "CsrContent=@"+csrPath, "CertificateDomain=shop.example.com", "DomainList=shop.example.com", "VerifyType=DNS")
	e.commitAndIssue(t, "demo0100")
	dir := filepath.Join(t.TempDir(), "shop")
	r := e.download(t, how{}, "demo0100", "--out", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "generated on this machine: "+key+" — matches the certificate") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := tree(t, dir); got["shop.example.com_nginx/shop.example.com.key"] != 0 {
		t.Fatal("a key in the archive, though it was generated here")
	}
	noSecrets(t, r, dir, os.Getenv("HOME"))
	requireOpenSSL(t)
	certPub, err := exec.Command("openssl", "x509", "-in", filepath.Join(dir, "shop.example.com_nginx", "shop.example.com_bundle.crt"), "-noout", "-pubkey").Output()
	if err != nil {
		t.Fatal(err)
	}
	keyPub, err := exec.Command("openssl", "pkey", "-in", key, "-pubout").Output()
	if err != nil || len(keyPub) == 0 || string(certPub) != string(keyPub) {
		t.Fatalf("public keys differ (%v):\n%s\n%s", err, certPub, keyPub)
	}
}

// commitAndIssue sends the order of id to the sandbox's CA, asks it to
// validate, and waits until it is issued.
func (e env) commitAndIssue(t *testing.T, id string) {
	t.Helper()
	if r := e.commit(t, how{}, id, "--yes"); r.code != 0 {
		t.Fatalf("commit: %d %s", r.code, r.stderr)
	}
	client, err := api.NewClient(api.StaticCredentials(sandbox.DemoSecretID, sandbox.DemoSecretKey, "", "test"), api.Config{Endpoint: e.url, Timeout: 10 * time.Second, Rate: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CompleteCertificate(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		checks, _, err := client.CheckDomainVerification(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(checks) > 0 && checks[0].Issued {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not issued: %+v", checks)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Defect i19: a certificate awaiting information submitted again with
// another CSR. The key download finds is the one whose public key the
// certificate carries — the CSR sent last — whichever key was generated
// last; and the keys stay remembered after the submission. A CSR whose key
// certwiz did not generate (c, made without --certificate-id) sent last
// is the user's own key: no warning, no key named.
func TestDownloadFindsTheKeyOfTheCSRSentLast(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sends []string // the keys whose CSR is submitted, in order
		want  string   // "": the user's own
	}{
		{"B sent last", []string{"a", "b"}, "b"},
		{"A sent again after B", []string{"a", "b", "a"}, "a"},
		{"own CSR sent last", []string{"a", "b", "c"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newSandboxEnv(t, sandbox.Options{Rate: 100, PublishDelay: -1, IssueDelay: -1, FrequentWindow: -1})
			keys := t.TempDir()
			key := func(n string) string { return filepath.Join(keys, n+".key") }
			for _, n := range []string{"a", "b", "c"} {
				args := []string{"generate", "--domain", "shop.example.com", "--key-out", key(n), "--csr-out", filepath.Join(keys, n+".csr")}
				if n != "c" {
					args = append(args, "--certificate-id", "demo0100")
				}
				if r := e.csrRun(t, args...); r.code != 0 {
					t.Fatal(r.stderr)
				}
			}
			for _, n := range tc.sends {
				e.submitted(t, "demo0100", "CsrType=parse", "CsrContent=@"+filepath.Join(keys, n+".csr"), "CertificateDomain=shop.example.com", "DomainList=shop.example.com", "VerifyType=DNS")
			}
			e.commitAndIssue(t, "demo0100")
			dir := filepath.Join(t.TempDir(), "shop")
			r := e.download(t, how{}, "demo0100", "--out", dir)
			if tc.want == "" {
				if r.code != 0 || !strings.Contains(r.stdout, "Key:      the certificate is for a CSR submitted for it whose key was not generated here") ||
					!strings.Contains(r.stdout, "ssl_certificate_key /path/to/your.key;") || strings.Contains(r.stderr, "Warning") || strings.Contains(r.stdout, keys) {
					t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
				}
				return
			}
			if r.code != 0 || !strings.Contains(r.stdout, "generated on this machine: "+key(tc.want)+" — matches the certificate") ||
				!strings.Contains(r.stdout, "ssl_certificate_key "+key(tc.want)+";") || strings.Contains(r.stderr, "Warning") {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			// openssl agrees: the certificate's public key is that file's.
			requireOpenSSL(t)
			certPub, err := exec.Command("openssl", "x509", "-in", filepath.Join(dir, "shop.example.com_nginx", "shop.example.com_bundle.crt"), "-noout", "-pubkey").Output()
			if err != nil {
				t.Fatal(err)
			}
			keyPub, err := exec.Command("openssl", "pkey", "-in", key(tc.want), "-pubout").Output()
			if err != nil || string(certPub) != string(keyPub) {
				t.Fatalf("public keys differ (%v)", err)
			}
		})
	}
}

// A --out that is a file is the user's to change: exit 2, nothing written.
func TestDownloadOutIsAFile(t *testing.T) {
	e := newEnv(t)
	out := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(out, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.exec(t, NewDownloadCmd, how{}, "issued01", "--out", out)
	if r.code != api.ExitInput || !strings.Contains(r.stderr, "not a folder") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
}
