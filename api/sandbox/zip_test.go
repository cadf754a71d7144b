package sandbox

import (
	"errors"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api/bundle"
)

// The hostile archives that pass as ZIPs: the wrong leaf is laid out as
// Tencent's and chains to the sandbox CA, only its name is not the
// order's; the bad layout is Tencent's with names beside it.
func TestHostileLayoutAndLeafArchives(t *testing.T) {
	r := start(t, Options{})
	data, _, err := r.client.DownloadCertificate(t.Context(), "testDownloadWrongLeaf")
	if err != nil {
		t.Fatal(err)
	}
	files, err := bundle.Read(data, bundle.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	info, err := bundle.Inspect(files)
	if err != nil || len(info.DNSNames) != 1 || info.DNSNames[0] != "evil.attacker.test" {
		t.Fatalf("wrong leaf: %v %v", info.DNSNames, err)
	}
	d, err := r.client.DescribeCertificateDetail(t.Context(), "testDownloadWrongLeaf")
	if err != nil || d.Status != 1 {
		t.Fatalf("not issued: %+v %v", d, err)
	}
	if err := info.IsFor(d.Names()); err == nil || !strings.Contains(err.Error(), "does not cover hostile.example.com") {
		t.Fatalf("the wrong leaf passed for %v: %v", d.Names(), err)
	}

	data, _, err = r.client.DownloadCertificate(t.Context(), "testDownloadBadLayout")
	if err != nil {
		t.Fatal(err)
	}
	var ee *bundle.EntryError
	if _, err := bundle.Read(data, bundle.Limits{}); !errors.As(err, &ee) || ee.Entry != "hostile.example.com_nginx/x; include evil.conf; #_bundle.crt" {
		t.Fatalf("bad layout: %v", err)
	}
}
