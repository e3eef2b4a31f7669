//go:build unix

package safeio

import (
	"os"
	"syscall"
)

// openNonblocking opens name for reading with O_NONBLOCK, which makes
// opening a FIFO return at once instead of waiting for a writer; reads of
// a regular file ignore the flag.
func openNonblocking(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
