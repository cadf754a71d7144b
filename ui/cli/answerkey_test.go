package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
)

// Issue 17, item 5: a detail answer with the private key first and one
// mistyped field printed the key to stderr, and with --json to stdout.
// status and download say which field had which type, and never the key.
func TestAMistypedDetailNeverShowsTheKey(t *testing.T) {
	const key = "MIIcliPRIVATEkeyMATERIAL"
	detail := `{"Response":{"CertificatePrivateKey":"-----BEGIN PRIVATE KEY-----\n` + key + `\n-----END PRIVATE KEY-----\n","CertificateId":"abcb1234","IsDv":"true","Status":1,"RequestId":"r1"}}`
	e := hostile(t, 200, "")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-TC-Action") == api.ActionDownload {
			// Refused: download reads the detail to say why.
			io.WriteString(w, errorAnswer("FailedOperation.InvalidCertificateStatusCode", "not issued", "r2"))
			return
		}
		io.WriteString(w, detail)
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	out := filepath.Join(t.TempDir(), "out")
	for _, args := range [][]string{{"status", "abcb1234"}, {"status", "abcb1234", "--json"}, {"download", "abcb1234", "--out", out}, {"download", "abcb1234", "--out", out, "--json"}} {
		mk := NewStatusCmd
		if args[0] == "download" {
			mk = NewDownloadCmd
		}
		r := e.exec(t, mk, how{}, args[1:]...)
		all := r.stdout + r.stderr
		if strings.Contains(all, key) || strings.Contains(all, "PRIVATE KEY") {
			t.Fatalf("%v shows the key:\n%s", args, all)
		}
		if args[0] == "status" && (r.code != api.ExitTransport || !strings.Contains(all, "IsDv") || !strings.Contains(all, "got string, want boolean")) {
			t.Fatalf("%v: exit %d, the field not named:\n%s", args, r.code, all)
		}
	}
}
