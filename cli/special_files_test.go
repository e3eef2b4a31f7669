//go:build unix

package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFilesRefused: every PATH argument that is not a regular file
// (/dev/zero, a FIFO without a writer, symlinks to either) is refused at
// once with exit 2 and a positioned message, instead of being read forever
// or waited on: manifests, configuration, baseline, observed traffic and
// every importer's input.
func TestSpecialFilesRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	zeroLink := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zeroLink); err != nil {
		t.Fatal(err)
	}
	fifoLink := filepath.Join(dir, "fifo-link.json")
	if err := os.Symlink(fifo, fifoLink); err != nil {
		t.Fatal(err)
	}
	svc := filepath.Join(dir, "svc")
	if err := os.MkdirAll(svc, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(svc, "a.toml"), []byte("[service]\nname = \"a\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	for _, args := range [][]string{
		{"check", "/dev/zero"},
		{"check", fifo},
		{"check", zeroLink},
		{"check", svc, "--config", "/dev/zero"},
		{"check", svc, "--baseline", fifo},
		{"check", svc, "--observed", fifoLink},
		{"import", "backstage", zeroLink, "--out", out},
		{"import", "kubernetes", fifo, "--out", out},
		{"import", "compose", zeroLink, "--out", out},
	} {
		var stdout, stderr bytes.Buffer
		done := make(chan int, 1)
		go func() {
			done <- Run(context.Background(), append([]string{"catch22"}, args...), strings.NewReader(""), &stdout, &stderr)
		}()
		select {
		case code := <-done:
			if code != ExitInput || !strings.Contains(stderr.String(), "not a regular file") {
				t.Errorf("%v: exit %d, stderr %q; want 2 and \"not a regular file\"", args, code, stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%v: still running after 10 s", args)
		}
	}
}
