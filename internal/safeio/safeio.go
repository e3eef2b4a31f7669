// Package safeio reads input files defensively: only regular files (a
// path naming /dev/zero, a FIFO or a symlink to either would read forever
// or block), and never more than a stated size, so that no argument can
// make catch22 hang or exhaust memory before parsing even starts.
package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// Limits for each kind of input, in bytes. They are far above anything
// real (a manifest is a few kilobytes, a large Backstage catalog or a
// `kustomize build` of a big cluster a few megabytes) and low enough that
// the parsers reject an adversarial file of that size within a second;
// docs/limits.md has the measurements.
const (
	ManifestLimit = 128 << 10 // one service manifest, _defaults.toml or catch22.toml
	YAMLLimit     = 4 << 20   // one catalog, Kubernetes or Compose file
	DataLimit     = 64 << 20  // a baseline or an observed-traffic file
)

// ErrNotRegular says a path names something other than a regular file.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError says a file exceeds its limit.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("larger than the %s limit for this kind of file", size(e.Limit))
}

// ReadFile returns the contents of the regular file name (symlinks
// followed), or an *fs.PathError wrapping ErrNotRegular or a
// *TooLargeError. The file is opened without blocking, so that a FIFO
// without a writer cannot stall the open, and its type is checked on the
// open descriptor, so that it cannot be swapped between check and read.
func ReadFile(name string, limit int64) ([]byte, error) {
	f, err := openNonblocking(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := CheckRegular(name, info, limit); err != nil {
		return nil, err
	}
	// The file may grow while it is read: read one byte more than the
	// limit to notice.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Limit: limit}}
	}
	return data, nil
}

// CheckRegular returns nil when info, of a file already opened, describes
// a regular file of at most limit bytes; else the error ReadFile returns.
func CheckRegular(name string, info fs.FileInfo, limit int64) error {
	if !info.Mode().IsRegular() {
		return &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, typeName(info.Mode()))}
	}
	if info.Size() > limit {
		return &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Limit: limit}}
	}
	return nil
}

func typeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}

func size(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
