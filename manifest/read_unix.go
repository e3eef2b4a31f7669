//go:build unix

package manifest

import (
	"io/fs"
	"syscall"
	"time"

	"github.com/catch22/catch22/internal/safeio"
)

// readFile appends the contents of the named file to buf and returns it.
//
// It reuses the caller's buffer, which Parse does not retain, and talks to
// the kernel directly: os.Open registers every file with the runtime poller
// and attaches a finalizer, which for a directory of many small manifests
// costs as much as reading them. Errors are *fs.PathError, as from os.
//
// Like safeio.ReadFile it reads only a regular file (checked on the open
// descriptor, opened without blocking so that a FIFO cannot stall it) of at
// most safeio.ManifestLimit bytes.
func readFile(name string, buf []byte) ([]byte, error) {
	var fd int
	err := retry(func() (err error) {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		return err
	})
	if err != nil {
		return buf, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return buf, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if err := safeio.CheckRegular(name, statInfo{name, &st}, safeio.ManifestLimit); err != nil {
		return buf, err
	}
	// Once the size fstat gave has been read, the read that would only
	// find the end is skipped: a system call per file. A file that reports
	// no size, or grew past it before the read, is read to its end.
	start := len(buf)
	for {
		if st.Size > 0 && int64(len(buf)-start) == st.Size {
			return buf, nil
		}
		if len(buf) > safeio.ManifestLimit {
			return buf, &fs.PathError{Op: "read", Path: name, Err: &safeio.TooLargeError{Limit: safeio.ManifestLimit}}
		}
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

// statInfo is the fs.FileInfo of a raw stat, as much of it as the checks
// read.
type statInfo struct {
	name string
	st   *syscall.Stat_t
}

func (i statInfo) Name() string       { return i.name }
func (i statInfo) Size() int64        { return i.st.Size }
func (i statInfo) ModTime() time.Time { return time.Time{} }
func (i statInfo) IsDir() bool        { return i.Mode().IsDir() }
func (i statInfo) Sys() any           { return i.st }
func (i statInfo) Mode() fs.FileMode {
	switch i.st.Mode & syscall.S_IFMT {
	case syscall.S_IFREG:
		return 0
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	}
	return fs.ModeIrregular
}
