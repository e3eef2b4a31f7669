//go:build unix

package manifest

import (
	"io/fs"
	"syscall"
)

// readFile appends the contents of the named file to buf and returns it.
//
// It reuses the caller's buffer, which Parse does not retain, and talks to
// the kernel directly: os.Open registers every file with the runtime poller
// and attaches a finalizer, which for a directory of many small manifests
// costs as much as reading them. Errors are *fs.PathError, as from os.
func readFile(name string, buf []byte) ([]byte, error) {
	var fd int
	err := retry(func() (err error) {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return buf, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		var n int
		err := retry(func() (err error) {
			n, err = syscall.Read(fd, buf[len(buf):cap(buf)])
			return err
		})
		if err != nil {
			return buf, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n <= 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}

// retry repeats a system call interrupted by a signal, as package os does.
func retry(call func() error) error {
	for {
		if err := call(); err != syscall.EINTR {
			return err
		}
	}
}
