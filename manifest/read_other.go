//go:build !unix

package manifest

import (
	"io"
	"os"

	"github.com/catch22/catch22/internal/safeio"
)

// readFile appends the contents of the named file to buf and returns it,
// reusing the caller's buffer, which Parse does not retain.
func readFile(name string, buf []byte) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return buf, err
	}
	if err := safeio.CheckRegular(name, info, safeio.ManifestLimit); err != nil {
		return buf, err
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
