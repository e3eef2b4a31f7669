//go:build unix

package safeio

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRefusesWhatIsNotAFile: /dev/zero, a FIFO without a writer and
// symlinks to both are refused at once instead of read forever or
// waited on; a directory is refused too.
func TestRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"zero-link": "/dev/zero", "fifo-link": fifo} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"/dev/zero", fifo, filepath.Join(dir, "zero-link"), filepath.Join(dir, "fifo-link"), dir} {
		done := make(chan error, 1)
		go func() {
			_, err := ReadFile(name, ManifestLimit)
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) {
				t.Errorf("%s: err = %v, want ErrNotRegular", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: still reading after 5 s", name)
		}
	}
}

// TestLimit: a file over the limit is refused with the limit in the
// message; one at the limit is read whole.
func TestLimit(t *testing.T) {
	dir := t.TempDir()
	at, over := filepath.Join(dir, "at"), filepath.Join(dir, "over")
	os.WriteFile(at, []byte(strings.Repeat("x", 1024)), 0o600)
	os.WriteFile(over, []byte(strings.Repeat("x", 1025)), 0o600)
	if data, err := ReadFile(at, 1024); err != nil || len(data) != 1024 {
		t.Errorf("at the limit: %d bytes, %v", len(data), err)
	}
	_, err := ReadFile(over, 1024)
	var tl *TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), "larger than the 1 KiB limit") {
		t.Errorf("over the limit: %v", err)
	}
}
