//go:build !windows

package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Issue 12: a FIFO, a device, a folder or an oversized file is refused at
// once, and standard input beyond the limit is refused, never cut.
func TestInputsAreRegularFilesOfSensibleSize(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.csr")
	os.WriteFile(big, []byte(strings.Repeat("x", limitCSR+1)), 0o600)
	for path, want := range map[string]string{
		fifo:        "not a regular file",
		"/dev/zero": "not a regular file",
		dir:         "is a folder",
		big:         "more than this input can be",
	} {
		done := make(chan error, 1)
		go func() { _, err := readLimited(context.Background(), path, nil, limitCSR); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want %q", path, err, want)
			}
		case <-time.After(time.Second):
			t.Fatalf("%s: reading blocked", path)
		}
	}
	if _, err := readLimited(context.Background(), "-", strings.NewReader(strings.Repeat("y", limitCSR+5)), limitCSR); err == nil || !strings.Contains(err.Error(), "nothing was read") {
		t.Errorf("oversized stdin: %v", err)
	}
	if data, err := readLimited(context.Background(), "-", strings.NewReader("ok"), limitCSR); err != nil || string(data) != "ok" {
		t.Errorf("stdin: %q %v", data, err)
	}
}
